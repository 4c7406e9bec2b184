//! One thread turns terminal events and a clock into messages on the loop's channel. The
//! runner's sinks, the doctor and cleanups send into the same channel from their threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

use super::msg::Msg;

/// Spinner and elapsed-time cadence.
pub const TICK: Duration = Duration::from_millis(100);
/// How long a poll waits, which bounds how long `stop` takes.
const POLL: Duration = Duration::from_millis(25);
/// How long `stop` waits for the thread.
const STOP_WAIT: Duration = Duration::from_millis(250);

pub struct EventThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    /// Disconnects when the thread ends.
    ended: Receiver<()>,
}

impl EventThread {
    pub fn spawn(tx: Sender<Msg>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let (ended_tx, ended) = mpsc::channel::<()>();
        let handle = std::thread::Builder::new()
            .name("tui-events".into())
            .spawn(move || {
                let _ended = ended_tx;
                poll_loop(&tx, &flag);
            })
            .expect("spawn the terminal event thread");
        Self {
            stop,
            handle: Some(handle),
            ended,
        }
    }

    /// Stops reading the terminal (before an interactive step takes it over, and at exit).
    /// Waits at most `STOP_WAIT`: when the terminal hangs up, crossterm can spin inside `poll`
    /// on a tty that reads EOF and never return; the thread is then left to die with the process.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take()
            && matches!(
                self.ended.recv_timeout(STOP_WAIT),
                Err(RecvTimeoutError::Disconnected)
            )
        {
            let _ = handle.join();
        }
    }
}

impl Drop for EventThread {
    fn drop(&mut self) {
        self.stop();
    }
}

fn poll_loop(tx: &Sender<Msg>, stop: &AtomicBool) {
    let mut next_tick = Instant::now() + TICK;
    while !stop.load(Ordering::Relaxed) {
        let wait = POLL.min(next_tick.saturating_duration_since(Instant::now()));
        // A send fails only when the loop has ended: nothing left to do then.
        match event::poll(wait) {
            Ok(true) => {
                let msg = match event::read() {
                    Ok(Event::Key(key)) => Some(Msg::Key(key)),
                    Ok(Event::Mouse(mouse)) => Some(Msg::Mouse(mouse)),
                    Ok(Event::Resize(width, height)) => Some(Msg::Resize { width, height }),
                    Ok(_) => None,
                    Err(_) => return,
                };
                if let Some(msg) = msg
                    && tx.send(msg).is_err()
                {
                    return;
                }
            }
            Ok(false) => {}
            Err(_) => return,
        }
        let now = Instant::now();
        if now >= next_tick {
            next_tick = now + TICK;
            if tx.send(Msg::Tick(now)).is_err() {
                return;
            }
        }
    }
}
