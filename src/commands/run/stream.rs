//! Streaming one step's output to stdout while it runs: a bounded channel from the runner
//! (a slow terminal pushes back on the step), buffered writes, cancel on a signal.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::printer::{Mode, OutputPrinter};
use crate::runner::{self, BackgroundSet, FailReason, RunEvent, StepIds, StepOutcome, StepSpec};
use crate::session::Signals;

/// Output chunks (up to 64 KiB each) that may wait for the printer.
const OUTPUT_BACKLOG: usize = 32;

/// Runs a step and streams its output until it finishes (or, in the background, is ready:
/// then its handle goes to `background`). A signal cancels the step (its whole group).
pub fn stream_step(
    spec: StepSpec,
    ids: &StepIds,
    background: &mut BackgroundSet,
    mode: Mode,
    signals: &Signals,
) -> StepOutcome {
    let started = Instant::now();
    // Bounded: a slow terminal pushes back on the step instead of buffering its output.
    let (tx, rx) = mpsc::sync_channel(OUTPUT_BACKLOG);
    let handle = match runner::start_step(spec, ids, move |event| {
        let _ = tx.send(event);
    }) {
        Ok(handle) => handle,
        Err(err) => {
            return StepOutcome::failed(
                FailReason::Spawn(err.to_string()),
                started.elapsed(),
                None,
            );
        }
    };
    let stdout = std::io::stdout();
    // Buffered: when output outruns us, the chunks waiting in the channel go out in one write.
    let mut printer = OutputPrinter::new(
        std::io::BufWriter::with_capacity(1 << 16, stdout.lock()),
        mode,
    );
    let mut cancelled = false;
    let mut pending = None;
    let outcome = loop {
        if !cancelled && signals.stop_requested() {
            handle.cancel();
            cancelled = true;
        }
        let next = match pending.take() {
            Some(event) => Ok(event),
            None => rx.recv_timeout(Duration::from_millis(100)),
        };
        match next {
            Ok(RunEvent::Output(bytes)) => {
                printer.feed(&bytes);
                if let Some(event) = drain_output(&rx, &mut printer) {
                    pending = Some(event);
                }
                let _ = printer.flush();
            }
            Ok(RunEvent::Ready) => {
                background.add(&ids.step, handle);
                break StepOutcome::passed(started.elapsed(), None);
            }
            Ok(RunEvent::Finished(outcome)) => break outcome,
            Err(RecvTimeoutError::Timeout) => {
                let _ = printer.flush();
            }
            Err(RecvTimeoutError::Disconnected) => {
                break StepOutcome::failed(
                    FailReason::Spawn("the runner stopped".into()),
                    started.elapsed(),
                    None,
                );
            }
        }
    };
    let _ = printer.finish();
    outcome
}

/// Feeds the output chunks already waiting; returns the first other event, if any.
fn drain_output<W: Write>(
    rx: &mpsc::Receiver<RunEvent>,
    printer: &mut OutputPrinter<W>,
) -> Option<RunEvent> {
    while let Ok(event) = rx.try_recv() {
        match event {
            RunEvent::Output(bytes) => printer.feed(&bytes),
            other => return Some(other),
        }
    }
    None
}

/// Width given to commands as COLUMNS: the terminal's, else 100.
pub fn output_columns() -> u16 {
    crate::commands::output_style(false).width.unwrap_or(100)
}
