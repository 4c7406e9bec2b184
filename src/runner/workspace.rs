//! The folder where a course's steps run: `$XDG_DATA_HOME/docker-guide/workspaces/<course-id>`
//! (or `--workspace DIR`), created on first use, with the course's assets copied in. A file the
//! learner changed is never overwritten: `.docker-guide-assets.json` remembers the sha256 of
//! what was last written, and only missing or untouched files are (re)written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::RunnerError;
use super::files::resolve_in_workspace;
use crate::lesson::model::{Chapter, Course};

/// Name of the manifest kept in the workspace.
pub const ASSET_MANIFEST: &str = ".docker-guide-assets.json";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub root: PathBuf,
    /// Assets written (missing, or unchanged since we last wrote them and now different).
    pub written: Vec<String>,
    /// Assets left alone because the learner changed them.
    pub skipped: Vec<String>,
}

impl Workspace {
    /// Where a chapter's steps run: its `workdir` inside the workspace (created), else the root.
    pub fn chapter_dir(&self, chapter: &Chapter) -> Result<PathBuf, RunnerError> {
        let Some(workdir) = chapter.front.workdir.as_deref() else {
            return Ok(self.root.clone());
        };
        let dir = resolve_in_workspace(&self.root, workdir)?;
        std::fs::create_dir_all(&dir).map_err(|source| RunnerError::Workspace {
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }
}

/// The default workspace root of a course id, from the platform's data directory.
pub fn default_workspace_dir(course_id: &str) -> Result<PathBuf, RunnerError> {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().map_err(|_| RunnerError::NoDataDir)?;
    Ok(base
        .data_dir()
        .join("docker-guide")
        .join("workspaces")
        .join(sanitize_id(course_id)))
}

/// A course id as a single safe folder name.
fn sanitize_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "course".to_owned(),
        name => name.to_owned(),
    }
}

/// Creates (if needed) the course's workspace and copies its assets in.
pub fn workspace_for(
    course: &Course,
    override_dir: Option<&Path>,
) -> Result<Workspace, RunnerError> {
    let root = match override_dir {
        Some(dir) => dir.to_path_buf(),
        None => default_workspace_dir(&course.id)?,
    };
    let ws_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RunnerError::Workspace { path, source }
    };
    std::fs::create_dir_all(&root).map_err(ws_error(&root))?;
    let manifest_path = root.join(ASSET_MANIFEST);
    let mut manifest = read_manifest(&manifest_path);
    let mut workspace = Workspace {
        root: root.clone(),
        written: Vec::new(),
        skipped: Vec::new(),
    };
    for asset in &course.assets {
        let path = resolve_in_workspace(&root, &asset.path)?;
        let wanted = sha256_hex(&asset.contents);
        match std::fs::read(&path) {
            Ok(existing) => {
                let current = sha256_hex(&existing);
                if current == wanted {
                    manifest.insert(asset.path.clone(), wanted);
                    continue;
                }
                if manifest.get(&asset.path) != Some(&current) {
                    // The learner edited it (or it was there before us): keep theirs.
                    workspace.skipped.push(asset.path.clone());
                    continue;
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(RunnerError::Write { path, source }),
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(ws_error(parent))?;
        }
        std::fs::write(&path, &asset.contents).map_err(|source| RunnerError::Write {
            path: path.clone(),
            source,
        })?;
        manifest.insert(asset.path.clone(), wanted);
        workspace.written.push(asset.path.clone());
    }
    if !course.assets.is_empty() {
        let json = serde_json::to_string_pretty(&manifest).unwrap_or_else(|_| "{}".to_owned());
        std::fs::write(&manifest_path, json + "\n").map_err(|source| RunnerError::Write {
            path: manifest_path,
            source,
        })?;
    }
    Ok(workspace)
}

fn read_manifest(path: &Path) -> BTreeMap<String, String> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::{Asset, CourseSource};

    fn course(assets: &[(&str, &str)]) -> Course {
        Course {
            id: "test-course".into(),
            title: "T".into(),
            description: None,
            version: None,
            images: vec![],
            source: CourseSource::Embedded,
            chapters: vec![],
            assets: assets
                .iter()
                .map(|(p, c)| Asset {
                    path: (*p).into(),
                    contents: c.as_bytes().to_vec(),
                })
                .collect(),
            diagnostics: vec![],
        }
    }

    #[test]
    fn copies_assets_and_never_overwrites_learner_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let v1 = course(&[("app/app.py", "v1\n"), ("requirements.txt", "flask\n")]);
        let ws = workspace_for(&v1, Some(&root)).unwrap();
        assert_eq!(ws.written, ["app/app.py", "requirements.txt"]);
        assert_eq!(
            std::fs::read_to_string(root.join("app/app.py")).unwrap(),
            "v1\n"
        );

        // Same course again: nothing to write.
        let ws = workspace_for(&v1, Some(&root)).unwrap();
        assert!(ws.written.is_empty() && ws.skipped.is_empty());

        // The learner edits one file; a new course version changes both.
        std::fs::write(root.join("app/app.py"), "mine\n").unwrap();
        let v2 = course(&[
            ("app/app.py", "v2\n"),
            ("requirements.txt", "flask\npandas\n"),
        ]);
        let ws = workspace_for(&v2, Some(&root)).unwrap();
        assert_eq!(ws.skipped, ["app/app.py"]);
        assert_eq!(ws.written, ["requirements.txt"]);
        assert_eq!(
            std::fs::read_to_string(root.join("app/app.py")).unwrap(),
            "mine\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("requirements.txt")).unwrap(),
            "flask\npandas\n"
        );

        // A deleted asset comes back.
        std::fs::remove_file(root.join("requirements.txt")).unwrap();
        let ws = workspace_for(&v2, Some(&root)).unwrap();
        assert_eq!(ws.written, ["requirements.txt"]);
    }

    #[test]
    fn default_dir_uses_xdg_data_home_and_a_safe_name() {
        // Only checks the shape: the env is shared by tests, so it is not modified here.
        let dir = default_workspace_dir("../My Course").unwrap();
        assert!(
            dir.ends_with("docker-guide/workspaces/-My-Course"),
            "{}",
            dir.display()
        );
    }
}
