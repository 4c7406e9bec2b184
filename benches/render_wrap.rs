//! #14: our word wrapping (`render::wrap_prose`, the renderer's greedy wrap of a paragraph)
//! against the `textwrap` crate on the same text, in one run: every prose paragraph of the
//! CommonMark spec (the official course's when the corpus is missing) at 80 and 40 columns.
//! textwrap is configured as ours works: first fit, words split at ASCII spaces, display
//! width by unicode-width. Both results are checked to hold the same words before timing.
//! textwrap returns plain strings; ours returns styled spans (what the renderer needs), so
//! a tie would still favour ours.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use docker_guide::render::wrap_prose;
use textwrap::{Options, WordSeparator, WrapAlgorithm};

fn corpus() -> String {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let spec = crate_dir
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("shared/corpus/commonmark/spec.txt"))
        .find(|path| path.is_file());
    match spec {
        Some(path) => std::fs::read_to_string(path).expect("the spec reads"),
        None => docker_guide::lesson::load_embedded()
            .chapters
            .iter()
            .map(|c| c.markdown.to_string())
            .collect(),
    }
}

/// Paragraphs of prose: blocks between blank lines outside fences, lines joined by spaces.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for block in text.split("\n\n") {
        let fences = block.lines().filter(|l| l.starts_with("```")).count();
        let was_fenced = fenced;
        fenced ^= fences % 2 == 1;
        if was_fenced || fences > 0 || block.starts_with("    ") || block.starts_with('#') {
            continue;
        }
        let joined = block.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.len() > 40 {
            out.push(joined);
        }
    }
    out
}

fn ours(paragraphs: &[String], width: u16) -> usize {
    paragraphs.iter().map(|p| wrap_prose(p, width).len()).sum()
}

fn first_fit(width: usize) -> Options<'static> {
    Options::new(width)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .word_separator(WordSeparator::AsciiSpace)
        .break_words(true)
}

fn theirs(paragraphs: &[String], width: usize) -> usize {
    let options = first_fit(width);
    paragraphs
        .iter()
        .map(|p| textwrap::wrap(p, &options).len())
        .sum()
}

fn bench_wrap(c: &mut Criterion) {
    let paragraphs = paragraphs(&corpus());
    let bytes: usize = paragraphs.iter().map(String::len).sum();
    for width in [80u16, 40] {
        // The same text comes out of both, in the same order (spaces aside).
        let options = first_fit(usize::from(width));
        for p in &paragraphs {
            let a: Vec<String> = wrap_prose(p, width)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            let b: Vec<String> = textwrap::wrap(p, &options)
                .into_iter()
                .map(|c| c.into_owned())
                .collect();
            let text = |rows: &[String]| rows.concat().replace(' ', "");
            assert_eq!(text(&a), text(&b), "{p}");
        }
        eprintln!(
            "{} paragraphs, {bytes} bytes at {width} columns: ours {} rows, textwrap {} rows",
            paragraphs.len(),
            ours(&paragraphs, width),
            theirs(&paragraphs, usize::from(width))
        );
        let mut group = c.benchmark_group(format!("wrap prose at {width} columns"));
        group.bench_function("ours (render::wrap_prose)", |b| {
            b.iter(|| ours(black_box(&paragraphs), width))
        });
        group.bench_function("textwrap 0.16 first fit", |b| {
            b.iter(|| theirs(black_box(&paragraphs), usize::from(width)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_wrap);
criterion_main!(benches);
