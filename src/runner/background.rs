//! The background steps of a chapter (servers, `docker run` clients) kept running after they
//! became ready, and stopped together when the chapter is left, on quit or on a signal.

use std::time::Duration;

use super::{KILL_GRACE, StepHandle};

/// Owns running background steps; `stop_all` (also run on drop) stops every process group.
#[derive(Debug, Default)]
pub struct BackgroundSet {
    steps: Vec<(String, StepHandle)>,
}

impl BackgroundSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `handle` (the step `step_id`) until it is stopped.
    pub fn add(&mut self, step_id: impl Into<String>, handle: StepHandle) {
        self.steps.push((step_id.into(), handle));
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Ids of the steps whose process still runs.
    pub fn running(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|(_, handle)| handle.is_running())
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Stops every step (SIGTERM to each group at once, SIGKILL after the grace period) and
    /// waits until their output has ended. Returns the ids that were still running.
    pub fn stop_all(&mut self) -> Vec<String> {
        let stopped: Vec<String> = self.running().into_iter().map(str::to_owned).collect();
        for (_, handle) in &self.steps {
            handle.cancel();
        }
        for (_, handle) in &self.steps {
            handle.wait(KILL_GRACE + Duration::from_secs(1));
        }
        self.steps.clear();
        stopped
    }
}

impl Drop for BackgroundSet {
    fn drop(&mut self) {
        self.stop_all();
    }
}
