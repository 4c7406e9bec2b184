//! The markdown writer: one struct walks pulldown-cmark's events with stacks for inline
//! styles, containers (quotes, list items: the line prefixes) and lists. Every inline run goes
//! through `inline`; every output row through `emit`, which adds the container prefixes. The
//! exhaustive matches in `start` and `end` are the index of supported markdown.

use std::collections::{BTreeSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::Event;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::ahead::Hole;
use super::blocks::count_list_items;
use super::boxes::{FoldPolicy, FoldRow};
use super::table::TableState;
use super::theme::Theme;
use super::wrap::Piece;
use super::{LinkRegion, RenderOptions, RenderedChapter, StepAnchor};
use crate::lesson::Step;

/// A block that prefixes the rows inside it.
#[derive(Debug)]
pub(super) enum Container {
    Quote,
    /// A titled box (`boxes`): `end` is where a sized body ends (a byte offset), `fold` the
    /// index of a collapsible one, `closed` whether its rows are hidden.
    Box {
        border: Style,
        end: Option<usize>,
        fold: Option<usize>,
        closed: bool,
    },
    /// A list item or footnote definition: the marker on its first row, then a hanging indent.
    Item {
        marker: Vec<Span<'static>>,
        width: usize,
        fresh: bool,
    },
}

#[derive(Debug)]
pub(super) struct ListState {
    pub next_number: Option<u64>,
    /// Loose lists (items holding paragraphs) keep a blank row between items.
    pub loose: bool,
    pub items: usize,
    /// Digits of the list's last number: numbers are right-aligned so the text lines up.
    pub number_width: usize,
}

/// The main output, set aside while a footnote definition is drawn.
#[derive(Debug)]
pub(super) struct Parked {
    pub lines: Vec<Line<'static>>,
    pub links: Vec<LinkRegion>,
    pub containers: Vec<Container>,
    pub pending_blank: bool,
}

/// A leaf block whose text is collected before it is drawn.
#[derive(Debug)]
pub(super) enum Leaf {
    None,
    Code {
        info: String,
        start: usize,
        text: String,
    },
    Html {
        text: String,
        start: usize,
    },
    Metadata,
}

pub(crate) struct Writer<'a> {
    pub(super) theme: Theme,
    pub(super) width: usize,
    pub(super) opts: RenderOptions,
    pub(super) steps: &'a [Step],
    pub(super) lines: Vec<Line<'static>>,
    pub(super) anchors: Vec<StepAnchor>,
    pub(super) containers: Vec<Container>,
    pub(super) lists: Vec<ListState>,
    pub(super) inline: Vec<Piece>,
    pub(super) styles: Vec<Style>,
    /// Open links: destination and the index in `inline` where their text starts.
    pub(super) open_links: Vec<(String, usize)>,
    pub(super) images: Vec<(String, usize)>,
    pub(super) leaf: Leaf,
    pub(super) table: Option<TableState>,
    pub(super) pending_blank: bool,
    /// Rendered footnote definitions, shown at the end; `Some` while one is being written
    /// (the main output and containers are parked there).
    pub(super) footnotes: Vec<Line<'static>>,
    pub(super) footnote_links: Vec<LinkRegion>,
    pub(super) parked: Option<Parked>,
    /// Destinations of the links met so far; `Piece::LinkStart(n)` refers to the n-th.
    pub(super) link_urls: Vec<String>,
    pub(super) links: Vec<LinkRegion>,
    /// Item counts of the document's lists, in the order the lists start.
    pub(super) list_items: std::vec::IntoIter<usize>,
    pub(super) fold_policy: FoldPolicy<'a>,
    /// Folds seen so far (the next fold's index).
    pub(super) fold_count: usize,
    pub(super) folds: Vec<FoldRow>,
    /// Folds that hold a step: drawn open whatever the policy says.
    pub(super) force_open: BTreeSet<usize>,
    /// A step was met inside a closed fold: draw again with `force_open`.
    pub(super) redraw: bool,
    /// Depth of closed folds around the current position: rows are not drawn.
    pub(super) hidden: usize,
    /// A `<details>` waiting for its `<summary>` (`Some(open)`), and the summary being read.
    pub(super) details_pending: Option<bool>,
    pub(super) summary: Option<String>,
    /// Styles and links opened by inline HTML tags, by tag name, so a closing tag pops only
    /// what its own opening pushed.
    pub(super) html_styles: Vec<String>,
    /// Inside `<script>`, `<style>`…: the tag whose end shows text again.
    pub(super) html_hidden: Option<String>,
    /// A URL longer than the width stays whole on a row of its own (`show`); otherwise it is
    /// broken over rows that all link to it (the TUI, whose rows cannot be wider).
    pub(super) whole_urls: bool,
    /// Where finished rows go as they are drawn (`show`), with the links on them (rows counted
    /// from the first row handed over); `None`: they stay in `lines` (the TUI).
    pub(super) sink: Option<&'a mut RowSink<'a>>,
    /// Rows of the main output already handed to the sink.
    pub(super) flushed: usize,
    /// The length `lines` must reach before rows are handed over again.
    pub(super) flush_at: usize,
    /// Whether code blocks are highlighted on other threads (`show` in colour), and the
    /// blocks drawn before theirs was ready, in document order (`ahead`).
    pub(super) ahead: bool,
    pub(super) holes: VecDeque<Hole>,
}

/// Takes a batch of finished rows and the links on them (see [`Writer::sink`]).
pub(crate) type RowSink<'a> = dyn FnMut(&[Line<'static>], &[LinkRegion]) + 'a;

/// Rows gathered before they are handed to a sink: enough to make each hand-over cheap, few
/// enough that a long document's rows are never all held (memory is reused, not grown).
pub(super) const ROWS_PER_BATCH: usize = 256;

impl<'a> Writer<'a> {
    pub(crate) fn new(
        opts: &RenderOptions,
        steps: &'a [Step],
        fold_policy: FoldPolicy<'a>,
        force_open: BTreeSet<usize>,
    ) -> Writer<'a> {
        Writer {
            theme: Theme::new(opts.color),
            width: usize::from(opts.width).max(1),
            opts: *opts,
            steps,
            lines: Vec::new(),
            anchors: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            inline: Vec::new(),
            styles: Vec::new(),
            open_links: Vec::new(),
            images: Vec::new(),
            leaf: Leaf::None,
            table: None,
            pending_blank: false,
            footnotes: Vec::new(),
            footnote_links: Vec::new(),
            parked: None,
            link_urls: Vec::new(),
            links: Vec::new(),
            list_items: Vec::new().into_iter(),
            fold_policy,
            fold_count: 0,
            folds: Vec::new(),
            force_open,
            redraw: false,
            hidden: 0,
            details_pending: None,
            summary: None,
            html_styles: Vec::new(),
            html_hidden: None,
            whole_urls: false,
            sink: None,
            flushed: 0,
            flush_at: ROWS_PER_BATCH,
            ahead: false,
            holes: VecDeque::new(),
        }
    }

    /// The index the next row of the main output will have (or, while a footnote definition
    /// is drawn, of the footnotes' next row).
    pub(super) fn row(&self) -> usize {
        if self.parked.is_some() {
            self.lines.len()
        } else {
            self.flushed + self.lines.len()
        }
    }

    /// Hands the final rows drawn so far to the sink, if there is one: all but those from the
    /// first code block still waiting for its highlighting on (`ahead`). Not while a footnote
    /// definition is drawn: `lines` then holds the footnotes, shown at the end.
    fn flush_rows(&mut self) {
        if self.sink.is_none() || self.parked.is_some() {
            return;
        }
        self.fill_holes(false);
        let count = self.final_rows();
        let end = self.flushed + count;
        // Links are pushed with their rows, in order.
        let links = self.links.partition_point(|link| link.row < end);
        for link in &mut self.links[..links] {
            link.row -= self.flushed;
        }
        if let Some(sink) = self.sink.as_mut() {
            sink(&self.lines[..count], &self.links[..links]);
        }
        self.flushed = end;
        self.lines.drain(..count);
        self.links.drain(..links);
        self.flush_at = self.lines.len() + ROWS_PER_BATCH;
    }

    /// Draws the events. The third value is `Some(folds)` when steps sat inside closed folds:
    /// draw again with those folds open.
    pub(crate) fn run(
        mut self,
        events: &[(Event<'_>, Range<usize>)],
    ) -> (RenderedChapter, Vec<LinkRegion>, Option<BTreeSet<usize>>) {
        self.list_items = count_list_items(events).into_iter();
        self.start_ahead(|| {
            let events = events.iter().map(|(e, _)| e);
            super::highlight::code_blocks_where(events, super::highlight::has_grammar)
        });
        // Cloned one by one: most hold text borrowed from the markdown (a pointer copy).
        for (event, range) in events {
            self.event(event.clone(), range.clone());
            if self.lines.len() >= self.flush_at && self.sink.is_some() {
                self.flush_rows();
            }
        }
        self.open_pending_details();
        while self
            .containers
            .iter()
            .any(|c| matches!(c, Container::Box { .. }))
        {
            if matches!(self.containers.last(), Some(Container::Box { .. })) {
                self.close_box();
            } else {
                self.containers.pop();
            }
        }
        self.flush_inline(Style::new());
        self.finish_footnotes();
        self.fill_holes(true);
        self.flush_rows();
        let rendered = RenderedChapter {
            lines: self.lines,
            anchors: self.anchors,
            folds: self.folds,
        };
        let redraw = self.redraw.then_some(self.force_open);
        (rendered, self.links, redraw)
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if !self.containers.is_empty() {
            self.close_ended_boxes(range.start);
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push_inline(&code, self.theme.code_inline),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.push_inline(&math, self.theme.code_inline)
            }
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::FootnoteReference(label) => {
                self.push_inline(&format!("[{label}]"), self.theme.footnote_ref)
            }
            Event::SoftBreak => self.inline.push(Piece::Text(" ".into(), Style::new())),
            Event::HardBreak => self.inline.push(Piece::Break),
            Event::Rule => self.rule(),
            Event::TaskListMarker(done) => self.task_marker(done),
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.leaf {
            Leaf::Code { text: code, .. } => code.push_str(text),
            Leaf::Html { text: html, .. } => html.push_str(text),
            Leaf::Metadata => {}
            Leaf::None if self.summary.is_some() => {
                if let Some(summary) = &mut self.summary {
                    summary.push_str(text);
                }
            }
            Leaf::None => {
                self.open_pending_details();
                let text = strip_attribute_lists(text);
                if !text.is_empty() {
                    self.push_prose(&text);
                }
            }
        }
    }

    fn html(&mut self, html: &str) {
        match &mut self.leaf {
            Leaf::Html { text, .. } => text.push_str(html),
            _ => self.inline_html(html),
        }
    }

    /// Draws the collected inline content as a paragraph (each run patched onto `base`).
    pub(super) fn flush_inline(&mut self, base: Style) {
        if self.inline.is_empty() || self.table.is_some() {
            return;
        }
        let pieces: Vec<Piece> = std::mem::take(&mut self.inline)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t, s) => Piece::Text(t, base.patch(s)),
                other => other,
            })
            .collect();
        self.begin_block();
        self.emit_wrapped(&pieces);
    }
}

/// Prose without kramdown attribute lists (`{: .text-center }`, `{: style="width:50%" }`):
/// Jekyll sites such as Docker's docs put them after images and paragraphs; they style the
/// web page and are noise in a terminal.
pub(crate) fn strip_attribute_lists(text: &str) -> std::borrow::Cow<'_, str> {
    // A byte search: `contains("{:")` set up a two-way searcher for every text event.
    let bytes = text.as_bytes();
    if !memchr::memchr_iter(b'{', bytes).any(|i| bytes.get(i + 1) == Some(&b':')) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{:") {
        match rest[start..].find('}') {
            Some(len) if !rest[start..start + len].contains('\n') => {
                out.push_str(&rest[..start]);
                rest = &rest[start + len + 1..];
            }
            _ => break,
        }
    }
    out.push_str(rest);
    if out.trim().is_empty() {
        out.clear();
    }
    std::borrow::Cow::Owned(out)
}
