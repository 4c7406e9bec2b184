//! Pure functions from the course model (plus step status and a width) to styled, wrapped
//! ratatui lines. No terminal, no processes.
//!
//! [`render_chapter`] returns the lines of a chapter and, for each step, the row of its header
//! and the row right after its code block, so the TUI can redraw the header with live status
//! ([`step_header`]) and insert the step's output inline. Prose is word-wrapped to the width
//! (a URL is never broken inside a word); code is highlighted and wrapped with a continuation
//! mark. Admonitions, alerts, callouts, tabs and `<details>` are titled boxes (`boxes`), HTML
//! is read as a page reader sees it (`html`). [`stream_chapter`] hands `docker-guide show` its
//! rows in batches, which [`ansi::push_ansi_with_links`] and [`ansi::push_plain`] turn into
//! text.

mod ahead;
pub mod ansi;
mod blocks;
mod boxes;
mod cells;
mod code_lines;
mod code_rows;
mod fences;
mod highlight;
mod highlight_ahead;
mod highlight_cache;
mod html;
mod html_tokens;
mod inline;
pub mod output;
mod precomputed;
mod step;
mod table;
mod tags;
pub mod theme;
mod wrap;
mod writer;

use std::collections::BTreeSet;
use std::ops::Range;

use ratatui::text::{Line, Span};

use crate::lesson::{Chapter, Markdown};

pub use ansi::{
    hyperlinks_supported, lines_to_plain, osc8_hyperlink, push_ansi_with_links, push_plain,
    to_ansi, to_ansi_with_links,
};
pub use boxes::{FoldPolicy, FoldRow};
pub use highlight::is_highlighted;
pub use highlight_ahead::highlight_ahead_of;
pub use highlight_cache::{clear_highlight_cache, enable_parallel_highlighting};
pub use step::{
    SPINNER, StepBadge, format_duration, step_description, step_header, step_header_in_place,
    step_header_in_place_noting,
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
    /// The title rows of collapsible blocks (`<details>`, `???`), in document order.
    pub folds: Vec<FoldRow>,
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
/// Every row fits the width and every fold is drawn open.
pub fn render_chapter(chapter: &Chapter, opts: &RenderOptions) -> RenderedChapter {
    render_folded(
        &chapter.markdown,
        opts,
        &chapter.steps,
        FoldPolicy::AllOpen,
        false,
    )
    .0
}

/// [`render_chapter`] as `show` draws it, all rows at once ([`stream_chapter`] hands them out
/// in batches), plus where each link's text landed: a URL longer than the width is not broken
/// but gets a row of its own, wider than the width, so that the terminal can open and copy it.
pub fn render_chapter_with_links(
    chapter: &Chapter,
    opts: &RenderOptions,
) -> (RenderedChapter, Vec<LinkRegion>) {
    render_folded(
        &chapter.markdown,
        opts,
        &chapter.steps,
        FoldPolicy::AllOpen,
        true,
    )
}

/// [`render_chapter_with_links`] as a stream (`show`): rows go to `sink` in batches as they are
/// drawn, each batch with the links on its rows (counted from the batch's first row), so a long
/// document never holds all its rows at once. Returns where the steps are.
pub fn stream_chapter(
    chapter: &Chapter,
    opts: &RenderOptions,
    sink: &mut dyn FnMut(&[Line<'static>], &[LinkRegion]),
) -> RenderedChapter {
    let mut writer =
        writer::Writer::new(opts, &chapter.steps, FoldPolicy::AllOpen, BTreeSet::new());
    writer.whole_urls = true;
    writer.lines.reserve(2 * writer::ROWS_PER_BATCH);
    writer.sink = Some(sink);
    // Every fold is open: no step sits in a closed one, so there is no second pass.
    writer.run(chapter.markdown.events()).0
}

/// [`render_chapter_with_links`] with folds open or closed as `folds` says (the TUI). A fold
/// that holds a step is always open.
pub fn render_chapter_folded(
    chapter: &Chapter,
    opts: &RenderOptions,
    folds: FoldPolicy<'_>,
) -> (RenderedChapter, Vec<LinkRegion>) {
    render_folded(&chapter.markdown, opts, &chapter.steps, folds, false)
}

fn render_folded(
    markdown: &Markdown,
    opts: &RenderOptions,
    steps: &[crate::lesson::Step],
    folds: FoldPolicy<'_>,
    whole_urls: bool,
) -> (RenderedChapter, Vec<LinkRegion>) {
    let writer = |force_open| {
        let mut writer = writer::Writer::new(opts, steps, folds, force_open);
        writer.whole_urls = whole_urls;
        // A row per 24 bytes of markdown in the CommonMark spec at 100 columns, ~1 per 40 in
        // the official course (sized for one per 20): growing the rows' `Vec` copied it a
        // dozen times.
        writer.lines.reserve(markdown.len() / 20);
        writer
    };
    let events = markdown.events();
    let (rendered, links, redraw) = writer(BTreeSet::new()).run(events);
    match redraw {
        Some(force_open) => {
            let (rendered, links, _) = writer(force_open).run(events);
            (rendered, links)
        }
        None => (rendered, links),
    }
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
    // A chapter's markdown is normalised when it is parsed; any other text is done here.
    let markdown = Markdown::new(crate::lesson::foreign::normalize(markdown).into_owned());
    let (rendered, links) = render_folded(&markdown, opts, &[], FoldPolicy::AllOpen, false);
    (rendered.lines, links)
}

/// One paragraph of plain prose word-wrapped to `width` columns, as the renderer wraps a
/// paragraph's text (no markdown read, no links). `benches/render_wrap.rs` measures it
/// against the `textwrap` crate (#14).
pub fn wrap_prose(text: &str, width: u16) -> Vec<Line<'static>> {
    let pieces = [wrap::Piece::Text(
        text.to_string(),
        ratatui::style::Style::new(),
    )];
    wrap::wrap_linked(&pieces, usize::from(width).max(1))
        .0
        .into_iter()
        .map(Line::from)
        .collect()
}

/// Display width of a terminal cell's text, in columns (as the renderer measures it).
pub fn symbol_width(symbol: &str) -> u16 {
    u16::try_from(cells::width(symbol)).unwrap_or(u16::MAX)
}

/// Highlights every code block of `chapters` into the renderer's code cache, so later renders
/// (any width) skip syntect, which costs tens of microseconds per line. Meant for a worker
/// thread at start-up; returns the number of code blocks highlighted (none without colour).
pub fn warm_up(chapters: &[Chapter], opts: &RenderOptions) -> usize {
    let theme = Theme::new(opts.color);
    if !theme.color {
        // Without colour the renderer does not use the cache (`code_rows`).
        return 0;
    }
    let mut blocks = 0;
    for chapter in chapters {
        let events = chapter.markdown.events().iter().map(|(event, _)| event);
        for (lang, code) in highlight::code_blocks(events) {
            highlight::highlight_cached(&code, &lang, &theme);
            blocks += 1;
        }
    }
    blocks
}

/// The separator above a chapter when several are shown: `━━ 3 · Build and run ━━━…`.
pub fn chapter_banner(number: usize, chapter: &Chapter, opts: &RenderOptions) -> Line<'static> {
    let theme = Theme::new(opts.color);
    let title = cells::sanitize(&chapter.title);
    let spans = vec![
        Span::styled("━━ ", theme.rule),
        Span::styled(format!("{number} · {title} "), theme.heading2),
        Span::styled("━".repeat(usize::from(opts.width)), theme.rule),
    ];
    Line::from(cells::clip(spans, usize::from(opts.width), None))
}

#[cfg(test)]
mod tests;
