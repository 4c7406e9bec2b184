//! A code block's rows inside its box ([`CodeBody`]). Code lines longer than the box are cut
//! into rows at the width (code has no word boundaries worth keeping), every row after the
//! first starting with a dimmed continuation mark, so nothing is hidden behind a `…` and an
//! image tag or URL can be read whole.

use ratatui::style::Style;
use ratatui::text::Span;

use super::cells::{char_width, push_text, spans_width};

/// Starts each continuation row of a wrapped code line.
pub(super) const CONTINUATION: &str = "↪ ";
const CONTINUATION_WIDTH: usize = 2;

/// `row` cut into rows: the first at most `max` columns wide, the others at most
/// `max - 2` (room for [`CONTINUATION`]). A character wider than a whole row still goes in
/// alone. Always at least one row.
pub(super) fn wrap_code_row(row: Vec<Span<'static>>, max: usize) -> Vec<Vec<Span<'static>>> {
    if spans_width(&row) <= max {
        return vec![row];
    }
    let rest_max = max.saturating_sub(CONTINUATION_WIDTH).max(1);
    let mut rows = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut limit = max.max(1);
    for span in row {
        let mut start = 0;
        for (at, c) in span.content.char_indices() {
            let w = char_width(c);
            if used + w > limit && used > 0 {
                push_text(&mut current, &span.content[start..at], span.style);
                rows.push(std::mem::take(&mut current));
                start = at;
                used = 0;
                limit = rest_max;
            }
            used += w;
        }
        push_text(&mut current, &span.content[start..], span.style);
    }
    if !current.is_empty() || rows.is_empty() {
        rows.push(current);
    }
    rows
}

/// How a code block's rows are laid out in its box: `rows` turns the highlighted rows of
/// its lines into the rows drawn between the box's top and bottom (prefixes aside).
pub(super) struct CodeBody {
    /// Lines shown dimmed (sample output, lines typed inside a container).
    pub shown: Vec<usize>,
    /// Columns for code inside the box.
    pub avail: usize,
    pub border: Style,
    pub dim: Style,
}

impl CodeBody {
    pub(super) fn rows(&self, lines: Vec<Vec<Span<'static>>>) -> Vec<Vec<Span<'static>>> {
        let mut out = Vec::with_capacity(lines.len());
        for (n, row) in lines.into_iter().enumerate() {
            let row = if self.shown.contains(&n) {
                row.into_iter()
                    .map(|s| Span::styled(s.content, self.dim))
                    .collect()
            } else {
                row
            };
            // Nothing cut: a long line goes on over rows that start with a dimmed mark.
            if spans_width(&row) <= self.avail {
                // Into the row's own `Vec`, which has room to spare for a plain row.
                let mut row = row;
                row.insert(0, Span::styled("│ ", self.border));
                out.push(row);
                continue;
            }
            for (k, part) in wrap_code_row(row, self.avail).into_iter().enumerate() {
                let mut spans = Vec::with_capacity(part.len() + 2);
                spans.push(Span::styled("│ ", self.border));
                if k > 0 {
                    spans.push(Span::styled(CONTINUATION, self.border));
                }
                spans.extend(part);
                out.push(spans);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Style};

    use super::*;

    use crate::render::cells::plain;

    #[test]
    fn short_rows_stay_whole() {
        assert_eq!(plain(&wrap_code_row(vec![Span::raw("abc")], 3)), ["abc"]);
        assert_eq!(plain(&wrap_code_row(vec![], 3)), [""]);
    }

    #[test]
    fn long_rows_continue_with_room_for_the_mark_and_keep_styles() {
        let red = Style::new().fg(Color::Red);
        let row = vec![
            Span::raw("docker run "),
            Span::styled("image:tag-long", red),
        ];
        let rows = wrap_code_row(row, 10);
        assert_eq!(plain(&rows), ["docker run", " image:t", "ag-long"]);
        assert!(
            rows[1]
                .iter()
                .any(|s| s.style == red && s.content == "image:t")
        );
        for (i, r) in rows.iter().enumerate() {
            assert!(spans_width(r) <= if i == 0 { 10 } else { 8 });
        }
    }

    #[test]
    fn wide_characters_never_split_and_huge_lines_are_linear() {
        let rows = wrap_code_row(vec![Span::raw("🐳🐳🐳🐳")], 5);
        assert_eq!(plain(&rows), ["🐳🐳", "🐳", "🐳"]);
        let long = "x".repeat(200_000);
        let rows = wrap_code_row(vec![Span::raw(long)], 80);
        assert_eq!(rows.len(), 1 + (200_000 - 80usize).div_ceil(78));
    }
}
