//! Front matter: TOML between `+++` lines, or YAML between `---` lines (tolerated only at the
//! very top of the file, for Hugo / MkDocs / Docker docs pages). Detected here, before
//! markdown parsing, because pulldown-cmark's metadata option also takes `---` blocks that
//! appear later in the file.

use super::model::{Diagnostic, FrontMatter, Severity, SourcePos};
use super::pos::{LineIndex, escapes_workspace};

/// The keys a `+++` front matter may hold.
pub const FRONT_KEYS: &[&str] = &[
    "title", "requires", "workdir", "cleanup", "timeout", "minutes",
];

/// A file split into its front matter and its markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    /// The markdown body (the whole text when there is no front matter).
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_first_line: usize,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Toml,
    Yaml,
}

/// Splits `text` (BOM already removed) into front matter and body, parsing the front matter.
pub fn split<'a>(display_path: &str, text: &'a str) -> Split<'a> {
    let none = Split {
        front: FrontMatter::default(),
        body: text,
        body_first_line: 1,
        diagnostics: Vec::new(),
    };
    let (first, rest_start) = match text.find('\n') {
        Some(i) => (&text[..i], i + 1),
        None => (text, text.len()),
    };
    let kind = match first.trim_end() {
        "+++" => Kind::Toml,
        "---" => Kind::Yaml,
        _ => return none,
    };
    // Find the closing line; `offset` walks line starts from the second line on.
    let mut offset = rest_start;
    let mut line_no = 2;
    let mut close = None;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        let closes = match kind {
            Kind::Toml => line == "+++",
            Kind::Yaml => line == "---" || line == "...",
        };
        if closes {
            close = Some((offset, (end + 1).min(text.len()), line_no));
            break;
        }
        offset = end + 1;
        line_no += 1;
    }
    let inner_of = |end: usize| &text[rest_start.min(end)..end];
    match (kind, close) {
        (Kind::Yaml, None) => {
            // A lone `---` at the top is a thematic break unless what follows looks like YAML.
            if !looks_like_yaml(inner_of(text.len())) {
                return none;
            }
            let mut split = none;
            split.diagnostics.push(error(
                display_path,
                1,
                1,
                "YAML front matter opened here is never closed with a `---` line",
            ));
            split
        }
        (Kind::Yaml, Some((close_start, body_start, close_line))) => {
            let inner = inner_of(close_start);
            if !looks_like_yaml(inner) {
                return none;
            }
            let front = FrontMatter {
                title: yaml_title(inner),
                ..FrontMatter::default()
            };
            Split {
                front,
                body: &text[body_start..],
                body_first_line: close_line + 1,
                diagnostics: Vec::new(),
            }
        }
        (Kind::Toml, None) => {
            let mut split = none;
            split.diagnostics.push(error(
                display_path,
                1,
                1,
                "TOML front matter opened here is never closed with a `+++` line",
            ));
            split
        }
        (Kind::Toml, Some((close_start, body_start, close_line))) => {
            let inner = inner_of(close_start);
            let mut diagnostics = Vec::new();
            let front = parse_toml(display_path, inner, 2, &mut diagnostics);
            Split {
                front,
                body: &text[body_start..],
                body_first_line: close_line + 1,
                diagnostics,
            }
        }
    }
}

/// YAML front matter is empty or starts (after comments) with a `key:` line.
fn looks_like_yaml(inner: &str) -> bool {
    let Some(first) = inner
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return true;
    };
    let Some((key, _)) = first.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''))
}

/// The top-level `title:` of a YAML block: a tiny line-based read (no YAML parser needed).
fn yaml_title(inner: &str) -> Option<String> {
    let line = inner.lines().find(|l| l.starts_with("title:"))?;
    let value = line["title:".len()..].trim();
    let value = match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next().unwrap_or_default(),
        '|' | '>' => return None,
        _ => value.split(" #").next().unwrap_or(value).trim(),
    };
    (!value.trim().is_empty()).then(|| value.trim().to_string())
}

/// Parses TOML front matter; `first_line` is the file line of `inner`'s first line.
pub fn parse_toml(
    file: &str,
    inner: &str,
    first_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let index = LineIndex::new(inner, first_line);
    let table = match inner.parse::<toml::Table>() {
        Ok(table) => table,
        Err(err) => {
            let (line, col) = index.line_col(err.span().map_or(0, |s| s.start));
            let msg = format!(
                "front matter is not valid TOML: {}",
                one_line(err.message())
            );
            diagnostics.push(error(file, line, col, &msg));
            return FrontMatter::default();
        }
    };
    let mut front = FrontMatter::default();
    for (key, value) in &table {
        let (line, col) = index.key_line_col(key);
        let problem = match key.as_str() {
            "title" => match value.as_str() {
                Some(s) if !s.trim().is_empty() => {
                    front.title = Some(s.trim().to_string());
                    None
                }
                _ => Some(format!("front matter `{key}` must be a non-empty string")),
            },
            "requires" | "cleanup" => match string_list(value) {
                Some(list) => {
                    if key == "requires" {
                        front.requires = list;
                    } else {
                        front.cleanup = list;
                    }
                    None
                }
                None => Some(format!("front matter `{key}` must be a list of strings")),
            },
            "workdir" => match value.as_str() {
                Some(s) if escapes_workspace(s) => Some(format!(
                    "`workdir = \"{s}\"` escapes the workspace: use a relative path without `..`"
                )),
                Some(s) => {
                    front.workdir = Some(s.to_string());
                    None
                }
                None => Some(
                    "front matter `workdir` must be a string (a path relative to the workspace)"
                        .to_string(),
                ),
            },
            "timeout" => match value.as_integer() {
                Some(n) if n > 0 => {
                    front.timeout = Some(n as u64);
                    None
                }
                _ => {
                    Some("front matter `timeout` must be a positive number of seconds".to_string())
                }
            },
            "minutes" => match value.as_integer() {
                Some(n @ 1..=600) => {
                    front.minutes = Some(n as u32);
                    None
                }
                _ => Some(
                    "front matter `minutes` must be a whole number of minutes from 1 to 600 (the time a learner needs for the chapter)"
                        .to_string(),
                ),
            },
            other => {
                let hint = super::attrs::suggest(other, FRONT_KEYS);
                let message = format!("unknown front matter key `{other}`{hint}; it is ignored");
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    pos: SourcePos {
                        file: file.to_string(),
                        line,
                        column: col,
                    },
                    message,
                });
                None
            }
        };
        if let Some(message) = problem {
            diagnostics.push(error(file, line, col, &message));
        }
    }
    front
}

fn string_list(value: &toml::Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The first line of a possibly multi-line parser message.
pub fn one_line(message: &str) -> String {
    message
        .trim()
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

pub fn error(file: &str, line: usize, column: usize, message: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        pos: SourcePos {
            file: file.to_string(),
            line,
            column,
        },
        message: message.to_string(),
    }
}
