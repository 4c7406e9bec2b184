//! The live class as people use it: the instructor's dashboard in tmux while a learner runs
//! a step, a learner joining from the TUI's form, and `class join|status|leave`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};

use tempfile::TempDir;

mod common;
use common::tmux::{AppSession, TmuxServer, xdg_dirs};
use common::{assert_success, wait_until};
#[path = "class_live/support.rs"]
mod support;
use support::*;

/// One test's class: a home with the tiny course (two steps, the second failing) and the
/// path of the class database.
struct Class {
    dir: TempDir,
    course: PathBuf,
    data: PathBuf,
}

impl Class {
    fn new() -> Class {
        let dir = tempfile::tempdir().unwrap();
        let course = tiny_course(dir.path());
        let data = dir.path().join("class.db");
        Class { dir, course, data }
    }

    /// `docker-guide ARGS` as the learner of this home runs it (its own XDG folders and
    /// workspace, this course, no colours).
    fn learner(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .envs(xdg_dirs(self.dir.path()))
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&self.course)
            .arg("--workspace")
            .arg(self.dir.path().join("ws"))
            .args(args)
            .output()
            .unwrap()
    }

    /// The learner's TUI in a tmux session, once its first chapter shows;
    /// `TUI-EXITED-<code>` when it quits.
    fn open_tui(&self, name: &str) -> TmuxServer {
        let tmux = TmuxServer::new(name);
        tmux.start(AppSession {
            size: (120, 36),
            home: self.dir.path(),
            unset: &[],
            set: Vec::new(),
            command: format!(
                "{BIN} --lessons {} --workspace {}",
                self.course.display(),
                self.dir.path().join("ws").display()
            ),
            exited: "TUI-EXITED",
        });
        tmux.wait_for("the TUI", 20, |s| s.contains("First"));
        tmux
    }

    /// Runs the focused step in the TUI (it passes), waits for it to reach the class as
    /// `arrived` says, and quits the TUI.
    fn run_a_step_in_the_tui(&self, tmux: &TmuxServer, arrived: impl FnMut() -> bool) {
        tmux.keys(&["Enter"]);
        tmux.wait_for("the step's output", 15, |s| s.contains("hello"));
        tmux.wait_for("the connected indicator", 15, |s| {
            s.contains("class: connected")
        });
        wait_until("the step's result reaching the class", 15, arrived);
        tmux.keys(&["q"]);
        tmux.wait_for("the TUI to quit", 20, |s| s.contains("TUI-EXITED-0"));
    }
}

/// `class join URL --code CODE --name NAME EXTRA…`.
fn join<'a>(url: &'a str, code: &'a str, name: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["class", "join", url, "--code", code, "--name", name];
    args.extend_from_slice(extra);
    args
}

fn tmux_runs(test: &str) -> bool {
    common::require_program(test, "tmux", "-V")
}

/// A class served (`class serve --no-dashboard`) and the learner's TUI open beside it, once
/// tmux is known to run (else `None` after the skip gate).
fn a_class_and_the_tui(test: &str) -> Option<(Class, Serve, TmuxServer)> {
    if !tmux_runs(test) {
        return None;
    }
    let class = Class::new();
    let serve = Serve::start(&class.data, 0);
    let session = test.chars().take(24).collect::<String>();
    let tmux = class.open_tui(&session);
    Some((class, serve, tmux))
}

#[test]
fn the_dashboard_updates_while_a_learner_runs_a_step() {
    if !tmux_runs("the_dashboard_updates_while_a_learner_runs_a_step") {
        return;
    }
    let class = Class::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmux = TmuxServer::new("class-dashboard");
    tmux.start(AppSession {
        size: (140, 30),
        home: class.dir.path(),
        unset: &[],
        set: Vec::new(),
        command: format!(
            "{BIN} --lessons {} class serve --bind 127.0.0.1 --port {port} --data {}",
            class.course.display(),
            class.data.display()
        ),
        exited: "SERVE-EXITED",
    });
    let screen = tmux.wait_for("the dashboard", 20, |s| s.contains("join code"));
    let code = screen
        .split("join code ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the code on screen")
        .to_owned();
    assert!(screen.contains("No learner yet"), "{screen}");

    let url = format!("http://127.0.0.1:{port}");
    let out = class.learner(&join(&url, &code, "Grace", &["--no-doctor"]));
    assert_success(&out);
    tmux.wait_for("the learner's row", 10, |s| s.contains("Grace"));

    let out = class.learner(&["run", "1", "--yes"]);
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
    let Some((class, serve, tmux)) =
        a_class_and_the_tui("a_learner_joins_from_the_tui_and_its_results_arrive")
    else {
        return;
    };
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
    // The instructor's report counts the pass.
    class.run_a_step_in_the_tui(&tmux, || {
        let out = Command::new(BIN)
            .args(["class", "summary", "--json"])
            .arg(&class.data)
            .output()
            .unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        summary["learners"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["learner"] == "Lin"))
            .is_some_and(|r| r["passed"] == 1)
    });
    serve.stop();
}

#[test]
fn join_status_and_leave_from_the_command_line() {
    let class = Class::new();
    let serve = Serve::start(&class.data, 0);
    let learner = |args: &[&str]| {
        let out = class.learner(args);
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
    let (code, text) = learner(&join(&serve.url, "NOPE-00", "Kim", &[]));
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("refused the join code"), "{text}");
    let (code, text) = learner(&join(&serve.url, &serve.code, "Kim", &[]));
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
    let state = replay(&class.data);
    let kim = state.learners.values().find(|l| l.name == "Kim").unwrap();
    assert!(kim.export.doctor.is_some(), "the doctor's summary was sent");
    assert!(kim.left);
}

#[test]
fn a_tui_already_open_picks_up_a_class_joined_from_the_command_line() {
    let Some((class, serve, tmux)) = a_class_and_the_tui("a_tui_already_open_picks_up_a_class")
    else {
        return;
    };
    let out = class.learner(&join(&serve.url, &serve.code, "Mo", &["--no-doctor"]));
    assert_success(&out);
    // The TUI's step event is stored.
    class.run_a_step_in_the_tui(&tmux, || {
        replay(&class.data)
            .learners
            .values()
            .find(|l| l.name == "Mo")
            .is_some_and(|l| l.step_events > 0)
    });
    serve.stop();
}
