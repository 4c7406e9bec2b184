//! `update` for tasks and the learner's programs: `e` and its picker, `!`, saves of watched
//! files re-running a check (never two at once; a newer save cancels the running one).

use ratatui::crossterm::event::KeyCode;

use super::update;

use crate::tui::msg::{Effect, Msg};
use crate::tui::state::{FilePicker, Overlay};
use crate::tui::testing::*;

fn candidates(chapter: usize, files: &[&str]) -> Msg {
    Msg::EditCandidates {
        chapter,
        files: files.iter().map(|f| f.to_string()).collect(),
    }
}

fn saved(step_id: &str) -> Msg {
    Msg::WatchedChange {
        step_id: step_id.into(),
    }
}

#[test]
fn e_asks_the_loop_for_the_files_of_the_focused_step() {
    let mut app = app();
    app.focused = Some(1);
    assert_eq!(
        press(&mut app, KeyCode::Char('e')),
        [Effect::FindEditable {
            chapter: 0,
            step: Some(1)
        }]
    );
}

#[test]
fn one_file_opens_at_once_several_ask_none_says_so() {
    let mut app = app();
    assert_eq!(
        update(&mut app, candidates(0, &["Dockerfile"])),
        [Effect::OpenEditor {
            chapter: 0,
            path: "Dockerfile".into()
        }]
    );
    assert!(update(&mut app, candidates(0, &[])).is_empty());
    assert!(notice_text(&app).contains("! opens a shell"));
    // An answer for a chapter the learner has left is dropped.
    assert!(update(&mut app, candidates(1, &["x"])).is_empty());

    assert!(
        update(
            &mut app,
            candidates(0, &["Dockerfile", "app.py", "compose.yaml"])
        )
        .is_empty()
    );
    assert!(matches!(app.view.overlay, Some(Overlay::Pick(_))));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Up);
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        [Effect::OpenEditor {
            chapter: 0,
            path: "app.py".into()
        }]
    );
    assert_eq!(app.view.overlay, None);
}

#[test]
fn the_picker_takes_a_digit_and_esc_cancels() {
    let mut app = app();
    app.view.overlay = Some(Overlay::Pick(FilePicker::new(
        0,
        vec!["a".into(), "b".into(), "c".into()],
    )));
    assert_eq!(
        press(&mut app, KeyCode::Char('3')),
        [Effect::OpenEditor {
            chapter: 0,
            path: "c".into()
        }]
    );
    app.view.overlay = Some(Overlay::Pick(FilePicker::new(0, vec!["a".into()])));
    assert!(
        press(&mut app, KeyCode::Char('7')).is_empty(),
        "no 7th file"
    );
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.view.overlay, None);
}

#[test]
fn bang_opens_the_shell_and_its_return_is_told() {
    let mut app = app();
    assert_eq!(
        press(&mut app, KeyCode::Char('!')),
        [Effect::OpenShell { chapter: 0 }]
    );
    update(
        &mut app,
        Msg::HandoffDone {
            what: "nano Dockerfile".into(),
            result: Err("nano Dockerfile exited with status 2".into()),
        },
    );
    let notice = app.view.notice.clone().unwrap();
    assert!(notice.error && notice.text.contains("status 2"));
}

/// The learner took the step up (as `e`, `!`, `h` or `S` on a task do).
fn taken_up(app: &mut crate::tui::state::App, step_id: &str) {
    app.tasks.entry(step_id.into()).or_default().taken_up = true;
}

#[test]
fn a_save_before_the_learner_took_the_task_up_is_the_lessons() {
    let mut app = app();
    // A file step before the task wrote the file: focused, but not taken up yet.
    assert!(update(&mut app, saved("first-steps-1")).is_empty());
    taken_up(&mut app, "first-steps-1");
    assert!(!update(&mut app, saved("first-steps-1")).is_empty());
}

#[test]
fn a_save_runs_the_focused_check_without_moving_anything() {
    let mut app = app();
    taken_up(&mut app, "first-steps-1");
    let effects = update(&mut app, saved("first-steps-1"));
    assert!(
        matches!(&effects[0], Effect::RunStep(r) if r.step_id == "first-steps-1"),
        "{effects:?}"
    );
    // Another step, not tried and not focused: a save does not run it.
    assert!(update(&mut app, saved("first-steps-3")).is_empty());
    // Nor one of another chapter.
    assert!(update(&mut app, saved("serve-2")).is_empty());
}

#[test]
fn a_newer_save_cancels_the_running_check_and_runs_it_again() {
    let mut app = app();
    taken_up(&mut app, "first-steps-1");
    update(&mut app, saved("first-steps-1"));
    let effects = update(&mut app, saved("first-steps-1"));
    assert_eq!(effects, [Effect::Cancel("first-steps-1".into())]);
    // A third save while it stops: no second cancel, still one re-run.
    assert!(update(&mut app, saved("first-steps-1")).is_empty());
    let effects = update(&mut app, cancelled("first-steps-1"));
    let reruns = effects
        .iter()
        .filter(|e| matches!(e, Effect::RunStep(r) if r.step_id == "first-steps-1"))
        .count();
    assert_eq!(reruns, 1, "{effects:?}");
    assert!(app.runs["first-steps-1"].is_running());
    // The learner's own `x` is not followed by a re-run.
    press(&mut app, KeyCode::Char('x'));
    let effects = update(&mut app, cancelled("first-steps-1"));
    assert!(!effects.iter().any(|e| matches!(e, Effect::RunStep(_))));
}

#[test]
fn a_tried_unsolved_check_reruns_even_when_the_learner_reads_elsewhere() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    update(&mut app, failed("first-steps-1", 1));
    app.focused = Some(2);
    let effects = update(&mut app, saved("first-steps-1"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RunStep(r) if r.step_id == "first-steps-1"))
    );
    assert_eq!(app.focused, Some(2), "the focus stays where the learner is");
    // Once solved, only a save while on it checks again.
    update(&mut app, passed("first-steps-1"));
    app.focused = Some(2);
    assert!(update(&mut app, saved("first-steps-1")).is_empty());
}

#[test]
fn a_task_left_unsolved_is_open_until_its_check_passes() {
    use crate::lesson::TaskSpec;
    let mut app = app();
    app.course.chapters[0].steps[1].task = Some(TaskSpec::default());
    assert_eq!(app.open_tasks(0), 0, "not reached yet");
    app.focused = Some(2);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open_tasks(0), 1, "the learner went past it");
    app.focused = Some(1);
    press(&mut app, KeyCode::Enter);
    update(&mut app, passed("first-steps-2"));
    assert_eq!(app.open_tasks(0), 0, "solved");
}

#[test]
fn a_save_while_a_lesson_step_runs_is_the_lessons_not_the_learners() {
    let mut app = app();
    taken_up(&mut app, "first-steps-1");
    app.focused = Some(2);
    press(&mut app, KeyCode::Enter);
    app.focused = Some(0);
    assert!(update(&mut app, saved("first-steps-1")).is_empty());
    update(&mut app, passed("first-steps-3"));
    app.focused = Some(0);
    assert!(!update(&mut app, saved("first-steps-1")).is_empty());
}

#[test]
fn back_from_the_editor_on_a_task_that_watches_nothing_says_enter_checks() {
    use crate::lesson::TaskSpec;
    let mut app = app();
    app.course.chapters[0].steps[0].task = Some(TaskSpec::default());
    let back = || Msg::HandoffDone {
        what: "nano app.py".into(),
        result: Ok(()),
    };
    update(&mut app, back());
    assert_eq!(notice_text(&app), "back from nano app.py · Enter checks");
    app.course.chapters[0].steps[0].task = Some(TaskSpec {
        watch: vec!["app.py".into()],
        ..TaskSpec::default()
    });
    update(&mut app, back());
    assert_eq!(notice_text(&app), "back from nano app.py");
}
