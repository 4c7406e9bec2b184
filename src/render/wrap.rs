//! Word wrapping of styled inline text to a column width, measured as `cells` measures (the
//! way ratatui measures a `Line`: the sum of its span widths).

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;

use super::cells::{char_width, width};

/// A run of inline content: text in one style, or a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String, Style),
    Break,
    /// The text up to the next `LinkEnd` is the text of link number `.0`.
    LinkStart(u32),
    LinkEnd,
}

/// A text run inside a token: text (borrowed from the pieces: a word per allocation was a
/// fifth of `show`'s time on a long document), style, the link it belongs to, and its width
/// (measured once, when the text is cut into words).
type Part<'a> = (&'a str, Style, Option<u32>, usize);

/// A word is a range of parts (all words share one `Vec`, where a `Vec` per word was most of
/// the wrapping's allocations) and its width; a space is the index of its one part.
enum Token {
    Word(Range<usize>, usize),
    Space(usize),
    Break,
}

fn tokenize(pieces: &[Piece]) -> (Vec<Part<'_>>, Vec<Token>) {
    // Sized up front for a word and a space per ~8 bytes of text, as prose runs: growing them
    // by doubling was a fifth of the wrapping on a long document.
    let guess = text_bytes(pieces) / 8 + pieces.len() + 1;
    let mut parts: Vec<Part> = Vec::with_capacity(guess);
    let mut tokens = Vec::with_capacity(guess);
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
                    // A byte loop, not memchr: words are short, and setting up memchr's
                    // vectorised search per word cost more than it saved (0.55 M instructions
                    // on `show --plain` of the CommonMark spec).
                    let end = if is_space {
                        rest.bytes().position(|b| b != b' ')
                    } else {
                        rest.bytes().position(|b| b == b' ')
                    }
                    .unwrap_or(rest.len());
                    let (run, tail) = rest.split_at(end);
                    if is_space {
                        flush(&mut tokens, &parts, &mut word_start, &mut word_width);
                        tokens.push(Token::Space(parts.len()));
                        parts.push((run, *style, link, run.len()));
                        word_start = parts.len();
                    } else {
                        let run_width = width(run);
                        word_width += run_width;
                        parts.push((run, *style, link, run_width));
                    }
                    rest = tail;
                }
            }
        }
    }
    flush(&mut tokens, &parts, &mut word_start, &mut word_width);
    (parts, tokens)
}

fn text_bytes(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text, _) => text.len(),
            _ => 0,
        })
        .sum()
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
    /// Appends `text`, `w` columns wide.
    fn push(&mut self, text: &str, w: usize, style: Style, link: Option<u32>) {
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
    let (all_parts, tokens) = tokenize(pieces);
    // Sized up front: growing them row by row was 4 % of `show` on the CommonMark spec.
    let bytes = text_bytes(pieces);
    let mut rows = Rows {
        done: Vec::with_capacity(bytes / max + 1),
        text: String::with_capacity(bytes.min(max * 2)),
        ..Rows::default()
    };
    let mut space: Vec<Part> = Vec::new();
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
                let space_width: usize = space.iter().map(|part| part.3).sum();
                if rows.width > 0 && rows.width + space_width + word_width <= max {
                    for (text, style, link, w) in space.drain(..) {
                        rows.push(text, w, style, link);
                    }
                } else if rows.width > 0 {
                    rows.new_row();
                }
                space.clear();
                let whole = whole_urls && is_url(parts);
                if word_width <= max.saturating_sub(rows.width) || whole {
                    for &(text, style, link, w) in parts {
                        rows.push(text, w, style, link);
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
        .map_or("", |(t, ..)| t.trim_start_matches(['(', '<', '[', '"']));
    ["https://", "http://", "www.", "ftp://", "file://"]
        .iter()
        .any(|p| first.starts_with(p))
}

/// Places a word wider than the row character by character, starting new rows as needed.
fn break_word(parts: &[Part], max: usize, rows: &mut Rows) {
    for &(text, style, link, _) in parts {
        // The chunk's width is counted as it grows (measuring it again per character made a
        // long word cost width × length); a lone character wider than the row still goes in.
        let mut chunk = String::new();
        let mut chunk_width = 0;
        for c in text.chars() {
            let w = char_width(c);
            if rows.width + chunk_width + w > max && !(chunk.is_empty() && rows.width == 0) {
                rows.push(&chunk, width(&chunk), style, link);
                rows.new_row();
                chunk.clear();
                chunk_width = 0;
            }
            chunk.push(c);
            chunk_width += w;
        }
        rows.push(&chunk, width(&chunk), style, link);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cells::spans_width;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string(), Style::new())
    }

    use crate::render::cells::plain;

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
}
