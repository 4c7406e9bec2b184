//! The live state of a step this session (running, handed the terminal, finished) and the
//! badge its outcome shows.

use std::time::Instant;

use crate::render::StepBadge;
use crate::runner::{Explanation, FailReason, StepOutcome, StepResult, Transcript};

/// Lines kept per step transcript (older lines are dropped and counted).
pub const TRANSCRIPT_MAX_LINES: usize = 5_000;
/// What a running or finished step is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Running {
        started: Instant,
    },
    /// An `interactive` step owns the real terminal.
    Interactive {
        started: Instant,
    },
    Finished(StepOutcome),
}

/// The live state of one step of this session.
#[derive(Debug, Clone)]
pub struct LiveStep {
    pub phase: Phase,
    pub transcript: Transcript,
    pub explanation: Option<&'static Explanation>,
    /// What the failure's message names (the port, the container…), when known.
    pub specifics: Option<String>,
    /// Output box folded to one row.
    pub folded: bool,
    /// Lines scrolled back from the tail of the output; 0 follows the tail.
    pub scroll_back: usize,
    pub background: bool,
    /// A background step reported ready (its server answers).
    pub ready: bool,
    pub cancelling: bool,
}

impl LiveStep {
    pub fn new(started: Instant, background: bool) -> Self {
        Self {
            phase: Phase::Running { started },
            transcript: Transcript::new(TRANSCRIPT_MAX_LINES),
            explanation: None,
            specifics: None,
            folded: false,
            scroll_back: 0,
            background,
            ready: false,
            cancelling: false,
        }
    }

    pub fn is_running(&self) -> bool {
        !matches!(self.phase, Phase::Finished(_))
    }

    /// A background step that became ready: it did its job whatever ended it.
    pub fn served(&self) -> bool {
        self.background && self.ready
    }

    pub fn outcome(&self) -> Option<&StepOutcome> {
        match &self.phase {
            Phase::Finished(outcome) => Some(outcome),
            _ => None,
        }
    }
}

pub fn badge_of(outcome: &StepOutcome) -> StepBadge {
    match &outcome.result {
        StepResult::Passed => StepBadge::Passed {
            duration: outcome.duration,
        },
        StepResult::Failed(reason) => StepBadge::Failed {
            summary: fail_summary(reason),
        },
        StepResult::Skipped(reason) => StepBadge::Skipped {
            reason: reason.clone(),
        },
    }
}

/// A few words on why a step failed, for its badge and the progress store (the runner's
/// wording, shared with headless `run`).
pub fn fail_summary(reason: &FailReason) -> String {
    reason.to_string()
}
