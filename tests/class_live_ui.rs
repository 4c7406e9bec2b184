//! The live class as people use it: the instructor's dashboard in tmux while a learner runs
//! a step, a learner joining from the TUI's form, and `class join|status|leave`.

use std::net::TcpListener;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

mod common;
use common::tmux::{AppSession, xdg_dirs};
#[path = "class_live/support.rs"]
mod support;
use support::*;

#[test]
fn the_dashboard_updates_while_a_learner_runs_a_step() {
    if !common::require_program(
        "the_dashboard_updates_while_a_learner_runs_a_step",
        "tmux",
        "-V",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmux = common::tmux::TmuxServer::new("class-dashboard");
    let serve = format!(
        "{BIN} --lessons {} class serve --bind 127.0.0.1 --port {port} --data {}",
        course.display(),
        data.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-x",
        "140",
        "-y",
        "30",
        "-s",
        "main",
        "env",
        "TERM=xterm-256color",
        "sh",
        "-c",
        &format!("{serve}; echo SERVE-EXITED-$?; sleep 60"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screen = tmux.wait_for("the dashboard", 20, |s| s.contains("join code"));
    let code = screen
        .split("join code ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the code on screen")
        .to_owned();
    assert!(screen.contains("No learner yet"), "{screen}");

    let learner_env = |cmd: &mut Command| {
        cmd.envs(xdg_dirs(dir.path()))
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&course)
            .arg("--workspace")
            .arg(dir.path().join("ws"));
    };
    let mut join = Command::new(BIN);
    learner_env(&mut join);
    let out = join
        .args([
            "class",
            "join",
            &format!("http://127.0.0.1:{port}"),
            "--code",
            &code,
            "--name",
            "Grace",
            "--no-doctor",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux.wait_for("the learner's row", 10, |s| s.contains("Grace"));

    let mut run = Command::new(BIN);
    learner_env(&mut run);
    let out = run.args(["run", "1", "--yes"]).output().unwrap();
    assert!(!out.status.success(), "the second step fails");
    let screen = tmux.wait_for("the failing step on the dashboard", 15, |s| {
        s.contains("FAILING") && s.contains("broken")
    });
    assert!(screen.contains("1/2"), "one of two steps passed: {screen}");
    assert!(screen.contains("1 stuck"), "{screen}");
    // Enter opens the learner's last failure.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the failure", 5, |s| {
        s.contains("last failure (Esc closes)")
    });
    tmux.keys(&["Escape", "q"]);
    let screen = tmux.wait_for("the server to stop", 10, |s| s.contains("SERVE-EXITED-0"));
    assert!(screen.contains("Class closed"), "{screen}");
}

#[test]
fn a_learner_joins_from_the_tui_and_its_results_arrive() {
    if !common::require_program(
        "a_learner_joins_from_the_tui_and_its_results_arrive",
        "tmux",
        "-V",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let tmux = open_tui("class-tui", dir.path(), &course);
    tmux.keys(&["L"]);
    tmux.wait_for("the join form", 5, |s| s.contains("Join a live class"));
    tmux.keys(&["-l", &serve.url]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", &serve.code]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", "Lin"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the join", 15, |s| {
        s.contains("joined `Live test`") || s.contains("class: connected")
    });
    // Run the focused step (it passes); its result reaches the class.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the step's output", 15, |s| s.contains("hello"));
    tmux.wait_for("the connected indicator", 15, |s| {
        s.contains("class: connected")
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = Command::new(BIN)
            .args(["class", "summary", "--json"])
            .arg(&data)
            .output()
            .unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let passed = summary["learners"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["learner"] == "Lin"))
            .map(|r| r["passed"].clone());
        if passed == Some(serde_json::json!(1)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pass never arrived: {summary}"
        );
        thread::sleep(Duration::from_millis(200));
    }
    tmux.keys(&["q"]);
    tmux.wait_for("the TUI to quit", 20, |s| s.contains("TUI-EXITED-0"));
    serve.stop();
}

#[test]
fn join_status_and_leave_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let learner = |args: &[&str]| {
        let out = Command::new(BIN)
            .envs(xdg_dirs(dir.path()))
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&course)
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let (code, text) = learner(&["class", "status"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("not in a class"), "{text}");
    let (code, text) = learner(&[
        "class", "join", &serve.url, "--code", "NOPE-00", "--name", "Kim",
    ]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("refused the join code"), "{text}");
    let (code, text) = learner(&[
        "class",
        "join",
        &serve.url,
        "--code",
        &serve.code,
        "--name",
        "Kim",
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("Joined `") && text.contains("was sent"),
        "{text}"
    );
    let (code, text) = learner(&["class", "status"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Connected"), "{text}");
    let (code, text) = learner(&["class", "leave"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Left the class"), "{text}");
    let (code, _) = learner(&["class", "status"]);
    assert_eq!(code, Some(1));
    serve.stop();
    // The join carried the doctor's verdict; the leave arrived too.
    let state = replay(&data);
    let kim = state.learners.values().find(|l| l.name == "Kim").unwrap();
    assert!(kim.export.doctor.is_some(), "the doctor's summary was sent");
    assert!(kim.left);
}

#[test]
fn a_tui_already_open_picks_up_a_class_joined_from_the_command_line() {
    if !common::require_program("a_tui_already_open_picks_up_a_class_joined", "tmux", "-V") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let tmux = open_tui("class-tui-later", dir.path(), &course);
    let out = Command::new(BIN)
        .envs(xdg_dirs(dir.path()))
        .arg("--lessons")
        .arg(&course)
        .args([
            "class",
            "join",
            &serve.url,
            "--code",
            &serve.code,
            "--name",
            "Mo",
            "--no-doctor",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("the step's output", 15, |s| s.contains("hello"));
    tmux.wait_for("the connected indicator", 15, |s| {
        s.contains("class: connected")
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    while replay(&data)
        .learners
        .values()
        .find(|l| l.name == "Mo")
        .is_none_or(|l| l.step_events == 0)
    {
        assert!(Instant::now() < deadline, "the TUI's result never arrived");
        thread::sleep(Duration::from_millis(200));
    }
    tmux.keys(&["q"]);
    tmux.wait_for("the TUI to quit", 20, |s| s.contains("TUI-EXITED-0"));
    serve.stop();
}

/// The learner's TUI on `course` in a tmux session (home and workspace in `dir`), once its
/// first chapter shows; `TUI-EXITED-<code>` when it quits.
fn open_tui(
    name: &str,
    dir: &std::path::Path,
    course: &std::path::Path,
) -> common::tmux::TmuxServer {
    let tmux = common::tmux::TmuxServer::new(name);
    tmux.start(AppSession {
        size: (120, 36),
        home: dir,
        unset: &[],
        set: Vec::new(),
        command: format!(
            "{BIN} --lessons {} --workspace {}",
            course.display(),
            dir.join("ws").display()
        ),
        exited: "TUI-EXITED",
    });
    tmux.wait_for("the TUI", 20, |s| s.contains("First"));
    tmux
}
