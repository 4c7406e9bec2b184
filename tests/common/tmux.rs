//! A private tmux server (its own socket) for the tests that drive the real TUI: keys in with
//! `send-keys`, the screen out with `capture-pane`. Killed on drop.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The XDG folders inside a test's home, where docker-guide keeps its progress and class
/// files: `(variable, folder)`, for the session and for commands run beside it.
pub fn xdg_dirs(home: &Path) -> [(&'static str, PathBuf); 3] {
    ["XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"]
        .map(|var| (var, home.join(var.to_lowercase())))
}

/// What runs in session `main` and around it.
pub struct AppSession<'a> {
    /// Columns and rows of the pane.
    pub size: (u16, u16),
    /// Its XDG folders are set ([`xdg_dirs`]).
    pub home: &'a Path,
    /// Variables removed besides `NO_COLOR` and `DOCKER_GUIDE_LESSONS`.
    pub unset: &'a [&'a str],
    /// `NAME=VALUE`s added.
    pub set: Vec<String>,
    /// What `sh -c` runs.
    pub command: String,
    /// Printed with the exit code when the command returns (`EXITED` → `EXITED-0`); the
    /// pane then stays 60 s so the screen can be read.
    pub exited: &'a str,
}

pub struct TmuxServer {
    socket: String,
}

impl TmuxServer {
    /// A server named after the test (`dg-test-NAME-PID`); no session yet.
    pub fn new(name: &str) -> TmuxServer {
        TmuxServer {
            socket: format!("dg-test-{name}-{}", std::process::id()),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Starts session `main` with `session`, in a clean environment: the learner's colour and
    /// course variables removed, `TERM=xterm-256color`.
    pub fn start(&self, session: AppSession<'_>) {
        let (cols, rows) = (session.size.0.to_string(), session.size.1.to_string());
        let mut args: Vec<String> = [
            "new-session",
            "-d",
            "-x",
            &cols,
            "-y",
            &rows,
            "-s",
            "main",
            "env",
        ]
        .map(String::from)
        .into();
        for var in ["NO_COLOR", "DOCKER_GUIDE_LESSONS"]
            .iter()
            .chain(session.unset)
        {
            args.extend(["-u".to_string(), var.to_string()]);
        }
        args.push("TERM=xterm-256color".into());
        for (var, dir) in xdg_dirs(session.home) {
            args.push(format!("{var}={}", dir.display()));
        }
        args.extend(session.set);
        let script = format!("{}; echo {}-$?; sleep 60", session.command, session.exited);
        args.extend(["sh".into(), "-c".into(), script]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The pane of session `main`, as text.
    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Polls the pane until `done` holds (at most `secs` seconds).
    pub fn wait_for(&self, what: &str, secs: u64, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.capture();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the pane shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn alternate_screen_on(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
