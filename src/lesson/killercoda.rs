//! Killercoda (and Katacoda) markup: ```` ``` ````…```` ```{{exec}} ```` blocks, the inline
//! `` `cmd`{{exec}} `` form, `{{copy}}`, and scenario folders (`index.json` with an intro,
//! steps and a finish, each step's `verify` script its check).
//!
//! Killercoda puts `{{exec}}` after the *closing* fence, which CommonMark does not accept as
//! a closing fence: the block would swallow the rest of the file. The markers are blanked
//! out (same length, so every byte position stays) before the markdown is parsed, and
//! remembered by line.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use super::course::{ChapterFile, CourseFiles, build};
use super::load::LessonError;
use super::model::{Course, CourseSource};

/// What a Killercoda marker asks of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `{{exec}}` / `{{execute}}`: a command the learner runs.
    Exec,
    /// `{{copy}}`: text to copy, not run.
    Copy,
}

/// The markers of a chapter body, by 0-based line, and the body with them blanked.
#[derive(Debug, Default)]
pub struct Marks {
    pub by_line: HashMap<usize, Mark>,
}

impl Marks {
    /// The mark of a fenced block from its first and last line (0-based, in the body).
    pub fn of_block(&self, first: usize, last: usize) -> Option<Mark> {
        self.by_line
            .get(&last)
            .or_else(|| self.by_line.get(&first))
            .copied()
    }
}

/// Blanks `{{exec}}`, `{{execute …}}` and `{{copy}}` after a fence (opening or closing) and
/// after inline code; returns the new body (same length) and the marks of fence lines.
/// Inline marks are kept in the text as `{{exec}}` blanks too, found again by the parser
/// through [`inline_mark`] on the original.
pub fn blank_markers(body: &str) -> (String, Marks) {
    let mut marks = Marks::default();
    let mut out = String::with_capacity(body.len());
    for (n, line) in body.split_inclusive('\n').enumerate() {
        // Most lines have no `{{`: copied as they are (a `String` per line was most of the
        // official course's parse time here: its `docker ps --format '{{.Names}}'` lines).
        if memchr::memmem::find(line.as_bytes(), b"{{").is_none() {
            out.push_str(line);
            continue;
        }
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let mut line = line.to_string();
        if fence {
            if let Some((at, len, mark)) = find_marker(&line) {
                line.replace_range(at..at + len, &" ".repeat(len));
                marks.by_line.insert(n, mark);
            }
        } else {
            // `` `docker ps`{{exec}} ``: the marker right after a code span.
            let mut from = 0;
            while let Some((at, len, _)) =
                find_marker(&line[from..]).map(|(a, l, m)| (a + from, l, m))
            {
                if line[..at].ends_with('`') {
                    line.replace_range(at..at + len, &" ".repeat(len));
                }
                from = at + len;
            }
        }
        out.push_str(&line);
    }
    (out, marks)
}

/// The first marker in `text`: its byte offset, length and meaning.
fn find_marker(text: &str) -> Option<(usize, usize, Mark)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{{").map(|a| a + from) {
        let close = text[at..].find("}}").map(|c| at + c + 2)?;
        let inner = text[at + 2..close - 2].trim();
        let word = inner.split_whitespace().next().unwrap_or("");
        let mark = match word {
            "exec" | "execute" => Some(Mark::Exec),
            "copy" => Some(Mark::Copy),
            _ => None,
        };
        if let Some(mark) = mark {
            return Some((at, close - at, mark));
        }
        from = close;
    }
    None
}

/// Whether the original text right after a code span (at byte `end`) is an exec marker.
pub fn inline_mark(original: &str, end: usize) -> Option<Mark> {
    let rest = original.get(end..)?;
    if !rest.starts_with("{{") {
        return None;
    }
    find_marker(rest)
        .filter(|(at, _, _)| *at == 0)
        .map(|(_, _, m)| m)
}

#[derive(Debug, Deserialize)]
struct Index {
    title: Option<String>,
    description: Option<String>,
    details: Option<Details>,
}

#[derive(Debug, Deserialize, Default)]
struct Details {
    intro: Option<Page>,
    #[serde(default)]
    steps: Vec<Page>,
    finish: Option<Page>,
}

#[derive(Debug, Deserialize, Default, Clone)]
struct Page {
    title: Option<String>,
    text: Option<String>,
    verify: Option<String>,
    background: Option<String>,
    foreground: Option<String>,
}

/// Whether `dir` is a Killercoda scenario: an `index.json` with `details`.
pub fn is_scenario(dir: &Path) -> bool {
    fs::read_to_string(dir.join("index.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Index>(&text).ok())
        .is_some_and(|index| index.details.is_some())
}

/// Loads a Killercoda scenario folder as a course: the intro, the steps in order, the finish.
/// A step's `verify` script becomes its task (the check the learner makes pass); the
/// `background` and `foreground` scripts of a page run first, each asking before it runs
/// (Killercoda runs them as root on a throwaway machine; here it is the learner's).
pub fn load_scenario(dir: &Path) -> Result<Course, LessonError> {
    let index_path = dir.join("index.json");
    let text = fs::read_to_string(&index_path).map_err(|source| LessonError::Io {
        path: index_path.clone(),
        source,
    })?;
    let index: Index = serde_json::from_str(&text).map_err(|e| LessonError::Io {
        path: index_path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let details = index.details.unwrap_or_default();
    let mut pages: Vec<(String, Page)> = Vec::new();
    if let Some(intro) = details.intro {
        pages.push(("intro".into(), intro));
    }
    for (n, step) in details.steps.into_iter().enumerate() {
        pages.push((format!("step{}", n + 1), step));
    }
    if let Some(finish) = details.finish {
        pages.push(("finish".into(), finish));
    }
    let mut chapters = Vec::new();
    let mut titles = Vec::new();
    let mut diagnostics = Vec::new();
    let index_shown = index_path.display().to_string();
    for (n, (name, page)) in pages.iter().enumerate() {
        let read = |rel: &Option<String>| -> Option<Result<String, String>> {
            let rel = rel.as_deref()?;
            let path = dir.join(rel);
            Some(fs::read_to_string(&path).map_err(|e| format!("cannot read {rel}: {e}")))
        };
        let mut body = String::new();
        let mut error = None;
        for (script, attrs, what) in [
            (&page.background, "{confirm}", "background"),
            (&page.foreground, "{confirm}", "foreground"),
        ] {
            match read(script) {
                Some(Ok(code)) => body.push_str(&format!(
                    "The scenario's {what} script (`{}`) prepares the machine:\n\n```bash {attrs}\n{}\n```\n\n",
                    script.as_deref().unwrap_or(""),
                    code.trim_end()
                )),
                Some(Err(why)) => diagnostics.push(missing(&index_shown, &why)),
                None => {}
            }
        }
        let text = match read(&page.text) {
            Some(Ok(text)) => text,
            Some(Err(why)) => {
                error = Some(why);
                String::new()
            }
            None => String::new(),
        };
        let check = match read(&page.verify) {
            Some(Ok(code)) => Some(format!(
                "\n```bash {{task id={name}-verify}}\n{}\n```\n\n",
                code.trim_end()
            )),
            Some(Err(why)) => {
                diagnostics.push(missing(&index_shown, &why));
                None
            }
            None => None,
        };
        body.push_str(&with_check(&text, check.as_deref()));
        let file_name = format!("{:02}-{name}.md", n + 1);
        let display_path = page.text.as_deref().map_or_else(
            || index_path.display().to_string(),
            |t| dir.join(t).display().to_string(),
        );
        chapters.push(ChapterFile {
            file_name,
            display_path,
            text: match error {
                Some(why) if body.trim().is_empty() => Err(why),
                _ => Ok(body),
            },
        });
        let default_title = match name.as_str() {
            "intro" => "Introduction".to_string(),
            "finish" => "Finish".to_string(),
            _ => format!("Step {n}"),
        };
        titles.push(page.title.clone().unwrap_or(default_title));
    }
    let folder = dir
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(
            || "scenario".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    let mut course = build(CourseFiles {
        source: CourseSource::Dir(dir.to_path_buf()),
        default_id: folder.clone(),
        default_title: folder,
        course_toml: None,
        chapters,
        assets: Vec::new(),
        diagnostics,
    });
    if let Some(title) = index.title {
        course.title = title;
    }
    course.description = index.description;
    // The page titles of index.json name the chapters (their text often has no heading).
    for (chapter, title) in course.chapters.iter_mut().zip(titles) {
        chapter.title = title;
    }
    Ok(course)
}

/// A script `index.json` names but the folder lacks: the scenario still opens without it.
fn missing(index: &str, why: &str) -> super::model::Diagnostic {
    super::model::Diagnostic {
        severity: super::model::Severity::Warning,
        pos: super::model::SourcePos {
            file: index.to_string(),
            line: 1,
            column: 1,
        },
        message: format!("{why}: that script is left out"),
    }
}

/// The page text with its check inserted before the first `<details>` (so that a Solution
/// folded below belongs to the task), or at the end.
fn with_check(text: &str, check: Option<&str>) -> String {
    // Killercoda renders a page whose last `<details>` is never closed; close it here.
    let open = text.matches("<details").count();
    let closed = text.matches("</details>").count();
    let mut text = text.trim_end().to_string();
    for _ in closed..open {
        text.push_str("\n\n</details>");
    }
    text.push('\n');
    let Some(check) = check else {
        return text;
    };
    let at = text
        .match_indices("<details")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text[..i].ends_with('\n'));
    match at {
        Some(i) => format!("{}{check}{}", &text[..i], &text[i..]),
        None => format!("{}\n{check}", text.trim_end()),
    }
}
