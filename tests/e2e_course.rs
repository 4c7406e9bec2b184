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
use std::process::Command;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

mod common;
use common::docker_within;
#[path = "common/new_chapters.rs"]
mod new_chapters;

#[path = "e2e_course/harness.rs"]
mod harness;
use harness::*;

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
