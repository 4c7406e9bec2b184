//! The shell state and the placeholder form in the real TUI, driven in a private tmux server
//! on `tests/fixtures/tui-shell`: step 1 `cd`s and exports, step 2's header says where it
//! starts; Enter on step 2 opens the form, the typed value shows in the command as it will
//! run, Enter runs it in the folder step 1 left, with its variable and the value. Needs tmux:
//! skipped loudly without it, and a failure under CI or `DOCKER_GUIDE_E2E=1`.

use std::path::Path;

mod common;
use common::tmux::{AppSession, TmuxServer};

const BIN: &str = env!("CARGO_BIN_EXE_docker-guide");

#[test]
fn cd_export_and_a_placeholder_value_in_the_tui() {
    if !common::require_program("the shell-state TUI test", "tmux", "-V") {
        return;
    }
    let home = tempfile::tempdir().expect("temp dir");
    let dir = home.path();
    let workspace = dir.join("workspace");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-shell");
    let inner = format!(
        r#"exec "{BIN}" --lessons "{fixture}" --workspace "{ws}""#,
        fixture = fixture.display(),
        ws = workspace.display(),
    );
    let tmux = TmuxServer::new("shell");
    tmux.start(AppSession {
        size: (130, 40),
        home: dir,
        unset: &["DG_GREETING"],
        set: Vec::new(),
        command: format!("sh -c '{inner}'"),
        exited: "EXITED",
    });
    tmux.wait_for("the chapter", 30, |s| {
        s.contains("A folder, a variable") && s.contains("Step 2")
    });

    // Step 1: cd and export. The focus moves to step 2, whose header says where it starts.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("step 2's header with the state", 20, |s| {
        s.lines()
            .any(|l| l.contains("Step 2") && l.contains("project · DG_GREETING exported"))
    });
    assert!(screen.contains("✓ passed"), "{screen}");

    // Step 2 has <your-name>: Enter asks for it, the command shows the value as typed.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the form", 10, |s| {
        s.contains("Values for step 2") && s.contains("<your-name>")
    });
    tmux.keys(&["-l", "ada q"]);
    let screen = tmux.wait_for("the value in the command", 10, |s| {
        s.contains("and ada q\" | tee ../seen.txt")
    });
    assert!(screen.contains("It will run:"), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("step 2 to pass", 20, |s| {
        s.contains("in project with hello and ada q") && s.matches("✓ passed").count() >= 2
    });
    assert!(screen.contains("with your values"), "{screen}");
    assert!(
        !screen.contains("Values for step 2"),
        "the form closed:\n{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(workspace.join("seen.txt")).unwrap(),
        "in project with hello and ada q\n"
    );

    tmux.keys(&["q"]);
    tmux.wait_for("the UI to exit", 20, |s| s.contains("EXITED-0"));
}
