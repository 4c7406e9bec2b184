//! Property test of the lesson parser, the lesson loader (cleaning + lint) and the renderer
//! over generated hostile markdown (issue 12): long words, deep nesting of quotes and lists,
//! control characters and escape sequences everywhere (titles, attributes, code, prose).
//!
//! For every generated chapter: nothing panics; step spans lie inside the markdown; no
//! rendered span, title, step id or diagnostic holds a control character (a terminal would
//! act on it); and parse + load + lint + render at four widths finish within a time bound
//! that grows linearly with the input size.
//!
//! Sizes: words are at most 400 characters and generated shell lines at most 600. The
//! renderer still wraps and highlights a long word in a code block in quadratic time on this
//! branch (issue 12 item 8, being fixed on another branch: here a 7.5 KB YAML block of
//! 1,000-character words took 5 s to render at four widths in a debug build), so longer
//! words would only measure that known problem. Raise the sizes once item 8 has landed.
//! Runs of blanks are kept short for the same reason: this test found that 1,000 spaces in a shell line take 1.9 s to `show` at 40 columns
//! (`echo a<1000 spaces>b`; 11 s for two such lines at four widths), reported with item 8.
//! The bound (3 s + 1 ms per KiB; the worst case measured here was 0.5 s in a debug build
//! with the machine's load average at 16) leaves room for a loaded 2-core CI.

use std::time::{Duration, Instant};

use docker_guide::lesson;
use docker_guide::render::{RenderOptions, render_chapter, render_markdown};
use proptest::prelude::*;

/// Characters a hostile lesson puts in text: escape sequences' parts, C0 and C1 controls,
/// bidi overrides, wide and combining characters, markdown punctuation.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => proptest::char::range('a', 'z'),
        1 => Just(' '),
        1 => prop::sample::select(vec![
            '\u{1b}', '\u{7}', '\0', '\u{8}', '\r', '\t', '\u{7f}', '\u{9b}', '\u{85}',
            '\u{202e}', '\u{2066}', '\u{200b}', '\u{301}', '界', '😀', '*', '_', '`', '[',
            ']', '(', ')', '<', '>', '#', '|', '\\', '{', '}', '"', '=', '~', '!',
        ]),
    ]
}

/// A word: usually short, sometimes up to 2,000 characters of one letter or of hostile ones.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::collection::vec(hostile_char(), 1..12).prop_map(|c| c.into_iter().collect()),
        // Not a run of spaces or tabs: see the module doc.
        1 => (1usize..400, hostile_char())
            .prop_map(|(n, c)| if c == ' ' || c == '\t' { 'w' } else { c }.to_string().repeat(n)),
        1 => proptest::collection::vec(hostile_char(), 100..300)
            .prop_map(|c| c.into_iter().collect()),
        1 => Just("\u{1b}]52;c;SGVsbG8=\u{7}".to_string()),
        1 => Just("\u{1b}[2J\u{1b}]0;PWNED\u{7}".to_string()),
    ]
}

fn line_of_words(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 1..max).prop_map(|w| w.join(" "))
}

/// An attribute block for a fence, with hostile values.
fn attrs() -> impl Strategy<Value = String> {
    let value = proptest::collection::vec(hostile_char(), 0..16)
        .prop_map(|c| c.into_iter().collect::<String>().replace('"', "'"));
    let key = prop::sample::select(vec![
        "id",
        "file",
        "timeout",
        "expect",
        "check",
        "exit",
        "ready",
        "background",
        "confirm",
        "interactive",
        "unknown",
    ]);
    proptest::collection::vec((key, value), 0..4).prop_map(|pairs| {
        if pairs.is_empty() {
            return String::new();
        }
        let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        format!(" {{{}}}", inner.join(" "))
    })
}

/// One block of markdown.
fn block() -> impl Strategy<Value = String> {
    let lang = prop::sample::select(vec![
        "sh",
        "bash",
        "console",
        "text",
        "dockerfile",
        "python",
        "yaml",
        "toml",
        "json",
        "",
    ]);
    prop_oneof![
        3 => line_of_words(30),
        1 => (1usize..7, line_of_words(6)).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        2 => (lang, attrs(), proptest::collection::vec(line_of_words(8), 0..6)).prop_map(
            |(lang, attrs, lines)| format!("```{lang}{attrs}\n{}\n```", lines.join("\n"))
        ),
        1 => (1usize..600).prop_map(|n| format!("```sh\necho {}\n```", "x".repeat(n))),
        1 => (1usize..80, line_of_words(5)).prop_map(|(depth, t)| format!("{} {t}", ">".repeat(depth))),
        1 => (1usize..40, line_of_words(5)).prop_map(|(depth, t)| {
            (0..depth)
                .map(|d| format!("{}- {t}", "  ".repeat(d)))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        1 => (1usize..6, 1usize..6, word()).prop_map(|(rows, cols, w)| {
            let row = |c: &str| format!("|{}|", vec![c; cols].join("|"));
            let mut t = vec![row("h"), row("---")];
            t.extend((0..rows).map(|_| row(&w)));
            t.join("\n")
        }),
        1 => (1usize..200).prop_map(|n| format!("{}x{}", "*".repeat(n), "_".repeat(n))),
        1 => word().prop_map(|w| format!("[{w}](http://x/{w}) <{w}> ![{w}](i.png)")),
    ]
}

/// A chapter: optional hostile front matter, then blocks.
fn chapter() -> impl Strategy<Value = String> {
    let front = prop_oneof![
        2 => Just(String::new()),
        1 => word().prop_map(|t| format!("---\ntitle: \"{}\"\n---\n", t.replace('"', "'"))),
    ];
    (front, proptest::collection::vec(block(), 1..12))
        .prop_map(|(front, blocks)| format!("{front}{}\n", blocks.join("\n\n")))
}

fn has_control(text: &str) -> bool {
    text.chars().any(lesson::is_unprintable)
}

/// The time allowed for one chapter of `bytes` bytes (see the module doc).
fn bound(bytes: usize) -> Duration {
    Duration::from_secs(3) + Duration::from_millis((bytes / 1024) as u64)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_markdown_parses_loads_and_renders_safely_in_bounded_time(text in chapter()) {
        let started = Instant::now();
        let (parsed, _) = lesson::parse_chapter("x.md", "01-x.md", &text);
        for step in &parsed.steps {
            prop_assert!(step.span.end <= parsed.markdown.len());
            prop_assert!(parsed.markdown.is_char_boundary(step.span.start));
        }

        // Through the loader: what any command prints is printable.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("01-x.md");
        std::fs::write(&path, &text).unwrap();
        let course = lesson::load_path(&path).unwrap();
        prop_assert!(!has_control(&course.title), "{:?}", course.title);
        let chapter = &course.chapters[0];
        prop_assert!(!has_control(&chapter.title), "{:?}", chapter.title);
        for step in &chapter.steps {
            prop_assert!(!has_control(&step.id), "{:?}", step.id);
        }
        for diagnostic in lesson::lint(&course, &["docker"]) {
            let shown = diagnostic.to_string();
            prop_assert!(!has_control(&shown), "{:?}", shown);
        }

        for width in [1u16, 7, 40, 100] {
            let opts = RenderOptions { width, color: width != 7 };
            let rendered = render_chapter(chapter, &opts);
            for line in &rendered.lines {
                for span in &line.spans {
                    // Terminal controls only: bidi overrides in prose are the renderer's to
                    // show (lint makes them an error in anything that runs).
                    prop_assert!(!span.content.chars().any(char::is_control), "width {}: {:?}", width, span.content);
                }
            }
            prop_assert!(rendered.anchors.len() <= chapter.steps.len());
        }
        let _ = render_markdown(&text, &RenderOptions { width: 30, color: false });

        let took = started.elapsed();
        prop_assert!(
            took < bound(text.len()),
            "{} bytes took {:?} (bound {:?})", text.len(), took, bound(text.len())
        );
    }
}
