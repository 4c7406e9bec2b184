//! Pure functions from the course model (plus step status and a width) to styled, wrapped
//! ratatui lines. No terminal, no processes.
//!
//! [`render_chapter`] returns the lines of a chapter and, for each step, the row of its header
//! and the row right after its code block, so the TUI can redraw the header with live status
//! ([`step_header`]) and insert the step's output inline. Prose is word-wrapped to the width;
//! code is highlighted and clipped, never wrapped. [`ansi::to_ansi`] and
//! [`ansi::lines_to_plain`] turn lines into text for `docker-guide show`.

pub mod ansi;
mod blocks;
mod highlight;
mod inline;
pub mod output;
mod step;
mod table;
pub mod theme;
mod wrap;
mod writer;

use std::ops::Range;

use pulldown_cmark::Parser;
use ratatui::text::{Line, Span};

use crate::lesson::{Chapter, markdown_options};

pub use ansi::{lines_to_plain, to_ansi, to_ansi_with_links};
pub use highlight::{clear_highlight_cache, enable_parallel_highlighting, is_highlighted};
pub use step::{
    SPINNER, StepBadge, format_duration, step_description, step_header, step_header_in_place,
};
pub use theme::Theme;

/// How to render: the width in columns and whether colours may be used (`false` for
/// `NO_COLOR`: only bold, reverse, underline and the like).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    pub width: u16,
    pub color: bool,
}

/// A rendered chapter: its lines and where each step sits among them.
#[derive(Debug, Clone, Default)]
pub struct RenderedChapter {
    pub lines: Vec<Line<'static>>,
    pub anchors: Vec<StepAnchor>,
}

/// Where a step sits in a [`RenderedChapter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepAnchor {
    /// Index into `Chapter::steps`.
    pub step_index: usize,
    /// Row of the step's header line (the TUI redraws it with [`step_header`]).
    pub header_row: usize,
    /// Row right after the step's code block: where the TUI inserts the step's output.
    pub output_row: usize,
}

/// Where the text of a link sits in rendered lines, so a terminal that understands OSC 8 can
/// make it clickable ([`ansi::to_ansi_with_links`]). Columns are display columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRegion {
    pub row: usize,
    pub columns: Range<usize>,
    pub url: String,
}

/// Renders a chapter's markdown with its steps shown as steps (numbered header, code block,
/// anchor).
pub fn render_chapter(chapter: &Chapter, opts: &RenderOptions) -> RenderedChapter {
    render_chapter_with_links(chapter, opts).0
}

/// [`render_chapter`], plus where each link's text landed.
pub fn render_chapter_with_links(
    chapter: &Chapter,
    opts: &RenderOptions,
) -> (RenderedChapter, Vec<LinkRegion>) {
    let parser = Parser::new_ext(&chapter.markdown, markdown_options()).into_offset_iter();
    writer::Writer::new(opts, &chapter.steps).run(parser)
}

/// Renders any markdown document (no steps).
pub fn render_markdown(markdown: &str, opts: &RenderOptions) -> Vec<Line<'static>> {
    render_markdown_with_links(markdown, opts).0
}

/// [`render_markdown`], plus where each link's text landed.
pub fn render_markdown_with_links(
    markdown: &str,
    opts: &RenderOptions,
) -> (Vec<Line<'static>>, Vec<LinkRegion>) {
    let parser = Parser::new_ext(markdown, markdown_options()).into_offset_iter();
    let (rendered, links) = writer::Writer::new(opts, &[]).run(parser);
    (rendered.lines, links)
}

/// Highlights every code block of `chapters` into the renderer's code cache, so later renders
/// (any width) skip syntect, which costs tens of microseconds per line. Meant for a worker
/// thread at start-up; returns the number of code blocks seen.
pub fn warm_up(chapters: &[Chapter], opts: &RenderOptions) -> usize {
    let theme = Theme::new(opts.color);
    let mut blocks = 0;
    for chapter in chapters {
        let events: Vec<_> = Parser::new_ext(&chapter.markdown, markdown_options()).collect();
        for (lang, code) in highlight::code_blocks(&events) {
            highlight::highlight_cached(&code, &lang, &theme);
            blocks += 1;
        }
    }
    blocks
}

/// The separator above a chapter when several are shown: `━━ 3 · Build and run ━━━…`.
pub fn chapter_banner(number: usize, chapter: &Chapter, opts: &RenderOptions) -> Line<'static> {
    let theme = Theme::new(opts.color);
    let title = wrap::sanitize(&chapter.title);
    let spans = vec![
        Span::styled("━━ ", theme.rule),
        Span::styled(format!("{number} · {title} "), theme.heading2),
        Span::styled("━".repeat(usize::from(opts.width)), theme.rule),
    ];
    Line::from(wrap::clip(spans, usize::from(opts.width), None))
}

#[cfg(test)]
mod tests;
