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

fn is_special(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f
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
                    let run = rest
                        .iter()
                        .position(|&b| is_special(b))
                        .unwrap_or(rest.len());
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
