//! Renderer benchmarks at 100 columns, parse + render as the TUI does on a cache miss: the
//! whole course (the embedded one, or `DOCKER_GUIDE_LESSONS=DIR`), the CommonMark spec as one
//! markdown document, and a lesson-like chapter with a warm and a cold code cache.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use docker_guide::lesson::{self, Course};
use docker_guide::render::{RenderOptions, clear_highlight_cache, render_chapter, render_markdown};

const OPTS: RenderOptions = RenderOptions {
    width: 100,
    color: true,
};

fn spec_path() -> Option<PathBuf> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("shared/corpus/commonmark/spec.txt"))
        .find(|path| path.is_file())
}

fn load_course() -> Course {
    match std::env::var_os("DOCKER_GUIDE_LESSONS") {
        Some(dir) => lesson::load_path(dir.as_ref()).expect("DOCKER_GUIDE_LESSONS loads"),
        None => lesson::load_embedded(),
    }
}

fn render_course(course: &Course) -> usize {
    course
        .chapters
        .iter()
        .map(|chapter| render_chapter(chapter, &OPTS).lines.len())
        .sum()
}

fn bench_course(c: &mut Criterion) {
    let course = load_course();
    let rows = render_course(&course);
    eprintln!(
        "course {:?}: {} chapters, {} steps, {rows} rows at 100 columns",
        course.id,
        course.chapters.len(),
        course.step_count()
    );
    c.bench_function("parse + render the course at 100 columns", |b| {
        b.iter(|| render_course(&black_box(load_course())))
    });
    c.bench_function("render the parsed course at 100 columns", |b| {
        b.iter(|| render_course(black_box(&course)))
    });
    c.bench_function(
        "parse + render the course at 100 columns, cold code cache",
        |b| {
            b.iter_batched(
                clear_highlight_cache,
                |()| render_course(&black_box(load_course())),
                BatchSize::SmallInput,
            )
        },
    );
}

fn bench_spec(c: &mut Criterion) {
    let Some(path) = spec_path() else {
        eprintln!("!!! SKIPPED: ../shared/corpus/commonmark/spec.txt not found !!!");
        return;
    };
    let spec = std::fs::read_to_string(path).expect("spec.txt is readable");
    c.bench_function("render commonmark spec.txt at 100 columns", |b| {
        b.iter(|| render_markdown(black_box(&spec), &OPTS))
    });
}

fn bench_sample(c: &mut Criterion) {
    let sample = include_str!("../src/render/testdata/sample.md");
    // Warm the syntax set once: the TUI pays that on its first frame only.
    render_markdown(sample, &OPTS);
    c.bench_function("render sample chapter at 100 columns", |b| {
        b.iter(|| render_markdown(black_box(sample), &OPTS))
    });
    c.bench_function(
        "render sample chapter at 100 columns, cold code cache",
        |b| {
            b.iter_batched(
                clear_highlight_cache,
                |()| render_markdown(black_box(sample), &OPTS),
                BatchSize::SmallInput,
            )
        },
    );
}

criterion_group!(benches, bench_course, bench_spec, bench_sample);
criterion_main!(benches);
