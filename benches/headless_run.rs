//! The headless `run` of a step printing 2,000,000 lines (`seq 1 2000000`) against the same
//! command with its output sent to a file. The issue's bound: at most 1.3 times as long.
//! Runs the real binary (release build under `cargo bench`) on a one-step course in a
//! temporary folder, with its own workspace and state directory.

use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};

fn course(dir: &Path) {
    std::fs::write(
        dir.join("01-seq.md"),
        "# Seq\n\n```sh {id=seq}\nseq 1 2000000\n```\n",
    )
    .expect("write the bench course");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let lessons = dir.path().join("course");
    std::fs::create_dir_all(&lessons).expect("course dir");
    course(&lessons);
    let out_file = dir.path().join("seq.out");

    let mut group = c.benchmark_group("seq 1 2000000");
    group.sample_size(30);
    group.bench_function("docker-guide run --yes (stdout to /dev/null)", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_docker-guide"))
                .args(["run", "all", "--yes"])
                .arg("--lessons")
                .arg(&lessons)
                .env("XDG_STATE_HOME", dir.path().join("state"))
                .env("XDG_DATA_HOME", dir.path().join("data"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run docker-guide");
            assert!(status.success());
        })
    });
    group.bench_function("sh -c 'seq 1 2000000 > file'", |b| {
        b.iter(|| {
            let status = Command::new("sh")
                .arg("-c")
                .arg(format!("seq 1 2000000 > '{}'", out_file.display()))
                .status()
                .expect("run sh");
            assert!(status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
