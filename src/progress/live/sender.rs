//! The thread that empties the queue: woken when events are queued, retrying with a growing
//! pause while the class cannot be reached, and telling how the link is (the TUI shows it).
//! Nothing the learner does waits on the network.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::client::{self, SendError};
use super::queue::LiveFiles;

/// How the link to the class is, as last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkStatus {
    /// Nothing sent yet.
    Starting,
    /// Everything queued was delivered.
    Connected,
    /// Events wait (`queued`) because the last try failed; retried automatically.
    Offline { queued: usize, reason: String },
    /// The class refused (a wrong code, a server that ended): retrying will not help.
    Refused { reason: String },
    /// The learner left the class (`class leave`): nothing is sent any more.
    Left,
}

impl LinkStatus {
    /// A few words for a status bar.
    pub fn short(&self) -> String {
        match self {
            LinkStatus::Starting => "class: connecting".into(),
            LinkStatus::Connected => "class: connected".into(),
            LinkStatus::Offline { queued, .. } => format!("class: offline, {queued} queued"),
            LinkStatus::Refused { .. } => "class: refused".into(),
            LinkStatus::Left => "class: left".into(),
        }
    }
}

/// The link's status as the sender thread updates it (the TUI reads it at each frame).
#[derive(Debug, Clone)]
pub struct SharedStatus(Arc<Mutex<LinkStatus>>);

impl SharedStatus {
    pub fn get(&self) -> LinkStatus {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

enum Wake {
    Flush,
    Stop,
}

pub struct LiveSender {
    wake: Sender<Wake>,
    status: Arc<Mutex<LinkStatus>>,
    handle: Option<JoinHandle<()>>,
    stopped: mpsc::Receiver<()>,
}

/// The pause before retrying after `failures` failed tries in a row: 1 s doubling to 30 s.
fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.min(5)).min(Duration::from_secs(30))
}

impl LiveSender {
    pub fn spawn(files: LiveFiles) -> LiveSender {
        let (wake, woken) = mpsc::channel();
        let (stopped_tx, stopped) = mpsc::channel();
        let status = Arc::new(Mutex::new(LinkStatus::Starting));
        let shared = Arc::clone(&status);
        let handle = std::thread::Builder::new()
            .name("class-sender".into())
            .spawn(move || {
                let _stopped = stopped_tx;
                let mut failures = 0u32;
                let mut next_try: Option<Instant> = Some(Instant::now());
                let mut stopping = false;
                loop {
                    let wait = next_try.map(|at| at.saturating_duration_since(Instant::now()));
                    let wake = match wait {
                        Some(d) if d.is_zero() => Ok(Wake::Flush),
                        Some(d) => woken.recv_timeout(d),
                        None => woken.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    };
                    match wake {
                        Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => stopping = true,
                        Ok(Wake::Flush) | Err(RecvTimeoutError::Timeout) => {}
                    }
                    let result = client::flush(&files);
                    let status = match &result {
                        Ok(flushed) => {
                            failures = 0;
                            next_try = None;
                            if flushed.joined {
                                LinkStatus::Connected
                            } else {
                                LinkStatus::Left
                            }
                        }
                        Err(err) if err.is_transient() => {
                            failures += 1;
                            let pause = match err {
                                SendError::Throttled(d) => *d,
                                _ => backoff(failures),
                            };
                            next_try = Some(Instant::now() + pause);
                            LinkStatus::Offline {
                                queued: files.queued().unwrap_or(0),
                                reason: err.to_string(),
                            }
                        }
                        Err(err) => {
                            // Kept queued: a `class join` with the right code sends it all.
                            next_try = None;
                            LinkStatus::Refused {
                                reason: err.to_string(),
                            }
                        }
                    };
                    *shared.lock().unwrap_or_else(|p| p.into_inner()) = status;
                    if stopping {
                        break;
                    }
                }
            })
            .expect("spawn the class sender thread");
        LiveSender {
            wake,
            status,
            handle: Some(handle),
            stopped,
        }
    }

    /// Sends what is queued now (on the sender's thread).
    pub fn nudge(&self) {
        let _ = self.wake.send(Wake::Flush);
    }

    pub fn status(&self) -> LinkStatus {
        self.shared_status().get()
    }

    pub fn shared_status(&self) -> SharedStatus {
        SharedStatus(Arc::clone(&self.status))
    }

    /// A last try to deliver the queue, waiting at most `wait`; what is not delivered stays
    /// queued for the next docker-guide to send.
    pub fn finish(&mut self, wait: Duration) {
        let _ = self.wake.send(Wake::Stop);
        if let Some(handle) = self.handle.take()
            && matches!(
                self.stopped.recv_timeout(wait),
                Err(RecvTimeoutError::Disconnected)
            )
        {
            let _ = handle.join();
        }
    }
}

impl Drop for LiveSender {
    fn drop(&mut self) {
        self.finish(Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_class_the_link_says_left() {
        let dir = tempfile::tempdir().unwrap();
        let files = LiveFiles::beside(&dir.path().join("progress.json"));
        let mut sender = LiveSender::spawn(files);
        let deadline = Instant::now() + Duration::from_secs(5);
        while sender.status() == LinkStatus::Starting && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(sender.status(), LinkStatus::Left);
        sender.finish(Duration::from_secs(5));
    }

    #[test]
    fn retries_back_off_up_to_half_a_minute() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(40), Duration::from_secs(30));
    }
}
