//! Questions asked on the terminal before a step (yes / skip / all / quit). Waiting for the
//! answer still notices Ctrl-C, SIGTERM and SIGHUP (the read is polled, not blocking).

use std::io::{self, BufRead, Write};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    Skip,
    All,
    Quit,
}

/// Asks before a step; `None` when a signal arrived or stdin closed.
pub fn ask_step(question: &str, confirm_only: bool, stop: &dyn Fn() -> bool) -> Option<Answer> {
    let choices = if confirm_only {
        "[y]es / [s]kip / [q]uit"
    } else {
        "[Y]es / [s]kip / [a]ll / [q]uit"
    };
    loop {
        say_inline!("{question} {choices} ");
        let _ = io::stdout().flush();
        let line = read_line(stop)?;
        match line.trim().to_ascii_lowercase().as_str() {
            "" if !confirm_only => return Some(Answer::Yes),
            "y" | "yes" => return Some(Answer::Yes),
            "s" | "skip" | "n" | "no" => return Some(Answer::Skip),
            "a" | "all" if !confirm_only => return Some(Answer::All),
            "q" | "quit" => return Some(Answer::Quit),
            _ => say!(
                "Please answer y, s{} or q.",
                if confirm_only { "" } else { ", a" }
            ),
        }
    }
}

/// Asks a yes/no question (default no).
pub fn ask_yes_no(question: &str, stop: &dyn Fn() -> bool) -> bool {
    say_inline!("{question} [y/N] ");
    let _ = io::stdout().flush();
    matches!(
        read_line(stop).as_deref().map(str::trim),
        Some("y" | "Y" | "yes")
    )
}

/// Reads one line from stdin, giving up when `stop()` says so or stdin ends.
fn read_line(stop: &dyn Fn() -> bool) -> Option<String> {
    loop {
        if stop() {
            say!();
            return None;
        }
        if stdin_readable(Duration::from_millis(100)) {
            let mut line = String::new();
            return match io::stdin().lock().read_line(&mut line) {
                Ok(0) | Err(_) => None,
                Ok(_) => Some(line),
            };
        }
    }
}

#[cfg(unix)]
fn stdin_readable(timeout: Duration) -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    let ready = unsafe { libc::poll(&mut fd, 1, timeout.as_millis() as libc::c_int) };
    ready > 0
}

#[cfg(not(unix))]
fn stdin_readable(_timeout: Duration) -> bool {
    true
}
