//! What running a chapter means, written once for both front ends (the TUI's loop and
//! headless `run`, also `check` and `lint --deep`): the step's process spec (timeout, expect,
//! check, background readiness), the chapter's folder, its `requires`, its cleanup (one
//! timeout), the signals that stop a run, what progress records of a run, and the task
//! operations (run a check, reveal a hint, view or apply a solution).
//!
//! Below `tui` and `commands`, above `lesson`, `runner`, `doctor` and `progress`: it decides,
//! the front ends only show and ask.

pub mod deep;
mod record;
mod requires;
mod shell_state;
mod signals;
pub mod tasks;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use record::{Recorder, kept, step_run};
pub use requires::{
    CheckResult, RequirementNotHere, RequirementProblem, Requirements, Verdict, check_requirements,
    evaluate_requirements, judge,
};
pub use shell_state::{ShellState, display_path, shares_state, state_changers_before};
pub use signals::Signals;

use crate::lesson::model::{Chapter, Course, Ready, Step, StepKind};
use crate::runner::{self, CleanupResult, StepSpec, Workspace};

/// How long each of a chapter's cleanup commands may run, wherever cleanup happens: leaving a
/// chapter in the TUI, quitting it, the end of a chapter in `run`, and `reset`.
pub const CLEANUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a step has no process spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("not a command step")]
    NotACommand,
    /// Placeholders (as written, e.g. `<container-id>`) that have no value yet: such a command
    /// never reaches a shell, it would be wrong or worse.
    #[error("needs a value for {} first", .0.join(", "))]
    Placeholders(Vec<String>),
    /// A `bash` or `zsh` block where that shell is not installed: running it under `sh`
    /// instead would fail in confusing ways (`[[: not found`, `pushd: not found`).
    #[error(
        "this is a `{lang}` block and {program} is not installed: install {program} (e.g. `sudo apt install {program}` or `brew install {program}`), then run the step again"
    )]
    ShellMissing { lang: String, program: &'static str },
    /// runme's `cwd` names a folder the chapter's folder does not have (yet).
    #[error(
        "this step runs in `{0}` (its `cwd`), which is not in the chapter's folder yet: run the steps that create it first"
    )]
    NoFolder(String),
}

/// The process spec of a command step, its placeholders filled from `values` (name, value).
/// `columns` is the width the command is told; `max_lines` the output kept to judge it.
pub fn step_spec(
    chapter: &Chapter,
    step: &Step,
    values: &[(String, String)],
    dir: &Path,
    columns: u16,
    max_lines: usize,
) -> Result<StepSpec, SpecError> {
    if !matches!(step.kind, StepKind::Command { .. }) {
        return Err(SpecError::NotACommand);
    }
    let script = step.script_with(values).map_err(|missing| {
        SpecError::Placeholders(missing.iter().map(|p| p.written.clone()).collect())
    })?;
    let shell = runner::Shell::for_lang(&step.lang);
    if cfg!(unix) && shell != runner::Shell::Sh && !runner::shell_found(shell, None) {
        return Err(SpecError::ShellMissing {
            lang: step.lang.clone(),
            program: shell.program(),
        });
    }
    let background = step.attrs.background.then(|| {
        // Without a probe, a background step counts as started while it runs.
        step.attrs
            .ready
            .clone()
            .unwrap_or(Ready::Command("true".into()))
    });
    let cwd = match &step.attrs.cwd {
        Some(sub) if !dir.join(sub).is_dir() => return Err(SpecError::NoFolder(sub.clone())),
        Some(sub) => dir.join(sub),
        None => dir.to_path_buf(),
    };
    Ok(StepSpec {
        script,
        shell,
        env: Vec::new(),
        capture_shell: false,
        cwd,
        timeout: chapter.step_timeout(step),
        exit: step.attrs.exit,
        expect: step.attrs.expect.clone(),
        check: step.attrs.check.clone(),
        background,
        columns,
        max_lines,
    })
}

/// [`step_spec`] for a step that starts from the chapter's shell `state` (the folder and
/// variables earlier steps left, unless the step or chapter is `isolated`), with a note to
/// show when the carried folder is gone. Give the step's `StepOutcome::shell_end` to
/// [`ShellState::absorb`] afterwards.
#[allow(clippy::too_many_arguments)]
pub fn step_spec_in_state(
    chapter: &Chapter,
    step: &Step,
    values: &[(String, String)],
    dir: &Path,
    state: &mut ShellState,
    columns: u16,
    max_lines: usize,
) -> Result<(StepSpec, Option<String>), SpecError> {
    let mut spec = step_spec(chapter, step, values, dir, columns, max_lines)?;
    let note = state.apply(chapter, step, &mut spec);
    Ok((spec, note))
}

/// The folder a chapter's steps run in (created); the workspace root for no chapter.
pub fn chapter_dir(
    workspace: &Workspace,
    course: &Course,
    chapter: usize,
) -> Result<PathBuf, String> {
    match course.chapters.get(chapter) {
        Some(ch) => workspace.chapter_dir(ch).map_err(|e| e.to_string()),
        None => Ok(workspace.root.clone()),
    }
}

/// Runs cleanup commands in `dir`, each bounded by [`CLEANUP_TIMEOUT`].
pub fn run_cleanup(commands: &[String], dir: &Path) -> Vec<CleanupResult> {
    runner::run_cleanup(commands, dir, CLEANUP_TIMEOUT)
}

/// A chapter's cleanup commands and where they run, ready to go to another thread.
pub struct CleanupJob {
    commands: Vec<String>,
    dir: PathBuf,
}

impl CleanupJob {
    /// The chapter's cleanup, if it has one.
    pub fn of(course: &Course, workspace: &Workspace, chapter: usize) -> Option<CleanupJob> {
        let ch = course
            .chapters
            .get(chapter)
            .filter(|c| !c.front.cleanup.is_empty())?;
        let dir =
            chapter_dir(workspace, course, chapter).unwrap_or_else(|_| workspace.root.clone());
        Some(CleanupJob {
            commands: ch.front.cleanup.clone(),
            dir,
        })
    }

    /// Runs the commands; returns those that failed.
    pub fn run(&self) -> Vec<String> {
        run_cleanup(&self.commands, &self.dir)
            .into_iter()
            .filter(|r| !r.succeeded())
            .map(|r| r.command)
            .collect()
    }
}

#[cfg(test)]
mod tasks_tests;
