//! The instructor's terminal while `class serve` runs: learners as rows (stuck ones first),
//! the class-wide tables, a learner's last failure, recent activity. Redraws when the class
//! changes and every second (times count up); restores the terminal on every way out
//! (quit keys, SIGTERM/SIGHUP, an error, a panic through ratatui's hook). The class itself
//! (server, database, state rebuilt from events) is `class_live`'s; this module only owns
//! the terminal it is shown on.

pub mod model;
#[cfg(test)]
mod tests;
pub mod view;

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime};

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
    header: ServerInfo,
    signals: &Signals,
) -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, server, activity, header, signals);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    server: &Server,
    activity: &Receiver<Activity>,
    header: ServerInfo,
    signals: &Signals,
) -> std::io::Result<()> {
    let mut dash = Dashboard::new(header);
    let mut drawn: Option<(u64, Instant)> = None;
    let mut dirty = true;
    loop {
        while let Ok(item) = activity.try_recv() {
            dash.note(&item);
            dirty = true;
        }
        if signals.stop_requested() || server.has_failed() || dash.quit {
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
            terminal.draw(|frame| view::draw(frame, &dash, &visible, &summary))?;
            drawn = Some((version, Instant::now()));
            dirty = false;
        }
        if event::poll(POLL)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    dash.key(key, visible.len());
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
    }
}
