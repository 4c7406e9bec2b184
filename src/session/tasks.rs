//! The task operations both front ends call: find a task, run its check (a pass marks it
//! solved), reveal the next hint, view the solution, apply the solution (its file steps never
//! replace a file the learner changed unless told to), each recorded in the learner's
//! progress the same way from the TUI, `check` and `run`.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::lesson::model::{Chapter, Course, Hint, Step, StepKind};
use crate::progress::CourseProgress;
use crate::runner::{
    self, BackgroundSet, FailReason, FileWrite, RunEvent, StepIds, StepOutcome, StepResult,
    Transcript, Workspace,
};

use super::{Signals, step_spec};

/// Lines of a check's output kept to show the learner why it does not pass yet.
pub const CHECK_MAX_LINES: usize = 200;

/// A task of the course and where it is.
#[derive(Debug, Clone, Copy)]
pub struct TaskRef<'a> {
    pub chapter_index: usize,
    pub chapter: &'a Chapter,
    pub step: &'a Step,
}

impl<'a> TaskRef<'a> {
    pub fn id(&self) -> &'a str {
        &self.step.id
    }

    pub fn hints(&self) -> &'a [Hint] {
        self.step.task.as_ref().map_or(&[], |t| &t.hints)
    }

    pub fn solution(&self) -> &'a [Step] {
        self.step.task.as_ref().map_or(&[], |t| &t.solution)
    }

    /// What the task asks for: the paragraph of prose just before it (markdown as written),
    /// for front ends that show the task away from its chapter (`check`).
    pub fn goal(&self) -> Option<&'a str> {
        let before = self.chapter.markdown.get(..self.step.span.start)?;
        before
            .rsplit("\n\n")
            .map(str::trim)
            .find(|p| !p.is_empty())
            .filter(|p| !p.starts_with(['<', '`', '~', '#', '|']) && !p.ends_with("```"))
    }
}

/// Every task of the course, in course order.
pub fn all_tasks(course: &Course) -> Vec<TaskRef<'_>> {
    course
        .chapters
        .iter()
        .enumerate()
        .flat_map(|(chapter_index, chapter)| {
            chapter
                .steps
                .iter()
                .filter(|s| s.is_task())
                .map(move |step| TaskRef {
                    chapter_index,
                    chapter,
                    step,
                })
        })
        .collect()
}

/// The task with this id.
pub fn find_task<'a>(course: &'a Course, id: &str) -> Option<TaskRef<'a>> {
    all_tasks(course).into_iter().find(|t| t.id() == id)
}

/// The first task of `chapter` not solved yet, else of the chapters after it.
pub fn next_open_task<'a>(
    course: &'a Course,
    chapter: usize,
    progress: &CourseProgress,
) -> Option<TaskRef<'a>> {
    let open: Vec<TaskRef<'a>> = all_tasks(course)
        .into_iter()
        .filter(|t| !progress.task_solved(t.id()))
        .collect();
    open.iter()
        .find(|t| t.chapter_index >= chapter)
        .or(open.first())
        .copied()
}

/// What one run of a check said.
#[derive(Debug, Clone)]
pub struct CheckRun {
    pub outcome: StepOutcome,
    /// The check's output, plain text (SGR removed), its last [`CHECK_MAX_LINES`] lines.
    pub output: String,
}

impl CheckRun {
    pub fn passed(&self) -> bool {
        self.outcome.is_passed()
    }
}

/// Runs a command step to its end with its output captured (no terminal): a task's check, a
/// solution's command step. A signal (when given) cancels it.
pub fn run_captured(
    course: &Course,
    chapter: &Chapter,
    step: &Step,
    dir: &Path,
    signals: Option<&Signals>,
) -> CheckRun {
    run_captured_in(course, chapter, step, dir, signals, None)
}

/// [`run_captured`], keeping a background step that became ready in `background` (else it
/// is stopped once ready).
pub fn run_captured_in(
    course: &Course,
    chapter: &Chapter,
    step: &Step,
    dir: &Path,
    signals: Option<&Signals>,
    background: Option<&mut BackgroundSet>,
) -> CheckRun {
    let started = Instant::now();
    let spec = match step_spec(chapter, step, &[], dir, 100, CHECK_MAX_LINES) {
        Ok(spec) => spec,
        Err(err) => {
            let why = FailReason::Spawn(err.to_string());
            return CheckRun {
                outcome: StepOutcome::failed(why, Duration::ZERO, None),
                output: String::new(),
            };
        }
    };
    let ids = StepIds::new(&step.id, &course.id);
    let (tx, rx) = mpsc::channel();
    let handle = match runner::start_step(spec, &ids, move |event| {
        let _ = tx.send(event);
    }) {
        Ok(handle) => handle,
        Err(err) => {
            let why = FailReason::Spawn(err.to_string());
            return CheckRun {
                outcome: StepOutcome::failed(why, started.elapsed(), None),
                output: String::new(),
            };
        }
    };
    let mut transcript = Transcript::new(CHECK_MAX_LINES);
    let mut cancelled = false;
    let outcome = loop {
        if !cancelled && signals.is_some_and(Signals::stop_requested) {
            handle.cancel();
            cancelled = true;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(RunEvent::Output(bytes)) => transcript.push(&bytes),
            Ok(RunEvent::Ready) => {
                break StepOutcome::passed(started.elapsed(), None);
            }
            Ok(RunEvent::Finished(outcome)) => break outcome,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let why = FailReason::Spawn("the step's runner went away".into());
                break StepOutcome::failed(why, started.elapsed(), None);
            }
        }
    };
    if matches!(outcome.result, StepResult::Passed) && step.attrs.background {
        // Ready: it keeps running until the chapter ends (or now, with nowhere to keep it).
        match background {
            Some(set) => set.add(&step.id, handle),
            None => handle.cancel(),
        }
    }
    transcript.finish();
    CheckRun {
        outcome,
        output: transcript.plain_text(),
    }
}

/// Runs the task's check in its chapter's folder and records the result: a pass marks the
/// task solved.
pub fn run_check(
    course: &Course,
    task: TaskRef<'_>,
    workspace: &Workspace,
    progress: &mut CourseProgress,
    signals: Option<&Signals>,
) -> CheckRun {
    let run = match workspace.chapter_dir(task.chapter) {
        Ok(dir) => run_captured(course, task.chapter, task.step, &dir, signals),
        Err(err) => CheckRun {
            outcome: StepOutcome::failed(FailReason::Spawn(err.to_string()), Duration::ZERO, None),
            output: String::new(),
        },
    };
    record_check(progress, task.id(), &run.outcome);
    run
}

/// Records one run of a task's check (as the TUI does when its check finishes). A check
/// that was skipped or cancelled (Ctrl-C) said nothing about the task: not recorded.
pub fn record_check(progress: &mut CourseProgress, task_id: &str, outcome: &StepOutcome) {
    if matches!(outcome.result, StepResult::Skipped(_)) || !super::kept(outcome, false) {
        return;
    }
    progress.apply_check(task_id, super::step_run(outcome));
}

/// Reveals the next hint, records it, and returns it with its number (1-based); `None` when
/// every hint is already shown (or the task has none).
pub fn reveal_hint<'a>(
    task: TaskRef<'a>,
    progress: &mut CourseProgress,
) -> Option<(usize, &'a Hint)> {
    let hints = task.hints();
    let record = progress.task_mut(task.id());
    let shown = record.hints_revealed as usize;
    let hint = hints.get(shown)?;
    record.hints_revealed = (shown + 1) as u32;
    Some((shown + 1, hint))
}

/// The hints the learner has already revealed.
pub fn revealed_hints<'a>(task: TaskRef<'a>, progress: &CourseProgress) -> &'a [Hint] {
    let shown = progress.task(task.id()).map_or(0, |t| t.hints_revealed) as usize;
    &task.hints()[..shown.min(task.hints().len())]
}

/// Records that the learner looked at the solution.
pub fn view_solution(task: TaskRef<'_>, progress: &mut CourseProgress) {
    progress.task_mut(task.id()).solution_viewed = true;
}

/// What applying one solution step did.
#[derive(Debug)]
pub enum Applied {
    /// A file step wrote (or found unchanged) this workspace path.
    File { path: String, written: FileWrite },
    /// A file step found the learner's own version and left it (`overwrite` was false).
    Kept { path: String },
    /// A command step ran.
    Command { step_id: String, run: CheckRun },
}

/// Applies the task's solution in order: file steps write into the workspace (a file the
/// learner changed is replaced only with `overwrite`), command steps run captured in the
/// chapter's folder. Stops at the first command that fails. Records the solution as applied.
pub fn apply_solution(
    course: &Course,
    task: TaskRef<'_>,
    workspace: &Workspace,
    overwrite: bool,
    progress: &mut CourseProgress,
    signals: Option<&Signals>,
) -> Result<Vec<Applied>, String> {
    let dir = workspace
        .chapter_dir(task.chapter)
        .map_err(|e| e.to_string())?;
    progress.task_mut(task.id()).solution_applied = true;
    let mut done = Vec::new();
    for step in task.solution() {
        if signals.is_some_and(Signals::stop_requested) {
            return Err("stopped by a signal".into());
        }
        match &step.kind {
            StepKind::File { path } => {
                let written = runner::write_file_step(&workspace.root, path, &step.code, overwrite)
                    .map_err(|e| e.to_string())?;
                done.push(match written {
                    FileWrite::Differs(_) => Applied::Kept { path: path.clone() },
                    written => Applied::File {
                        path: path.clone(),
                        written,
                    },
                });
            }
            StepKind::Command { .. } => {
                let run = run_captured(course, task.chapter, step, &dir, signals);
                let failed = !run.passed();
                done.push(Applied::Command {
                    step_id: step.id.clone(),
                    run,
                });
                if failed {
                    break;
                }
            }
        }
    }
    Ok(done)
}

/// Whether every step of an applied solution did its part.
pub fn all_applied(applied: &[Applied]) -> bool {
    applied.iter().all(|a| match a {
        Applied::File { .. } => true,
        Applied::Kept { .. } => false,
        Applied::Command { run, .. } => run.passed(),
    })
}
