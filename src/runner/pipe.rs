//! Reading a command's output pipe without being held hostage by it: a process the command
//! started (`sleep 1000 &`, `setsid server &`) inherits the pipe and keeps it open after the
//! command itself has exited, so "read until EOF" could block for as long as that process
//! lives. Here the pipe is read on its own thread, and reading stops `DRAIN` after the
//! command's own exit even if the pipe is still open.

use std::io::Read;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::spawn::ExitStatus;

/// How long output is still read after the command exited while something holds its pipe.
pub(crate) const DRAIN: Duration = Duration::from_millis(300);

/// How often the command's exit is checked while output keeps coming.
const POLL: Duration = Duration::from_millis(50);

/// How the reading ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PumpEnd {
    pub status: ExitStatus,
}

/// Reads `reader` in `chunk`-sized pieces, giving each to `on_chunk` (owned: the caller
/// keeps it without copying it again), until the pipe ends, or until `DRAIN` after the
/// command exited.
pub(crate) fn pump(
    reader: &Arc<duct::ReaderHandle>,
    chunk: usize,
    mut on_chunk: impl FnMut(Vec<u8>),
) -> PumpEnd {
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(16);
    let pipe_reader = Arc::clone(reader);
    let spawned = std::thread::Builder::new()
        .name("step-pipe".into())
        .spawn(move || {
            let mut buf = vec![0u8; chunk];
            let mut source = &*pipe_reader;
            loop {
                match source.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        });
    if spawned.is_err() {
        return PumpEnd {
            status: ExitStatus::Unknown,
        };
    }
    let mut exited_at: Option<Instant> = None;
    let mut next_check = Instant::now() + POLL;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(bytes) => on_chunk(bytes),
            Err(RecvTimeoutError::Disconnected) => {
                return PumpEnd {
                    status: status_of(reader),
                };
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        if now < next_check {
            continue;
        }
        next_check = now + POLL;
        match exited_at {
            None if matches!(reader.try_wait(), Ok(Some(_))) => exited_at = Some(now),
            Some(at) if now.duration_since(at) >= DRAIN => {
                // What arrived meanwhile is kept; the reading thread ends when the pipe does.
                while let Ok(bytes) = rx.try_recv() {
                    on_chunk(bytes);
                }
                // Something the command started still holds the pipe: its caller stops it.
                return PumpEnd {
                    status: status_of(reader),
                };
            }
            _ => {}
        }
    }
}

fn status_of(reader: &duct::ReaderHandle) -> ExitStatus {
    match reader.try_wait() {
        Ok(Some(output)) => ExitStatus::from_std(&output.status),
        _ => ExitStatus::Unknown,
    }
}
