//! `docker-guide reset [CHAPTER] [--yes]`: undo what the course (or one chapter) did: stop
//! step processes left by a crash, run the chapters' cleanups, remove the containers the steps
//! named, delete the workspace (or the chapter's files) and clear the progress. Asks first on a
//! terminal; without one it needs `--yes`.

mod plan;
mod procs;

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::progress::confirm;
use super::{Outcome, load_course};
use crate::bundle::DockerCli;
use crate::cli::GlobalArgs;
use crate::lesson::Course;
use crate::runner::workspace::{ASSET_MANIFEST, default_workspace_dir};

pub use plan::{ResetPlan, container_names, plan};

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The chapter to reset (number, slug or file name); default: the whole course
    #[arg(value_name = "CHAPTER")]
    pub chapter: Option<String>,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(global: &GlobalArgs, args: ResetArgs) -> anyhow::Result<Outcome> {
    let course = load_course(global)?;
    let chapters: Vec<usize> = match &args.chapter {
        Some(query) => vec![
            course
                .find_chapter(query)
                .with_context(|| super::no_chapter_message(&course, query))?,
        ],
        None => (0..course.chapters.len()).collect(),
    };
    let whole_course = args.chapter.is_none();
    let workspace = match &global.workspace {
        Some(dir) => dir.clone(),
        None => default_workspace_dir(&course.id)?,
    };
    let plan = plan(&course, &chapters);
    // Deleting a whole folder is only safe when docker-guide made it: `--workspace ~` must not
    // cost the learner their home. Otherwise only the files the course wrote go.
    let delete_folder =
        whole_course && (global.workspace.is_none() || workspace.join(ASSET_MANIFEST).exists());

    let scope = match &args.chapter {
        Some(_) => format!(
            "chapter {} \"{}\"",
            chapters[0] + 1,
            course.chapters[chapters[0]].title
        ),
        None => format!("the course \"{}\"", course.title),
    };
    eprintln!("{}", describe(&scope, &plan, &workspace, delete_folder));
    if !args.yes && !confirm("Go ahead?")? {
        eprintln!("Nothing was changed.");
        return Ok(Outcome::Success);
    }

    let mut ok = true;
    if workspace.is_dir() {
        let leftovers = procs::leftover_steps(&workspace);
        for l in &leftovers {
            let step = if l.step.is_empty() {
                String::new()
            } else {
                format!(" of step {}", l.step)
            };
            println!("stopping step process {}{step} ({})", l.pid, l.command);
        }
        procs::stop(&leftovers, Duration::from_secs(3));
    }
    for (ci, commands) in &plan.cleanups {
        let cwd = chapter_dir(&course, *ci, &workspace);
        for result in crate::session::run_cleanup(commands, &cwd) {
            let mark = if result.succeeded() { "✓" } else { "✗" };
            let why = if result.timed_out {
                " (timed out)".to_owned()
            } else {
                String::new()
            };
            println!("{mark} {}{why}", result.command);
            if !result.succeeded()
                && let Some(line) = result.output.lines().rev().find(|l| !l.trim().is_empty())
            {
                println!("    {}", line.trim());
            }
        }
    }
    ok &= remove_containers(&plan);
    ok &= remove_files(&plan, &workspace, delete_folder);

    let mut store = super::progress::open_store()?;
    store.reset(
        &course.id,
        if whole_course {
            None
        } else {
            Some(&plan.step_ids)
        },
    )?;
    println!("cleared the progress of {scope}");
    if !ok {
        eprintln!(
            "docker-guide: some of the reset did not work (see above); fix it and run `{} reset` again",
            super::launcher(global)
        );
    }
    Ok(if ok {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

fn describe(scope: &str, plan: &ResetPlan, workspace: &Path, delete_folder: bool) -> String {
    let mut lines = vec![format!("Reset {scope}:")];
    let has_workspace = workspace.is_dir();
    if has_workspace {
        lines.push(format!(
            "  - stop step processes still running in {} (after a crash)",
            workspace.display()
        ));
    }
    let cleanup_count: usize = plan.cleanups.iter().map(|(_, c)| c.len()).sum();
    if cleanup_count > 0 {
        lines.push(format!("  - run {cleanup_count} cleanup command(s)"));
    }
    if !plan.containers.is_empty() {
        let names: Vec<&str> = plan.containers.iter().map(String::as_str).collect();
        lines.push(format!(
            "  - remove container(s) {} if present",
            names.join(", ")
        ));
    }
    if !has_workspace {
        // Nothing on disk to delete.
    } else if delete_folder {
        lines.push(format!(
            "  - delete the workspace {} and everything in it",
            workspace.display()
        ));
    } else if !plan.files.is_empty() {
        lines.push(format!(
            "  - delete {} file(s) the steps wrote in {}",
            plan.files.len(),
            workspace.display()
        ));
    }
    lines.push(format!(
        "  - clear your progress ({} step(s))",
        plan.step_ids.len()
    ));
    lines.join("\n")
}

fn chapter_dir(course: &Course, ci: usize, workspace: &Path) -> PathBuf {
    match course.chapters[ci]
        .front
        .workdir
        .as_deref()
        .and_then(safe_relative)
    {
        Some(rel) if workspace.join(&rel).is_dir() => workspace.join(rel),
        _ => workspace.to_path_buf(),
    }
}

/// A `/`-separated relative path with no `..`, or None.
fn safe_relative(rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel.trim_start_matches("./"));
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then(|| path.to_path_buf())
}

/// Removes the named containers that exist, then checks none is left.
fn remove_containers(plan: &ResetPlan) -> bool {
    let docker = DockerCli::default();
    let mut ok = true;
    for name in &plan.containers {
        match docker.container_exists(name) {
            Ok(false) => {}
            Ok(true) => match docker.remove_container(name) {
                Ok(()) => println!("✓ removed container {name}"),
                Err(err) => {
                    println!("✗ container {name}: {err}");
                    ok = false;
                }
            },
            Err(err) => {
                println!("✗ cannot check container {name}: {err}");
                ok = false;
            }
        }
    }
    ok
}

fn remove_files(plan: &ResetPlan, workspace: &Path, delete_folder: bool) -> bool {
    if !workspace.exists() {
        return true;
    }
    if delete_folder {
        return match std::fs::remove_dir_all(workspace) {
            Ok(()) => {
                println!("✓ deleted {}", workspace.display());
                true
            }
            Err(err) => {
                println!("✗ cannot delete {}: {err}", workspace.display());
                false
            }
        };
    }
    let mut ok = true;
    for rel in plan.files.iter().filter_map(|f| safe_relative(f)) {
        let path = workspace.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                println!("✓ deleted {}", path.display());
                remove_empty_parents(&path, workspace);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                println!("✗ cannot delete {}: {err}", path.display());
                ok = false;
            }
        }
    }
    ok
}

/// The folders a file step created for `file` (`sub/x.py` → `sub/`), once empty, up to the
/// workspace: a reset chapter leaves no empty tree behind. A folder still holding anything
/// (the learner's own files) stays.
fn remove_empty_parents(file: &Path, workspace: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == workspace || !d.starts_with(workspace) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
