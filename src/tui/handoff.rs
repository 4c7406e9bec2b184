//! Handing the terminal to the learner's own programs: their editor on a workspace file (`e`)
//! and their shell in the chapter's folder (`!`). Which program, with which arguments and
//! environment, is decided here (pure, tested); the loop suspends the TUI around the run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Editors tried, in order, when neither `$VISUAL` nor `$EDITOR` is set.
pub const FALLBACK_EDITORS: &[&str] = &["nano", "vi"];

/// A program to run in the foreground with the real terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    /// What the learner is told while it runs, e.g. `nano Dockerfile`.
    pub title: String,
    pub program: String,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
    /// Variables removed from the inherited environment.
    pub unset: Vec<String>,
}

/// The learner's editor: `$VISUAL`, else `$EDITOR`, else the first of [`FALLBACK_EDITORS`]
/// found on `PATH`. A variable may hold arguments (`code --wait`), so it is run by `sh` the
/// way git runs `core.editor`: `sh -c '<editor> "$@"' <editor> <file>`.
pub fn editor(
    var: impl Fn(&str) -> Option<String>,
    on_path: impl Fn(&str) -> bool,
    file: &str,
    cwd: &Path,
) -> Result<Handoff, String> {
    let chosen = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| var(name))
        .map(|value| value.trim().to_string())
        .find(|value| !value.is_empty())
        .or_else(|| {
            FALLBACK_EDITORS
                .iter()
                .find(|e| on_path(e))
                .map(|e| e.to_string())
        })
        .ok_or_else(|| {
            "no editor found: set $EDITOR (e.g. `export EDITOR=nano`) or install nano or vi"
                .to_string()
        })?;
    Ok(Handoff {
        title: format!("{chosen} {file}"),
        program: "sh".into(),
        args: vec![
            "-c".into(),
            format!("{chosen} \"$@\""),
            chosen.clone(),
            file.into(),
        ],
        cwd: cwd.to_path_buf(),
        env: Vec::new(),
        unset: Vec::new(),
    })
}

/// The learner's shell (`$SHELL`, else `sh`) in the chapter's folder, with what the course's
/// steps see: plain BuildKit progress, no CLI hints, and the course id. Not the step marker:
/// `reset` would take the shell for a left-over step.
pub fn shell(var: impl Fn(&str) -> Option<String>, cwd: &Path, course_id: &str) -> Handoff {
    let program = var("SHELL")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "sh".into());
    Handoff {
        title: program.clone(),
        program,
        args: Vec::new(),
        cwd: cwd.to_path_buf(),
        env: vec![
            ("BUILDKIT_PROGRESS".into(), "plain".into()),
            ("DOCKER_CLI_HINTS".into(), "false".into()),
            (crate::runner::COURSE_ENV.into(), course_id.into()),
            ("DOCKER_GUIDE_SHELL".into(), "1".into()),
        ],
        unset: Vec::new(),
    }
}

impl Handoff {
    /// The shell where the chapter's steps left off: the folder they `cd`-ed into (while it
    /// exists) and the variables they exported or unset (a venv stays active).
    pub fn in_state(mut self, state: &crate::session::ShellState) -> Handoff {
        if let Some(cwd) = state.cwd().filter(|c| c.is_dir()) {
            self.cwd = cwd.to_path_buf();
        }
        for (name, value) in state.variables() {
            match value {
                Some(value) => self.env.push((name.to_string(), value.to_string())),
                None => self.unset.push(name.to_string()),
            }
        }
        self
    }

    /// Runs it with the inherited terminal and waits. The caller has released the terminal.
    /// In our process group on purpose: it must be the terminal's foreground job.
    pub fn run(&self) -> Result<(), String> {
        let mut command = Command::new(&self.program);
        for name in &self.unset {
            command.env_remove(name);
        }
        let status = command
            .args(&self.args)
            .current_dir(&self.cwd)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .status()
            .map_err(|e| format!("could not start {}: {e}", self.program))?;
        match status.code() {
            Some(0) => Ok(()),
            // A shell returns the status of the last command typed: not our business.
            Some(_) if self.args.is_empty() => Ok(()),
            Some(code) => Err(format!("{} exited with status {code}", self.title)),
            None => Err(format!("{} was stopped by a signal", self.title)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn visual_wins_over_editor_and_keeps_its_arguments() {
        let dir = Path::new("/ws/ch");
        let h = editor(
            vars(&[("VISUAL", "code --wait"), ("EDITOR", "vim")]),
            |_| true,
            "Dockerfile",
            dir,
        )
        .unwrap();
        assert_eq!(h.program, "sh");
        assert_eq!(
            h.args,
            ["-c", "code --wait \"$@\"", "code --wait", "Dockerfile"]
        );
        assert_eq!(h.cwd, dir);
        assert_eq!(h.title, "code --wait Dockerfile");
    }

    #[test]
    fn editor_then_nano_then_vi() {
        let dir = Path::new("/ws");
        let only_editor = editor(vars(&[("EDITOR", "ed")]), |_| true, "f", dir).unwrap();
        assert_eq!(only_editor.args[2], "ed");
        let empty_visual = editor(
            vars(&[("VISUAL", " "), ("EDITOR", "ed")]),
            |_| true,
            "f",
            dir,
        )
        .unwrap();
        assert_eq!(
            empty_visual.args[2], "ed",
            "a blank variable counts as unset"
        );
        let nano = editor(vars(&[]), |p| p == "nano" || p == "vi", "f", dir).unwrap();
        assert_eq!(nano.args[2], "nano");
        let vi = editor(vars(&[]), |p| p == "vi", "f", dir).unwrap();
        assert_eq!(vi.args[2], "vi");
        let none = editor(vars(&[]), |_| false, "f", dir).unwrap_err();
        assert!(none.contains("set $EDITOR"), "{none}");
    }

    #[test]
    fn the_shell_gets_the_course_environment_but_not_the_step_marker() {
        let h = shell(
            vars(&[("SHELL", "/bin/zsh")]),
            Path::new("/ws/ch"),
            "course",
        );
        assert_eq!(h.program, "/bin/zsh");
        assert!(h.args.is_empty());
        assert!(
            h.env
                .contains(&("DOCKER_GUIDE_COURSE".into(), "course".into()))
        );
        assert!(h.env.iter().all(|(k, _)| k != crate::runner::STEP_ENV));
        assert_eq!(shell(vars(&[]), Path::new("/"), "c").program, "sh");
    }

    #[test]
    fn the_shell_opens_where_the_steps_left_off() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("repo")).unwrap();
        let mut state = crate::session::ShellState::default();
        state.absorb(&crate::runner::ShellEnd {
            cwd: dir.path().join("repo"),
            started: dir.path().to_path_buf(),
            changed: vec![
                ("VIRTUAL_ENV".into(), Some("/v".into())),
                ("HOME".into(), None),
            ],
        });
        let h = shell(vars(&[]), dir.path(), "c").in_state(&state);
        assert_eq!(h.cwd, dir.path().join("repo"));
        assert!(h.env.contains(&("VIRTUAL_ENV".into(), "/v".into())));
        assert_eq!(h.unset, ["HOME"]);
        // Run for real: the unset variable is gone, the exported one is there.
        let probe = Handoff {
            program: "sh".into(),
            args: vec![
                "-c".into(),
                "test -z \"$HOME\" && test \"$VIRTUAL_ENV\" = /v && test \"${PWD##*/}\" = repo"
                    .into(),
            ],
            title: "probe".into(),
            ..h
        };
        assert_eq!(probe.run(), Ok(()));
        // A folder that is gone: the chapter's.
        std::fs::remove_dir(dir.path().join("repo")).unwrap();
        assert_eq!(
            shell(vars(&[]), dir.path(), "c").in_state(&state).cwd,
            dir.path()
        );
    }

    #[test]
    fn an_editor_failure_is_reported_a_shell_status_is_not() {
        let dir = std::env::temp_dir();
        let failing = Handoff {
            title: "false f".into(),
            program: "sh".into(),
            args: vec!["-c".into(), "exit 3".into()],
            cwd: dir.clone(),
            env: Vec::new(),
            unset: Vec::new(),
        };
        assert_eq!(
            failing.run().unwrap_err(),
            "false f exited with status 3".to_string()
        );
        let shell = Handoff {
            args: Vec::new(),
            program: "false".into(),
            ..failing
        };
        assert_eq!(shell.run(), Ok(()));
        let missing = Handoff {
            program: "/nonexistent/editor".into(),
            ..shell
        };
        assert!(missing.run().unwrap_err().contains("could not start"));
    }
}
