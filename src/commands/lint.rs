//! `docker-guide lint [DIR]`: validates a course and prints `path:line:col: error|warning: …`.

use std::path::PathBuf;

use clap::Args;

use super::list::plural;
use super::{Outcome, load_course};
use crate::cli::GlobalArgs;
use crate::lesson::{self, Severity};

/// Doctor check ids a chapter may `require`: the doctor owns the list.
pub const KNOWN_CHECKS: &[&str] = crate::doctor::CHECK_IDS;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The course to check: a folder or a .md file (default: the selected course)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Treat warnings as errors (exit 1 on any warning)
    #[arg(long)]
    pub strict: bool,
    /// Also run the course in a scratch workspace up to its last task and check every task:
    /// its check must fail before the task and pass after its solution (runs the steps for
    /// real: containers, images, files)
    #[arg(long)]
    pub deep: bool,
}

pub fn run(global: &GlobalArgs, args: LintArgs) -> anyhow::Result<Outcome> {
    let course = match &args.dir {
        Some(dir) => lesson::load_path(dir)?,
        None => load_course(global)?,
    };
    let diagnostics = lesson::lint(&course, KNOWN_CHECKS);
    for diagnostic in &diagnostics {
        println!("{diagnostic}");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let scope = format!(
        "{} ({}, {})",
        course.title,
        plural(course.chapters.len(), "chapter"),
        plural(course.step_count(), "step")
    );
    if diagnostics.is_empty() {
        println!("ok: no problems in {scope}");
    } else {
        println!(
            "{}, {} in {scope}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    let mut failed = errors > 0 || (args.strict && warnings > 0);
    if args.deep {
        if errors > 0 {
            println!("deep: not run: fix the errors above first");
        } else {
            failed |= super::lint_deep::run(global, &course, args.strict)?;
        }
    }
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
