//! The hand-written sanitizer (`runner::sanitize`) against the same contract built on `vte`
//! (alacritty's parser): text, `\n`, `\t`, lone `\r` and SGR kept, every other escape and
//! control dropped, chunks split anywhere. Before timing, both run over hostile inputs and
//! the bench prints where they disagree (correctness is half of the choice). Inputs: the
//! ingest bench's three (1,000,000 lines each) in 64 KiB chunks.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use docker_guide::runner::sanitize::{SanitizedSink, Sanitizer};

const LINES: usize = 1_000_000;
const CHUNK: usize = 64 * 1024;

/// What a sanitizer let through, comparable between the two.
#[derive(Default, PartialEq, Eq, Debug)]
struct Collected {
    out: String,
    events: usize,
}

impl SanitizedSink for Collected {
    fn text(&mut self, text: &str) {
        self.out.push_str(text);
        self.events += 1;
    }
    fn sgr(&mut self, seq: &str) {
        self.out.push_str(seq);
        self.events += 1;
    }
    fn carriage_return(&mut self) {
        self.out.push('\r');
        self.events += 1;
    }
}

/// The sanitizer's contract on `vte`: text batched until an escape or control, SGR rebuilt
/// from the parsed parameters, each `\r` passed on (the transcript folds `\r\n`).
struct VteSanitizer<'s, S: SanitizedSink> {
    sink: &'s mut S,
    text: String,
}

impl<S: SanitizedSink> VteSanitizer<'_, S> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            self.sink.text(&text);
        }
    }
}

impl<S: SanitizedSink> vte::Perform for VteSanitizer<'_, S> {
    fn print(&mut self, c: char) {
        // vte prints DEL; the contract drops it with the other controls.
        if c != '\u{7f}' {
            self.text.push(c);
        }
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' | b'\t' => self.text.push(byte as char),
            b'\r' => {
                self.flush();
                self.sink.carriage_return();
            }
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &vte::Params, intermediates: &[u8], ignore: bool, c: char) {
        if c != 'm' || ignore || !intermediates.is_empty() {
            return;
        }
        self.flush();
        let mut seq = String::from("\x1b[");
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                seq.push(';');
            }
            for (j, sub) in param.iter().enumerate() {
                if j > 0 {
                    seq.push(':');
                }
                seq.push_str(&sub.to_string());
            }
        }
        seq.push('m');
        self.sink.sgr(&seq);
    }
}

fn hand_written(data: &[u8], chunk: usize) -> Collected {
    let mut sink = Collected::default();
    let mut sanitizer = Sanitizer::new();
    for piece in data.chunks(chunk) {
        sanitizer.feed(piece, &mut sink);
    }
    sanitizer.finish(&mut sink);
    sink
}

fn with_vte(data: &[u8], chunk: usize) -> Collected {
    let mut sink = Collected::default();
    let mut parser = vte::Parser::new();
    let mut performer = VteSanitizer {
        sink: &mut sink,
        text: String::new(),
    };
    for piece in data.chunks(chunk) {
        parser.advance(&mut performer, piece);
        performer.flush();
    }
    sink
}

/// Inputs where terminal parsers differ: each must come out the same from both to count as
/// a like-for-like replacement.
const HOSTILE: &[(&str, &[u8])] = &[
    ("plain", b"hello\tworld\n"),
    ("sgr", b"\x1b[1;31mred\x1b[0m\n"),
    ("sgr colon", b"\x1b[38:2:1:2:3mrgb\x1b[m\n"),
    ("cursor moves", b"a\x1b[2Jb\x1b[10;10Hc\n"),
    ("osc title bel", b"\x1b]0;title\x07after\n"),
    ("osc 52 st", b"\x1b]52;c;aGk=\x1b\\after\n"),
    ("dcs", b"\x1bPq#0;2;0;0;0\x1b\\after\n"),
    ("progress cr", b"10%\r20%\r\n"),
    ("crlf", b"line\r\nnext\r\n"),
    ("bare controls", b"a\x07b\x08c\x00d\x7fe\n"),
    ("split utf-8", "héllo wörld ✓\n".as_bytes()),
    ("invalid utf-8", b"a\xffb\xc3(c\n"),
    ("can aborts csi", b"x\x1b[31\x18y\n"),
    (
        "overlong csi",
        b"\x1b[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1mz\n",
    ),
    ("esc charset", b"\x1b(Bq\x1b)0r\n"),
    ("private csi", b"\x1b[?25lhidden\x1b[?25h\n"),
];

fn report_agreement() {
    let mut differ = Vec::new();
    for (name, input) in HOSTILE {
        // Whole, and one byte at a time (chunks may split anything).
        for chunk in [input.len().max(1), 1] {
            let ours = hand_written(input, chunk).out;
            let theirs = with_vte(input, chunk).out;
            if ours != theirs {
                differ.push(format!(
                    "  {name} (chunk {chunk}): ours {ours:?} · vte {theirs:?}"
                ));
            }
        }
    }
    println!(
        "sanitize: vte agrees with the hand-written sanitizer on {} of {} hostile cases",
        HOSTILE.len() * 2 - differ.len(),
        HOSTILE.len() * 2
    );
    for line in &differ {
        println!("{line}");
    }
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let lines = |f: &dyn Fn(usize) -> String| (1..=LINES).map(f).collect::<String>().into_bytes();
    vec![
        ("seq", lines(&|n| format!("{n}\n"))),
        (
            "sgr",
            lines(&|n| format!("\x1b[32m#{n} [3/4]\x1b[0m RUN pip install -r requirements.txt\n")),
        ),
        (
            "progress_cr",
            lines(&|n| format!("downloading {}%\r", n % 100)),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    report_agreement();
    let mut group = c.benchmark_group("sanitize_1M_lines");
    group.throughput(Throughput::Elements(LINES as u64));
    group.sample_size(10);
    for (name, data) in inputs() {
        let same = hand_written(&data, CHUNK).out == with_vte(&data, CHUNK).out;
        println!("sanitize: {name}: vte's output is the same as ours: {same}");
        group.bench_function(format!("hand_written/{name}"), |b| {
            b.iter(|| hand_written(std::hint::black_box(&data), CHUNK).events)
        });
        group.bench_function(format!("vte/{name}"), |b| {
            b.iter(|| with_vte(std::hint::black_box(&data), CHUNK).events)
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
