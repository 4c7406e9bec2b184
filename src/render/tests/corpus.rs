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

/// The quick look for fenced blocks before the parse (`render::fences`) finds blocks the
/// parser finds: on whole documents every one, in the specs' examples (written to probe the
/// edges) all but those where a container or an HTML block changes what a fence is.
#[test]
fn the_fence_look_finds_the_blocks_the_parser_finds() {
    use crate::render::fences::fenced_blocks;
    use crate::render::highlight::code_blocks;
    let parsed = |md: &str| {
        let events: Vec<_> =
            pulldown_cmark::Parser::new_ext(md, crate::lesson::markdown_options()).collect();
        code_blocks(&events)
    };
    let mut documents: Vec<(String, String)> = Vec::new();
    let corpus = corpus_dir();
    for file in ["spec.txt", "gfm-spec.txt"] {
        let path = corpus.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            corpus_missing(&path);
            return;
        };
        documents.push((file.to_string(), text));
    }
    let tutorial = corpus.with_file_name("docker-getting-started");
    for entry in std::fs::read_dir(&tutorial).expect("the getting-started tutorial") {
        let path = entry.expect("a tutorial file").path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("a tutorial page");
            documents.push((path.display().to_string(), text));
        }
    }
    for chapter in crate::lesson::load_embedded().chapters {
        documents.push((
            chapter.file_name.clone(),
            chapter.markdown.as_str().to_string(),
        ));
    }
    let mut found = 0;
    for (name, text) in &documents {
        let blocks = parsed(text);
        let look: Vec<(String, String)> = fenced_blocks(text)
            .into_iter()
            .map(|(lang, code)| (lang, code.into_owned()))
            .collect();
        for block in &look {
            assert!(blocks.contains(block), "{name}: {block:?} is no block");
        }
        found += look.len();
    }
    assert!(found > 1500, "{found} blocks found");
    let mut examples_found = 0;
    for (line, markdown) in examples(&documents[0].1) {
        let blocks = parsed(&markdown);
        for (lang, code) in fenced_blocks(&markdown) {
            let block = (lang, code.into_owned());
            examples_found += 1;
            // Where an HTML block runs on, a fence is its text: the look reads a block there.
            assert!(
                blocks.contains(&block) || markdown.starts_with('<'),
                "spec.txt:{line}: {block:?} is no block"
            );
        }
    }
    assert!(examples_found > 20, "{examples_found} blocks in examples");
}
