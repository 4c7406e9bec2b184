//! `docker-guide show` run as the real binary: plain text when piped, widths, chapter
//! selection, errors.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use unicode_width::UnicodeWidthStr;

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn show() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary builds");
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("NO_COLOR")
        .arg("show");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8 output")
}

#[test]
fn piped_output_is_plain_and_fits_the_width() {
    for width in ["40", "100"] {
        let text = stdout_of(
            show()
                .arg("--lessons")
                .arg(fixture("good-course"))
                .args(["2", "--width", width]),
        );
        assert!(!text.contains('\x1b'), "escape codes in piped output");
        let max: usize = width.parse().unwrap();
        for line in text.lines() {
            assert!(line.width() <= max, "{line:?} is wider than {max}");
        }
        assert!(text.starts_with("Build and run\n"), "{text}");
        assert!(text.contains("▶ Step 1 · writes Dockerfile"), "{text}");
        assert!(text.contains("▶ Step 3 · runs in backgroun"), "{text}");
        assert!(text.contains("╭─ python"), "{text}");
    }
}

#[test]
fn step_headers_say_what_running_does() {
    let text = stdout_of(
        show()
            .arg("--lessons")
            .arg(fixture("good-course"))
            .args(["2", "--width", "100"]),
    );
    assert!(
        text.contains("▶ Step 3 · runs in background until http://localhost:8088/ answers"),
        "{text}"
    );
    assert!(
        text.contains("▶ Step 2 · runs: sh · checks `docker image inspect fixture-app`"),
        "{text}"
    );
}

#[test]
fn no_chapter_shows_all_with_separators() {
    let text = stdout_of(
        show()
            .arg("--lessons")
            .arg(fixture("good-course"))
            .args(["--width", "60"]),
    );
    assert!(text.contains("━━ 1 · "), "{text}");
    assert!(text.contains("━━ 2 · Build and run "), "{text}");
    assert!(text.find("━━ 1 · ") < text.find("━━ 2 · "));
}

#[test]
fn chapters_are_chosen_by_slug_or_file_name() {
    let by_slug = stdout_of(
        show()
            .arg("--lessons")
            .arg(fixture("good-course"))
            .arg("build-and-run"),
    );
    let by_file = stdout_of(
        show()
            .arg("--lessons")
            .arg(fixture("good-course"))
            .arg("02-build-and-run.md"),
    );
    assert_eq!(by_slug, by_file);
    assert!(by_slug.starts_with("Build and run"));
}

#[test]
fn an_unknown_chapter_is_a_usage_error() {
    show()
        .arg("--lessons")
        .arg(fixture("good-course"))
        .arg("99")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no chapter \"99\""));
}

#[test]
fn a_broken_chapter_shows_with_a_note_naming_its_errors() {
    let course = fixture("broken-course");
    show()
        .arg("--lessons")
        .arg(&course)
        .arg("2")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "docker-guide: note: 3 errors in what is shown (parts may be missing or not runnable): `docker-guide lint {}`",
            course.display()
        )));
    show()
        .arg("--lessons")
        .arg(&course)
        .arg("3")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_single_markdown_file_shows() {
    show()
        .arg("--lessons")
        .arg(fixture("single.md"))
        .assert()
        .success()
        .stdout(predicate::str::is_empty().not());
}

#[test]
fn the_embedded_course_shows_at_narrow_widths() {
    let text = stdout_of(show().args(["--width", "30"]));
    for line in text.lines() {
        // A URL is never broken (terminals could not open it): one longer than the width
        // stands alone on its line.
        let lone_url = !line.trim().contains(' ') && line.contains("://");
        assert!(line.width() <= 30 || lone_url, "{line:?}");
    }
}

/// Runs `show` under a pseudo-terminal (util-linux `script`), so stdout is a terminal.
fn show_on_a_terminal(extra_env: &[(&str, &str)]) -> Option<String> {
    if !common::require_program("show_on_a_terminal", "script", "--version") {
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let command = format!(
        "{} --lessons {} show 2 --width 60",
        bin.display(),
        fixture("good-course").display()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("NO_COLOR");
    for (key, value) in extra_env {
        cmd.env(key, value);
    }
    let out = cmd.output().expect("script runs");
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_ansi_styles_unless_no_color() {
    let Some(styled) = show_on_a_terminal(&[]) else {
        return;
    };
    // The H1 is bold, underlined and cyan; the step label bold blue.
    assert!(
        styled.contains("\x1b[0;1;4;36mBuild and run\x1b[0m"),
        "{styled:?}"
    );
    assert!(styled.contains("\x1b[0;1;34m▶ Step 1"), "{styled:?}");
    let Some(plain) = show_on_a_terminal(&[("NO_COLOR", "1")]) else {
        return;
    };
    assert!(!plain.contains("\x1b["), "{plain:?}");
    assert!(plain.contains("Build and run"));
}

/// Coloured `show` of a document whose code blocks are highlighted live: on one core, where
/// each block is highlighted as it is drawn, and on all of them, where blocks are highlighted
/// on other threads from before the parse and rows wait for theirs (`render::ahead`).
#[test]
fn coloured_output_is_the_same_whether_blocks_are_highlighted_ahead_or_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut md = String::from("# Ahead\n\n");
    for n in 0..60 {
        md.push_str(&format!(
            "Text {n} with [a link](https://example.com/{n}).\n\n```ruby\nputs {n}\n```\n\n\
             - item\n\n  ```go\n  func f{n}() int {{ return {n} }}\n  ```\n\n\
             > ```c\n> int x{n} = {n};\n> ```\n\n"
        ));
    }
    let doc = dir.path().join("ahead.md");
    std::fs::write(&doc, md).expect("write the document");
    let args = ["show", "--color", "always", "--width", "50"];
    let all_cores = stdout_of(
        show()
            .arg("--lessons")
            .arg(&doc)
            .args(&args[1..])
            .env("TERM_PROGRAM", "WezTerm"),
    );
    let mut one_core = Command::new("taskset");
    one_core
        .args(["-c", "0"])
        .arg(assert_cmd::cargo::cargo_bin("docker-guide"))
        .arg("--lessons")
        .arg(&doc)
        .args(args)
        .env_remove("NO_COLOR")
        .env("TERM_PROGRAM", "WezTerm");
    let one_core = stdout_of(&mut one_core);
    assert!(all_cores.contains("\x1b]8;"), "links are drawn");
    assert!(
        all_cores.matches("ruby").count() >= 60,
        "every block is drawn"
    );
    assert!(
        all_cores == one_core,
        "coloured output differs with highlighting ahead:\n{}",
        first_difference(&all_cores, &one_core)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a.lines().zip(b.lines()).position(|(x, y)| x != y);
    match at {
        Some(n) => format!(
            "line {n}:\n{:?}\n{:?}",
            a.lines().nth(n).unwrap_or(""),
            b.lines().nth(n).unwrap_or("")
        ),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}
