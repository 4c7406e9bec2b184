//! `docker-guide check [TASK] [--hint]`: runs a task's check from the learner's own terminal
//! (same check, same workspace, same progress as the TUI): the verdict, the check's output,
//! and the next hint on request. Without TASK: the next open task of the current chapter.
//! Exit 0 when the task is solved, 1 when not yet.

use anyhow::bail;
use clap::Args;

use super::{Outcome, load_course, output_style};
use crate::cli::GlobalArgs;
use crate::lesson::model::Course;
use crate::runner::{self, StepResult};
use crate::session::tasks::{self, TaskRef};
use crate::session::{Recorder, Signals};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The task's id (default: the next open task of the chapter you are in)
    #[arg(value_name = "TASK")]
    pub task: Option<String>,
    /// Also reveal the next hint when the task is not solved yet (recorded in your progress)
    #[arg(long)]
    pub hint: bool,
}

pub fn run(global: &GlobalArgs, args: CheckArgs) -> anyhow::Result<Outcome> {
    let course = load_course(global)?;
    let mut recorder = Recorder::open(&course);
    let task = choose_task(&course, &recorder, args.task.as_deref())?;
    let style = super::run::Style {
        color: output_style(false).color,
    };
    let workspace = runner::workspace_for(&course, global.workspace.as_deref())?;
    recorder.set_workspace(&workspace.root);
    let signals = Signals::install()?;
    let chapter = task.chapter;
    println!(
        "{} {}",
        style.bold(&format!("Task {} · {}", task.id(), chapter.title)),
        style.dim(&format!("({})", task.step.pos))
    );
    if let Some(goal) = task.goal() {
        for line in goal.lines() {
            println!("  {line}");
        }
    }
    for (n, line) in task.step.copy_text().lines().enumerate() {
        println!("{} {line}", style.dim(if n == 0 { "$" } else { ">" }));
    }
    let dir = workspace.chapter_dir(chapter)?;
    let run = tasks::run_captured(&course, chapter, task.step, &dir, Some(&signals));
    let output = run.output.trim_end();
    if !output.is_empty() {
        for line in output.lines() {
            println!("  {line}");
        }
    }
    let mut hint = None;
    recorder.update(|progress| {
        tasks::record_check(progress, task.id(), &run.outcome);
        if args.hint && !run.passed() {
            hint = tasks::reveal_hint(task, progress).map(|(n, h)| (n, h.markdown.clone()));
        }
    });
    let progress = recorder.course();
    let took = super::run::format_duration(run.outcome.duration);
    match &run.outcome.result {
        StepResult::Passed => {
            println!(
                "{} {}",
                style.green("✓ solved"),
                style.dim(&format!("in {took}"))
            );
            if let Some(next) = tasks::next_open_task(&course, task.chapter_index, &progress) {
                println!(
                    "next task: {} ({}) · `docker-guide check {}`",
                    next.id(),
                    next.chapter.title,
                    next.id()
                );
            }
        }
        StepResult::Skipped(why) => println!("{} {why}", style.yellow("○ not run:")),
        StepResult::Failed(reason) => {
            println!("{} {reason}", style.red("✗ not yet:"));
            if let Some(explanation) = run.outcome.explanation {
                println!("  {} {}", style.bold("why:"), explanation.cause);
            }
        }
    }
    let total = task.hints().len();
    let shown = tasks::revealed_hints(task, &progress).len();
    match hint {
        Some((n, text)) => {
            println!();
            println!("{}", style.bold(&format!("Hint {n} of {total}")));
            for line in text.lines() {
                println!("  {line}");
            }
        }
        None if args.hint && run.passed() => {
            println!("{}", style.dim("solved: no hint needed"));
        }
        None if args.hint && total == 0 => println!("{}", style.dim("this task has no hints")),
        None if args.hint => println!(
            "{}",
            style.dim(&format!(
                "all {total} hints are shown: the solution is in the TUI (S) or the chapter file"
            ))
        ),
        None if !run.passed() && shown < total => println!(
            "{}",
            style.dim(&format!(
                "hints: {shown} of {total} seen · `docker-guide check {} --hint` shows the next",
                task.id()
            ))
        ),
        None => {}
    }
    if !run.passed() {
        println!("{}", style.dim(&format!("workspace: {}", dir.display())));
    }
    Ok(if run.passed() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// The task named, else the next open one from the chapter the learner is in.
fn choose_task<'a>(
    course: &'a Course,
    recorder: &Recorder,
    id: Option<&str>,
) -> anyhow::Result<TaskRef<'a>> {
    let all = tasks::all_tasks(course);
    if all.is_empty() {
        bail!("this course has no tasks (a task is a ```sh {{task id=…}} block)");
    }
    if let Some(id) = id {
        if let Some(task) = tasks::find_task(course, id) {
            return Ok(task);
        }
        let ids: Vec<&str> = all.iter().map(|t| t.id()).collect();
        let hint = crate::lesson::suggest(id, &ids);
        bail!(
            "no task `{id}`{hint}; the course's tasks: {}",
            ids.join(", ")
        );
    }
    let progress = recorder.course();
    let chapter = progress.resume_point(course).map_or(0, |(c, _)| c);
    match tasks::next_open_task(course, chapter, &progress) {
        Some(task) => Ok(task),
        None => bail!(
            "every task of this course is solved ({}); name one to check it again: `docker-guide check TASK`",
            all.len()
        ),
    }
}
