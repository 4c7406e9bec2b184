//! How a step ended: passed, failed (and why), or skipped; its duration and exit code; what a
//! known failure means and how to fix it. Plain data that the runner produces and the
//! renderer, the TUI and the commands read (so `render` needs no `runner`).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Where a step's shell ended and what it changed in its exported variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellEnd {
    /// `$PWD` when the shell exited.
    pub cwd: PathBuf,
    /// The folder it started in.
    pub started: PathBuf,
    /// Variables set or changed (`Some`) and removed (`None`), by name.
    pub changed: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    pub result: StepResult,
    pub duration: Duration,
    /// The script's exit code, when it exited on its own (None when killed by a signal).
    pub exit_code: Option<i32>,
    /// For a failure whose output matches a known Docker problem: what it means and the fix.
    pub explanation: Option<&'static Explanation>,
    /// What the failure's message names (port, container, image, file), said in one line.
    pub specifics: Option<String>,
    /// Where the step's shell ended and what it exported, when the spec asked for it and the
    /// shell got to say (see `StepSpec::capture_shell`).
    pub shell_end: Option<ShellEnd>,
}

impl StepOutcome {
    pub fn passed(duration: Duration, exit_code: Option<i32>) -> Self {
        StepOutcome {
            result: StepResult::Passed,
            duration,
            exit_code,
            explanation: None,
            specifics: None,
            shell_end: None,
        }
    }

    pub fn failed(reason: FailReason, duration: Duration, exit_code: Option<i32>) -> Self {
        StepOutcome {
            result: StepResult::Failed(reason),
            duration,
            exit_code,
            explanation: None,
            specifics: None,
            shell_end: None,
        }
    }

    pub fn skipped(reason: impl Into<String>) -> Self {
        StepOutcome {
            result: StepResult::Skipped(reason.into()),
            duration: Duration::ZERO,
            exit_code: None,
            explanation: None,
            specifics: None,
            shell_end: None,
        }
    }

    pub fn is_passed(&self) -> bool {
        self.result == StepResult::Passed
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepResult {
    Passed,
    Failed(FailReason),
    /// Not run, with why (e.g. "interactive step without a terminal").
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailReason {
    ExitCode {
        expected: i32,
        got: i32,
    },
    /// Ended by a signal it did not get from us (e.g. the OOM killer's SIGKILL).
    Signal {
        signal: i32,
    },
    ExpectNotMatched {
        pattern: String,
    },
    CheckFailed {
        command: String,
        exit_code: Option<i32>,
    },
    TimedOut {
        after: Duration,
    },
    Cancelled,
    /// A background step's process ended (before it was ready, or later on its own).
    BackgroundExited {
        exit_code: Option<i32>,
    },
    NotReady {
        after: Duration,
    },
    Spawn(String),
}

impl fmt::Display for FailReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailReason::ExitCode { expected: 0, got } => write!(f, "exit code {got}"),
            FailReason::ExitCode { expected, got } => {
                write!(f, "exit code {got}, expected {expected}")
            }
            FailReason::Signal { signal } => write!(f, "killed by signal {signal}"),
            FailReason::ExpectNotMatched { pattern } => {
                write!(f, "output did not match `{pattern}`")
            }
            FailReason::CheckFailed { command, exit_code } => match exit_code {
                Some(code) => write!(f, "check `{command}` failed (exit code {code})"),
                None => write!(f, "check `{command}` did not finish"),
            },
            FailReason::TimedOut { after } => write!(f, "timed out after {}", secs(*after)),
            FailReason::Cancelled => f.write_str("cancelled"),
            FailReason::BackgroundExited {
                exit_code: Some(code),
            } => {
                write!(f, "background process exited (exit code {code})")
            }
            FailReason::BackgroundExited { exit_code: None } => {
                f.write_str("background process was killed")
            }
            FailReason::NotReady { after } => write!(f, "not ready after {}", secs(*after)),
            FailReason::Spawn(message) => write!(f, "could not start: {message}"),
        }
    }
}

impl fmt::Display for StepResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepResult::Passed => f.write_str("passed"),
            StepResult::Failed(reason) => write!(f, "failed: {reason}"),
            StepResult::Skipped(why) => write!(f, "skipped: {why}"),
        }
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// What a known failure means and how to fix it.
#[derive(Debug, PartialEq, Eq)]
pub struct Explanation {
    /// Stable id, e.g. `port-in-use`.
    pub id: &'static str,
    /// One line: what happened.
    pub cause: &'static str,
    pub fix: Fix,
}

/// How to fix a failure; `macos`/`windows` are None where the Linux text applies as is.
#[derive(Debug, PartialEq, Eq)]
pub struct Fix {
    pub linux: &'static str,
    pub macos: Option<&'static str>,
    pub windows: Option<&'static str>,
}

/// An operating system a fix can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

impl Fix {
    /// The same text on every OS.
    pub const fn same(text: &'static str) -> Fix {
        Fix {
            linux: text,
            macos: None,
            windows: None,
        }
    }

    pub fn for_os(&self, os: Os) -> &'static str {
        match os {
            Os::Linux => self.linux,
            Os::MacOs => self.macos.unwrap_or(self.linux),
            Os::Windows => self.windows.unwrap_or(self.linux),
        }
    }

    /// The fix for the OS this program runs on.
    pub fn here(&self) -> &'static str {
        self.for_os(Os::current())
    }
}
