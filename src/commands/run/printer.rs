//! Writing `run`'s output: step output streamed through the sanitizer (on a terminal: colours
//! kept and `\r` progress redrawn in place; otherwise plain lines, each progress line only in
//! its final state), plus our own headers and result lines, styled only on a colour terminal.

use std::io::{self, Write};

use crate::runner::sanitize::{SanitizedSink, Sanitizer};

/// Longest partial line held back in plain mode before it is written anyway.
const MAX_HELD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A terminal: SGR and in-place progress (`color` false with NO_COLOR).
    Terminal { color: bool },
    /// A file or pipe: plain text, whole lines.
    Plain,
}

impl Mode {
    pub fn color(self) -> bool {
        matches!(self, Mode::Terminal { color: true })
    }
}

/// Streams one step's raw output to `out`.
pub struct OutputPrinter<W: Write> {
    sanitizer: Sanitizer,
    sink: PrinterSink<W>,
}

struct PrinterSink<W: Write> {
    out: W,
    mode: Mode,
    pending_cr: bool,
    /// Plain mode: the current line, written when it ends.
    held: String,
    /// Terminal mode: something was written since the last newline.
    mid_line: bool,
    error: Option<io::Error>,
}

impl<W: Write> OutputPrinter<W> {
    pub fn new(out: W, mode: Mode) -> Self {
        OutputPrinter {
            sanitizer: Sanitizer::new(),
            sink: PrinterSink {
                out,
                mode,
                pending_cr: false,
                held: String::new(),
                mid_line: false,
                error: None,
            },
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        self.sanitizer.feed(bytes, &mut self.sink);
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if let Some(err) = self.sink.error.take() {
            return Err(err);
        }
        self.sink.out.flush()
    }

    /// Ends the step's output: the last partial line is completed and colours reset.
    pub fn finish(&mut self) -> io::Result<()> {
        self.sanitizer.finish(&mut self.sink);
        let sink = &mut self.sink;
        match sink.mode {
            Mode::Plain => {
                if !sink.held.is_empty() {
                    sink.held.push('\n');
                    let held = std::mem::take(&mut sink.held);
                    sink.write(held.as_bytes());
                }
            }
            Mode::Terminal { color } => {
                if color {
                    sink.write(b"\x1b[0m");
                }
                if sink.mid_line {
                    sink.write(b"\n");
                    sink.mid_line = false;
                }
            }
        }
        sink.pending_cr = false;
        self.flush()
    }

    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.sink.out
    }
}

impl<W: Write> PrinterSink<W> {
    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(err) = self.out.write_all(bytes)
        {
            self.error = Some(err);
        }
    }
}

impl<W: Write> SanitizedSink for PrinterSink<W> {
    fn text(&mut self, text: &str) {
        let rewrite = std::mem::take(&mut self.pending_cr) && !text.starts_with('\n');
        match self.mode {
            Mode::Plain => {
                if rewrite {
                    self.held.clear();
                }
                match text.rfind('\n') {
                    Some(last) => {
                        let held = std::mem::take(&mut self.held);
                        self.write(held.as_bytes());
                        self.write(&text.as_bytes()[..=last]);
                        self.held = held;
                        self.held.clear();
                        self.held.push_str(&text[last + 1..]);
                    }
                    None => self.held.push_str(text),
                }
                if self.held.len() > MAX_HELD_BYTES {
                    let held = std::mem::take(&mut self.held);
                    self.write(held.as_bytes());
                    self.write(b"\n");
                }
            }
            Mode::Terminal { .. } => {
                if rewrite {
                    self.write(b"\r\x1b[2K");
                }
                self.write(text.as_bytes());
                self.mid_line = !text.ends_with('\n');
            }
        }
    }

    fn sgr(&mut self, seq: &str) {
        if self.mode.color() {
            self.write(seq.as_bytes());
        }
    }

    fn carriage_return(&mut self) {
        self.pending_cr = true;
    }
}

/// Our own decorations, in colour only on a colour terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn cyan(self, text: &str) -> String {
        self.paint("36", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(mode: Mode, chunks: &[&[u8]]) -> String {
        let mut printer = OutputPrinter::new(Vec::new(), mode);
        for chunk in chunks {
            printer.feed(chunk);
        }
        printer.finish().unwrap();
        String::from_utf8(printer.into_inner()).unwrap()
    }

    #[test]
    fn plain_mode_keeps_final_progress_state_and_drops_escapes() {
        let out = print(
            Mode::Plain,
            &[
                b"a 1/3\ra 2",
                b"/3\ra 3/3\n\x1b[31mred\x1b[0m\r\n\x1b]0;t\x07end",
            ],
        );
        assert_eq!(out, "a 3/3\nred\nend\n");
    }

    #[test]
    fn terminal_mode_redraws_progress_in_place_and_keeps_colour() {
        let out = print(
            Mode::Terminal { color: true },
            &[b"a 1/3\ra 2/3\n\x1b[31mred\x1b[2J"],
        );
        assert_eq!(out, "a 1/3\r\x1b[2Ka 2/3\n\x1b[31mred\x1b[0m\n");
        let out = print(Mode::Terminal { color: false }, &[b"\x1b[31mred\x1b[0m\n"]);
        assert_eq!(out, "red\n");
    }
}
