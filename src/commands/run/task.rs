//! A task reached by `run`: without `--solve` its check runs once; solved, it counts as
//! passed, otherwise the run stops there and reports it as waiting for the learner (not a
//! failure). With `--solve` the task's solution is applied first and the check must pass.

use std::path::Path;

use super::session::Session;
use super::stream;
use super::summary::Waiting;
use crate::lesson::model::Step;
use crate::runner::{BackgroundSet, FailReason, StepOutcome, StepResult};
use crate::session::tasks::{self, Applied, TaskRef};
use crate::session::{self as chapter_session};

impl Session<'_> {
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
        if self.solve && !self.apply_solution(task) {
            return;
        }
        say!("{}", style.dim("check:"));
        for (n, line) in step.copy_text().lines().enumerate() {
            say!(
                "{} {}",
                style.dim(if n == 0 { "$" } else { ">" }),
                style.bold(line)
            );
        }
        let columns = stream::output_columns();
        let outcome = match chapter_session::step_spec(chapter, step, dir, columns, self.max_lines)
        {
            Some(spec) => {
                let ids = crate::runner::StepIds::new(&step.id, &self.course.id);
                stream::stream_step(spec, &ids, background, self.mode, self.signals)
            }
            None => StepOutcome::failed(
                FailReason::Spawn("a task's check is a command".into()),
                Default::default(),
                None,
            ),
        };
        self.progress
            .record_check(chapter_index, &chapter.slug, &step.id, &outcome);
        let took = super::summary::format_duration(outcome.duration);
        match &outcome.result {
            StepResult::Passed => {
                say!(
                    "{} {}",
                    style.green("✓ solved"),
                    style.dim(&format!("in {took}"))
                );
                self.tally.add(chapter_index, step, &outcome);
            }
            StepResult::Failed(reason) if self.solve => {
                say!(
                    "{} {reason}",
                    style.red("✗ the check still fails after the solution:")
                );
                let why = format!("the task's check still fails after its solution: {reason}");
                self.tally.fail_task(chapter_index, step, why);
                self.stopped = !self.keep_going;
            }
            StepResult::Failed(reason) => {
                say!("{} {reason}", style.yellow("⏸ not solved yet:"));
                say!(
                    "  {}",
                    style.dim(&format!(
                        "solve it in your editor and shell (workspace: {}), then `docker-guide check {}`",
                        dir.display(),
                        step.id
                    ))
                );
                self.tally.waiting.push(Waiting {
                    task: step.id.clone(),
                    place: step.pos.to_string(),
                    chapter_slug: chapter.slug.clone(),
                    hints: task.hints().len(),
                });
                self.stopped = !self.keep_going;
            }
            StepResult::Skipped(why) => {
                say!("{} {why}", style.yellow("○ skipped:"));
                self.tally.add(chapter_index, step, &outcome);
            }
        }
    }

    /// Applies the task's solution (`--solve`), printing each step; false (and a failure in
    /// the tally) when it could not be applied.
    fn apply_solution(&mut self, task: TaskRef<'_>) -> bool {
        let style = self.style;
        say!("{}", style.dim("applying the solution (--solve):"));
        let mut progress = self.progress.course();
        let applied = tasks::apply_solution(
            self.course,
            task,
            self.workspace,
            self.yes,
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
        self.stopped = !self.keep_going;
        false
    }
}
