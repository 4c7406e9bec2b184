//! A step's output as lines: sanitized incrementally (see `sanitize`), `\r` rewrites the current
//! line, SGR kept, and bounded to the last `max_lines` lines (very long lines wrap at
//! `MAX_LINE_BYTES`), so a step printing gigabytes stays small. Pure data: shared by the TUI
//! and the headless `run`.

use std::collections::VecDeque;

use super::sanitize::{SanitizedSink, Sanitizer};

/// Lines a step keeps unless told otherwise.
pub const DEFAULT_MAX_LINES: usize = 5_000;
/// A line longer than this (in bytes, SGR included) continues on a new line, as a terminal wraps.
pub const MAX_LINE_BYTES: usize = 4096;
/// Dead bytes at the front of the buffer are reclaimed once they exceed this and the live part.
const COMPACT_MIN_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct Transcript {
    sanitizer: Sanitizer,
    lines: LineStore,
}

impl Transcript {
    pub fn new(max_lines: usize) -> Self {
        Transcript {
            sanitizer: Sanitizer::new(),
            lines: LineStore::new(max_lines.max(1)),
        }
    }

    /// Appends raw output (any chunking: sequences and characters may be split).
    pub fn push(&mut self, bytes: &[u8]) {
        self.sanitizer.feed(bytes, &mut self.lines);
        self.lines.generation += 1;
    }

    /// Marks the end of the output (a character cut off at the end shows as U+FFFD).
    pub fn finish(&mut self) {
        self.sanitizer.finish(&mut self.lines);
        self.lines.generation += 1;
    }

    /// The kept lines, oldest first, SGR sequences included, with the unfinished last line if
    /// it has any content.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.line_count()).map(|k| self.lines.line(k))
    }

    /// Number of kept lines (what `lines()` yields).
    pub fn line_count(&self) -> usize {
        let total = self.lines.starts.len();
        if self.lines.current_is_empty() {
            total - 1
        } else {
            total
        }
    }

    /// Lines dropped from the front to respect `max_lines`.
    pub fn dropped(&self) -> usize {
        self.lines.dropped
    }

    /// Changes whenever content changes: lets a view cache what it built from the lines.
    pub fn generation(&self) -> u64 {
        self.lines.generation
    }

    /// The kept text without SGR sequences, lines joined by `\n` (what `expect` matches).
    pub fn plain_text(&self) -> String {
        let mut out = String::with_capacity(self.lines.buf.len());
        for (k, line) in self.lines().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            push_without_sgr(&mut out, line);
        }
        out
    }
}

impl Default for Transcript {
    fn default() -> Self {
        Transcript::new(DEFAULT_MAX_LINES)
    }
}

/// Appends `line` to `out` without its SGR sequences (the only escapes a transcript keeps).
pub fn push_without_sgr(out: &mut String, line: &str) {
    let mut rest = line;
    while let Some(pos) = rest.find('\x1b') {
        out.push_str(&rest[..pos]);
        rest = match rest[pos..].find('m') {
            Some(end) => &rest[pos + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
}

/// Lines stored back to back in one buffer: `starts[k]` is where line k begins; the last entry
/// is the current (unfinished) line. Completed lines end with `\n` unless they were wrapped.
#[derive(Debug, Clone)]
struct LineStore {
    buf: String,
    starts: VecDeque<usize>,
    max_lines: usize,
    dropped: usize,
    generation: u64,
    /// A `\r` was seen: the next text replaces the current line.
    pending_cr: bool,
    /// SGR sequences that arrived after a `\r`, replayed in front of the replacing text.
    held_sgr: String,
}

impl LineStore {
    fn new(max_lines: usize) -> Self {
        let mut starts = VecDeque::with_capacity(max_lines.min(DEFAULT_MAX_LINES) + 1);
        starts.push_back(0);
        LineStore {
            buf: String::new(),
            starts,
            max_lines,
            dropped: 0,
            generation: 0,
            pending_cr: false,
            held_sgr: String::new(),
        }
    }

    fn current_start(&self) -> usize {
        *self.starts.back().unwrap_or(&0)
    }

    fn current_is_empty(&self) -> bool {
        self.current_start() == self.buf.len()
    }

    fn line(&self, k: usize) -> &str {
        let start = self.starts[k];
        let end = match self.starts.get(k + 1) {
            Some(&next) if self.buf.as_bytes()[next - 1] == b'\n' => next - 1,
            Some(&next) => next,
            None => self.buf.len(),
        };
        &self.buf[start..end]
    }

    fn apply_pending_cr(&mut self, replaces_line: bool) {
        if self.pending_cr {
            self.pending_cr = false;
            if replaces_line {
                let start = self.current_start();
                self.buf.truncate(start);
            }
            if !self.held_sgr.is_empty() {
                let held = std::mem::take(&mut self.held_sgr);
                self.buf.push_str(&held);
                self.held_sgr = held;
                self.held_sgr.clear();
            }
        }
    }

    /// Starts a new line at `at` and forgets the oldest one if over the bound (its bytes are
    /// reclaimed later by `compact`).
    fn start_line(&mut self, at: usize) {
        self.starts.push_back(at);
        if self.starts.len() > self.max_lines + 1 {
            self.starts.pop_front();
            self.dropped += 1;
        }
    }

    fn compact(&mut self) {
        let dead = self.starts[0];
        if dead >= COMPACT_MIN_BYTES && dead >= self.buf.len() - dead {
            self.buf.drain(..dead);
            for start in self.starts.iter_mut() {
                *start -= dead;
            }
        }
    }

    /// Wraps the current line while its part before `limit` is longer than `MAX_LINE_BYTES`.
    fn wrap_before(&mut self, limit: usize) {
        while limit - self.current_start() > MAX_LINE_BYTES {
            let line_start = self.current_start();
            let mut split = line_start + MAX_LINE_BYTES;
            while !self.buf.is_char_boundary(split) {
                split -= 1;
            }
            // Never cut an SGR sequence in two.
            let window_start = split.saturating_sub(MAX_CSI_WINDOW).max(line_start);
            if let Some(esc) = self.buf[window_start..split].rfind('\x1b') {
                let esc = window_start + esc;
                if !self.buf[esc..split].contains('m') && esc > line_start {
                    split = esc;
                }
            }
            self.start_line(split);
        }
    }
}

const MAX_CSI_WINDOW: usize = 64;

impl SanitizedSink for LineStore {
    fn text(&mut self, text: &str) {
        self.apply_pending_cr(!text.starts_with('\n'));
        // One copy for the whole run, then only the line starts are recorded.
        let base = self.buf.len();
        self.buf.push_str(text);
        for pos in memchr::memchr_iter(b'\n', text.as_bytes()) {
            let newline = base + pos;
            if newline - self.current_start() > MAX_LINE_BYTES {
                self.wrap_before(newline);
            }
            self.start_line(newline + 1);
        }
        let end = self.buf.len();
        self.wrap_before(end);
        // Offsets above are into the uncompacted buffer: reclaim space only now.
        self.compact();
    }

    fn sgr(&mut self, seq: &str) {
        if self.pending_cr {
            self.held_sgr.push_str(seq);
        } else {
            self.buf.push_str(seq);
        }
    }

    fn carriage_return(&mut self) {
        self.pending_cr = true;
    }
}

#[cfg(test)]
#[path = "transcript_tests.rs"]
mod tests;
