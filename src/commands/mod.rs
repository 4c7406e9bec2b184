//! One file per CLI subcommand: thin glue over the modules above.

pub mod bundle;
pub mod class;
pub mod doctor;
pub mod lint;
pub mod list;
pub mod progress;
pub mod reset;
pub mod run;
pub mod show;

use std::process::ExitCode;

/// How a command ended when it did not break: exit 0, or exit 1 when what it checked failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The thing checked failed (lint errors, a failed step, a failed doctor check).
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
        }
    }
}
