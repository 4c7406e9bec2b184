use super::*;

fn lines_of(bytes: &[u8]) -> Vec<String> {
    let mut t = Transcript::new(100);
    t.push(bytes);
    t.finish();
    t.lines().map(str::to_owned).collect()
}

#[test]
fn carriage_return_rewrites_the_current_line() {
    assert_eq!(
        lines_of(b"progress 1/3\rprogress 2/3\rprogress 3/3\ndone\n"),
        ["progress 3/3", "done"]
    );
    // Shorter text replaces the whole line (no leftovers from the longer one).
    assert_eq!(lines_of(b"downloading 100%\rok"), ["ok"]);
}

#[test]
fn crlf_is_a_plain_newline() {
    assert_eq!(lines_of(b"one\r\ntwo\r\n"), ["one", "two"]);
    assert_eq!(lines_of(b"one\r"), ["one"]);
}

#[test]
fn sgr_is_kept_and_other_csi_dropped() {
    assert_eq!(
        lines_of(b"\x1b[1;31merror\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[m\n"),
        ["\x1b[1;31merror\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[m"]
    );
    // Clear screen, cursor home, cursor up, erase line, private modes, bracketed paste.
    assert_eq!(
        lines_of(b"\x1b[2J\x1b[H\x1b[3Aa\x1b[Kb\x1b[?25l\x1b[?1049hc\x1b[?2004h\n"),
        ["abc"]
    );
    // A CSI that ends in `m` but has private parameters is not SGR.
    assert_eq!(lines_of(b"x\x1b[>4;2my\n"), ["xy"]);
}

#[test]
fn osc_dcs_and_other_escapes_are_stripped() {
    // Window title ended by BEL and by ST, OSC 52 clipboard write, hyperlink, DCS, charset, keypad.
    let input = b"\x1b]0;evil title\x07a\x1b]2;t\x1b\\b\x1b]52;c;ZWNobyBoaQ==\x07c\
\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\x1bPq#0;2;0;0;0\x1b\\\x1b(B\x1b=d\n";
    assert_eq!(lines_of(input), ["abclinkd"]);
}

#[test]
fn control_characters_are_dropped_except_tab() {
    assert_eq!(lines_of(b"a\x07b\x08c\x00d\x7fe\tf\x0cg\n"), ["abcde\tfg"]);
}

#[test]
fn invalid_utf8_is_shown_lossily() {
    assert_eq!(
        lines_of(b"caf\xc3\xa9 \xff\xfe ok\n"),
        ["café \u{FFFD}\u{FFFD} ok"]
    );
    assert_eq!(lines_of(b"cut \xe2\x82\n"), ["cut \u{FFFD}"]);
    assert_eq!(lines_of(b"end \xe2\x82"), ["end \u{FFFD}"]);
}

#[test]
fn any_chunking_gives_the_same_result() {
    let input = "a\x1b[32mgr€en\x1b[0m\r\nbar 10%\rbar 100%\n\x1b]0;title\x07\x1b[2Kdone ✓\n\u{1F433} whale\n"
        .as_bytes();
    let whole = lines_of(input);
    assert_eq!(
        whole,
        [
            "a\x1b[32mgr€en\x1b[0m",
            "bar 100%",
            "done ✓",
            "\u{1F433} whale"
        ]
    );
    for split in 0..input.len() {
        for split2 in split..input.len() {
            let mut t = Transcript::new(100);
            t.push(&input[..split]);
            t.push(&input[split..split2]);
            t.push(&input[split2..]);
            t.finish();
            let got: Vec<_> = t.lines().collect();
            assert_eq!(got, whole, "split at {split} and {split2}");
        }
    }
    // Byte by byte.
    let mut t = Transcript::new(100);
    for b in input {
        t.push(std::slice::from_ref(b));
    }
    assert_eq!(t.lines().collect::<Vec<_>>(), whole);
}

#[test]
fn keeps_the_last_lines_and_counts_dropped_ones() {
    let mut t = Transcript::new(3);
    for n in 1..=10 {
        t.push(format!("line {n}\n").as_bytes());
    }
    assert_eq!(
        t.lines().collect::<Vec<_>>(),
        ["line 8", "line 9", "line 10"]
    );
    assert_eq!(t.dropped(), 7);
    t.push(b"partial");
    assert_eq!(t.line_count(), 4);
    assert_eq!(t.lines().last(), Some("partial"));
}

#[test]
fn memory_stays_bounded_over_many_lines() {
    let mut t = Transcript::new(50);
    let chunk: String = (0..1000).map(|n| format!("{n:06}\n")).collect();
    for _ in 0..2000 {
        t.push(chunk.as_bytes());
    }
    assert_eq!(t.line_count(), 50);
    assert_eq!(t.dropped(), 2_000_000 - 50);
    assert!(
        t.lines.buf.capacity() < 1 << 20,
        "buffer grew to {}",
        t.lines.buf.capacity()
    );
    assert_eq!(t.lines().last(), Some("000999"));
}

#[test]
fn very_long_lines_wrap_and_stay_bounded() {
    let mut t = Transcript::new(10);
    let long = "x".repeat(MAX_LINE_BYTES * 3 + 5);
    t.push(long.as_bytes());
    t.push(b"\nnext\n");
    let lines: Vec<_> = t.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0].len(), MAX_LINE_BYTES);
    assert_eq!(lines[3], "xxxxx");
    assert_eq!(lines[4], "next");
    // Gigantic single line: still bounded.
    let mut t = Transcript::new(10);
    let chunk = "é".repeat(30_000);
    for _ in 0..100 {
        t.push(chunk.as_bytes());
    }
    assert_eq!(t.line_count(), 11);
    assert!(t.lines().all(|l| l.len() <= MAX_LINE_BYTES));
    assert!(t.lines.buf.capacity() < 1 << 20);
}

#[test]
fn wrapping_never_cuts_an_sgr_sequence() {
    let mut t = Transcript::new(10);
    let mut text = "y".repeat(MAX_LINE_BYTES - 3);
    text.push_str("\x1b[31mred\n");
    t.push(text.as_bytes());
    let lines: Vec<_> = t.lines().collect();
    assert_eq!(lines[1], "\x1b[31mred");
}

#[test]
fn sgr_after_carriage_return_survives_the_rewrite() {
    assert_eq!(
        lines_of(b"old text\r\x1b[32mnew\x1b[0m\n"),
        ["\x1b[32mnew\x1b[0m"]
    );
}

#[test]
fn plain_text_has_no_sgr() {
    let mut t = Transcript::new(10);
    t.push(b"\x1b[1mStep 1/2\x1b[0m : FROM x\nok\x1b[32m!\x1b[0m");
    assert_eq!(t.plain_text(), "Step 1/2 : FROM x\nok!");
}

#[test]
fn generation_changes_on_push() {
    let mut t = Transcript::default();
    let g = t.generation();
    t.push(b"a");
    assert_ne!(g, t.generation());
}
