//! Screen snapshots on a `TestBackend` at 80×24 and 120×40 (text only: colours are covered by
//! the styling tests in `render::output`).

use std::time::Duration;

use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::runner::{Explanation, Fix, RunEvent};
use crate::tui::msg::Msg;
use crate::tui::state::{App, CheckLine, CheckStatus, DoctorResults};
use crate::tui::testing::*;
use crate::tui::update::update;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn screen(app: &mut App, width: u16, height: u16) -> String {
    resize(app, width, height);
    app.ensure_rendered();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| super::render(app, frame))
        .expect("draw");
    terminal.backend().to_string()
}

fn doctor(ok: bool) -> DoctorResults {
    let check = |id: &str, status, title: &str, detail: &str, fix: Option<&str>| CheckLine {
        id: id.into(),
        status,
        title: title.into(),
        detail: detail.into(),
        fix: fix.map(Into::into),
    };
    let daemon = if ok {
        check(
            "daemon",
            CheckStatus::Ok,
            "Docker daemon",
            "Engine 20.10.24 answers on unix:///var/run/docker.sock",
            None,
        )
    } else {
        check(
            "daemon",
            CheckStatus::Fail,
            "Docker daemon",
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock",
            Some(
                "Start it: sudo systemctl start docker (Linux) or open Docker Desktop (macOS, Windows)",
            ),
        )
    };
    DoctorResults {
        headline: if ok {
            "Docker 20.10 ✓".into()
        } else {
            "daemon not running ✗".into()
        },
        engine_ok: ok,
        checks: vec![
            check(
                "docker",
                CheckStatus::Ok,
                "Docker CLI",
                "docker 28.2.2 at /usr/local/bin/docker",
                None,
            ),
            daemon,
            check(
                "compose",
                CheckStatus::Warn,
                "Docker Compose",
                "the compose plugin is not installed",
                Some("Install docker-compose-plugin, then run: docker compose version"),
            ),
            check(
                "buildx",
                CheckStatus::Skipped,
                "BuildKit (buildx)",
                "skipped: the daemon is not reachable",
                None,
            ),
        ],
        blocked_ports: Vec::new(),
    }
}

fn each_size(name: &str, mut setup: impl FnMut(&mut App)) {
    for (w, h) in SIZES {
        let app = &mut app();
        resize(app, w, h);
        setup(app);
        assert_snapshot!(format!("{name}_{w}x{h}"), screen(app, w, h));
    }
}

#[test]
fn chapter_view() {
    each_size("chapter", |app| {
        update(app, Msg::DoctorDone(doctor(true)));
    });
}

/// With a healthy engine, runs the chapter's first step, which prints `text` so far.
fn run_the_first_step(app: &mut App, text: &str) {
    update(app, Msg::DoctorDone(doctor(true)));
    press(app, KeyCode::Enter);
    update(app, output("first-steps-1", text));
}

#[test]
fn running_step_with_partial_output() {
    each_size("running", |app| {
        run_the_first_step(
            app,
            "hello-from-step\n\x1b[32mline 1\x1b[0m\nline 2\nline 3 is still being writ",
        );
        let later = app.now + Duration::from_millis(3200);
        update(app, Msg::Tick(later));
    });
}

static DAEMON_DOWN: Explanation = Explanation {
    id: "daemon-unreachable",
    cause: "The Docker client could not reach the Docker engine: the daemon is not running, or this user may not use its socket.",
    fix: Fix {
        linux: "Start Docker (sudo systemctl start docker, or open Docker Desktop), then run docker-guide doctor.",
        macos: None,
        windows: None,
    },
};

#[test]
fn failed_step_with_its_explanation() {
    each_size("failed", |app| {
        update(app, Msg::DoctorDone(doctor(false)));
        press(app, KeyCode::Char('n'));
        press(app, KeyCode::Enter);
        update(
            app,
            output(
                "first-steps-2",
                "Client: Docker Engine - Community\n Version: 28.2.2\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
            ),
        );
        update(app, failed("first-steps-2", 1));
        app.runs.get_mut("first-steps-2").expect("run").explanation = Some(&DAEMON_DOWN);
        crate::tui::update::scroll_into_view(app, 1);
    });
}

#[test]
fn long_output_scrolls_inside_its_box() {
    let app = &mut app();
    press(app, KeyCode::Enter);
    let many: String = (1..=40).map(|i| format!("line {i}\n")).collect();
    update(app, output("first-steps-1", &many));
    let text = screen(app, 120, 40);
    assert!(
        text.contains("line 40") && !text.contains("line 1 "),
        "{text}"
    );
    assert!(
        text.contains("↑ 28 more"),
        "the box says how many lines are above: {text}"
    );
}

#[test]
fn doctor_panel() {
    each_size("doctor", |app| {
        update(app, Msg::DoctorDone(doctor(false)));
        press(app, KeyCode::Char('d'));
    });
}

#[test]
fn requires_banner_and_confirm() {
    let app = &mut app();
    update(app, Msg::DoctorDone(doctor(false)));
    press(app, KeyCode::Right);
    press(app, KeyCode::Enter);
    assert_snapshot!("requires_120x40", screen(app, 120, 40));
}

#[test]
fn help_overlay() {
    each_size("help", |app| {
        press(app, KeyCode::Char('?'));
    });
}

#[test]
fn too_small() {
    let app = &mut app();
    assert_snapshot!("too_small_59x24", screen(app, 59, 24));
    assert_snapshot!("too_small_80x14", screen(app, 80, 14));
}

#[test]
fn monochrome_still_shows_focus() {
    let app = &mut app();
    app.config.color = false;
    resize(app, 80, 24);
    app.ensure_rendered();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    terminal
        .draw(|frame| super::render(app, frame))
        .expect("draw");
    let buf = terminal.backend().buffer();
    let styles: Vec<_> = buf.content().iter().map(|c| c.fg).collect();
    assert!(
        styles.iter().all(|fg| *fg == ratatui::style::Color::Reset),
        "no colour under NO_COLOR"
    );
    let sidebar_row = layout_row_of_current_chapter(app);
    let reversed = buf
        .cell((3, sidebar_row))
        .expect("cell")
        .modifier
        .contains(ratatui::style::Modifier::REVERSED);
    assert!(reversed, "the current chapter is shown reversed");
}

fn layout_row_of_current_chapter(app: &App) -> u16 {
    crate::tui::layout::areas(app.view.width, app.view.height)
        .sidebar
        .y
        + 1
        + app.chapter as u16
}

#[test]
fn a_background_server_keeps_streaming_while_the_next_step_runs() {
    let app = &mut app();
    update(app, Msg::DoctorDone(doctor(true)));
    resize(app, 120, 40);
    press(app, KeyCode::Right);
    press(app, KeyCode::Enter);
    update(
        app,
        output("serve-1", "Serving HTTP on 0.0.0.0 port 8000 ...\n"),
    );
    update(
        app,
        Msg::StepEvent {
            step_id: "serve-1".into(),
            event: RunEvent::Ready,
        },
    );
    assert_eq!(
        app.focused,
        Some(0),
        "a server that is ready does not move the focus"
    );
    press(app, KeyCode::Char('n'));
    press(app, KeyCode::Enter);
    update(
        app,
        output("serve-1", "127.0.0.1 - - \"GET / HTTP/1.1\" 200 -\n"),
    );
    update(
        app,
        output("serve-2", "<!DOCTYPE HTML>\n<html lang=\"en\">\n"),
    );
    let later = app.now + Duration::from_secs(2);
    update(app, Msg::Tick(later));
    assert_snapshot!("background_120x40", screen(app, 120, 40));
}

#[test]
fn a_chapter_with_load_errors_says_where_above_its_text() {
    let mut course = course();
    let file = course.chapters[0].display_path.clone();
    course.diagnostics.push(crate::lesson::Diagnostic {
        severity: crate::lesson::Severity::Error,
        pos: crate::lesson::SourcePos {
            file: file.clone(),
            line: 7,
            column: 14,
        },
        message: "unterminated `{` in the info string".into(),
    });
    course.diagnostics.push(crate::lesson::Diagnostic {
        severity: crate::lesson::Severity::Warning,
        pos: crate::lesson::SourcePos {
            file,
            line: 9,
            column: 1,
        },
        message: "a warning the learner need not see".into(),
    });
    let mut app = App::new(course, Default::default(), true, std::time::Instant::now());
    let text = screen(&mut app, 120, 40);
    let banner = text
        .lines()
        .position(|l| l.contains("This chapter's file has problems"))
        .expect("the banner");
    let place = text
        .lines()
        .position(|l| l.contains(":7:14: unterminated `{` in the info string"))
        .expect("the error with its place");
    assert!(banner < place, "{text}");
    assert!(!text.contains("a warning the learner"), "{text}");
    let step = text
        .lines()
        .position(|l| l.contains("Step 1"))
        .expect("the chapter still shows");
    assert!(place < step, "{text}");
}

#[test]
fn a_failure_names_what_its_message_names() {
    let app = &mut app();
    // A real message from the engine (docker run -p on a port another container holds).
    run_the_first_step(
        app,
        "docker: Error response from daemon: driver failed programming external connectivity on endpoint web (3f2a): Bind for 0.0.0.0:5000 failed: port is already allocated.\n",
    );
    update(app, failed("first-steps-1", 125));
    let text = screen(app, 120, 40);
    let why = text.lines().position(|l| l.contains("Why  ")).expect("why");
    let here = text
        .lines()
        .position(|l| l.contains("Here port 5000 is taken"))
        .expect("here names the port");
    let fix = text.lines().position(|l| l.contains("Fix  ")).expect("fix");
    assert!(why < here && here < fix, "{text}");
}
