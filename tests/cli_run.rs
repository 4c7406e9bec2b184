//! `docker-guide run` end to end: the real binary on fixture courses (`tests/fixtures/run-*`),
//! without a terminal (assert_cmd pipes stdin and stdout). Unix: signals and /proc.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
#[path = "cli_run/processes.rs"]
mod processes;
#[path = "cli_run/terminal.rs"]
mod terminal;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Env {
    _dir: tempfile::TempDir,
    workspace: PathBuf,
    state: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    let state = dir.path().join("state");
    Env {
        workspace,
        state,
        _dir: dir,
    }
}

fn run_cmd(env: &Env, course: &str, args: &[&str]) -> Command {
    let mut cmd = bin_cmd(env, course, "run");
    cmd.args(args);
    cmd
}

/// `docker-guide SUBCOMMAND` on fixture `course`, with the test's workspace and store.
fn bin_cmd(env: &Env, course: &str, subcommand: &str) -> Command {
    let mut cmd = common::learner_command(&fixture(course), &env.workspace, &env.state);
    cmd.arg(subcommand);
    cmd
}

fn pid_is_gone(pid: i32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        // No signal: only checks for existence.
        let alive = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| s[s.rfind(')').unwrap() + 2..].starts_with('Z'))
                .unwrap_or(true);
        if !alive {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn read_pids(path: &Path) -> Vec<i32> {
    std::fs::read_to_string(path)
        .unwrap()
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect()
}

#[test]
fn a_passing_course_runs_headless_with_yes() {
    let env = env();
    let output = run_cmd(&env, "run-pass", &["all", "--yes"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).unwrap();
    // Steps are announced with their command, output streams, results follow.
    assert!(stdout.contains("▶ Step 1 · hello"), "{stdout}");
    assert!(
        stdout.contains("$ echo \"hello, world\"\nhello, world\n✓ passed"),
        "{stdout}"
    );
    // Progress bars collapse and escapes are stripped in plain output.
    assert!(stdout.contains("download 3/3\nred\n"), "{stdout}");
    assert!(
        !stdout.contains("download 1/3\n") && !stdout.contains("download 2/3\n"),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "{stdout}");
    assert!(stdout.contains("Summary: 6 passed"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(env.workspace.join("notes/todo.txt")).unwrap(),
        "write the Dockerfile\n"
    );
    // The background server was stopped and the cleanup ran.
    assert!(env.workspace.join("cleanup-ran").exists());
    for pid in read_pids(&env.workspace.join("server.pid")) {
        assert!(pid_is_gone(pid), "background pid {pid} survived");
    }
    // Progress was recorded for the TUI.
    let progress = std::fs::read_to_string(env.state.join("docker-guide/progress.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&progress).unwrap();
    let text = json.to_string();
    for id in [
        "hello",
        "notes",
        "read-back",
        "progress",
        "custom-exit",
        "server",
    ] {
        assert!(
            text.contains(&format!("\"{id}\"")),
            "{id} missing in {progress}"
        );
    }
    assert!(
        text.contains("passed") && text.contains("run-pass"),
        "{progress}"
    );
}

#[test]
fn a_failure_stops_the_run_and_is_explained() {
    let env = env();
    let assert = run_cmd(&env, "run-fail", &["1", "--yes"]).assert().code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("✗ failed after"), "{stdout}");
    assert!(
        stdout.contains("Summary: 1 passed, 1 failed, 1 not run"),
        "{stdout}"
    );
    assert!(stdout.contains("✗ step 1.2 publish"), "{stdout}");
    assert!(stdout.contains("01-publish.md:"), "{stdout}");
    assert!(stdout.contains(": exit code 125"), "{stdout}");
    assert!(
        stdout.contains("why: The host port you publish with `-p` is already taken"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: Find the holder with `docker ps`"),
        "{stdout}"
    );
    assert!(
        !env.workspace.join("after.txt").exists(),
        "the step after the failure ran"
    );
    assert!(
        env.workspace.join("cleanup-ran").exists(),
        "cleanup did not run after the failure"
    );
}

#[test]
fn keep_going_runs_the_rest_and_still_fails() {
    let env = env();
    run_cmd(&env, "run-fail", &["publish", "--yes", "--keep-going"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Summary: 2 passed, 1 failed"));
    assert!(env.workspace.join("after.txt").exists());
}

#[test]
fn resetting_a_chapter_removes_its_files_and_the_folders_they_made() {
    let env = env();
    run_cmd(&env, "run-pass", &["--yes"]).assert().success();
    assert!(env.workspace.join("notes/todo.txt").exists());
    bin_cmd(&env, "run-pass", "reset")
        .args(["basics", "--yes"])
        .assert()
        .success();
    assert!(
        !env.workspace.join("notes").exists(),
        "empty notes/ left behind"
    );
    assert!(
        env.workspace.exists(),
        "a chapter reset keeps the workspace"
    );
}

#[test]
fn from_starts_at_a_step() {
    let env = env();
    run_cmd(&env, "run-fail", &["--yes", "--from", "after"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Summary: 1 passed")
                .and(predicate::str::contains("publish").not()),
        );
    assert!(!env.workspace.join("first.txt").exists());
    let env = env_again();
    run_cmd(&env, "run-fail", &["--yes", "--from", "3"])
        .assert()
        .success();
    run_cmd(&env, "run-fail", &["--yes", "--from", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no step `nope`"));
}

fn env_again() -> Env {
    env()
}

#[test]
fn without_a_terminal_and_without_yes_it_refuses() {
    let env = env();
    run_cmd(&env, "run-confirm", &["all"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("Pass --yes")
                .and(predicate::str::contains("confirmation (prune)")),
        );
    assert!(
        !env.workspace.join("pruned.txt").exists(),
        "a confirm step ran without --yes"
    );
}

#[test]
fn with_yes_confirm_steps_run_and_interactive_ones_are_skipped() {
    let env = env();
    run_cmd(&env, "run-confirm", &["careful", "--yes"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("○ skipped: interactive step needs a terminal")
                .and(predicate::str::contains("Summary: 1 passed, 1 skipped")),
        );
    assert!(env.workspace.join("pruned.txt").exists());
}

#[test]
fn an_unknown_chapter_is_a_usage_error() {
    let env = env();
    run_cmd(&env, "run-pass", &["nope", "--yes"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no chapter `nope`").and(predicate::str::contains("1 basics")),
        );
}

#[test]
fn unmet_requirements_stop_the_chapter_before_its_first_step() {
    let env = env();
    let assert = run_cmd(&env, "run-requires", &["--yes"])
        .env("DOCKER_HOST", "unix:///nonexistent/dg-test.sock")
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("checking requirements: daemon"), "{stdout}");
    assert!(stdout.contains("requirements not met:"), "{stdout}");
    assert!(stdout.contains("add --ignore-requires"), "{stdout}");
    assert!(!env.workspace.join("ran.txt").exists(), "{stdout}");
}

#[test]
fn ignore_requires_shows_the_failed_check_and_runs_the_chapter_anyway() {
    let env = env();
    let assert = run_cmd(&env, "run-requires", &["--yes", "--ignore-requires"])
        .env("DOCKER_HOST", "unix:///nonexistent/dg-test.sock")
        .assert()
        .code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("requirement `daemon`"), "{stdout}");
    assert!(stdout.contains("fix:"), "{stdout}");
    assert!(stdout.contains("going on anyway"), "{stdout}");
    assert!(env.workspace.join("ran.txt").exists(), "{stdout}");
}

#[test]
fn a_broken_chapter_blocks_only_itself() {
    let env = env();
    run_cmd(&env, "broken-course", &["1", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fine"))
        .stderr(predicate::str::contains(
            "docker-guide: note: 3 errors in chapters not run now (`docker-guide lint ",
        ));
    run_cmd(&env, "broken-course", &["2", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("02-broken.md:"))
        .stderr(predicate::str::contains(
            "3 errors in what would run; fix them first (`docker-guide lint ",
        ));
    run_cmd(&env, "broken-course", &["all", "--yes"])
        .assert()
        .code(2);
}
