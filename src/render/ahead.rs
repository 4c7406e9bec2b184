//! Code blocks drawn before their highlighting is ready. In `show` the blocks a grammar
//! highlights are highlighted on other threads while the writer draws the document
//! (`highlight_ahead`); a block the writer reaches first is drawn without syntax styles and
//! left as a [`Hole`], and its rows are restyled when its highlighting is ready, before they
//! are handed to the sink. Rows after a hole wait with it, so the output is what drawing in
//! order gives. Highlighting never changes a block's text: the rows it fills are those it left.

use ratatui::text::Span;

use super::cells::{clip, spans_width};
use super::code_rows::CodeBody;
use super::highlight::{code_rows, is_highlighted_live, unstyled_rows};
use super::highlight_ahead::{active, queue, wait_for};
use super::highlight_cache::take_ready;
use super::writer::Writer;

/// The rows of a code block drawn without syntax styles.
pub(super) struct Hole {
    /// Its first row, counted from the document's first (as [`Writer::row`]).
    first: usize,
    count: usize,
    /// The container prefix of each of its rows (they are all alike after the box's top).
    prefix: Vec<Span<'static>>,
    code: String,
    lang: String,
    body: CodeBody,
}

impl Writer<'_> {
    /// Queues the document's blocks to be highlighted on other threads, when this render may
    /// leave holes (`show` in colour); `blocks` is asked for only then.
    pub(super) fn start_ahead(&mut self, blocks: impl FnOnce() -> Vec<(String, String)>) {
        if active(&self.theme) {
            self.ahead = true;
            queue(blocks().into_iter().map(|(lang, code)| (lang, code.into())));
        }
        // Tests queue what they want highlighted ahead themselves.
        self.ahead |= self.theme.color && tests_leave_holes();
    }

    /// The highlighted rows of a code block's lines, and whether they are final (`false`: a
    /// stand-in without syntax styles; [`Self::leave_hole`] then records the block).
    pub(super) fn code_rows_ahead(
        &mut self,
        code: &str,
        lang: &str,
    ) -> (Vec<Vec<Span<'static>>>, bool) {
        // A footnote's rows and a closed fold's (not drawn) never wait.
        let may_wait = self.ahead && self.parked.is_none() && !self.in_closed_fold();
        if may_wait && is_highlighted_live(lang, code) {
            return match take_ready(code, lang, &self.theme) {
                Some(rows) => (rows, true),
                None => (unstyled_rows(code, lang, &self.theme), false),
            };
        }
        (code_rows(code, lang, &self.theme), true)
    }

    /// Records that the `count` rows from `first` are a code block's stand-in rows.
    pub(super) fn leave_hole(
        &mut self,
        first: usize,
        count: usize,
        code: String,
        lang: String,
        body: CodeBody,
    ) {
        let prefix = self.prefix(false);
        self.holes.push_back(Hole {
            first,
            count,
            prefix,
            code,
            lang,
            body,
        });
    }

    /// Restyles the rows of the holes whose highlighting is ready, in document order. With
    /// `wait`, fills every hole, waiting for the highlighting threads where it must.
    pub(super) fn fill_holes(&mut self, wait: bool) {
        while let Some(hole) = self.holes.front() {
            let rows = if wait {
                wait_for(&hole.code, &hole.lang);
                // What no worker did (a grammar panicked, the cache had no room, the block
                // came twice) is highlighted here.
                Some(code_rows(&hole.code, &hole.lang, &self.theme))
            } else {
                take_ready(&hole.code, &hole.lang, &self.theme)
            };
            let Some(rows) = rows else {
                break;
            };
            if let Some(hole) = self.holes.pop_front() {
                self.fill(hole, rows);
            }
        }
    }

    fn fill(&mut self, hole: Hole, rows: Vec<Vec<Span<'static>>>) {
        let body = hole.body.rows(rows);
        let start = hole.first - self.flushed;
        // Never the case (the same text is cut the same way); the stand-in rows stay if it is.
        if body.len() != hole.count || start + hole.count > self.lines.len() {
            return;
        }
        for (line, row) in self.lines[start..start + hole.count].iter_mut().zip(body) {
            let mut spans = hole.prefix.clone();
            spans.extend(row);
            // As `emit` draws a row.
            if spans_width(&spans) > self.width {
                spans = clip(spans, self.width, None);
            }
            line.spans = spans;
        }
    }

    /// How many of the rows drawn and not yet handed over are final: those before the first
    /// hole.
    pub(super) fn final_rows(&self) -> usize {
        self.holes
            .front()
            .map_or(self.lines.len(), |hole| hole.first - self.flushed)
    }
}

#[cfg(test)]
thread_local! {
    /// Tests make every render on their thread leave holes, whatever the cores.
    pub(super) static LEAVE_HOLES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn tests_leave_holes() -> bool {
    #[cfg(test)]
    return LEAVE_HOLES.with(std::cell::Cell::get);
    #[cfg(not(test))]
    false
}
