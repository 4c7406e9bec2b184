//! Where things are: the screen's areas, and the main pane's document (chapter rows with the
//! requires banner on top and each step's output box spliced in after its code block). Shared
//! by the view (to draw) and `update` (to scroll a step into view, to map a click).

use ratatui::layout::Rect;

use super::state::App;
use super::view::banner;
use super::view::output_box::OutputBlock;
use super::view::task_card;
use crate::render::output::OUTPUT_MAX_ROWS;

/// Below this the UI asks for a larger terminal.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub sidebar: Rect,
    pub main: Rect,
    /// Inside `main`: the document column (after the focus gutter, before the scrollbar).
    pub content: Rect,
    pub status: Rect,
}

pub fn sidebar_width(width: u16) -> u16 {
    match width {
        0..90 => 24,
        90..130 => 30,
        _ => 34,
    }
}

pub fn areas(width: u16, height: u16) -> Areas {
    let body_h = height.saturating_sub(2);
    let side_w = sidebar_width(width).min(width);
    let main = Rect::new(side_w, 1, width.saturating_sub(side_w), body_h);
    Areas {
        header: Rect::new(0, 0, width, 1.min(height)),
        sidebar: Rect::new(0, 1, side_w, body_h),
        main,
        content: Rect::new(
            main.x + 2,
            main.y,
            main.width.saturating_sub(4),
            main.height,
        ),
        status: Rect::new(0, height.saturating_sub(1), width, 1.min(height)),
    }
}

/// The width the chapter is rendered at.
pub fn chapter_width(width: u16, height: u16) -> u16 {
    areas(width, height).content.width.max(20)
}

/// Rows of the main pane.
pub fn viewport_rows(app: &App) -> usize {
    areas(app.view.width, app.view.height).main.height as usize
}

#[derive(Debug, Clone)]
pub enum Segment {
    /// The failing `requires` of the chapter.
    Banner,
    /// Rows `from..to` of the rendered chapter.
    Chapter { from: usize, to: usize },
    /// The "Your turn" card of the task at `step`, under its check.
    Task {
        step: usize,
        lines: Vec<ratatui::text::Line<'static>>,
    },
    /// The output box of the chapter's step `step`.
    Output {
        step: usize,
        block: Box<OutputBlock>,
    },
}

#[derive(Debug, Clone)]
pub struct Placed {
    /// First document row of the segment.
    pub top: usize,
    pub rows: usize,
    pub segment: Segment,
}

/// Document rows of a step: its header row up to the end of its output box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRows {
    pub step: usize,
    pub header: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Default)]
pub struct DocLayout {
    pub placed: Vec<Placed>,
    pub steps: Vec<StepRows>,
    pub total: usize,
}

impl DocLayout {
    pub fn step_at(&self, row: usize) -> Option<usize> {
        self.steps
            .iter()
            .find(|s| (s.header..s.end).contains(&row))
            .map(|s| s.step)
    }

    pub fn rows_of(&self, step: usize) -> Option<StepRows> {
        self.steps.iter().copied().find(|s| s.step == step)
    }
}

/// Lays out the current chapter as cached in `app.render_cache` (call `ensure_rendered` first).
pub fn doc_layout(app: &App) -> DocLayout {
    let mut layout = DocLayout::default();
    let Some(chapter) = app.current_chapter() else {
        return layout;
    };
    let width = chapter_width(app.view.width, app.view.height) as usize;
    let max_rows = OUTPUT_MAX_ROWS.min((viewport_rows(app) / 2).max(3));
    let mut top = 0;
    let banner_rows = banner::chapter_banner(app, width).len();
    if banner_rows > 0 {
        layout.placed.push(Placed {
            top,
            rows: banner_rows,
            segment: Segment::Banner,
        });
        top += banner_rows;
    }
    let rendered = &app.render_cache.chapter;
    let mut from = 0;
    let mut anchors = rendered.anchors.clone();
    anchors.sort_by_key(|a| a.output_row);
    for anchor in &anchors {
        let to = anchor.output_row.min(rendered.lines.len()).max(from);
        let chapter_top = top;
        if to > from {
            layout.placed.push(Placed {
                top,
                rows: to - from,
                segment: Segment::Chapter { from, to },
            });
            top += to - from;
        }
        let header = chapter_top + anchor.header_row.saturating_sub(from);
        if let Some(step) = chapter.steps.get(anchor.step_index).filter(|s| s.is_task()) {
            let lines = task_card::card_lines(app, chapter, step, width);
            let rows = lines.len();
            let segment = Segment::Task {
                step: anchor.step_index,
                lines,
            };
            layout.placed.push(Placed { top, rows, segment });
            top += rows;
        }
        let block = chapter
            .steps
            .get(anchor.step_index)
            .and_then(|step| app.run_of(step))
            .map(|run| OutputBlock::build(app, run, width, max_rows));
        if let Some(block) = block {
            let rows = block.height();
            let segment = Segment::Output {
                step: anchor.step_index,
                block: Box::new(block),
            };
            layout.placed.push(Placed { top, rows, segment });
            top += rows;
        }
        layout.steps.push(StepRows {
            step: anchor.step_index,
            header,
            end: top,
        });
        from = to;
    }
    if rendered.lines.len() > from {
        let rows = rendered.lines.len() - from;
        layout.placed.push(Placed {
            top,
            rows,
            segment: Segment::Chapter {
                from,
                to: rendered.lines.len(),
            },
        });
        top += rows;
    }
    layout.total = top;
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_areas_tile_the_screen() {
        for (w, h) in [(60, 15), (80, 24), (120, 40), (200, 60)] {
            let a = areas(w, h);
            assert_eq!(a.sidebar.width + a.main.width, w, "{w}x{h}");
            assert_eq!(
                a.header.height + a.main.height + a.status.height,
                h,
                "{w}x{h}"
            );
            assert!(
                a.content.x > a.main.x && a.content.right() < a.main.right(),
                "gutter and scrollbar"
            );
        }
        assert!(too_small(59, 40) && too_small(120, 14) && !too_small(60, 15));
    }
}
