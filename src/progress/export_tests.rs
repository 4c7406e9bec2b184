use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::progress::test_support::fake_course;
use crate::progress::{Position, StepRun};

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_790_000_000 + secs)
}

#[test]
fn scrubber_hides_home_workspace_and_user_name_but_not_longer_words() {
    let scrubber = Scrubber::new(
        Some(Path::new("/home/alice")),
        Some(Path::new(
            "/home/alice/.local/share/docker-guide/workspaces/c",
        )),
        Some("alice"),
    );
    let text = "COPY failed: /home/alice/.local/share/docker-guide/workspaces/c/app.py; see /home/alice/x; user alice, not malice or alice_b";
    assert_eq!(
        scrubber.scrub(text),
        "COPY failed: <workspace>/app.py; see ~/x; user <user>, not malice or alice_b"
    );
    assert_eq!(
        Scrubber::new(None, None, Some("al")).scrub("al is short"),
        "al is short"
    );
}

#[test]
fn export_lists_every_step_with_its_status_and_scrubs_failures() {
    let course = fake_course(&[("intro", 2), ("build", 1)]);
    let mut progress = CourseProgress::default();
    progress.apply("intro-1", StepRun::passed().at(t(0)));
    progress.apply(
        "intro-2",
        StepRun::failed("no such file /home/alice/app", Some("copy-missing")).at(t(60)),
    );
    progress.current = Some(Position {
        chapter_index: 0,
        chapter_slug: "intro".into(),
        step_id: Some("intro-2".into()),
    });
    let doctor = DoctorSummary {
        passed: 10,
        warnings: 0,
        failed: 1,
        problems: vec![DoctorProblem {
            id: "permission".into(),
            status: "fail".into(),
            summary: "alice is not in the docker group".into(),
        }],
    };
    let scrubber = Scrubber::new(Some(Path::new("/home/alice")), None, Some("alice"));
    let export = build_export(
        &course,
        &progress,
        "Student 7",
        Some(doctor),
        t(120),
        &scrubber,
    );
    assert_eq!(export.schema, EXPORT_SCHEMA);
    assert_eq!(export.learner, "Student 7");
    assert_eq!(export.course.version.as_deref(), Some("1"));
    let statuses: Vec<_> = export
        .chapters
        .iter()
        .flat_map(|c| c.steps.iter().map(|s| (s.id.as_str(), s.status)))
        .collect();
    assert_eq!(
        statuses,
        [
            ("intro-1", ExportStatus::Passed),
            ("intro-2", ExportStatus::Failed),
            ("build-1", ExportStatus::NotRun)
        ]
    );
    let failed = &export.chapters[0].steps[1];
    assert_eq!(failed.failing_since, Some(t(60)));
    assert_eq!(
        failed.last_failure.as_ref().unwrap().summary,
        "no such file ~/app"
    );
    assert_eq!(
        export.doctor.as_ref().unwrap().problems[0].summary,
        "<user> is not in the docker group"
    );
    assert_eq!(
        export.current,
        Some(ExportPosition {
            chapter: "intro".into(),
            step: Some("intro-2".into())
        })
    );

    let json = serde_json::to_vec_pretty(&export).unwrap();
    let text = String::from_utf8(json.clone()).unwrap();
    assert!(
        !text.contains("/home/alice") && !text.contains("alice"),
        "{text}"
    );
    assert_eq!(parse_export(&json).unwrap(), export);
}

#[test]
fn parse_export_says_what_is_wrong() {
    assert!(matches!(parse_export(b"{"), Err(ExportError::NotJson(_))));
    assert_eq!(
        parse_export(b"{\"checks\": []}"),
        Err(ExportError::NoSchema)
    );
    assert_eq!(
        parse_export(b"{\"schema\": \"docker-guide.progress-export/v2\"}"),
        Err(ExportError::UnknownSchema(
            "docker-guide.progress-export/v2".into()
        ))
    );
    let err = parse_export(br#"{"schema": "docker-guide.progress-export/v1", "learner": 3}"#)
        .unwrap_err();
    assert!(matches!(err, ExportError::Malformed(_)), "{err:?}");
}
