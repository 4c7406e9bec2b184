//! Hostile input through the real binary (issue 12): lessons whose text carries escape
//! sequences and NUL bytes, workspaces holding symlinks out of them, progress files written
//! by a newer docker-guide. Nothing here needs a Docker engine.
#![cfg(unix)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "cli_hostile/lessons.rs"]
mod lessons;
#[path = "cli_hostile/processes.rs"]
mod processes;
#[path = "cli_hostile/workspace.rs"]
mod workspace;

/// A temporary home: the course folder, a workspace and a state folder.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `files` (relative path, bytes) under the course folder `course/`.
    fn course(&self, files: &[(&str, &[u8])]) -> PathBuf {
        let root = self.path("course");
        for (rel, bytes) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        root
    }

    fn bin(&self, course: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("docker-guide").expect("binary builds");
        cmd.env_remove("DOCKER_GUIDE_LESSONS")
            .env("NO_COLOR", "1")
            .env("XDG_STATE_HOME", self.path("state"))
            .env("XDG_DATA_HOME", self.path("data"))
            .arg("--lessons")
            .arg(course)
            .arg("--workspace")
            .arg(self.path("ws"))
            .args(args);
        cmd
    }
}

/// The bytes of stdout and stderr together, for "nothing raw reached the terminal" checks.
fn all_output(output: &std::process::Output) -> Vec<u8> {
    let mut bytes = output.stdout.clone();
    bytes.extend_from_slice(&output.stderr);
    bytes
}

/// Panics when `bytes` hold a byte a terminal acts on (ESC, BEL, NUL, C1 CSI as UTF-8).
fn assert_no_terminal_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}
