//! Tasks and the learner's own programs: `e` (editor, with a picker), `!` (shell), saves of
//! watched files (re-run the check: never two at once, a newer save cancels a running one).

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::super::msg::Effect;
use super::super::state::{App, FilePicker, Overlay};
use super::steps::{self, Agreed};
use super::{locate, notify};
use crate::runner::{FailReason, StepResult};

/// The learner acts on the focused task (`e`, `!`, `h`, `S`): from now on their saves check it.
pub fn take_up(app: &mut App) {
    if let Some(step) = app.focused_step().filter(|s| s.is_task()) {
        let id = step.id.clone();
        app.tasks.entry(id).or_default().taken_up = true;
    }
}

/// `e`: the loop finds the candidate files and answers with `Msg::EditCandidates`.
pub fn edit(app: &mut App, effects: &mut Vec<Effect>) {
    if app.current_chapter().is_none() {
        return;
    }
    take_up(app);
    effects.push(Effect::FindEditable {
        chapter: app.chapter,
        step: app.focused,
    });
}

/// `!`: the learner's shell in the chapter's folder.
pub fn shell(app: &mut App, effects: &mut Vec<Effect>) {
    if app.current_chapter().is_none() {
        return;
    }
    take_up(app);
    effects.push(Effect::OpenShell {
        chapter: app.chapter,
    });
}

pub fn on_edit_candidates(
    app: &mut App,
    chapter: usize,
    files: Vec<String>,
    effects: &mut Vec<Effect>,
) {
    if chapter != app.chapter || app.view.overlay.is_some() {
        return;
    }
    match files.len() {
        0 => notify(
            app,
            "no file to edit in this chapter; ! opens a shell in its folder".into(),
            false,
        ),
        1 => effects.push(Effect::OpenEditor {
            chapter,
            path: files.into_iter().next().unwrap_or_default(),
        }),
        _ => app.view.overlay = Some(Overlay::Pick(FilePicker::new(chapter, files))),
    }
}

pub fn on_pick_key(
    app: &mut App,
    mut picker: FilePicker,
    key: KeyEvent,
    effects: &mut Vec<Effect>,
) {
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => app.view.overlay = None,
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => picker.move_by(-1),
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => picker.move_by(1),
        KeyCode::Char(c @ '1'..='9') => {
            let index = c as usize - '1' as usize;
            if index < picker.files.len() {
                picker.selected = index;
                return open_picked(app, &picker, effects);
            }
        }
        KeyCode::Enter | KeyCode::Char('e') => return open_picked(app, &picker, effects),
        _ => {}
    }
    if app.view.overlay.is_some() {
        app.view.overlay = Some(Overlay::Pick(picker));
    }
}

fn open_picked(app: &mut App, picker: &FilePicker, effects: &mut Vec<Effect>) {
    app.view.overlay = None;
    if let Some(path) = picker.chosen() {
        effects.push(Effect::OpenEditor {
            chapter: picker.chapter,
            path: path.to_string(),
        });
    }
}

pub fn on_handoff_done(app: &mut App, what: String, result: Result<(), String>) {
    // A task that watches nothing is checked when the learner says so.
    let check_hint = app
        .focused_step()
        .filter(|s| !app.step_done(s))
        .and_then(|s| s.task.as_ref())
        .is_some_and(|t| t.watch.is_empty());
    match result {
        Ok(()) if check_hint => notify(app, format!("back from {what} · Enter checks"), false),
        Ok(()) => notify(app, format!("back from {what}"), false),
        Err(err) => notify(app, err, true),
    }
}

/// A watched file was saved. The check runs once the learner has taken the task up (checked
/// it, or used `e`, `!`, `h` or `S` on it: a lesson step writing the file just before is not
/// their save), when they are on it or tried it and have not solved it yet; never on a chapter
/// they are not reading.
pub fn on_watched_change(app: &mut App, step_id: &str, effects: &mut Vec<Effect>) {
    let Some((chapter, index)) = locate(app, step_id) else {
        return;
    };
    if chapter != app.chapter || app.quitting {
        return;
    }
    let step = app.course.chapters[chapter].steps[index].clone();
    let focused = app.focused == Some(index);
    let tried = app.run_of(&step).is_some() || app.saved.contains_key(step_id);
    let taken_up = tried || app.tasks.get(step_id).is_some_and(|t| t.taken_up);
    let open = tried && !app.step_done(&step);
    if !taken_up || !(focused || open) {
        return;
    }
    let solution_writes = app.tasks.get(step_id).is_some_and(|t| {
        t.applying.is_some() || t.quiet_until.is_some_and(|until| app.now < until)
    });
    if solution_writes {
        return;
    }
    // A step of the lesson writing the file (a file step, `a`) is not the learner's save.
    let lesson_step_runs = app.current_chapter().is_some_and(|c| {
        c.steps.iter().any(|s| {
            s.id != step_id
                && app
                    .run_of(s)
                    .is_some_and(|r| r.is_running() && !r.background)
        })
    });
    if lesson_step_runs {
        return;
    }
    if let Some(run) = app.runs.get_mut(step_id)
        && run.is_running()
    {
        // A newer save: stop the check on the old state, run it again once it stopped.
        app.tasks.entry(step_id.to_string()).or_default().recheck = true;
        if !run.cancelling {
            run.cancelling = true;
            effects.push(Effect::Cancel(step_id.to_string()));
        }
        return;
    }
    run_check(app, index, effects);
}

/// A check ended; if a save cancelled it, it runs again on the new state. Returns whether
/// it restarted (the cancellation is then not the learner's).
pub fn recheck_after(app: &mut App, step_id: &str, effects: &mut Vec<Effect>) -> bool {
    let Some(task) = app.tasks.get_mut(step_id) else {
        return false;
    };
    if !std::mem::take(&mut task.recheck) {
        return false;
    }
    match locate(app, step_id) {
        Some((chapter, index)) if chapter == app.chapter => {
            run_check(app, index, effects);
            true
        }
        _ => false,
    }
}

/// Runs a task's check because a file changed: never asks (a check that needs an answer
/// waits for Enter), never moves the focus.
fn run_check(app: &mut App, index: usize, effects: &mut Vec<Effect>) {
    let Some(step) = app.step(index) else {
        return;
    };
    if step.attrs.confirm || step.attrs.interactive {
        return;
    }
    let requires_ok =
        app.failing_requires().is_empty() || app.requires_waived.contains(&app.chapter);
    if !requires_ok {
        return;
    }
    let (focused, scroll) = (app.focused, app.view.scroll);
    let mut started = Vec::new();
    let agreed = Agreed {
        requires: true,
        confirm: true,
        overwrite: false,
    };
    steps::start_step(app, index, agreed, &mut started);
    // The learner may be reading elsewhere in the chapter: the card updates in place.
    if focused != Some(index) {
        app.focused = focused;
        app.view.scroll = scroll;
        started.retain(|e| !matches!(e, Effect::SaveProgress(_)));
    }
    effects.extend(started);
}

/// Whether a finished outcome was a cancellation (which a pending recheck replaces).
pub fn was_cancelled(result: &StepResult) -> bool {
    matches!(result, StepResult::Failed(FailReason::Cancelled))
}
