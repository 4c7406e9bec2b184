//! What the official course's end-to-end tests share: the names, ports and files the course
//! makes, the engine and image checks that gate them, the command that runs it in a fresh
//! home, and the guards and clean-ups that leave the engine as they found it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

use crate::common::{docker_within, engine_available, run_or_skip};
use crate::new_chapters;

/// The workspace folder name, and so the Compose project name of the official course's stack.
pub const WORKSPACE_NAME: &str = "dg-test-course";
/// Host ports the course publishes: the API (`-p 5000:5000`, compose `5000:5000`), the second
/// copy of the `second-copy` task (`-p 5001:5000`) and the `compose-port` task's `API_PORT`.
pub const COURSE_PORTS: [u16; 3] = [5000, 5001, 5050];
/// Containers the course and its tasks' checks and solutions name.
pub const COURSE_CONTAINERS: &[&str] =
    &["flask-api", "flask-api-2", "flask-api-health", "scratchpad"];
/// Images the tasks' checks and solutions create; the chapters' cleanups remove them.
pub const TASK_IMAGES: &[&str] = &[
    "context-check",
    "report-job",
    "report-job:check",
    "report-job:check-before",
    "flask-api:1.0.0",
];
/// The chapters with hands-on steps (issue 10: each has at least one task).
pub const HANDS_ON_CHAPTERS: &[&str] = &[
    "images-and-containers",
    "dependencies",
    "build-the-image",
    "run-the-container",
    "compose",
    "share-and-deploy",
];
/// Files the official course's file steps write, relative to the workspace.
pub const COURSE_FILES: &[&str] = &[
    "requirements.txt",
    "requirements-dev.txt",
    "requirements.lock",
    "train.py",
    "flask_api.py",
    ".dockerignore",
    "Dockerfile",
    "tests/test_api.py",
    "client.py",
    "compose.yaml",
    ".github/workflows/docker.yml",
    // Written by the tasks' solutions (`--solve`).
    "results/experiment.txt",
    "flask.lock",
    "report-job/Dockerfile",
    ".env",
];

/// Serializes the tests that run the official course: they use the same names and ports.
pub static OFFICIAL_COURSE: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn docker_stdout(args: &[&str]) -> String {
    let out = docker_within(args, Duration::from_secs(60))
        .unwrap_or_else(|| panic!("`docker {}` did not finish", args.join(" ")));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether the test can run: an engine and the base image. Panics under `DOCKER_GUIDE_E2E=1`
/// when either is missing; otherwise says loudly why the test is skipped.
pub fn ready_for_e2e(test: &str) -> bool {
    let problem = if !engine_available() {
        Some("no Docker engine answers (run scripts/docker-engine.sh)")
    } else if !docker_within(
        &["image", "inspect", "python:3.15-slim", "python:3.12-slim"],
        Duration::from_secs(30),
    )
    .is_some_and(|o| o.status.success())
    {
        Some(
            "image python:3.15-slim or python:3.12-slim is missing (pull them, or run scripts/standin-images.sh offline)",
        )
    } else {
        None
    };
    run_or_skip(test, problem)
}

/// A PATH for the course's steps whose `docker` builds with BuildKit. The course builds with
/// `DOCKER_BUILDKIT=1 docker build` (its Dockerfile has a pip cache mount), which a learner's
/// Docker does through its buildx plugin. A newer CLI without buildx refuses BuildKit
/// ("BuildKit is enabled but the buildx component is missing"), as /usr/local/bin/docker does
/// on the CI machine; Debian's 20.10 CLI at /usr/bin/docker builds with the engine's own
/// BuildKit instead. So when the `docker` on PATH has no buildx and /usr/bin/docker exists,
/// `home/bin/docker` links to it and that folder comes first. `None`: PATH stays as it is.
pub fn buildkit_path(home: &Path) -> Option<std::ffi::OsString> {
    let has_buildx = docker_within(&["buildx", "version"], Duration::from_secs(30))
        .is_some_and(|o| o.status.success());
    let debian_cli = Path::new("/usr/bin/docker");
    if has_buildx || !debian_cli.is_file() {
        return None;
    }
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let link = bin.join("docker");
    if !link.exists() {
        #[cfg(unix)]
        std::os::unix::fs::symlink(debian_cli, &link).expect("link /usr/bin/docker");
    }
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    Some(std::env::join_paths(paths).expect("PATH"))
}

/// `docker-guide` with a private state/data/config home, plain output, the given workspace,
/// and a `docker` that builds with BuildKit ([`buildkit_path`]).
pub fn docker_guide(home: &Path, workspace: &Path) -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary built");
    if let Some(path) = buildkit_path(home) {
        cmd.env("PATH", path);
    }
    cmd.arg("--workspace")
        .arg(workspace)
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to the end (killing it after `timeout`) and returns its exit code and output.
pub fn run_to_end(mut cmd: Command, timeout: Duration) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn docker-guide");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = format!(
        "{}\n--- stderr ---\n{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    match status {
        Some(status) => (status.code(), text),
        None => panic!("docker-guide did not finish within {timeout:?}; output so far:\n{text}"),
    }
}

/// Container ids (all states) matching a `docker ps` filter.
pub fn containers(filter: &str) -> Vec<String> {
    docker_stdout(&["ps", "--all", "--quiet", "--filter", filter])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Processes whose working directory is inside `dir`: whatever a run started there and left.
#[cfg(target_os = "linux")]
pub fn processes_under(dir: &Path) -> Vec<String> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(cwd) = std::fs::read_link(path.join("cwd")) else {
            continue;
        };
        if cwd.starts_with(&dir) {
            let cmdline = std::fs::read(path.join("cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}

#[cfg(not(target_os = "linux"))]
pub fn processes_under(_dir: &Path) -> Vec<String> {
    Vec::new()
}

pub fn assert_port_free(port: u16) {
    if let Err(e) = TcpListener::bind(("0.0.0.0", port)) {
        panic!("host port {port} is taken ({e}); the official course publishes it: free it first");
    }
}

/// Removes, when dropped, the images a course run leaves behind on purpose (the learner keeps
/// them) or by accident: the course's named images, and dangling images that were not there
/// when the guard was made (an earlier `flask-api` a rebuild untagged). Only the official
/// course's tests make images in this file, and they run one at a time (`OFFICIAL_COURSE`).
pub struct CourseImages {
    dangling_before: Vec<String>,
}

impl CourseImages {
    pub fn guard() -> Self {
        Self {
            dangling_before: dangling_images(),
        }
    }
}

impl Drop for CourseImages {
    fn drop(&mut self) {
        // A container the run left (the first `flask-api`, say) would keep its image: an
        // image in use is not removed, and the next test would take it for one it found.
        remove_course_containers();
        let mut rm = vec!["image", "rm", "-f", "flask-api", "flask-api:dev"];
        rm.extend(TASK_IMAGES);
        rm.extend(new_chapters::IMAGES);
        let _ = docker_within(&rm, Duration::from_secs(120));
        let new: Vec<String> = dangling_images()
            .into_iter()
            .filter(|id| !self.dangling_before.contains(id))
            .collect();
        if !new.is_empty() {
            let mut rm = vec!["image", "rm", "-f"];
            rm.extend(new.iter().map(String::as_str));
            let _ = docker_within(&rm, Duration::from_secs(120));
        }
    }
}

/// The containers the course and its tasks name, if a run left any (stopped ones too).
pub fn remove_course_containers() {
    let mut rm = vec!["rm", "-f"];
    rm.extend(COURSE_CONTAINERS);
    rm.extend(new_chapters::CONTAINERS);
    let _ = docker_within(&rm, Duration::from_secs(60));
}

pub fn dangling_images() -> Vec<String> {
    docker_within(
        &[
            "image",
            "ls",
            "-q",
            "--no-trunc",
            "--filter",
            "dangling=true",
        ],
        Duration::from_secs(30),
    )
    .map(|out| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// Removes what an earlier, interrupted run left (it would make the course fail for the wrong
/// reason) and requires the course's host ports to be free.
pub fn remove_leftovers() {
    remove_course_containers();
    for port in COURSE_PORTS.into_iter().chain(new_chapters::PORTS) {
        assert_port_free(port);
    }
}
