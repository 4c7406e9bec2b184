//! The workshop commands through the real binary: `progress` (show, `--reset`, `export`) and
//! `class summary` (the engine-backed parts are in e2e_workshop.rs).

#[path = "cli_workshop/class.rs"]
mod class;
mod common;
#[path = "cli_workshop/progress.rs"]
mod progress;

use std::fs;

use assert_cmd::Command;
use serde_json::{Value, json};

pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").unwrap();
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .env("NO_COLOR", "1");
    cmd
}
pub const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/workshop-pack");

/// A learner's machine: its own HOME, user name and state dir.
pub struct Learner {
    pub dir: tempfile::TempDir,
}

impl Default for Learner {
    fn default() -> Self {
        Learner::new()
    }
}

impl Learner {
    pub fn new() -> Learner {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(
            dir.path()
                .join("home/dg-secret-user/.local/state/docker-guide"),
        )
        .unwrap();
        Learner { dir }
    }

    pub fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home/dg-secret-user")
    }

    pub fn progress_file(&self) -> std::path::PathBuf {
        self.home().join(".local/state/docker-guide/progress.json")
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = bin();
        cmd.env("HOME", self.home())
            .env("USER", "dg-secret-user")
            .env("LOGNAME", "dg-secret-user")
            .env("XDG_STATE_HOME", self.home().join(".local/state"))
            .env("XDG_DATA_HOME", self.home().join(".local/share"))
            .arg("--lessons")
            .arg(PACK);
        cmd
    }

    /// Progress as docker-guide stores it: two steps of chapter 1 passed, one of chapter 2 failing.
    pub fn seed(&self) {
        let home = self.home().display().to_string();
        let progress = json!({
            "schema": 1,
            "courses": {
                "workshop-pack-example": {
                    "version": "1",
                    "steps": {
                        "image-present": { "status": "passed", "last_run": "2026-11-26T09:00:00Z", "attempts": 1 },
                        "hello": { "status": "passed", "last_run": "2026-11-26T09:01:00Z", "attempts": 2 },
                        "build": {
                            "status": "failed", "last_run": "2026-11-26T09:20:00Z", "attempts": 3,
                            "failing_since": "2026-11-26T09:10:00Z",
                            "last_failure": {
                                "summary": format!("COPY failed: stat {home}/.local/share/docker-guide/workspaces/x/app/server.py: no such file"),
                                "explanation_id": "copy-missing", "at": "2026-11-26T09:20:00Z"
                            }
                        }
                    }
                },
                "another-course": { "steps": { "x": { "status": "passed", "last_run": "2026-11-26T08:00:00Z", "attempts": 1 } } }
            }
        });
        fs::write(
            self.progress_file(),
            serde_json::to_vec_pretty(&progress).unwrap(),
        )
        .unwrap();
    }

    pub fn stored(&self) -> Value {
        serde_json::from_slice(&fs::read(self.progress_file()).unwrap()).unwrap()
    }
}
