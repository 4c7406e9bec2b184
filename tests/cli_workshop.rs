//! The workshop commands through the real binary: `class summary`, `progress`, `reset`, and
//! `bundle` argument handling (the engine-backed parts are in e2e_workshop.rs).

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").unwrap();
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .env("NO_COLOR", "1");
    cmd
}

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
    bin()
        .args(["class", "summary"])
        .arg(dir.path())
        .assert()
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

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/workshop-pack");

/// A learner's machine: its own HOME, user name and state dir.
struct Learner {
    dir: tempfile::TempDir,
}

impl Learner {
    fn new() -> Learner {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(
            dir.path()
                .join("home/dg-secret-user/.local/state/docker-guide"),
        )
        .unwrap();
        Learner { dir }
    }

    fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home/dg-secret-user")
    }

    fn progress_file(&self) -> std::path::PathBuf {
        self.home().join(".local/state/docker-guide/progress.json")
    }

    fn cmd(&self) -> Command {
        let mut cmd = bin();
        cmd.env("HOME", self.home())
            .env("USER", "dg-secret-user")
            .env("LOGNAME", "dg-secret-user")
            .env("XDG_STATE_HOME", self.home().join(".local/state"))
            .env("XDG_DATA_HOME", self.home().join(".local/share"))
            .arg("--lessons")
            .arg(PACK);
        cmd
    }

    /// Progress as docker-guide stores it: two steps of chapter 1 passed, one of chapter 2 failing.
    fn seed(&self) {
        let home = self.home().display().to_string();
        let progress = json!({
            "schema": 1,
            "courses": {
                "workshop-pack-example": {
                    "version": "1",
                    "steps": {
                        "image-present": { "status": "passed", "last_run": "2026-11-26T09:00:00Z", "attempts": 1 },
                        "hello": { "status": "passed", "last_run": "2026-11-26T09:01:00Z", "attempts": 2 },
                        "build": {
                            "status": "failed", "last_run": "2026-11-26T09:20:00Z", "attempts": 3,
                            "failing_since": "2026-11-26T09:10:00Z",
                            "last_failure": {
                                "summary": format!("COPY failed: stat {home}/.local/share/docker-guide/workspaces/x/app/server.py: no such file"),
                                "explanation_id": "copy-missing", "at": "2026-11-26T09:20:00Z"
                            }
                        }
                    }
                },
                "another-course": { "steps": { "x": { "status": "passed", "last_run": "2026-11-26T08:00:00Z", "attempts": 1 } } }
            }
        });
        fs::write(
            self.progress_file(),
            serde_json::to_vec_pretty(&progress).unwrap(),
        )
        .unwrap();
    }

    fn stored(&self) -> Value {
        serde_json::from_slice(&fs::read(self.progress_file()).unwrap()).unwrap()
    }
}

#[test]
fn progress_of_a_fresh_learner_says_how_to_begin() {
    let learner = Learner::new();
    learner
        .cmd()
        .arg("progress")
        .assert()
        .success()
        .stdout(predicate::str::contains("0/9 steps passed (0%)"))
        .stdout(predicate::str::contains("Not started yet"));
}

#[test]
fn progress_shows_chapters_steps_and_where_to_resume() {
    let learner = Learner::new();
    learner.seed();
    learner
        .cmd()
        .arg("progress")
        .assert()
        .success()
        .stdout(predicate::str::contains("2/9 steps passed (22%)"))
        .stdout(predicate::str::is_match(r"1  Your first container  2/4").unwrap())
        .stdout(predicate::str::is_match(r"✓ hello\s+passed .*2 runs").unwrap())
        .stdout(
            predicate::str::is_match(r"✗ build\s+failed .*3 runs: COPY failed.*\[copy-missing\]")
                .unwrap(),
        )
        .stdout(predicate::str::contains(
            "Resume: chapter 1 \"Your first container\", step isolated",
        ));
    let out = learner.cmd().args(["progress", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "docker-guide.progress/v1");
    assert_eq!(
        (
            v["passed"].as_u64(),
            v["total"].as_u64(),
            v["percent"].as_u64()
        ),
        (Some(2), Some(9), Some(22))
    );
    assert_eq!(v["chapters"][1]["steps"][2]["id"], "build");
    assert_eq!(v["chapters"][1]["steps"][2]["status"], "failed");
}

#[test]
fn progress_reset_needs_yes_without_a_terminal_and_keeps_other_chapters_and_courses() {
    let learner = Learner::new();
    learner.seed();
    learner
        .cmd()
        .args(["progress", "--reset", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --yes"));
    assert!(learner.stored()["courses"]["workshop-pack-example"]["steps"]["build"].is_object());

    learner
        .cmd()
        .args(["progress", "--reset", "build-and-serve", "--yes"])
        .assert()
        .success();
    let stored = learner.stored();
    let steps = &stored["courses"]["workshop-pack-example"]["steps"];
    assert!(steps["build"].is_null() && steps["hello"].is_object());
    assert!(stored["courses"]["another-course"]["steps"]["x"].is_object());

    learner
        .cmd()
        .args(["progress", "--reset", "--yes"])
        .assert()
        .success();
    let stored = learner.stored();
    assert!(stored["courses"]["workshop-pack-example"].is_null());
    assert!(stored["courses"]["another-course"].is_object());

    learner
        .cmd()
        .args(["progress", "--reset", "nope", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no chapter `nope`"));
}

#[test]
fn progress_export_names_only_who_was_given_and_leaks_no_home_or_user() {
    let learner = Learner::new();
    learner.seed();
    let out = learner.dir.path().join("ada.json");
    learner
        .cmd()
        .args(["progress", "export", "--no-doctor", "--name", "Ada L."])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("2/9 steps passed"));
    let text = fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("dg-secret-user") && !text.contains(&learner.home().display().to_string()),
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "docker-guide.progress-export/v1");
    assert_eq!(v["learner"], "Ada L.");
    assert_eq!(v["course"]["id"], "workshop-pack-example");
    let build = &v["chapters"][1]["steps"][2];
    assert_eq!(
        (build["status"].as_str(), build["attempts"].as_u64()),
        (Some("failed"), Some(3))
    );
    assert_eq!(build["failing_since"], "2026-11-26T09:10:00Z");
    assert!(
        build["last_failure"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("COPY failed: stat ~/.local/share/"),
        "{build}"
    );

    // No name: "anonymous", to standard output, and never the login name.
    let out = learner
        .cmd()
        .args(["progress", "export", "--no-doctor"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("dg-secret-user"), "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["learner"],
        "anonymous"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no --name given"));
}

#[test]
fn a_corrupt_progress_file_is_set_aside_with_a_warning() {
    let learner = Learner::new();
    fs::write(learner.progress_file(), b"{\"courses\": {").unwrap();
    learner
        .cmd()
        .arg("progress")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the progress file could not be read",
        ))
        .stdout(predicate::str::contains("Not started yet"));
    let dir = learner.progress_file().parent().unwrap().to_path_buf();
    let moved: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1);
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
    bin()
        .args(["class", "summary"])
        .arg(class.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Class summary: workshop-pack-example (version 1): 1 learner(s)",
        ))
        .stdout(predicate::str::is_match(r"Ada\s+2 build-and-serve\s+2/9").unwrap())
        .stdout(predicate::str::is_match(r"2 build\s+1\s+1\s+copy-missing").unwrap());
}

#[test]
fn progress_export_with_the_doctor_summary_still_leaks_nothing() {
    let learner = Learner::new();
    learner.seed();
    let out = learner
        .cmd()
        .args(["progress", "export", "--name", "Ada"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("dg-secret-user") && !text.contains(&learner.home().display().to_string()),
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    let doctor = &v["doctor"];
    let total = ["passed", "warnings", "failed"]
        .iter()
        .map(|k| doctor[k].as_u64().unwrap())
        .sum::<u64>();
    assert!(total >= 5, "the doctor ran its checks: {doctor}");
    for problem in doctor["problems"].as_array().unwrap() {
        assert!(
            ["fail", "warn"].contains(&problem["status"].as_str().unwrap()),
            "{problem}"
        );
    }
}

#[test]
fn class_summary_reads_real_doctor_reports_as_preflight() {
    let learner = Learner::new();
    let dir = tempfile::tempdir().unwrap();
    let out = learner.cmd().args(["doctor", "--json"]).output().unwrap();
    fs::write(dir.path().join("zoe.json"), &out.stdout).unwrap();
    bin()
        .args(["class", "summary"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Class preflight: 1 doctor report(s)",
        ))
        .stdout(predicate::str::is_match(r"\n  zoe\s+(pass|warn|fail)\s+linux/").unwrap());
}
