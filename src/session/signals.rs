//! Ctrl-C, SIGTERM and SIGHUP while chapters run, for both front ends: they only set flags
//! (signal-hook); the caller then stops the running step's process group, the background
//! steps, and runs the cleanups. In the TUI's raw mode Ctrl-C is a key, so SIGINT there comes
//! from outside.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Signals {
    /// Ctrl-C. Cleared after an interactive step, which owns Ctrl-C while it runs.
    interrupt: Arc<AtomicBool>,
    /// SIGTERM or SIGHUP: always stops.
    terminate: Arc<AtomicBool>,
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let interrupt = Arc::new(AtomicBool::new(false));
        let terminate = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let ids = vec![
                signal_hook::flag::register(SIGINT, Arc::clone(&interrupt))?,
                signal_hook::flag::register(SIGTERM, Arc::clone(&terminate))?,
                signal_hook::flag::register(SIGHUP, Arc::clone(&terminate))?,
            ];
            Ok(Signals {
                interrupt,
                terminate,
                ids,
            })
        }
        #[cfg(not(unix))]
        {
            signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&interrupt))?;
            Ok(Signals {
                interrupt,
                terminate,
            })
        }
    }

    /// A signal asked to stop.
    pub fn stop_requested(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed) || self.terminate.load(Ordering::Relaxed)
    }

    /// Ctrl-C typed while an interactive step had the terminal was meant for that step.
    pub fn forget_interrupt(&self) {
        self.interrupt.store(false, Ordering::Relaxed);
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
