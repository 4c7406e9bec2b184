//! Taking and giving back the terminal: raw mode, alternate screen, mouse capture; the panic
//! hook that restores it and kills running steps; the clipboard escape (OSC 52).

use std::io::{Write, stdout};
use std::sync::Mutex;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

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
            // SAFETY: killpg only sends a signal; the group ids are those of our own steps.
            unsafe {
                libc::killpg(pgid, libc::SIGKILL);
            }
        }
    }
}

/// The width of the terminal on stdout in columns, for commands that print rendered text
/// (`show`, `run`); `None` when it cannot be read.
pub fn width() -> Option<u16> {
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| columns)
        .filter(|c| *c > 0)
}

/// Enters the TUI. `ratatui::init` installs a hook that restores the terminal on panic; ours,
/// chained before it, also releases the mouse and kills the steps' process groups.
pub fn enter() -> std::io::Result<DefaultTerminal> {
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
pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// Hands the real terminal to an interactive step, then takes it back.
pub fn suspended<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> std::io::Result<T> {
    leave();
    let out = f();
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(
        stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture
    )?;
    terminal.clear()?;
    Ok(out)
}

/// Asks the terminal to put `text` on the clipboard (OSC 52; tmux needs `set-clipboard on`).
pub fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    let mut out = stdout();
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(plain.as_bytes()), encoded);
        }
    }
}
