//! Short helper commands (a step's `check`, `ready` polling, chapter `cleanup`) run to the
//! end with a timeout in their own process group, and the verdict on a finished step.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::spawn::{ExitStatus, shell_command, spawn_reader};
use super::{CHECK_TIMEOUT, KILL_GRACE, StepSpec, Transcript, explain};
use crate::outcome::{FailReason, StepOutcome};

/// Lines of a helper command's output that are kept.
const HELPER_MAX_LINES: usize = 200;

/// How one cleanup command went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanupResult {
    pub command: String,
    /// Exit code; None when it could not start, timed out or was killed.
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub duration: Duration,
    /// Its output (plain text, last lines), or why it could not start.
    pub output: String,
}

impl CleanupResult {
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0)
    }
}

/// A helper command's end.
pub(crate) struct HelperEnd {
    pub status: ExitStatus,
    pub timed_out: bool,
    pub output: String,
}

/// Runs `script` to the end (or until `timeout`, then stops its whole group).
pub(crate) fn run_captured(
    script: &str,
    cwd: &Path,
    timeout: Duration,
) -> Result<HelperEnd, String> {
    let super::spawn::Spawned {
        reader,
        pgid,
        token,
    } = spawn_reader(shell_command(super::Shell::Sh, script, cwd, 80), script)
        .map_err(|err| err.to_string())?;
    let reader = std::sync::Arc::new(reader);
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let killer_reader = std::sync::Arc::clone(&reader);
    let killer_token = token.clone();
    let killer = std::thread::spawn(move || {
        if done_rx.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
            #[cfg(unix)]
            super::escaped::stop_all(&killer_token, pgid, KILL_GRACE, &mut || false);
            #[cfg(windows)]
            let _ = killer_reader.kill();
            drop(killer_reader);
            return true;
        }
        false
    });
    let mut transcript = Transcript::new(HELPER_MAX_LINES);
    // Bounded: a process the helper left behind holding the pipe does not block the caller.
    let end = super::pipe::pump(&reader, 8192, |bytes| transcript.push(&bytes));
    transcript.finish();
    let _ = done_tx.send(());
    let timed_out = killer.join().unwrap_or(false);
    // Whatever it left running is stopped, in or out of its process group.
    #[cfg(unix)]
    if !timed_out {
        super::escaped::stop_all(&token, pgid, KILL_GRACE, &mut || false);
    }
    let status = end.status;
    Ok(HelperEnd {
        status,
        timed_out,
        output: transcript.plain_text(),
    })
}

/// Runs each cleanup command in order (each with `timeout`); never fails, never stops early.
pub fn run_cleanup(commands: &[String], cwd: &Path, timeout: Duration) -> Vec<CleanupResult> {
    // A chapter folder the steps never created still has cleanups to run (containers, images).
    let cwd = if cwd.is_dir() { cwd } else { Path::new(".") };
    commands
        .iter()
        .map(|command| {
            let started = Instant::now();
            match run_captured(command, cwd, timeout) {
                Ok(captured) => CleanupResult {
                    command: command.clone(),
                    exit_code: if captured.timed_out {
                        None
                    } else {
                        captured.status.code()
                    },
                    timed_out: captured.timed_out,
                    duration: started.elapsed(),
                    output: captured.output,
                },
                Err(message) => CleanupResult {
                    command: command.clone(),
                    exit_code: None,
                    timed_out: false,
                    duration: started.elapsed(),
                    output: message,
                },
            }
        })
        .collect()
}

/// The verdict on a step whose output has ended.
pub(crate) fn evaluate(
    spec: &StepSpec,
    status: ExitStatus,
    stop: Option<FailReason>,
    was_ready: bool,
    started: Instant,
    transcript: &Transcript,
    expect_matched: Option<bool>,
) -> StepOutcome {
    let exit_code = status.code();
    let mut outcome = match verdict(spec, status, stop, was_ready, transcript, expect_matched) {
        None => StepOutcome::passed(started.elapsed(), exit_code),
        Some(reason) => StepOutcome::failed(reason, started.elapsed(), exit_code),
    };
    if !outcome.is_passed()
        && !matches!(
            outcome.result,
            super::StepResult::Failed(FailReason::Cancelled)
        )
    {
        let text = transcript.plain_text();
        outcome.explanation = explain::explain_failure(&text, exit_code);
        outcome.specifics = outcome
            .explanation
            .and_then(|explanation| super::specifics(explanation, &text));
    }
    outcome
}

fn verdict(
    spec: &StepSpec,
    status: ExitStatus,
    stop: Option<FailReason>,
    was_ready: bool,
    transcript: &Transcript,
    expect_matched: Option<bool>,
) -> Option<FailReason> {
    if spec.background.is_some() {
        // The process ended: either we stopped it, or it died by itself.
        return Some(match stop {
            Some(reason) => reason,
            None if was_ready => FailReason::BackgroundExited {
                exit_code: status.code(),
            },
            None => FailReason::BackgroundExited {
                exit_code: status.code(),
            },
        });
    }
    if let Some(reason) = stop {
        return Some(reason);
    }
    match status {
        ExitStatus::Code(code) if code != spec.exit => {
            return Some(FailReason::ExitCode {
                expected: spec.exit,
                got: code,
            });
        }
        ExitStatus::Signal(signal) => return Some(FailReason::Signal { signal }),
        _ => {}
    }
    if let Some(pattern) = &spec.expect {
        // Over all the output when the reader scanned it, else over the kept lines.
        let matched = expect_matched.unwrap_or_else(|| {
            regex::Regex::new(pattern)
                .map(|re| re.is_match(&transcript.plain_text()))
                .unwrap_or(false)
        });
        if !matched {
            return Some(FailReason::ExpectNotMatched {
                pattern: pattern.clone(),
            });
        }
    }
    if let Some(check) = &spec.check {
        return check_fails(check, &spec.cwd);
    }
    None
}

/// Runs a step's `check`; Some(reason) when it does not exit 0.
fn check_fails(check: &str, cwd: &Path) -> Option<FailReason> {
    match run_captured(check, cwd, CHECK_TIMEOUT) {
        Ok(captured) if !captured.timed_out && captured.status.code() == Some(0) => None,
        Ok(captured) => Some(FailReason::CheckFailed {
            command: check.to_owned(),
            exit_code: if captured.timed_out {
                None
            } else {
                captured.status.code()
            },
        }),
        Err(message) => Some(FailReason::Spawn(message)),
    }
}
