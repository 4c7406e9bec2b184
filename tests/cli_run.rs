//! `docker-guide run` end to end: the real binary on fixture courses (`tests/fixtures/run-*`),
//! without a terminal (assert_cmd pipes stdin and stdout). Unix: signals and /proc.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::require_engine;

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
    let mut cmd = Command::cargo_bin("docker-guide").unwrap();
    cmd.arg("--lessons")
        .arg(fixture(course))
        .arg("--workspace")
        .arg(&env.workspace)
        .env("XDG_STATE_HOME", &env.state)
        .env("XDG_DATA_HOME", env.state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .arg("run")
        .args(args)
        .timeout(Duration::from_secs(60));
    cmd
}

fn pid_is_gone(pid: i32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        // SAFETY: signal 0 only checks for existence.
        let alive = unsafe { libc::kill(pid, 0) } == 0
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
    let mut reset = Command::cargo_bin("docker-guide").unwrap();
    reset
        .arg("--lessons")
        .arg(fixture("run-pass"))
        .arg("--workspace")
        .arg(&env.workspace)
        .env("XDG_STATE_HOME", &env.state)
        .env("XDG_DATA_HOME", env.state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .args(["reset", "basics", "--yes"])
        .timeout(Duration::from_secs(60))
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

/// `run | tee log` on a terminal: stdin is the terminal, stdout a pipe. `script` gives the
/// run a terminal; its shell pipes stdout into `cat`.
#[test]
fn piped_stdout_on_a_terminal_still_asks_on_stderr() {
    let Ok(script) = which::which("script") else {
        eprintln!(
            "SKIPPED piped_stdout_on_a_terminal_still_asks_on_stderr: no `script` (util-linux)"
        );
        return;
    };
    let env = env();
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let line = format!(
        "'{}' --lessons '{}' --workspace '{}' run basics | cat",
        bin.display(),
        fixture("run-pass").display(),
        env.workspace.display()
    );
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_STATE_HOME", &env.state)
        .env("XDG_DATA_HOME", env.state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .write_stdin("y\ny\ny\ny\ny\ny\n")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Pass --yes"), "{text}");
    assert!(
        text.contains("Run it? [Y]es / [s]kip / [a]ll / [q]uit"),
        "{text}"
    );
    assert!(text.contains("Summary: 6 passed"), "{text}");
}

/// On a terminal a `confirm` step asks with its own question (not the plain "Run it?");
/// skipping it leaves its file unwritten.
#[test]
fn on_a_terminal_a_confirm_step_says_why_it_asks() {
    let Ok(script) = which::which("script") else {
        eprintln!(
            "SKIPPED on_a_terminal_a_confirm_step_says_why_it_asks: no `script` (util-linux)"
        );
        return;
    };
    let env = env();
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let line = format!(
        "'{}' --lessons '{}' --workspace '{}' run careful",
        bin.display(),
        fixture("run-confirm").display(),
        env.workspace.display()
    );
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_STATE_HOME", &env.state)
        .env("XDG_DATA_HOME", env.state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .write_stdin("s\nq\n")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("The lesson asks you to confirm this one"),
        "{text}"
    );
    assert!(text.contains("skipped by you"), "{text}");
    assert!(!env.workspace.join("pruned.txt").exists(), "{text}");
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
fn sigterm_stops_the_step_and_background_and_runs_cleanup() {
    let env = env();
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let mut child = StdCommand::new(bin)
        .arg("--lessons")
        .arg(fixture("run-long"))
        .arg("--workspace")
        .arg(&env.workspace)
        .env("XDG_STATE_HOME", &env.state)
        .args(["run", "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pids_file = env.workspace.join("pids");
    let deadline = Instant::now() + Duration::from_secs(20);
    while read_pids_if_complete(&pids_file).is_none() {
        assert!(Instant::now() < deadline, "the long step never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut pids = read_pids_if_complete(&pids_file).unwrap();
    pids.extend(read_pids(&env.workspace.join("bg.pid")));
    let signalled = Instant::now();
    // SAFETY: plain kill of our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(8),
            "docker-guide did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    assert_eq!(status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Interrupted"), "{stdout}");
    assert!(
        stdout.contains("stopped background steps: serve"),
        "{stdout}"
    );
    assert!(env.workspace.join("cleanup-ran").exists(), "{stdout}");
    for pid in pids {
        assert!(pid_is_gone(pid), "pid {pid} survived");
    }
}

fn read_pids_if_complete(path: &Path) -> Option<Vec<i32>> {
    let text = std::fs::read_to_string(path).ok()?;
    let pids: Vec<i32> = text
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    (pids.len() == 2 && text.ends_with('\n')).then_some(pids)
}

#[test]
fn engine_a_real_port_conflict_is_explained() {
    if !require_engine("engine_a_real_port_conflict_is_explained") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A tiny local image (no registry needed): the port is bound before the command starts.
    std::fs::write(dir.path().join("marker"), "x").unwrap();
    let tar = dir.path().join("image.tar");
    assert!(
        StdCommand::new("tar")
            .arg("-C")
            .arg(dir.path())
            .arg("-cf")
            .arg(&tar)
            .arg("marker")
            .status()
            .unwrap()
            .success()
    );
    let image = "dg-test-run-empty:latest";
    assert!(
        StdCommand::new("docker")
            .args(["import"])
            .arg(&tar)
            .arg(image)
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let listener = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let course = dir.path().join("port.md");
    std::fs::write(
        &course,
        format!(
            "+++\ntitle = \"Port\"\ncleanup = [\"docker rm -f dg-test-run-port\"]\n+++\n\n# Port\n\n\
             ```sh {{id=publish}}\ndocker run --rm --name dg-test-run-port -p {port}:80 {image} /nothing\n```\n"
        ),
    )
    .unwrap();
    let env = env();
    let assert = Command::cargo_bin("docker-guide")
        .unwrap()
        .arg("--lessons")
        .arg(&course)
        .arg("--workspace")
        .arg(&env.workspace)
        .env("XDG_STATE_HOME", &env.state)
        .args(["run", "--yes"])
        .timeout(Duration::from_secs(120))
        .assert();
    drop(listener);
    let _ = StdCommand::new("docker")
        .args(["rm", "-f", "dg-test-run-port"])
        .output();
    let _ = StdCommand::new("docker").args(["rmi", image]).output();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(assert.get_output().status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("address already in use"), "{stdout}");
    assert!(
        stdout.contains("why: The host port you publish"),
        "{stdout}"
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
            "docker-guide: note: 4 errors in chapters not run now (`docker-guide lint ",
        ));
    run_cmd(&env, "broken-course", &["2", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("02-broken.md:"))
        .stderr(predicate::str::contains(
            "4 errors in what would run; fix them first (`docker-guide lint ",
        ));
    run_cmd(&env, "broken-course", &["all", "--yes"])
        .assert()
        .code(2);
}
