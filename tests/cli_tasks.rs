//! Tasks from the command line, on `tests/fixtures/tasks-course` (checks need no engine: a
//! file must contain a word): `run` stops at a task as waiting (exit 3), `run --solve` applies
//! solutions, `check` agrees with the progress the run recorded and reveals hints, `lint`
//! reports malformed tasks and `lint --deep` proves each check fails before and passes after.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tasks-course")
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn workspace(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    fn cmd(&self, lessons: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("docker-guide").unwrap();
        cmd.arg("--lessons")
            .arg(lessons)
            .arg("--workspace")
            .arg(self.workspace())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("TMPDIR", self.dir.path())
            .env_remove("DOCKER_GUIDE_LESSONS")
            .env_remove("DOCKER_GUIDE_WORKSPACE")
            .env("NO_COLOR", "1")
            .args(args)
            .timeout(Duration::from_secs(60));
        cmd
    }

    fn progress(&self) -> serde_json::Value {
        let path = self.dir.path().join("state/docker-guide/progress.json");
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["courses"]["dg-test-tasks"]
            .clone()
    }
}

/// Runs `cmd`, requires exit `code`, returns its stdout.
fn stdout(mut cmd: Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn run_stops_at_an_unsolved_task_as_waiting_not_failed() {
    let env = Env::new();
    let out = stdout(env.cmd(&fixture(), &["run", "--yes"]), 3);
    assert!(out.contains("▶ Task 2 · notes-word [your turn]"), "{out}");
    assert!(out.contains("⏸ not solved yet: exit code 1"), "{out}");
    assert!(
        out.contains("Summary: 1 passed, 1 task waiting for you, 2 not run"),
        "{out}"
    );
    assert!(
        out.contains("⏸ task notes-word (") && out.contains("docker-guide check notes-word"),
        "{out}"
    );
    assert!(
        !out.contains("failed"),
        "a task waiting is not a failure: {out}"
    );
    assert!(
        !out.contains("greeting"),
        "the run stopped at the task: {out}"
    );
    let progress = env.progress();
    assert_eq!(progress["steps"]["notes-word"]["status"], "failed");
    assert_eq!(progress["current"]["step_id"], "notes-word");
}

#[test]
fn run_solve_applies_solutions_and_checks_them() {
    let env = Env::new();
    let out = stdout(env.cmd(&fixture(), &["run", "--yes", "--solve"]), 0);
    assert!(out.contains("applying the solution (--solve):"), "{out}");
    assert!(out.contains("✓ write greeting.txt"), "{out}");
    assert!(out.contains("Summary: 4 passed"), "{out}");
    let notes = std::fs::read_to_string(env.workspace().join("notes.txt")).unwrap();
    assert_eq!(notes, "draft\ndocker\n");
    let progress = env.progress();
    for task in ["notes-word", "greeting"] {
        let record = &progress["tasks"][task];
        assert!(record["solved_at"].is_string(), "{progress}");
        assert_eq!(record["solution_applied"], true, "{progress}");
    }
}

#[test]
fn check_gives_verdict_output_hints_and_agrees_with_progress() {
    let env = Env::new();
    env.cmd(&fixture(), &["run", "--yes"]).assert().code(3);
    // No TASK: the next open task of the current chapter.
    env.cmd(&fixture(), &["check"]).assert().code(1).stdout(
        predicate::str::contains("Task notes-word · Notes")
            .and(predicate::str::contains(
                "  Now it is your turn: put the word `docker` in `notes.txt`.",
            ))
            .and(predicate::str::contains("✗ not yet: exit code 1"))
            .and(predicate::str::contains("hints: 0 of 2 seen")),
    );
    env.cmd(&fixture(), &["check", "notes-word", "--hint"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("Hint 1 of 2").and(predicate::str::contains("Append a line")),
        );
    env.cmd(&fixture(), &["check", "--hint"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Hint 2 of 2"));
    assert_eq!(env.progress()["tasks"]["notes-word"]["hints_revealed"], 2);
    // The learner solves it in their own shell.
    let notes = env.workspace().join("notes.txt");
    std::fs::write(&notes, "draft\nI use docker\n").unwrap();
    env.cmd(&fixture(), &["check"]).assert().success().stdout(
        predicate::str::contains("✓ solved").and(predicate::str::contains("next task: greeting")),
    );
    let progress = env.progress();
    assert!(progress["tasks"]["notes-word"]["solved_at"].is_string());
    assert_eq!(progress["steps"]["notes-word"]["status"], "passed");
    assert_eq!(progress["steps"]["notes-word"]["attempts"], 5, "{progress}");
    // The run now goes past it and waits at the next task.
    env.cmd(&fixture(), &["run", "--yes", "--from", "notes-word"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("⏸ task greeting"));
    env.cmd(&fixture(), &["check", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no task `nope`; the course's tasks: notes-word, greeting",
        ));
}

#[test]
fn lint_deep_verifies_each_task_and_catches_a_check_that_always_passes() {
    let env = Env::new();
    env.cmd(&fixture(), &["lint", "--deep"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "✓ task notes-word: its check fails before the task and passes after its solution",
            )
            .and(predicate::str::contains("deep: 2 of 2 tasks verified")),
        );
    let broken = env.dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    let chapter = "# Broken\n\n```sh {task id=always}\ntrue\n```\n\n<details><summary>Solution</summary>\n\n```sh\necho done\n```\n\n</details>\n\n```sh {task id=never}\ntest -f missing\n```\n\n<details><summary>Solution</summary>\n\n```sh\necho forgot\n```\n\n</details>\n";
    std::fs::write(broken.join("01-broken.md"), chapter).unwrap();
    env.cmd(&broken, &["lint", "--deep"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains(
                "01-broken.md:3:1: error: task `always`: its check already passes before the learner did anything",
            )
            .and(predicate::str::contains(
                "error: task `never`: its check fails even after its solution (failed: exit code 1)",
            ))
            .and(predicate::str::contains("deep: 0 of 2 tasks verified")),
        );
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("docker-guide-deep")
        })
        .collect();
    assert!(leftovers.is_empty(), "the scratch workspace is removed");
}

#[test]
fn lint_reports_malformed_tasks() {
    let env = Env::new();
    let dir = env.dir.path().join("bad");
    std::fs::create_dir(&dir).unwrap();
    let chapter = "# Bad\n\n<details><summary>Hint</summary>\n\nearly\n\n</details>\n\n```sh {task}\ntrue\n```\n";
    std::fs::write(dir.join("01-bad.md"), chapter).unwrap();
    env.cmd(&dir, &["lint"]).assert().code(1).stdout(
        predicate::str::contains("01-bad.md:3:1: error: this hint has no task before it").and(
            predicate::str::contains("01-bad.md:9:8: error: a task needs an `id`"),
        ),
    );
}

#[test]
fn progress_export_and_class_summary_show_tasks() {
    let env = Env::new();
    env.cmd(&fixture(), &["run", "--yes"]).assert().code(3);
    env.cmd(&fixture(), &["check", "--hint"]).assert().code(1);
    env.cmd(&fixture(), &["progress"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("0/2 tasks solved")
                .and(
                    predicate::str::contains("○ notes-word  open     ")
                        .and(predicate::str::contains("2 runs (hints 1/2)")),
                )
                .and(predicate::str::contains("· greeting    task")),
        );
    let json = stdout(env.cmd(&fixture(), &["progress", "--json"]), 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["tasks"]["total"], 2);
    assert_eq!(json["tasks"]["solved"], 0);
    let task = &json["chapters"][0]["steps"][1]["task"];
    assert_eq!(task["hints_revealed"], 1, "{json}");
    assert_eq!(task["hints_total"], 2, "{json}");

    // Two learners: one stuck on notes-word, one who solved both with --solve.
    let exports = env.dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    env.cmd(
        &fixture(),
        &["progress", "export", "--name", "ana", "--no-doctor"],
    )
    .arg(exports.join("ana.json"))
    .assert()
    .success();
    let other = Env::new();
    other
        .cmd(&fixture(), &["run", "--yes", "--solve"])
        .assert()
        .success();
    other
        .cmd(
            &fixture(),
            &["progress", "export", "--name", "bo", "--no-doctor"],
        )
        .arg(exports.join("bo.json"))
        .assert()
        .success();
    let mut summary = env.cmd(&fixture(), &["class", "summary"]);
    summary.arg(&exports);
    let out = stdout(summary, 0);
    assert!(out.contains("Tasks (most stuck first)"), "{out}");
    let tasks = &out[out.find("Tasks (most stuck first)").unwrap()..];
    let row = |id: &str| {
        tasks
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("1 {id}")))
            .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    // TRIED SOLVED STUCK NEEDED-SOLUTION HINTS
    assert_eq!(row("notes-word"), "2 1 1 1 1", "{out}");
    assert_eq!(row("greeting"), "1 1 0 1 0", "{out}");
}

#[test]
fn the_documented_task_example_parses_cleanly() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lesson-format.md"),
    )
    .unwrap();
    let example = doc
        .split("### Tasks")
        .nth(1)
        .and_then(|rest| rest.split("````markdown\n").nth(1))
        .and_then(|rest| rest.split("\n````").next())
        .expect("the task example");
    let (chapter, diagnostics) =
        docker_guide::lesson::parse_chapter("example.md", "05-health.md", example);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(chapter.steps.len(), 1);
    let task = chapter.steps[0].task.as_ref().expect("a task");
    assert_eq!(task.watch, ["Dockerfile"]);
    assert_eq!(task.hints.len(), 2);
    let ids: Vec<&str> = task.solution.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["healthcheck-solution-1", "healthcheck-solution-2"]);
}

/// On a terminal without `--yes`, `run` waits at an unsolved task: a hint, a check again, the
/// solution shown and applied on request, and `q` leaves the next task waiting.
#[test]
fn on_a_terminal_run_waits_at_the_task_with_hints_and_the_solution() {
    let script = which::which("script").expect("`script` (util-linux) is needed by this test");
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let line = format!(
        "'{}' --lessons '{}' --workspace '{}' run",
        bin.display(),
        fixture().display(),
        env.workspace().display()
    );
    // draft: y · notes-word: hint, check again, Solution + apply · greeting: quit
    let typed = "y\nh\n\nS\ny\nq\n";
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_STATE_HOME", env.dir.path().join("state"))
        .env("XDG_DATA_HOME", env.dir.path().join("data"))
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .write_stdin(typed)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.contains("then press Enter to check again. [h]int / [S]olution / s[k]ip / [q]uit"),
        "{text}"
    );
    assert!(
        text.contains("Hint 1 of 2") && text.contains("Append a line with `>>`."),
        "{text}"
    );
    assert!(text.contains("$ echo docker >> notes.txt"), "{text}");
    assert!(text.contains("Apply it now? [y/N]"), "{text}");
    assert!(text.contains("✓ solved"), "{text}");
    assert!(
        text.contains("Summary: 2 passed, 1 task waiting for you, 1 not run"),
        "{text}"
    );
    let progress = env.progress();
    let task = &progress["tasks"]["notes-word"];
    assert_eq!(task["hints_revealed"], 1, "{progress}");
    assert_eq!(task["solution_viewed"], true, "{progress}");
    assert_eq!(task["solution_applied"], true, "{progress}");
    assert!(task["solved_at"].is_string(), "{progress}");
    assert_eq!(progress["steps"]["notes-word"]["attempts"], 3, "{progress}");
}

#[test]
fn list_counts_tasks() {
    let env = Env::new();
    env.cmd(&fixture(), &["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1  Notes   4 steps, 2 tasks"));
}
