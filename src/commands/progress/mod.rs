//! `docker-guide progress`: what you have completed (`--json` too), `--reset [CHAPTER]`, and
//! `progress export` for the instructor.

pub(crate) mod export;
mod show;

use std::time::SystemTime;

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use clap::{Args, Subcommand};

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::progress::Store;

pub use export::ExportArgs;
pub use show::{render_json, render_text};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ProgressArgs {
    #[command(subcommand)]
    pub command: Option<ProgressCommand>,
    /// Print the progress as JSON
    #[arg(long)]
    pub json: bool,
    /// Clear the progress of one chapter (number, slug or file name), or of the whole course
    #[arg(long, value_name = "CHAPTER", num_args = 0..=1, default_missing_value = "")]
    pub reset: Option<String>,
    /// Do not ask before resetting
    #[arg(long, short = 'y', requires = "reset")]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Write your progress as a small JSON file to hand to your instructor (no paths, no
    /// environment, your name only if you give it)
    Export(ExportArgs),
}

pub fn run(global: &GlobalArgs, args: ProgressArgs) -> anyhow::Result<Outcome> {
    if let Some(ProgressCommand::Export(export_args)) = args.command {
        return export::run(global, export_args);
    }
    let course = super::load_course(global)?;
    let mut store = open_store()?;
    if let Some(chapter) = args.reset {
        return reset(&course, &mut store, &chapter, args.yes);
    }
    let progress = store.course(&course.id);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&render_json(&course, &progress, SystemTime::now()))?
        );
    } else {
        let launcher = super::launcher(global);
        print!(
            "{}",
            render_text(&course, &progress, SystemTime::now(), &launcher)
        );
    }
    Ok(Outcome::Success)
}

/// Opens the default store, printing its warnings (a corrupt file moved aside, …) on stderr.
pub(crate) fn open_store() -> anyhow::Result<Store> {
    let mut store = Store::open_default().context("cannot open the progress file")?;
    for warning in store.take_warnings() {
        eprintln!("docker-guide: warning: {warning}");
    }
    Ok(store)
}

fn reset(
    course: &crate::lesson::Course,
    store: &mut Store,
    chapter: &str,
    yes: bool,
) -> anyhow::Result<Outcome> {
    let (what, step_ids) = if chapter.is_empty() {
        (format!("all your progress in \"{}\"", course.title), None)
    } else {
        let index = course
            .find_chapter(chapter)
            .with_context(|| crate::commands::no_chapter_message(course, chapter))?;
        let ch = &course.chapters[index];
        let ids: Vec<String> = ch.steps.iter().map(|s| s.id.clone()).collect();
        (
            format!("your progress in chapter {} \"{}\"", index + 1, ch.title),
            Some(ids),
        )
    };
    if !yes && !confirm(&format!("Clear {what}?"))? {
        eprintln!("Nothing was changed.");
        return Ok(Outcome::Success);
    }
    store.reset(&course.id, step_ids.as_deref())?;
    for warning in store.take_warnings() {
        eprintln!("docker-guide: warning: {warning}");
    }
    println!("Cleared {what}.");
    Ok(Outcome::Success)
}

/// Asks a yes/no question on the terminal (default no). Without a terminal it refuses: the
/// caller's `--yes` is the way to say yes from a script.
pub(crate) fn confirm(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        anyhow::bail!("not on a terminal, so not asking \"{question}\": pass --yes to confirm");
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
