//! A third-party workshop page whose exercises end in "Solution" folds (no docker-guide
//! tasks): `lint` finds no error and `run` runs it, solutions included, instead of refusing.
//! Fixture: `tests/fixtures/solution-folds`.
#![cfg(unix)]

use std::path::Path;

mod common;

fn cmd(workspace: &Path, args: &[&str]) -> std::process::Output {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/solution-folds");
    common::learner_command(&fixture, workspace, &workspace.with_extension("state"))
        .env("NO_COLOR", "1")
        .args(args)
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
