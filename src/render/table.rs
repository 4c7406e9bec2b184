//! GitHub tables: columns sized to their content, shrunk (cells wrap) to fit the width, aligned
//! per the delimiter row, header bold, box-drawing separators between columns.

use pulldown_cmark::Alignment;
use ratatui::text::Span;

use super::cells::{clip, spans_width, trim_end, width};
use super::theme::Theme;
use super::wrap::{LinkCells, Piece, wrap_linked};

/// Columns never shrink below this (unless the natural width is smaller).
const MIN_COLUMN: usize = 3;
const SEPARATOR: &str = " │ ";

#[derive(Debug)]
pub(super) struct TableState {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<Vec<Piece>>>,
    header_rows: usize,
    current: Vec<Vec<Piece>>,
}

impl TableState {
    pub(super) fn new(alignments: Vec<Alignment>) -> TableState {
        TableState {
            alignments,
            rows: Vec::new(),
            header_rows: 0,
            current: Vec::new(),
        }
    }

    pub(super) fn push_cell(&mut self, cell: Vec<Piece>) {
        self.current.push(cell);
    }

    pub(super) fn end_row(&mut self, header: bool) {
        self.rows.push(std::mem::take(&mut self.current));
        if header {
            self.header_rows = self.rows.len();
        }
    }

    /// Column widths that fit `max` columns: natural widths, widest shrunk first.
    fn column_widths(&self, columns: usize, max: usize) -> Vec<usize> {
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (c, cell) in row.iter().enumerate() {
                widths[c] = widths[c].max(cell_width(cell));
            }
        }
        let separators = width(SEPARATOR) * columns.saturating_sub(1);
        let mut total: usize = widths.iter().sum::<usize>() + separators;
        while total > max {
            let widest = widths
                .iter()
                .enumerate()
                .filter(|(_, w)| **w > MIN_COLUMN)
                .max_by_key(|(_, w)| **w)
                .map(|(i, _)| i);
            let Some(i) = widest else { break };
            widths[i] -= 1;
            total -= 1;
        }
        widths
    }

    /// The table's rows, and where link text landed in them.
    pub(super) fn render(
        &self,
        max: usize,
        theme: &Theme,
    ) -> (Vec<Vec<Span<'static>>>, Vec<LinkCells>) {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.alignments.len());
        if columns == 0 {
            return (Vec::new(), Vec::new());
        }
        let widths = self.column_widths(columns, max);
        let mut out = Vec::new();
        let mut links = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let header = r < self.header_rows;
            let cells: Vec<(Vec<Vec<Span<'static>>>, Vec<LinkCells>)> = (0..columns)
                .map(|c| {
                    let pieces = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                    let (mut rows, links) = wrap_linked(pieces, widths[c].max(1));
                    if header {
                        for span in rows.iter_mut().flatten() {
                            span.style = theme.table_header.patch(span.style);
                        }
                    }
                    (rows, links)
                })
                .collect();
            let height = cells.iter().map(|(rows, _)| rows.len()).max().unwrap_or(1);
            for line in 0..height {
                let mut spans = Vec::new();
                for (c, (cell, cell_links)) in cells.iter().enumerate() {
                    if c > 0 {
                        spans.push(Span::styled(SEPARATOR, theme.table_border));
                    }
                    let content = cell.get(line).cloned().unwrap_or_default();
                    let align = self.alignments.get(c).copied().unwrap_or(Alignment::None);
                    let (padded, left) = pad(content, widths[c], align);
                    let offset = spans_width(&spans) + left;
                    for link in cell_links.iter().filter(|l| l.row == line) {
                        links.push(LinkCells {
                            row: out.len(),
                            columns: offset + link.columns.start..offset + link.columns.end,
                            link: link.link,
                        });
                    }
                    spans.extend(padded);
                }
                out.push(finish(spans, max));
            }
            if header && r + 1 == self.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                let rule = rule.join("─┼─");
                out.push(finish(vec![Span::styled(rule, theme.table_border)], max));
            }
        }
        (out, links)
    }
}

fn cell_width(cell: &[Piece]) -> usize {
    cell.iter()
        .map(|p| match p {
            Piece::Text(t, _) => width(t),
            Piece::Break | Piece::LinkStart(_) | Piece::LinkEnd => 0,
        })
        .sum()
}

/// The cell content padded to the column width, and the padding on its left.
fn pad(
    content: Vec<Span<'static>>,
    column: usize,
    align: Alignment,
) -> (Vec<Span<'static>>, usize) {
    let free = column.saturating_sub(spans_width(&content));
    let (left, right) = match align {
        Alignment::Right => (free, 0),
        Alignment::Center => (free / 2, free - free / 2),
        Alignment::Left | Alignment::None => (0, free),
    };
    let mut spans = Vec::new();
    if left > 0 {
        spans.push(Span::raw(" ".repeat(left)));
    }
    spans.extend(content);
    if right > 0 {
        spans.push(Span::raw(" ".repeat(right)));
    }
    (spans, left)
}

/// Trailing padding is dropped; a row still too wide (many columns) is cut with `…`.
fn finish(mut spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    trim_end(&mut spans, true);
    clip(spans, max, Some(Span::raw("…")))
}
