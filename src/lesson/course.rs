//! Assembling a [`Course`] from files already read (from disk or from the binary):
//! `course.toml`, chapters in file-name order, assets.

use std::cmp::Ordering;

use super::front::{error, one_line};
use super::model::{Asset, Course, CourseSource, Diagnostic, Severity, SourcePos};
use super::parse::parse_owned;
use super::pos::LineIndex;

const COURSE_KEYS: &[&str] = &["id", "title", "description", "version", "images"];

/// A chapter file: its name, how to show its path, and its text (or why it could not be read).
pub struct ChapterFile {
    pub file_name: String,
    pub display_path: String,
    pub text: Result<String, String>,
}

/// Everything a course is made of, before parsing.
pub struct CourseFiles {
    pub source: CourseSource,
    /// The id when `course.toml` gives none (folder name or file stem).
    pub default_id: String,
    /// The title when neither `course.toml` nor a README/index chapter gives one.
    pub default_title: String,
    /// `(display path, text)` of `course.toml`.
    pub course_toml: Option<(String, String)>,
    pub chapters: Vec<ChapterFile>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses every chapter (a broken one is reported and skipped, never fatal) and the manifest.
pub fn build(mut files: CourseFiles) -> Course {
    files
        .chapters
        .sort_by(|a, b| natural_cmp(&a.file_name, &b.file_name));
    let mut diagnostics = files.diagnostics;
    let mut course = Course {
        id: files.default_id,
        title: String::new(),
        description: None,
        version: None,
        images: Vec::new(),
        source: files.source,
        chapters: Vec::new(),
        assets: files.assets,
        diagnostics: Vec::new(),
    };
    let mut title = None;
    if let Some((path, text)) = &files.course_toml {
        title = read_manifest(&mut course, path, text, &mut diagnostics);
    }
    for file in files.chapters {
        match file.text {
            Ok(text) => {
                let (chapter, found) = parse_owned(&file.display_path, &file.file_name, text);
                diagnostics.extend(found);
                course.chapters.push(chapter);
            }
            Err(why) => diagnostics.push(error(&file.display_path, 1, 1, &why)),
        }
    }
    course.title = title
        .or_else(|| index_title(&course))
        .unwrap_or(files.default_title);
    course.diagnostics = diagnostics;
    let origin = match (&files.course_toml, &course.source) {
        (Some((path, _)), _) => path.clone(),
        (None, CourseSource::Dir(path) | CourseSource::File(path)) => path.display().to_string(),
        (None, CourseSource::Embedded) => "lessons".to_string(),
    };
    super::clean::clean_course(&mut course, &origin);
    course
}

/// A README / index chapter's own title (from front matter or a heading), if it has one.
fn index_title(course: &Course) -> Option<String> {
    if let [only] = course.chapters.as_slice() {
        return Some(only.title.clone());
    }
    course
        .chapters
        .iter()
        .find(|c| {
            let name = c.file_name.to_lowercase();
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            matches!(stem, "readme" | "index" | "_index") && c.title.to_lowercase() != stem
        })
        .map(|c| c.title.clone())
}

/// Reads `course.toml` into `course`; returns its title.
fn read_manifest(
    course: &mut Course,
    path: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let index = LineIndex::new(text, 1);
    let table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(err) => {
            let (line, col) = index.line_col(err.span().map_or(0, |s| s.start));
            let msg = format!("course.toml is not valid TOML: {}", one_line(err.message()));
            diagnostics.push(error(path, line, col, &msg));
            return None;
        }
    };
    let mut title = None;
    for (key, value) in &table {
        let (line, col) = index.key_line_col(key);
        let text_value = value.as_str().map(str::trim).filter(|s| !s.is_empty());
        let problem = match (key.as_str(), text_value) {
            ("id", Some(id)) => {
                course.id = id.to_string();
                None
            }
            ("title", Some(t)) => {
                title = Some(t.to_string());
                None
            }
            ("description", Some(d)) => {
                course.description = Some(d.to_string());
                None
            }
            ("version", Some(v)) => {
                course.version = Some(v.to_string());
                None
            }
            ("id" | "title" | "description" | "version", None) => {
                Some(format!("`{key}` must be a non-empty string"))
            }
            ("images", _) => {
                let list: Option<Vec<String>> = value.as_array().and_then(|items| {
                    items
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect()
                });
                match list {
                    Some(list) => {
                        course.images = list;
                        None
                    }
                    None => Some("`images` must be a list of image names".to_string()),
                }
            }
            (other, _) => {
                let hint = super::attrs::suggest(other, COURSE_KEYS);
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    pos: SourcePos {
                        file: path.to_string(),
                        line,
                        column: col,
                    },
                    message: format!("unknown course.toml key `{other}`{hint}; it is ignored"),
                });
                None
            }
        };
        if let Some(message) = problem {
            diagnostics.push(error(path, line, col, &message));
        }
    }
    title
}

/// File-name order where digit runs compare as numbers: `2-x.md` before `10-y.md`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = std::str::from_utf8(&a[..da])
                    .unwrap_or("0")
                    .trim_start_matches('0');
                let nb = std::str::from_utf8(&b[..db])
                    .unwrap_or("0")
                    .trim_start_matches('0');
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                (a, b) = (&a[1..], &b[1..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["10-end.md", "2-b.md", "01-a.md", "readme.md", "02-a.md"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["01-a.md", "02-a.md", "2-b.md", "10-end.md", "readme.md"]
        );
    }
}
