//! `update` and steps: running, output, results, run-all, confirmations, chapters.

use ratatui::crossterm::event::KeyCode;

use super::update;
use crate::runner::{FailReason, RunEvent, StepResult};
use crate::tui::msg::{Effect, FileWriteResult, Msg, ProgressUpdate, StepRequest};
use crate::tui::state::{CheckStatus, Confirm, Overlay, Phase, Resume, SavedStatus};
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
    let effects = update(&mut app, cancelled("first-steps-1"));
    assert!(saved_steps(&effects).is_empty());
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        update(&mut app, ctrl('c')),
        [Effect::Cancel("first-steps-1".into())]
    );
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
    assert!(app.view.notice.as_ref().is_some_and(|n| n.error));
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
fn failing_requires_ask_before_running_then_not_again() {
    let mut app = app();
    update(&mut app, Msg::DoctorDone(daemon_down()));
    press(&mut app, KeyCode::Right);
    assert_eq!(app.failing_requires().len(), 1);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(
        matches!(&app.view.overlay, Some(Overlay::Confirm(Confirm::Requires { step: 0, failing })) if failing == &["daemon"])
    );
    assert!(run_effect(&press(&mut app, KeyCode::Char('y'))).is_some());
    press(&mut app, KeyCode::Char('n'));
    assert!(
        run_effect(&press(&mut app, KeyCode::Enter)).is_some(),
        "the learner already agreed for this chapter"
    );
}

#[test]
fn a_chapter_requiring_ports_is_judged_by_its_own_ports() {
    // The panel checked the whole course's ports; port 5001 of another chapter is in use.
    // This chapter publishes 8000 only: it may run, as `run` (checking 8000 alone) lets it.
    let mut app = app();
    app.course.chapters[1].front.requires = vec!["ports".into()];
    app.course.chapters[1].steps[0].kind = crate::lesson::StepKind::Command {
        script: "docker run -d -p 8000:8000 dg-serve".into(),
    };
    let panel = |blocked: u16| {
        let mut summary = daemon_down();
        summary.engine_ok = true;
        summary.checks[0].id = "ports".into();
        summary.checks[0].detail = format!("in use: {blocked}");
        summary.blocked_ports = vec![blocked];
        summary
    };
    update(&mut app, Msg::DoctorDone(panel(5001)));
    press(&mut app, KeyCode::Right);
    assert!(app.failing_requires().is_empty());
    update(&mut app, Msg::DoctorDone(panel(8000)));
    assert_eq!(app.failing_requires().len(), 1);
}

#[test]
fn a_required_check_that_skipped_itself_asks_too() {
    // As `gpu` does on a machine without an NVIDIA runtime: the chapter cannot run here, so
    // its banner names it and running a step asks first, as for a failure.
    let mut app = app();
    let mut summary = daemon_down();
    summary.engine_ok = true;
    summary.checks[0].status = CheckStatus::Skipped;
    summary.checks[0].detail = "skipped: no NVIDIA GPU runtime in this engine".into();
    update(&mut app, Msg::DoctorDone(summary));
    press(&mut app, KeyCode::Right);
    assert_eq!(app.failing_requires().len(), 1);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(
        &app.view.overlay,
        Some(Overlay::Confirm(Confirm::Requires { step: 0, .. }))
    ));
}

#[test]
fn confirm_steps_ask_and_file_steps_ask_before_replacing() {
    let mut app = app_with(Resume {
        chapter: 2,
        ..Resume::default()
    });
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(
        app.view.overlay,
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
        app.view.overlay,
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
    let outcome = crate::runner::StepOutcome::passed(std::time::Duration::from_secs(3), Some(0));
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

#[test]
fn a_server_stopped_after_it_served_still_shows_as_passed() {
    let mut app = app_with(Resume {
        chapter: 1,
        ..Resume::default()
    });
    press(&mut app, KeyCode::Enter);
    update(
        &mut app,
        Msg::StepEvent {
            step_id: "serve-1".into(),
            event: RunEvent::Ready,
        },
    );
    update(
        &mut app,
        finished("serve-1", StepResult::Failed(FailReason::Cancelled), None),
    );
    let step = app.course.chapters[1].steps[0].clone();
    assert!(matches!(
        app.badge(&step),
        crate::render::StepBadge::Passed { .. }
    ));
    assert!(app.step_done(&step));
}

#[test]
fn the_last_pass_of_a_chapter_says_what_comes_next() {
    let mut app = app();
    for (i, id) in ["first-steps-1", "first-steps-2", "first-steps-3"]
        .iter()
        .enumerate()
    {
        app.focused = Some(i);
        press(&mut app, KeyCode::Enter);
        update(&mut app, passed(id));
    }
    let notice = app.view.notice.as_ref().map(|n| n.text.as_str());
    assert_eq!(notice, Some("chapter 1 done: → opens the next one"));
}

#[test]
fn a_step_with_a_placeholder_is_never_run_as_written_the_form_asks() {
    let mut app = app();
    app.course.chapters[0].steps[0].reading.placeholders = vec![crate::lesson::Placeholder {
        name: "container-id".into(),
        written: "<container-id>".into(),
    }];
    for key in [KeyCode::Enter, KeyCode::Char('a')] {
        let effects = press(&mut app, key);
        assert!(run_effect(&effects).is_none(), "{key:?} must not run it");
        let Some(Overlay::Values(form)) = &app.view.overlay else {
            panic!(
                "{key:?}: the form asks for the value: {:?}",
                app.view.overlay
            );
        };
        assert_eq!(form.fields[0].written, "<container-id>");
        press(&mut app, KeyCode::Esc);
        assert!(app.run_all.is_none());
    }
}
