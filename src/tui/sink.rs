//! The runner's sink for one step. Output chunks gather in a buffer shared with the loop, and
//! only the first chunk after the loop emptied it sends a message: a step spewing a million
//! lines puts one message in the channel per frame, never thousands ahead of the learner's keys.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use super::msg::Msg;
use crate::runner::RunEvent;

/// Output received from a step and not yet applied to the app.
pub type Pending = Arc<Mutex<Vec<u8>>>;

pub fn step_sink(
    step_id: String,
    tx: Sender<Msg>,
    pending: Pending,
) -> impl FnMut(RunEvent) + Send + 'static {
    move |event| match event {
        RunEvent::Output(chunk) => {
            let mut buffer = pending.lock().unwrap_or_else(PoisonError::into_inner);
            let wake = buffer.is_empty();
            buffer.extend_from_slice(&chunk);
            drop(buffer);
            // A failed send means the loop has ended: nothing to do.
            if wake {
                let _ = tx.send(Msg::OutputPending {
                    step_id: step_id.clone(),
                });
            }
        }
        // Sent after every wake-up for earlier output, so the loop applies that output first.
        other => {
            let _ = tx.send(Msg::StepEvent {
                step_id: step_id.clone(),
                event: other,
            });
        }
    }
}

/// Everything the step printed since the last call.
pub fn take(pending: &Pending) -> Vec<u8> {
    std::mem::take(&mut *pending.lock().unwrap_or_else(PoisonError::into_inner))
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::runner::StepOutcome;

    #[test]
    fn a_flood_of_output_wakes_the_loop_once_and_keeps_order() {
        let (tx, rx) = mpsc::channel();
        let pending = Pending::default();
        let mut sink = step_sink("s".into(), tx, pending.clone());
        for i in 0..10_000 {
            sink(RunEvent::Output(format!("line {i}\n").into_bytes()));
        }
        sink(RunEvent::Finished(StepOutcome::passed(
            Duration::ZERO,
            Some(0),
        )));
        let messages: Vec<Msg> = rx.try_iter().collect();
        assert_eq!(messages.len(), 2, "one wake-up, then Finished");
        assert!(matches!(&messages[0], Msg::OutputPending { step_id } if step_id == "s"));
        assert!(matches!(
            &messages[1],
            Msg::StepEvent {
                event: RunEvent::Finished(_),
                ..
            }
        ));
        let bytes = take(&pending);
        assert!(bytes.starts_with(b"line 0\n") && bytes.ends_with(b"line 9999\n"));
        assert!(take(&pending).is_empty());
    }
}
