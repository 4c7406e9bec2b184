//! `file` steps: write a file the lesson shows into the workspace, never outside it.

use std::path::{Component, Path, PathBuf};

use super::RunnerError;

/// What `write_file_step` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileWrite {
    /// The file did not exist and was written.
    Created(PathBuf),
    /// The file already had exactly these contents.
    Unchanged(PathBuf),
    /// A different file was there and `overwrite` was true: replaced.
    Replaced(PathBuf),
    /// A different file is there and `overwrite` was false: nothing written (ask the learner).
    Differs(PathBuf),
}

impl FileWrite {
    pub fn path(&self) -> &Path {
        match self {
            FileWrite::Created(p)
            | FileWrite::Unchanged(p)
            | FileWrite::Replaced(p)
            | FileWrite::Differs(p) => p,
        }
    }
}

/// Resolves `rel` inside `workspace`, refusing absolute paths and `..` that would leave it.
pub fn resolve_in_workspace(workspace: &Path, rel: &str) -> Result<PathBuf, RunnerError> {
    let escapes = || RunnerError::PathEscapes {
        path: rel.to_owned(),
    };
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in Path::new(rel).components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop().ok_or_else(escapes)?;
            }
            Component::RootDir | Component::Prefix(_) => return Err(escapes()),
        }
    }
    if parts.is_empty() {
        return Err(escapes());
    }
    Ok(parts
        .iter()
        .fold(workspace.to_path_buf(), |path, part| path.join(part)))
}

/// Writes a file step's contents to `workspace/rel`, creating folders.
pub fn write_file_step(
    workspace: &Path,
    rel: &str,
    contents: &str,
    overwrite: bool,
) -> Result<FileWrite, RunnerError> {
    let path = resolve_in_workspace(workspace, rel)?;
    let write_error = |source| RunnerError::Write {
        path: path.clone(),
        source,
    };
    let existed = match std::fs::read(&path) {
        Ok(existing) if existing == contents.as_bytes() => return Ok(FileWrite::Unchanged(path)),
        Ok(_) if !overwrite => return Ok(FileWrite::Differs(path)),
        Ok(_) => true,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => return Err(write_error(err)),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    std::fs::write(&path, contents).map_err(write_error)?;
    Ok(if existed {
        FileWrite::Replaced(path)
    } else {
        FileWrite::Created(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_creates_folders_and_reports_differences() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path();
        let got = write_file_step(ws, "app/src/main.py", "print(1)\n", false).unwrap();
        assert_eq!(got, FileWrite::Created(ws.join("app/src/main.py")));
        assert_eq!(
            std::fs::read_to_string(ws.join("app/src/main.py")).unwrap(),
            "print(1)\n"
        );
        assert!(matches!(
            write_file_step(ws, "app/src/main.py", "print(1)\n", false).unwrap(),
            FileWrite::Unchanged(_)
        ));
        assert!(matches!(
            write_file_step(ws, "./app/src/main.py", "print(2)\n", false).unwrap(),
            FileWrite::Differs(_)
        ));
        assert_eq!(
            std::fs::read_to_string(ws.join("app/src/main.py")).unwrap(),
            "print(1)\n"
        );
        assert!(matches!(
            write_file_step(ws, "app/x/../src/main.py", "print(2)\n", true).unwrap(),
            FileWrite::Replaced(_)
        ));
        assert_eq!(
            std::fs::read_to_string(ws.join("app/src/main.py")).unwrap(),
            "print(2)\n"
        );
    }

    #[test]
    fn refuses_paths_outside_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../evil", "/etc/passwd", "a/../../b", "", "."] {
            assert!(
                matches!(
                    write_file_step(dir.path(), bad, "x", true),
                    Err(RunnerError::PathEscapes { .. })
                ),
                "{bad}"
            );
        }
    }
}
