//! The official course, compiled into the binary: chapters and `course.toml` from the repo's
//! `lessons/`, assets from its top-level `assets/`. `build.rs` makes added files rebuild it.

use include_dir::{Dir, DirEntry, include_dir};

use super::course::{ChapterFile, CourseFiles, build};
use super::front::error;
use super::model::{Asset, Course, CourseSource};

static LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");
static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The embedded course. Never fails: problems are in `course.diagnostics`.
pub fn load_embedded() -> Course {
    let mut diagnostics = Vec::new();
    let mut chapters = Vec::new();
    let mut course_toml = None;
    for file in LESSONS.files() {
        let name = file.path().to_string_lossy().into_owned();
        let display_path = format!("lessons/{name}");
        if name == "course.toml" {
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            course_toml = Some((display_path, text));
        } else if name.ends_with(".md") {
            let text = file
                .contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| "not valid UTF-8".to_string());
            chapters.push(ChapterFile {
                file_name: name,
                display_path,
                text,
            });
        }
    }
    if chapters.is_empty() {
        diagnostics.push(error(
            "lessons",
            1,
            1,
            "the embedded course has no chapters",
        ));
    }
    let mut assets = Vec::new();
    collect_assets(&ASSETS, &mut assets);
    assets.sort_by(|a, b| a.path.cmp(&b.path));
    build(CourseFiles {
        source: CourseSource::Embedded,
        default_id: "docker-guide".to_string(),
        default_title: "docker-guide".to_string(),
        course_toml,
        chapters,
        assets,
        diagnostics,
    })
}

fn collect_assets(dir: &Dir<'static>, out: &mut Vec<Asset>) {
    for entry in dir.entries() {
        let path = entry.path().to_string_lossy().replace('\\', "/");
        let name = path.rsplit('/').next().unwrap_or(&path);
        if super::load::is_ignored_asset(name) {
            continue;
        }
        match entry {
            DirEntry::Dir(sub) => collect_assets(sub, out),
            DirEntry::File(file) => out.push(Asset {
                path,
                contents: file.contents().to_vec(),
            }),
        }
    }
}
