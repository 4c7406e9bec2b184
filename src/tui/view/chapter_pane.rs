//! The main pane: the rendered chapter (cached), scrolled, with each step's header redrawn
//! with its live badge, the focused step marked in the gutter, and output boxes inline.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};

use super::super::layout::{self, Segment, doc_layout};
use super::super::state::App;
use super::super::theme::UiStyles;
use super::{banner, hyperlinks};
use crate::lesson::{Step, StepKind};
use crate::render::step_header_in_place_noting;

pub struct ChapterPane<'a> {
    pub app: &'a App,
    pub theme: UiStyles,
}

/// The rows of one segment on screen: `first..last` of the document, the segment starting at
/// document row `top`, drawn from screen row `y0`.
#[derive(Clone, Copy)]
struct Visible {
    top: usize,
    first: usize,
    last: usize,
    y0: u16,
}

impl ChapterPane<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        if app.current_chapter().is_none() {
            buf.set_string(
                area.x + 2,
                area.y + 1,
                "This course has no chapters.",
                theme.dim,
            );
            return;
        }
        let content = layout::areas(app.view.width, app.view.height).content;
        let content = Rect {
            x: content.x,
            width: content.width,
            y: area.y,
            height: area.height,
        };
        let doc = doc_layout(app);
        let view = area.height as usize;
        let scroll = app.view.scroll.min(doc.total.saturating_sub(view));
        for placed in &doc.placed {
            let (top, bottom) = (placed.top, placed.top + placed.rows);
            if bottom <= scroll || top >= scroll + view {
                continue;
            }
            let first = scroll.max(top);
            let last = (scroll + view).min(bottom);
            let y0 = content.y + (first - scroll) as u16;
            let at = Visible {
                top,
                first,
                last,
                y0,
            };
            match &placed.segment {
                Segment::Banner => {
                    let lines = banner::chapter_banner(app, content.width as usize);
                    set_lines(&lines, at, content, buf);
                }
                Segment::Chapter { from, .. } => self.chapter_rows(*from, at, content, buf),
                Segment::Task { lines, .. } => set_lines(lines, at, content, buf),
                Segment::Output { block, .. } => {
                    let rect = Rect {
                        y: y0,
                        height: (last - first) as u16,
                        ..content
                    };
                    block.render(first - top, rect, buf);
                }
            }
        }
        // The focused step: a bar in the gutter from its header to the end of its output.
        if let Some(rows) = app.focused.and_then(|f| doc.rows_of(f)) {
            for doc_row in rows.header.max(scroll)..rows.end.min(scroll + view) {
                if let Some(cell) = buf.cell_mut((area.x, content.y + (doc_row - scroll) as u16)) {
                    cell.set_symbol("▌").set_style(theme.accent);
                }
            }
        }
        if doc.total > view {
            self.scrollbar(area, doc.total, scroll, buf);
        }
    }

    /// Rows of the rendered chapter, from its row `from` at the segment's top: each step's
    /// header redrawn with its live badge, links made clickable.
    fn chapter_rows(&self, from: usize, at: Visible, content: Rect, buf: &mut Buffer) {
        let app = self.app;
        let rendered = &app.render_cache.chapter;
        let headers: HashMap<usize, usize> = rendered
            .anchors
            .iter()
            .map(|a| (a.header_row, a.step_index))
            .collect();
        let scroll_top = at.first;
        for doc_row in at.first..at.last {
            let row = from + (doc_row - at.top);
            let y = at.y0 + (doc_row - scroll_top) as u16;
            let step = app
                .current_chapter()
                .and_then(|chapter| chapter.steps.get(*headers.get(&row)?));
            match step {
                Some(step) => {
                    let line = self.step_header(row, step);
                    buf.set_line(content.x, y, &line, content.width);
                }
                None => {
                    if let Some(line) = rendered.lines.get(row) {
                        buf.set_line(content.x, y, line, content.width);
                    }
                }
            }
            if app.render_cache.hyperlinks {
                let at = (content.x, y, content.width);
                hyperlinks::link_cells(buf, at, row, &app.render_cache.links);
            }
        }
    }

    /// A step's header at rendered row `row`, with its live badge (and, when focused, where
    /// its shell starts).
    fn step_header(&self, row: usize, step: &Step) -> Line<'static> {
        let app = self.app;
        let focused = app.focused == Some(step.index);
        // In a list or quote the header keeps the container's prefix.
        let empty = Line::default();
        let rendered_row = app.render_cache.chapter.lines.get(row).unwrap_or(&empty);
        let badge = app.badge(step);
        // Where the focused step starts, when earlier steps moved.
        let shell_note = app.shell_summary();
        let note = shell_note.as_deref().filter(|_| {
            focused
                && matches!(step.kind, StepKind::Command { .. })
                && app
                    .current_chapter()
                    .is_some_and(|chapter| crate::session::shares_state(chapter, step))
        });
        let opts = app.render_options();
        let mut line =
            step_header_in_place_noting(rendered_row, step, &badge, focused, &opts, note);
        if app.run_of(step).is_none() && app.step_done(step) {
            mark_done_before(&mut line);
        }
        line
    }

    fn scrollbar(&self, area: Rect, total: usize, scroll: usize, buf: &mut Buffer) {
        let view = area.height as usize;
        let mut state = ScrollbarState::new(total.saturating_sub(view))
            .position(scroll)
            .viewport_content_length(view);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_symbol("┃")
            .track_style(self.theme.dim)
            .thumb_style(self.theme.accent)
            .render(
                area.inner(Margin {
                    horizontal: 0,
                    vertical: 0,
                }),
                buf,
                &mut state,
            );
    }
}

/// Lines of a segment drawn as they are (the chapter's banner, a task card).
fn set_lines(lines: &[Line<'_>], at: Visible, content: Rect, buf: &mut Buffer) {
    let skip = at.first - at.top;
    for (i, line) in lines.iter().enumerate().take(at.last - at.top).skip(skip) {
        let y = at.y0 + (i - skip) as u16;
        buf.set_line(content.x, y, line, content.width);
    }
}

/// A step passed in an earlier session has no duration to show: its badge says so instead of
/// a misleading `0ms`, keeping the header's width (the padding before the badge absorbs it).
pub fn mark_done_before(line: &mut ratatui::text::Line<'static>) {
    const ZERO_BADGE: &str = "✓ passed 0ms";
    const BEFORE: &str = "✓ done before";
    let Some(i) = line.spans.iter().rposition(|s| s.content == ZERO_BADGE) else {
        return;
    };
    let extra = BEFORE.chars().count() - ZERO_BADGE.chars().count();
    if let Some(pad) = i.checked_sub(1).and_then(|p| line.spans.get_mut(p))
        && pad.content.chars().all(|c| c == ' ')
        && pad.content.len() > extra
    {
        let shorter = " ".repeat(pad.content.len() - extra);
        pad.content = shorter.into();
        line.spans[i].content = BEFORE.into();
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::{Line, Span};

    #[test]
    fn a_pass_from_before_says_so_in_the_same_width() {
        let mut line = Line::from(vec![
            Span::raw("▶ Step 1"),
            Span::raw("     "),
            Span::raw("✓ passed 0ms"),
        ]);
        let width = line.width();
        super::mark_done_before(&mut line);
        assert_eq!(line.spans[2].content, "✓ done before");
        assert_eq!(line.width(), width);
    }
}
