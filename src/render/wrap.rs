//! Word wrapping of styled inline text to a column width, measured with unicode-width the same
//! way ratatui measures a `Line` (sum of span widths), plus clipping for unwrapped lines.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

/// A run of inline content: text in one style, or a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String, Style),
    Break,
    /// The text up to the next `LinkEnd` is the text of link number `.0`.
    LinkStart(u32),
    LinkEnd,
}

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
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
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

/// A text run inside a token: text (borrowed from the pieces: a word per allocation was a
/// fifth of `show`'s time on a long document), style, and the link it belongs to.
type Part<'a> = (&'a str, Style, Option<u32>);

/// A word is a range of parts (all words share one `Vec`, where a `Vec` per word was most of
/// the wrapping's allocations) and its width; a space is the index of its one part.
enum Token {
    Word(Range<usize>, usize),
    Space(usize),
    Break,
}

fn tokenize(pieces: &[Piece]) -> (Vec<Part<'_>>, Vec<Token>) {
    let mut parts: Vec<Part> = Vec::new();
    let mut tokens = Vec::new();
    let mut word_start = 0;
    let mut word_width = 0;
    let mut link = None;
    let flush = |tokens: &mut Vec<Token>, parts: &[Part], start: &mut usize, w: &mut usize| {
        if parts.len() > *start {
            tokens.push(Token::Word(*start..parts.len(), *w));
        }
        *w = 0;
    };
    for piece in pieces {
        match piece {
            Piece::Break => {
                flush(&mut tokens, &parts, &mut word_start, &mut word_width);
                tokens.push(Token::Break);
                word_start = parts.len();
            }
            Piece::LinkStart(id) => link = Some(*id),
            Piece::LinkEnd => link = None,
            Piece::Text(text, style) => {
                let mut rest = text.as_str();
                while !rest.is_empty() {
                    let is_space = rest.starts_with(' ');
                    let end = if is_space {
                        rest.bytes().position(|b| b != b' ')
                    } else {
                        memchr::memchr(b' ', rest.as_bytes())
                    }
                    .unwrap_or(rest.len());
                    let (run, tail) = rest.split_at(end);
                    if is_space {
                        flush(&mut tokens, &parts, &mut word_start, &mut word_width);
                        tokens.push(Token::Space(parts.len()));
                        parts.push((run, *style, link));
                        word_start = parts.len();
                    } else {
                        word_width += width(run);
                        parts.push((run, *style, link));
                    }
                    rest = tail;
                }
            }
        }
    }
    flush(&mut tokens, &parts, &mut word_start, &mut word_width);
    (parts, tokens)
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

/// Where a link landed after wrapping: row index, columns, link id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkCells {
    pub row: usize,
    pub columns: std::ops::Range<usize>,
    pub link: u32,
}

/// Rows being filled, and where links landed on them. The text of the span being built
/// gathers in `text` and becomes a `String` of its own size when the style changes or the row
/// ends: growing each span's `String` word by word reallocated it again and again.
#[derive(Default)]
struct Rows {
    done: Vec<Vec<Span<'static>>>,
    row: Vec<Span<'static>>,
    text: String,
    style: Style,
    width: usize,
    links: Vec<LinkCells>,
}

impl Rows {
    fn push(&mut self, text: &str, style: Style, link: Option<u32>) {
        let w = width(text);
        if let Some(link) = link {
            let row = self.done.len();
            let start = self.width;
            match self.links.last_mut() {
                Some(last) if last.row == row && last.link == link && last.columns.end == start => {
                    last.columns.end = start + w;
                }
                _ => self.links.push(LinkCells {
                    row,
                    columns: start..start + w,
                    link,
                }),
            }
        }
        if text.is_empty() {
            return;
        }
        if style != self.style {
            self.end_span();
            self.style = style;
        }
        self.text.push_str(text);
        self.width += w;
    }

    fn end_span(&mut self) {
        if !self.text.is_empty() {
            self.row
                .push(Span::styled(self.text.as_str().to_owned(), self.style));
            self.text.clear();
        }
    }

    fn new_row(&mut self) {
        self.end_span();
        self.done.push(std::mem::take(&mut self.row));
        self.width = 0;
    }
}

/// [`wrap_linked`] without the links.
#[cfg(test)]
pub(crate) fn wrap(pieces: &[Piece], max: usize) -> Vec<Vec<Span<'static>>> {
    wrap_linked(pieces, max).0
}

/// Greedy word wrap: rows never wider than `max` (a word wider than `max` is broken between
/// characters). Spaces at a break disappear; hard breaks always start a new row. Always at
/// least one row. Also tells where the text of each link (between `LinkStart` and `LinkEnd`)
/// landed.
pub(crate) fn wrap_linked(
    pieces: &[Piece],
    max: usize,
) -> (Vec<Vec<Span<'static>>>, Vec<LinkCells>) {
    wrap_urls(pieces, max, false)
}

/// [`wrap_linked`]; with `whole_urls`, a URL wider than `max` is not broken but goes on a
/// row of its own, wider than `max` (a terminal can then open or copy it).
pub(crate) fn wrap_urls(
    pieces: &[Piece],
    max: usize,
    whole_urls: bool,
) -> (Vec<Vec<Span<'static>>>, Vec<LinkCells>) {
    let max = max.max(1);
    let mut rows = Rows::default();
    let mut space: Vec<Part> = Vec::new();
    let (all_parts, tokens) = tokenize(pieces);
    for token in tokens {
        match token {
            Token::Space(part) => {
                if rows.width > 0 {
                    space.push(all_parts[part]);
                }
            }
            Token::Break => {
                rows.new_row();
                space.clear();
            }
            Token::Word(range, word_width) => {
                let parts = &all_parts[range];
                let space_width: usize = space.iter().map(|(t, _, _)| width(t)).sum();
                if rows.width > 0 && rows.width + space_width + word_width <= max {
                    for (text, style, link) in space.drain(..) {
                        rows.push(text, style, link);
                    }
                } else if rows.width > 0 {
                    rows.new_row();
                }
                space.clear();
                let whole = whole_urls && is_url(parts);
                if word_width <= max.saturating_sub(rows.width) || whole {
                    for (text, style, link) in parts {
                        rows.push(text, *style, *link);
                    }
                } else {
                    break_word(parts, max, &mut rows);
                }
            }
        }
    }
    rows.new_row();
    (rows.done, rows.links)
}

/// Whether a word is a URL (`https://…`, `www.…`), which must not be broken.
fn is_url(parts: &[Part]) -> bool {
    let first = parts
        .first()
        .map_or("", |(t, _, _)| t.trim_start_matches(['(', '<', '[', '"']));
    ["https://", "http://", "www.", "ftp://", "file://"]
        .iter()
        .any(|p| first.starts_with(p))
}

/// Places a word wider than the row character by character, starting new rows as needed.
fn break_word(parts: &[Part], max: usize, rows: &mut Rows) {
    for (text, style, link) in parts {
        // The chunk's width is counted as it grows (measuring it again per character made a
        // long word cost width × length); a lone character wider than the row still goes in.
        let mut chunk = String::new();
        let mut chunk_width = 0;
        for c in text.chars() {
            let w = char_width(c);
            if rows.width + chunk_width + w > max && !(chunk.is_empty() && rows.width == 0) {
                rows.push(&chunk, *style, *link);
                rows.new_row();
                chunk.clear();
                chunk_width = 0;
            }
            chunk.push(c);
            chunk_width += w;
        }
        rows.push(&chunk, *style, *link);
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

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string(), Style::new())
    }

    fn plain(rows: &[Vec<Span<'static>>]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_drops_them_at_breaks() {
        let rows = wrap(&[text("the quick brown fox jumps")], 10);
        assert_eq!(plain(&rows), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn breaks_words_longer_than_the_width() {
        let rows = wrap(&[text("ab abcdefghijkl")], 5);
        assert_eq!(plain(&rows), ["ab", "abcde", "fghij", "kl"]);
    }

    #[test]
    fn measures_wide_characters_and_emoji() {
        let rows = wrap(&[text("日本語の テキスト 🐳🐳🐳")], 8);
        assert_eq!(plain(&rows), ["日本語の", "テキスト", "🐳🐳🐳"]);
        for row in &rows {
            assert!(spans_width(row) <= 8);
        }
        let rows = wrap(&[text("🐳🐳🐳🐳🐳")], 3);
        assert_eq!(plain(&rows), ["🐳", "🐳", "🐳", "🐳", "🐳"]);
    }

    #[test]
    fn words_spanning_styles_stay_together() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let rows = wrap(
            &[text("aaaa "), Piece::Text("bb".into(), bold), text("cc dd")],
            6,
        );
        assert_eq!(plain(&rows), ["aaaa", "bbcc", "dd"]);
        assert_eq!(rows[1][0].style, bold);
    }

    #[test]
    fn hard_breaks_start_new_rows() {
        let rows = wrap(&[text("a"), Piece::Break, text("b")], 10);
        assert_eq!(plain(&rows), ["a", "b"]);
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
