//! Bounds on streaming docker commands: a watchdog that kills a child showing no activity for
//! too long, the reader/writer wrappers that report activity, and pipe drains.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdout};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::BundleError;
use super::docker::failed;

/// Kept from a failing command's stderr.
const STDERR_TAIL: usize = 4096;

pub(super) fn read_all(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut out);
        }
        out
    })
}

/// Reads a pipe to its end, keeping only the last few KiB (stderr of long commands).
pub(super) fn read_tail(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut tail = Vec::new();
        let Some(mut pipe) = pipe else { return tail };
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
        tail
    })
}

/// Kills a child that shows no activity for `stall` and reports it as a timeout.
pub(super) struct Watchdog {
    child: Arc<Mutex<Child>>,
    last: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
    killed: Arc<AtomicBool>,
    started: Instant,
    stall: Duration,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    pub fn start(child: Child, stall: Duration) -> Watchdog {
        let child = Arc::new(Mutex::new(child));
        let (last, done, killed) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let started = Instant::now();
        let thread = {
            let (child, last, done, killed) =
                (child.clone(), last.clone(), done.clone(), killed.clone());
            thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(50));
                    let idle = started
                        .elapsed()
                        .saturating_sub(Duration::from_millis(last.load(Ordering::Relaxed)));
                    if idle >= stall && !done.load(Ordering::Relaxed) {
                        killed.store(true, Ordering::Relaxed);
                        let _ = child.lock().map(|mut c| c.kill());
                        return;
                    }
                }
            })
        };
        Watchdog {
            child,
            last,
            done,
            killed,
            started,
            stall,
            thread: Some(thread),
        }
    }

    pub fn kill(&self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
        }
    }

    pub fn activity(&self) {
        self.last
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Waits for the child; a timeout, a kill or a non-zero exit becomes an error.
    pub fn finish(mut self, command: &str, stderr: JoinHandle<Vec<u8>>) -> Result<(), BundleError> {
        // Wait without holding the lock, so the watchdog can still kill a child that hangs.
        let status = loop {
            let polled = self
                .child
                .lock()
                .map_err(|_| BundleError::Stream("poisoned".into()))?
                .try_wait();
            match polled.map_err(BundleError::Spawn)? {
                Some(status) => break status,
                None => thread::sleep(Duration::from_millis(10)),
            }
        };
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let stderr = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
        if self.killed.load(Ordering::Relaxed) {
            return Err(BundleError::Timeout {
                command: command.to_owned(),
                secs: self.stall.as_secs(),
            });
        }
        if !status.success() {
            return Err(failed(command, status.code(), &stderr));
        }
        Ok(())
    }
}

impl Drop for Watchdog {
    // On an early return the child must not outlive us.
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.done.store(true, Ordering::Relaxed);
            if let Ok(mut child) = self.child.lock() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

pub(super) struct ActivityReader<'a> {
    pub inner: ChildStdout,
    pub watch: &'a Watchdog,
}

impl Read for ActivityReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.watch.activity();
        Ok(n)
    }
}

pub(super) struct ActivityWriter<'a, W: Write> {
    pub inner: W,
    pub watch: &'a Watchdog,
}

impl<W: Write> Write for ActivityWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.watch.activity();
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
