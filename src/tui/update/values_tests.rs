//! The placeholder form: asked before a step with `<container-id>` runs, typed into, the
//! command shown as it will run, values remembered for the chapter and editable with `v`.

use std::time::Instant;

use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::update;
use crate::tui::msg::{Effect, StepRequest};
use crate::tui::state::{App, Overlay, Resume};
use crate::tui::testing::*;

const CHAPTER: &str = "# Containers\n\n```sh\ndocker ps -a\n```\n\n\
```sh\ndocker logs <container-id>\ndocker tag app YOUR_USERNAME/app\n```\n\n\
```sh\ndocker rm -f <container-id>\n```\n";

fn form_app() -> App {
    let mut course = course();
    let (chapter, _) = crate::lesson::parse_chapter("c.md", "lessons/c.md", CHAPTER);
    course.chapters[0] = chapter;
    let mut app = App::new(course, Resume::default(), false, Instant::now());
    resize(&mut app, 80, 24);
    app
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn run_request(effects: &[Effect]) -> Option<StepRequest> {
    effects.iter().find_map(|e| match e {
        Effect::RunStep(r) => Some(r.clone()),
        _ => None,
    })
}

fn screen(app: &mut App) -> String {
    app.ensure_rendered();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| crate::tui::view::render(app, frame))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_step_with_placeholders_asks_for_them_and_runs_with_them() {
    let mut app = form_app();
    app.focused = Some(1);
    let effects = press(&mut app, KeyCode::Enter);
    assert!(run_request(&effects).is_none(), "never run as written");
    let Some(Overlay::Values(form)) = &app.view.overlay else {
        panic!("the form opens: {:?}", app.view.overlay);
    };
    assert_eq!(
        form.fields
            .iter()
            .map(|f| f.written.as_str())
            .collect::<Vec<_>>(),
        ["<container-id>", "YOUR_USERNAME"]
    );
    // `q`, `x` and `?` are letters of a value here, not commands.
    type_text(&mut app, "web-qx?");
    press(&mut app, KeyCode::Backspace);
    // Enter with a field still empty goes to it instead of running.
    assert!(run_request(&press(&mut app, KeyCode::Enter)).is_none());
    type_text(&mut app, "ada");
    assert_snapshot!("values_form_filled", screen(&mut app));
    let effects = press(&mut app, KeyCode::Enter);
    let request = run_request(&effects).expect("runs once complete");
    assert_eq!(request.step, 1);
    assert_eq!(
        request.values,
        [
            ("container-id".to_string(), "web-qx".to_string()),
            ("YOUR_USERNAME".to_string(), "ada".to_string())
        ]
    );
    assert_eq!(app.view.overlay, None);
    // The output box starts with what runs.
    let shown: Vec<&str> = app.runs["c-2"].transcript.lines().collect();
    assert_eq!(
        shown,
        [
            "with your values (v changes them):",
            "$ docker logs web-qx",
            "  docker tag app ada/app"
        ]
    );
}

#[test]
fn values_are_remembered_for_the_chapter_and_v_changes_them() {
    let mut app = form_app();
    app.focused = Some(1);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "web");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "ada");
    press(&mut app, KeyCode::Enter);
    update(&mut app, passed("c-2"));
    // The next step needs the same <container-id>: it runs at once.
    assert_eq!(app.focused, Some(2));
    let request = run_request(&press(&mut app, KeyCode::Enter)).expect("no form again");
    assert_eq!(request.step, 2);
    update(&mut app, passed("c-3"));
    // `v` opens the form prefilled; Ctrl-U clears a field.
    app.focused = Some(2);
    press(&mut app, KeyCode::Char('v'));
    let Some(Overlay::Values(form)) = &app.view.overlay else {
        panic!("v opens the form");
    };
    assert_eq!(form.fields[0].value, "web");
    update(&mut app, ctrl('u'));
    type_text(&mut app, "db");
    let request = run_request(&press(&mut app, KeyCode::Enter)).unwrap();
    assert_eq!(request.values[0], ("container-id".into(), "db".into()));
    assert_eq!(app.inputs[&0].value("container-id"), Some("db"));
    // On a step without placeholders, `v` says so.
    app.focused = Some(0);
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.view.overlay, None);
    assert!(notice_text(&app).contains("no value"));
}

#[test]
fn esc_cancels_the_form_and_a_run_all_chain() {
    let mut app = form_app();
    press(&mut app, KeyCode::Char('a'));
    update(&mut app, passed("c-1"));
    assert!(
        matches!(app.view.overlay, Some(Overlay::Values(_))),
        "a waits for the values"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view.overlay, None);
    assert_eq!(app.run_all, None);
    assert!(!app.runs.contains_key("c-2"));
}
