//! The index of supported markdown: what the writer does when each block or inline tag
//! starts and ends (exhaustive matches, so a new pulldown-cmark tag does not go unnoticed).

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::Span;

use super::boxes::alert_spec;
use super::table::TableState;
use super::writer::{Container, Leaf, ListState, Writer};

impl Writer<'_> {
    pub(super) fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        if self.details_pending.is_some() && !matches!(tag, Tag::HtmlBlock) {
            self.open_pending_details();
        }
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
            // A GitHub alert (`> [!NOTE]`): a box titled with its kind.
            Tag::BlockQuote(Some(kind)) => self.open_box(&alert_spec(kind), range.start),
            Tag::BlockQuote(None) => {
                self.flush_inline(Style::new());
                self.begin_block();
                self.containers.push(Container::Quote);
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
                    start: range.start,
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
            Tag::Link { dest_url, .. } => self.start_link(&dest_url),
            Tag::Image { dest_url, .. } => {
                self.push_style(self.theme.image);
                self.push_inline("[image: ", self.theme.image);
                self.images.push((dest_url.to_string(), self.inline.len()));
            }
            Tag::MetadataBlock(_) => self.leaf = Leaf::Metadata,
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush_inline(Style::new());
                self.pending_blank = true;
            }
            TagEnd::Heading(level) => self.heading(level),
            TagEnd::BlockQuote(Some(_)) => {
                self.close_inner_boxes();
                self.close_box();
            }
            TagEnd::BlockQuote(None) => {
                self.flush_inline(Style::new());
                self.close_inner_boxes();
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
                self.close_inner_boxes();
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
                self.close_inner_boxes();
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
}
