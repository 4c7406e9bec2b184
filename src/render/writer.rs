//! The markdown writer: one struct walks pulldown-cmark's events with stacks for inline
//! styles, containers (quotes, list items: the line prefixes) and lists. Every inline run goes
//! through `inline`; every output row through `emit`, which adds the container prefixes. The
//! exhaustive matches in `start` and `end` are the index of supported markdown.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, OffsetIter, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::blocks::count_list_items;
use super::inline::is_comment;
use super::table::TableState;
use super::theme::Theme;
use super::wrap::Piece;
use super::{LinkRegion, RenderOptions, RenderedChapter, StepAnchor};
use crate::lesson::Step;

/// A block that prefixes the rows inside it.
#[derive(Debug)]
pub(super) enum Container {
    Quote,
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
    list_items: std::vec::IntoIter<usize>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(opts: &RenderOptions, steps: &'a [Step]) -> Writer<'a> {
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
        }
    }

    pub(crate) fn run(mut self, events: OffsetIter<'_>) -> (RenderedChapter, Vec<LinkRegion>) {
        let events: Vec<(Event<'_>, Range<usize>)> = events.collect();
        self.list_items = count_list_items(&events).into_iter();
        if self.opts.color && super::highlight::parallel_enabled() {
            let blocks = super::highlight::code_blocks(events.iter().map(|(e, _)| e));
            super::highlight::highlight_in_parallel(&blocks, &self.theme);
        }
        for (event, range) in events {
            self.event(event, range);
        }
        self.flush_inline(Style::new());
        self.finish_footnotes();
        let rendered = RenderedChapter {
            lines: self.lines,
            anchors: self.anchors,
        };
        (rendered, self.links)
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push_inline(&code, self.theme.code_inline),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.push_inline(&math, self.theme.code_inline)
            }
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) if is_comment(&html) => {}
            Event::InlineHtml(html) => self.push_inline(&html, self.theme.html),
            Event::FootnoteReference(label) => {
                self.push_inline(&format!("[{label}]"), self.theme.footnote_ref)
            }
            Event::SoftBreak => self.inline.push(Piece::Text(" ".into(), Style::new())),
            Event::HardBreak => self.inline.push(Piece::Break),
            Event::Rule => self.rule(),
            Event::TaskListMarker(done) => self.task_marker(done),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush_inline(Style::new());
                if matches!(self.containers.last(), Some(Container::Item { .. }))
                    && let Some(list) = self.lists.last_mut()
                {
                    list.loose = true;
                }
            }
            Tag::Heading { .. } => self.flush_inline(Style::new()),
            Tag::BlockQuote(kind) => {
                self.flush_inline(Style::new());
                self.begin_block();
                self.containers.push(Container::Quote);
                if let Some(kind) = kind {
                    // A GitHub alert (`> [!NOTE]`): its kind as a label row.
                    let label = match kind {
                        BlockQuoteKind::Note => "Note",
                        BlockQuoteKind::Tip => "Tip",
                        BlockQuoteKind::Important => "Important",
                        BlockQuoteKind::Warning => "Warning",
                        BlockQuoteKind::Caution => "Caution",
                    };
                    self.emit(vec![Span::styled(label, self.theme.alert_label)]);
                }
            }
            Tag::CodeBlock(kind) => {
                self.flush_inline(Style::new());
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.leaf = Leaf::Code {
                    info,
                    start: range.start,
                    text: String::new(),
                };
            }
            Tag::HtmlBlock => {
                self.flush_inline(Style::new());
                self.leaf = Leaf::Html {
                    text: String::new(),
                };
            }
            Tag::List(first) => {
                self.flush_inline(Style::new());
                if self.lists.last().is_some_and(|l| !l.loose) {
                    self.pending_blank = false;
                }
                let count = self.list_items.next().unwrap_or(1) as u64;
                let last = first.map(|n| n.saturating_add(count.saturating_sub(1)));
                self.lists.push(ListState {
                    next_number: first,
                    number_width: last.map_or(0, |n| n.to_string().len()),
                    loose: false,
                    items: 0,
                });
            }
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => self.start_footnote(&label),
            Tag::DefinitionList => self.flush_inline(Style::new()),
            Tag::DefinitionListTitle => self.flush_inline(Style::new()),
            Tag::DefinitionListDefinition => {
                self.flush_inline(self.theme.strong);
                self.push_container_item(vec![Span::raw("  ")]);
            }
            Tag::Table(alignments) => {
                self.flush_inline(Style::new());
                self.table = Some(TableState::new(alignments));
            }
            Tag::TableHead | Tag::TableRow => {}
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.push_style(self.theme.emphasis),
            Tag::Strong => self.push_style(self.theme.strong),
            Tag::Strikethrough => self.push_style(self.theme.strikethrough),
            Tag::Superscript | Tag::Subscript => self.push_style(Style::new()),
            Tag::Link { dest_url, .. } => {
                self.push_style(self.theme.link);
                self.open_links
                    .push((dest_url.to_string(), self.inline.len()));
                let id = u32::try_from(self.link_urls.len()).unwrap_or(u32::MAX);
                self.link_urls.push(dest_url.to_string());
                self.inline.push(Piece::LinkStart(id));
            }
            Tag::Image { dest_url, .. } => {
                self.push_style(self.theme.image);
                self.push_inline("[image: ", self.theme.image);
                self.images.push((dest_url.to_string(), self.inline.len()));
            }
            Tag::MetadataBlock(_) => self.leaf = Leaf::Metadata,
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush_inline(Style::new());
                self.pending_blank = true;
            }
            TagEnd::Heading(level) => self.heading(level),
            TagEnd::BlockQuote(_) => {
                self.flush_inline(Style::new());
                self.containers.pop();
                self.pending_blank = true;
            }
            TagEnd::CodeBlock => self.code_block(),
            TagEnd::HtmlBlock => self.html_block(),
            TagEnd::List(_) => {
                self.flush_inline(Style::new());
                self.lists.pop();
                self.pending_blank = true;
            }
            TagEnd::Item => {
                self.flush_inline(Style::new());
                self.containers.pop();
                if self.lists.last().is_some_and(|l| l.loose) {
                    self.pending_blank = true;
                }
            }
            TagEnd::FootnoteDefinition => self.end_footnote(),
            TagEnd::DefinitionList => {
                self.flush_inline(Style::new());
                self.pending_blank = true;
            }
            TagEnd::DefinitionListTitle => self.flush_inline(self.theme.strong),
            TagEnd::DefinitionListDefinition => {
                self.flush_inline(Style::new());
                self.containers.pop();
            }
            TagEnd::Table => self.table_end(),
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.end_row(true);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    table.end_row(false);
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(table) = &mut self.table {
                    table.push_cell(cell);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.styles.pop();
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::MetadataBlock(_) => self.leaf = Leaf::None,
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.leaf {
            Leaf::Code { text: code, .. } => code.push_str(text),
            Leaf::Html { text: html } => html.push_str(text),
            Leaf::Metadata => {}
            Leaf::None => {
                let text = strip_attribute_lists(text);
                if !text.is_empty() {
                    self.push_inline(&text, Style::new());
                }
            }
        }
    }

    fn html(&mut self, html: &str) {
        match &mut self.leaf {
            Leaf::Html { text } => text.push_str(html),
            _ => self.push_inline(html, self.theme.html),
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
    if !text.contains("{:") {
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
