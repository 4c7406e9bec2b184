//! Lesson text never reaches the terminal raw (issue 12 items 2 and 12).

use super::{Home, all_output, assert_no_terminal_controls};

const OSC52_TITLE: &[u8] = b"id = \"hostile\"\ntitle = \"T\\u001b]52;c;SGVsbG8=\\u0007\"\n";

/// A chapter whose title and heading carry a title change and a colour, and whose step ids
/// carry ESC and NUL: list, lint, run, progress and show print none of them raw.
#[test]
fn escape_sequences_in_titles_and_ids_are_never_printed_raw() {
    let home = Home::new();
    let course = home.course(&[
        ("course.toml", OSC52_TITLE),
        (
            "01-a.md",
            b"---\ntitle: \"Ch\x1b]0;PWNED\x07\"\n---\n# Heading \x1b[2J\n\n```sh\necho hi\n```\n",
        ),
        (
            "02-b.md",
            b"# B \x1b]52;c;eA==\x07\n\n```sh {id=\"s\x1bx\"}\necho b\n```\n\n```sh {id=\"n\x00x\"}\necho c\n```\n",
        ),
    ]);
    for args in [
        &["list"][..],
        &["lint"],
        &["run", "--yes", "1"],
        &["progress"],
        &["show", "1"],
        &["show", "2"],
        &["run", "--yes", "2"],
    ] {
        let output = home.bin(&course, args).output().unwrap();
        assert_no_terminal_controls(&format!("{args:?}"), &all_output(&output));
    }
    // The replacement is visible, so the learner sees that something was there.
    let list = home.bin(&course, &["list"]).output().unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("T\u{FFFD}]52;c;SGVsbG8=\u{FFFD}"), "{text}");
    let lint = home.bin(&course, &["lint"]).output().unwrap();
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(
        text.contains("course.toml:1:1: warning: the course title holds control characters"),
        "{text}"
    );
    assert!(
        text.contains("01-a.md:1:1: warning: the chapter title holds control characters"),
        "{text}"
    );
}

/// `lint` said "ok" on a NUL in a `file=` path or a command, which `run` then failed on.
#[test]
fn lint_places_a_nul_byte_in_a_file_path_or_a_command() {
    let home = Home::new();
    let course = home.course(&[(
        "01-a.md",
        b"# A\n\n```text {file=\"a\x00b.txt\"}\nhello\n```\n\nSome text.\n\n```sh\necho one\necho \"x\x00y\"\n```\n\n```sh {check=\"test -f \x00x\"}\necho two\n```\n",
    )]);
    let output = home.bin(&course, &["lint"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains(
            "01-a.md:3:1: error: the `file=` path holds the control character U+0000 (NUL)"
        ),
        "{text}"
    );
    assert!(
        text.contains("01-a.md:11:8: error: this command holds the control character U+0000 (NUL)"),
        "{text}"
    );
    assert!(
        text.contains("01-a.md:14:1: error: `check` holds the control character U+0000 (NUL)"),
        "{text}"
    );
    assert_no_terminal_controls("lint", &all_output(&output));
    // run refuses the chapter with the same places instead of failing step by step.
    let run = home.bin(&course, &["run", "--yes", "1"]).output().unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("01-a.md:3:1: error"), "{err}");
    assert!(!home.path("ws").join("a").exists());
}
