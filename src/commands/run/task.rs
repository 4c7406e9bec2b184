//! A task reached by `run`: without `--solve` its check runs once; solved, it counts as
//! passed, otherwise the run stops there and reports it as waiting for the learner (not a
//! failure). With `--solve` the task's solution is applied first and the check must pass.

use std::path::Path;

use super::headless::HeadlessRun;
use super::prompt::{self, TaskAnswer};
use super::stream;
use super::summary::Waiting;
use crate::lesson::model::{Step, StepKind};
use crate::runner::{BackgroundSet, FailReason, StepOutcome, StepResult};
use crate::session::tasks::{self, Applied, TaskRef};
use crate::session::{self as chapter_session};

impl HeadlessRun<'_> {
    /// Checks (and with `--solve` first solves) one task; records and tallies it.
    pub(super) fn run_task(
        &mut self,
        chapter_index: usize,
        step: &Step,
        dir: &Path,
        background: &mut BackgroundSet,
    ) {
        let chapter = &self.course.chapters[chapter_index];
        let style = self.style;
        let task = TaskRef {
            chapter_index,
            chapter,
            step,
        };
        say!();
        say!(
            "{}{}",
            style.cyan(&format!(
                "▶ {}",
                self.step_label(chapter_index, step)
                    .replacen("Step", "Task", 1)
            )),
            style.dim(" [your turn]")
        );
        if self.options.solve && !self.apply_solution(task, self.options.yes) {
            return;
        }
        loop {
            let outcome = self.run_check(task, dir, background);
            let took = super::summary::format_duration(outcome.duration);
            let reason = match &outcome.result {
                StepResult::Passed => {
                    say!(
                        "{} {}",
                        style.green("✓ solved"),
                        style.dim(&format!("in {took}"))
                    );
                    self.tally.add(chapter_index, step, &outcome);
                    return;
                }
                StepResult::Skipped(why) => {
                    say!("{} {why}", style.yellow("○ skipped:"));
                    self.tally.add(chapter_index, step, &outcome);
                    return;
                }
                StepResult::Failed(reason) => reason.to_string(),
            };
            if self.options.solve {
                say!(
                    "{} {reason}",
                    style.red("✗ the check still fails after the solution:")
                );
                let why = format!("the task's check still fails after its solution: {reason}");
                self.tally.fail_task(chapter_index, step, why);
                self.stopped = !self.options.keep_going;
                return;
            }
            say!("{} {reason}", style.yellow("⏸ not solved yet:"));
            say!(
                "  {}",
                style.dim(&format!(
                    "solve it in your editor and shell (workspace: {}), then `docker-guide check {}`",
                    dir.display(),
                    step.id
                ))
            );
            let answer = if self.options.can_ask && !self.options.yes {
                self.ask_at_task(task)
            } else {
                None
            };
            match answer {
                Some(TaskAnswer::Check) => continue,
                Some(TaskAnswer::Skip) => self.wait_for(task, false),
                _ => self.wait_for(task, true),
            }
            return;
        }
    }

    /// Prints and streams the task's check, and records its run.
    fn run_check(
        &mut self,
        task: TaskRef<'_>,
        dir: &Path,
        background: &mut BackgroundSet,
    ) -> StepOutcome {
        let style = self.style;
        let (chapter, step) = (task.chapter, task.step);
        say!("{}", style.dim("check:"));
        for (n, line) in step.copy_text().lines().enumerate() {
            say!(
                "{} {}",
                style.dim(if n == 0 { "$" } else { ">" }),
                style.bold(line)
            );
        }
        let columns = stream::output_columns();
        let outcome = match chapter_session::step_spec(
            chapter,
            step,
            &self.values,
            dir,
            columns,
            self.options.max_lines,
        ) {
            Ok(spec) => {
                let ids = crate::runner::StepIds::new(&step.id, &self.course.id);
                stream::stream_step(spec, &ids, background, self.mode, self.signals)
            }
            Err(err) => {
                StepOutcome::failed(FailReason::Spawn(err.to_string()), Default::default(), None)
            }
        };
        self.progress
            .record_check(task.chapter_index, &chapter.slug, &step.id, &outcome);
        outcome
    }

    /// The learner is at the terminal: hints and the solution on request, until they want
    /// the check run again (`Check`), go on (`Skip`) or stop.
    fn ask_at_task(&mut self, task: TaskRef<'_>) -> Option<TaskAnswer> {
        let style = self.style;
        loop {
            let shown = tasks::revealed_hints(task, &self.progress.course()).len();
            let stop = || self.signals.stop_requested();
            match prompt::ask_task(shown < task.hints().len(), &stop)? {
                TaskAnswer::Hint => {
                    let mut revealed = None;
                    self.progress.update(|p| {
                        revealed =
                            tasks::reveal_hint(task, p).map(|(n, h)| (n, h.markdown.clone()));
                    });
                    if let Some((n, text)) = revealed {
                        say!(
                            "{}",
                            style.bold(&format!("Hint {n} of {}", task.hints().len()))
                        );
                        for line in text.lines() {
                            say!("  {line}");
                        }
                    }
                }
                TaskAnswer::Solution => {
                    self.progress.update(|p| tasks::view_solution(task, p));
                    say!("{}", style.bold("Solution"));
                    for step in task.solution() {
                        match &step.kind {
                            StepKind::File { path } => say!("  {} {path}:", style.dim("file")),
                            StepKind::Command { .. } => {}
                        }
                        for (n, line) in step.copy_text().lines().enumerate() {
                            let prompt = match (&step.kind, n) {
                                (StepKind::File { .. }, _) => " ",
                                (_, 0) => "$",
                                _ => ">",
                            };
                            say!("  {} {line}", style.dim(prompt));
                        }
                    }
                    let files: Vec<&str> = task
                        .solution()
                        .iter()
                        .filter_map(|s| match &s.kind {
                            StepKind::File { path } => Some(path.as_str()),
                            StepKind::Command { .. } => None,
                        })
                        .collect();
                    let question = if files.is_empty() {
                        "Apply it now?".to_owned()
                    } else {
                        format!("Apply it now (it replaces your {})?", files.join(", "))
                    };
                    let stop = || self.signals.stop_requested();
                    if prompt::ask_yes_no(&question, &stop) && self.apply_solution(task, true) {
                        return Some(TaskAnswer::Check);
                    }
                }
                other => return Some(other),
            }
        }
    }

    /// Notes the task as waiting for the learner; `stop` ends the run there.
    fn wait_for(&mut self, task: TaskRef<'_>, stop: bool) {
        self.tally.waiting.push(Waiting {
            task: task.id().to_owned(),
            place: task.step.pos.to_string(),
            chapter_slug: task.chapter.slug.clone(),
            hints: task.hints().len(),
        });
        if stop {
            self.stopped = !self.options.keep_going;
        }
    }

    /// Applies the task's solution (`--solve`), printing each step; false (and a failure in
    /// the tally) when it could not be applied.
    fn apply_solution(&mut self, task: TaskRef<'_>, overwrite: bool) -> bool {
        let style = self.style;
        let why = if self.options.solve { " (--solve)" } else { "" };
        say!("{}", style.dim(&format!("applying the solution{why}:")));
        let mut progress = self.progress.course();
        let applied = tasks::apply_solution(
            self.course,
            task,
            self.workspace,
            overwrite,
            &mut progress,
            Some(self.signals),
        );
        self.progress
            .update(|p| p.task_mut(task.id()).solution_applied = true);
        let problem = match &applied {
            Err(err) => Some(err.clone()),
            Ok(list) => {
                for item in list {
                    match item {
                        Applied::File { path, .. } => say!("  {} write {path}", style.green("✓")),
                        Applied::Kept { path } => {
                            say!(
                                "  {} kept your version of {path} (add --yes to replace it)",
                                style.yellow("!")
                            )
                        }
                        Applied::Command { step_id, run } => {
                            let mark = if run.passed() {
                                style.green("✓")
                            } else {
                                style.red("✗")
                            };
                            say!("  {mark} {step_id}: {}", run.outcome.result);
                            if !run.passed() {
                                for line in run
                                    .output
                                    .lines()
                                    .rev()
                                    .take(10)
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
                list.iter().find_map(|a| match a {
                    Applied::Command { step_id, run } if !run.passed() => {
                        Some(format!("solution step {step_id}: {}", run.outcome.result))
                    }
                    _ => None,
                })
            }
        };
        let Some(problem) = problem else {
            return true;
        };
        let why = format!("its solution could not be applied: {problem}");
        self.tally.fail_task(task.chapter_index, task.step, why);
        self.stopped = !self.options.keep_going;
        false
    }
}
