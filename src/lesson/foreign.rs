//! Markup of other documentation tools, rewritten before parsing into CommonMark plus
//! one-line docker-guide box markers, **line for line** (a chapter keeps its line count, so
//! every step and diagnostic keeps its file line):
//!
//! - MkDocs admonitions (`!!! type "Title"`, `???`/`???+` collapsible) and content tabs
//!   (`=== "Label"`): the marker line becomes a box marker and the indented body is
//!   de-indented, so its fenced blocks are steps like any other.
//! - MyST directive fences (```` ```{note} ````, ```` ```{admonition} Title ````), MyST, Quarto,
//!   Pandoc and Docusaurus colon fences (`:::{warning}`, `::: callout-tip`, `:::note`): boxes
//!   whose body is markdown; ```` ```{code-block} bash ```` becomes a plain `bash` fence.
//! - Hugo shortcodes on their own line: `tab` → a labelled box, notices/callouts → boxes,
//!   `details`/`expand` → folded boxes, `highlight` → a fence; `tabs` and unknown ones
//!   disappear with their inner text kept. Shortcodes inside a line are dropped.
//!
//! A box marker is an HTML comment (`<!--dg:box kind=note fold=closed len=42 title=…-->`): an
//! HTML block of one line that may interrupt a paragraph, hidden by any other markdown tool.
//! `len` (indented bodies only) is the byte length from the marker's `<` to the end of its
//! body; other boxes end at a `<!--dg:/box-->` line. The renderer draws them
//! (`render::boxes`); the step parser ignores them.

mod rewrite;
mod syntax;

use std::borrow::Cow;

use rewrite::State;
pub use syntax::box_kind;
#[cfg(test)]
use syntax::dedent;

/// Start of an opening box marker.
pub const BOX_OPEN: &str = "<!--dg:box ";
/// A closing box marker (a whole line).
pub const BOX_CLOSE: &str = "<!--dg:/box-->";

/// A box marker read back by the renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoxMarker {
    Open(BoxSpec),
    Close,
}

/// What an opening marker says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoxSpec {
    /// The kind as written, lower case (`note`, `warning`, `callout-tip`, `tab`, `details`…).
    pub kind: String,
    /// The title to show (the kind capitalised when the source gave none; empty: no title).
    pub title: String,
    /// `Some(true)`: a collapsible block closed by default; `Some(false)`: collapsible, open.
    pub folded: Option<bool>,
    /// Bytes from the marker's `<` to the end of its body, for indented bodies.
    pub len: Option<usize>,
}

impl BoxSpec {
    fn marker(&self) -> String {
        let mut out = format!("{BOX_OPEN}kind={}", self.kind);
        if let Some(folded) = self.folded {
            out.push_str(if folded { " fold=closed" } else { " fold=open" });
        }
        if let Some(len) = self.len {
            out.push_str(&format!(" len={len}"));
        }
        // The comment must not end early, nor hold a line break.
        let title: String = self
            .title
            .replace("--", "-")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!(" title={}-->", title.trim()));
        out
    }
}

/// Reads a box marker (the text of an HTML block or inline HTML); `None` for anything else.
pub fn parse_marker(html: &str) -> Option<BoxMarker> {
    let html = html.trim();
    if html == BOX_CLOSE {
        return Some(BoxMarker::Close);
    }
    let mut rest = html.strip_prefix(BOX_OPEN)?.strip_suffix("-->")?;
    let mut spec = BoxSpec::default();
    loop {
        rest = rest.trim_start();
        if let Some(title) = rest.strip_prefix("title=") {
            spec.title = title.trim().to_string();
            break;
        }
        let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        match word.split_once('=') {
            Some(("kind", v)) => spec.kind = v.to_string(),
            Some(("fold", v)) => spec.folded = Some(v == "closed"),
            Some(("len", v)) => spec.len = v.parse().ok(),
            _ => {}
        }
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    Some(BoxMarker::Open(spec))
}

// Narrow enough that ordinary markdown (a setext `===`, remark's lone `???`) stays on the
// borrowed path: the CommonMark spec rendered 19 % slower when every line was copied.
const TRIGGERS: [&str; 10] = [
    "!!!", "??? ", "???+", "=== \"", "===+ \"", ":::", "```{", "~~~{", "{{<", "{{%",
];

/// Whether `body` holds one of the [`TRIGGERS`] of foreign markup.
fn has_trigger(body: &str) -> bool {
    // memchr's vectorised search (`str::contains` made the scans 4 % of `show --plain` on the
    // CommonMark spec), once per shared head (seven scans for ten triggers), each hit checked.
    const HEADS: [&str; 7] = ["!!!", "???", "===", ":::", "```{", "~~~{", "{{"];
    let bytes = body.as_bytes();
    HEADS.iter().any(|head| {
        memchr::memmem::find_iter(bytes, head.as_bytes()).any(|at| {
            TRIGGERS
                .iter()
                .any(|t| bytes[at..].starts_with(t.as_bytes()))
        })
    })
}

/// The body with foreign markup rewritten (see the module doc); borrowed when there is none.
pub fn normalize(body: &str) -> Cow<'_, str> {
    if !has_trigger(body) {
        return Cow::Borrowed(body);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut breaks: Vec<bool> = Vec::new();
    for line in body.split_inclusive('\n') {
        let (text, nl) = match line.strip_suffix('\n') {
            Some(text) => (text, true),
            None => (line, false),
        };
        lines.push(text.to_string());
        breaks.push(nl);
    }
    let mut state = State::default();
    let mut i = 0;
    while i < lines.len() {
        state.line(&mut lines, i);
        i += 1;
    }
    // Indented bodies: the marker learns its body's final length.
    // Inner bodies first: an outer body's length counts their final markers.
    for (marker, last, mut spec) in state.sized.into_iter().rev() {
        let indent = lines[marker].len() - lines[marker].trim_start().len();
        let mut len = usize::from(breaks[marker]);
        for (n, line) in lines.iter().enumerate().take(last + 1).skip(marker + 1) {
            len += line.len() + usize::from(breaks[n]);
        }
        // `len` counts the marker too, whose length depends on `len`'s digits: settle it.
        let mut guess = len;
        loop {
            spec.len = Some(guess);
            let marker_len = spec.marker().len();
            if marker_len + len == guess {
                break;
            }
            guess = marker_len + len;
        }
        lines[marker] = format!("{}{}", &lines[marker][..indent], spec.marker());
    }
    let mut out = String::with_capacity(body.len() + 64);
    for (line, nl) in lines.iter().zip(&breaks) {
        out.push_str(line);
        if *nl {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
#[path = "foreign_tests.rs"]
mod tests;
