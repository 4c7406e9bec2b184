//! Questions asked on the terminal before a step (yes / skip / all / quit). Waiting for the
//! answer still notices Ctrl-C, SIGTERM and SIGHUP (the read is polled, not blocking).

use std::io::{self, BufRead, IsTerminal, Write};
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
        to_asker(format_args!("{question} {choices} "));
        let line = read_line(stop)?;
        match line.trim().to_ascii_lowercase().as_str() {
            "" if !confirm_only => return Some(Answer::Yes),
            "y" | "yes" => return Some(Answer::Yes),
            "s" | "skip" | "n" | "no" => return Some(Answer::Skip),
            "a" | "all" if !confirm_only => return Some(Answer::All),
            "q" | "quit" => return Some(Answer::Quit),
            _ => to_asker(format_args!(
                "Please answer y, s{} or q.\n",
                if confirm_only { "" } else { ", a" }
            )),
        }
    }
}

/// What the learner does at a task that is not solved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAnswer {
    /// Run the check again (they solved it meanwhile, in their editor or shell).
    Check,
    Hint,
    Solution,
    /// Leave it open and go on.
    Skip,
    Quit,
}

/// Asks what to do at an unsolved task; `None` when a signal arrived or stdin closed.
pub fn ask_task(hints_left: bool, stop: &dyn Fn() -> bool) -> Option<TaskAnswer> {
    let hint = if hints_left { "[h]int / " } else { "" };
    loop {
        to_asker(format_args!(
            "Solve it in your editor or another terminal, then press Enter to check again. {hint}[S]olution / s[k]ip / [q]uit "
        ));
        let line = read_line(stop)?;
        match line.trim() {
            "" | "c" | "check" => return Some(TaskAnswer::Check),
            "h" | "hint" if hints_left => return Some(TaskAnswer::Hint),
            "S" | "solution" => return Some(TaskAnswer::Solution),
            "k" | "skip" => return Some(TaskAnswer::Skip),
            "q" | "quit" => return Some(TaskAnswer::Quit),
            _ => to_asker(format_args!(
                "Please press Enter, or answer {hint}S, k or q.\n"
            )),
        }
    }
}

/// Asks a yes/no question (default no).
pub fn ask_yes_no(question: &str, stop: &dyn Fn() -> bool) -> bool {
    to_asker(format_args!("{question} [y/N] "));
    matches!(
        read_line(stop).as_deref().map(str::trim),
        Some("y" | "Y" | "yes")
    )
}

/// Whether questions can be asked: stdin is a terminal and so is stdout or stderr, so
/// `run | tee run.log` on a terminal still asks (on stderr).
pub fn can_ask() -> bool {
    io::stdin().is_terminal() && (io::stdout().is_terminal() || io::stderr().is_terminal())
}

/// Writes (and flushes) prompt text where the learner sees it: stdout on a terminal, else
/// stderr (stdout then goes to a pipe or a log, which must not wait on a question).
fn to_asker(text: std::fmt::Arguments) {
    // One write: stderr is unbuffered and would get the pieces of `text` one by one.
    let text = text.to_string();
    let mut out = io::stdout();
    let _ = out.flush();
    if out.is_terminal() {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    } else {
        // Let a `tee` print the step header it was just given before the question appears.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let mut err = io::stderr();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
}

/// Reads one line from stdin, giving up when `stop()` says so or stdin ends.
fn read_line(stop: &dyn Fn() -> bool) -> Option<String> {
    loop {
        if stop() {
            to_asker(format_args!("\n"));
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
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    let stdin = io::stdin();
    let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
    let timeout = PollTimeout::try_from(timeout).unwrap_or(PollTimeout::MAX);
    poll(&mut fds, timeout).is_ok_and(|ready| ready > 0)
}

#[cfg(not(unix))]
fn stdin_readable(_timeout: Duration) -> bool {
    true
}
