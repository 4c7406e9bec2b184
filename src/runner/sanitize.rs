//! Incremental terminal-output sanitizer: a byte-level state machine that keeps text, `\n`,
//! `\t`, carriage returns and SGR colour sequences, and drops every other escape (cursor
//! moves, clears, OSC titles and clipboard writes, DCS strings) and control character, so a
//! step's output can never take over the terminal. Chunks may split anything anywhere.

/// Receives what survives sanitizing, in order.
pub trait SanitizedSink {
    /// Valid UTF-8 without control characters other than `\n` and `\t`. May span many lines.
    fn text(&mut self, text: &str);
    /// A complete SGR sequence such as `"\x1b[1;31m"`.
    fn sgr(&mut self, seq: &str);
    /// A lone carriage return: what follows rewrites the current line (`\r\n` is just a newline).
    fn carriage_return(&mut self);
}

/// Longest CSI sequence kept as SGR; longer ones are dropped (no legitimate SGR is this long).
const MAX_CSI_BYTES: usize = 64;
/// An OSC/DCS string longer than this is abandoned so an unterminated one cannot eat the output.
const MAX_STRING_BYTES: usize = 64 * 1024;
const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
const CAN: u8 = 0x18;
const SUB: u8 = 0x1a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ground,
    /// After ESC.
    Escape,
    /// After ESC and intermediate bytes (e.g. `ESC ( B`).
    EscapeIntermediate,
    /// After `ESC [`.
    Csi,
    /// Inside an OSC / DCS / SOS / PM / APC string.
    Str,
    /// ESC seen inside a string: `\` ends it.
    StrEscape,
}

#[derive(Debug, Clone)]
pub struct Sanitizer {
    state: State,
    /// Bytes of the CSI sequence being read (`ESC [` included).
    csi: Vec<u8>,
    csi_overlong: bool,
    string_len: usize,
    /// The start of a UTF-8 character split by a chunk boundary.
    utf8_carry: Vec<u8>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

/// Bytes that end a text run: controls other than `\n` and `\t`, and DEL.
fn is_special(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f
}

const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// High bit set in each byte of `v` that is zero (exact: no carries cross bytes).
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW7) + LOW7) | v) & HIGH
}

/// High bit set in each special byte of the 8 bytes in `x` (see `is_special`).
#[inline(always)]
fn special_bytes(x: u64) -> u64 {
    let below_space = !(((x & LOW7) + splat(0x60)) | x) & HIGH;
    let newline = zero_bytes(x ^ splat(b'\n'));
    let tab = zero_bytes(x ^ splat(b'\t'));
    let del = zero_bytes(x ^ splat(0x7f));
    (below_space & !newline & !tab) | del
}

/// Position of the first special byte: 16 bytes at a time with SSE2 on x86_64, else eight
/// at a time (SWAR).
fn find_special(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        let (start, found) = sse2::scan(bytes);
        if found {
            return Some(start);
        }
        find_special_words(&bytes[start..]).map(|p| p + start)
    }
    #[cfg(not(target_arch = "x86_64"))]
    find_special_words(bytes)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// Scans whole 16-byte blocks: (index of the first special byte, true), or (bytes
    /// scanned, false) when none was found in them.
    pub(super) fn scan(bytes: &[u8]) -> (usize, bool) {
        let mut start = 0;
        // SAFETY: SSE2 is part of the x86_64 baseline; every load reads 16 bytes inside
        // `bytes` (start + 16 <= len) and `loadu` has no alignment requirement.
        unsafe {
            let space = _mm_set1_epi8(0x20);
            let minus_one = _mm_set1_epi8(-1);
            let newline = _mm_set1_epi8(b'\n' as i8);
            let tab = _mm_set1_epi8(b'\t' as i8);
            let del = _mm_set1_epi8(0x7f);
            while start + 16 <= bytes.len() {
                let x = _mm_loadu_si128(bytes.as_ptr().add(start).cast());
                // Signed compares: bytes >= 0x80 are negative, hence the `> -1` test.
                let control = _mm_and_si128(_mm_cmplt_epi8(x, space), _mm_cmpgt_epi8(x, minus_one));
                let allowed = _mm_or_si128(_mm_cmpeq_epi8(x, newline), _mm_cmpeq_epi8(x, tab));
                let special =
                    _mm_or_si128(_mm_andnot_si128(allowed, control), _mm_cmpeq_epi8(x, del));
                let mask = _mm_movemask_epi8(special);
                if mask != 0 {
                    return (start + mask.trailing_zeros() as usize, true);
                }
                start += 16;
            }
        }
        (start, false)
    }
}

fn find_special_words(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        let special = special_bytes(x);
        if special != 0 {
            return Some(start + (special.trailing_zeros() / 8) as usize);
        }
        start += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| is_special(b))
        .map(|p| p + start)
}

impl Sanitizer {
    pub fn new() -> Self {
        Sanitizer {
            state: State::Ground,
            csi: Vec::with_capacity(MAX_CSI_BYTES),
            csi_overlong: false,
            string_len: 0,
            utf8_carry: Vec::new(),
        }
    }

    /// Feeds one chunk of raw output.
    pub fn feed<S: SanitizedSink + ?Sized>(&mut self, bytes: &[u8], sink: &mut S) {
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                State::Ground => {
                    let rest = &bytes[i..];
                    let run = find_special(rest).unwrap_or(rest.len());
                    if run > 0 {
                        self.emit_text(&rest[..run], i + run == bytes.len(), sink);
                        i += run;
                        continue;
                    }
                    self.flush_carry(sink);
                    match rest[0] {
                        ESC => self.state = State::Escape,
                        b'\r' => sink.carriage_return(),
                        _ => {} // BEL, backspace, DEL and other controls are dropped.
                    }
                    i += 1;
                }
                State::Escape => {
                    let b = bytes[i];
                    i += 1;
                    match b {
                        b'[' => {
                            self.state = State::Csi;
                            self.csi.clear();
                            self.csi.extend_from_slice(b"\x1b[");
                            self.csi_overlong = false;
                        }
                        b']' | b'P' | b'X' | b'^' | b'_' => {
                            self.state = State::Str;
                            self.string_len = 0;
                        }
                        0x20..=0x2f => self.state = State::EscapeIntermediate,
                        ESC => {}
                        0x30..=0x7e | CAN | SUB => self.state = State::Ground,
                        _ => {
                            // A control or non-ASCII byte aborts the sequence; process it normally.
                            self.state = State::Ground;
                            i -= 1;
                        }
                    }
                }
                State::EscapeIntermediate => {
                    let b = bytes[i];
                    i += 1;
                    match b {
                        0x20..=0x2f => {}
                        ESC => self.state = State::Escape,
                        0x30..=0x7e | CAN | SUB => self.state = State::Ground,
                        _ => {
                            self.state = State::Ground;
                            i -= 1;
                        }
                    }
                }
                State::Csi => {
                    let b = bytes[i];
                    i += 1;
                    match b {
                        0x20..=0x3f => {
                            if self.csi.len() < MAX_CSI_BYTES {
                                self.csi.push(b);
                            } else {
                                self.csi_overlong = true;
                            }
                        }
                        0x40..=0x7e => {
                            self.state = State::Ground;
                            if b == b'm' && !self.csi_overlong && self.is_sgr_params() {
                                self.csi.push(b'm');
                                // Only ASCII bytes were collected.
                                let seq = std::str::from_utf8(&self.csi).unwrap_or_default();
                                sink.sgr(seq);
                            }
                        }
                        ESC => self.state = State::Escape,
                        CAN | SUB => self.state = State::Ground,
                        _ => {
                            self.state = State::Ground;
                            i -= 1;
                        }
                    }
                }
                State::Str => {
                    let rest = &bytes[i..];
                    match rest
                        .iter()
                        .position(|&b| matches!(b, BEL | ESC | CAN | SUB))
                    {
                        Some(pos) => {
                            i += pos + 1;
                            self.state = if rest[pos] == ESC {
                                State::StrEscape
                            } else {
                                State::Ground
                            };
                        }
                        None => {
                            i = bytes.len();
                            self.string_len += rest.len();
                            if self.string_len > MAX_STRING_BYTES {
                                self.state = State::Ground;
                            }
                        }
                    }
                }
                State::StrEscape => {
                    if bytes[i] == b'\\' {
                        i += 1;
                        self.state = State::Ground;
                    } else {
                        // ESC started a new sequence: handle this byte as its first.
                        self.state = State::Escape;
                    }
                }
            }
        }
    }

    /// Ends the stream: a UTF-8 character cut off at the very end shows as U+FFFD.
    pub fn finish<S: SanitizedSink + ?Sized>(&mut self, sink: &mut S) {
        self.flush_carry(sink);
        self.state = State::Ground;
    }

    fn is_sgr_params(&self) -> bool {
        self.csi[2..]
            .iter()
            .all(|&b| b.is_ascii_digit() || b == b';' || b == b':')
    }

    fn flush_carry<S: SanitizedSink + ?Sized>(&mut self, sink: &mut S) {
        if !self.utf8_carry.is_empty() {
            self.utf8_carry.clear();
            sink.text("\u{FFFD}");
        }
    }

    /// Emits a run of printable bytes; an incomplete character at the chunk's end is carried.
    fn emit_text<S: SanitizedSink + ?Sized>(&mut self, run: &[u8], at_end: bool, sink: &mut S) {
        if self.utf8_carry.is_empty() {
            self.emit_utf8(run, at_end, sink);
        } else {
            let mut joined = std::mem::take(&mut self.utf8_carry);
            joined.extend_from_slice(run);
            self.emit_utf8(&joined, at_end, sink);
        }
    }

    fn emit_utf8<S: SanitizedSink + ?Sized>(
        &mut self,
        mut data: &[u8],
        at_end: bool,
        sink: &mut S,
    ) {
        loop {
            match std::str::from_utf8(data) {
                Ok(text) => {
                    if !text.is_empty() {
                        sink.text(text);
                    }
                    return;
                }
                Err(err) => {
                    let valid = err.valid_up_to();
                    if valid > 0 {
                        // SAFETY-free: the prefix was just validated.
                        sink.text(std::str::from_utf8(&data[..valid]).unwrap_or_default());
                    }
                    match err.error_len() {
                        Some(bad) => {
                            sink.text("\u{FFFD}");
                            data = &data[valid + bad..];
                        }
                        None if at_end => {
                            self.utf8_carry.extend_from_slice(&data[valid..]);
                            return;
                        }
                        None => {
                            sink.text("\u{FFFD}");
                            return;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_agree_with_the_byte_test_at_every_position() {
        for b in 0..=255u8 {
            for pos in 0..40 {
                let mut text = vec![b'a'; 40];
                text[pos] = b;
                let expected = is_special(b).then_some(pos);
                assert_eq!(find_special(&text), expected, "byte {b:#x} at {pos}");
                assert_eq!(find_special_words(&text), expected, "byte {b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn word_scan_agrees_with_the_byte_test() {
        let all: Vec<u8> = (0..=255u8).collect();
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let expected = is_special(b).then_some(pos);
                assert_eq!(find_special(&word), expected, "byte {b:#x} at {pos}");
            }
        }
        assert_eq!(find_special(&all), Some(0));
        assert_eq!(find_special(&all[b' ' as usize..]), Some(0x7f - 0x20));
        assert_eq!(find_special(b"0123456789abcdef\n\t\x1bz"), Some(18));
    }
}
