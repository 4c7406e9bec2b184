//! Test helpers: a small course built in code, key and event constructors.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

use super::msg::{Effect, Msg};
use super::state::{App, CheckLine, CheckStatus, DoctorResults, Resume};
use super::update::update;
use crate::lesson::{
    Chapter, Course, CourseSource, FrontMatter, SourcePos, Step, StepAttrs, StepKind,
};
use crate::runner::{FailReason, RunEvent, StepOutcome, StepResult};

fn step(
    slug: &str,
    index: usize,
    kind: StepKind,
    code: &str,
    attrs: StepAttrs,
    markdown: &mut String,
) -> Step {
    let start = markdown.len();
    markdown.push_str(&format!("```sh\n{code}\n```\n"));
    let span = start..markdown.len();
    markdown.push_str(&format!(
        "\nAfter step {}, some words about what happened.\n\n",
        index + 1
    ));
    Step {
        id: format!("{slug}-{}", index + 1),
        index,
        kind,
        lang: "sh".into(),
        code: code.into(),
        attrs,
        pos: SourcePos {
            file: format!("lessons/{slug}.md"),
            line: 1,
            column: 1,
        },
        span,
        task: None,
        reading: Default::default(),
    }
}

fn chapter(
    slug: &str,
    title: &str,
    front: FrontMatter,
    steps: Vec<(StepKind, &str, StepAttrs)>,
) -> Chapter {
    let mut markdown =
        format!("# {title}\n\nWhat this chapter teaches, in two short sentences. Read on.\n\n");
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(i, (kind, code, attrs))| step(slug, i, kind, code, attrs, &mut markdown))
        .collect();
    Chapter {
        slug: slug.into(),
        file_name: format!("{slug}.md"),
        display_path: format!("lessons/{slug}.md"),
        title: title.into(),
        front,
        markdown: markdown.into(),
        body_first_line: 1,
        steps,
    }
}

fn cmd(script: &str) -> (StepKind, &str, StepAttrs) {
    (
        StepKind::Command {
            script: script.into(),
        },
        script,
        StepAttrs::default(),
    )
}

/// Three chapters: plain commands; a background server with a cleanup and `requires`;
/// a confirm step, a file step and an interactive step.
pub fn course() -> Course {
    let server = StepAttrs {
        background: true,
        ..StepAttrs::default()
    };
    let confirm = StepAttrs {
        confirm: true,
        ..StepAttrs::default()
    };
    let interactive = StepAttrs {
        interactive: true,
        ..StepAttrs::default()
    };
    let file = (
        StepKind::File {
            path: "app.py".into(),
        },
        "print('hello')",
        StepAttrs::default(),
    );
    Course {
        id: "test-course".into(),
        title: "Test Course".into(),
        description: None,
        version: None,
        images: Vec::new(),
        source: CourseSource::Embedded,
        chapters: vec![
            chapter(
                "first-steps",
                "First steps",
                FrontMatter::default(),
                vec![
                    cmd("echo hello-from-step"),
                    cmd("docker version"),
                    cmd("docker run --rm hello-world"),
                ],
            ),
            chapter(
                "serve",
                "Serve a model",
                FrontMatter {
                    requires: vec!["daemon".into()],
                    cleanup: vec!["docker rm -f dg-serve".into()],
                    ..FrontMatter::default()
                },
                vec![
                    (
                        StepKind::Command {
                            script: "python -m http.server".into(),
                        },
                        "python -m http.server",
                        server,
                    ),
                    cmd("curl -s localhost:8000"),
                ],
            ),
            chapter(
                "more",
                "More kinds of steps",
                FrontMatter::default(),
                vec![
                    (
                        StepKind::Command {
                            script: "docker system prune -f".into(),
                        },
                        "docker system prune -f",
                        confirm,
                    ),
                    file,
                    (
                        StepKind::Command {
                            script: "docker run -it --rm alpine sh".into(),
                        },
                        "docker run -it --rm alpine sh",
                        interactive,
                    ),
                ],
            ),
        ],
        assets: Vec::new(),
        diagnostics: Vec::new(),
    }
}

pub fn app() -> App {
    app_with(Resume::default())
}

pub fn app_with(resume: Resume) -> App {
    let mut app = App::new(course(), resume, true, Instant::now());
    resize(&mut app, 120, 40);
    app
}

/// The terminal is now `width` × `height`.
pub fn resize(app: &mut App, width: u16, height: u16) {
    update(app, Msg::Resize { width, height });
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The status bar's notice (there must be one).
pub fn notice_text(app: &App) -> &str {
    &app.view.notice.as_ref().expect("a notice").text
}

/// A step stopped by a cancel.
pub fn cancelled(step_id: &str) -> Msg {
    finished(step_id, StepResult::Failed(FailReason::Cancelled), None)
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

pub fn output(step_id: &str, text: &str) -> Msg {
    Msg::StepEvent {
        step_id: step_id.into(),
        event: RunEvent::Output(text.as_bytes().to_vec()),
    }
}

pub fn finished(step_id: &str, result: StepResult, exit_code: Option<i32>) -> Msg {
    let mut outcome = StepOutcome::passed(Duration::from_millis(1234), exit_code);
    outcome.result = result;
    Msg::StepEvent {
        step_id: step_id.into(),
        event: RunEvent::Finished(outcome),
    }
}

pub fn passed(step_id: &str) -> Msg {
    finished(step_id, StepResult::Passed, Some(0))
}

pub fn failed(step_id: &str, got: i32) -> Msg {
    finished(
        step_id,
        StepResult::Failed(FailReason::ExitCode { expected: 0, got }),
        Some(got),
    )
}

/// A doctor report where the engine is down.
pub fn daemon_down() -> DoctorResults {
    DoctorResults {
        headline: "daemon not running ✗".into(),
        engine_ok: false,
        checks: vec![CheckLine {
            id: "daemon".into(),
            status: CheckStatus::Fail,
            title: "Docker daemon".into(),
            detail: "Cannot connect to the Docker daemon".into(),
            fix: Some("sudo systemctl start docker".into()),
        }],
        blocked_ports: Vec::new(),
    }
}
