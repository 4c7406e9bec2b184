//! Drawing of whole blocks for the writer: container prefixes, blank rows, code blocks and
//! steps, HTML blocks, tables and footnotes.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::cells::{clip, sanitize, spans_width, trim_end};
use super::code_rows::CodeBody;
use super::highlight::lang_token;
use super::step::{StepBadge, step_header};
use super::wrap::{LinkCells, Piece, wrap_urls};
use super::writer::{Container, Leaf, Parked, Writer};
use super::{LinkRegion, RenderOptions, StepAnchor};

/// Prose keeps at least this many columns however deep the quotes and lists nest.
const MIN_CONTENT: usize = 10;

impl Writer<'_> {
    fn prefix_width(&self) -> usize {
        let full: usize = self
            .containers
            .iter()
            .map(|c| match c {
                Container::Quote | Container::Box { .. } => 2,
                Container::Item { width, .. } => *width,
            })
            .sum();
        full.min(self.width.saturating_sub(MIN_CONTENT.min(self.width)))
    }

    /// Columns left for content inside the current containers.
    pub(super) fn content_width(&self) -> usize {
        (self.width - self.prefix_width()).max(1)
    }

    /// The container prefix of the next row; list markers show on an item's first row only.
    pub(super) fn prefix(&mut self, blank: bool) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => spans.push(Span::styled("│ ", self.theme.quote_bar)),
                Container::Box { border, .. } => spans.push(Span::styled("│ ", *border)),
                Container::Item {
                    marker,
                    width,
                    fresh,
                } => {
                    if *fresh && !blank {
                        spans.extend(marker.iter().cloned());
                        *fresh = false;
                    } else {
                        spans.push(Span::raw(" ".repeat(*width)));
                    }
                }
            }
        }
        if blank {
            trim_end(&mut spans, false);
        }
        clip(spans, self.prefix_width(), None)
    }

    /// Appends one row with the container prefix; never wider than the width. Returns the
    /// width of the prefix.
    pub(super) fn emit(&mut self, content: Vec<Span<'static>>) -> usize {
        self.emit_row(content, true)
    }

    /// [`Self::emit`]; without `clip`, a row wider than the width stays whole (a URL).
    fn emit_row(&mut self, content: Vec<Span<'static>>, clip_wide: bool) -> usize {
        let mut spans = self.prefix(false);
        let prefix_width = spans_width(&spans);
        // Outside containers the content is the row: no copy into the prefix's `Vec`.
        if spans.is_empty() {
            spans = content;
        } else {
            spans.extend(content);
        }
        let spans = if clip_wide && spans_width(&spans) > self.width {
            clip(spans, self.width, None)
        } else {
            spans
        };
        // Inside a closed fold nothing is drawn.
        if !self.in_closed_fold() {
            self.lines.push(Line::from(spans));
        }
        prefix_width
    }

    /// Word-wraps inline content to the content width and appends its rows, noting where
    /// link text landed.
    pub(super) fn emit_wrapped(&mut self, pieces: &[Piece]) {
        let (rows, cells) = wrap_urls(pieces, self.content_width(), self.whole_urls);
        self.emit_rows(rows, cells);
    }

    /// Appends rows and turns the link cells on them into [`LinkRegion`]s.
    fn emit_rows(&mut self, rows: Vec<Vec<Span<'static>>>, cells: Vec<LinkCells>) {
        let mut cells = cells.into_iter().peekable();
        for (i, row) in rows.into_iter().enumerate() {
            let line = self.row();
            // Only a whole URL makes a row wider than the content (see `wrap_urls`).
            let prefix_width = self.emit_row(row, !self.whole_urls);
            if self.in_closed_fold() {
                continue;
            }
            while let Some(cell) = cells.next_if(|c| c.row == i) {
                let limit = if self.whole_urls {
                    usize::MAX
                } else {
                    self.width
                };
                let start = (prefix_width + cell.columns.start).min(limit);
                let end = (prefix_width + cell.columns.end).min(limit);
                let url = self.link_urls.get(cell.link as usize).cloned();
                if let Some(url) = url.filter(|_| start < end) {
                    self.links.push(LinkRegion {
                        row: line,
                        columns: start..end,
                        url,
                    });
                }
            }
        }
    }

    /// Called before a block draws its first row: one blank row separates blocks.
    pub(super) fn begin_block(&mut self) {
        if self.pending_blank && self.row() > 0 && !self.in_closed_fold() {
            let spans = self.prefix(true);
            self.lines.push(Line::from(spans));
        }
        self.pending_blank = false;
    }

    pub(super) fn code_block(&mut self) {
        let Leaf::Code { info, start, text } = std::mem::replace(&mut self.leaf, Leaf::None) else {
            return;
        };
        let lang = lang_token(&info);
        let step = if self.parked.is_none() {
            self.steps
                .iter()
                .enumerate()
                .find(|(_, s)| s.span.start == start)
        } else {
            None
        };
        if step.is_some() && self.in_closed_fold() {
            self.step_in_closed_fold();
        }
        self.begin_block();
        let header_row = self.row();
        let border = self.theme.code_border;
        match step {
            Some((_, step)) => {
                let opts = RenderOptions {
                    width: u16::try_from(self.content_width()).unwrap_or(u16::MAX),
                    color: self.opts.color,
                };
                let header = step_header(step, &StepBadge::NotRun, false, &opts);
                self.emit(header.spans);
            }
            None => {
                let mut top = vec![Span::styled("╭─", border)];
                if !lang.is_empty() {
                    top.push(Span::styled(" ", border));
                    top.push(Span::styled(sanitize(&lang), self.theme.code_label));
                }
                self.emit(top);
            }
        }
        let avail = self.content_width().saturating_sub(2);
        // Sample output and lines typed inside a container are shown dimmed: never run.
        let shown: Vec<usize> = step
            .map(|(_, s)| s.reading.shown.iter().map(|l| l.line).collect())
            .unwrap_or_default();
        let body = CodeBody {
            shown,
            avail,
            border,
            dim: self.theme.console_output,
        };
        let (rows, ready) = self.code_rows_ahead(&text, &lang);
        let first = self.row();
        let rows = body.rows(rows);
        let count = rows.len();
        for row in rows {
            self.emit(row);
        }
        if !ready {
            self.leave_hole(first, count, text, lang, body);
        }
        self.emit(vec![Span::styled("╰─", border)]);
        if let Some((step_index, _)) = step
            && !self.in_closed_fold()
        {
            self.anchors.push(StepAnchor {
                step_index,
                header_row,
                output_row: self.row(),
            });
        }
        self.pending_blank = true;
    }

    pub(super) fn html_block(&mut self) {
        let Leaf::Html { text, start } = std::mem::replace(&mut self.leaf, Leaf::None) else {
            return;
        };
        self.html_block_text(&text, start);
    }

    pub(super) fn table_end(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        self.inline.clear();
        let (rows, cells) = table.render(self.content_width(), &self.theme);
        self.begin_block();
        self.emit_rows(rows, cells);
        self.pending_blank = true;
    }

    /// Footnote definitions are drawn into their own buffer and appended at the end.
    pub(super) fn start_footnote(&mut self, label: &str) {
        self.flush_inline(Style::new());
        if self.parked.is_some() {
            return;
        }
        let parked = Parked {
            lines: std::mem::replace(&mut self.lines, std::mem::take(&mut self.footnotes)),
            links: std::mem::replace(&mut self.links, std::mem::take(&mut self.footnote_links)),
            containers: std::mem::take(&mut self.containers),
            pending_blank: self.pending_blank,
        };
        self.parked = Some(parked);
        self.pending_blank = false;
        let marker = vec![Span::styled(
            sanitize(&format!("[{label}] ")),
            self.theme.footnote_label,
        )];
        let width = spans_width(&marker);
        self.containers.push(Container::Item {
            marker,
            width,
            fresh: true,
        });
    }

    /// Back to the main output after a footnote definition.
    pub(super) fn end_footnote(&mut self) {
        self.flush_inline(Style::new());
        let Some(parked) = self.parked.take() else {
            return;
        };
        self.footnotes = std::mem::replace(&mut self.lines, parked.lines);
        self.footnote_links = std::mem::replace(&mut self.links, parked.links);
        self.containers = parked.containers;
        self.pending_blank = parked.pending_blank;
    }

    pub(super) fn finish_footnotes(&mut self) {
        if self.parked.is_some() {
            self.end_footnote();
        }
        if self.footnotes.is_empty() {
            return;
        }
        self.containers.clear();
        self.pending_blank = true;
        self.begin_block();
        let rule = "─".repeat(self.width.min(20));
        self.emit(vec![Span::styled(rule, self.theme.rule)]);
        let offset = self.row();
        let notes = std::mem::take(&mut self.footnotes);
        self.lines.extend(notes);
        for mut link in std::mem::take(&mut self.footnote_links) {
            link.row += offset;
            self.links.push(link);
        }
    }

    pub(super) fn heading(&mut self, level: HeadingLevel) {
        let (style, marker) = match level {
            HeadingLevel::H1 => (self.theme.heading1, None),
            HeadingLevel::H2 => (self.theme.heading2, None),
            HeadingLevel::H3 => (self.theme.heading3, Some("### ")),
            HeadingLevel::H4 => (self.theme.heading3, Some("#### ")),
            HeadingLevel::H5 => (self.theme.heading3, Some("##### ")),
            HeadingLevel::H6 => (self.theme.heading3, Some("###### ")),
        };
        let mut pieces: Vec<Piece> = Vec::new();
        if let Some(marker) = marker {
            pieces.push(Piece::Text(marker.into(), self.theme.heading_marker));
        }
        for piece in std::mem::take(&mut self.inline) {
            pieces.push(match piece {
                Piece::Text(t, s) => Piece::Text(t, style.patch(s)),
                other => other,
            });
        }
        self.pending_blank = true;
        self.begin_block();
        self.emit_wrapped(&pieces);
        self.pending_blank = true;
    }

    pub(super) fn rule(&mut self) {
        self.flush_inline(Style::new());
        self.begin_block();
        let width = self.content_width();
        self.emit(vec![Span::styled("─".repeat(width), self.theme.rule)]);
        self.pending_blank = true;
    }

    pub(super) fn start_item(&mut self) {
        self.flush_inline(Style::new());
        let depth = self.lists.len().saturating_sub(1);
        let text = match self.lists.last_mut() {
            Some(list) => {
                if list.items > 0 && !list.loose {
                    self.pending_blank = false;
                }
                list.items += 1;
                match &mut list.next_number {
                    Some(n) => {
                        let current = *n;
                        *n = n.saturating_add(1);
                        format!("{current:>0$}. ", list.number_width)
                    }
                    None => format!("{} ", ["•", "◦", "▪", "▹"][depth % 4]),
                }
            }
            None => "• ".to_string(),
        };
        self.begin_block();
        let style = self.theme.list_marker;
        self.push_container_item(vec![Span::styled(text, style)]);
    }

    pub(super) fn push_container_item(&mut self, marker: Vec<Span<'static>>) {
        let width = spans_width(&marker);
        self.containers.push(Container::Item {
            marker,
            width,
            fresh: true,
        });
    }
}

/// The number of items of every list, in the order the lists start.
pub(super) fn count_list_items(events: &[(Event<'_>, Range<usize>)]) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (event, _) in events {
        match event {
            Event::Start(Tag::List(_)) => {
                open.push(counts.len());
                counts.push(0);
            }
            Event::Start(Tag::Item) => {
                if let Some(&list) = open.last() {
                    counts[list] += 1;
                }
            }
            Event::End(TagEnd::List(_)) => {
                open.pop();
            }
            _ => {}
        }
    }
    counts
}
