//! The official course's deeper chapters (issue 15, "Deepen"): their shape (engine-free), and
//! the optional chapter gate on a real engine — a chapter that `requires` the `gpu` doctor
//! check is skipped with the reason on a machine without an NVIDIA runtime, and the run goes
//! on and passes. (Their outcomes on the engine are checked after the whole course's run, in
//! `tests/e2e_course.rs`, so that CI runs the course once.)

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use docker_guide::lesson::model::StepKind;

mod common;
use common::require_engine;
#[path = "common/new_chapters.rs"]
mod new_chapters;

/// The new chapters, by file name: they slot in after the chapters they build on.
const NEW_CHAPTERS: &[&str] = &[
    "07a-data-in-predictions-out.md",
    "08a-notebooks.md",
    "09a-image-size.md",
    "09b-local-registry.md",
    "09c-gpus.md",
];

fn chapter_text(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("lessons")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each opens with what the learner will be able to do, ends with a recap, says how long it
/// takes, and sits in the course's order right after the chapter it builds on.
#[test]
fn new_chapters_open_with_goals_end_with_a_recap_and_slot_in_order() {
    let course = docker_guide::lesson::load_embedded();
    let files: Vec<&str> = course
        .chapters
        .iter()
        .map(|c| c.file_name.as_str())
        .collect();
    let minutes = regex::Regex::new(r"(?m)^minutes = \d+$").unwrap();
    for (file, after) in NEW_CHAPTERS.iter().zip([
        "07-run-the-container.md",
        "08-compose.md",
        "09-share-and-deploy.md",
        "09a-image-size.md",
        "09b-local-registry.md",
    ]) {
        let at = files
            .iter()
            .position(|f| f == file)
            .unwrap_or_else(|| panic!("{file} is not a chapter of the course: {files:?}"));
        assert_eq!(files[at - 1], after, "{file} must come right after {after}");
        let text = chapter_text(file);
        assert!(
            text.contains("**In this chapter** you learn to:"),
            "{file} does not open with what the learner will be able to do"
        );
        let recap = text
            .find("\n## Recap\n")
            .unwrap_or_else(|| panic!("{file} has no recap"));
        assert!(
            !text[recap + 1..].contains("\n## "),
            "{file}: the recap is not the last section"
        );
        assert!(
            minutes.is_match(&text),
            "{file} has no estimated time (`minutes = N`)"
        );
    }
    let last = files.last().copied().unwrap_or_default();
    assert_eq!(last, "10-conclusion.md", "the conclusion stays last");
}

/// Every step of the new chapters is checked: an `expect`, a `check`, an `exit`, a `ready`, a
/// file step or a task — nothing passes just because a command exited 0 by chance.
#[test]
fn every_step_of_the_new_chapters_is_verified() {
    let course = docker_guide::lesson::load_embedded();
    for chapter in course
        .chapters
        .iter()
        .filter(|c| NEW_CHAPTERS.contains(&c.file_name.as_str()))
    {
        for step in &chapter.steps {
            let a = &step.attrs;
            let verified = a.expect.is_some()
                || a.check.is_some()
                || a.exit != 0
                || a.ready.is_some()
                || matches!(step.kind, StepKind::File { .. })
                || step.is_task();
            assert!(
                verified,
                "{}: step {} is not verified (add expect=, check= or exit=)",
                chapter.file_name, step.id
            );
        }
    }
}

/// A chapter that requires `gpu` on a machine without an NVIDIA runtime: skipped with the
/// reason, its steps never run, counted as skipped; the next chapter runs; exit 0.
#[test]
fn a_gpu_chapter_is_skipped_cleanly_without_an_nvidia_runtime() {
    if !require_engine("a_gpu_chapter_is_skipped_cleanly_without_an_nvidia_runtime") {
        return;
    }
    // On an engine with an NVIDIA runtime the skip path cannot happen: like any missing
    // precondition, a loud skip on a developer's machine and a failure under CI.
    let gpu = new_chapters::gpu_usable().then_some("this engine has an NVIDIA runtime");
    if !common::run_or_skip(
        "a_gpu_chapter_is_skipped_cleanly_without_an_nvidia_runtime",
        gpu,
    ) {
        return;
    }
    let home = tempfile::Builder::new()
        .prefix("dg-test-gpu-skip")
        .tempdir()
        .expect("temp dir");
    let course = home.path().join("course");
    std::fs::create_dir_all(&course).expect("course dir");
    std::fs::write(
        course.join("01-gpus.md"),
        "+++\nrequires = [\"docker\", \"daemon\", \"gpu\"]\n+++\n\n# GPUs\n\n\
         ```sh {id=needs-a-gpu}\necho THIS-MUST-NOT-RUN; exit 1\n```\n\n\
         ```sh {id=needs-a-gpu-too}\necho THIS-MUST-NOT-RUN-EITHER; exit 1\n```\n",
    )
    .expect("chapter 1");
    std::fs::write(
        course.join("02-after.md"),
        "# After\n\n```sh {id=after expect=\"ran after\"}\necho ran after\n```\n",
    )
    .expect("chapter 2");
    let output = Command::cargo_bin("docker-guide")
        .expect("binary built")
        .arg("--lessons")
        .arg(&course)
        .arg("--workspace")
        .arg(home.path().join("ws"))
        .args(["run", "all", "--yes"])
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run docker-guide");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("requirement `gpu` does not apply here: skipped: no NVIDIA GPU runtime"),
        "the reason is missing:\n{text}"
    );
    assert!(text.contains("skipped: the chapter's 2 steps"), "{text}");
    assert!(
        !text.contains("THIS-MUST-NOT-RUN"),
        "a GPU step ran:\n{text}"
    );
    assert!(
        text.contains("ran after"),
        "the next chapter did not run:\n{text}"
    );
    assert!(text.contains("Summary: 1 passed, 2 skipped"), "{text}");
}
