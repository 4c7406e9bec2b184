//! Parse time of whole courses: the embedded official course, Docker's getting-started
//! tutorial (when `../shared/corpus` is present) and the lint pass over the embedded course.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use docker_guide::lesson;

fn corpus() -> Option<Vec<(String, String)>> {
    let dir = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docker-getting-started"),
        Path::new("/work/shared/corpus/docker-getting-started").to_path_buf(),
    ]
    .into_iter()
    .find(|p| p.is_dir())?;
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    files.sort();
    Some(files)
}

fn bench(c: &mut Criterion) {
    c.bench_function("load_embedded (parse the official course)", |b| {
        b.iter(|| black_box(lesson::load_embedded()))
    });
    let course = lesson::load_embedded();
    let checks = ["docker", "daemon", "compose"];
    c.bench_function("lint the official course", |b| {
        b.iter(|| black_box(lesson::lint(&course, &checks)))
    });
    match corpus() {
        Some(files) => {
            c.bench_function("parse docker-getting-started (11 files)", |b| {
                b.iter(|| {
                    for (name, text) in &files {
                        black_box(lesson::parse_chapter(name, name, text));
                    }
                })
            });
        }
        None => eprintln!("SKIPPED: ../shared/corpus/docker-getting-started not found"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
