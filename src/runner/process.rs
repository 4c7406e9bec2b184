//! Spawning a step: `sh -c SCRIPT` (PowerShell on Windows) in its own process group with
//! stdout and stderr merged, a reader thread streaming chunks to the sink, and a watchdog
//! that stops the whole group (SIGTERM, then SIGKILL after `KILL_GRACE`) on cancel or timeout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::expect::ExpectScan;
use super::spawn::{Spawned, shell_command, spawn_reader};
use super::{RunEvent, RunnerError, StepIds, StepSpec, Transcript, ready};
use crate::outcome::FailReason;

/// Bytes read at once: a full pipe buffer, so fast output costs few reads and events.
const READ_CHUNK: usize = 64 * 1024;

pub(crate) type SharedSink = Arc<Mutex<dyn FnMut(RunEvent) + Send>>;

/// A running (or finished) step. Dropping it while the step runs stops the step.
#[derive(Debug)]
pub struct StepHandle {
    control: Sender<ControlMessage>,
    shared: Arc<Shared>,
    pgid: i32,
}

pub(crate) enum ControlMessage {
    Stop(FailReason),
    Done,
}

use ControlMessage as Control;

#[derive(Debug, Default)]
pub(crate) struct Shared {
    running: AtomicBool,
    pub(crate) ready: AtomicBool,
    stop_reason: Mutex<Option<FailReason>>,
    finished: Mutex<bool>,
    finished_cv: Condvar,
    /// What the learner is told after the output: escaped processes, stopped containers.
    notes: Mutex<Vec<String>>,
}

impl Shared {
    pub(crate) fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }
}

impl StepHandle {
    /// Stops the step: SIGTERM to its process group, SIGKILL after the grace period. The sink
    /// then receives `Finished` with `Cancelled` (for a ready background step too).
    pub fn cancel(&self) {
        let _ = self.control.send(Control::Stop(FailReason::Cancelled));
    }

    pub fn is_running(&self) -> bool {
        self.shared.running.load(Ordering::Acquire)
    }

    /// The process group id (= the pid of the shell).
    pub fn pgid(&self) -> i32 {
        self.pgid
    }

    /// Waits until the step's output has ended and its outcome was sent; false on timeout.
    pub fn wait(&self, timeout: Duration) -> bool {
        let guard = self
            .shared
            .finished
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .shared
            .finished_cv
            .wait_timeout_while(guard, timeout, |finished| !*finished)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }
}

impl Drop for StepHandle {
    fn drop(&mut self) {
        if self.is_running() {
            self.cancel();
        }
    }
}

/// Starts a step and returns at once; events go to `sink` from the runner's threads. The
/// process carries the step marker with empty ids; [`start_step`] fills them in.
pub fn start(
    spec: StepSpec,
    sink: impl FnMut(RunEvent) + Send + 'static,
) -> Result<StepHandle, RunnerError> {
    start_step(spec, &StepIds::default(), sink)
}

/// The script to run, wrapped to capture where its shell ends when the step asks for that
/// (`capture_shell`), with the capture to read afterwards. Without a private folder the step
/// still runs; it only cannot pass its state on.
pub(super) fn script_capturing_shell(spec: &StepSpec) -> (Option<super::shell::Capture>, String) {
    let capture = spec
        .capture_shell
        .then(super::shell::Capture::new)
        .and_then(Result::ok);
    let script = match &capture {
        Some(capture) => capture.wrap(spec.shell, &spec.script),
        None => spec.script.clone(),
    };
    (capture, script)
}

/// [`start`], with the step's and course's ids in the process's environment.
pub fn start_step(
    spec: StepSpec,
    ids: &StepIds,
    sink: impl FnMut(RunEvent) + Send + 'static,
) -> Result<StepHandle, RunnerError> {
    let started = Instant::now();
    let (capture, script) = script_capturing_shell(&spec);
    let command = super::shell::with_env(
        shell_command(spec.shell, &script, &spec.cwd, spec.columns),
        &spec.env,
        ids,
    );
    let Spawned {
        reader,
        pgid,
        token,
    } = spawn_reader(command, &spec.script)?;
    let reader = Arc::new(reader);
    let sink: SharedSink = Arc::new(Mutex::new(sink));
    let shared = Arc::new(Shared {
        running: AtomicBool::new(true),
        ..Shared::default()
    });
    let (control, control_rx) = mpsc::channel();

    // Watchdog: the only place that kills on cancel or timeout. A foreground step's timeout is
    // enforced here; a background step's readiness deadline by the ready poller (via Stop).
    let deadline = spec.background.is_none().then(|| started + spec.timeout);
    let timeout = spec.timeout;
    let watchdog_shared = Arc::clone(&shared);
    let watchdog_reader = Arc::clone(&reader);
    let watchdog_token = token.clone();
    let watchdog = std::thread::Builder::new()
        .name("step-watchdog".into())
        .spawn(move || {
            let first = match deadline {
                Some(deadline) => {
                    control_rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                }
                None => control_rx
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
            };
            let reason = match first {
                Ok(Control::Stop(reason)) => reason,
                Err(RecvTimeoutError::Timeout) => FailReason::TimedOut { after: timeout },
                Ok(Control::Done) | Err(RecvTimeoutError::Disconnected) => return,
            };
            watchdog_shared
                .stop_reason
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(reason);
            #[cfg(unix)]
            {
                // A second Stop during the grace period means "now": kill at once.
                let notes = super::escaped::stop_step(&watchdog_token, pgid, &mut || {
                    matches!(control_rx.try_recv(), Ok(Control::Stop(_)))
                });
                (watchdog_shared
                    .notes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()))
                .extend(notes);
            }
            #[cfg(windows)]
            let _ = watchdog_reader.kill();
            #[cfg(unix)]
            drop(watchdog_reader);
        })
        .map_err(|source| RunnerError::Spawn {
            command: spec.script.clone(),
            source,
        })?;

    if let Some(ready) = spec.background.clone() {
        ready::spawn_poller(
            ready,
            &spec,
            started,
            Arc::clone(&shared),
            Arc::clone(&sink),
            control.clone(),
        );
    }

    let reader_shared = Arc::clone(&shared);
    let done = control.clone();
    std::thread::Builder::new()
        .name("step-reader".into())
        .spawn(move || {
            let mut tail = RawTail::new(spec.max_lines, spec.expect.as_deref());
            let end = super::pipe::pump(&reader, READ_CHUNK, |bytes| {
                tail.push(bytes.clone());
                (sink.lock().unwrap_or_else(|e| e.into_inner()))(RunEvent::Output(bytes));
            });
            let (transcript, expect_matched) = tail.into_transcript(spec.max_lines);
            reader_shared.running.store(false, Ordering::Release);
            let _ = done.send(Control::Done);
            // A stop in progress finishes first (processes, then containers).
            let _ = watchdog.join();
            let stop = reader_shared
                .stop_reason
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let mut notes = std::mem::take(
                &mut *reader_shared
                    .notes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()),
            );
            #[cfg(unix)]
            if stop.is_none() {
                // What the step left running (`cmd &`, `setsid cmd &`, output redirected or
                // holding the pipe): stopped and named, never left behind.
                let left = super::escaped::stop_left(&token, pgid, started.elapsed());
                notes.extend(super::escaped::note(&left, pgid, true));
            }
            for note in notes {
                (sink.lock().unwrap_or_else(|e| e.into_inner()))(RunEvent::Output(
                    note.into_bytes(),
                ));
            }
            let ready = reader_shared.ready.load(Ordering::Acquire);
            let mut outcome = super::cleanup::evaluate(
                &spec,
                end.status,
                stop,
                ready,
                started,
                &transcript,
                expect_matched,
            );
            outcome.shell_end = capture.as_ref().and_then(|c| c.read(&spec.cwd));
            drop(capture);
            (sink.lock().unwrap_or_else(|e| e.into_inner()))(RunEvent::Finished(outcome));
            *reader_shared
                .finished
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = true;
            reader_shared.finished_cv.notify_all();
        })
        .map_err(|source| RunnerError::Spawn {
            command: "reader thread".into(),
            source,
        })?;

    Ok(StepHandle {
        control,
        shared,
        pgid,
    })
}

/// The last raw output bytes of a step, kept whole-chunk. Sanitizing happens once at the end
/// (for `expect` and explanations) instead of on every chunk: the sink's owner sanitizes
/// what it shows anyway, and this keeps the reader thread nearly free.
struct RawTail {
    chunks: std::collections::VecDeque<Vec<u8>>,
    bytes: usize,
    cap: usize,
    /// `expect`, matched over output as it falls out of the tail.
    expect: Option<ExpectScan>,
}

/// Raw bytes kept per step: enough for `max_lines` lines of 256 bytes, at least 4 MiB.
fn raw_tail_cap(max_lines: usize) -> usize {
    (max_lines.saturating_mul(256)).max(4 << 20)
}

impl RawTail {
    fn new(max_lines: usize, expect: Option<&str>) -> Self {
        RawTail {
            chunks: std::collections::VecDeque::new(),
            bytes: 0,
            cap: raw_tail_cap(max_lines),
            expect: ExpectScan::new(expect),
        }
    }

    fn push(&mut self, chunk: Vec<u8>) {
        self.bytes += chunk.len();
        self.chunks.push_back(chunk);
        while self.bytes - self.chunks.front().map_or(0, Vec::len) >= self.cap {
            let dropped = self.chunks.pop_front().unwrap_or_default();
            self.bytes -= dropped.len();
            if let Some(expect) = self.expect.as_mut() {
                expect.scan_dropped(&dropped);
            }
        }
    }

    /// The transcript shown (last `max_lines` lines) and, with `expect`, whether it matched
    /// anywhere in the output.
    fn into_transcript(self, max_lines: usize) -> (Transcript, Option<bool>) {
        let mut transcript = Transcript::new(max_lines);
        for chunk in &self.chunks {
            transcript.push(chunk);
        }
        transcript.finish();
        let matched = self
            .expect
            .as_ref()
            .map(|e| e.matched(&transcript, self.chunks.iter().map(Vec::as_slice)));
        (transcript, matched)
    }
}

#[cfg(all(test, unix))]
#[path = "process_tests.rs"]
mod tests;

#[cfg(all(test, unix))]
#[path = "process_background_tests.rs"]
mod background_tests;
