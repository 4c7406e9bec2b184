//! `docker-guide list`: the course title and its chapters, numbered, with step (and task)
//! counts and the author's time estimate (`minutes` in the front matter), with the total.

use std::fmt::Write as _;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use super::{Outcome, load_course};
use crate::cli::GlobalArgs;
use crate::lesson::{self, Course, Diagnostic, Severity};

#[derive(Debug, Args)]
pub struct ListArgs {}

pub fn run(global: &GlobalArgs, _args: ListArgs) -> anyhow::Result<Outcome> {
    let course = load_course(global)?;
    // Notes on how blocks were read are not problems.
    let mut diagnostics = lesson::lint(&course, super::lint::KNOWN_CHECKS);
    diagnostics.retain(|d| d.severity != Severity::Info);
    print!(
        "{}",
        listing(&course, &diagnostics, &super::lint_command(global))
    );
    Ok(Outcome::Success)
}

/// The listing as text: title, then `  N  Title  …  S steps` rows, aligned, with a note on
/// chapters that have problems (`diagnostics`, usually from `lesson::lint`) and the command
/// that lists them.
pub fn listing(course: &Course, diagnostics: &[Diagnostic], lint_command: &str) -> String {
    let mut out = String::new();
    let estimated: u32 = course.chapters.iter().filter_map(|c| c.front.minutes).sum();
    if estimated > 0 {
        let _ = writeln!(out, "{} (about {})", course.title, duration(estimated));
    } else {
        let _ = writeln!(out, "{}", course.title);
    }
    let any_minutes = estimated > 0;
    let number_width = course.chapters.len().to_string().len();
    let title_width = course
        .chapters
        .iter()
        .map(|c| c.title.width())
        .max()
        .unwrap_or(0);
    for (i, chapter) in course.chapters.iter().enumerate() {
        let steps = match chapter.steps.len() {
            0 => "no steps".to_string(),
            1 => "1 step".to_string(),
            n => format!("{n} steps"),
        };
        let pad = " ".repeat(title_width - chapter.title.width());
        let minutes = match (any_minutes, chapter.front.minutes) {
            (false, _) => String::new(),
            (true, Some(m)) => format!("  {:>7}", format!("~{m} min")),
            (true, None) => format!("  {:>7}", ""),
        };
        let mut line = format!(
            "{:>number_width$}  {}{pad}{minutes}  {steps:>8}",
            i + 1,
            chapter.title
        );
        let tasks = chapter.steps.iter().filter(|s| s.is_task()).count();
        if tasks > 0 {
            let _ = write!(line, ", {}", plural(tasks, "task"));
        }
        let (errors, warnings) = diagnostics
            .iter()
            .filter(|d| course.chapter_of(d) == Some(i))
            .fold((0, 0), |(e, w), d| match d.severity {
                Severity::Error => (e + 1, w),
                Severity::Warning => (e, w + 1),
                Severity::Info => (e, w),
            });
        if errors + warnings > 0 {
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(plural(errors, "error"));
            }
            if warnings > 0 {
                parts.push(plural(warnings, "warning"));
            }
            let _ = write!(line, "  ! {}", parts.join(", "));
        }
        let _ = writeln!(out, "  {}", line.trim_end());
    }
    let other = diagnostics
        .iter()
        .filter(|d| course.chapter_of(d).is_none())
        .count();
    if other > 0 {
        let _ = writeln!(out, "  ! {} outside the chapters", plural(other, "problem"));
    }
    if !diagnostics.is_empty() {
        // Named once, with the course: a bare `docker-guide lint` checks the embedded one.
        let _ = writeln!(out, "  `{lint_command}` shows each problem with its place");
    }
    out
}

/// `95` → `1 h 35 min`, `40` → `40 min`.
fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

pub use crate::quantities::plural;
