//! The task operations on `tests/fixtures/tasks-course` in a temporary workspace.

use super::tasks::*;
use crate::lesson::model::Course;
use crate::progress::CourseProgress;
use crate::runner::{self, FileWrite, Workspace};

fn course() -> Course {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tasks-course");
    crate::lesson::load_path(&dir).unwrap()
}

fn workspace(dir: &tempfile::TempDir, course: &Course) -> Workspace {
    runner::workspace_for(course, Some(dir.path())).unwrap()
}

#[test]
fn hints_are_revealed_in_order_and_recorded() {
    let course = course();
    let task = find_task(&course, "notes-word").unwrap();
    let mut progress = CourseProgress::default();
    assert!(revealed_hints(task, &progress).is_empty());
    let (n, first) = reveal_hint(task, &mut progress).unwrap();
    assert_eq!(
        (n, first.markdown.as_str()),
        (1, "Append a line with `>>`.")
    );
    assert_eq!(reveal_hint(task, &mut progress).unwrap().0, 2);
    assert!(reveal_hint(task, &mut progress).is_none(), "only two hints");
    assert_eq!(progress.task("notes-word").unwrap().hints_revealed, 2);
    assert_eq!(revealed_hints(task, &progress).len(), 2);
    view_solution(task, &mut progress);
    assert!(progress.task("notes-word").unwrap().needed_solution());
}

#[test]
fn next_open_task_skips_solved_ones() {
    let course = course();
    let mut progress = CourseProgress::default();
    assert_eq!(
        next_open_task(&course, 0, &progress).unwrap().id(),
        "notes-word"
    );
    progress.apply_check("notes-word", crate::progress::StepRun::passed());
    assert_eq!(
        next_open_task(&course, 0, &progress).unwrap().id(),
        "greeting"
    );
    progress.apply_check("greeting", crate::progress::StepRun::passed());
    assert!(next_open_task(&course, 0, &progress).is_none());
}

#[test]
fn a_check_fails_then_the_solution_makes_it_pass_and_marks_it_solved() {
    let course = course();
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, &course);
    let task = find_task(&course, "greeting").unwrap();
    let mut progress = CourseProgress::default();
    let run = run_check(&course, task, &ws, &mut progress, None);
    assert!(!run.passed());
    assert!(!progress.task_solved("greeting"));
    // The learner wrote their own greeting: the solution keeps it unless told otherwise.
    std::fs::write(dir.path().join("greeting.txt"), "hi\n").unwrap();
    let applied = apply_solution(&course, task, &ws, false, &mut progress, None).unwrap();
    assert!(matches!(&applied[..], [Applied::Kept { path }] if path == "greeting.txt"));
    assert!(!all_applied(&applied));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("greeting.txt")).unwrap(),
        "hi\n"
    );
    let applied = apply_solution(&course, task, &ws, true, &mut progress, None).unwrap();
    assert!(matches!(
        &applied[..],
        [Applied::File {
            written: FileWrite::Replaced(_),
            ..
        }]
    ));
    assert!(all_applied(&applied));
    let run = run_check(&course, task, &ws, &mut progress, None);
    assert!(run.passed(), "{:?}", run.outcome);
    assert!(progress.task_solved("greeting"));
    let record = progress.task("greeting").unwrap();
    assert!(record.solution_applied && record.solved_at.is_some());
    assert_eq!(progress.step("greeting").unwrap().attempts, 2);
}

#[test]
fn a_failing_check_keeps_its_output_for_the_learner() {
    let course = course();
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, &course);
    let task = find_task(&course, "notes-word").unwrap();
    let chapter = task.chapter;
    let mut step = task.step.clone();
    step.kind = crate::lesson::StepKind::Command {
        script: "echo 'notes.txt has no docker'; exit 1\n".into(),
    };
    let run = run_captured(&course, chapter, &step, &ws.root, None);
    assert!(!run.passed());
    assert_eq!(run.output.trim(), "notes.txt has no docker");
}

#[test]
fn step_spec_gives_a_background_step_without_ready_a_probe_that_holds() {
    let (chapter, _) = crate::lesson::parse_chapter(
        "x.md",
        "x.md",
        "```sh {background}\nsleep 5\n```\n\n```sh {background ready=\"test -f up\"}\nsleep 5\n```\n\n```text {file=\"a.txt\"}\nA\n```\n",
    );
    let dir = std::path::Path::new("/tmp");
    let spec = |i: usize| super::step_spec(&chapter, &chapter.steps[i], dir, 80, 10);
    assert_eq!(
        spec(0).unwrap().background,
        Some(crate::lesson::Ready::Command("true".into())),
        "counts as started while it runs, in the TUI as in `run`"
    );
    assert_eq!(
        spec(1).unwrap().background,
        Some(crate::lesson::Ready::Command("test -f up".into()))
    );
    assert!(spec(2).is_none(), "a file step has no process");
}

#[test]
fn a_cancelled_or_skipped_check_is_not_an_attempt() {
    use crate::runner::{FailReason, StepOutcome};
    let mut progress = CourseProgress::default();
    let cancelled = StepOutcome::failed(FailReason::Cancelled, Default::default(), None);
    record_check(&mut progress, "t", &cancelled);
    record_check(&mut progress, "t", &StepOutcome::skipped("no terminal"));
    assert!(progress.step("t").is_none());
    let failed = StepOutcome::failed(
        FailReason::ExitCode {
            expected: 0,
            got: 1,
        },
        Default::default(),
        Some(1),
    );
    record_check(&mut progress, "t", &failed);
    assert_eq!(progress.step("t").unwrap().attempts, 1);
}

#[test]
fn the_goal_is_the_paragraph_before_the_task() {
    let course = course();
    let goal = find_task(&course, "notes-word").unwrap().goal();
    assert_eq!(
        goal,
        Some("Now it is your turn: put the word `docker` in `notes.txt`.")
    );
    let goal = find_task(&course, "greeting").unwrap().goal();
    assert_eq!(
        goal,
        Some("Write `greeting.txt` with the single line `hello`.")
    );
    let (chapter, _) =
        crate::lesson::parse_chapter("x.md", "x.md", "```sh {task id=t}\ntrue\n```\n");
    let task = TaskRef {
        chapter_index: 0,
        chapter: &chapter,
        step: &chapter.steps[0],
    };
    assert_eq!(task.goal(), None, "nothing before it");
}
