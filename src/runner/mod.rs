//! Processes only: spawn a step's script in its own process group, stream and sanitize its
//! output, cancel, time out, wait for background servers, run cleanups, prepare the
//! workspace, and explain known Docker failures. No ratatui, no terminal control.
//!
//! Life of a step: `start(spec, sink)` returns a `StepHandle` at once; the sink receives
//! `RunEvent::Output` chunks as they arrive, then `RunEvent::Finished`. A background step
//! sends `RunEvent::Ready` when its `ready` probe holds (the step has passed; output keeps
//! coming) or `Finished(failed)` if it exits or is not ready in time; a later `Finished`
//! reports how the server ended (after `StepHandle::cancel`: `Cancelled`).

mod background;
mod capture;
mod cleanup;
mod containers;
#[cfg(all(test, target_os = "linux"))]
mod escape_tests;
mod escaped;
mod expect;
pub mod explain;
mod export_dump;
mod files;
mod interactive;
mod pipe;
mod process;
mod ready;
pub mod sanitize;
mod shell;
mod spawn;
mod specifics;
pub mod transcript;
pub mod workspace;

use std::path::PathBuf;
use std::time::Duration;

pub use crate::outcome::{FailReason, StepOutcome, StepResult};
pub use background::BackgroundSet;
pub use capture::{Captured, capture};
pub use cleanup::{CleanupResult, run_cleanup};
pub use escaped::RUN_ENV;
#[cfg(target_os = "linux")]
pub use escaped::proc_processes;
pub use explain::{Explanation, Fix, explain, explain_failure};
pub use files::{FileWrite, resolve_in_workspace, write_file_step};
pub use interactive::{run_interactive, run_interactive_step};
pub use process::{StepHandle, start, start_step};
pub use shell::{Shell, ShellEnd, quote as shell_quote, shell_found};
pub use specifics::specifics;
pub use transcript::{DEFAULT_MAX_LINES, Transcript};
pub use workspace::{Workspace, workspace_for};

pub use crate::lesson::model::Ready;

/// Grace period between SIGTERM and SIGKILL when a step is stopped.
pub const KILL_GRACE: Duration = Duration::from_secs(2);
/// Set on every step process: the step's id. Steps may read it; `reset` finds leftovers by it.
pub const STEP_ENV: &str = "DOCKER_GUIDE_STEP";
/// Set on every step process: the course's id.
pub const COURSE_ENV: &str = "DOCKER_GUIDE_COURSE";
/// How long a `check` command may run.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error("cannot start `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot create the workspace {}: {source}", path.display())]
    Workspace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no data directory found for the workspace (set XDG_DATA_HOME or use --workspace)")]
    NoDataDir,
    #[error("`{path}` is outside the workspace")]
    PathEscapes { path: String },
    #[error(
        "`{path}` goes through the symlink {} → {}, which leads out of the workspace: nothing is written or deleted through it (remove the link if you did not make it)",
        link.display(), target.display()
    )]
    SymlinkEscapes {
        path: String,
        link: PathBuf,
        target: PathBuf,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Everything needed to run one command step.
#[derive(Debug, Clone)]
pub struct StepSpec {
    /// Run with `SHELL -c` (PowerShell on Windows).
    pub script: String,
    /// The interpreter (`sh`, `bash`, `zsh`; ignored on Windows).
    pub shell: Shell,
    /// Changes to the inherited environment: set (`Some`) or removed (`None`), applied in order
    /// after the runner's own variables.
    pub env: Vec<(String, Option<String>)>,
    /// Read back where the shell ended and the exported variables it changed
    /// ([`StepOutcome::shell_end`]); not for background steps.
    pub capture_shell: bool,
    pub cwd: PathBuf,
    /// For a foreground step, how long it may run; for a background step, how long it has to
    /// become ready.
    pub timeout: Duration,
    /// Expected exit code.
    pub exit: i32,
    /// Regex the plain (SGR-free) output must match.
    pub expect: Option<String>,
    /// Command that must exit 0 after the step.
    pub check: Option<String>,
    /// Set for background steps: what must hold for the step to count as started.
    pub background: Option<Ready>,
    /// `COLUMNS` given to the command.
    pub columns: u16,
    /// Lines the runner keeps to match `expect` and explain failures.
    pub max_lines: usize,
}

/// Which step of which course a process runs for: set on it as `DOCKER_GUIDE_STEP` and
/// `DOCKER_GUIDE_COURSE` (empty when unknown: the marker is on every step either way).
/// Given beside a [`StepSpec`] (`start_step`, `run_interactive_step`) so that code building
/// `StepSpec` literals keeps compiling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepIds {
    pub step: String,
    pub course: String,
}

impl StepIds {
    pub fn new(step: impl Into<String>, course: impl Into<String>) -> Self {
        StepIds {
            step: step.into(),
            course: course.into(),
        }
    }

    /// The variables that mark a process as a docker-guide step; `reset` finds steps left
    /// over after a crash by `STEP_ENV`.
    pub fn env(&self) -> [(&'static str, &str); 2] {
        [(STEP_ENV, &self.step), (COURSE_ENV, &self.course)]
    }
}

impl StepSpec {
    /// A foreground step with the defaults (exit 0, no expect/check, 80 columns).
    pub fn new(script: impl Into<String>, cwd: impl Into<PathBuf>, timeout: Duration) -> Self {
        StepSpec {
            script: script.into(),
            shell: Shell::Sh,
            env: Vec::new(),
            capture_shell: false,
            cwd: cwd.into(),
            timeout,
            exit: 0,
            expect: None,
            check: None,
            background: None,
            columns: 80,
            max_lines: DEFAULT_MAX_LINES,
        }
    }
}

/// What the sink given to `start` receives, in order.
#[derive(Debug, Clone)]
pub enum RunEvent {
    /// Raw bytes as they arrived (stdout and stderr merged); feed them to a `Transcript`.
    Output(Vec<u8>),
    /// A background step is ready: it has passed and keeps running.
    Ready,
    Finished(StepOutcome),
}
