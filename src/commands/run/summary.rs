//! The end of a run: counts, and each failure with its place, reason, explanation and fix.

use std::time::Duration;

use super::printer::Style;
use crate::lesson::model::{Chapter, Step};
use crate::runner::{Explanation, StepOutcome, StepResult};

/// A failed step (or a chapter that could not start).
pub struct RunFailure {
    pub what: String,
    /// `path:line:col` of the step in its chapter file.
    pub place: Option<String>,
    pub reason: String,
    pub explanation: Option<&'static Explanation>,
    /// What the failure's message names (the port, the container…), when known.
    pub specifics: Option<String>,
}

impl RunFailure {
    pub fn chapter(chapter: &Chapter, reason: String) -> RunFailure {
        RunFailure {
            what: format!("chapter {}", chapter.slug),
            place: Some(chapter.display_path.clone()),
            reason,
            explanation: None,
            specifics: None,
        }
    }

    pub fn requirements(chapter: &Chapter, ids: &[&str]) -> RunFailure {
        RunFailure {
            what: format!("chapter {}", chapter.slug),
            place: Some(chapter.display_path.clone()),
            reason: format!("requirements not met: {}", ids.join(", ")),
            explanation: None,
            specifics: None,
        }
    }
}

/// A task the run reached and the learner has not solved yet.
pub struct Waiting {
    pub task: String,
    /// `path:line:col` of the task in its chapter file.
    pub place: String,
    pub chapter_slug: String,
    pub hints: usize,
}

#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub skipped: usize,
    /// Steps that failed (`failures` also holds chapters that could not start).
    pub failed_steps: usize,
    pub failures: Vec<RunFailure>,
    /// Tasks waiting for the learner (not failures of the course).
    pub waiting: Vec<Waiting>,
}

impl Tally {
    pub fn add(&mut self, chapter_index: usize, step: &Step, outcome: &StepOutcome) {
        match &outcome.result {
            StepResult::Passed => self.passed += 1,
            StepResult::Skipped(_) => self.skipped += 1,
            StepResult::Failed(reason) => {
                self.failed_steps += 1;
                self.failures.push(RunFailure {
                    what: format!("step {}.{} {}", chapter_index + 1, step.index + 1, step.id),
                    place: Some(step.pos.to_string()),
                    reason: reason.to_string(),
                    explanation: outcome.explanation,
                    specifics: outcome.specifics.clone(),
                })
            }
        }
    }

    /// A task whose solution failed or did not solve it (`--solve`).
    pub fn fail_task(&mut self, chapter_index: usize, step: &Step, reason: String) {
        self.failed_steps += 1;
        self.failures.push(RunFailure {
            what: format!("task {}.{} {}", chapter_index + 1, step.index + 1, step.id),
            place: Some(step.pos.to_string()),
            reason,
            explanation: None,
            specifics: None,
        });
    }

    pub fn print(&self, style: Style, elapsed: Duration, interrupted: bool, not_run: usize) {
        say!();
        let mut counts = vec![style.green(&format!("{} passed", self.passed))];
        if !self.failures.is_empty() {
            counts.push(style.red(&format!("{} failed", self.failures.len())));
        }
        if self.skipped > 0 {
            counts.push(style.yellow(&format!("{} skipped", self.skipped)));
        }
        if !self.waiting.is_empty() {
            let n = self.waiting.len();
            let text = format!("{n} task{} waiting for you", if n == 1 { "" } else { "s" });
            counts.push(style.yellow(&text));
        }
        if not_run > 0 {
            counts.push(format!("{not_run} not run"));
        }
        say!(
            "{} {} {}",
            style.bold("Summary:"),
            counts.join(", "),
            style.dim(&format!("in {}", format_duration(elapsed)))
        );
        if interrupted {
            say!("{}", style.yellow("Interrupted: the running step and the background steps were stopped and the cleanups ran."));
        }
        for waiting in &self.waiting {
            say!(
                "{} task {} {}: your turn. Solve it, then `docker-guide check {}`{}; `docker-guide run {} --from {}` goes on from there",
                style.yellow("⏸"),
                waiting.task,
                style.dim(&format!("({})", waiting.place)),
                waiting.task,
                if waiting.hints > 0 {
                    format!(" (`--hint` for a hint, {} in all)", waiting.hints)
                } else {
                    String::new()
                },
                waiting.chapter_slug,
                waiting.task
            );
        }
        for failure in &self.failures {
            let place = failure
                .place
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            say!(
                "{} {}{}: {}",
                style.red("✗"),
                failure.what,
                style.dim(&place),
                failure.reason
            );
            if let Some(explanation) = failure.explanation {
                say!("    why: {}", explanation.cause);
                if let Some(here) = &failure.specifics {
                    say!("    here: {here}");
                }
                say!("    fix: {}", explanation.fix.here());
            }
        }
    }
}

/// `35 ms`, `4.2 s`, `12 s`, `3 min 05 s`.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{} ms", d.as_millis())
    } else if secs < 10.0 {
        format!("{secs:.1} s")
    } else if secs < 60.0 {
        format!("{secs:.0} s")
    } else {
        let whole = d.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}
