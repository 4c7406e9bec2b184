//! `expect` over all of a step's output, not only the lines kept for display: a pattern the
//! step printed early (`BUILD-OK`, then 10,000 lines of a test log) still matches.
//!
//! The reader keeps a bounded raw tail; what falls out of it is matched on the way out, and
//! at the end the whole tail is matched when the displayed lines did not match.

use regex::Regex;

use super::Transcript;

/// Lines a scan transcript may hold: all of them (its input is bounded by the raw tail).
const UNBOUNDED_LINES: usize = usize::MAX / 4;
/// The unfinished last line of dropped output carried into the next dropped chunk, at most.
const MAX_CARRY: usize = 64 << 10;

pub(crate) struct ExpectScan {
    re: Regex,
    matched: bool,
    /// The last, unfinished line of the previous dropped chunk (a match may span the cut).
    carry: Vec<u8>,
}

impl ExpectScan {
    /// A scan for `pattern`; None without one or when it is not a valid regex (lint rejects
    /// those; the final verdict then fails the step as before).
    pub(crate) fn new(pattern: Option<&str>) -> Option<Self> {
        let re = Regex::new(pattern?).ok()?;
        Some(ExpectScan {
            re,
            matched: false,
            carry: Vec::new(),
        })
    }

    /// Output leaving the raw tail: matched now, since it will not be seen again.
    pub(crate) fn scan_dropped(&mut self, chunk: &[u8]) {
        if self.matched {
            return;
        }
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(chunk);
        let cut = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if self.re.is_match(&plain(&bytes[..cut])) {
            self.matched = true;
            return;
        }
        let rest = &bytes[cut..];
        self.carry = rest[rest.len().saturating_sub(MAX_CARRY)..].to_vec();
    }

    /// The verdict: matched in dropped output, in the displayed lines, or in the raw tail
    /// (`kept`, whole; only sanitized again when the displayed lines did not match).
    pub(crate) fn matched<'a>(
        &self,
        shown: &Transcript,
        kept: impl Iterator<Item = &'a [u8]>,
    ) -> bool {
        if self.matched || self.re.is_match(&shown.plain_text()) {
            return true;
        }
        let mut all = Transcript::new(UNBOUNDED_LINES);
        all.push(&self.carry);
        for chunk in kept {
            all.push(chunk);
        }
        all.finish();
        self.re.is_match(&all.plain_text())
    }
}

/// `bytes` as `expect` sees output: sanitized, SGR removed.
fn plain(bytes: &[u8]) -> String {
    let mut transcript = Transcript::new(UNBOUNDED_LINES);
    transcript.push(bytes);
    transcript.finish();
    transcript.plain_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(range: std::ops::Range<u32>) -> Vec<u8> {
        range
            .map(|n| format!("line {n}\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn a_match_beyond_the_shown_lines_is_found_in_the_kept_tail() {
        let scan = ExpectScan::new(Some("(?m)^BUILD-OK$")).unwrap();
        let mut output = b"\x1b[32mBUILD-OK\x1b[0m\n".to_vec();
        output.extend(lines(0..10_000));
        let mut shown = Transcript::new(100);
        shown.push(&output);
        shown.finish();
        assert!(!shown.plain_text().contains("BUILD-OK"));
        assert!(scan.matched(&shown, [output.as_slice()].into_iter()));
    }

    #[test]
    fn a_match_in_dropped_output_counts_even_across_a_chunk_cut() {
        let mut scan = ExpectScan::new(Some("BUILD-OK")).unwrap();
        scan.scan_dropped(b"noise\nBUILD");
        scan.scan_dropped(b"-OK\nmore\n");
        let shown = Transcript::new(10);
        assert!(scan.matched(&shown, std::iter::empty()));
    }

    #[test]
    fn no_match_anywhere_fails() {
        let mut scan = ExpectScan::new(Some("BUILD-OK")).unwrap();
        scan.scan_dropped(&lines(0..100));
        let tail = lines(100..200);
        let mut shown = Transcript::new(10);
        shown.push(&tail);
        assert!(!scan.matched(&shown, [tail.as_slice()].into_iter()));
    }
}
