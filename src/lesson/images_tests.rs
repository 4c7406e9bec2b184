//! Image names: normalization, what a course builds, what it needs from a registry.

use std::path::PathBuf;

use super::super::course::{ChapterFile, CourseFiles, build};
use super::*;
use crate::lesson::CourseSource;

fn course(toml: &str, chapter: &str) -> Course {
    build(CourseFiles {
        source: CourseSource::Dir(PathBuf::from("c")),
        default_id: "c".into(),
        default_title: "c".into(),
        course_toml: Some(("c/course.toml".to_string(), toml.to_string())),
        chapters: vec![ChapterFile {
            file_name: "01-a.md".into(),
            display_path: "c/01-a.md".into(),
            text: Ok(chapter.to_string()),
        }],
        assets: Vec::new(),
        diagnostics: Vec::new(),
    })
}

#[test]
fn names_are_normalized_for_comparison() {
    assert_eq!(normalize_image("python"), "python:latest");
    assert_eq!(
        normalize_image("docker.io/library/python:3.12-slim"),
        "python:3.12-slim"
    );
    assert_eq!(
        normalize_image("registry-1.docker.io/library/nginx"),
        "nginx:latest"
    );
    assert_eq!(
        normalize_image("localhost:5000/app"),
        "localhost:5000/app:latest"
    );
    assert_eq!(normalize_image("ghcr.io/o/app:1"), "ghcr.io/o/app:1");
    assert_eq!(normalize_image("alpine@sha256:abc"), "alpine@sha256:abc");
}

#[test]
fn images_the_course_builds_are_not_needed() {
    let chapter = "```sh\ndocker build -t flask-api .\n```\n\n\
        ```sh\ndocker build --tag=trainer:1 -f Dockerfile.train . && docker tag trainer:1 registry.local/trainer:1\n```\n\n\
        ```sh\ntar -c f | docker import - dg-test-tiny:1\n```\n\n\
        ```sh\ndocker run --rm python:3.12-slim python -V\ndocker run --rm -p 5000:5000 flask-api\n\
        docker pull docker.io/library/python:3.12-slim\ndocker run --rm postgres:16\n\
        docker run --rm trainer:1\ndocker run registry.local/trainer:1\ndocker run $IMAGE\ndocker run dg-test-tiny:1\n```\n";
    let course = course("images = [\"python:3.12-slim\", \"flask-api\"]", chapter);
    assert_eq!(images_needed(&course), ["python:3.12-slim", "postgres:16"]);
    let built: Vec<_> = images_built_by(&course).into_iter().collect();
    assert_eq!(
        built,
        [
            "dg-test-tiny:1",
            "flask-api:latest",
            "registry.local/trainer:1",
            "trainer:1"
        ]
    );
}

#[test]
fn needed_is_course_toml_first_then_steps_once_each() {
    let chapter = "```sh\ndocker run -p 8888:8888 jupyter\ndocker run -p 80:80 x\n```\n";
    let course = course(
        "images = [\"python:3.12-slim\", \"docker.io/library/python:3.12-slim\", \"jupyter\"]",
        chapter,
    );
    // `jupyter` and `jupyter:latest` are one; the spelling kept is the first one met.
    assert_eq!(images_needed(&course), ["python:3.12-slim", "jupyter", "x"]);
}
