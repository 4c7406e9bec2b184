//! Transcript ingestion speed: 1,000,000 lines of `seq`-like output (plain, coloured, and
//! progress bars with `\r`), fed in 64 KiB chunks as the runner reads them.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use docker_guide::runner::Transcript;

const LINES: usize = 1_000_000;
const CHUNK: usize = 64 * 1024;

fn seq_output() -> Vec<u8> {
    (1..=LINES)
        .map(|n| format!("{n}\n"))
        .collect::<String>()
        .into_bytes()
}

fn coloured_output() -> Vec<u8> {
    (1..=LINES)
        .map(|n| format!("\x1b[32m#{n} [3/4]\x1b[0m RUN pip install -r requirements.txt\n"))
        .collect::<String>()
        .into_bytes()
}

fn progress_output() -> Vec<u8> {
    (1..=LINES)
        .map(|n| format!("downloading {}%\r", n % 100))
        .collect::<String>()
        .into_bytes()
}

fn ingest(data: &[u8]) -> usize {
    let mut transcript = Transcript::default();
    for chunk in data.chunks(CHUNK) {
        transcript.push(chunk);
    }
    transcript.finish();
    transcript.line_count() + transcript.dropped()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("transcript_ingest_1M_lines");
    group.throughput(Throughput::Elements(LINES as u64));
    group.sample_size(10);
    for (name, data) in [
        ("seq", seq_output()),
        ("sgr", coloured_output()),
        ("progress_cr", progress_output()),
    ] {
        group.bench_function(name, |b| b.iter(|| ingest(std::hint::black_box(&data))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
