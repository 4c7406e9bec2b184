//! End to end on a real Docker engine: the official course run headless with its tasks solved
//! (`docker-guide run all --yes --solve`) in a fresh workspace and state directory, each of its
//! tasks verified by `lint --deep` (the check fails just before the task and passes after its
//! solution), and a small course that fails on purpose (a published port that is already taken).
//!
//! Mandatory when `DOCKER_GUIDE_E2E=1` (CI: `.ci/run` starts an engine and prepares the
//! offline stand-in images first); otherwise skipped, loudly, when no engine answers.
//! The official course creates the names it teaches (`flask-api`, `scratchpad`, a Compose
//! project named after the workspace); everything else this file creates is named `dg-test-…`.
//! The images the course leaves for the learner (`flask-api`, `flask-api:dev`, and the old
//! `flask-api` a rebuild leaves untagged) are removed when its tests end, pass or fail.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

mod common;
use common::{docker_within, engine_available, run_or_skip};
#[path = "common/new_chapters.rs"]
mod new_chapters;

/// The workspace folder name, and so the Compose project name of the official course's stack.
const WORKSPACE_NAME: &str = "dg-test-course";
/// Host ports the course publishes: the API (`-p 5000:5000`, compose `5000:5000`), the second
/// copy of the `second-copy` task (`-p 5001:5000`) and the `compose-port` task's `API_PORT`.
const COURSE_PORTS: [u16; 3] = [5000, 5001, 5050];
/// Containers the course and its tasks' checks and solutions name.
const COURSE_CONTAINERS: &[&str] = &["flask-api", "flask-api-2", "flask-api-health", "scratchpad"];
/// Images the tasks' checks and solutions create; the chapters' cleanups remove them.
const TASK_IMAGES: &[&str] = &[
    "context-check",
    "report-job",
    "report-job:check",
    "report-job:check-before",
    "flask-api:1.0.0",
];
/// The chapters with hands-on steps (issue 10: each has at least one task).
const HANDS_ON_CHAPTERS: &[&str] = &[
    "images-and-containers",
    "dependencies",
    "build-the-image",
    "run-the-container",
    "compose",
    "share-and-deploy",
];
/// Files the official course's file steps write, relative to the workspace.
const COURSE_FILES: &[&str] = &[
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
static OFFICIAL_COURSE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn docker_stdout(args: &[&str]) -> String {
    let out = docker_within(args, Duration::from_secs(60))
        .unwrap_or_else(|| panic!("`docker {}` did not finish", args.join(" ")));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether the test can run: an engine and the base image. Panics under `DOCKER_GUIDE_E2E=1`
/// when either is missing; otherwise says loudly why the test is skipped.
fn ready_for_e2e(test: &str) -> bool {
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
fn buildkit_path(home: &Path) -> Option<std::ffi::OsString> {
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
fn docker_guide(home: &Path, workspace: &Path) -> Command {
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
fn run_to_end(mut cmd: Command, timeout: Duration) -> (Option<i32>, String) {
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
fn containers(filter: &str) -> Vec<String> {
    docker_stdout(&["ps", "--all", "--quiet", "--filter", filter])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Processes whose working directory is inside `dir`: whatever a run started there and left.
#[cfg(target_os = "linux")]
fn processes_under(dir: &Path) -> Vec<String> {
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
fn processes_under(_dir: &Path) -> Vec<String> {
    Vec::new()
}

fn assert_port_free(port: u16) {
    if let Err(e) = TcpListener::bind(("0.0.0.0", port)) {
        panic!("host port {port} is taken ({e}); the official course publishes it: free it first");
    }
}

/// No engine needed: the official course must lint without a single error or warning.
#[test]
fn official_course_lints_clean() {
    let output = Command::cargo_bin("docker-guide")
        .expect("binary built")
        .env_remove("DOCKER_GUIDE_LESSONS")
        .args(["lint", "--strict"])
        .output()
        .expect("run lint");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.starts_with("ok: no problems"),
        "lint found problems in the official course:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let course = docker_guide::lesson::load_embedded();
    assert_eq!(course.id, "docker-for-data-science");
    assert_eq!(
        course.images,
        ["python:3.15-slim", "python:3.12-slim", "registry:2"],
        "stand-ins exist for exactly these images"
    );
}

/// No engine needed: the official course has at least 8 tasks, one or more in every hands-on
/// chapter, each with a timeout on its check, 1 to 3 hints and a solution (issue 10).
#[test]
fn official_course_has_tasks_in_every_hands_on_chapter() {
    let course = docker_guide::lesson::load_embedded();
    let mut total = 0;
    for slug in HANDS_ON_CHAPTERS {
        let chapter = course
            .chapters
            .iter()
            .find(|c| c.slug == *slug)
            .unwrap_or_else(|| panic!("no chapter {slug}"));
        let tasks: Vec<_> = chapter.steps.iter().filter(|s| s.is_task()).collect();
        assert!(!tasks.is_empty(), "chapter {slug} has no task");
        for step in tasks {
            let task = step.task.as_ref().expect("a task");
            assert!(
                (1..=3).contains(&task.hints.len()),
                "task {} has {} hints (1 to 3 wanted)",
                step.id,
                task.hints.len()
            );
            assert!(
                !task.solution.is_empty(),
                "task {} has no solution",
                step.id
            );
            assert!(
                step.attrs.timeout.is_some(),
                "task {}'s check has no timeout=",
                step.id
            );
            total += 1;
        }
    }
    assert!(
        total >= 8,
        "the official course has {total} tasks (8 wanted)"
    );
}

#[test]
fn official_course_runs_end_to_end() {
    if !ready_for_e2e("official_course_runs_end_to_end") {
        return;
    }
    let _serial = OFFICIAL_COURSE.lock().unwrap_or_else(|e| e.into_inner());
    remove_leftovers();
    let _images = CourseImages::guard();
    // Prove that the run builds the image: remove it first.
    let _ = docker_within(&["image", "rm", "-f", "flask-api"], Duration::from_secs(60));

    let home = tempfile::Builder::new()
        .prefix("dg-test-e2e")
        .tempdir()
        .expect("temp dir");
    let workspace = home.path().join(WORKSPACE_NAME);
    let mut cmd = docker_guide(home.path(), &workspace);
    cmd.args(["run", "all", "--yes", "--solve"]);
    let (code, output) = run_to_end(cmd, Duration::from_secs(25 * 60));

    assert_eq!(
        code,
        Some(0),
        "the official course must pass end to end:\n{output}"
    );
    let course = docker_guide::lesson::load_embedded();
    let runnable = course
        .chapters
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| !s.attrs.interactive)
        .count()
        // The optional GPU chapter is skipped (not failed) on a machine without a GPU.
        - if new_chapters::gpu_usable() {
            0
        } else {
            new_chapters::gpu_chapter_steps(&course)
        };
    assert!(
        runnable >= 40,
        "the official course has {runnable} runnable steps"
    );
    let summary = format!("{runnable} passed");
    assert!(
        output.contains(&summary),
        "summary `{summary}` missing:\n{output}"
    );
    assert!(!output.contains("FAILED"), "a step failed:\n{output}");
    // Every task was solved by its solution (tasks count among the passed steps above).
    let tasks = course
        .chapters
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.is_task())
        .count();
    assert_eq!(
        output.matches("✓ solved").count(),
        tasks,
        "not every task was solved by its solution:\n{output}"
    );

    // The model API was built, answered /health and /predict, and the stack came up.
    assert!(
        docker_within(&["image", "inspect", "flask-api"], Duration::from_secs(30))
            .is_some_and(|o| o.status.success()),
        "image flask-api was not built"
    );
    assert!(
        output.contains("\"status\":\"ok\""),
        "/health did not answer:\n{output}"
    );
    assert!(
        regex::Regex::new(r"predicted class: (setosa|versicolor|virginica)")
            .unwrap()
            .is_match(&output),
        "/predict returned no class:\n{output}"
    );
    assert!(
        output.contains("(healthy)"),
        "the Compose stack did not come up healthy:\n{output}"
    );
    // The course ran on the Python it names (python:3.15-slim, real or a stand-in that really
    // contains 3.15): the first container prints its version.
    assert!(
        regex::Regex::new(r"\b3\.15\.\d+ Linux ")
            .unwrap()
            .is_match(&output),
        "the first container did not report Python 3.15:\n{output}"
    );
    // The lock pins more than the six requirements, each with hashes, and pip refused a
    // tampered one.
    let lock = std::fs::read_to_string(workspace.join("requirements.lock")).unwrap_or_default();
    let pinned = lock.lines().filter(|l| l.contains("==")).count();
    assert!(
        pinned > 6 && lock.contains("--hash=sha256:"),
        "requirements.lock pins {pinned} packages:\n{lock}"
    );
    assert!(
        output.contains("DO NOT MATCH THE HASHES"),
        "pip did not refuse the tampered lock:\n{output}"
    );
    // The development target was built and its tests ran in it.
    assert!(
        docker_within(
            &["image", "inspect", "flask-api:dev"],
            Duration::from_secs(30)
        )
        .is_some_and(|o| o.status.success()),
        "image flask-api:dev (the dev target) was not built"
    );

    // Nothing the run started remains: containers, the Compose network, processes.
    let project = format!("label=com.docker.compose.project={WORKSPACE_NAME}");
    let names: Vec<String> = COURSE_CONTAINERS
        .iter()
        .map(|name| format!("name=^/{name}$"))
        .collect();
    for filter in names.iter().map(String::as_str).chain([project.as_str()]) {
        assert_eq!(
            containers(filter),
            Vec::<String>::new(),
            "containers left behind ({filter})"
        );
    }
    for image in TASK_IMAGES {
        assert!(
            !docker_within(&["image", "inspect", image], Duration::from_secs(30))
                .is_some_and(|o| o.status.success()),
            "image {image} was left behind (a chapter's cleanup removes it)"
        );
    }
    let networks = docker_stdout(&["network", "ls", "--quiet", "--filter", &project]);
    assert_eq!(networks.trim(), "", "the Compose network was not removed");
    assert_eq!(
        processes_under(home.path()),
        Vec::<String>::new(),
        "processes left behind"
    );

    // The workspace holds what the file steps wrote.
    for file in COURSE_FILES {
        let path = workspace.join(file);
        assert!(path.is_file(), "file step did not write {}", path.display());
    }
    assert!(
        !workspace.join("iris-api.tar").exists(),
        "the saved image archive was not removed"
    );
    new_chapters::assert_outcomes(&workspace, &output);
}

/// Removes what an earlier, interrupted run left (it would make the course fail for the wrong
/// reason) and requires the course's host ports to be free.
/// Removes, when dropped, the images a course run leaves behind on purpose (the learner keeps
/// them) or by accident: the course's named images, and dangling images that were not there
/// when the guard was made (an earlier `flask-api` a rebuild untagged). Only the official
/// course's tests make images in this file, and they run one at a time (`OFFICIAL_COURSE`).
struct CourseImages {
    dangling_before: Vec<String>,
}

impl CourseImages {
    fn guard() -> Self {
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
fn remove_course_containers() {
    let mut rm = vec!["rm", "-f"];
    rm.extend(COURSE_CONTAINERS);
    rm.extend(new_chapters::CONTAINERS);
    let _ = docker_within(&rm, Duration::from_secs(60));
}

fn dangling_images() -> Vec<String> {
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

fn remove_leftovers() {
    remove_course_containers();
    for port in COURSE_PORTS.into_iter().chain(new_chapters::PORTS) {
        assert_port_free(port);
    }
}

/// `lint --deep` on the official course: every task's check fails on the state just before the
/// task (so a learner who did nothing is never told they are done) and passes after its
/// solution. It runs the course in its own scratch workspace.
#[test]
fn official_course_tasks_fail_before_and_pass_after() {
    if !ready_for_e2e("official_course_tasks_fail_before_and_pass_after") {
        return;
    }
    let _serial = OFFICIAL_COURSE.lock().unwrap_or_else(|e| e.into_inner());
    remove_leftovers();
    let _images = CourseImages::guard();
    let home = tempfile::Builder::new()
        .prefix("dg-test-e2e-deep")
        .tempdir()
        .expect("temp dir");
    let mut cmd = docker_guide(home.path(), &home.path().join(WORKSPACE_NAME));
    cmd.args(["lint", "--deep"]);
    let (code, output) = run_to_end(cmd, Duration::from_secs(25 * 60));
    let tasks = docker_guide::lesson::load_embedded()
        .chapters
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.is_task())
        .count();
    assert_eq!(code, Some(0), "lint --deep found problems:\n{output}");
    assert!(
        output.contains(&format!("deep: {tasks} of {tasks} tasks verified")),
        "not every task was verified:\n{output}"
    );
    for name in COURSE_CONTAINERS {
        assert_eq!(
            containers(&format!("name=^/{name}$")),
            Vec::<String>::new(),
            "lint --deep left container {name} behind"
        );
    }
}

#[test]
fn failing_course_reports_the_port_in_use() {
    if !ready_for_e2e("failing_course_reports_the_port_in_use") {
        return;
    }
    // Hold a host port, then publish it from a container: the engine refuses.
    let holder = TcpListener::bind(("0.0.0.0", 0)).expect("bind a free port");
    let port = holder.local_addr().expect("address").port();
    let home = tempfile::Builder::new()
        .prefix("dg-test-e2e-port")
        .tempdir()
        .expect("temp dir");
    let course = home.path().join("course");
    std::fs::create_dir_all(&course).expect("course dir");
    std::fs::write(
        course.join("course.toml"),
        "id = \"dg-test-port-taken\"\ntitle = \"Port taken\"\nimages = [\"python:3.12-slim\"]\n",
    )
    .expect("course.toml");
    let chapter = format!(
        "+++\ntitle = \"Port taken\"\ncleanup = [\"docker rm -f dg-test-port-taken\"]\n+++\n\n\
         # Port taken\n\n\
         ```sh {{id=publish-taken-port timeout=120}}\n\
         docker run --rm --name dg-test-port-taken -p {port}:5000 python:3.12-slim python -c \"print('served')\"\n\
         ```\n\n\
         ```sh {{id=after-the-failure}}\n\
         echo this step must not run\n\
         ```\n"
    );
    std::fs::write(course.join("01-port.md"), chapter).expect("chapter");

    let mut cmd = docker_guide(home.path(), &home.path().join("ws"));
    cmd.arg("--lessons")
        .arg(&course)
        .args(["run", "all", "--yes"]);
    let (code, output) = run_to_end(cmd, Duration::from_secs(300));
    drop(holder);

    assert_eq!(code, Some(1), "a failed step must exit 1:\n{output}");
    assert!(
        output.contains("publish-taken-port"),
        "the failed step is not named:\n{output}"
    );
    // The runner's explanation of a taken port, not just Docker's own "address already in use".
    let explanation = docker_guide::runner::explain(&format!(
        "Error starting userland proxy: listen tcp4 0.0.0.0:{port}: bind: address already in use"
    ))
    .expect("the runner explains a port in use");
    assert_eq!(explanation.id, "port-in-use");
    assert!(
        output.contains(explanation.cause),
        "the explanation `{}` is missing:\n{output}",
        explanation.cause
    );
    let served = regex::Regex::new(r"(?m)^served$").unwrap();
    assert!(
        !served.is_match(&output),
        "the container must not have started:\n{output}"
    );
    assert_eq!(
        containers("name=^/dg-test-port-taken$"),
        Vec::<String>::new()
    );
}
