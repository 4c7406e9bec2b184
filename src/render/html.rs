//! HTML in markdown, as a reader of the page would see it: `<details>` becomes a fold titled
//! by its `<summary>`, `<br>` a line break, `<img alt>` its alt text, `<a href>` a link,
//! `<b>`/`<em>`/`<code>`/`<kbd>` their styles, `<hr>` a rule; layout tags (`<p align>`,
//! `<div>`, `<center>`, `<span>`…) are dropped with their text kept; comments, `<script>` and
//! `<style>` are hidden; common entities are decoded. Box markers of `lesson::foreign` (HTML
//! comments) open and close boxes.

use ratatui::style::Style;

use super::cells::sanitize;
use super::html_tokens::{Tag, Token, decode_entities, has_flag, tokenize};
use super::wrap::Piece;
use super::writer::Writer;
use crate::lesson::foreign::{BoxMarker, BoxSpec, parse_marker};

/// Tags whose content is not for reading.
const HIDDEN: [&str; 5] = ["script", "style", "svg", "noscript", "template"];
/// Tags that end a paragraph of their own.
const BLOCKS: [&str; 20] = [
    "p",
    "div",
    "center",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "blockquote",
    "ul",
    "ol",
    "table",
    "pre",
    "h1",
    "h2",
    "h3",
];

impl Writer<'_> {
    /// An HTML block: its tags interpreted, its text as a paragraph; `start` is its offset.
    pub(super) fn html_block_text(&mut self, html: &str, start: usize) {
        if let Some(marker) = parse_marker(html) {
            match marker {
                BoxMarker::Open(spec) => self.open_box(&spec, start),
                BoxMarker::Close => self.close_box(),
            }
            return;
        }
        self.flush_inline(Style::new());
        for token in tokenize(html) {
            match token {
                Token::Comment(_) => {}
                Token::Tag(tag) => self.html_tag(&tag),
                Token::Text(text) => self.html_text(text, true),
            }
        }
        self.flush_html_paragraph();
    }

    /// One inline HTML tag (or comment) inside markdown text.
    pub(super) fn inline_html(&mut self, html: &str) {
        if let Some(marker) = parse_marker(html) {
            match marker {
                BoxMarker::Open(spec) => self.open_box(&spec, usize::MAX),
                BoxMarker::Close => self.close_box(),
            }
            return;
        }
        for token in tokenize(html) {
            match token {
                Token::Comment(_) => {}
                Token::Tag(tag) => self.html_tag(&tag),
                Token::Text(text) => self.html_text(text, false),
            }
        }
    }

    /// Text inside HTML: white space collapses as a browser collapses it.
    fn html_text(&mut self, text: &str, block: bool) {
        if self.html_hidden.is_some() {
            return;
        }
        let text = decode_entities(text);
        let text = if block {
            let collapsed: Vec<&str> = text.split_whitespace().collect();
            let mut joined = collapsed.join(" ");
            if text.starts_with(char::is_whitespace) && !joined.is_empty() {
                joined.insert(0, ' ');
            }
            if text.ends_with(char::is_whitespace) && !joined.is_empty() {
                joined.push(' ');
            }
            joined
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        if let Some(summary) = &mut self.summary {
            summary.push_str(&text);
            return;
        }
        self.open_pending_details();
        if block && self.inline.is_empty() && text.trim().is_empty() {
            return;
        }
        self.push_inline(&text, Style::new());
    }

    /// A `<details>` whose `<summary>` never came opens when its content starts.
    pub(super) fn open_pending_details(&mut self) {
        if let Some(open) = self.details_pending.take() {
            self.open_details("Details", open);
        }
    }

    fn open_details(&mut self, title: &str, open: bool) {
        let spec = BoxSpec {
            kind: "details".into(),
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            folded: Some(!open),
            len: None,
        };
        self.open_box(&spec, usize::MAX);
    }

    fn html_tag(&mut self, tag: &Tag<'_>) {
        let name = tag.name.as_str();
        if let Some(hidden) = &self.html_hidden {
            if tag.closing && name == hidden {
                self.html_hidden = None;
            }
            return;
        }
        if HIDDEN.contains(&name) && !tag.closing {
            self.html_hidden = Some(name.to_string());
            return;
        }
        match (name, tag.closing) {
            ("details", false) => {
                self.flush_html_paragraph();
                self.open_pending_details();
                self.details_pending = Some(tag.attr("open").is_some() || has_flag(tag, "open"));
            }
            ("summary", false) => self.summary = Some(String::new()),
            ("summary", true) => {
                let title = self.summary.take().unwrap_or_default();
                let open = self.details_pending.take().unwrap_or(false);
                self.open_details(&title, open);
            }
            ("details", true) => {
                self.open_pending_details();
                self.flush_html_paragraph();
                self.close_box();
            }
            ("br", _) => {
                self.open_pending_details();
                self.inline.push(Piece::Break);
            }
            ("hr", _) => {
                self.flush_html_paragraph();
                self.rule();
            }
            ("img", _) => {
                self.open_pending_details();
                let alt = tag.attr("alt").filter(|a| !a.trim().is_empty());
                let name = alt.unwrap_or_else(|| {
                    let src = tag.attr("src").unwrap_or_default();
                    src.rsplit('/').next().unwrap_or(&src).to_string()
                });
                let style = self.theme.image;
                self.push_inline(&format!("[image: {}]", sanitize(&name)), style);
            }
            ("a", false) => {
                self.open_pending_details();
                let href = tag.attr("href").unwrap_or_default();
                self.start_link(&href);
                self.html_styles.push("a".into());
            }
            ("a", true) if self.html_styles.last().is_some_and(|s| s == "a") => {
                self.html_styles.pop();
                self.end_link();
            }
            (
                "b" | "strong" | "i" | "em" | "code" | "kbd" | "samp" | "tt" | "s" | "del"
                | "strike",
                false,
            ) => {
                let style = match name {
                    "b" | "strong" => self.theme.strong,
                    "i" | "em" => self.theme.emphasis,
                    "s" | "del" | "strike" => self.theme.strikethrough,
                    _ => self.theme.code_inline,
                };
                self.push_style(style);
                self.html_styles.push(name.to_string());
            }
            (
                "b" | "strong" | "i" | "em" | "code" | "kbd" | "samp" | "tt" | "s" | "del"
                | "strike",
                true,
            ) if self.html_styles.last().is_some_and(|s| s == name) => {
                self.html_styles.pop();
                self.styles.pop();
            }
            ("li", false) => {
                self.flush_html_paragraph();
                self.push_inline("• ", self.theme.list_marker);
            }
            ("tr", true) => self.inline.push(Piece::Break),
            ("td" | "th", true) => self.push_inline("  ", Style::new()),
            (name, _) if BLOCKS.contains(&name) || name.starts_with('h') && name.len() == 2 => {
                self.flush_html_paragraph();
            }
            // Layout and unknown tags: dropped, their text kept.
            _ => {}
        }
    }

    /// Ends the paragraph that HTML text built so far.
    fn flush_html_paragraph(&mut self) {
        if self.inline.iter().all(|p| match p {
            Piece::Text(t, _) => t.trim().is_empty(),
            Piece::Break => true,
            Piece::LinkStart(_) | Piece::LinkEnd => false,
        }) {
            self.inline.clear();
            return;
        }
        while matches!(self.inline.last(), Some(Piece::Break)) {
            self.inline.pop();
        }
        self.flush_inline(Style::new());
        self.pending_blank = true;
    }
}
