//! Pathological input renders in time proportional to its size (issue 12, item 8): a 1 MB
//! word in a shell step used to take hours (clipping measured the kept prefix again at each
//! character; syntect saw the whole line). Each test checks what is drawn and carries a bound
//! that only a quadratic path breaks (linear: well under a second even in a debug build);
//! scripts/bench-pathological.sh prints the growth from 1× to 10×.

use std::time::{Duration, Instant};

use super::*;

/// Runs `f` on its own thread and fails as soon as it takes longer than `limit` (a quadratic
/// path would otherwise hang the test run for hours).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(_) => panic!(
            "{what} took longer than {limit:?} ({:?})",
            started.elapsed()
        ),
    }
}

const BOUND: Duration = Duration::from_secs(20);

#[test]
fn a_megabyte_word_in_a_shell_step_wraps_whole_not_hung() {
    let word = "a".repeat(1 << 20);
    let md = format!("# Long\n\n```sh {{id=long}}\necho {word}\n```\n");
    let chapter = chapter(&md);
    let rendered = within(BOUND, "render", move || render_chapter(&chapter, &opts(80)));
    assert_fits(&rendered.lines, 80, "1 MB word");
    let code = plain(&rendered.lines);
    let kept: usize = code
        .lines()
        .filter_map(|l| l.strip_prefix("│ "))
        .map(|l| l.trim_start_matches("↪ ").matches('a').count())
        .sum();
    assert_eq!(kept, 1 << 20, "every character shown, none cut");
}

#[test]
fn a_megabyte_word_of_prose_wraps_into_full_rows() {
    let word = "b".repeat(1 << 20);
    let lines = within(BOUND, "render", move || {
        render_markdown(&format!("{word}\n"), &opts(100))
    });
    assert_fits(&lines, 100, "1 MB prose word");
    assert_eq!(lines.len(), (1usize << 20).div_ceil(100));
}

#[test]
fn ten_thousand_nested_lists_and_quotes_render() {
    for (name, marker) in [("lists", "- "), ("quotes", "> ")] {
        let md = format!("{}deep\n", marker.repeat(10_000));
        let lines = within(BOUND, name, move || render_markdown(&md, &opts(80)));
        assert_fits(&lines, 80, name);
        assert!(plain(&lines).contains("deep"), "{name}: the text is shown");
    }
}

#[test]
fn five_thousand_steps_render_each_with_its_anchor() {
    let md: String = (1..=5000)
        .map(|i| format!("\nStep {i}.\n\n```sh {{id=s{i}}}\necho {i}\n```\n"))
        .collect();
    let chapter = chapter(&format!("# Steps\n{md}"));
    let rendered = within(BOUND, "render", move || render_chapter(&chapter, &opts(80)));
    assert_eq!(rendered.anchors.len(), 5000);
}
