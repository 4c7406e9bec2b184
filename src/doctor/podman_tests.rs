//! Which steps differ on Podman, read from steps; the report of a real Podman 4.3 service
//! (captured fixtures) annotated with them; other engines untouched.

use super::*;
use crate::doctor::fake::{FakeProbe, INFO, VERSION};
use crate::doctor::{DoctorRequest, run_checks};
use crate::lesson::{self, StepKind};

fn course_of(markdown: &str) -> Course {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("01-podman.md"), markdown).unwrap();
    lesson::load_path(dir.path()).unwrap()
}

fn differences(markdown: &str, rootless: bool) -> Vec<(usize, Difference)> {
    affected_steps(&course_of(markdown), rootless)
        .into_iter()
        .map(|s| (s.step, s.difference))
        .collect()
}

#[test]
fn steps_are_read_for_what_podman_does_differently() {
    let chapter = "# P\n\n```sh\ndocker version\n```\n\n```sh\nDOCKER_BUILDKIT=1 docker build -t dg-test-x .\n```\n\n\
        ```sh\ndocker run --rm -p 80:80 --restart=always dg-test-x\n```\n\n\
        ```sh\ndocker compose up -d --build\n```\n\n```sh\ndocker compose ps\n```\n\n\
        ```sh\ndocker run --rm --gpus all dg-test-x && docker ps\n```\n\n\
        ```sh\ndocker --context remote build . && docker -D info\n```\n";
    assert_eq!(
        differences(chapter, false),
        vec![
            (1, Difference::EngineInfo),
            (2, Difference::Build),
            (3, Difference::Restart),
            (4, Difference::Build),
            (4, Difference::Compose),
            (6, Difference::Gpus),
            (7, Difference::EngineInfo),
            (7, Difference::Build),
        ]
    );
    // Rootless adds the port below 1024 of step 3 (8080 would be fine).
    assert!(differences(chapter, true).contains(&(3, Difference::LowPort)));
    let high = chapter.replace("-p 80:80", "-p 8080:80");
    assert!(!differences(&high, true).contains(&(3, Difference::LowPort)));
}

#[test]
fn compose_files_are_read_for_health_checks_restarts_and_ports() {
    let chapter = "# P\n\n```yaml {file=compose.yaml}\nservices:\n  api:\n    image: dg-test-api\n    \
        restart: unless-stopped\n    ports:\n      - \"443:5000\"\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n```\n";
    let course = course_of(chapter);
    assert!(matches!(
        course.chapters[0].steps[0].kind,
        StepKind::File { .. }
    ));
    assert_eq!(
        differences(chapter, false),
        vec![(1, Difference::Healthcheck), (1, Difference::Restart)]
    );
    assert!(differences(chapter, true).contains(&(1, Difference::LowPort)));
}

#[test]
fn the_official_course_names_its_podman_steps() {
    let course = lesson::load_embedded();
    let steps = affected_steps(&course, false);
    let found = |d: Difference| -> Vec<usize> {
        let mut chapters: Vec<usize> = steps
            .iter()
            .filter(|s| s.difference == d)
            .map(|s| s.chapter)
            .collect();
        chapters.dedup();
        chapters
    };
    // Chapter numbers by slug: new chapters slot in between (`07a-…`).
    let compose = chapter_number(&course, "compose");
    assert!(found(Difference::EngineInfo).contains(&1), "{steps:?}");
    assert!(found(Difference::Build).contains(&6), "{steps:?}");
    assert_eq!(found(Difference::Compose), vec![compose], "{steps:?}");
    assert_eq!(found(Difference::Healthcheck), vec![compose], "{steps:?}");
    let lines = describe(&steps);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("image builds (ch 6 step")),
        "{lines:#?}"
    );
}

/// The 1-based number of the official course's chapter `slug`, as the notes print it.
fn chapter_number(course: &crate::lesson::model::Course, slug: &str) -> usize {
    course
        .chapters
        .iter()
        .position(|c| c.slug == slug)
        .unwrap_or_else(|| panic!("no chapter {slug}"))
        + 1
}

fn podman_report() -> Report {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_podman_43")
        .cmd(INFO, "info_podman_43");
    run_checks(&fake, &DoctorRequest::default())
}

#[test]
fn a_real_podman_service_is_named_and_its_differences_listed() {
    let mut report = podman_report();
    let runtime = report.runtime.clone().expect("runtime");
    assert_eq!(runtime.kind.as_deref(), Some("podman"));
    assert_eq!(runtime.product.as_deref(), Some("Podman 4.3"));
    assert_eq!(report.check("daemon").unwrap().status, Status::Pass);
    let course = lesson::load_embedded();
    annotate(&mut report, &course);
    let compose = format!("Compose (ch {} step", chapter_number(&course, "compose"));
    let daemon = report.check("daemon").unwrap();
    assert_eq!(daemon.status, Status::Warn);
    assert!(
        daemon.message.starts_with(
            "Podman 4.3 (engine 4.3.1, API 1.41, linux/amd64); the course is written for Docker: "
        ),
        "{}",
        daemon.message
    );
    assert!(
        daemon.details.iter().any(|d| d.starts_with(&compose)),
        "{:#?}",
        daemon.details
    );
    assert!(
        daemon
            .details
            .iter()
            .all(|d| !d.starts_with("ports below 1024")),
        "rootful: no port limit"
    );
    let buildx = report.check("buildx").unwrap();
    assert_eq!(buildx.status, Status::Pass, "{buildx:?}");
    assert!(
        buildx
            .message
            .starts_with("not needed: Podman builds with Buildah")
    );
    assert!(buildx.fix.is_none());
}

#[test]
fn other_engines_and_courses_without_such_steps_are_left_alone() {
    let mut docker = run_checks(&FakeProbe::healthy(), &DoctorRequest::default());
    let before = docker.check("daemon").cloned();
    annotate(&mut docker, &lesson::load_embedded());
    assert_eq!(docker.check("daemon").cloned(), before);

    let mut podman = podman_report();
    annotate(&mut podman, &course_of("# P\n\n```sh\ndocker ps\n```\n"));
    assert_eq!(podman.check("daemon").unwrap().status, Status::Pass);
}
