use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::progress::export::{DoctorProblem, DoctorSummary, Scrubber, build_export};
use crate::progress::test_support::fake_course;
use crate::progress::{CourseProgress, StepRun};

fn t(mins: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_790_000_000 + mins * 60)
}

/// An export of the fake course (intro: 2 steps, build: 3, run: 1), exported at minute 100.
fn export(
    learner: &str,
    runs: &[(&str, u64, Option<&str>)],
    doctor: Option<DoctorSummary>,
) -> Export {
    let course = fake_course(&[("intro", 2), ("build", 3), ("run", 1)]);
    let mut progress = CourseProgress::default();
    for (step, minute, failure) in runs {
        let run = match failure {
            Some(cause) => StepRun::failed(format!("exit code 1: {cause}"), Some(cause)),
            None => StepRun::passed(),
        };
        progress.apply(step, run.at(t(*minute)));
    }
    let scrubber = Scrubber::new(Some(Path::new("/nonexistent-home")), None, None);
    build_export(&course, &progress, learner, doctor, t(100), &scrubber)
}

fn input(source: &str, export: Export) -> ClassInput {
    ClassInput {
        source: source.into(),
        content: Ok(ClassFile::Export(Box::new(export))),
    }
}

fn class() -> Vec<ClassInput> {
    let doctor = DoctorSummary {
        passed: 10,
        warnings: 1,
        failed: 1,
        problems: vec![
            DoctorProblem {
                id: "daemon".into(),
                status: "fail".into(),
                summary: "not running".into(),
            },
            DoctorProblem {
                id: "disk".into(),
                status: "warn".into(),
                summary: "2 GB free".into(),
            },
        ],
    };
    vec![
        input(
            "ada.json",
            export(
                "Ada",
                &[
                    ("intro-1", 1, None),
                    ("intro-2", 2, None),
                    ("build-1", 10, Some("port-in-use")),
                    ("build-1", 20, Some("port-in-use")),
                ],
                None,
            ),
        ),
        input(
            "bob.json",
            export(
                "Bob",
                &[("intro-1", 1, None), ("intro-2", 30, Some("daemon-down"))],
                Some(doctor),
            ),
        ),
        input(
            "cy.json",
            export(
                "Cy",
                &[
                    ("intro-1", 1, None),
                    ("intro-2", 2, None),
                    ("build-1", 5, Some("port-in-use")),
                    ("build-1", 6, None),
                    ("run-1", 50, None),
                ],
                None,
            ),
        ),
        input("x/anon1.json", export(ANONYMOUS, &[], None)),
    ]
}

#[test]
fn learners_are_placed_on_their_furthest_chapter() {
    let summary = summarize(class(), None);
    let course = summary.course.as_ref().unwrap();
    assert_eq!(
        (course.id.as_str(), course.version.as_deref()),
        ("fake", Some("1"))
    );
    let rows: Vec<_> = summary
        .learners
        .iter()
        .map(|l| (l.learner.as_str(), l.chapter, l.passed, l.failing))
        .collect();
    assert_eq!(
        rows,
        [
            ("Ada", Some(2), 2, 1),
            ("anonymous (anon1.json)", None, 0, 0),
            ("Bob", Some(1), 1, 1),
            ("Cy", Some(3), 4, 0)
        ]
    );
    assert_eq!(summary.learners[3].percent, 66);
}

#[test]
fn the_longest_stuck_comes_first_counted_from_the_first_failure_without_a_pass() {
    let summary = summarize(class(), None);
    let stuck: Vec<_> = summary
        .stuck
        .iter()
        .map(|s| {
            (
                s.learner.as_str(),
                s.step_id.as_str(),
                s.stuck_secs / 60,
                s.attempts,
            )
        })
        .collect();
    // Ada failed build-1 at minute 10 and again at 20: stuck since 10, i.e. 90 minutes at export.
    assert_eq!(
        stuck,
        [("Ada", "build-1", 90, 2), ("Bob", "intro-2", 70, 1)]
    );
    assert_eq!(
        summary.stuck[0].explanation_id.as_deref(),
        Some("port-in-use")
    );
}

#[test]
fn steps_that_fail_most_with_their_common_explanation() {
    let summary = summarize(class(), None);
    let steps: Vec<_> = summary
        .failing_steps
        .iter()
        .map(|f| {
            (
                f.step_id.as_str(),
                f.learners_failed,
                f.learners_failing_now,
                f.common_failure.as_deref(),
                f.common_failure_count,
            )
        })
        .collect();
    // Cy's build-1 passed after a failure: counted as failed once, not failing now.
    assert_eq!(
        steps,
        [
            ("build-1", 2, 1, Some("port-in-use"), 2),
            ("intro-2", 1, 1, Some("daemon-down"), 1)
        ]
    );
}

#[test]
fn doctor_problems_name_the_failing_checks() {
    let summary = summarize(class(), None);
    let [row] = &summary.doctor_problems[..] else {
        panic!("{:?}", summary.doctor_problems)
    };
    assert_eq!(
        (row.learner.as_str(), &row.failing[..], &row.warnings[..]),
        (
            "Bob",
            &["daemon".to_string()][..],
            &["disk".to_string()][..]
        )
    );
}

#[test]
fn other_courses_versions_and_unreadable_files_are_reported_not_mixed_in() {
    let mut inputs = class();
    let mut other_version = export("Dee", &[("intro-1", 1, None)], None);
    other_version.course.version = Some("2".into());
    let mut other_course = export("Eve", &[], None);
    other_course.course.id = "kubernetes".into();
    inputs.push(input("dee.json", other_version));
    inputs.push(input("eve.json", other_course));
    inputs.push(ClassInput {
        source: "broken.json".into(),
        content: Err("not JSON: EOF".into()),
    });
    let summary = summarize(inputs, None);
    assert_eq!(summary.learners.len(), 4);
    let others: Vec<_> = summary
        .other_courses
        .iter()
        .map(|o| {
            (
                o.learner.as_str(),
                o.course.id.as_str(),
                o.course.version.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        others,
        [("Dee", "fake", Some("2")), ("Eve", "kubernetes", Some("1"))]
    );
    assert_eq!(summary.unreadable[0].source, "broken.json");

    // --course picks the course explicitly; the majority version of that course wins.
    let only_k8s = summarize(summary_inputs_with_course("kubernetes"), Some("kubernetes"));
    assert_eq!(only_k8s.learners.len(), 1);
    assert_eq!(only_k8s.other_courses.len(), 4);
}

fn summary_inputs_with_course(id: &str) -> Vec<ClassInput> {
    let mut inputs = class();
    let mut e = export("Eve", &[], None);
    e.course.id = id.into();
    inputs.push(input("eve.json", e));
    inputs
}

#[test]
fn duplicate_names_get_their_file_name() {
    let inputs = vec![
        input("a/one.json", export("Sam", &[], None)),
        input("b/two.json", export("Sam", &[], None)),
    ];
    let names: Vec<_> = summarize(inputs, None)
        .learners
        .into_iter()
        .map(|l| l.learner)
        .collect();
    assert_eq!(names, ["Sam (one.json)", "Sam (two.json)"]);
}

#[test]
fn text_report_answers_each_question() {
    let text = render_text(&summarize(class(), None));
    insta::assert_snapshot!(text);
}

#[test]
fn an_empty_class_says_so() {
    let summary = summarize(vec![], None);
    assert!(summary.course.is_none());
    assert_eq!(
        render_text(&summary),
        "Class summary: no course: 0 learner(s)\n"
    );
}

#[test]
fn doctor_reports_make_a_preflight_table_with_platforms() {
    let doctor = |status: &str, arch: &str, checks: &str| {
        let json = format!(
            r#"{{"schema":"docker-guide.doctor/v1","platform":{{"os":"linux","arch":"{arch}"}},
               "runtime":{{"product":"Docker 27.1"}},"summary":{{"status":"{status}"}},"checks":[{checks}]}}"#
        );
        parse_class_file(json.as_bytes()).unwrap()
    };
    let inputs = vec![
        ClassInput {
            source: "pre/ana.json".into(),
            content: Ok(doctor("pass", "amd64", "")),
        },
        ClassInput {
            source: "pre/ben.json".into(),
            content: Ok(doctor(
                "fail",
                "arm64",
                r#"{"id":"permission","status":"fail","message":"not in the docker group"}"#,
            )),
        },
        ClassInput {
            source: "pre/cat.json".into(),
            content: parse_class_file(b"{\"schema\": \"something/v9\"}"),
        },
    ];
    let summary = summarize(inputs, None);
    assert_eq!(
        summary
            .setup
            .iter()
            .map(|s| s.learner.as_str())
            .collect::<Vec<_>>(),
        ["ben", "ana"]
    );
    assert_eq!(summary.unreadable.len(), 1);
    insta::assert_snapshot!(render_text(&summary));
}

#[test]
fn escape_sequences_in_a_learners_file_are_shown_not_obeyed() {
    let mut export = export(
        "Eve\x1b]52;c;ZWNobw==\x07",
        &[("build-1", 5, Some("boom\x1b[2J"))],
        None,
    );
    export.course.title = "T\x1b]0;pwned\x07".into();
    let bytes = serde_json::to_vec(&export).unwrap();
    let ClassFile::Export(parsed) = parse_class_file(&bytes).unwrap() else {
        panic!("not read as an export");
    };
    assert_eq!(parsed.learner, "Eve^[]52;c;ZWNobw==^G");
    let summary = summarize(vec![input("eve.json", *parsed)], None);
    let text = render_text(&summary);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("boom^[[2J"), "{text}");
}
