//! Workshop tools on the real Docker engine: bundles of locally built images (no pulls),
//! reset after a crash, and the example workshop pack end to end. Skipped loudly without an
//! engine; mandatory with DOCKER_GUIDE_E2E=1. Tests create only `dg-test-` images and containers.

mod common;
use common::require_engine;

#[path = "e2e_workshop/bundles.rs"]
mod bundles;
#[path = "e2e_workshop/course.rs"]
mod course;

use std::path::Path;

use std::time::Duration;

/// `docker ARGS`, bounded so a hung engine fails the test instead of hanging it.
fn docker(args: &[&str]) -> std::process::Output {
    common::docker_within(args, Duration::from_secs(300))
        .unwrap_or_else(|| panic!("`docker {}` did not finish within 300 s", args.join(" ")))
}

fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("docker-guide").unwrap();
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE");
    cmd
}

/// Removes the named containers when the test ends, passed or not.
struct ContainerGuard(Vec<String>);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = docker(&["rm", "-f", name]);
        }
    }
}

/// Removes an image the test may have built.
struct ImageGuard(String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let _ = docker(&["image", "rm", "-f", &self.0]);
    }
}

/// A learner's machine for the CLI: its own HOME, state and data dirs.
fn learner_cmd(home: &Path) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.env("HOME", home)
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_DATA_HOME", home.join(".local/share"));
    cmd
}
