//! `update` and the chapter's shell state: a step's end carries to the next request, shows in
//! the focused step's header, and the chapter's first command starts over.

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::update;
use crate::runner::{RunEvent, ShellEnd, StepOutcome};
use crate::tui::msg::{Effect, Msg, StepRequest};
use crate::tui::testing::*;

fn run_request(effects: &[Effect]) -> StepRequest {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::RunStep(r) => Some(r.clone()),
            _ => None,
        })
        .expect("a RunStep effect")
}

fn passed_in(step_id: &str, started: &str, cwd: &str, changed: &[(&str, Option<&str>)]) -> Msg {
    let mut outcome = StepOutcome::passed(std::time::Duration::from_millis(5), Some(0));
    outcome.shell_end = Some(ShellEnd {
        cwd: PathBuf::from(cwd),
        started: PathBuf::from(started),
        changed: changed
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect(),
    });
    Msg::StepEvent {
        step_id: step_id.into(),
        event: RunEvent::Finished(outcome),
    }
}

fn screen(app: &mut crate::tui::state::App) -> String {
    resize(app, 100, 24);
    app.ensure_rendered();
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).unwrap();
    terminal
        .draw(|frame| crate::tui::view::render(app, frame))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn cd_and_export_in_one_step_reach_the_next_and_show_in_its_header() {
    let mut app = app();
    let first = run_request(&press(&mut app, KeyCode::Enter));
    assert!(first.shell.is_fresh());
    update(
        &mut app,
        passed_in(
            "first-steps-1",
            "/dg-test-ws",
            "/dg-test-ws/repo",
            &[("GREETING", Some("hi"))],
        ),
    );
    assert_eq!(
        app.shell_summary().as_deref(),
        Some("in /dg-test-ws/repo · GREETING exported")
    );
    // Focus moved to step 2: its header says where it starts.
    assert_eq!(app.focused, Some(1));
    let text = screen(&mut app);
    let header = text
        .lines()
        .find(|l| l.contains("▶ Step 2"))
        .expect("step 2's header");
    assert!(
        header.contains("runs: sh · in /dg-test-ws/repo · GREETING e"),
        "{header}"
    );
    // Only the focused step's header says it.
    assert!(
        !text
            .lines()
            .any(|l| l.contains("▶ Step 3") && l.contains("in /dg-test-ws")),
        "{text}"
    );
    // The next run gets the state.
    let second = run_request(&press(&mut app, KeyCode::Enter));
    assert_eq!(second.step, 1);
    assert_eq!(second.shell, app.inputs[&0].shell);
    assert_eq!(
        second.shell.cwd(),
        Some(std::path::Path::new("/dg-test-ws/repo"))
    );
}

#[test]
fn the_chapters_first_command_run_again_starts_the_chapter_over() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    update(
        &mut app,
        passed_in("first-steps-1", "/dg-test-ws", "/dg-test-ws/repo", &[]),
    );
    assert!(app.shell_summary().is_some());
    app.focused = Some(0);
    let again = run_request(&press(&mut app, KeyCode::Enter));
    assert!(again.shell.is_fresh());
    assert_eq!(app.shell_summary(), None);
}

#[test]
fn a_shell_state_is_the_chapters_own() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    update(
        &mut app,
        passed_in("first-steps-1", "/dg-test-ws", "/dg-test-ws/repo", &[]),
    );
    press(&mut app, KeyCode::Right);
    assert_eq!(app.chapter, 1);
    assert_eq!(app.shell_summary(), None, "another chapter starts fresh");
    press(&mut app, KeyCode::Left);
    assert_eq!(
        app.shell_summary().as_deref(),
        Some("in /dg-test-ws/repo"),
        "and coming back finds it where it was"
    );
}

#[test]
fn a_step_after_an_unrun_cd_says_where_it_starts() {
    let mut app = app();
    let (chapter, _) = crate::lesson::parse_chapter(
        "c.md",
        "lessons/c.md",
        "# C\n\n```sh\ngit clone x repo\ncd repo\n```\n\n```sh\nls\n```\n",
    );
    app.course.chapters[0] = chapter;
    app.focused = Some(1);
    let request = run_request(&press(&mut app, KeyCode::Enter));
    assert_eq!(request.step, 1, "it runs all the same");
    let notice = app.view.notice.as_ref().expect("a notice");
    assert!(
        notice
            .text
            .contains("step 1 changes the folder or environment"),
        "{}",
        notice.text
    );
}
