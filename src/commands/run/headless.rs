//! One headless run: chapters in order, each step announced, asked about (on a terminal
//! without `--yes`), run with its output streamed live, judged and recorded; background steps
//! stopped and cleanups run at the end of each chapter, and on a signal.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use super::printer::{Mode, Style};
use super::prompt::{self, Answer};
use super::stream;
use super::summary::{RunFailure, Tally, format_duration};
use crate::lesson::model::{Course, Step, StepKind};
use crate::runner::{
    self, BackgroundSet, FailReason, FileWrite, StepIds, StepOutcome, StepResult, StepSpec,
    Workspace,
};
use crate::session::{self as chapter_session, Recorder, ShellState, Signals};

pub struct HeadlessRun<'a> {
    pub course: &'a Course,
    pub workspace: &'a Workspace,
    pub signals: &'a Signals,
    pub progress: Recorder,
    pub mode: Mode,
    pub style: Style,
    pub options: RunOptions,
    /// Values of placeholders (`--set NAME=VALUE`): a step with a placeholder left is skipped.
    pub values: Vec<(String, String)>,
    /// The folder and variables the chapter's steps left so far (`cd`, `export`), as in one
    /// terminal; fresh at each chapter's start.
    pub shell: ShellState,
    /// Ask before each step (until the learner answers "all").
    pub ask_each: bool,
    pub tally: Tally,
    /// The learner quit, a step failed without `--keep-going`, or a signal arrived.
    pub stopped: bool,
}

/// How `run` goes about it: from the command line and the terminal it runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// stdin and stdout are a terminal: interactive steps can run.
    pub terminal: bool,
    /// Questions can be asked (stdin is a terminal, and stdout or stderr is).
    pub can_ask: bool,
    /// `--yes`: run steps that ask for confirmation without asking.
    pub yes: bool,
    /// `--keep-going`: a failed step does not stop the run.
    pub keep_going: bool,
    /// `--solve`: apply each task's solution before its check.
    pub solve: bool,
    /// Go on with a chapter whose `requires` checks fail (`--ignore-requires`, or the learner
    /// said so when asked).
    pub ignore_requires: bool,
    /// Several chapters are run: step numbers show their chapter.
    pub numbered_by_chapter: bool,
    /// Lines of a step's output kept (`--max-lines`, at least 1).
    pub max_lines: usize,
}

impl HeadlessRun<'_> {
    fn stop_requested(&self) -> bool {
        self.signals.stop_requested()
    }

    /// Runs `chapter` from step `first`, then stops its background steps and runs its cleanup.
    pub fn run_chapter(&mut self, chapter_index: usize, first: usize) {
        let chapter = &self.course.chapters[chapter_index];
        let style = self.style;
        say!();
        say!(
            "{}",
            style.bold(&format!(
                "━━ Chapter {} · {} ({} step{}) ━━",
                chapter_index + 1,
                chapter.title,
                chapter.steps.len(),
                if chapter.steps.len() == 1 { "" } else { "s" }
            ))
        );
        if !self.requirements_hold(chapter) {
            return;
        }
        self.shell = ShellState::default();
        let skipped = chapter_session::state_changers_before(chapter, first);
        if !skipped.is_empty() {
            let ids: Vec<&str> = skipped.iter().map(|s| s.id.as_str()).collect();
            let verb = if ids.len() == 1 { "changes" } else { "change" };
            say!(
                "{} not run now: {} {verb} the folder or the environment (cd, export, source), so the steps below start in the chapter's folder",
                style.yellow("!"),
                ids.join(", ")
            );
        }
        let dir = match self.workspace.chapter_dir(chapter) {
            Ok(dir) => dir,
            Err(err) => {
                say!("{} {err}", style.red("✗"));
                self.tally
                    .failures
                    .push(RunFailure::chapter(chapter, err.to_string()));
                self.stopped = !self.options.keep_going;
                return;
            }
        };
        let mut background = BackgroundSet::new();
        for step in &chapter.steps[first.min(chapter.steps.len())..] {
            if self.stopped || self.stop_requested() {
                break;
            }
            if step.is_task() {
                self.run_task(chapter_index, step, &dir, &mut background);
                continue;
            }
            let outcome = self.run_step(chapter_index, step, &dir, &mut background);
            let Some(outcome) = outcome else { continue };
            self.print_result(&outcome);
            self.progress
                .record(chapter_index, &chapter.slug, &step.id, &outcome);
            self.tally.add(chapter_index, step, &outcome);
            if matches!(outcome.result, StepResult::Failed(_)) && !self.options.keep_going {
                self.stopped = true;
            }
        }
        self.end_chapter(chapter, &dir, &mut background);
    }

    pub(super) fn step_label(&self, chapter_index: usize, step: &Step) -> String {
        let number = if self.options.numbered_by_chapter {
            format!("{}.{}", chapter_index + 1, step.index + 1)
        } else {
            format!("{}", step.index + 1)
        };
        format!("Step {number} · {}", step.id)
    }

    /// Announces, asks about and runs one step; None when nothing is to be reported.
    fn run_step(
        &mut self,
        chapter_index: usize,
        step: &Step,
        dir: &Path,
        background: &mut BackgroundSet,
    ) -> Option<StepOutcome> {
        let chapter = &self.course.chapters[chapter_index];
        let style = self.style;
        say!();
        let mut flags = Vec::new();
        for (set, name) in [
            (step.attrs.background, "background"),
            (step.attrs.interactive, "interactive"),
            (step.attrs.confirm, "asks first"),
        ] {
            if set {
                flags.push(name);
            }
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join(", "))
        };
        // Where the step starts when an earlier one moved (`cd`) or exported something.
        let state = (chapter_session::shares_state(chapter, step)
            && matches!(step.kind, StepKind::Command { .. }))
        .then(|| self.shell.summary())
        .flatten()
        .map(|summary| format!("  {summary}"))
        .unwrap_or_default();
        say!(
            "{}{}{}",
            style.cyan(&format!("▶ {}", self.step_label(chapter_index, step))),
            style.dim(&flags),
            style.dim(&state)
        );
        // Never run a command with a placeholder in it: it would fail, or do the wrong thing.
        // With `--set` values, what is shown is what runs.
        let script = step.script_with(&self.values);
        match (&step.kind, &script) {
            (StepKind::Command { script: written }, _) => {
                let shown = script.as_deref().unwrap_or(written);
                for (n, line) in shown.lines().enumerate() {
                    let prompt = if n == 0 { "$" } else { ">" };
                    say!("{} {}", style.dim(prompt), style.bold(line));
                }
            }
            (StepKind::File { path }, _) => {
                say!("{} {}", style.dim("write"), style.bold(path))
            }
        }
        if let Err(missing) = &script {
            return Some(StepOutcome::skipped(super::placeholder_reason(missing)));
        }
        if self.options.can_ask && !self.options.yes && (self.ask_each || step.attrs.confirm) {
            let question = if step.attrs.confirm {
                "The lesson asks you to confirm this one (it may remove or change things). Run it?"
            } else {
                "Run it?"
            };
            let stop = || self.signals.stop_requested();
            match prompt::ask_step(question, step.attrs.confirm, &stop) {
                Some(Answer::Yes) => {}
                Some(Answer::All) => self.ask_each = false,
                Some(Answer::Skip) => return Some(StepOutcome::skipped("skipped by you")),
                Some(Answer::Quit) | None => {
                    self.stopped = true;
                    return None;
                }
            }
        }
        let columns = stream::output_columns();
        let spec = chapter_session::step_spec_in_state(
            chapter,
            step,
            &self.values,
            dir,
            &mut self.shell,
            columns,
            self.options.max_lines,
        );
        let outcome = match (&step.kind, spec) {
            (StepKind::File { path }, _) => self.write_file(step, path),
            (StepKind::Command { .. }, Ok((spec, note))) => {
                if let Some(note) = note {
                    say!("{} {note}", style.yellow("!"));
                }
                let ids = StepIds::new(&step.id, &self.course.id);
                let outcome = if step.attrs.interactive {
                    self.run_interactive(&spec, &ids)
                } else {
                    stream::stream_step(spec, &ids, background, self.mode, self.signals)
                };
                if let Some(end) = &outcome.shell_end {
                    self.shell.absorb(end);
                }
                outcome
            }
            (StepKind::Command { .. }, Err(err)) => {
                StepOutcome::failed(FailReason::Spawn(err.to_string()), Default::default(), None)
            }
        };
        Some(outcome)
    }

    fn write_file(&self, step: &Step, path: &str) -> StepOutcome {
        let started = Instant::now();
        let write =
            |overwrite| runner::write_file_step(&self.workspace.root, path, &step.code, overwrite);
        let result = match write(self.options.yes) {
            Ok(FileWrite::Differs(existing)) => {
                let stop = || self.signals.stop_requested();
                let question = format!(
                    "{} differs from the lesson's version. Replace it?",
                    existing.display()
                );
                if self.options.can_ask && prompt::ask_yes_no(&question, &stop) {
                    write(true)
                } else {
                    return StepOutcome::skipped(format!("kept your version of {path}"));
                }
            }
            other => other,
        };
        match result {
            Ok(done) => {
                let verb = match done {
                    FileWrite::Created(_) => "created",
                    FileWrite::Unchanged(_) => "unchanged",
                    FileWrite::Replaced(_) => "replaced",
                    FileWrite::Differs(_) => "kept",
                };
                say!(
                    "{}",
                    self.style.dim(&format!("{verb} {}", done.path().display()))
                );
                StepOutcome::passed(started.elapsed(), None)
            }
            Err(err) => {
                StepOutcome::failed(FailReason::Spawn(err.to_string()), started.elapsed(), None)
            }
        }
    }

    fn run_interactive(&self, spec: &StepSpec, ids: &StepIds) -> StepOutcome {
        if !self.options.terminal {
            return StepOutcome::skipped("interactive step needs a terminal");
        }
        say!(
            "{}",
            self.style
                .dim("(interactive: the terminal is yours until the command ends)")
        );
        let _ = std::io::stdout().flush();
        let outcome = runner::run_interactive_step(spec, ids);
        // Ctrl-C belonged to the interactive command.
        self.signals.forget_interrupt();
        outcome
    }

    fn print_result(&self, outcome: &StepOutcome) {
        let style = self.style;
        let took = format_duration(outcome.duration);
        match &outcome.result {
            StepResult::Passed => say!(
                "{} {}",
                style.green("✓ passed"),
                style.dim(&format!("in {took}"))
            ),
            StepResult::Skipped(why) => say!("{} {}", style.yellow("○ skipped:"), why),
            StepResult::Failed(reason) => {
                say!(
                    "{} {}",
                    style.red(&format!("✗ failed after {took}:")),
                    reason
                );
                if let Some(explanation) = outcome.explanation {
                    say!("  {} {}", style.bold("why:"), explanation.cause);
                    if let Some(here) = &outcome.specifics {
                        say!("  {} {}", style.bold("here:"), here);
                    }
                    say!("  {} {}", style.bold("fix:"), explanation.fix.here());
                }
            }
        }
    }
}
