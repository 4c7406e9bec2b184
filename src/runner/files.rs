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

/// Resolves `rel` inside `workspace`, refusing absolute paths, `..` that would leave it, and
/// a path through a symlink that leads out of it (a `link → /outside` in the workspace would
/// otherwise let a file step write, and `reset` delete, outside it).
pub fn resolve_in_workspace(workspace: &Path, rel: &str) -> Result<PathBuf, RunnerError> {
    let path = resolve_lexically(workspace, rel)?;
    check_symlinks(workspace, &path, rel)?;
    Ok(path)
}

/// Each part of `path` below `workspace` that exists and is a symlink must resolve inside
/// the workspace (a link that dangles counts as leading out: writing through it would
/// create its target wherever it points).
fn check_symlinks(workspace: &Path, path: &Path, rel: &str) -> Result<(), RunnerError> {
    let Ok(below) = path.strip_prefix(workspace) else {
        return Ok(());
    };
    let mut root = None;
    let mut current = workspace.to_path_buf();
    for part in below.components() {
        current.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&current) else {
            // Nothing below a missing part can be a link yet.
            return Ok(());
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        let root = match &root {
            Some(root) => root,
            None => root.insert(
                std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_path_buf()),
            ),
        };
        let target = std::fs::canonicalize(&current);
        if !target.as_ref().is_ok_and(|t| t.starts_with(&*root)) {
            return Err(RunnerError::SymlinkEscapes {
                path: rel.to_owned(),
                link: current.clone(),
                target: std::fs::read_link(&current).unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// `rel` joined to `workspace` with `.` and `..` resolved by name only.
fn resolve_lexically(workspace: &Path, rel: &str) -> Result<PathBuf, RunnerError> {
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

    /// Issue 12 item 1: a symlink in the workspace leading out of it is never written through.
    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlink_out_of_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("same.txt"), "theirs\n").unwrap();
        std::os::unix::fs::symlink(&outside, ws.join("link")).unwrap();
        std::os::unix::fs::symlink(outside.join("same.txt"), ws.join("file-link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), ws.join("dangling")).unwrap();
        for rel in [
            "link/same.txt",
            "link/sub/new.txt",
            "file-link",
            "dangling",
            "a/../link/x",
        ] {
            let got = write_file_step(&ws, rel, "mine\n", true);
            assert!(
                matches!(&got, Err(RunnerError::SymlinkEscapes { .. })),
                "{rel}: {got:?}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(outside.join("same.txt")).unwrap(),
            "theirs\n"
        );
        assert!(!outside.join("sub").exists());
        assert!(!dir.path().join("nowhere").exists());
        let message = write_file_step(&ws, "link/same.txt", "x", true)
            .unwrap_err()
            .to_string();
        assert!(message.contains("symlink"), "{message}");

        // A link that stays inside the workspace is fine, and so is a workspace that is
        // itself reached through a link.
        std::fs::create_dir_all(ws.join("real")).unwrap();
        std::os::unix::fs::symlink(ws.join("real"), ws.join("inside")).unwrap();
        std::os::unix::fs::symlink(&ws, dir.path().join("ws-link")).unwrap();
        let via = dir.path().join("ws-link");
        assert!(matches!(
            write_file_step(&via, "inside/ok.txt", "ok\n", false),
            Ok(FileWrite::Created(_))
        ));
        assert_eq!(
            std::fs::read_to_string(ws.join("real/ok.txt")).unwrap(),
            "ok\n"
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
