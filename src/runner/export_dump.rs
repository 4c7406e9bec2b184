//! Reading a shell's `export -p`: the exported variables, as the shell itself prints them.
//! A builtin runs in the shell's own process, where `env` costs a fork and an exec (~4 ms a
//! dump on a loaded machine, twice per step), so the shell state of a step is read from it.
//!
//! The three shells print three dialects of shell words; all are read by one small word
//! reader rather than by three printers' rules:
//! - dash: `export NAME='value'`, a `'` as `'"'"'`, bytes raw; `export NAME` when unset;
//! - bash: `declare -x NAME="value"` (`\` before `"`, `$`, `` ` ``, `\`), or `$'…'` with
//!   `\n`, `\E`, `\'` and octal `\NNN` when the value holds control characters; flags such
//!   as `-rx`; `declare -ax NAME=(…)` for arrays, which are never in the environment;
//! - zsh: `export NAME=value`, `'…'` with `'\''`, or `$'…'` with `\C-X` (control), `\M-X`
//!   (high bit, in a C locale) and `\C-?` (DEL); flags such as `-i10`.
//!
//! Values that are not UTF-8 are left out (rather than carried mangled), as are names that
//! are not shell identifiers.

use std::collections::BTreeMap;

/// The exported variables that have a value in `dump`, the output of `export -p`.
pub(crate) fn exported(dump: &[u8]) -> BTreeMap<String, String> {
    entries(dump)
        .into_iter()
        .filter_map(|(name, value)| Some((name, String::from_utf8(value).ok()?)))
        .collect()
}

/// Every `NAME=value` of `dump`, values as the bytes they are.
fn entries(dump: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut words = Words {
        text: dump,
        at: 0,
        c1: Vec::new(),
    };
    let mut found = Vec::new();
    while let Some(command) = words.command() {
        found.extend(assignment(&command));
    }
    found
}

/// The `NAME=value` a command of `export -p` sets, if it sets a scalar with a value.
fn assignment(command: &[Vec<u8>]) -> Option<(String, Vec<u8>)> {
    let (first, rest) = command.split_first()?;
    if !matches!(first.as_slice(), b"export" | b"declare" | b"typeset") {
        return None;
    }
    let mut flags = Vec::new();
    let word = rest.iter().find(|word| {
        let option = word.first() == Some(&b'-') || word.first() == Some(&b'+');
        if option {
            flags.extend_from_slice(word);
        }
        !option
    })?;
    // Arrays (bash `-a`/`-A`) and functions are not variables of the environment.
    if flags.iter().any(|f| matches!(f, b'a' | b'A' | b'f')) {
        return None;
    }
    let eq = word.iter().position(|&b| b == b'=')?;
    let name = std::str::from_utf8(&word[..eq]).ok()?;
    if !is_identifier(name) {
        return None;
    }
    Some((name.to_owned(), word[eq + 1..].to_vec()))
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a name a shell can export.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Shell words, command by command (a command ends at an unquoted newline).
struct Words<'a> {
    text: &'a [u8],
    at: usize,
    /// Where, in the word being read, zsh's `\M-\C-X` put a byte 0x80–0x9F.
    c1: Vec<usize>,
}

impl Words<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    /// The words of the next command; None at the end of the text.
    fn command(&mut self) -> Option<Vec<Vec<u8>>> {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b';')) {
            self.at += 1;
        }
        self.peek()?;
        let mut words = Vec::new();
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.at += 1;
            }
            match self.peek() {
                None | Some(b'\n' | b';') => return Some(words),
                Some(_) => words.push(self.word()),
            }
        }
    }

    /// One word, its quoting removed.
    fn word(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.c1.clear();
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b';' => break,
                b'\\' => {
                    self.at += 1;
                    match self.next_byte() {
                        Some(b'\n') | None => {}
                        Some(c) => out.push(c),
                    }
                }
                b'\'' => {
                    self.at += 1;
                    while let Some(c) = self.next_byte() {
                        if c == b'\'' {
                            break;
                        }
                        out.push(c);
                    }
                }
                b'"' => {
                    self.at += 1;
                    self.double_quoted(&mut out);
                }
                b'$' if self.text.get(self.at + 1) == Some(&b'\'') => {
                    self.at += 2;
                    self.ansi_c_quoted(&mut out);
                }
                _ => {
                    self.at += 1;
                    out.push(b);
                }
            }
        }
        self.c1_as_characters(out)
    }

    /// zsh in a UTF-8 locale prints the character U+0080–U+009F (a C1 control) as it prints
    /// the lone byte 0x80–0x9F: `\M-\C-X`. A word that is not UTF-8 with those bytes read
    /// as bytes is read with them as characters, when that makes it UTF-8.
    fn c1_as_characters(&self, word: Vec<u8>) -> Vec<u8> {
        if self.c1.is_empty() || std::str::from_utf8(&word).is_ok() {
            return word;
        }
        let mut chars = Vec::with_capacity(word.len() + self.c1.len());
        for (i, &b) in word.iter().enumerate() {
            if self.c1.contains(&i) {
                chars.extend_from_slice(&[0xc2, b]);
            } else {
                chars.push(b);
            }
        }
        if std::str::from_utf8(&chars).is_ok() {
            chars
        } else {
            word
        }
    }

    /// The rest of a `"…"`: `\` escapes only `$`, `` ` ``, `"`, `\` and a newline.
    fn double_quoted(&mut self, out: &mut Vec<u8>) {
        while let Some(c) = self.next_byte() {
            match c {
                b'"' => return,
                b'\\' => match self.next_byte() {
                    Some(b'\n') => {}
                    Some(e @ (b'$' | b'`' | b'"' | b'\\')) => out.push(e),
                    Some(e) => out.extend_from_slice(&[b'\\', e]),
                    None => out.push(b'\\'),
                },
                _ => out.push(c),
            }
        }
    }

    /// The rest of a `$'…'`, escapes decoded.
    fn ansi_c_quoted(&mut self, out: &mut Vec<u8>) {
        while let Some(c) = self.next_byte() {
            match c {
                b'\'' => return,
                b'\\' => self.escape(out),
                _ => out.push(c),
            }
        }
    }

    /// The escape after a `\` inside `$'…'` (bash's and zsh's sets).
    fn escape(&mut self, out: &mut Vec<u8>) {
        let Some(c) = self.next_byte() else {
            out.push(b'\\');
            return;
        };
        let byte = match c {
            b'a' => 0x07,
            b'b' => 0x08,
            b'e' | b'E' => 0x1b,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'\\' | b'\'' | b'"' | b'?' => c,
            b'0'..=b'7' => {
                let mut value = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            self.at += 1;
                            value = value * 8 + u32::from(d - b'0');
                        }
                        _ => break,
                    }
                }
                value as u8
            }
            b'x' => match self.hex(2) {
                Some(value) => value as u8,
                None => return out.extend_from_slice(b"\\x"),
            },
            b'u' | b'U' => {
                let digits = if c == b'u' { 4 } else { 8 };
                match self.hex(digits).and_then(char::from_u32) {
                    Some(ch) => {
                        let mut buf = [0; 4];
                        return out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    None => return out.extend_from_slice(&[b'\\', c]),
                }
            }
            b'c' => match self.next_byte() {
                Some(x) => control(x),
                None => return out.extend_from_slice(b"\\c"),
            },
            // zsh prints `\M-` (a high byte, in a C locale) before the low byte as it would
            // print that alone: `\C-X`, `\t`, `\n`, else raw, even a `'` or a `\`. So 0xDC
            // then `t` reads as 0x89 does; such bytes are never UTF-8, and are left out anyway.
            b'C' if self.peek() == Some(b'-') => {
                self.at += 1;
                control(self.next_byte().unwrap_or(b'@'))
            }
            b'M' if self.peek() == Some(b'-') => {
                self.at += 1;
                let rest = &self.text[self.at..];
                let low = match rest {
                    [b'\\', b'C', b'-', x, ..] => {
                        self.at += 4;
                        control(*x)
                    }
                    [b'\\', e @ (b't' | b'n'), ..] => {
                        self.at += 2;
                        if *e == b't' { b'\t' } else { b'\n' }
                    }
                    _ => self.next_byte().unwrap_or(0),
                };
                if low < 0x20 {
                    self.c1.push(out.len());
                }
                low | 0x80
            }
            _ => return out.extend_from_slice(&[b'\\', c]),
        };
        out.push(byte);
    }

    /// Up to `max` hex digits, as a number; None when there is none.
    fn hex(&mut self, max: usize) -> Option<u32> {
        let mut value = None;
        for _ in 0..max {
            let Some(d) = self.peek().and_then(|b| char::from(b).to_digit(16)) else {
                break;
            };
            self.at += 1;
            value = Some(value.unwrap_or(0) * 16 + d);
        }
        value
    }
}

/// `\C-X` / `\cX`: DEL for `?`, else the low five bits.
fn control(x: u8) -> u8 {
    if x == b'?' { 0x7f } else { x & 0x1f }
}

#[cfg(all(test, unix))]
#[path = "export_dump_tests.rs"]
mod tests;
