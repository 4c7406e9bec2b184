//! Terminal text, cell by cell: display width (unicode-width, as ratatui measures a `Line`),
//! making text safe to print, merging runs into spans, and trimming and clipping rows.

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

/// Display width of a string in terminal columns.
pub(crate) fn width(text: &str) -> usize {
    // Printable ASCII is one column a byte: most prose and code, measured without
    // unicode-width's table walk (the walk was ~5% of `show` on the CommonMark spec).
    if is_printable_ascii(text) {
        return text.len();
    }
    UnicodeWidthStr::width(text)
}

/// Whether every byte is printable ASCII (one column each, nothing to sanitize).
fn is_printable_ascii(text: &str) -> bool {
    // Eight bytes at a time (every text the renderer draws is measured or cleaned through
    // here, some several times): a byte-by-byte loop was 4 % of `show --plain`.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // With no high bit set, these flag exactly the bytes below 0x20 and those equal to
        // 0x7f (the bit hacks `hasless(x, 0x20)` and `haszero(x ^ 0x7f…)`).
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let del = (x ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(x ^ (ONES * 0x7f));
        if (x | control | del) & HIGH != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// Display width of one character, as [`width`] counts it inside a string (control
/// characters count 0 there too).
pub(crate) fn char_width(c: char) -> usize {
    width(c.encode_utf8(&mut [0; 4]))
}

/// Display width of a row of spans, as ratatui's `Line::width` computes it.
pub(crate) fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// Makes text safe to print: tabs and newlines become spaces and other control characters
/// (ESC above all: markdown must never drive the terminal) become U+FFFD.
pub(crate) fn sanitize(text: &str) -> String {
    // Printable ASCII needs no change: copied whole rather than char by char (most prose).
    if is_printable_ascii(text) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Like [`sanitize`] for one line of code: tabs expand to the next multiple of 4 columns,
/// counted from `column` (the width already on the line).
pub(crate) fn sanitize_code(text: &str, column: &mut usize) -> String {
    let line = text.trim_end_matches(['\n', '\r']);
    if is_printable_ascii(line) {
        *column += line.len();
        return line.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => {
                let pad = 4 - *column % 4;
                out.extend(std::iter::repeat_n(' ', pad));
                *column += pad;
            }
            '\n' | '\r' => {}
            c if c.is_control() => {
                out.push('\u{FFFD}');
                *column += 1;
            }
            c => {
                out.push(c);
                *column += width(c.encode_utf8(&mut [0; 4]));
            }
        }
    }
    out
}

/// Appends text to a row, merging it into the last span when the style is the same.
pub(crate) fn push_text(row: &mut Vec<Span<'static>>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    match row.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => row.push(Span::styled(text.to_string(), style)),
    }
}

/// [`push_text`] for text already owned: it becomes the span's content as it is.
pub(crate) fn push_owned(row: &mut Vec<Span<'static>>, text: String, style: Style) {
    if text.is_empty() {
        return;
    }
    match row.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(&text),
        _ => row.push(Span::styled(text, style)),
    }
}

/// Drops trailing white space of a row: blank spans go, the last one is trimmed. With
/// `keep_styled`, it stops at a styled span (a table cell's background is content).
pub(crate) fn trim_end(spans: &mut Vec<Span<'static>>, keep_styled: bool) {
    while let Some(last) = spans.last_mut() {
        if keep_styled && last.style != ratatui::style::Style::new() {
            break;
        }
        let trimmed = last.content.trim_end().to_string();
        if trimmed.is_empty() {
            spans.pop();
        } else {
            last.content = trimmed.into();
            break;
        }
    }
}

/// Cuts a row to `max` columns; when something was cut and `marker` is given, the marker
/// (e.g. `…`) takes the last column(s).
pub(crate) fn clip(
    spans: Vec<Span<'static>>,
    max: usize,
    marker: Option<Span<'static>>,
) -> Vec<Span<'static>> {
    if spans_width(&spans) <= max {
        return spans;
    }
    let marker_width = marker.as_ref().map_or(0, |m| width(&m.content));
    let budget = max.saturating_sub(marker_width);
    let mut out = Vec::new();
    let mut used = 0;
    // One pass over the characters, counting as it goes: measuring the kept prefix again at
    // each character made a 1 MB line quadratic (hours).
    'spans: for span in spans {
        let mut end = 0;
        for (at, c) in span.content.char_indices() {
            let w = char_width(c);
            if used + w > budget {
                push_text(&mut out, &span.content[..at], span.style);
                break 'spans;
            }
            used += w;
            end = at + c.len_utf8();
        }
        push_text(&mut out, &span.content[..end], span.style);
    }
    // A string can be wider than its characters added up (an emoji variation selector widens
    // the character before it): drop characters until the row measures within the budget.
    while spans_width(&out) > budget {
        let Some(last) = out.last_mut() else { break };
        let content = last.content.to_mut();
        content.pop();
        if content.is_empty() {
            out.pop();
        }
    }
    used = spans_width(&out);
    if let Some(marker) = marker
        && used + marker_width <= max
    {
        // `runs: …` reads worse than `runs:…`: the marker follows the last visible character.
        while let Some(last) = out.last_mut() {
            let kept = last.content.trim_end().len();
            if kept > 0 {
                last.content.to_mut().truncate(kept);
                break;
            }
            out.pop();
        }
        out.push(marker);
    }
    out
}

/// Rows as their text only, for tests.
#[cfg(test)]
pub(crate) fn plain(rows: &[Vec<Span<'static>>]) -> Vec<String> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_measures_as_unicode_width_does() {
        let printable: String = (0x20u8..0x7f).map(char::from).collect();
        assert_eq!(
            width(&printable),
            UnicodeWidthStr::width(printable.as_str())
        );
        for text in ["a\tb", "x\u{7f}y", "é", "日本", "a\u{1b}[1m"] {
            assert_eq!(width(text), UnicodeWidthStr::width(text), "{text:?}");
        }
    }

    #[test]
    fn printable_ascii_is_told_apart_eight_bytes_at_a_time_as_one_by_one() {
        let naive = |bytes: &[u8]| bytes.iter().all(|b| (0x20..0x7f).contains(b));
        // Every byte value at every place of a 17-byte text (two words and a remainder),
        // among printable neighbours from both ends of the range.
        for filler in [b' ', b'~', b'a'] {
            for at in 0..17 {
                for byte in 0..=255u8 {
                    let mut bytes = vec![filler; 17];
                    bytes[at] = byte;
                    // Non-UTF-8 bytes are not a `str`: the test checks the bytes it can.
                    if let Ok(text) = std::str::from_utf8(&bytes) {
                        assert_eq!(is_printable_ascii(text), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
        for text in [
            "",
            "abc",
            "\u{7f}",
            "é",
            "日本語のテキスト",
            "a\u{1b}[1m text",
            "tab\there",
        ] {
            assert_eq!(is_printable_ascii(text), naive(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn clip_marks_the_cut() {
        let spans = vec![Span::raw("hello world")];
        let clipped = clip(spans, 6, Some(Span::raw("…")));
        assert_eq!(plain(&[clipped]), ["hello…"]);
        let clipped = clip(vec![Span::raw("ab🐳cd")], 3, Some(Span::raw("…")));
        assert_eq!(plain(&[clipped]), ["ab…"]);
    }

    #[test]
    fn clip_measures_the_string_not_only_its_characters() {
        // U+2600 is one column alone and two with the emoji selector U+FE0F after it.
        let sun = "\u{2600}\u{FE0F}".repeat(10);
        let clipped = clip(vec![Span::raw(sun)], 7, Some(Span::raw("…")));
        assert!(spans_width(&clipped) <= 7, "{clipped:?}");
        let long = "x".repeat(100_000);
        let clipped = clip(vec![Span::raw(long)], 80, Some(Span::raw("…")));
        assert_eq!(plain(&[clipped]), [format!("{}…", "x".repeat(79))]);
    }

    #[test]
    fn tabs_expand_to_stops() {
        let mut col = 0;
        assert_eq!(sanitize_code("a\tb", &mut col), "a   b");
        assert_eq!(col, 5);
        assert_eq!(sanitize("a\u{1b}[31m"), "a\u{FFFD}[31m");
    }
}
