//! Containers outliving their step (issue 12 item 7), on the real engine: a `docker run`
//! client killed on timeout or SIGINT left its container running, and the next run failed
//! with "name already in use". Skipped loudly without an engine; mandatory with
//! DOCKER_GUIDE_E2E=1. Run under `flock /tmp/dg-engine.lock`. Only `dg-test-` names.
#![cfg(unix)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{docker_within, require_engine};

const IMAGE: &str = "python:3.12-slim";

/// Removes the container when the test ends, passed or not.
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = docker_within(&["rm", "-f", self.0], Duration::from_secs(60));
    }
}

fn container_exists(name: &str) -> bool {
    let out = docker_within(
        &[
            "ps",
            "-a",
            "--filter",
            &format!("name=^{name}$"),
            "--format",
            "{{.Names}}",
        ],
        Duration::from_secs(60),
    )
    .expect("docker ps answers");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l == name)
}

fn wait_until_running(name: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !container_exists(name) {
        assert!(Instant::now() < deadline, "{name} never started");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn course(dir: &std::path::Path, name: &str, timeout: u64) -> std::path::PathBuf {
    let path = dir.join("c.md");
    std::fs::write(
        &path,
        format!(
            "# C\n\n```sh {{timeout={timeout}}}\ndocker run --rm --name {name} {IMAGE} sleep 300\n```\n"
        ),
    )
    .unwrap();
    path
}

fn run_command(dir: &std::path::Path, course: &std::path::Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("docker-guide"));
    cmd.arg("--lessons")
        .arg(course)
        .arg("--workspace")
        .arg(dir.join("ws"))
        .args(["run", "--yes"])
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn a_timed_out_step_stops_the_container_its_client_named() {
    if !require_engine("a_timed_out_step_stops_the_container_its_client_named") {
        return;
    }
    const NAME: &str = "dg-test-hostile-timeout";
    let _guard = Guard(NAME);
    let dir = tempfile::tempdir().unwrap();
    let course = course(dir.path(), NAME, 5);
    let out = run_command(dir.path(), &course).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("timed out"), "{text}");
    assert!(
        text.contains(&format!("stopped container {NAME}")),
        "{text}"
    );
    assert!(
        !container_exists(NAME),
        "{NAME} outlived the timeout:\n{text}"
    );
}

#[test]
fn sigint_during_a_step_stops_the_container_its_client_named() {
    if !require_engine("sigint_during_a_step_stops_the_container_its_client_named") {
        return;
    }
    const NAME: &str = "dg-test-hostile-sigint";
    let _guard = Guard(NAME);
    let dir = tempfile::tempdir().unwrap();
    let course = course(dir.path(), NAME, 120);
    let child = run_command(dir.path(), &course).spawn().unwrap();
    wait_until_running(NAME, Duration::from_secs(60));
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{:?}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!container_exists(NAME), "{NAME} outlived SIGINT:\n{text}");
    // The next run is not blocked by "name already in use".
    assert!(
        text.contains(&format!("stopped container {NAME}")),
        "{text}"
    );
}
