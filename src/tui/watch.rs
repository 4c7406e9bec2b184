//! Watching the workspace for a chapter's tasks: `watch="GLOB …"` paths whose saves re-run a
//! task's check. One debounced watcher (notify-debouncer-full: editors save in bursts of
//! create/rename/write events; it merges them and follows renames) on the chapter's folder;
//! each batch of changes becomes one `Msg::WatchedChange` per task whose globs match.
//! Whether the check then runs (and cancels a running one) is `update`'s decision.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use globset::{Glob, GlobSet, GlobSetBuilder};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::msg::Msg;

/// Quiet time after the last change before the check runs: one save is one run.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The globs of one task.
#[derive(Debug, Clone)]
pub struct TaskGlobs {
    pub step_id: String,
    set: GlobSet,
}

impl TaskGlobs {
    /// Compiles a task's `watch` globs (workspace-relative, `/`-separated); a bad glob is
    /// reported with the task (lint reports it too).
    pub fn new(step_id: &str, globs: &[String]) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for glob in globs {
            let glob = glob.trim_start_matches("./");
            builder.add(
                Glob::new(glob).map_err(|e| format!("task {step_id}: watch=\"{glob}\": {e}"))?,
            );
        }
        let set = builder
            .build()
            .map_err(|e| format!("task {step_id}: {e}"))?;
        Ok(Self {
            step_id: step_id.to_string(),
            set,
        })
    }

    /// Whether a changed path (relative to the watched folder) is one of the task's.
    pub fn matches(&self, relative: &Path) -> bool {
        self.set.is_match(relative)
    }
}

/// The tasks whose globs match any of `changed` (absolute paths under `root`), each once.
pub fn tasks_hit<'a>(root: &Path, tasks: &'a [TaskGlobs], changed: &[PathBuf]) -> Vec<&'a str> {
    tasks
        .iter()
        .filter(|task| {
            changed
                .iter()
                .filter_map(|p| p.strip_prefix(root).ok())
                .any(|rel| task.matches(rel))
        })
        .map(|task| task.step_id.as_str())
        .collect()
}

/// A running watcher of one chapter's folder; dropping it stops watching.
pub struct ChapterWatch {
    pub chapter: usize,
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl ChapterWatch {
    /// Watches `root` (recursively) for the chapter's tasks.
    pub fn start(
        chapter: usize,
        root: &Path,
        tasks: Vec<TaskGlobs>,
        tx: Sender<Msg>,
    ) -> Result<Self, String> {
        // Paths arrive canonical on some platforms (macOS /private/var…): compare alike.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let base = root.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                })
                .flat_map(|e| e.paths.iter().cloned())
                .collect();
            for step_id in tasks_hit(&base, &tasks, &changed) {
                let _ = tx.send(Msg::WatchedChange {
                    step_id: step_id.to_string(),
                });
            }
        })
        .map_err(|e| format!("cannot watch the workspace: {e}"))?;
        debouncer
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        Ok(Self {
            chapter,
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_workspace_relative_paths() {
        let task = TaskGlobs::new(
            "t",
            &["Dockerfile".into(), "./src/*.py".into(), "**/*.toml".into()],
        )
        .unwrap();
        assert!(task.matches(Path::new("Dockerfile")));
        assert!(task.matches(Path::new("src/app.py")));
        assert!(task.matches(Path::new("a/b/c.toml")));
        assert!(!task.matches(Path::new("Dockerfile.swp")));
        assert!(!task.matches(Path::new("other/Dockerfile")));
        assert!(TaskGlobs::new("t", &["a[".into()]).is_err());
    }

    #[test]
    fn only_the_tasks_whose_files_changed_are_hit() {
        let tasks = vec![
            TaskGlobs::new("docker", &["Dockerfile".into()]).unwrap(),
            TaskGlobs::new("compose", &["compose.yaml".into()]).unwrap(),
        ];
        let root = Path::new("/ws/ch");
        let changed = vec![
            PathBuf::from("/ws/ch/Dockerfile"),
            PathBuf::from("/ws/ch/Dockerfile"),
            PathBuf::from("/elsewhere/compose.yaml"),
        ];
        assert_eq!(tasks_hit(root, &tasks, &changed), ["docker"]);
    }

    #[test]
    fn a_save_in_the_folder_arrives_once_after_the_debounce() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let tasks = vec![TaskGlobs::new("t", &["Dockerfile".into()]).unwrap()];
        let _watch = ChapterWatch::start(0, dir.path(), tasks, tx).unwrap();
        // An editor's save: a temp file, written in pieces, renamed over the target.
        std::fs::write(dir.path().join("ignored.txt"), "x").unwrap();
        let tmp = dir.path().join(".Dockerfile.tmp");
        std::fs::write(&tmp, "FROM scratch\n").unwrap();
        std::fs::write(&tmp, "FROM scratch\nCMD x\n").unwrap();
        std::fs::rename(&tmp, dir.path().join("Dockerfile")).unwrap();
        let first = rx.recv_timeout(Duration::from_secs(5)).expect("a change");
        assert!(matches!(first, Msg::WatchedChange { ref step_id, .. } if step_id == "t"));
        assert!(
            rx.recv_timeout(DEBOUNCE * 3).is_err(),
            "one save, one message"
        );
    }
}
