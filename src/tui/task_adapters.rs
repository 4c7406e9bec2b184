//! The loop's side of tasks and handoffs: which workspace files `e` offers, which globs the
//! chapter's watcher follows, and running the learner's editor or shell with the terminal
//! handed over. Knows the course model and the workspace; the decisions stay in `update`.

use std::collections::BTreeSet;
use std::path::Path;

use super::adapters::chapter_dir;
use super::handoff::{self, Handoff};
use super::msg::ProgressUpdate;
use super::msg::{FileWriteResult, StepRequest};
use super::state::{Resume, SavedStatus, TaskState};
use super::watch::TaskGlobs;
use crate::lesson::{Course, Step, StepKind};
use crate::progress::CourseProgress;
use crate::runner::{self, FileWrite, StepSpec, Workspace};

/// Most files a glob may offer in the picker (a `**` over a big tree must not flood it).
const MAX_GLOB_FILES: usize = 20;
/// How deep a glob search walks below the chapter's folder.
const MAX_DEPTH: usize = 4;

/// The files `e` offers, relative to the chapter's folder, most relevant first: the focused
/// step's own (a file step's path; a task's watched paths, the files its globs match and the
/// files its solution writes), then every file step of the chapter. Each once.
pub fn edit_candidates(
    course: &Course,
    workspace: &Workspace,
    chapter: usize,
    focused: Option<usize>,
) -> Vec<String> {
    let Some(ch) = course.chapters.get(chapter) else {
        return Vec::new();
    };
    let dir = chapter_dir(workspace, course, chapter).ok();
    let mut files: Vec<String> = Vec::new();
    let push = |path: &str, files: &mut Vec<String>| {
        let path = path.trim_start_matches("./").to_string();
        if !path.is_empty() && !files.contains(&path) {
            files.push(path);
        }
    };
    if let Some(step) = focused.and_then(|i| ch.steps.get(i)) {
        if let StepKind::File { path } = &step.kind {
            push(path, &mut files);
        }
        for glob in watch_globs(step) {
            if is_literal(glob) {
                push(glob, &mut files);
            } else if let Some(dir) = &dir {
                for found in glob_files(dir, &step.id, glob) {
                    push(&found, &mut files);
                }
            }
        }
        // The files the task's solution writes are the ones the task is about (a name only,
        // not a spoiler).
        for solution_step in step.task.iter().flat_map(|t| &t.solution) {
            if let StepKind::File { path } = &solution_step.kind {
                push(path, &mut files);
            }
        }
    }
    for step in &ch.steps {
        if let StepKind::File { path } = &step.kind {
            push(path, &mut files);
        }
    }
    files
}

/// A task's `watch` globs (none for other steps).
pub fn watch_globs(step: &crate::lesson::Step) -> &[String] {
    step.task.as_ref().map_or(&[], |t| t.watch.as_slice())
}

/// The globs of the chapter's tasks that watch something, and problems compiling them.
pub fn chapter_globs(course: &Course, chapter: usize) -> (Vec<TaskGlobs>, Vec<String>) {
    let mut globs = Vec::new();
    let mut problems = Vec::new();
    for step in course.chapters.get(chapter).map_or(&[][..], |c| &c.steps) {
        let watch = watch_globs(step);
        if watch.is_empty() {
            continue;
        }
        match TaskGlobs::new(&step.id, watch) {
            Ok(g) => globs.push(g),
            Err(err) => problems.push(err),
        }
    }
    (globs, problems)
}

fn is_literal(glob: &str) -> bool {
    !glob.contains(['*', '?', '[', '{'])
}

/// Existing files under `dir` that `glob` matches (hidden folders skipped, bounded).
fn glob_files(dir: &Path, step_id: &str, glob: &str) -> Vec<String> {
    let Ok(globs) = TaskGlobs::new(step_id, &[glob.to_string()]) else {
        return Vec::new();
    };
    let mut found = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((folder, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && !hidden && depth < MAX_DEPTH {
                stack.push((path, depth + 1));
            } else if kind.is_file()
                && let Ok(rel) = path.strip_prefix(dir)
                && globs.matches(rel)
            {
                found.insert(rel.to_string_lossy().into_owned());
            }
        }
    }
    found.into_iter().take(MAX_GLOB_FILES).collect()
}

/// Step `k` of the solution of the task a request names.
fn solution_step<'a>(
    course: &'a Course,
    request: &StepRequest,
    k: usize,
) -> Result<&'a Step, String> {
    course
        .chapters
        .get(request.chapter)
        .and_then(|c| c.steps.get(request.step))
        .and_then(|s| s.task.as_ref())
        .and_then(|t| t.solution.get(k))
        .ok_or_else(|| format!("the task has no solution step {}", k + 1))
}

/// The process spec of a solution's command step: it runs like a step of the chapter.
pub fn solution_spec(
    course: &Course,
    workspace: &Workspace,
    request: &StepRequest,
    k: usize,
) -> Result<StepSpec, String> {
    let step = solution_step(course, request, k)?;
    super::adapters::spec_in_chapter(course, workspace, request, step)
}

/// Writes a solution's file step; a different file is replaced only with `overwrite`.
pub fn write_solution_file(
    course: &Course,
    workspace: &Workspace,
    request: &StepRequest,
    k: usize,
    overwrite: bool,
) -> FileWriteResult {
    let step = match solution_step(course, request, k) {
        Ok(step) => step,
        Err(err) => return FileWriteResult::Error(err),
    };
    let StepKind::File { path } = &step.kind else {
        return FileWriteResult::Error("not a file step".into());
    };
    let dir = match chapter_dir(workspace, course, request.chapter) {
        Ok(dir) => dir,
        Err(err) => return FileWriteResult::Error(err),
    };
    match runner::write_file_step(&dir, path, &step.code, overwrite) {
        Ok(FileWrite::Created(_) | FileWrite::Replaced(_)) => FileWriteResult::Written {
            path: path.clone(),
            bytes: step.code.len(),
        },
        Ok(FileWrite::Unchanged(_)) => FileWriteResult::Unchanged { path: path.clone() },
        Ok(FileWrite::Differs(_)) => FileWriteResult::Differs { path: path.clone() },
        Err(err) => FileWriteResult::Error(err.to_string()),
    }
}

/// What the store keeps of a task's hints and solution, as the card shows them; a task whose
/// check once passed stays solved (a later failing run does not undo it).
pub fn restore_tasks(resume: &mut Resume, progress: &CourseProgress) {
    for (id, record) in &progress.tasks {
        resume.tasks.insert(
            id.clone(),
            TaskState {
                hints_shown: record.hints_revealed as usize,
                solution_shown: record.needed_solution(),
                ..TaskState::default()
            },
        );
        if progress.task_solved(id) {
            resume.saved.insert(id.clone(), SavedStatus::Passed);
        }
    }
}

/// The change of a task's record a progress update makes.
pub fn task_change(update: &ProgressUpdate) -> Box<dyn FnOnce(&mut CourseProgress) + Send> {
    match update.clone() {
        ProgressUpdate::TaskHints { step_id, revealed } => Box::new(move |p| {
            let record = p.task_mut(&step_id);
            let revealed = revealed as u32;
            record.hints_revealed = record.hints_revealed.max(revealed);
        }),
        ProgressUpdate::SolutionViewed { step_id } => {
            Box::new(move |p| p.task_mut(&step_id).solution_viewed = true)
        }
        ProgressUpdate::SolutionApplied { step_id } => {
            Box::new(move |p| p.task_mut(&step_id).solution_applied = true)
        }
        ProgressUpdate::Step { .. } | ProgressUpdate::Current { .. } => Box::new(|_| {}),
    }
}

/// The learner's editor on `path` (relative to the chapter's folder).
pub fn editor(
    course: &Course,
    workspace: &Workspace,
    chapter: usize,
    path: &str,
) -> Result<Handoff, String> {
    let dir = chapter_dir(workspace, course, chapter)?;
    // A file in a folder that does not exist yet (the task asks to create it).
    if let Some(parent) = dir.join(path).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    handoff::editor(
        |name| crate::settings::get().var(name),
        |program| which::which(program).is_ok(),
        path,
        &dir,
    )
}

/// The learner's shell in the chapter's folder.
pub fn shell(course: &Course, workspace: &Workspace, chapter: usize) -> Result<Handoff, String> {
    let dir = chapter_dir(workspace, course, chapter)?;
    Ok(handoff::shell(
        |name| crate::settings::get().var(name),
        &dir,
        &course.id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_find_files_but_not_in_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/deep")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        for f in ["src/a.py", "src/deep/b.py", ".git/c.py", "d.txt"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        assert_eq!(
            glob_files(dir.path(), "t", "**/*.py"),
            ["src/a.py", "src/deep/b.py"]
        );
        assert!(is_literal("Dockerfile") && !is_literal("*.py"));
    }

    #[test]
    fn e_offers_the_tasks_files_first_then_the_chapters() {
        let md = "```text {file=\"notes.md\"}\nx\n```\n\nFix it.\n\n\
                  ```sh {task id=t watch=\"Dockerfile src/*.py\"}\ntrue\n```\n\n\
                  <details><summary>Solution</summary>\n\n\
                  ```text {file=\"compose.yaml\"}\ny\n```\n\n</details>\n\n\
                  ```text {file=\"Dockerfile\"}\nz\n```\n";
        let (chapter, diags) = crate::lesson::parse_chapter("c.md", "c.md", md);
        assert!(diags.is_empty(), "{diags:?}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/app.py"), "").unwrap();
        let course = Course {
            id: "c".into(),
            title: "c".into(),
            description: None,
            version: None,
            images: Vec::new(),
            source: crate::lesson::CourseSource::Embedded,
            chapters: vec![chapter],
            assets: Vec::new(),
            diagnostics: Vec::new(),
        };
        let ws = Workspace {
            root: dir.path().to_path_buf(),
            written: Vec::new(),
            skipped: Vec::new(),
        };
        assert_eq!(
            edit_candidates(&course, &ws, 0, Some(1)),
            ["Dockerfile", "src/app.py", "compose.yaml", "notes.md"]
        );
        assert_eq!(
            edit_candidates(&course, &ws, 0, None),
            ["notes.md", "Dockerfile"]
        );
    }

    #[test]
    fn hints_and_solution_are_recorded_and_come_back_at_the_next_start() {
        let mut progress = CourseProgress::default();
        let updates = [
            ProgressUpdate::TaskHints {
                step_id: "t".into(),
                revealed: 2,
            },
            // A late, smaller count never lowers what was revealed.
            ProgressUpdate::TaskHints {
                step_id: "t".into(),
                revealed: 1,
            },
            ProgressUpdate::SolutionViewed {
                step_id: "t".into(),
            },
        ];
        for update in &updates {
            task_change(update)(&mut progress);
        }
        let record = progress.task("t").unwrap();
        assert_eq!(record.hints_revealed, 2);
        assert!(record.solution_viewed && !record.solution_applied);
        progress.apply_check("t", crate::progress::StepRun::passed());
        progress.apply_check("t", crate::progress::StepRun::failed("exit code 1", None));
        let mut resume = Resume::default();
        restore_tasks(&mut resume, &progress);
        assert_eq!(resume.tasks["t"].hints_shown, 2);
        assert!(resume.tasks["t"].solution_shown);
        assert_eq!(
            resume.saved.get("t"),
            Some(&SavedStatus::Passed),
            "solved stays solved"
        );
    }
}
