//! `run` and processes: SIGTERM stops the step and the background server and runs the
//! cleanup; a real port conflict on the engine is explained.

use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use super::common::require_engine;
use assert_cmd::Command;

use super::{env, fixture, pid_is_gone, read_pids};

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
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
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
