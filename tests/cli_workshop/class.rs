//! `class summary` over fake exports, real exports and real doctor reports.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use serde_json::{Value, json};

use super::{Learner, bin};

/// An export as `progress export` writes it (schema docker-guide.progress-export/v1).
fn export(
    learner: &str,
    course: &str,
    version: &str,
    steps: &[(&str, &str)],
    doctor_fail: &[&str],
) -> Value {
    let step = |(id, status): &(&str, &str)| {
        let mut s = json!({ "id": id, "status": status, "attempts": if *status == "not_run" { 0 } else { 1 } });
        if *status != "not_run" {
            s["last_run"] = json!("2026-11-26T09:30:00Z");
        }
        if *status == "failed" {
            s["failing_since"] = json!("2026-11-26T09:00:00Z");
            s["last_failure"] = json!({ "summary": "exit code 125 (expected 0)", "explanation_id": "port-in-use", "at": "2026-11-26T09:30:00Z" });
        }
        s
    };
    let (first, second) = steps.split_at(steps.len().min(2));
    json!({
        "schema": "docker-guide.progress-export/v1",
        "learner": learner,
        "course": { "id": course, "version": version, "title": "T" },
        "exported_at": "2026-11-26T10:00:00Z",
        "docker_guide_version": "0.1.0",
        "chapters": [
            { "number": 1, "slug": "intro", "title": "Intro", "steps": first.iter().map(step).collect::<Vec<_>>() },
            { "number": 2, "slug": "build", "title": "Build", "steps": second.iter().map(step).collect::<Vec<_>>() },
        ],
        "doctor": {
            "passed": 11 - doctor_fail.len(), "warnings": 0, "failed": doctor_fail.len(),
            "problems": doctor_fail.iter().map(|id| json!({ "id": id, "status": "fail", "summary": "x" })).collect::<Vec<_>>(),
        },
    })
}

fn write(dir: &Path, name: &str, value: &Value) {
    fs::write(dir.join(name), serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

/// `class summary PATH`, run.
fn class_summary(path: &Path) -> assert_cmd::assert::Assert {
    bin().args(["class", "summary"]).arg(path).assert()
}

fn class_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "ada.json",
        &export(
            "Ada",
            "c",
            "1",
            &[
                ("i1", "passed"),
                ("i2", "passed"),
                ("b1", "failed"),
                ("b2", "not_run"),
            ],
            &[],
        ),
    );
    write(
        d,
        "bob.json",
        &export(
            "Bob",
            "c",
            "1",
            &[
                ("i1", "passed"),
                ("i2", "failed"),
                ("b1", "not_run"),
                ("b2", "not_run"),
            ],
            &["daemon"],
        ),
    );
    write(
        d,
        "old.json",
        &export("Old", "c", "0", &[("i1", "passed")], &[]),
    );
    fs::write(d.join("broken.json"), b"{ not json").unwrap();
    fs::write(d.join("notes.txt"), b"ignored: not .json").unwrap();
    dir
}

#[test]
fn class_summary_of_a_folder_prints_every_section() {
    let dir = class_dir();
    class_summary(dir.path())
        .success()
        .stdout(predicate::str::contains(
            "Class summary: c (version 1): 2 learner(s)",
        ))
        .stdout(predicate::str::is_match(r"Ada\s+2 build\s+2/4 \(50%\)\s+1").unwrap())
        .stdout(predicate::str::is_match(r"Bob\s+1 intro\s+1/4").unwrap())
        .stdout(predicate::str::is_match(r"2 b1\s+1\s+1\s+port-in-use \(1x\)").unwrap())
        .stdout(predicate::str::is_match(r"Bob\s+daemon").unwrap())
        .stdout(predicate::str::contains(
            "old.json: Old is on course c version 0",
        ))
        .stdout(predicate::str::contains(
            "broken.json: unreadable: not JSON",
        ))
        .stdout(predicate::str::contains("notes.txt").not());
}

#[test]
fn class_summary_json_is_machine_readable() {
    let dir = class_dir();
    let out = bin()
        .args(["class", "summary", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "docker-guide.class-summary/v1");
    assert_eq!(v["course"]["id"], "c");
    assert_eq!(v["learners"].as_array().unwrap().len(), 2);
    assert_eq!(v["stuck"][0]["learner"], "Ada");
    assert_eq!(v["stuck"][0]["stuck_secs"], 3600);
    assert!(
        v["unreadable"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("broken.json")
    );
}

#[test]
fn class_summary_with_course_and_missing_files() {
    let dir = class_dir();
    bin()
        .args(["class", "summary", "--course", "nope"])
        .arg(dir.path())
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Class summary: nope: 0 learner(s)",
        ))
        .stdout(predicate::str::contains("missing.json: unreadable:"));
}

#[test]
fn a_folder_without_exports_is_named_not_silently_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "not an export").unwrap();
    class_summary(dir.path())
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{}: unreadable: no .json file in this folder",
            dir.path().display()
        )));
}

#[test]
fn class_summary_reads_what_progress_export_writes() {
    let learner = Learner::new();
    learner.seed();
    let class = tempfile::tempdir().unwrap();
    learner
        .cmd()
        .args(["progress", "export", "--no-doctor", "--name", "Ada"])
        .arg(class.path().join("ada.json"))
        .assert()
        .success();
    class_summary(class.path())
        .success()
        .stdout(predicate::str::contains(
            "Class summary: workshop-pack-example (version 1): 1 learner(s)",
        ))
        .stdout(predicate::str::is_match(r"Ada\s+2 build-and-serve\s+2/9").unwrap())
        .stdout(predicate::str::is_match(r"2 build\s+1\s+1\s+copy-missing").unwrap());
}

#[test]
fn class_summary_reads_real_doctor_reports_as_preflight() {
    let learner = Learner::new();
    let dir = tempfile::tempdir().unwrap();
    let out = learner.cmd().args(["doctor", "--json"]).output().unwrap();
    fs::write(dir.path().join("zoe.json"), &out.stdout).unwrap();
    class_summary(dir.path())
        .success()
        .stdout(predicate::str::contains(
            "Class preflight: 1 doctor report(s)",
        ))
        .stdout(predicate::str::is_match(r"\n  zoe\s+(pass|warn|fail)\s+linux/").unwrap());
}

#[test]
fn class_summary_takes_the_course_of_lessons_by_default() {
    let dir = class_dir();
    let pack = super::PACK;
    write(
        dir.path(),
        "zed.json",
        &export(
            "Zed",
            "workshop-pack-example",
            "1",
            &[("hello", "passed")],
            &[],
        ),
    );
    bin()
        .args(["--lessons", pack, "class", "summary"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Class summary: workshop-pack-example (version 1): 1 learner(s)",
        ))
        .stdout(predicate::str::contains(
            "ada.json: Ada is on course c version 1",
        ));
}
