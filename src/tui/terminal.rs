//! Taking and giving back the terminal: raw mode, alternate screen, mouse capture; the panic
//! hook that restores it and kills running steps; the clipboard escape (OSC 52); its width
//! for the commands that style plain output. The real [`Console`] of the loop's world.

use std::io::stdout;
use std::sync::Mutex;
use std::sync::mpsc::Sender;

use nix::sys::signal::{Signal, killpg, raise};
use nix::unistd::Pid;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::event::EventThread;
use super::msg::Msg;
use super::world::Console;

/// Process groups of the steps that run, killed by the panic hook.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

pub fn register_group(pgid: i32) {
    if pgid > 1
        && let Ok(mut groups) = LIVE_GROUPS.lock()
    {
        groups.push(pgid);
    }
}

pub fn unregister_group(pgid: i32) {
    if let Ok(mut groups) = LIVE_GROUPS.lock() {
        groups.retain(|&g| g != pgid);
    }
}

fn kill_live_groups() {
    if let Ok(groups) = LIVE_GROUPS.try_lock() {
        for &pgid in groups.iter() {
            // The group ids are those of our own steps.
            let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        }
    }
}

/// Enters the TUI. `ratatui::init` installs a hook that restores the terminal on panic; ours,
/// chained before it, also releases the mouse and kills the steps' process groups.
fn enter() -> std::io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    execute!(stdout(), EnableMouseCapture)?;
    let restore_on_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        kill_live_groups();
        let _ = execute!(stdout(), DisableMouseCapture);
        restore_on_panic(info);
    }));
    Ok(terminal)
}

/// Gives the terminal back (idempotent).
fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// The real console: crossterm's events on their own thread, the terminal handed over by
/// leaving and re-entering the TUI's screen.
pub struct TerminalConsole {
    events: Option<EventThread>,
}

impl TerminalConsole {
    /// Enters the TUI's screen (see [`enter`]); it is left again when the console is dropped.
    pub fn enter() -> std::io::Result<(Self, DefaultTerminal)> {
        let terminal = enter()?;
        Ok((Self { events: None }, terminal))
    }
}

impl Drop for TerminalConsole {
    fn drop(&mut self) {
        self.stop_listening();
        leave();
    }
}

impl Console for TerminalConsole {
    fn listen(&mut self, tx: Sender<Msg>) {
        self.stop_listening();
        self.events = Some(EventThread::spawn(tx));
    }

    fn stop_listening(&mut self) {
        if let Some(mut events) = self.events.take() {
            events.stop();
        }
    }

    fn hand_over(&mut self, f: &mut dyn FnMut()) -> std::io::Result<()> {
        leave();
        f();
        ratatui::crossterm::terminal::enable_raw_mode()?;
        execute!(
            stdout(),
            ratatui::crossterm::terminal::EnterAlternateScreen,
            EnableMouseCapture
        )
    }

    fn suspend(&mut self) -> std::io::Result<()> {
        // The shell resumes this process with SIGCONT.
        self.hand_over(&mut || {
            let _ = raise(Signal::SIGTSTP);
        })
    }

    fn copy_to_clipboard(&mut self, text: &str) -> std::io::Result<()> {
        copy_to_clipboard(text)
    }
}

/// Asks the terminal to put `text` on the clipboard (OSC 52; tmux needs `set-clipboard on`).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use ratatui::crossterm::clipboard::CopyToClipboard;
    execute!(stdout(), CopyToClipboard::to_clipboard_from(text))
}

/// The width of the terminal in columns; `None` when it cannot be read (no terminal, or one
/// that says 0). For the commands that print to a terminal without taking it over.
pub fn terminal_width() -> Option<u16> {
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| columns)
        .filter(|c| *c > 0)
}
