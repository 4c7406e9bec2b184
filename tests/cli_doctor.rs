//! `docker-guide doctor` against the real engine of this machine. Skipped loudly when no engine
//! answers; mandatory with `DOCKER_GUIDE_E2E=1`.
#![cfg(unix)]

use std::os::unix::net::UnixListener;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

mod common;
use common::{require_engine, run_or_skip};

fn doctor(args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary");
    cmd.arg("doctor")
        .args(args)
        .env_remove("DOCKER_HOST")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let output = cmd.output().expect("run docker-guide");
    (output, started.elapsed())
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {report}"))
}

#[test]
fn healthy_engine_passes() {
    if !require_engine("healthy_engine_passes") {
        return;
    }
    let (output, took) = doctor(&["--json"], &[]);
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["schema"], "docker-guide.doctor/v1");
    for id in ["docker", "daemon", "context", "disk", "memory", "arch"] {
        assert_eq!(
            check(&report, id)["status"],
            "pass",
            "{id}: {:#}",
            check(&report, id)
        );
    }
    assert!(report["runtime"]["server_version"].is_string());
    assert!(
        took < Duration::from_secs(5),
        "healthy doctor took {took:?}"
    );
    let (human, _) = doctor(&[], &[]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.starts_with("✓ Docker CLI")),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "NO_COLOR and a pipe: no escapes");
}

#[test]
fn unreachable_docker_host_fails_daemon_with_the_unset_fix() {
    if !require_engine("unreachable_docker_host_fails_daemon_with_the_unset_fix") {
        return;
    }
    let (output, _) = doctor(&["--json"], &[("DOCKER_HOST", "unix:///nonexistent.sock")]);
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    let daemon = check(&report, "daemon");
    assert_eq!(daemon["status"], "fail");
    assert_eq!(
        daemon["message"],
        "no engine answers at DOCKER_HOST=unix:///nonexistent.sock"
    );
    let fix = daemon["fix"].to_string();
    assert!(fix.contains("unset DOCKER_HOST"), "{fix}");
    assert_eq!(check(&report, "disk")["status"], "skip");
    assert_eq!(check(&report, "disk")["skipped_because"], "daemon");

    // Durations vary; everything else about an unreachable engine is stable.
    let volatile = [(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#)];
    let daemon_only = serde_json::json!({ "schema": report["schema"], "daemon": daemon });
    insta::with_settings!({ filters => volatile.to_vec() }, {
        insta::assert_snapshot!("cli_doctor_unreachable_daemon", serde_json::to_string_pretty(&daemon_only).expect("json"));
    });
}

/// A socket that accepts connections and never answers (docker/cli#3652).
struct HungSocket {
    path: std::path::PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl HungSocket {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hung.sock");
        let listener = UnixListener::bind(&path).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        HungSocket {
            path,
            stop,
            thread: Some(thread),
            _dir: dir,
        }
    }
}

impl Drop for HungSocket {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn hung_socket_times_out_within_the_bound() {
    let test = "hung_socket_times_out_within_the_bound";
    if !run_or_skip(
        test,
        which_docker().is_none().then_some("docker is not on PATH"),
    ) {
        return;
    }
    let socket = HungSocket::start();
    let host = format!("unix://{}", socket.path.display());
    let (output, took) = doctor(&["--json"], &[("DOCKER_HOST", &host)]);
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let daemon = check(&report, "daemon");
    assert_eq!(daemon["status"], "timeout", "{daemon:#}");
    assert_eq!(daemon["evidence"][0]["timed_out"], true);
    assert!(daemon["fix"].to_string().contains("restart"), "{daemon:#}");
    assert_eq!(check(&report, "memory")["skipped_because"], "daemon");
    assert!(
        took < Duration::from_secs(10),
        "doctor took {took:?} with a hung engine"
    );
    assert!(
        took >= Duration::from_secs(4),
        "the timeout fired early: {took:?}"
    );
}

fn which_docker() -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("docker"))
            .find(|p| p.is_file())
    })
}

#[test]
fn path_without_docker_fails_docker_and_skips_the_rest_fast() {
    let empty = tempfile::tempdir().expect("tempdir");
    let path = empty.path().display().to_string();
    let (output, took) = doctor(&["--json"], &[("PATH", &path)]);
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    assert_eq!(check(&report, "docker")["status"], "fail");
    assert!(
        check(&report, "docker")["fix"]
            .to_string()
            .contains("docs.docker.com")
    );
    for c in report["checks"].as_array().expect("checks").iter().skip(1) {
        assert_eq!(c["status"], "skip", "{c:#}");
        assert_eq!(c["skipped_because"], "docker");
    }
    // Generous for a debug build on a shared 2-core machine; the release figure is in the notes.
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn unprivileged_user_gets_the_docker_group_fix() {
    if !require_engine("unprivileged_user_gets_the_docker_group_fix") {
        return;
    }
    let problem = (!nix::unistd::getuid().is_root() || which("setpriv").is_none())
        .then_some("needs root and setpriv to become nobody");
    if !run_or_skip("unprivileged_user_gets_the_docker_group_fix", problem) {
        return;
    }
    let binary = assert_cmd::cargo::cargo_bin("docker-guide");
    let output = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&binary)
        .args(["doctor", "--json", "daemon", "permission"])
        .env_remove("DOCKER_HOST")
        .output()
        .expect("setpriv");
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let daemon = check(&report, "daemon");
    assert_eq!(daemon["status"], "fail");
    assert!(
        daemon["message"]
            .as_str()
            .is_some_and(|m| m.contains("permission denied")),
        "{daemon:#}"
    );
    let permission = check(&report, "permission");
    assert_eq!(permission["status"], "fail", "{permission:#}");
    let fix = permission["fix"].to_string();
    assert!(fix.contains("usermod -aG docker nobody"), "{fix}");
    assert!(!fix.contains("sudo chmod 666"), "{fix}");
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        .iter()
        .map(|d| std::path::Path::new(d).join(program))
        .find(|p| p.is_file())
}

#[test]
fn deep_registry_check_classifies_what_the_engine_says() {
    if !require_engine("deep_registry_check_classifies_what_the_engine_says") {
        return;
    }
    let (output, took) = doctor(&["--json", "registry"], &[]);
    let report = json_of(&output);
    let registry = check(&report, "registry");
    let message = registry["message"].as_str().unwrap_or_default();
    match registry["status"].as_str() {
        Some("pass") => assert!(message.contains("hello-world"), "{registry:#}"),
        // Offline (this CI machine): one of the named causes, never the generic fallback.
        Some("fail") => assert!(!message.starts_with("the pull failed"), "{registry:#}"),
        Some("timeout") => {}
        other => panic!("unexpected status {other:?}: {registry:#}"),
    }
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn list_and_unknown_ids() {
    let (output, _) = doctor(&["--list"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    for id in docker_guide::doctor::CHECK_IDS {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} missing from --list:\n{text}"
        );
    }
    let registry = text.lines().find(|l| l.starts_with("registry")).unwrap();
    assert_eq!(registry.matches("--deep").count(), 1, "{registry}");
    let (output, _) = doctor(&["dns"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown check `dns`"));
}
