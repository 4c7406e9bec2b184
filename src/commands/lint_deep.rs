//! `lint --deep`: the task check of [`crate::session::deep`] in a scratch workspace that is
//! removed afterwards, with a line per chapter, step and task as it goes.

use std::io::Write as _;
use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::lesson::model::{Course, Severity};
use crate::runner;
use crate::session::deep::{DeepNote, verify_tasks};
use crate::session::{Signals, tasks};

/// Runs the deep check; returns whether it found a problem (a warning counts with `strict`).
pub fn run(_global: &GlobalArgs, course: &Course, strict: bool) -> anyhow::Result<bool> {
    let count = tasks::all_tasks(course).len();
    if count == 0 {
        println!("deep: no tasks to check");
        return Ok(false);
    }
    let scratch = scratch_dir();
    let workspace = runner::workspace_for(course, Some(&scratch))?;
    let signals = Signals::install()?;
    println!(
        "deep: checking {} by running the course up to its last task in a scratch workspace {}",
        crate::quantities::plural(count, "task"),
        scratch.display()
    );
    println!(
        "deep: the steps run for real (containers, images, files); each chapter's cleanup runs after it"
    );
    let mut out = std::io::stdout();
    let mut note = |n: DeepNote<'_>| {
        let _ = match n {
            DeepNote::Chapter(i) => {
                writeln!(
                    out,
                    "deep: chapter {} · {}",
                    i + 1,
                    course.chapters[i].title
                )
            }
            DeepNote::Step(id, None) => writeln!(out, "  ✓ step {id}"),
            DeepNote::Step(id, Some(why)) => writeln!(out, "  ✗ step {id}: {why}"),
            DeepNote::TaskOk(id) => writeln!(
                out,
                "  ✓ task {id}: its check fails before the task and passes after its solution"
            ),
        };
        let _ = out.flush();
    };
    let problems = verify_tasks(course, &workspace, Some(&signals), &mut note);
    let _ = std::fs::remove_dir_all(&scratch);
    for problem in &problems {
        println!("{problem}");
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if signals.stop_requested() {
        println!("deep: interrupted; the cleanups ran");
        return Ok(true);
    }
    println!(
        "deep: {} of {} verified",
        count - errors.min(count),
        crate::quantities::plural(count, "task")
    );
    Ok(errors > 0 || (strict && !problems.is_empty()))
}

/// A fresh folder under the temporary directory, unique to this process.
fn scratch_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!("docker-guide-deep-{}-{nanos}", std::process::id()))
}
