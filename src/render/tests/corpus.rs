//! Every example of the CommonMark and GFM specs, rendered at widths 20 and 80: no panic, and
//! no row wider than the width. The specs live in `../shared/corpus/commonmark/` beside the
//! crate (CI has them); without that folder the walk is skipped with a loud message.

use std::path::PathBuf;

use super::assert_fits;
use crate::render::{RenderOptions, render_markdown};

const FENCE: &str = "````````````````````````````````";

/// The markdown of each example: the part before the `.` line, `→` standing for a tab.
fn examples(spec: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut lines = spec.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        if !line.starts_with(&format!("{FENCE} example")) {
            continue;
        }
        let mut markdown = String::new();
        for (_, line) in lines.by_ref() {
            if line == "." {
                break;
            }
            markdown.push_str(&line.replace('→', "\t"));
            markdown.push('\n');
        }
        for (_, line) in lines.by_ref() {
            if line == FENCE {
                break;
            }
        }
        out.push((number + 1, markdown));
    }
    out
}

/// `../shared/corpus/commonmark` beside the crate; a worktree one level deeper finds it one
/// folder further up.
fn corpus_dir() -> PathBuf {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("shared/corpus/commonmark"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| crate_dir.join("../shared/corpus/commonmark"))
}

/// A missing corpus: a loud skip on a developer's machine, a failure under CI or
/// `DOCKER_GUIDE_E2E=1` (the rule of `tests/common::run_or_skip`: `.ci/run` checks that
/// `../shared` is there, so a test that stops finding it must not pass silently).
fn corpus_missing(path: &std::path::Path) {
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    let e2e = std::env::var("DOCKER_GUIDE_E2E").is_ok_and(|v| v == "1");
    assert!(
        !(ci || e2e),
        "{} not found, and no test may skip under CI or DOCKER_GUIDE_E2E=1",
        path.display()
    );
    eprintln!(
        "\n!!! SKIPPED: {} not found: the spec corpus walk did not run !!!\n",
        path.display()
    );
}

fn walk(file: &str, at_least: usize) {
    let path = corpus_dir().join(file);
    let Ok(spec) = std::fs::read_to_string(&path) else {
        corpus_missing(&path);
        return;
    };
    let examples = examples(&spec);
    assert!(
        examples.len() >= at_least,
        "only {} examples in {file}",
        examples.len()
    );
    for (line, markdown) in &examples {
        for width in [20, 80] {
            let opts = RenderOptions { width, color: true };
            let lines = render_markdown(markdown, &opts);
            assert_fits(&lines, width, &format!("{file}:{line} at width {width}"));
        }
    }
}

#[test]
fn renders_every_commonmark_example() {
    walk("spec.txt", 600);
}

#[test]
fn renders_every_gfm_example() {
    walk("gfm-spec.txt", 600);
}

#[test]
fn renders_the_whole_spec_as_one_document() {
    let path = corpus_dir().join("spec.txt");
    let Ok(spec) = std::fs::read_to_string(&path) else {
        corpus_missing(&path);
        return;
    };
    for width in [20, 100] {
        let lines = render_markdown(
            &spec,
            &RenderOptions {
                width,
                color: false,
            },
        );
        assert!(lines.len() > 1000);
        assert_fits(&lines, width, "spec.txt");
    }
}

#[test]
fn example_extraction_reads_markdown_and_tabs() {
    let spec = format!("intro\n{FENCE} example\n→foo\n.\n<pre>\n{FENCE}\n");
    assert_eq!(examples(&spec), vec![(2, "\tfoo\n".to_string())]);
}
