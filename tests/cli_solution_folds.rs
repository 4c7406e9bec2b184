//! A third-party workshop page whose exercises end in "Solution" folds (no docker-guide
//! tasks): `lint` finds no error and `run` runs it, solutions included, instead of refusing.
//! Fixture: `tests/fixtures/solution-folds`.
#![cfg(unix)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

fn cmd(workspace: &Path, args: &[&str]) -> std::process::Output {
    let state = workspace.with_extension("state");
    Command::cargo_bin("docker-guide")
        .unwrap()
        .arg("--lessons")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/solution-folds"))
        .arg("--workspace")
        .arg(workspace)
        .env("XDG_STATE_HOME", &state)
        .env("XDG_DATA_HOME", state.join("data"))
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn solution_folds_without_tasks_lint_clean_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let lint = cmd(&ws, &["lint"]);
    let text =
        String::from_utf8_lossy(&lint.stdout).into_owned() + &String::from_utf8_lossy(&lint.stderr);
    assert_eq!(lint.status.code(), Some(0), "{text}");
    assert!(!text.contains("error"), "{text}");
    assert!(
        text.contains("01-exercises.md:14:1: info: a “Solution” fold in a chapter without tasks"),
        "{text}"
    );
    let run = cmd(&ws, &["run", "--yes"]);
    let text =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{text}");
    for line in [
        "hello from the solution",
        "listing present",
        "Summary: 3 passed",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}
