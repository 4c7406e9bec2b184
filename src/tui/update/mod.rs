//! `update(&mut App, Msg) -> Vec<Effect>`: every change of state, and nothing else. No terminal,
//! no processes, no clock (time arrives in `Msg::Tick`).

mod anchor;
mod folds;
mod keys;
mod solution;
mod steps;
mod tasks;
mod values;

use std::time::Duration;

use super::layout::{self, doc_layout};
use super::msg::{Effect, FileWriteResult, Msg, ProgressUpdate};
use super::state::{App, Confirm, LiveStep, Notice, Overlay, Phase, SavedStatus, fail_summary};
use crate::runner::{FailReason, RunEvent, StepOutcome, StepResult};
use anchor::ViewAnchor;

pub use steps::start_step;

/// How long a status-bar notice stays.
const NOTICE_FOR: Duration = Duration::from_secs(4);

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    // Output and reports change the height of what is above the screen: keep it still.
    let anchor = match &msg {
        Msg::StepEvent { step_id, .. }
        | Msg::InteractiveDone { step_id, .. }
        | Msg::FileWritten { step_id, .. } => Some(ViewAnchor::before(app, Some(step_id))),
        Msg::DoctorDone(_) => Some(ViewAnchor::before(app, None)),
        _ => None,
    };
    let effects = apply(app, msg);
    if let Some(anchor) = anchor {
        anchor.restore(app);
    }
    effects
}

fn apply(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Key(key) => keys::on_key(app, key, &mut effects),
        Msg::Mouse(mouse) => keys::on_mouse(app, mouse, &mut effects),
        Msg::Resize { width, height } => {
            // First layout: a learner resuming past the chapter's first step lands on it.
            let first = app.render_cache.key.is_none();
            let focus_seen = app.focused.is_some_and(|f| step_header_visible(app, f));
            app.view.width = width;
            app.view.height = height;
            app.ensure_rendered();
            clamp_scroll(app);
            // Re-wrapping moves rows: keep the step the learner was on in view.
            let reveal = focus_seen || (first && app.focused.is_some_and(|f| f > 0));
            if let Some(focused) = app.focused.filter(|_| reveal) {
                scroll_into_view(app, focused);
            }
        }
        Msg::Tick(now) => {
            app.now = now;
            app.view.frame = app.view.frame.wrapping_add(1);
            if app.view.notice.as_ref().is_some_and(|n| n.until <= now) {
                app.view.notice = None;
            }
        }
        Msg::StepEvent { step_id, event } => on_step_event(app, &step_id, event, &mut effects),
        Msg::InteractiveDone { step_id, outcome } => {
            if let Some(run) = app.runs.get_mut(&step_id) {
                run.transcript.push(b"(ran in your terminal)\n");
            }
            finish(app, &step_id, outcome, &mut effects);
        }
        Msg::FileWritten { step_id, result } => match solution::applying(app, &step_id) {
            Some(k) => solution::on_file_written(app, &step_id, k, result, &mut effects),
            None => on_file_written(app, &step_id, result, &mut effects),
        },
        Msg::DoctorDone(summary) => {
            app.doctor.summary = Some(summary);
            app.doctor.running = false;
            clamp_scroll(app);
        }
        Msg::CleanupDone { chapter, failed } => {
            if !failed.is_empty() {
                let title = app
                    .course
                    .chapters
                    .get(chapter)
                    .map_or("", |c| c.title.as_str());
                notify(
                    app,
                    format!("cleanup of “{title}” failed: {}", failed.join("; ")),
                    true,
                );
            }
        }
        Msg::Terminate => quit(app, &mut effects),
        Msg::Notice { text, error } => notify(app, text, error),
        Msg::OutputPending { .. } => {}
        Msg::EditCandidates { chapter, files } => {
            tasks::on_edit_candidates(app, chapter, files, &mut effects)
        }
        Msg::WatchedChange { step_id } => tasks::on_watched_change(app, &step_id, &mut effects),
        Msg::HandoffDone { what, result } => tasks::on_handoff_done(app, what, result),
        Msg::ClassJoined(result) => super::live::on_joined(app, result, &mut effects),
    }
    effects
}

/// The last step of a chapter (or of the course) passed: say what comes next.
fn announce_done(app: &mut App, chapter: usize) {
    let (done, total) = app.chapter_progress(chapter);
    if total == 0 || done < total {
        return;
    }
    let (course_done, course_total) = app.course_progress();
    let text = if course_done == course_total {
        "course complete: every step passed".to_string()
    } else if chapter + 1 < app.course.chapters.len() {
        format!("chapter {} done: → opens the next one", chapter + 1)
    } else {
        format!("chapter {} done", chapter + 1)
    };
    notify(app, text, false);
}

pub fn notify(app: &mut App, text: String, error: bool) {
    app.view.notice = Some(Notice {
        text,
        error,
        until: app.now + NOTICE_FOR,
    });
}

pub fn quit(app: &mut App, effects: &mut Vec<Effect>) {
    app.quitting = true;
    app.view.overlay = None;
    // The next start reopens here.
    effects.push(Effect::SaveProgress(ProgressUpdate::Current {
        chapter: app.chapter,
        step: app.focused,
    }));
    effects.push(Effect::Quit);
}

fn on_step_event(app: &mut App, step_id: &str, event: RunEvent, effects: &mut Vec<Effect>) {
    match event {
        RunEvent::Output(bytes) => {
            if let Some(run) = app.runs.get_mut(step_id) {
                run.transcript.push(&bytes);
            }
        }
        RunEvent::Ready => {
            if let Some(run) = app.runs.get_mut(step_id) {
                run.ready = true;
            }
            // A server that answers has passed (it keeps running); `a` goes on.
            if let Some((chapter, index)) = locate(app, step_id) {
                effects.push(save(app, chapter, index, SavedStatus::Passed, None));
                if app.run_all == Some(chapter) {
                    steps::continue_run_all(app, chapter, index, effects);
                }
            }
        }
        RunEvent::Finished(outcome) if solution::applying(app, step_id).is_some() => {
            let k = solution::applying(app, step_id).unwrap_or_default();
            solution::on_step_finished(app, step_id, k, outcome, effects);
        }
        RunEvent::Finished(outcome) => {
            let cancelled = tasks::was_cancelled(&outcome.result);
            finish(app, step_id, outcome, effects);
            solution::apply_if_pending(app, step_id, effects);
            if cancelled && solution::applying(app, step_id).is_none() {
                tasks::recheck_after(app, step_id, effects);
            }
        }
    }
}

fn save(
    app: &App,
    chapter: usize,
    index: usize,
    status: SavedStatus,
    failure: Option<(String, Option<String>)>,
) -> Effect {
    let step_id = app.course.chapters[chapter].steps[index].id.clone();
    let (summary, explanation) = failure.unzip();
    Effect::SaveProgress(ProgressUpdate::Step {
        step_id,
        status,
        summary,
        explanation: explanation.flatten(),
    })
}

/// A step ended: record it, explain a failure, save progress, go on with `a`.
fn finish(app: &mut App, step_id: &str, outcome: StepOutcome, effects: &mut Vec<Effect>) {
    let Some(run) = app.runs.get_mut(step_id) else {
        return;
    };
    let was_ready_background = run.background && run.ready;
    if let StepResult::Failed(reason) = &outcome.result
        && *reason != FailReason::Cancelled
    {
        let text = run.transcript.plain_text();
        run.explanation = outcome
            .explanation
            .or_else(|| crate::runner::explain_failure(&text, outcome.exit_code));
        run.specifics = outcome.specifics.clone().or_else(|| {
            run.explanation
                .and_then(|explanation| crate::runner::specifics(explanation, &text))
        });
    }
    run.phase = Phase::Finished(outcome.clone());
    run.cancelling = false;
    let Some((chapter, index)) = locate(app, step_id) else {
        return;
    };
    // Where its shell ended and what it exported carry to the chapter's next steps.
    if let Some(end) = &outcome.shell_end {
        app.inputs.entry(chapter).or_default().shell.absorb(end);
    }
    let status = match &outcome.result {
        StepResult::Passed => SavedStatus::Passed,
        StepResult::Skipped(_) => SavedStatus::Skipped,
        StepResult::Failed(_) => SavedStatus::Failed,
    };
    let status = crate::session::kept(&outcome, was_ready_background).then_some(status);
    if let Some(status) = status {
        let failure = match &outcome.result {
            StepResult::Failed(reason) => {
                let explanation = app
                    .runs
                    .get(step_id)
                    .and_then(|r| r.explanation)
                    .map(|e| e.id.to_string());
                Some((fail_summary(reason), explanation))
            }
            _ => None,
        };
        effects.push(save(app, chapter, index, status, failure));
    }
    if was_ready_background {
        return;
    }
    // Show the result (and the explanation of a failure) of the step the learner watches.
    if chapter == app.chapter && app.focused == Some(index) {
        scroll_into_view(app, index);
    }
    match &outcome.result {
        StepResult::Passed | StepResult::Skipped(_) => {
            if app.run_all == Some(chapter) {
                steps::continue_run_all(app, chapter, index, effects);
            } else if chapter == app.chapter && app.focused == Some(index) {
                steps::focus_next_after_pass(app, index);
            }
            announce_done(app, chapter);
        }
        StepResult::Failed(reason) => {
            if app.run_all == Some(chapter) {
                app.run_all = None;
                if *reason != FailReason::Cancelled {
                    notify(app, format!("stopped: step {} failed", index + 1), true);
                }
            }
        }
    }
}

fn on_file_written(
    app: &mut App,
    step_id: &str,
    result: FileWriteResult,
    effects: &mut Vec<Effect>,
) {
    let Some((chapter, index)) = locate(app, step_id) else {
        return;
    };
    let (message, result) = match result {
        FileWriteResult::Written { path, bytes } => {
            (format!("wrote {path} ({bytes} bytes)"), StepResult::Passed)
        }
        FileWriteResult::Unchanged { path } => {
            (format!("{path} is already up to date"), StepResult::Passed)
        }
        FileWriteResult::Error(err) => (err.clone(), StepResult::Failed(FailReason::Spawn(err))),
        FileWriteResult::Differs { path } => {
            app.runs.remove(step_id);
            if chapter == app.chapter {
                app.view.overlay = Some(Overlay::Confirm(Confirm::Overwrite { step: index, path }));
            }
            app.run_all = None;
            return;
        }
    };
    if let Some(run) = app.runs.get_mut(step_id) {
        run.transcript.push(format!("{message}\n").as_bytes());
    }
    let duration = match app.runs.get(step_id).map(|r| &r.phase) {
        Some(Phase::Running { started }) => app.now.saturating_duration_since(*started),
        _ => Duration::ZERO,
    };
    finish(
        app,
        step_id,
        match result {
            StepResult::Failed(reason) => StepOutcome::failed(reason, duration, None),
            _ => StepOutcome::passed(duration, None),
        },
        effects,
    );
}

/// `(chapter, step index)` of a step id.
pub fn locate(app: &App, step_id: &str) -> Option<(usize, usize)> {
    app.course
        .chapters
        .iter()
        .enumerate()
        .find_map(|(c, chapter)| {
            chapter
                .steps
                .iter()
                .position(|s| s.id == step_id)
                .map(|i| (c, i))
        })
}

pub fn max_scroll(app: &App) -> usize {
    doc_layout(app)
        .total
        .saturating_sub(layout::viewport_rows(app))
}

pub fn clamp_scroll(app: &mut App) {
    app.view.scroll = app.view.scroll.min(max_scroll(app));
}

/// Scrolls as little as possible so the step's header (and as much of its output as fits)
/// is on screen.
pub fn scroll_into_view(app: &mut App, step: usize) {
    let layout = doc_layout(app);
    let Some(rows) = layout.rows_of(step) else {
        return;
    };
    let view = layout::viewport_rows(app);
    let header = rows.header.saturating_sub(1);
    if header < app.view.scroll {
        app.view.scroll = header;
    } else if rows.end > app.view.scroll + view {
        app.view.scroll = (rows.end - view.min(rows.end)).min(header);
    }
    app.view.scroll = app.view.scroll.min(layout.total.saturating_sub(view));
}

fn step_header_visible(app: &App, step: usize) -> bool {
    let view = layout::viewport_rows(app);
    doc_layout(app)
        .rows_of(step)
        .is_some_and(|r| (app.view.scroll..app.view.scroll + view).contains(&r.header))
}

/// After a manual scroll, keeps the focus on a step the learner can see.
pub fn refocus_visible(app: &mut App) {
    let layout = doc_layout(app);
    let view = layout::viewport_rows(app);
    let visible = |row: usize| (app.view.scroll..app.view.scroll + view).contains(&row);
    if app
        .focused
        .and_then(|f| layout.rows_of(f))
        .is_some_and(|r| visible(r.header))
    {
        return;
    }
    if let Some(rows) = layout.steps.iter().find(|r| visible(r.header)) {
        app.focused = Some(rows.step);
    }
}

pub(crate) fn new_run(app: &App, background: bool) -> LiveStep {
    LiveStep::new(app.now, background)
}

#[cfg(test)]
mod shell_tests;
#[cfg(test)]
mod step_tests;
#[cfg(test)]
mod task_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod values_tests;
