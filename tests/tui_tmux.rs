//! End to end: the real binary in a private tmux server, driven with `send-keys` and read with
//! `capture-pane`, on `tests/fixtures/tui-course`. Skipped (loudly) when tmux is missing,
//! except under CI, where a missing tmux fails (see `common::run_or_skip`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::tmux::{AppSession, TmuxServer};

const BIN: &str = env!("CARGO_BIN_EXE_docker-guide");

/// docker-guide in a private tmux server (killed on drop, before its folder goes).
struct Tmux {
    server: TmuxServer,
    _home: tempfile::TempDir,
    workspace: PathBuf,
    pid_file: PathBuf,
}

impl Tmux {
    /// Starts `docker-guide --lessons <fixture>` in a 120×40 session, inside a shell that
    /// prints `EXITED-<code>` when the binary returns.
    fn start(name: &str) -> Tmux {
        let home = tempfile::tempdir().expect("temp dir");
        let workspace = home.path().join("workspace");
        let pid_file = home.path().join("docker-guide.pid");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-course");
        // The inner shell writes its pid and becomes docker-guide (exec keeps the pid); single
        // quotes keep the outer shell from expanding `$$`.
        let inner = format!(
            r#"echo $$ > "{pid}"; exec "{BIN}" --lessons "{fixture}" --workspace "{ws}""#,
            pid = pid_file.display(),
            fixture = fixture.display(),
            ws = workspace.display(),
        );
        let tmux = Tmux {
            server: TmuxServer::new(name),
            _home: home,
            workspace,
            pid_file,
        };
        tmux.server.start(AppSession {
            size: (120, 40),
            home: tmux._home.path(),
            unset: &[],
            set: Vec::new(),
            command: format!("sh -c '{inner}'"),
            exited: "EXITED",
        });
        tmux
    }

    /// Raw mode was left: the terminal echoes what is typed again.
    fn assert_cooked_mode(&self) {
        self.keys(&["-l", "typed-after-exit"]);
        self.wait_for("the terminal to echo typed keys (raw mode off)", 5, |s| {
            s.contains("typed-after-exit")
        });
    }

    /// The terminal goes away (as when its window is closed): the pane's processes get SIGHUP.
    fn close(&self) {
        let _ = self.run(&["kill-server"]);
    }

    fn app_pid(&self) -> i32 {
        std::fs::read_to_string(&self.pid_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .expect("docker-guide pid")
    }

    /// The pid the `sleeper` step wrote once it runs.
    fn sleeper_pid(&self) -> i32 {
        let file = self.workspace.join("sleeper.pid");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            assert!(
                Instant::now() < deadline,
                "the sleeper step never wrote {}",
                file.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl std::ops::Deref for Tmux {
    type Target = TmuxServer;

    fn deref(&self) -> &TmuxServer {
        &self.server
    }
}

fn alive(pid: i32) -> bool {
    // No signal: only checks that the process exists.
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}

fn wait_gone(pid: i32, secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while alive(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

fn row_of(screen: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    screen.lines().position(pred)
}

macro_rules! require_tmux {
    () => {
        if !common::require_program("the end-to-end TUI test", "tmux", "-V") {
            return;
        }
    };
}

#[test]
fn runs_a_step_inline_quits_and_restores_the_terminal() {
    require_tmux!();
    let tmux = Tmux::start("inline");
    tmux.wait_for("the first chapter", 30, |s| {
        s.contains("Hello from a step") && s.contains("Step 1")
    });
    assert!(
        tmux.alternate_screen_on(),
        "the UI runs on the alternate screen"
    );

    // Step 1 is focused at start; run it and wait for its output under its code block.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the step's output", 30, |s| {
        s.contains("line 3") && s.contains("passed")
    });
    let code = row_of(&screen, |l| l.contains("echo hello-from-step")).expect("the code line");
    let out = row_of(&screen, |l| {
        l.contains("hello-from-step") && !l.contains("echo")
    })
    .expect("the output line");
    let line3 = row_of(&screen, |l| l.contains("line 3")).expect("line 3");
    // The code line is longer than the pane: it goes on over a `↪` row before the border.
    assert!(
        code < out && out <= code + 4,
        "output right under the code block:\n{screen}"
    );
    assert!(out < line3 && line3 <= out + 3, "lines in order:\n{screen}");
    assert!(
        screen.contains("step-marker=hello"),
        "the step sees its id in DOCKER_GUIDE_STEP:\n{screen}"
    );
    assert!(
        screen.lines().nth(out).is_some_and(|l| l.contains('│')),
        "output inside its box:\n{screen}"
    );

    // Step 2 keeps running; quitting asks, then stops it.
    tmux.keys(&["n"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the sleeper step", 30, |s| s.contains("sleeper-started"));
    let sleeper = tmux.sleeper_pid();
    assert!(alive(sleeper), "the step runs");
    tmux.keys(&["q"]);
    tmux.wait_for("the quit question", 10, |s| s.contains("Quit?"));
    tmux.keys(&["y"]);
    tmux.wait_for("the shell after exit", 20, |s| s.contains("EXITED-0"));
    assert!(!tmux.alternate_screen_on(), "the alternate screen was left");
    tmux.assert_cooked_mode();
    assert!(
        wait_gone(sleeper, 5),
        "the step's process {sleeper} is still alive after quit"
    );
}

#[test]
fn sigterm_stops_steps_and_restores_the_terminal() {
    require_tmux!();
    let tmux = Tmux::start("sigterm");
    tmux.wait_for("the first chapter", 30, |s| s.contains("Step 2"));
    tmux.keys(&["n"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the sleeper step", 30, |s| s.contains("sleeper-started"));
    let sleeper = tmux.sleeper_pid();
    // The docker-guide process this test started.
    let pid = nix::unistd::Pid::from_raw(tmux.app_pid());
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
    let screen = tmux.wait_for("the shell after SIGTERM", 20, |s| s.contains("EXITED-"));
    assert!(
        !tmux.alternate_screen_on(),
        "the alternate screen was left:\n{screen}"
    );
    tmux.assert_cooked_mode();
    assert!(
        wait_gone(sleeper, 5),
        "the step's process {sleeper} is still alive after SIGTERM"
    );
}

#[test]
fn a_closed_terminal_stops_steps_and_exits() {
    require_tmux!();
    let tmux = Tmux::start("sighup");
    tmux.wait_for("the first chapter", 30, |s| s.contains("Step 2"));
    let app = tmux.app_pid();
    tmux.keys(&["n"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the sleeper step", 30, |s| s.contains("sleeper-started"));
    let sleeper = tmux.sleeper_pid();
    tmux.close();
    assert!(
        wait_gone(sleeper, 10),
        "the step's process {sleeper} is still alive after SIGHUP"
    );
    assert!(
        wait_gone(app, 10),
        "docker-guide ({app}) is still running after its terminal closed"
    );
}
