//! The instructor's terminal while `class serve` runs: learners as rows (stuck ones first),
//! the class-wide tables, a learner's last failure, recent activity. Redraws when the class
//! changes and every second (times count up); restores the terminal on every way out
//! (quit keys, SIGTERM/SIGHUP, an error, a panic through ratatui's hook). The class itself
//! (server, database, state rebuilt from events) is `class_live`'s; this module only owns
//! the terminal it is shown on.

#[cfg(test)]
mod loop_tests;
pub mod model;
#[cfg(test)]
mod tests;
pub mod view;

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::class_live::{Activity, Server};
use crate::progress::class::summarize;
use crate::session::Signals;
pub use model::{Dashboard, ServerInfo, SortBy, Tab};

/// How often the dashboard looks for keys and changes.
const POLL: Duration = Duration::from_millis(200);
/// Redraw at least this often, so times on steps count up.
const REFRESH: Duration = Duration::from_secs(1);

/// Runs the dashboard until the instructor quits or a signal stops it.
pub fn run(
    server: &Server,
    activity: &Receiver<Activity>,
    info: ServerInfo,
    signals: &Signals,
) -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(
        &mut terminal,
        server,
        activity,
        info,
        || signals.stop_requested(),
        terminal_event,
    );
    ratatui::restore();
    result
}

/// The terminal's next key or resize, waiting at most `wait`.
fn terminal_event(wait: Duration) -> std::io::Result<Option<Event>> {
    if event::poll(wait)? {
        event::read().map(Some)
    } else {
        Ok(None)
    }
}

/// A drawing error of any backend, as an I/O error.
fn drawing<E: std::fmt::Display>(err: E) -> std::io::Error {
    std::io::Error::other(err.to_string())
}

/// Draws `terminal` until a quit key, `stop_requested` or a failed server; events come from
/// `next_event` (the terminal's, or a test's script).
fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    server: &Server,
    activity: &Receiver<Activity>,
    info: ServerInfo,
    stop_requested: impl Fn() -> bool,
    mut next_event: impl FnMut(Duration) -> std::io::Result<Option<Event>>,
) -> std::io::Result<()> {
    let mut dash = Dashboard::new(info);
    let mut drawn: Option<(u64, Instant)> = None;
    let mut dirty = true;
    loop {
        while let Ok(item) = activity.try_recv() {
            dash.note(&item);
            dirty = true;
        }
        if stop_requested() || server.has_failed() || dash.quit {
            return Ok(());
        }
        let now = SystemTime::now();
        let (rows, version) = server.shared.with_state(|s| (s.rows(now), s.version));
        let visible = dash.visible(rows);
        dash.selected = dash.selected.min(visible.len().saturating_sub(1));
        let stale = drawn.is_none_or(|(v, at)| v != version || at.elapsed() >= REFRESH);
        if dirty || stale {
            let inputs = match dash.tab {
                Tab::Class => server.shared.with_state(|s| s.class_inputs(now)),
                Tab::Learners => Vec::new(),
            };
            let summary = summarize(inputs, None);
            terminal
                .draw(|frame| view::draw(frame, &dash, &visible, &summary))
                .map_err(drawing)?;
            drawn = Some((version, Instant::now()));
            dirty = false;
        }
        match next_event(POLL)? {
            Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                dash.key(key, visible.len());
                dirty = true;
            }
            Some(Event::Resize(..)) => dirty = true,
            _ => {}
        }
    }
}
