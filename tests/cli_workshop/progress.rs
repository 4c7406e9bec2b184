//! `progress`: the report, `--reset`, `export` and its privacy, a corrupt file.

use std::fs;

use predicates::prelude::*;
use serde_json::Value;

use super::Learner;

#[test]
fn progress_of_a_fresh_learner_says_how_to_begin() {
    let learner = Learner::new();
    learner
        .cmd()
        .arg("progress")
        .assert()
        .success()
        .stdout(predicate::str::contains("0/9 steps passed (0%)"))
        // The hint opens this course, not the official one.
        .stdout(predicate::str::contains(format!(
            "Not started yet: run `docker-guide --lessons {}` to begin.",
            super::PACK
        )));
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
        .stdout(predicate::str::is_match(r"1  Your first container\s+2/4").unwrap())
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
        .stderr(predicate::str::contains("no chapter `nope`"))
        .stderr(predicate::str::contains("2 build-and-serve"));
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
fn progress_export_with_the_doctor_summary_still_leaks_nothing() {
    let learner = Learner::new();
    learner.seed();
    let out = learner
        .cmd()
        .args(["progress", "export", "--name", "Ada"])
        .output()
        .unwrap();
    crate::common::assert_success(&out);
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

/// Runs `args` under `script` (a pseudo-terminal) with `answer` typed in; None without `script`.
fn on_a_terminal(learner: &Learner, args: &str, answer: &str) -> Option<std::process::Output> {
    if !crate::common::require_program("terminal confirmation test", "script", "--version") {
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let command = format!("{} --lessons {} {args}", bin.display(), super::PACK);
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .env("HOME", learner.home())
        .env("XDG_STATE_HOME", learner.home().join(".local/state"))
        .env("XDG_DATA_HOME", learner.home().join(".local/share"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn on_a_terminal_reset_asks_and_no_keeps_everything() {
    let learner = Learner::new();
    learner.seed();
    let Some(out) = on_a_terminal(&learner, "progress --reset 2", "n\n") else {
        return;
    };
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("[y/N]"));
    assert!(learner.stored()["courses"]["workshop-pack-example"]["steps"]["build"].is_object());

    let Some(out) = on_a_terminal(&learner, "progress --reset 2", "y\n") else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(learner.stored()["courses"]["workshop-pack-example"]["steps"]["build"].is_null());
    assert!(learner.stored()["courses"]["workshop-pack-example"]["steps"]["hello"].is_object());
}
