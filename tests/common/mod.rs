//! Helpers shared by the integration tests (`mod common;` in each test crate): the Docker
//! engine gate. Tests that need the engine are skipped with a loud message when none answers,
//! and fail when `DOCKER_GUIDE_E2E=1` (CI starts an engine, so a missing one is a bug there).
#![allow(dead_code)] // each test crate uses its own subset

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long `docker version` may take before the engine counts as unreachable.
const ENGINE_PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// `DOCKER_GUIDE_E2E=1`: engine tests are mandatory.
pub fn e2e_required() -> bool {
    std::env::var("DOCKER_GUIDE_E2E").is_ok_and(|v| v == "1")
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

/// Whether a Docker engine answers `docker version` within 10 s.
pub fn engine_available() -> bool {
    docker_within(
        &["version", "--format", "{{.Server.Version}}"],
        ENGINE_PROBE_TIMEOUT,
    )
    .is_some_and(|o| o.status.success())
}

/// True when `problem` is `None`. Otherwise panics under `DOCKER_GUIDE_E2E=1`, or says loudly
/// on stderr that `test` is skipped and why, and returns false.
pub fn run_or_skip(test: &str, problem: Option<&str>) -> bool {
    let Some(why) = problem else {
        return true;
    };
    assert!(!e2e_required(), "{test}: DOCKER_GUIDE_E2E=1 but {why}");
    eprintln!(
        "\n!!!!! SKIPPED {test}: {why} (set DOCKER_GUIDE_E2E=1 to make this a failure) !!!!!\n"
    );
    false
}

/// True when an engine answers; otherwise skips loudly (false) or panics under
/// `DOCKER_GUIDE_E2E=1`.
pub fn require_engine(test: &str) -> bool {
    run_or_skip(
        test,
        (!engine_available()).then_some("no Docker engine answers `docker version`"),
    )
}
