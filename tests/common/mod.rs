//! Helpers shared by the integration tests (`mod common;` in each test crate): the one gate
//! every test goes through when something it needs is missing (a Docker engine, tmux,
//! `script`, the corpus in `../shared`). Outside CI such a test is skipped with a loud
//! message; under CI (`CI` set, as `.ci/run` runs) or `DOCKER_GUIDE_E2E=1` it fails, because
//! `.ci/run` installs or starts everything a test needs, so a missing one is a bug there.
//! Also what many tests do alike: `docker` with a timeout, the learner's isolated command
//! (`learner_command`), a command's success (`assert_success`), waiting for a condition
//! (`wait_until`), and the tmux driver (`tmux`). Engine tests of two test runs at once take
//! turns (`engine_available` holds a lock file for the test process).
#![allow(dead_code)] // each test crate uses its own subset

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write as _};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

pub mod tmux;

/// How long `docker version` may take before the engine counts as unreachable.
const ENGINE_PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// `DOCKER_GUIDE_E2E=1`: engine tests are mandatory.
pub fn e2e_required() -> bool {
    std::env::var("DOCKER_GUIDE_E2E").is_ok_and(|v| v == "1")
}

/// Under CI (`CI` set to anything but `false`/`0`/empty) or `DOCKER_GUIDE_E2E=1` no test may
/// skip: whatever it needs must be there.
pub fn skipping_forbidden() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    ci || e2e_required()
}

/// Runs `docker ARGS` with a hard timeout (a socket that accepts but never answers would
/// otherwise hang the test, docker/cli#3652); `None` when it cannot start or times out.
pub fn docker_within(args: &[&str], timeout: Duration) -> Option<Output> {
    let mut child = Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    // Read both pipes while waiting, so a chatty command never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    Some(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Whether a Docker engine answers `docker version` within 10 s. When it does, this test
/// process takes the engine for itself first ([`hold_the_engine`]).
pub fn engine_available() -> bool {
    let answers = docker_within(
        &["version", "--format", "{{.Server.Version}}"],
        ENGINE_PROBE_TIMEOUT,
    )
    .is_some_and(|o| o.status.success());
    if answers {
        hold_the_engine();
    }
    answers
}

/// The engine tests of two `cargo test` runs at once (two checkouts, two terminals) trip over
/// each other: the same container names, ports and images (seen: a course run meeting a
/// `flask-api` container the other run had just started). So the first engine test of a test
/// process takes an exclusive lock on a file in the temp folder, and the process keeps it
/// until it exits: another run's engine tests wait. The tests of one process share it, and one
/// `cargo test` runs its test binaries one after another, so a run never waits for itself.
fn hold_the_engine() {
    static HELD: OnceLock<Option<File>> = OnceLock::new();
    HELD.get_or_init(|| {
        let path = std::env::temp_dir().join("docker-guide-engine-tests.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .ok()?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // Past the test harness's capture, so whoever waits sees why.
                let _ = writeln!(
                    std::io::stderr(),
                    "waiting for another test run's engine tests to end (lock {})",
                    path.display()
                );
                file.lock().ok()?;
            }
            Err(TryLockError::Error(_)) => return None,
        }
        Some(file)
    });
}

/// True when `problem` is `None`. Otherwise panics under CI or `DOCKER_GUIDE_E2E=1`
/// ([`skipping_forbidden`]), or says loudly on stderr that `test` is skipped and why, and
/// returns false.
pub fn run_or_skip(test: &str, problem: Option<&str>) -> bool {
    let Some(why) = problem else {
        return true;
    };
    assert!(
        !skipping_forbidden(),
        "{test}: {why}, and no test may skip under CI or DOCKER_GUIDE_E2E=1 (.ci/run installs what tests need)"
    );
    eprintln!(
        "\n!!!!! SKIPPED {test}: {why} (under CI or DOCKER_GUIDE_E2E=1 this is a failure) !!!!!\n"
    );
    false
}

/// Whether `program` runs (`program ARG` starts and exits 0), e.g. `tmux -V`.
pub fn program_runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True when `program` runs (see [`program_runs`]); otherwise goes through [`run_or_skip`].
pub fn require_program(test: &str, program: &str, arg: &str) -> bool {
    let why = format!("`{program}` is not installed");
    run_or_skip(test, (!program_runs(program, arg)).then_some(why.as_str()))
}

/// `../shared/<rel>` next to the repository (the corpus and source guide the course is
/// checked against), or `None` after [`run_or_skip`] when it is missing.
pub fn shared_file(test: &str, rel: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    let why = format!("../shared/{rel} is not next to the repository");
    run_or_skip(test, (!path.exists()).then_some(why.as_str())).then_some(path)
}

/// True when an engine answers; otherwise skips loudly (false) or panics under
/// `DOCKER_GUIDE_E2E=1`.
pub fn require_engine(test: &str) -> bool {
    run_or_skip(
        test,
        (!engine_available()).then_some("no Docker engine answers `docker version`"),
    )
}

/// Asserts that `out`'s command succeeded, showing its stderr when it did not.
#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Polls `done` every 200 ms until it holds; panics after `secs` seconds, saying `what`
/// never happened.
#[track_caller]
pub fn wait_until(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {secs} s"
        );
        thread::sleep(Duration::from_millis(200));
    }
}

/// `docker-guide --lessons LESSONS --workspace WORKSPACE` for a learner with nothing of
/// their own: progress under `state` (`XDG_STATE_HOME`, data in `state/data`), no course or
/// workspace from the environment, 60 s at most. Colours are the caller's choice.
pub fn learner_command(
    lessons: &std::path::Path,
    workspace: &std::path::Path,
    state: &std::path::Path,
) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("docker-guide").expect("the binary is built");
    cmd.arg("--lessons")
        .arg(lessons)
        .arg("--workspace")
        .arg(workspace)
        .env("XDG_STATE_HOME", state)
        .env("XDG_DATA_HOME", state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .timeout(Duration::from_secs(60));
    cmd
}
