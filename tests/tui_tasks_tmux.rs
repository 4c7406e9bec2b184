//! A task in the real TUI, driven in a private tmux server (`send-keys`, `capture-pane`) on
//! `tests/fixtures/task-course`: `h` shows the first hint; `e` runs `$EDITOR` (a script that
//! fixes the file) and the check passes by itself when the watcher sees the save; `!` runs
//! `$SHELL` (a script) in the chapter's folder and the UI comes back intact. Needs tmux: skipped
//! loudly without it, and a failure under CI or `DOCKER_GUIDE_E2E=1`, where it must run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::tmux::{AppSession, TmuxServer};

const BIN: &str = env!("CARGO_BIN_EXE_docker-guide");

/// A private tmux server running docker-guide on the task fixture; killed on drop.
struct Tmux {
    server: TmuxServer,
    home: tempfile::TempDir,
}

impl Tmux {
    fn start(name: &str) -> Tmux {
        let home = tempfile::tempdir().expect("temp dir");
        let dir = home.path().to_path_buf();
        let dir = dir.as_path();
        let workspace = dir.join("workspace");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/task-course");
        // The learner's editor: fixes the typo in the file it is given, like a person saving.
        let editor = write_script(
            dir,
            "editor.sh",
            &format!(
                "#!/bin/sh\necho \"$1\" > '{out}/editor-args'\nprintf 'hello world\\n' > \"$1\"\n",
                out = dir.display()
            ),
        );
        // The learner's shell: says where it runs and with what, then exits like `exit`.
        let shell = write_script(
            dir,
            "shell.sh",
            &format!(
                "#!/bin/sh\npwd > '{out}/shell-pwd'\necho \"$DOCKER_GUIDE_COURSE\" > '{out}/shell-course'\necho in-the-learners-shell\nsleep 0.5\n",
                out = dir.display()
            ),
        );
        let inner = format!(
            r#"exec "{BIN}" --lessons "{fixture}" --workspace "{ws}""#,
            fixture = fixture.display(),
            ws = workspace.display(),
        );
        let tmux = Tmux {
            server: TmuxServer::new(name),
            home,
        };
        tmux.server.start(AppSession {
            size: (110, 45),
            home: dir,
            unset: &["VISUAL"],
            set: vec![
                format!("EDITOR={}", editor.display()),
                format!("SHELL={}", shell.display()),
            ],
            command: format!("sh -c '{inner}'"),
            exited: "EXITED",
        });
        tmux
    }

    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.home.path().join(name)).ok()
    }

    /// The binary run outside tmux with the same progress store and workspace.
    fn cli(&self, args: &[&str]) -> Output {
        let dir = self.home.path();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/task-course");
        Command::new(BIN)
            .arg("--lessons")
            .arg(&fixture)
            .arg("--workspace")
            .arg(self.workspace())
            .args(args)
            .env_remove("DOCKER_GUIDE_LESSONS")
            .env("NO_COLOR", "1")
            .envs(common::tmux::xdg_dirs(dir))
            .output()
            .expect("run docker-guide")
    }

    fn workspace(&self) -> PathBuf {
        self.home.path().join("workspace")
    }
}

impl std::ops::Deref for Tmux {
    type Target = TmuxServer;

    fn deref(&self) -> &TmuxServer {
        &self.server
    }
}

fn write_script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn tmux_available() -> bool {
    common::require_program("the task TUI test", "tmux", "-V")
}

#[test]
fn hint_editor_watch_and_shell_on_a_task() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::start("task");
    tmux.wait_for("the chapter", 30, |s| {
        s.contains("Fix a greeting") && s.contains("Step 1")
    });

    // Step 1 writes the file with its typo; the focus then moves on to the task.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the file step", 20, |s| s.contains("wrote"));
    let typo = std::fs::read_to_string(tmux.workspace().join("greeting.txt")).unwrap();
    assert_eq!(typo, "helo world\n");
    tmux.wait_for("the task's card", 10, |s| {
        s.contains("Your turn") && s.contains("○ not tried")
    });

    // h: the first hint, and only the first.
    tmux.keys(&["h"]);
    let screen = tmux.wait_for("the first hint", 10, |s| s.contains("Hint 1 of 2"));
    assert!(screen.contains("add the missing l"), "{screen}");
    assert!(!screen.contains("The whole file is one line"), "{screen}");

    // e: one candidate file, so the editor opens it at once; its save is seen by the watcher
    // and the check passes with no key pressed.
    tmux.keys(&["e"]);
    let screen = tmux.wait_for("the check to pass by itself", 30, |s| {
        s.contains("✓ solved")
    });
    assert!(tmux.alternate_screen_on(), "back on the UI:\n{screen}");
    assert_eq!(tmux.file("editor-args").as_deref(), Some("greeting.txt\n"));
    assert_eq!(
        std::fs::read_to_string(tmux.workspace().join("greeting.txt")).unwrap(),
        "hello world\n"
    );

    // !: the learner's shell, in the chapter's folder, with the course's environment.
    tmux.keys(&["!"]);
    tmux.wait_for("the shell's banner and output", 10, |s| {
        s.contains("your shell in") && s.contains("in-the-learners-shell")
    });
    let screen = tmux.wait_for("the UI back after the shell", 15, |s| {
        s.contains("Your turn") && s.contains("back from")
    });
    assert!(
        tmux.alternate_screen_on(),
        "the alternate screen again:\n{screen}"
    );
    assert!(
        !screen.contains("in-the-learners-shell"),
        "redrawn whole:\n{screen}"
    );
    let pwd = tmux.file("shell-pwd").expect("the shell ran");
    let workspace = tmux.workspace().canonicalize().unwrap();
    assert_eq!(Path::new(pwd.trim()).canonicalize().unwrap(), workspace);
    assert_eq!(
        tmux.file("shell-course").as_deref(),
        Some("dg-test-task-course\n")
    );

    // The terminal is intact: keys still reach the UI in raw mode (the help opens and closes,
    // nothing is echoed), and quitting restores the shell.
    tmux.keys(&["?"]);
    tmux.wait_for("the help", 10, |s| s.contains("next hint"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help closed", 10, |s| !s.contains("next hint"));
    tmux.keys(&["q"]);
    tmux.wait_for("the shell after exit", 20, |s| s.contains("EXITED-0"));
    assert!(!tmux.alternate_screen_on(), "the alternate screen was left");

    // The progress store has what the TUI did: the check solved it, one hint seen.
    let path = tmux
        .home
        .path()
        .join("xdg_state_home/docker-guide/progress.json");
    let text = std::fs::read_to_string(&path).expect("the progress file");
    let progress: serde_json::Value = serde_json::from_str(&text).unwrap();
    let course = &progress["courses"]["dg-test-task-course"];
    assert!(
        course["tasks"]["fix-greeting"]["solved_at"].is_string(),
        "{course}"
    );
    assert_eq!(
        course["tasks"]["fix-greeting"]["hints_revealed"], 1,
        "{course}"
    );
    assert_eq!(
        course["steps"]["fix-greeting"]["status"], "passed",
        "{course}"
    );

    // `docker-guide check` from the learner's own terminal agrees: same check, same verdict.
    let out = tmux.cli(&["check", "fix-greeting"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("✓ solved"), "{stdout}");
}

#[test]
fn the_solution_is_shown_after_asking_and_applied_over_the_learners_file_when_they_agree() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::start("solution");
    tmux.wait_for("the chapter", 30, |s| s.contains("Fix a greeting"));
    tmux.keys(&["Enter"]);
    // The focus moves to the task once the file step is done.
    tmux.wait_for("the file step", 20, |s| s.contains("wrote"));
    tmux.keys(&["S"]);
    tmux.wait_for("the question first", 10, |s| {
        s.contains("Show the solution?")
    });
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("the solution in the card", 10, |s| {
        s.contains("solution viewed") && s.contains("apply solution")
    });
    assert!(screen.contains("hello world"), "{screen}");
    tmux.keys(&["S"]);
    tmux.wait_for("the offer to apply it", 10, |s| {
        s.contains("Apply the solution?")
    });
    tmux.keys(&["y"]);
    // The workspace has the step's file with its typo, which differs: it asks.
    tmux.wait_for("the overwrite question", 10, |s| {
        s.contains("Replace your file?")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the check after the solution", 30, |s| {
        s.contains("✓ solved")
    });
    assert_eq!(
        std::fs::read_to_string(tmux.workspace().join("greeting.txt")).unwrap(),
        "hello world\n"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the shell after exit", 20, |s| s.contains("EXITED-0"));
}
