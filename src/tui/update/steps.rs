//! Starting, cancelling and chaining steps; changing chapter.

use super::super::layout;
use super::super::msg::{Effect, ProgressUpdate, StepRequest};
use super::super::state::{App, Confirm, Overlay, Phase};
use super::{new_run, notify, scroll_into_view};
use crate::lesson::StepKind;

/// What the learner already agreed to for this start.
#[derive(Debug, Clone, Copy, Default)]
pub struct Agreed {
    pub requires: bool,
    pub confirm: bool,
    pub overwrite: bool,
}

fn request(app: &App, step: usize) -> StepRequest {
    let chapter = &app.course.chapters[app.chapter];
    // The child's COLUMNS: the inside of the output box.
    let columns = layout::chapter_width(app.view.width, app.view.height)
        .saturating_sub(4)
        .max(20);
    let inputs = app.inputs_of(app.chapter);
    StepRequest {
        chapter: app.chapter,
        step,
        step_id: chapter.steps[step].id.clone(),
        columns,
        values: inputs.values,
        shell: inputs.shell,
    }
}

/// Runs step `index` of the current chapter, asking first when its chapter's requires fail or
/// the step wants a confirmation.
pub fn start_step(app: &mut App, index: usize, agreed: Agreed, effects: &mut Vec<Effect>) {
    let Some(step) = app.step(index).cloned() else {
        return;
    };
    if app.run_of(&step).is_some_and(|r| r.is_running()) {
        notify(
            app,
            format!("step {} is already running (x stops it)", index + 1),
            false,
        );
        return;
    }
    // Never run a command with a placeholder in it (`<container-id>`, `YOUR_USERNAME`): the
    // learner is asked for the values first.
    let values = app.inputs_of(app.chapter).values;
    let filled = match step.script_with(&values) {
        Ok(script) => script,
        Err(_) => {
            super::values::open(app, index);
            return;
        }
    };
    let failing: Vec<String> = app
        .failing_requires()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    if !agreed.requires && !failing.is_empty() && !app.requires_waived.contains(&app.chapter) {
        app.view.overlay = Some(Overlay::Confirm(Confirm::Requires {
            step: index,
            failing,
        }));
        return;
    }
    if !agreed.confirm && step.attrs.confirm {
        app.view.overlay = Some(Overlay::Confirm(Confirm::RunStep { step: index }));
        return;
    }
    // The chapter's first command, run again, starts the chapter over: from its own folder
    // with a fresh environment, as the chapter was written.
    let first_command = app.current_chapter().and_then(|c| {
        c.steps
            .iter()
            .position(|s| matches!(s.kind, StepKind::Command { .. }))
    });
    if first_command == Some(index)
        && let Some(inputs) = app.inputs.get_mut(&app.chapter)
    {
        inputs.shell = Default::default();
    }
    // Steps before this one that `cd` or `export`, not run this session: say where it starts.
    if app.inputs_of(app.chapter).shell.is_fresh()
        && let Some(chapter) = app.current_chapter()
    {
        let missed: Vec<usize> = crate::session::state_changers_before(chapter, index)
            .iter()
            .filter(|s| !app.runs.contains_key(&s.id))
            .map(|s| s.index + 1)
            .collect();
        if let Some(last) = missed.last() {
            notify(
                app,
                format!(
                    "step {last} changes the folder or environment (cd, export) and has not run: this one starts in the chapter's folder"
                ),
                false,
            );
        }
    }
    let request = request(app, index);
    let mut run = new_run(app, step.attrs.background);
    if let Some(old) = app.runs.get(&step.id) {
        run.folded = old.folded;
    }
    if !step.reading.placeholders.is_empty() {
        // What runs is not what the block shows: say it first.
        let mut shown = String::from("with your values (v changes them):\n");
        for (n, line) in filled.lines().enumerate() {
            shown.push_str(if n == 0 { "$ " } else { "  " });
            shown.push_str(line);
            shown.push('\n');
        }
        run.transcript.push(shown.as_bytes());
    }
    let effect = match &step.kind {
        StepKind::File { .. } => Effect::WriteFile {
            request,
            overwrite: agreed.overwrite,
        },
        StepKind::Command { .. } if step.attrs.interactive => {
            run.phase = Phase::Interactive { started: app.now };
            // It gets the whole terminal, not the output box.
            Effect::RunInteractive(StepRequest {
                columns: app.view.width,
                ..request
            })
        }
        StepKind::Command { .. } => Effect::RunStep(request),
    };
    app.runs.insert(step.id.clone(), run);
    app.touched.insert(app.chapter);
    app.focused = Some(index);
    effects.push(effect);
    effects.push(Effect::SaveProgress(ProgressUpdate::Current {
        chapter: app.chapter,
        step: Some(index),
    }));
    scroll_into_view(app, index);
}

/// `a`: the first step of the chapter not done yet, then the next ones as each passes.
pub fn start_run_all(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(chapter) = app.current_chapter() else {
        return;
    };
    let next = chapter
        .steps
        .iter()
        .position(|s| !app.step_done(s) && app.run_of(s).is_none_or(|r| !r.is_running()));
    match next {
        Some(index) => {
            app.run_all = Some(app.chapter);
            start_step(app, index, Agreed::default(), effects);
            if app.view.overlay.is_some() || app.run_all.is_none() {
                // Waiting for an answer (the chain resumes when the learner agrees), or the
                // step cannot run as written (its notice says why).
                return;
            }
            notify(app, "running the remaining steps; x stops".into(), false);
        }
        None => notify(app, "every step of this chapter is done".into(), false),
    }
}

/// After step `index` passed under `a`: the next step not done, or the end of the chain.
pub fn continue_run_all(app: &mut App, chapter: usize, index: usize, effects: &mut Vec<Effect>) {
    if chapter != app.chapter {
        app.run_all = None;
        return;
    }
    let steps = &app.course.chapters[chapter].steps;
    let next = (index + 1..steps.len()).find(|&i| !app.step_done(&steps[i]));
    match next {
        Some(next) => start_step(app, next, Agreed::default(), effects),
        None => {
            app.run_all = None;
        }
    }
}

/// A step passed: the focus moves on, so Enter runs the next one.
pub fn focus_next_after_pass(app: &mut App, index: usize) {
    let count = app.current_chapter().map_or(0, |c| c.steps.len());
    if index + 1 < count {
        app.focused = Some(index + 1);
        scroll_into_view(app, index + 1);
    }
}

/// `x` / Ctrl-C: the focused step if it runs, else the step started last that still runs.
/// Returns false when nothing was running.
pub fn cancel_one(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    let focused_id = app.focused_step().map(|s| s.id.clone());
    let target = focused_id
        .filter(|id| {
            app.runs
                .get(id)
                .is_some_and(|r| r.is_running() && !r.cancelling)
        })
        .or_else(|| {
            app.runs
                .iter()
                .filter(|(_, r)| r.is_running() && !r.cancelling)
                .filter_map(|(id, r)| match r.phase {
                    Phase::Running { started } => Some((started, id.clone())),
                    _ => None,
                })
                .max()
                .map(|(_, id)| id)
        });
    let Some(id) = target else {
        return false;
    };
    app.run_all = None;
    if let Some(run) = app.runs.get_mut(&id) {
        run.cancelling = true;
    }
    effects.push(Effect::Cancel(id));
    true
}

/// Leaving a chapter stops what runs in it and runs its cleanup.
pub fn change_chapter(app: &mut App, target: usize, effects: &mut Vec<Effect>) {
    if target == app.chapter || target >= app.course.chapters.len() {
        return;
    }
    let leaving = app.chapter;
    for step in &app.course.chapters[leaving].steps {
        if let Some(run) = app.runs.get_mut(&step.id)
            && run.is_running()
            && !run.cancelling
        {
            run.cancelling = true;
            effects.push(Effect::Cancel(step.id.clone()));
        }
    }
    if app.touched.remove(&leaving) {
        effects.push(Effect::RunCleanup(leaving));
    }
    app.run_all = None;
    app.chapter = target;
    app.view.scroll = 0;
    app.view.overlay = None;
    let chapter = &app.course.chapters[target];
    app.focused = if chapter.steps.is_empty() {
        None
    } else {
        Some(
            chapter
                .steps
                .iter()
                .position(|s| !app.step_done(s))
                .unwrap_or(0),
        )
    };
    app.ensure_rendered();
    effects.push(Effect::SaveProgress(ProgressUpdate::Current {
        chapter: target,
        step: app.focused,
    }));
}
