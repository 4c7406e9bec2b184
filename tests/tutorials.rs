//! The tutorial corpus (issue 11): real public Docker tutorial pages under
//! `tests/fixtures/tutorials/NAME/` (source and licence in each `SOURCE.md`), each with its
//! steps written down by hand in `expected.txt`. The parser must read every page as that
//! file says: which commands run (prompts stripped), which lines are sample output or typed
//! inside another machine, which placeholders a step needs. And no page may make `lint`
//! report an error (so `run` never refuses one for foreign markup).
//!
//! `expected.txt` format, one record per line (blank lines and `#` comments ignored):
//! `chapter: TITLE` (scenario folders), `step ID`, then for that step `run: LINE` (a command;
//! `...: LINE` continues it), `out: LINE` (sample output), `in: LINE` (typed inside another
//! machine, prompt included), `needs: PLACEHOLDER`, `task` (the step is a check).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use docker_guide::lesson::{self, Course, Severity, ShownRole, Step};

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tutorials");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// What the course is opened from: a scenario folder as a folder, else its page.
fn course_path(dir: &Path) -> PathBuf {
    if dir.join("index.json").exists() {
        dir.to_path_buf()
    } else {
        dir.join("page.md")
    }
}

fn describe_step(step: &Step, out: &mut Vec<String>) {
    out.push(format!("step {}", step.id));
    if step.task.is_some() {
        out.push("task".into());
    }
    // Commands and shown lines in the order of the code's lines.
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (line, text) in &step.reading.commands {
        let mut lines = text.lines();
        let mut row = vec![format!("run: {}", lines.next().unwrap_or(""))];
        row.extend(lines.map(|l| format!("...: {l}")));
        rows.push((*line, row));
    }
    for shown in &step.reading.shown {
        let key = match shown.role {
            ShownRole::Output => "out",
            ShownRole::Inside { .. } => "in",
        };
        rows.push((shown.line, vec![format!("{key}: {}", shown.text)]));
    }
    rows.sort_by_key(|(line, _)| *line);
    out.extend(rows.into_iter().flat_map(|(_, r)| r));
    for p in &step.reading.placeholders {
        out.push(format!("needs: {}", p.written));
    }
}

fn describe(course: &Course, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let scenario = dir.join("index.json").exists();
    for chapter in &course.chapters {
        if scenario {
            out.push(format!("chapter: {}", chapter.title));
        }
        for step in &chapter.steps {
            describe_step(step, &mut out);
            if let Some(task) = &step.task {
                for solution in &task.solution {
                    out.push("solution:".into());
                    describe_step(solution, &mut out);
                }
            }
        }
    }
    out.iter().map(|l| l.trim_end().to_string()).collect()
}

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn the_corpus_has_at_least_twelve_pages_with_source_and_licence() {
    let dirs = corpus();
    assert!(dirs.len() >= 12, "only {} pages", dirs.len());
    for dir in dirs {
        let source = std::fs::read_to_string(dir.join("SOURCE.md"))
            .unwrap_or_else(|_| panic!("{}: no SOURCE.md", dir.display()));
        for field in ["Source:", "Licence:"] {
            assert!(source.contains(field), "{}: no {field}", dir.display());
        }
        assert!(dir.join("expected.txt").exists(), "{}", dir.display());
    }
}

#[test]
fn every_page_parses_into_the_steps_written_down_by_hand() {
    let mut failures = Vec::new();
    for dir in corpus() {
        let course = lesson::load_path(&course_path(&dir)).unwrap();
        let got = describe(&course, &dir);
        let want = expected(&dir);
        if got != want {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- parsed\n{}",
                dir.display(),
                want.join("\n"),
                got.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_page_has_a_lint_error() {
    for dir in corpus() {
        let course = lesson::load_path(&course_path(&dir)).unwrap();
        let errors: Vec<String> = lesson::lint(&course, docker_guide::doctor::CHECK_IDS)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            dir.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn lint_notes_the_reading_as_info_not_as_problems() {
    let page = corpus()
        .into_iter()
        .find(|d| d.ends_with("jupyter-running-2018"))
        .unwrap();
    let out = Command::cargo_bin("docker-guide")
        .unwrap()
        .env_remove("DOCKER_GUIDE_LESSONS")
        .arg("lint")
        .arg(course_path(&page))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("page.md:19:1: info: this line looks like a command's output"),
        "{stdout}"
    );
    // The one warning is the container the page leaves running; the notes are not counted.
    assert!(
        stdout.contains("0 errors, 1 warning in")
            && stdout.contains("(9 notes on how blocks were read)"),
        "{stdout}"
    );
}

#[test]
fn lint_of_every_page_exits_zero() {
    for dir in corpus() {
        Command::cargo_bin("docker-guide")
            .unwrap()
            .env_remove("DOCKER_GUIDE_LESSONS")
            .arg("lint")
            .arg(course_path(&dir))
            .assert()
            .success();
    }
}

/// Every file name under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            }
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

fn run_trap(workspace: &Path, state: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-output-trap/page.md");
    common::learner_command(&page, workspace, state)
        .args(["run", "--yes"])
        .args(extra)
        .assert()
}

#[test]
fn no_line_of_sample_output_is_ever_executed() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    let assert = run_trap(&workspace, &dir.path().join("state"), &[]).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let files = files_under(&workspace);
    for ran in [
        "host-ran.txt",
        "second-ran.txt",
        "third-ran.txt",
        "inside-next.txt",
    ] {
        assert!(
            files.iter().any(|f| f == ran),
            "{ran} missing: {files:?}\n{stdout}"
        );
    }
    let leaked: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.starts_with("SAMPLE-RAN")
                || f.starts_with("INSIDE-RAN")
                || *f == "Running"
                || *f == "eb8d9b561b37"
                || *f == "placeholder"
                || f.starts_with('<')
        })
        .collect();
    assert!(leaked.is_empty(), "sample output ran: {leaked:?}");
    assert!(!stdout.contains("SAMPLE-MARKER"), "{stdout}");
    // The placeholder step was skipped, saying what it needs.
    assert!(
        stdout.contains("needs a value for <file-name> (run again with --set file-name=VALUE)"),
        "{stdout}"
    );
}

#[test]
fn set_gives_a_placeholder_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    let assert = run_trap(
        &workspace,
        &dir.path().join("state"),
        &["--set", "file-name=given.txt"],
    )
    .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    // What is shown is what runs.
    assert!(stdout.contains("echo placeholder > given.txt"), "{stdout}");
    let files = files_under(&workspace);
    assert!(files.iter().any(|f| f == "given.txt"), "{files:?}");
}

mod common;

/// Whether a step only reads: `echo`, `docker ps`, `docker images`, `docker version`, with
/// no placeholder, no terminal and nothing written.
fn harmless(step: &Step) -> bool {
    let Ok(script) = step.script_with(&[]) else {
        return false;
    };
    let lines: Vec<&str> = script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    !lines.is_empty()
        && lines.iter().all(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let quiet = !line.contains(['>', '|', ';', '&', '$', '`']);
            quiet
                && matches!(
                    words.as_slice(),
                    ["echo", ..]
                        | ["docker", "ps"]
                        | ["docker", "ps", "-a"]
                        | ["docker", "images"]
                        | ["docker", "version"]
                )
        })
}

#[test]
fn the_harmless_steps_of_the_corpus_pass_on_the_engine() {
    if !common::require_engine("the_harmless_steps_of_the_corpus_pass_on_the_engine") {
        return;
    }
    let mut ran = Vec::new();
    for dir in corpus() {
        let course = lesson::load_path(&course_path(&dir)).unwrap();
        for step in course.chapters.iter().flat_map(|c| &c.steps) {
            if !harmless(step) {
                continue;
            }
            let script = step.script_with(&[]).unwrap();
            let out = std::process::Command::new("timeout")
                .args(["60", "sh", "-c", &script])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{} {}: `{}` failed: {}",
                dir.display(),
                step.id,
                script.trim(),
                String::from_utf8_lossy(&out.stderr)
            );
            ran.push(format!(
                "{}:{}",
                dir.file_name().unwrap().to_string_lossy(),
                step.id
            ));
        }
    }
    // docker ps / ps -a / images of two curricula, runme's echo steps.
    eprintln!("ran {} harmless steps: {ran:?}", ran.len());
    assert!(ran.len() >= 8, "only {ran:?}");
}
