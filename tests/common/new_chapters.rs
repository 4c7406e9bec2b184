//! What the official course's deeper chapters (issue 15, "Deepen") must have produced after
//! `run all --yes --solve`: the predictions files, the out-of-memory kill, the image shrunk by
//! a multi-stage build, the registry round trip with the same digest both ways, the pinned
//! base that held when its tag moved, the notebook server answering, the GPU chapter skipped
//! on a machine without an NVIDIA runtime — and nothing of theirs left on the engine.
//! Included by `tests/e2e_course.rs` (`#[path]`), which runs the course once for all chapters,
//! and by `tests/e2e_chapters.rs`.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::Path;
use std::time::Duration;

use super::common::docker_within;

/// Host ports the new chapters publish: the local registry, JupyterLab.
pub const PORTS: [u16; 2] = [5500, 8890];
/// Containers, volumes and images the new chapters create; their cleanups remove them.
pub const CONTAINERS: &[&str] = &["oom-demo", "registry", "notebook"];
pub const VOLUMES: &[&str] = &["iris-data", "registry-data"];
pub const IMAGES: &[&str] = &[
    "size-demo:single",
    "size-demo:multi",
    "pinned-base",
    "localhost:5500/iris-api:1.0.0",
    "localhost:5500/python:3.15-slim",
];

fn read(workspace: &Path, file: &str) -> String {
    std::fs::read_to_string(workspace.join(file))
        .unwrap_or_else(|e| panic!("{file} was not written in the workspace: {e}"))
}

/// The class column of a predictions file, in row order (the header checked).
fn classes(csv: &str) -> Vec<&str> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("sepal_length,sepal_width,petal_length,petal_width,class"),
        "predictions header:\n{csv}"
    );
    lines
        .map(|line| line.rsplit(',').next().unwrap_or_default())
        .collect()
}

fn captures<'a>(output: &'a str, pattern: &str) -> Vec<&'a str> {
    regex::Regex::new(pattern)
        .unwrap()
        .captures_iter(output)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .collect()
}

/// Asserts every outcome of the new chapters from the run's output and workspace.
pub fn assert_outcomes(workspace: &Path, output: &str) {
    // Data in, predictions out: the model's real answers, in a file that belongs to the user.
    assert_eq!(
        classes(&read(workspace, "predictions/predictions.csv")),
        [
            "setosa",
            "setosa",
            "versicolor",
            "versicolor",
            "virginica",
            "virginica"
        ],
        "the batch job's predictions"
    );
    assert_eq!(
        classes(&read(workspace, "predictions/new-flowers.csv")).len(),
        7,
        "the score-new-data task's predictions"
    );
    assert!(
        output.contains("OOMKilled=true exit=137"),
        "the out-of-memory job was not killed with exit 137:\n{output}"
    );

    // Notebooks: the server refused a request without its token, served the project with it,
    // and ran the notebook in the container: its outputs are in the workspace's file.
    assert!(
        output.contains("without the token: 403"),
        "the notebook server did not refuse a request without the token:\n{output}"
    );
    let notebook = read(workspace, "notebooks/explore.ipynb");
    assert!(
        notebook.contains("predicted class: setosa") && notebook.contains("test accuracy 0."),
        "the notebook was not executed:\n{notebook}"
    );

    // Image size: the multi-stage build carries none of the 50 MB of raw data.
    let extra = captures(
        output,
        r"size-demo:multi: (\d+) MB on top of the base image",
    );
    assert!(
        extra
            .first()
            .is_some_and(|mb| mb.parse::<u32>().unwrap() <= 5),
        "the multi-stage image was not shrunk: {extra:?}\n{output}"
    );

    // Registry: the digest pushed is the digest pulled back, and the model inside answers.
    let pushed = captures(output, r"1\.0\.0: digest: (sha256:[0-9a-f]{64})");
    let pulled = captures(output, r"localhost:5500/iris-api@(sha256:[0-9a-f]{64})");
    assert!(
        !pushed.is_empty() && pushed.first() == pulled.first(),
        "registry round trip: pushed {pushed:?}, pulled {pulled:?}\n{output}"
    );
    assert!(
        output.contains("model classes: ['setosa', 'versicolor', 'virginica']"),
        "the pulled image did not answer:\n{output}"
    );
    let pinned = read(workspace, "pinned/Dockerfile");
    assert!(
        regex::Regex::new(r"(?m)^FROM localhost:5500/python@sha256:[0-9a-f]{64}$")
            .unwrap()
            .is_match(&pinned),
        "pinned/Dockerfile is not pinned by digest:\n{pinned}"
    );
    assert!(
        output.contains("pinned base: unchanged"),
        "the pin did not hold when the tag moved:\n{output}"
    );

    // GPUs: without an NVIDIA runtime (CI) the optional chapter is skipped, not failed.
    if !gpu_usable() {
        assert!(
            output.contains("requirement `gpu` does not apply here"),
            "the GPU chapter was not skipped with its reason:\n{output}"
        );
    }

    for name in CONTAINERS {
        let ps = docker_within(
            &["ps", "-aq", "--filter", &format!("name=^/{name}$")],
            Duration::from_secs(30),
        )
        .expect("docker ps");
        assert!(
            String::from_utf8_lossy(&ps.stdout).trim().is_empty(),
            "container {name} was left behind"
        );
    }
    for volume in VOLUMES {
        assert!(
            !docker_within(&["volume", "inspect", volume], Duration::from_secs(30))
                .is_some_and(|o| o.status.success()),
            "volume {volume} was left behind"
        );
    }
    // Also what was pulled by digest (no tag): `docker image ls REPO` lists those too.
    for repository in ["localhost:5500/python", "localhost:5500/iris-api"] {
        let ls = docker_within(
            &[
                "image",
                "ls",
                "--digests",
                "--format",
                "{{.Repository}}@{{.Digest}}",
                repository,
            ],
            Duration::from_secs(30),
        )
        .expect("docker image ls");
        assert_eq!(
            String::from_utf8_lossy(&ls.stdout).trim(),
            "",
            "references to {repository} were left behind"
        );
    }
    for image in IMAGES {
        assert!(
            !docker_within(&["image", "inspect", image], Duration::from_secs(30))
                .is_some_and(|o| o.status.success()),
            "image {image} was left behind"
        );
    }
}

/// Whether this machine's engine offers NVIDIA GPUs (`docker-guide doctor gpu` passes).
pub fn gpu_usable() -> bool {
    let out = docker_within(
        &["info", "--format", "{{json .Runtimes}}"],
        Duration::from_secs(30),
    )
    .expect("docker info");
    String::from_utf8_lossy(&out.stdout).contains("nvidia")
}

/// The steps of chapters that need a GPU: skipped on a machine without one.
pub fn gpu_chapter_steps(course: &docker_guide::lesson::model::Course) -> usize {
    course
        .chapters
        .iter()
        .filter(|c| c.front.requires.iter().any(|id| id == "gpu"))
        .map(|c| c.steps.len())
        .sum()
}
