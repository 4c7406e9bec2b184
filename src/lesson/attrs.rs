//! The info-string grammar of a fenced block: a language, then optional attributes in braces:
//! `sh {id=build timeout=900 check="docker image inspect flask-api" confirm}`.
//!
//! Inside quotes, `\"` (or `\'`) is a literal quote and `\\` a backslash; any other backslash
//! is kept as written so regexes such as `expect="\d+ items"` read naturally.

use super::front::error;
use super::model::{Diagnostic, Severity, SourcePos};

/// One `key`, `key=value` or `key="value"` of an attribute list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAttr {
    pub key: String,
    /// `None` for a bare flag.
    pub value: Option<String>,
    /// File column (1-based, characters) of the key.
    pub key_col: usize,
    /// File column of the value (of its opening quote when quoted); the key's when a flag.
    pub value_col: usize,
}

/// A parsed info string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    /// The language, lower-cased; empty when the info string has none.
    pub lang: String,
    pub attrs: Vec<RawAttr>,
    /// Column of the `{` when an attribute list is present.
    pub brace_col: Option<usize>,
}

/// Parses `info` (the raw text after the fence characters), which starts at file `line`,
/// column `first_col`. Grammar problems become diagnostics with the exact column.
pub fn parse_info(
    info: &str,
    file: &str,
    line: usize,
    first_col: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Info {
    if !info.contains('{') {
        // A bare language (`sh`, `example`), as most info strings are: nothing else of ours to
        // read, and collecting the characters was 1 M instructions over the CommonMark spec's
        // 705 blocks. Anything after the language (`hl_lines="3 4"`) is not ours.
        let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
        return Info {
            lang,
            ..Info::default()
        };
    }
    let chars: Vec<char> = info.chars().collect();
    let mut p = InfoParser {
        cur: Cursor {
            chars: &chars,
            i: 0,
        },
        file,
        line,
        first_col,
        diagnostics,
    };
    p.cur.skip_ws();
    if p.cur.peek() == Some('{') {
        // Pandoc / Quarto style (`{.python}`, `{bash echo=false}`): not our grammar, but the
        // first word still names the language.
        let inner: String = chars[p.cur.i + 1..]
            .iter()
            .take_while(|c| **c != '}')
            .collect();
        let word = inner.split([' ', ',', '\t']).next().unwrap_or("");
        return Info {
            lang: word.trim_start_matches('.').to_lowercase(),
            ..Info::default()
        };
    }
    let lang_start = p.cur.i;
    p.cur.skip_while(|c| !c.is_whitespace() && c != '{');
    let lang = p.cur.text(lang_start).to_lowercase();
    let mut out = Info {
        lang,
        ..Info::default()
    };
    p.cur.skip_ws();
    if p.cur.peek() != Some('{') {
        // Anything else after the language (`hl_lines="3 4"`, MkDocs options) is not ours.
        return out;
    }
    let open = p.cur.i;
    out.brace_col = Some(p.col(open));
    if let Some(attrs) = json_attrs(&chars[open..], p.col(open)) {
        // runme's JSON form: `{"id":"01HF…","name":"build","interactive":"false"}`.
        out.attrs = attrs;
        return out;
    }
    p.cur.i += 1;
    p.attr_list(open, &mut out.attrs);
    out
}

/// What reading at one attribute's place found.
enum Next {
    Attr(RawAttr),
    /// A mistake was reported; the list goes on after it.
    Skip,
    /// The rest of the line cannot be read (an unterminated quote).
    Stop,
}

/// The attribute list's reader: the cursor, and where its diagnostics point.
struct InfoParser<'a, 'd> {
    cur: Cursor<'a>,
    file: &'a str,
    line: usize,
    first_col: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl InfoParser<'_, '_> {
    /// The file column of character `i`.
    fn col(&self, i: usize) -> usize {
        self.first_col + i
    }

    fn err(&mut self, i: usize, msg: impl Into<String>) {
        let diagnostic = error(self.file, self.line, self.col(i), &msg.into());
        self.diagnostics.push(diagnostic);
    }

    /// The attributes after the `{` at `open`, up to the closing `}` (text after it is
    /// ignored with a warning).
    fn attr_list(&mut self, open: usize, attrs: &mut Vec<RawAttr>) {
        loop {
            self.cur.skip_ws();
            let Some(c) = self.cur.peek() else {
                let at = self.cur.i;
                let open_col = self.col(open);
                self.err(
                    at,
                    format!("missing `}}` to close the attribute list opened at column {open_col}"),
                );
                return;
            };
            if c == '}' {
                self.cur.i += 1;
                self.cur.skip_ws();
                if self.cur.peek().is_some() {
                    self.diagnostics.push(Diagnostic {
                        severity: Severity::Warning,
                        pos: SourcePos {
                            file: self.file.to_string(),
                            line: self.line,
                            column: self.col(self.cur.i),
                        },
                        message: "text after the attribute list is ignored".to_string(),
                    });
                }
                return;
            }
            match self.attr() {
                Next::Attr(attr) => attrs.push(attr),
                Next::Skip => {}
                Next::Stop => return,
            }
        }
    }

    /// One `key`, `key=value` or `key="value"`.
    fn attr(&mut self) -> Next {
        let key_start = self.cur.i;
        self.cur
            .skip_while(|c| !c.is_whitespace() && !matches!(c, '=' | '}' | '"' | '\'' | '{' | ','));
        let key = self.cur.text(key_start);
        let mut value = None;
        let mut value_col = self.col(key_start);
        match self.cur.peek() {
            Some('=') => {
                let eq = self.cur.i;
                self.cur.i += 1;
                value_col = self.col(self.cur.i);
                match self.value(&key, eq) {
                    Ok(read) => value = Some(read),
                    Err(next) => return next,
                }
                if key.is_empty() {
                    self.err(eq, "attribute name missing before `=`");
                    return Next::Skip;
                }
            }
            Some(q @ ('"' | '\'')) if key.is_empty() => {
                self.err(self.cur.i, "expected an attribute name, found a quote");
                return match self.cur.quoted(q) {
                    Some(_) => Next::Skip,
                    None => Next::Stop,
                };
            }
            Some('{') => {
                self.err(self.cur.i, "unexpected `{` inside the attribute list");
                self.cur.i += 1;
                return Next::Skip;
            }
            _ => {}
        }
        if let Some(c) = self
            .cur
            .peek()
            .filter(|c| !c.is_whitespace() && *c != '}' && *c != ',')
        {
            self.err(
                self.cur.i,
                format!("expected a space or `}}` after attribute `{key}`, found `{c}`"),
            );
            self.cur.skip_while(|c| !c.is_whitespace() && c != '}');
        }
        Next::Attr(RawAttr {
            key,
            value,
            key_col: self.col(key_start),
            value_col,
        })
    }

    /// The value after the `=` at `eq` (the cursor is just past it); `Err` says how the list
    /// goes on when there is none.
    fn value(&mut self, key: &str, eq: usize) -> Result<String, Next> {
        let start = self.cur.i;
        let value = match self.cur.peek() {
            Some(q @ ('"' | '\'')) => match self.cur.quoted(q) {
                Some(v) => v,
                None => {
                    self.err(
                        start,
                        format!("unterminated quoted value: add the closing {q}"),
                    );
                    return Err(Next::Stop);
                }
            },
            Some(c) if !c.is_whitespace() && c != '}' => {
                self.cur
                    .skip_while(|c| !c.is_whitespace() && c != '}' && c != ',');
                self.cur.text(start)
            }
            _ => {
                let what = if key.is_empty() { "`=`" } else { "attribute" };
                let name = if key.is_empty() {
                    String::new()
                } else {
                    format!(" `{key}`")
                };
                self.err(eq, format!("{what}{name} has no value after `=`"));
                return Err(Next::Skip);
            }
        };
        Ok(value)
    }
}

struct Cursor<'a> {
    chars: &'a [char],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn skip_while(&mut self, mut keep: impl FnMut(char) -> bool) {
        while self.peek().is_some_and(&mut keep) {
            self.i += 1;
        }
    }

    /// The characters from `start` to the cursor.
    fn text(&self, start: usize) -> String {
        self.chars[start..self.i].iter().collect()
    }

    /// Skips spaces, and the commas some generators put between attributes
    /// (`{collapse=true,title=".gitignore"}` in Docker's docs).
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == ',') {
            self.i += 1;
        }
    }

    /// Reads a quoted value starting at the quote; `None` (cursor unchanged) if unterminated.
    fn quoted(&mut self, quote: char) -> Option<String> {
        let mut i = self.i + 1;
        let mut out = String::new();
        while let Some(&c) = self.chars.get(i) {
            match c {
                '\\' if matches!(self.chars.get(i + 1), Some(&n) if n == quote || n == '\\') => {
                    out.push(self.chars[i + 1]);
                    i += 2;
                }
                c if c == quote => {
                    self.i = i + 1;
                    return Some(out);
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        None
    }
}

/// ` (did you mean `x`?)` when `word` is a likely typo of one of `known`, else empty.
/// (strsim's Levenshtein distance: the crate clap already brings in.)
pub fn suggest(word: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// The attributes of a JSON object info string (runme writes them so), with the column of
/// the object for every attribute; `None` when `text` is not one.
fn json_attrs(text: &[char], col: usize) -> Option<Vec<RawAttr>> {
    let text: String = text.iter().collect();
    let text = text.trim_end();
    if !text.starts_with("{\"") {
        return None;
    }
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    Some(
        map.into_iter()
            .map(|(key, value)| {
                let value = match value {
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                };
                RawAttr {
                    key,
                    value,
                    key_col: col,
                    value_col: col,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(info: &str) -> String {
        parse_info(info, "t.md", 1, 4, &mut Vec::new()).lang
    }

    #[test]
    fn the_language_is_the_first_word_with_or_without_attributes() {
        // Without a brace (the quick path) and with one (the attribute grammar): the same word.
        for (bare, braced) in [
            ("sh", "sh {id=a}"),
            ("  Python  hl_lines=\"3 4\"", "  Python {id=a}"),
            ("DOCKERFILE\t", "DOCKERFILE\t{id=a}"),
        ] {
            assert_eq!(lang(bare), lang(braced), "{bare:?} / {braced:?}");
        }
        assert_eq!(lang("  Python  hl_lines=\"3 4\""), "python");
        assert_eq!(lang(""), "");
        assert_eq!(lang("{.python echo=false}"), "python");
    }
}
