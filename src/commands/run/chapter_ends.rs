//! What happens around a chapter's steps in a headless run: its requirements checked before
//! (skip, stop or go on, as the options say) and, after, its background steps stopped and
//! its cleanup run.

use std::path::Path;

use super::headless::HeadlessRun;
use super::prompt;
use super::summary::{RunFailure, format_duration};
use crate::lesson::model::Chapter;
use crate::runner::BackgroundSet;
use crate::session::{self as chapter_session, CLEANUP_TIMEOUT};

impl HeadlessRun<'_> {
    /// Checks the chapter's `requires:` and says what it found; false when the chapter
    /// is not to run (skipped here, or a requirement failed and the learner did not go on).
    pub(super) fn requirements_hold(&mut self, chapter: &Chapter) -> bool {
        let requires = &chapter.front.requires;
        if requires.is_empty() {
            return true;
        }
        let style = self.style;
        say!(
            "{}",
            style.dim(&format!("checking requirements: {} …", requires.join(", ")))
        );
        let chapter_session::Requirements { problems, not_here } =
            chapter_session::evaluate_requirements(self.course, chapter);
        if problems.is_empty() && !not_here.is_empty() && !self.options.ignore_requires {
            // An optional chapter for other machines (e.g. GPUs): skipped, the run goes on.
            for skip in &not_here {
                say!(
                    "{} requirement `{}` does not apply here: {}",
                    style.yellow("○"),
                    skip.id,
                    skip.why
                );
            }
            say!(
                "{} the chapter's {} step{} (to run {} anyway: add --ignore-requires)",
                style.yellow("○ skipped:"),
                chapter.steps.len(),
                if chapter.steps.len() == 1 { "" } else { "s" },
                if chapter.steps.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            );
            self.tally.skipped += chapter.steps.len();
            return false;
        }
        for skip in &not_here {
            say!(
                "{} requirement `{}` does not apply here ({}): going on anyway (--ignore-requires)",
                style.yellow("!"),
                skip.id,
                skip.why
            );
        }
        if problems.is_empty() {
            say!(
                "{} requirements met: {}",
                style.green("✓"),
                requires.join(", ")
            );
            return true;
        }
        for problem in &problems {
            say!(
                "{} requirement `{}`: {}",
                style.red("✗"),
                problem.id,
                problem.summary
            );
            if let Some(fix) = &problem.fix {
                say!("    fix: {fix}");
            }
        }
        if self.options.ignore_requires {
            say!(
                "{} going on anyway (--ignore-requires): the steps may fail as the fix above says",
                style.yellow("!")
            );
            return true;
        }
        if self.options.can_ask && !self.options.yes {
            let stop = || self.signals.stop_requested();
            if prompt::ask_yes_no("Run this chapter anyway?", &stop) {
                return true;
            }
        } else {
            say!(
                "    {}",
                style.dim("to run it anyway: add --ignore-requires")
            );
        }
        let ids: Vec<_> = problems.iter().map(|p| p.id.as_str()).collect();
        self.tally
            .failures
            .push(RunFailure::requirements(chapter, &ids));
        self.stopped = !self.options.keep_going;
        false
    }

    /// Stops the chapter's background steps and runs its cleanup, saying how each went.
    pub(super) fn end_chapter(
        &mut self,
        chapter: &Chapter,
        dir: &Path,
        background: &mut BackgroundSet,
    ) {
        let style = self.style;
        let stopped = background.stop_all();
        if !stopped.is_empty() {
            say!(
                "{}",
                style.dim(&format!("stopped background steps: {}", stopped.join(", ")))
            );
        }
        if chapter.front.cleanup.is_empty() {
            return;
        }
        say!("{}", style.dim("cleanup:"));
        for result in chapter_session::run_cleanup(&chapter.front.cleanup, dir) {
            if result.succeeded() {
                say!("  {} {}", style.green("✓"), result.command);
            } else {
                let why = match (result.timed_out, result.exit_code) {
                    (true, _) => format!("timed out after {}", format_duration(CLEANUP_TIMEOUT)),
                    (false, Some(code)) => format!("exit code {code}"),
                    (false, None) => "could not run".to_owned(),
                };
                say!("  {} {} ({why})", style.yellow("!"), result.command);
                for line in result
                    .output
                    .lines()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    say!("    {line}");
                }
            }
        }
    }
}
