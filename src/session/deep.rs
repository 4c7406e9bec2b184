//! `lint --deep`: proves each task can tell a solved state from an unsolved one. In a scratch
//! workspace it runs the course's chapters in order up to the last task (steps for real,
//! solutions of earlier tasks applied), and for each task requires its check to FAIL on the
//! state just before it, then applies the task's solution and requires the check to PASS.
//! Each chapter's background steps are stopped and its cleanup runs when it ends.

use std::path::Path;

use crate::lesson::model::{Course, Diagnostic, Severity, StepKind};
use crate::progress::CourseProgress;
use crate::runner::{self, BackgroundSet, Workspace};

use super::tasks::{self, Applied, CheckRun, TaskRef};
use super::{Signals, run_cleanup};

/// What the deep check tells its caller as it goes.
pub enum DeepNote<'a> {
    /// A chapter starts (0-based index).
    Chapter(usize),
    /// A step ran on the way (its id, and the failure reason when it failed).
    Step(&'a str, Option<String>),
    /// A task passed both tests.
    TaskOk(&'a str),
}

/// Runs the deep check; returns one error per broken task (and per step that failed on the
/// way, as a warning: later tasks may then be judged on a wrong state).
pub fn verify_tasks(
    course: &Course,
    workspace: &Workspace,
    signals: Option<&Signals>,
    note: &mut dyn FnMut(DeepNote<'_>),
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Some(last) = course
        .chapters
        .iter()
        .rposition(|c| c.steps.iter().any(|s| s.is_task()))
    else {
        return problems;
    };
    let stopped = || signals.is_some_and(Signals::stop_requested);
    for (chapter_index, chapter) in course.chapters[..=last].iter().enumerate() {
        if stopped() {
            break;
        }
        note(DeepNote::Chapter(chapter_index));
        let dir = match workspace.chapter_dir(chapter) {
            Ok(dir) => dir,
            Err(err) => {
                let pos = crate::lesson::model::SourcePos {
                    file: chapter.display_path.clone(),
                    line: 1,
                    column: 1,
                };
                problems.push(problem(&pos, Severity::Error, err.to_string()));
                continue;
            }
        };
        let mut background = BackgroundSet::new();
        for step in &chapter.steps {
            if stopped() {
                break;
            }
            if step.is_task() {
                let task = TaskRef {
                    chapter_index,
                    chapter,
                    step,
                };
                match verify_task(course, task, workspace, &dir, signals) {
                    Ok(()) => note(DeepNote::TaskOk(&step.id)),
                    Err(message) => problems.push(problem(&step.pos, Severity::Error, message)),
                }
                continue;
            }
            let failure = match &step.kind {
                _ if step.attrs.interactive => None,
                StepKind::File { path } => {
                    runner::write_file_step(&workspace.root, path, &step.code, true)
                        .err()
                        .map(|e| e.to_string())
                }
                StepKind::Command { .. } => {
                    let run = tasks::run_captured_in(
                        course,
                        chapter,
                        step,
                        &dir,
                        signals,
                        Some(&mut background),
                    );
                    (!run.passed()).then(|| format!("{}{}", run.outcome.result, tail(&run)))
                }
            };
            note(DeepNote::Step(&step.id, failure.clone()));
            if let Some(why) = failure {
                let msg = format!(
                    "step `{}` failed during `lint --deep` ({why}); the tasks after it are checked on that state",
                    step.id
                );
                problems.push(problem(&step.pos, Severity::Warning, msg));
            }
        }
        background.stop_all();
        run_cleanup(&chapter.front.cleanup, &dir);
    }
    problems
}

/// The two tests of one task, on the state the chapter reached.
fn verify_task(
    course: &Course,
    task: TaskRef<'_>,
    workspace: &Workspace,
    dir: &Path,
    signals: Option<&Signals>,
) -> Result<(), String> {
    let before = tasks::run_captured(course, task.chapter, task.step, dir, signals);
    let passed_before = before.passed();
    let mut scratch = CourseProgress::default();
    let applied = tasks::apply_solution(course, task, workspace, true, &mut scratch, signals)?;
    if let Some(Applied::Command { step_id, run }) = applied
        .iter()
        .find(|a| matches!(a, Applied::Command { run, .. } if !run.passed()))
    {
        return Err(format!(
            "task `{}`: its solution step `{step_id}` failed: {}{}",
            task.id(),
            run.outcome.result,
            tail(run)
        ));
    }
    let after = tasks::run_captured(course, task.chapter, task.step, dir, signals);
    match (passed_before, after.passed()) {
        (false, true) => Ok(()),
        (true, true) => Err(format!(
            "task `{}`: its check already passes before the learner did anything, so it cannot tell a solved task from an unsolved one: make the check test what the task asks for",
            task.id()
        )),
        (_, false) => Err(format!(
            "task `{}`: its check fails even after its solution ({}){}: fix the check or the solution",
            task.id(),
            after.outcome.result,
            tail(&after)
        )),
    }
}

/// The last lines of a run's output, as ` — output: …` (empty when there is none).
fn tail(run: &CheckRun) -> String {
    let lines: Vec<&str> = run
        .output
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let last = &lines[lines.len().saturating_sub(3)..];
    format!(" — output: {}", last.join(" ⏎ "))
}

fn problem(
    pos: &crate::lesson::model::SourcePos,
    severity: Severity,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        pos: pos.clone(),
        message,
    }
}
