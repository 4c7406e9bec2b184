//! Loading a course from disk: a folder of chapters or a single markdown file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::course::{ChapterFile, CourseFiles, build};
use super::front::error;
use super::model::{Asset, Course, CourseSource, Diagnostic};

/// Why a course could not be opened at all (problems *inside* a course are diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: not a markdown file (expected a folder of .md chapters or one .md file)", .0.display())]
    NotMarkdown(PathBuf),
    #[error("{}: no chapters: the folder holds no .md file", .0.display())]
    NoChapters(PathBuf),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LessonError + '_ {
    move |source| {
        if source.kind() == io::ErrorKind::NotFound {
            LessonError::NotFound(path.to_path_buf())
        } else {
            LessonError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// Loads a course folder (`*.md` chapters, optional `course.toml` and `assets/`) or a single
/// markdown file as a one-chapter course.
pub fn load_path(path: &Path) -> Result<Course, LessonError> {
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if meta.is_dir() {
        load_dir(path)
    } else {
        load_file(path)
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown"))
}

fn load_file(path: &Path) -> Result<Course, LessonError> {
    if !is_markdown(path) {
        return Err(LessonError::NotMarkdown(path.to_path_buf()));
    }
    let bytes = fs::read(path).map_err(io_error(path))?;
    let display_path = path.display().to_string();
    let file_name = file_name(path);
    let stem = stem(path);
    let mut diagnostics = Vec::new();
    let text = decode(&display_path, bytes, &mut diagnostics);
    Ok(build(CourseFiles {
        source: CourseSource::File(path.to_path_buf()),
        default_id: stem.clone(),
        default_title: stem,
        course_toml: None,
        chapters: vec![ChapterFile {
            file_name,
            display_path,
            text: Ok(text),
        }],
        assets: Vec::new(),
        diagnostics,
    }))
}

fn load_dir(dir: &Path) -> Result<Course, LessonError> {
    if super::killercoda::is_scenario(dir) {
        return super::killercoda::load_scenario(dir);
    }
    let entries = fs::read_dir(dir).map_err(io_error(dir))?;
    let mut diagnostics = Vec::new();
    let mut chapters = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        if !is_markdown(&path) || !path.is_file() {
            continue;
        }
        let display_path = path.display().to_string();
        let text = fs::read(&path)
            .map(|bytes| decode(&display_path, bytes, &mut diagnostics))
            .map_err(|e| format!("cannot read this chapter: {e}"));
        chapters.push(ChapterFile {
            file_name: file_name(&path),
            display_path,
            text,
        });
    }
    if chapters.is_empty() {
        return Err(LessonError::NoChapters(dir.to_path_buf()));
    }
    let manifest = dir.join("course.toml");
    let course_toml = match fs::read_to_string(&manifest) {
        Ok(text) => Some((manifest.display().to_string(), text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => {
            let why = format!("cannot read course.toml: {e}");
            diagnostics.push(error(&manifest.display().to_string(), 1, 1, &why));
            None
        }
    };
    let mut assets = Vec::new();
    let assets_dir = dir.join("assets");
    if assets_dir.is_dir() {
        read_assets(&assets_dir, "", &mut assets, &mut diagnostics);
        assets.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(
            || "course".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    Ok(build(CourseFiles {
        source: CourseSource::Dir(dir.to_path_buf()),
        default_id: name.clone(),
        default_title: name,
        course_toml,
        chapters,
        assets,
        diagnostics,
    }))
}

/// Reads `dir` recursively into `assets` with `/`-separated paths under `prefix`.
/// Placeholders and caches are skipped (see [`is_ignored_asset`]); symlinked folders are not followed.
fn read_assets(dir: &Path, prefix: &str, assets: &mut Vec<Asset>, diags: &mut Vec<Diagnostic>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let why = format!("cannot read assets folder: {e}");
            diags.push(error(&dir.display().to_string(), 1, 1, &why));
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if is_ignored_asset(&name) {
            continue;
        } else if kind.is_dir() {
            read_assets(&path, &format!("{rel}/"), assets, diags);
        } else {
            match fs::read(&path) {
                Ok(contents) => assets.push(Asset {
                    path: rel,
                    contents,
                }),
                Err(e) => {
                    let why = format!("cannot read asset: {e}");
                    diags.push(error(&path.display().to_string(), 1, 1, &why));
                }
            }
        }
    }
}

/// Placeholders and tool caches that are not part of a course's files.
pub(super) fn is_ignored_asset(name: &str) -> bool {
    matches!(
        name,
        ".keep" | ".gitkeep" | ".DS_Store" | "__pycache__" | ".pytest_cache" | ".mypy_cache"
    ) || name.ends_with(".pyc")
}

/// UTF-8 text of a chapter; invalid bytes are replaced and reported.
fn decode(display_path: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let why = "not valid UTF-8: invalid bytes are shown as \u{fffd}";
            diags.push(error(display_path, line, column, why));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "course".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
