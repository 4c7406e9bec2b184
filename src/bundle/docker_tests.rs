//! The docker CLI wrapper against fake `docker` scripts: hung streams are killed, failures
//! carry docker's message, a missing CLI is named.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::*;

fn fake_docker(dir: &std::path::Path, body: &str) -> PathBuf {
    let path = dir.join("docker");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_save_that_stops_sending_is_killed_after_the_stall_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let docker = DockerCli::new(fake_docker(
        dir.path(),
        "printf 'some bytes'; exec sleep 60",
    ))
    .with_stall_timeout(Duration::from_millis(500));
    let started = Instant::now();
    let mut got = Vec::new();
    let err = docker
        .save(&["x".into()], &mut |stream| {
            stream
                .read_to_end(&mut got)
                .map_err(|e| BundleError::Stream(e.to_string()))?;
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, BundleError::Timeout { .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(got, b"some bytes");
}

#[test]
fn a_failing_command_reports_docker_s_message() {
    let dir = tempfile::tempdir().unwrap();
    let docker = DockerCli::new(fake_docker(
        dir.path(),
        "echo 'Error response from daemon: boom' >&2; exit 1",
    ));
    let err = docker.save(&["x".into()], &mut |s| {
        let _ = s.read_to_end(&mut Vec::new());
        Ok(())
    });
    let err = err.unwrap_err().to_string();
    assert!(
        err.contains("docker save") && err.contains("boom") && err.contains("exit code 1"),
        "{err}"
    );
    let err = docker.load(&mut |_| Ok(())).unwrap_err().to_string();
    assert!(err.contains("boom"), "{err}");
    // Where to go from there: the doctor names the cause and the fix.
    assert!(err.contains("`docker-guide doctor`"), "{err}");
}

#[test]
fn inspect_tells_a_missing_image_from_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = DockerCli::new(fake_docker(
        dir.path(),
        "echo 'Error: No such image: x' >&2; exit 1",
    ));
    assert_eq!(missing.inspect("x").unwrap(), None);
    let dir2 = tempfile::tempdir().unwrap();
    let present = DockerCli::new(fake_docker(
        dir2.path(),
        "echo 'sha256:abc 1234 linux/arm64'",
    ));
    let info = present.inspect("x").unwrap().unwrap();
    assert_eq!(
        (info.id.as_str(), info.size, info.platform.as_str()),
        ("sha256:abc", 1234, "linux/arm64")
    );
}

#[test]
fn a_missing_cli_is_named() {
    let docker = DockerCli::new("/nonexistent/docker");
    assert!(matches!(
        docker.inspect("x"),
        Err(BundleError::DockerNotFound)
    ));
}
