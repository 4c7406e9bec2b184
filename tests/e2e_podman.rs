//! `docker-guide doctor` against a real Podman service: Debian's podman started by this test
//! with `podman system service --time=0 unix://…` on a socket of its own, `DOCKER_HOST`
//! pointing at it, the docker CLI talking to Podman's Docker-compatible API. Mandatory under
//! `DOCKER_GUIDE_E2E=1` (`.ci/run` installs podman); skipped loudly elsewhere when podman is
//! missing. Containers cannot run under Podman on the CI VM (runc cannot set its rlimits), so
//! these are the engine-level checks; no container or image is created.
#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

mod common;
use common::run_or_skip;

/// A `podman system service` on a socket in a temporary folder, stopped on drop.
struct PodmanService {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl PodmanService {
    fn start() -> PodmanService {
        let dir = tempfile::Builder::new()
            .prefix("dg-test-podman-")
            .tempdir()
            .unwrap();
        let socket = dir.path().join("podman.sock");
        let child = Command::new("podman")
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start podman system service");
        let mut service = PodmanService {
            child,
            socket,
            _dir: dir,
        };
        service.wait_until_it_answers();
        service
    }

    fn docker_host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// The socket appears before the API answers: poll `docker version` (bounded).
    fn wait_until_it_answers(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("podman system service exited: {status}");
            }
            if self.socket.exists() {
                let answered = Command::new("docker")
                    .args(["version", "--format", "{{.Server.Version}}"])
                    .env("DOCKER_HOST", self.docker_host())
                    .output()
                    .is_ok_and(|o| o.status.success());
                if answered {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "podman's socket {} did not answer within 30 s",
                self.socket.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for PodmanService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn podman_available(test: &str) -> bool {
    let found = which::which("podman").is_ok() && which::which("docker").is_ok();
    run_or_skip(
        test,
        (!found).then_some("podman or docker is not installed (.ci/run installs podman)"),
    )
}

fn doctor(host: &str, args: &[&str]) -> Output {
    Command::cargo_bin("docker-guide")
        .unwrap()
        .arg("doctor")
        .args(args)
        .env("DOCKER_HOST", host)
        .env_remove("DOCKER_CONTEXT")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

#[test]
fn doctor_names_a_real_podman_service_and_the_steps_that_differ() {
    if !podman_available("doctor_names_a_real_podman_service_and_the_steps_that_differ") {
        return;
    }
    let service = PodmanService::start();
    let host = service.docker_host();
    let output = doctor(&host, &["--json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    let code = output.status.code();
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}: {report:#}");

    let runtime = &report["runtime"];
    assert_eq!(runtime["kind"], "podman", "{runtime:#}");
    let product = runtime["product"].as_str().unwrap();
    assert!(product.starts_with("Podman "), "{product}");
    assert_eq!(runtime["endpoint"], host.as_str(), "{runtime:#}");

    let daemon = check(&report, "daemon");
    assert_eq!(daemon["status"], "warn", "{daemon:#}");
    let message = daemon["message"].as_str().unwrap();
    assert!(
        message.contains("the course is written for Docker"),
        "{message}"
    );
    let details: Vec<&str> = daemon["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    // The Compose chapter's number by its slug: new chapters slot in between (`07a-…`).
    let compose = docker_guide::lesson::load_embedded()
        .chapters
        .iter()
        .position(|c| c.slug == "compose")
        .expect("a compose chapter")
        + 1;
    for topic in [
        "engine details (ch 1".to_owned(),
        "image builds (ch 6".to_owned(),
        format!("Compose (ch {compose}"),
        format!("health checks (ch {compose}"),
    ] {
        assert!(
            details.iter().any(|d| d.starts_with(&topic)),
            "no `{topic}` in {details:#?}"
        );
    }
    // The docker CLI without buildx is fine here: Podman builds with Buildah.
    let buildx = check(&report, "buildx");
    assert_ne!(buildx["status"], "fail", "{buildx:#}");
    if buildx["status"] == "pass"
        && buildx["message"]
            .as_str()
            .unwrap()
            .starts_with("not needed")
    {
        assert!(buildx["fix"].is_null(), "{buildx:#}");
    }
    // Engine-level facts come from Podman's API, not from the Docker engine of this machine.
    assert_eq!(check(&report, "permission")["status"], "pass");
    assert_eq!(check(&report, "arch")["status"], "pass");
    // The disk checked is Podman's storage, named by its API (DockerRootDir).
    let disk = check(&report, "disk")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(disk.contains("/var/lib/containers/storage"), "{disk}");
    // An image Podman does not have is "not here yet" (Podman words it its own way), not a
    // failing `docker image inspect`.
    let images = doctor(&host, &["images", "--json", "--image", "dg-test-absent:1"]);
    let images: Value = serde_json::from_slice(&images.stdout).unwrap();
    let images = check(&images, "images");
    assert_eq!(images["status"], "warn", "{images:#}");
    assert!(
        images["message"]
            .as_str()
            .unwrap()
            .contains("dg-test-absent:1"),
        "{images:#}"
    );
}

#[test]
fn the_text_report_says_podman_in_its_headline() {
    if !podman_available("the_text_report_says_podman_in_its_headline") {
        return;
    }
    let service = PodmanService::start();
    let output = doctor(&service.docker_host(), &["daemon"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("Podman "), "{text}");
    assert!(text.contains("behave differently on Podman"), "{text}");
    assert!(text.contains("Podman builds with Buildah"), "{text}");
}
