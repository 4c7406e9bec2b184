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
    let chars: Vec<char> = info.chars().collect();
    let mut p = Cursor {
        chars: &chars,
        i: 0,
    };
    let col = |i: usize| first_col + i;
    let err = |i: usize, msg: String| error(file, line, col(i), &msg);

    p.skip_ws();
    if p.peek() == Some('{') {
        // Pandoc / Quarto style (`{.python}`, `{bash echo=false}`): not our grammar, but the
        // first word still names the language.
        let inner: String = chars[p.i + 1..].iter().take_while(|c| **c != '}').collect();
        let word = inner.split([' ', ',', '\t']).next().unwrap_or("");
        return Info {
            lang: word.trim_start_matches('.').to_lowercase(),
            ..Info::default()
        };
    }
    let lang_start = p.i;
    while p.peek().is_some_and(|c| !c.is_whitespace() && c != '{') {
        p.i += 1;
    }
    let lang = chars[lang_start..p.i]
        .iter()
        .collect::<String>()
        .to_lowercase();
    let mut out = Info {
        lang,
        ..Info::default()
    };
    p.skip_ws();
    if p.peek() != Some('{') {
        // Anything else after the language (`hl_lines="3 4"`, MkDocs options) is not ours.
        return out;
    }
    let open = p.i;
    out.brace_col = Some(col(open));
    if let Some(attrs) = json_attrs(&chars[open..], col(open)) {
        // runme's JSON form: `{"id":"01HF…","name":"build","interactive":"false"}`.
        out.attrs = attrs;
        return out;
    }
    p.i += 1;
    loop {
        p.skip_ws();
        let Some(c) = p.peek() else {
            diagnostics.push(err(
                p.i,
                format!(
                    "missing `}}` to close the attribute list opened at column {}",
                    col(open)
                ),
            ));
            return out;
        };
        if c == '}' {
            p.i += 1;
            p.skip_ws();
            if p.peek().is_some() {
                let msg = "text after the attribute list is ignored".to_string();
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    pos: SourcePos {
                        file: file.to_string(),
                        line,
                        column: col(p.i),
                    },
                    message: msg,
                });
            }
            return out;
        }
        let key_start = p.i;
        while p
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '=' | '}' | '"' | '\'' | '{' | ','))
        {
            p.i += 1;
        }
        let key: String = chars[key_start..p.i].iter().collect();
        let mut value = None;
        let mut value_col = col(key_start);
        match p.peek() {
            Some('=') => {
                let eq = p.i;
                p.i += 1;
                value_col = col(p.i);
                match p.peek() {
                    Some(q @ ('"' | '\'')) => match p.quoted(q) {
                        Some(v) => value = Some(v),
                        None => {
                            diagnostics.push(err(
                                value_col - first_col,
                                format!("unterminated quoted value: add the closing {q}"),
                            ));
                            return out;
                        }
                    },
                    Some(c) if !c.is_whitespace() && c != '}' => {
                        let start = p.i;
                        while p
                            .peek()
                            .is_some_and(|c| !c.is_whitespace() && c != '}' && c != ',')
                        {
                            p.i += 1;
                        }
                        value = Some(chars[start..p.i].iter().collect());
                    }
                    _ => {
                        let what = if key.is_empty() { "`=`" } else { "attribute" };
                        let name = if key.is_empty() {
                            String::new()
                        } else {
                            format!(" `{key}`")
                        };
                        diagnostics.push(err(eq, format!("{what}{name} has no value after `=`")));
                        continue;
                    }
                }
                if key.is_empty() {
                    diagnostics.push(err(eq, "attribute name missing before `=`".to_string()));
                    continue;
                }
            }
            Some(q @ ('"' | '\'')) if key.is_empty() => {
                diagnostics.push(err(
                    p.i,
                    "expected an attribute name, found a quote".to_string(),
                ));
                if p.quoted(q).is_none() {
                    return out;
                }
                continue;
            }
            Some('{') => {
                diagnostics.push(err(
                    p.i,
                    "unexpected `{` inside the attribute list".to_string(),
                ));
                p.i += 1;
                continue;
            }
            _ => {}
        }
        if let Some(c) = p
            .peek()
            .filter(|c| !c.is_whitespace() && *c != '}' && *c != ',')
        {
            diagnostics.push(err(
                p.i,
                format!("expected a space or `}}` after attribute `{key}`, found `{c}`"),
            ));
            while p.peek().is_some_and(|c| !c.is_whitespace() && c != '}') {
                p.i += 1;
            }
        }
        out.attrs.push(RawAttr {
            key,
            value,
            key_col: col(key_start),
            value_col,
        });
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
