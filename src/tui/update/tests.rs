//! `update` alone: messages in, state and effects out. No terminal, no processes.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::update;
use crate::tui::layout;
use crate::tui::msg::{Effect, FileWriteResult, Msg, ProgressUpdate, StepRequest};
use crate::tui::seam::runner::{FailReason, RunEvent, StepResult};
use crate::tui::state::{
    CheckLine, CheckStatus, Confirm, DoctorSummary, Overlay, Phase, Resume, SavedStatus,
};
use crate::tui::testing::*;

fn run_effect(effects: &[Effect]) -> Option<&StepRequest> {
    effects.iter().find_map(|e| match e {
        Effect::RunStep(r) => Some(r),
        _ => None,
    })
}

fn saved_steps(effects: &[Effect]) -> Vec<(String, SavedStatus)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveProgress(ProgressUpdate::Step {
                step_id, status, ..
            }) => Some((step_id.clone(), *status)),
            _ => None,
        })
        .collect()
}

fn daemon_down() -> DoctorSummary {
    DoctorSummary {
        headline: "daemon not running ✗".into(),
        engine_ok: false,
        checks: vec![CheckLine {
            id: "daemon".into(),
            status: CheckStatus::Fail,
            title: "Docker daemon".into(),
            detail: "Cannot connect to the Docker daemon".into(),
            fix: Some("sudo systemctl start docker".into()),
        }],
    }
}

#[test]
fn enter_runs_the_focused_step_and_saves_where_the_learner_is() {
    let mut app = app();
    assert_eq!(app.focused, Some(0));
    let effects = press(&mut app, KeyCode::Enter);
    let request = run_effect(&effects).expect("a RunStep effect");
    assert_eq!(
        (request.chapter, request.step, request.step_id.as_str()),
        (0, 0, "first-steps-1")
    );
    assert!(request.columns >= 20 && request.columns < 120);
    assert!(
        effects.contains(&Effect::SaveProgress(ProgressUpdate::Current {
            chapter: 0,
            step: Some(0)
        }))
    );
    assert!(matches!(
        app.runs["first-steps-1"].phase,
        Phase::Running { .. }
    ));
    assert!(app.touched.contains(&0));
    // Enter again while it runs does not start it twice.
    assert!(run_effect(&press(&mut app, KeyCode::Enter)).is_none());
}

#[test]
fn output_streams_into_the_transcript_and_a_pass_is_saved_and_moves_focus() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    update(
        &mut app,
        output("first-steps-1", "hello-from-step\nline 1\nli"),
    );
    update(&mut app, output("first-steps-1", "ne 2\n"));
    let lines: Vec<&str> = app.runs["first-steps-1"].transcript.lines().collect();
    assert_eq!(lines, ["hello-from-step", "line 1", "line 2"]);
    let effects = update(&mut app, passed("first-steps-1"));
    assert_eq!(
        saved_steps(&effects),
        [("first-steps-1".to_string(), SavedStatus::Passed)]
    );
    assert_eq!(app.focused, Some(1));
    assert_eq!(app.chapter_progress(0), (1, 3));
}

#[test]
fn a_failure_is_saved_with_its_reason_and_keeps_focus() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    let effects = update(&mut app, failed("first-steps-1", 125));
    let summary = effects.iter().find_map(|e| match e {
        Effect::SaveProgress(ProgressUpdate::Step {
            status: SavedStatus::Failed,
            summary,
            ..
        }) => summary.clone(),
        _ => None,
    });
    assert_eq!(summary.as_deref(), Some("exit code 125"));
    assert_eq!(app.focused, Some(0));
    assert!(app.step_failed(&app.course.chapters[0].steps[0]));
}

#[test]
fn x_and_ctrl_c_cancel_the_running_step_and_a_cancel_is_not_saved() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        press(&mut app, KeyCode::Char('x')),
        [Effect::Cancel("first-steps-1".into())]
    );
    assert!(app.runs["first-steps-1"].cancelling);
    let effects = update(
        &mut app,
        finished(
            "first-steps-1",
            StepResult::Failed(FailReason::Cancelled),
            None,
        ),
    );
    assert!(saved_steps(&effects).is_empty());
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        update(&mut app, ctrl('c')),
        [Effect::Cancel("first-steps-1".into())]
    );
}

#[test]
fn ctrl_c_with_nothing_running_quits() {
    let mut app = app();
    let effects = update(&mut app, ctrl('c'));
    assert_eq!(effects.last(), Some(&Effect::Quit));
    assert!(app.quitting);
}

#[test]
fn quitting_while_a_step_runs_asks_first() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert_eq!(app.overlay, Some(Overlay::Confirm(Confirm::Quit)));
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.overlay, None);
    press(&mut app, KeyCode::Char('q'));
    let effects = press(&mut app, KeyCode::Char('y'));
    let resume_here = Effect::SaveProgress(ProgressUpdate::Current {
        chapter: 0,
        step: Some(0),
    });
    assert_eq!(
        effects,
        [resume_here, Effect::Quit],
        "the next start reopens here"
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut app = app();
    let release = KeyEvent {
        kind: KeyEventKind::Release,
        ..KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
    };
    assert!(update(&mut app, Msg::Key(release)).is_empty());
    assert!(app.runs.is_empty());
}

#[test]
fn leaving_a_chapter_stops_its_steps_and_runs_its_cleanup() {
    let mut app = app();
    press(&mut app, KeyCode::Right);
    assert_eq!(app.chapter, 1);
    press(&mut app, KeyCode::Enter); // the background server
    update(
        &mut app,
        Msg::StepEvent {
            step_id: "serve-1".into(),
            event: RunEvent::Ready,
        },
    );
    assert!(app.runs["serve-1"].ready && app.runs["serve-1"].is_running());
    let effects = press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.chapter, 2);
    assert_eq!(effects[0], Effect::Cancel("serve-1".into()));
    assert_eq!(effects[1], Effect::RunCleanup(1));
    assert!(matches!(
        effects[2],
        Effect::SaveProgress(ProgressUpdate::Current {
            chapter: 2,
            step: Some(0)
        })
    ));
    // A chapter only browsed gets no cleanup.
    let effects = press(&mut app, KeyCode::Char('['));
    assert!(!effects.contains(&Effect::RunCleanup(2)));
}

#[test]
fn run_all_goes_on_after_each_pass_and_stops_at_a_failure() {
    let mut app = app();
    let effects = press(&mut app, KeyCode::Char('a'));
    assert_eq!(run_effect(&effects).map(|r| r.step), Some(0));
    let effects = update(&mut app, passed("first-steps-1"));
    assert_eq!(run_effect(&effects).map(|r| r.step), Some(1));
    assert_eq!(app.focused, Some(1));
    let effects = update(&mut app, failed("first-steps-2", 1));
    assert!(run_effect(&effects).is_none());
    assert_eq!(app.run_all, None);
    assert!(app.notice.as_ref().is_some_and(|n| n.error));
}

#[test]
fn run_all_skips_steps_done_in_an_earlier_session() {
    let mut saved = std::collections::HashMap::new();
    saved.insert("first-steps-1".to_string(), SavedStatus::Passed);
    let mut app = app_with(Resume {
        saved,
        ..Resume::default()
    });
    assert_eq!(
        run_effect(&press(&mut app, KeyCode::Char('a'))).map(|r| r.step),
        Some(1)
    );
}

#[test]
fn resumes_at_the_saved_chapter_and_step() {
    let app = app_with(Resume {
        chapter: 2,
        step: Some(1),
        ..Resume::default()
    });
    assert_eq!((app.chapter, app.focused), (2, Some(1)));
    let rows = layout::doc_layout(&app)
        .rows_of(1)
        .expect("step 2 is laid out");
    let view = layout::viewport_rows(&app);
    assert!(
        (app.scroll..app.scroll + view).contains(&rows.header),
        "the resumed step is in view"
    );
    let clamped = app_with(Resume {
        chapter: 9,
        step: Some(9),
        ..Resume::default()
    });
    assert_eq!((clamped.chapter, clamped.focused), (2, Some(2)));
}

#[test]
fn failing_requires_ask_before_running_then_not_again() {
    let mut app = app();
    update(&mut app, Msg::DoctorDone(daemon_down()));
    press(&mut app, KeyCode::Right);
    assert_eq!(app.failing_requires().len(), 1);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(
        matches!(&app.overlay, Some(Overlay::Confirm(Confirm::Requires { step: 0, failing })) if failing == &["daemon"])
    );
    assert!(run_effect(&press(&mut app, KeyCode::Char('y'))).is_some());
    press(&mut app, KeyCode::Char('n'));
    assert!(
        run_effect(&press(&mut app, KeyCode::Enter)).is_some(),
        "the learner already agreed for this chapter"
    );
}

#[test]
fn confirm_steps_ask_and_file_steps_ask_before_replacing() {
    let mut app = app_with(Resume {
        chapter: 2,
        ..Resume::default()
    });
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(
        app.overlay,
        Some(Overlay::Confirm(Confirm::RunStep { step: 0 }))
    );
    assert!(run_effect(&press(&mut app, KeyCode::Enter)).is_some());
    press(&mut app, KeyCode::Char('n'));
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::WriteFile {
        request,
        overwrite: false,
    }) = effects.first()
    else {
        panic!("expected WriteFile, got {effects:?}");
    };
    let id = request.step_id.clone();
    update(
        &mut app,
        Msg::FileWritten {
            step_id: id.clone(),
            result: FileWriteResult::Differs {
                path: "app.py".into(),
            },
        },
    );
    assert_eq!(
        app.overlay,
        Some(Overlay::Confirm(Confirm::Overwrite {
            step: 1,
            path: "app.py".into()
        }))
    );
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(
        effects.first(),
        Some(Effect::WriteFile {
            overwrite: true,
            ..
        })
    ));
    let effects = update(
        &mut app,
        Msg::FileWritten {
            step_id: id.clone(),
            result: FileWriteResult::Written {
                path: "app.py".into(),
                bytes: 14,
            },
        },
    );
    assert_eq!(saved_steps(&effects), [(id.clone(), SavedStatus::Passed)]);
    assert_eq!(
        app.runs[&id].transcript.lines().next(),
        Some("wrote app.py (14 bytes)")
    );
}

#[test]
fn interactive_steps_ask_the_loop_for_the_terminal() {
    let mut app = app_with(Resume {
        chapter: 2,
        step: Some(2),
        ..Resume::default()
    });
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(effects.first(), Some(Effect::RunInteractive(r)) if r.step == 2));
    assert!(matches!(
        app.runs["more-3"].phase,
        Phase::Interactive { .. }
    ));
    let outcome =
        crate::tui::seam::runner::StepOutcome::passed(std::time::Duration::from_secs(3), Some(0));
    let effects = update(
        &mut app,
        Msg::InteractiveDone {
            step_id: "more-3".into(),
            outcome,
        },
    );
    assert_eq!(
        saved_steps(&effects),
        [("more-3".to_string(), SavedStatus::Passed)]
    );
}

#[test]
fn c_copies_the_focused_command() {
    let mut app = app();
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(
        press(&mut app, KeyCode::Char('c')),
        [Effect::CopyToClipboard("docker version".into())]
    );
}

#[test]
fn tab_moves_focus_and_scrolls_it_into_view() {
    let mut app = app();
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 15,
        },
    );
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.focused, Some(2), "focus stops at the last step");
    let rows = layout::doc_layout(&app)
        .rows_of(2)
        .expect("step 2 is laid out");
    let view = layout::viewport_rows(&app);
    assert!(
        (app.scroll..app.scroll + view).contains(&rows.header),
        "header {} not in {}+{view}",
        rows.header,
        app.scroll
    );
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.focused, Some(0));
}

#[test]
fn scrolling_is_clamped_and_keeps_focus_on_a_visible_step() {
    let mut app = app();
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 15,
        },
    );
    press(&mut app, KeyCode::Char('G'));
    let max = super::max_scroll(&app);
    assert!(max > 0);
    assert_eq!(app.scroll, max);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.scroll, max);
    let rows = layout::doc_layout(&app)
        .rows_of(app.focused.unwrap())
        .unwrap();
    assert!(rows.header >= app.scroll, "focus follows the scroll");
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.scroll, 0);
}

#[test]
fn output_box_scrolls_back_and_folds() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    let many: String = (1..=100).map(|i| format!("line {i}\n")).collect();
    update(&mut app, output("first-steps-1", &many));
    press(&mut app, KeyCode::Char('K'));
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(app.runs["first-steps-1"].scroll_back, 2);
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(app.runs["first-steps-1"].scroll_back, 1);
    press(&mut app, KeyCode::Char('o'));
    assert!(app.runs["first-steps-1"].folded);
}

#[test]
fn doctor_panel_opens_and_reruns_on_r() {
    let mut app = app();
    assert_eq!(press(&mut app, KeyCode::Char('d')), [Effect::RefreshDoctor]);
    assert_eq!(app.overlay, Some(Overlay::Doctor));
    assert!(
        press(&mut app, KeyCode::Char('r')).is_empty(),
        "a check already runs"
    );
    update(&mut app, Msg::DoctorDone(daemon_down()));
    assert_eq!(press(&mut app, KeyCode::Char('r')), [Effect::RefreshDoctor]);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.doctor_scroll, 11, "the panel scrolls");
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.doctor_scroll, 0);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Some(Overlay::Help));
}

#[test]
fn mouse_click_selects_a_chapter_and_a_step() {
    let mut app = app();
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let sidebar = layout::areas(app.width, app.height).sidebar;
    update(&mut app, click(3, sidebar.y + 3));
    assert_eq!(app.chapter, 2);
    let rows = layout::doc_layout(&app).rows_of(1).unwrap();
    let main = layout::areas(app.width, app.height).main;
    update(&mut app, click(main.x + 5, main.y + rows.header as u16));
    assert_eq!(app.focused, Some(1));
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: main.x + 5,
        row: main.y,
        modifiers: KeyModifiers::NONE,
    });
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 15,
        },
    );
    update(&mut app, wheel);
    assert_eq!(app.scroll, 3);
}

#[test]
fn a_ready_background_step_counts_as_passed_for_run_all() {
    let mut app = app_with(Resume {
        chapter: 1,
        ..Resume::default()
    });
    press(&mut app, KeyCode::Char('a'));
    let effects = update(
        &mut app,
        Msg::StepEvent {
            step_id: "serve-1".into(),
            event: RunEvent::Ready,
        },
    );
    assert_eq!(
        saved_steps(&effects),
        [("serve-1".to_string(), SavedStatus::Passed)]
    );
    assert_eq!(run_effect(&effects).map(|r| r.step), Some(1));
    // The server stopped later (cancelled when the chapter is left) is not a failure.
    let effects = update(&mut app, failed("serve-1", 137));
    assert!(saved_steps(&effects).is_empty());
}
