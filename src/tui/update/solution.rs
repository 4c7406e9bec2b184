//! A task's hints and solution: `h` reveals the next hint, `S` shows the solution (asks
//! first) and then offers to apply it: its steps run one after the other in the task's output
//! box (a file step asks before replacing a file the learner changed), then the check.

use super::super::msg::{Effect, FileWriteResult, ProgressUpdate, StepRequest};
use super::super::state::{App, Confirm, Overlay, Phase};
use super::{locate, new_run, notify, scroll_into_view};
use crate::lesson::{Step, StepKind};
use crate::runner::{StepOutcome, StepResult};

/// The focused step when it is a task, else a notice naming what the key does.
fn focused_task(app: &mut App, what: &str) -> Option<(usize, Step)> {
    match app.focused_step().filter(|s| s.is_task()).cloned() {
        Some(step) => Some((step.index, step)),
        None => {
            let text = format!("{what} is for tasks (a “Your turn” card); ← or [ changes chapter");
            notify(app, text, false);
            None
        }
    }
}

/// `h`: the next hint, in order; the count is saved.
pub fn next_hint(app: &mut App, effects: &mut Vec<Effect>) {
    let Some((index, step)) = focused_task(app, "h") else {
        return;
    };
    super::tasks::take_up(app);
    let total = step.task.as_ref().map_or(0, |t| t.hints.len());
    let state = app.tasks.entry(step.id.clone()).or_default();
    if state.hints_shown >= total {
        let text = match (
            total,
            step.task.as_ref().is_some_and(|t| !t.solution.is_empty()),
        ) {
            (0, true) => "this task has no hints; S shows its solution",
            (0, false) => "this task has no hints",
            (_, true) => "no more hints; S shows the solution",
            (_, false) => "that was the last hint",
        };
        notify(app, text.into(), false);
        return;
    }
    state.hints_shown += 1;
    let revealed = state.hints_shown;
    effects.push(Effect::SaveProgress(ProgressUpdate::TaskHints {
        step_id: step.id.clone(),
        revealed,
    }));
    scroll_into_view(app, index);
}

/// `S`: asks to show the solution; once shown, asks to apply it.
pub fn solution_key(app: &mut App) {
    let Some((index, step)) = focused_task(app, "S") else {
        return;
    };
    super::tasks::take_up(app);
    if step.task.as_ref().is_none_or(|t| t.solution.is_empty()) {
        notify(app, "this task has no solution to show".into(), false);
        return;
    }
    let state = app.tasks.entry(step.id.clone()).or_default();
    if state.applying.is_some() {
        notify(app, "the solution is being applied".into(), false);
        return;
    }
    let confirm = if state.solution_shown {
        Confirm::ApplySolution { step: index }
    } else {
        Confirm::ShowSolution { step: index }
    };
    app.view.overlay = Some(Overlay::Confirm(confirm));
}

/// The learner agreed to see the solution: shown in the card, saved as viewed.
pub fn show_solution(app: &mut App, index: usize, effects: &mut Vec<Effect>) {
    let Some(step) = app.step(index) else {
        return;
    };
    let step_id = step.id.clone();
    app.tasks.entry(step_id.clone()).or_default().solution_shown = true;
    effects.push(Effect::SaveProgress(ProgressUpdate::SolutionViewed {
        step_id,
    }));
    scroll_into_view(app, index);
}

/// The learner agreed to apply the solution: its first step starts.
pub fn apply_solution(app: &mut App, index: usize, effects: &mut Vec<Effect>) {
    let Some(step) = app.step(index).cloned() else {
        return;
    };
    if let Some(run) = app.runs.get_mut(&step.id)
        && run.is_running()
    {
        // The check (maybe started by a save) gives way: applying starts once it stopped.
        if !run.cancelling {
            run.cancelling = true;
            effects.push(Effect::Cancel(step.id.clone()));
        }
        app.tasks.entry(step.id.clone()).or_default().apply_pending = true;
        notify(
            app,
            "stopping the check, then applying the solution".into(),
            false,
        );
        return;
    }
    let count = step.task.as_ref().map_or(0, |t| t.solution.len());
    let mut run = new_run(app, false);
    run.transcript.push(
        format!(
            "applying the solution ({}), then the check\n",
            crate::quantities::plural(count, "step")
        )
        .as_bytes(),
    );
    app.runs.insert(step.id.clone(), run);
    app.touched.insert(app.chapter);
    app.tasks.entry(step.id.clone()).or_default().applying = Some(0);
    next_solution_step(app, index, 0, false, effects);
    scroll_into_view(app, index);
}

fn request(app: &App, index: usize) -> StepRequest {
    let step = &app.course.chapters[app.chapter].steps[index];
    StepRequest {
        chapter: app.chapter,
        step: index,
        step_id: step.id.clone(),
        columns: super::super::layout::chapter_width(app.view.width, app.view.height)
            .saturating_sub(4)
            .max(20),
        values: app.inputs_of(app.chapter).values,
        // A solution is the author's: it runs in the chapter's folder.
        shell: Default::default(),
    }
}

/// Starts solution step `k` of the task at `index` (or, after the last, the check).
fn next_solution_step(
    app: &mut App,
    index: usize,
    k: usize,
    overwrite: bool,
    effects: &mut Vec<Effect>,
) {
    let request = request(app, index);
    let solution = app.course.chapters[app.chapter].steps[index]
        .task
        .as_ref()
        .map(|t| t.solution.clone())
        .unwrap_or_default();
    let state = app.tasks.entry(request.step_id.clone()).or_default();
    let Some(step) = solution.get(k) else {
        // Applied: the check says whether it worked.
        state.applying = None;
        state.solution_shown = true;
        // Its files' changes reach the watcher after the debounce: they are not the learner's.
        state.quiet_until = Some(app.now + 3 * crate::tui::watch::DEBOUNCE);
        if let Some(run) = app.runs.get_mut(&request.step_id) {
            run.transcript.push(b"checking\n");
        }
        effects.push(Effect::SaveProgress(ProgressUpdate::SolutionApplied {
            step_id: request.step_id.clone(),
        }));
        effects.push(Effect::RunStep(request));
        return;
    };
    state.applying = Some(k);
    let line = match &step.kind {
        StepKind::File { path } => format!("writing {path}\n"),
        StepKind::Command { script } => format!("$ {}\n", script.trim_end()),
    };
    if let Some(run) = app.runs.get_mut(&request.step_id) {
        run.transcript.push(line.as_bytes());
    }
    effects.push(match step.kind {
        StepKind::File { .. } => Effect::WriteSolutionFile {
            request,
            solution_step: k,
            overwrite,
        },
        StepKind::Command { .. } => Effect::RunSolutionStep {
            request,
            solution_step: k,
        },
    });
}

/// A check ended: the solution the learner agreed to apply meanwhile starts now.
pub fn apply_if_pending(app: &mut App, step_id: &str, effects: &mut Vec<Effect>) {
    let pending = app
        .tasks
        .get_mut(step_id)
        .is_some_and(|t| std::mem::take(&mut t.apply_pending));
    match locate(app, step_id) {
        Some((chapter, index)) if pending && chapter == app.chapter => {
            apply_solution(app, index, effects)
        }
        _ => {}
    }
}

/// The solution step being applied for `step_id`, if any.
pub fn applying(app: &App, step_id: &str) -> Option<usize> {
    app.tasks.get(step_id).and_then(|t| t.applying)
}

/// A solution command ended: the next step, or the end of applying.
pub fn on_step_finished(
    app: &mut App,
    step_id: &str,
    k: usize,
    outcome: StepOutcome,
    effects: &mut Vec<Effect>,
) {
    let Some((chapter, index)) = locate(app, step_id) else {
        return;
    };
    if chapter != app.chapter {
        // The learner left: what ran is stopped and cleaned up with the chapter.
        stop_applying(app, step_id, Some(outcome));
        return;
    }
    match &outcome.result {
        StepResult::Passed | StepResult::Skipped(_) => {
            next_solution_step(app, index, k + 1, false, effects)
        }
        StepResult::Failed(reason) => {
            let text = format!("the solution's step {} failed ({reason})", k + 1);
            notify(app, text, true);
            stop_applying(app, step_id, Some(outcome));
        }
    }
}

/// A solution file was written (or not).
pub fn on_file_written(
    app: &mut App,
    step_id: &str,
    k: usize,
    result: FileWriteResult,
    effects: &mut Vec<Effect>,
) {
    let Some((chapter, index)) = locate(app, step_id) else {
        return;
    };
    if chapter != app.chapter {
        stop_applying(app, step_id, None);
        return;
    }
    let line = match &result {
        FileWriteResult::Written { path, bytes } => format!("wrote {path} ({bytes} bytes)\n"),
        FileWriteResult::Unchanged { path } => format!("{path} is already up to date\n"),
        FileWriteResult::Differs { path } => format!("{path} differs from the solution's\n"),
        FileWriteResult::Error(err) => format!("{err}\n"),
    };
    if let Some(run) = app.runs.get_mut(step_id) {
        run.transcript.push(line.as_bytes());
    }
    match result {
        FileWriteResult::Written { .. } | FileWriteResult::Unchanged { .. } => {
            next_solution_step(app, index, k + 1, false, effects)
        }
        FileWriteResult::Differs { path } => {
            app.view.overlay = Some(Overlay::Confirm(Confirm::OverwriteSolution {
                step: index,
                solution_step: k,
                path,
            }));
        }
        FileWriteResult::Error(err) => {
            notify(app, format!("the solution was not applied: {err}"), true);
            let outcome = StepOutcome::failed(
                crate::runner::FailReason::Spawn(err),
                std::time::Duration::ZERO,
                None,
            );
            stop_applying(app, step_id, Some(outcome));
        }
    }
}

/// The answer to "replace your file with the solution's?".
pub fn on_overwrite_answer(
    app: &mut App,
    index: usize,
    k: usize,
    yes: bool,
    effects: &mut Vec<Effect>,
) {
    let Some(step_id) = app.step(index).map(|s| s.id.clone()) else {
        return;
    };
    if yes {
        next_solution_step(app, index, k, true, effects);
    } else {
        notify(
            app,
            "your file is kept; the rest of the solution was not applied".into(),
            false,
        );
        stop_applying(app, &step_id, None);
    }
}

/// Ends applying without the check: the box shows how it failed, or goes when the learner
/// chose to keep their file. Nothing is recorded: the check did not run.
fn stop_applying(app: &mut App, step_id: &str, failure: Option<StepOutcome>) {
    if let Some(state) = app.tasks.get_mut(step_id) {
        state.applying = None;
    }
    match failure {
        Some(outcome) => {
            if let Some(run) = app.runs.get_mut(step_id) {
                run.phase = Phase::Finished(outcome);
                run.cancelling = false;
            }
        }
        None => {
            app.runs.remove(step_id);
        }
    }
}
