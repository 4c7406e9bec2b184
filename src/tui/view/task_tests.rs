//! The "Your turn" card in each state (insta snapshots of the whole screen on a TestBackend),
//! the chapter with its hints hidden, and applying a solution.

use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::task_card::{card_lines, goal, without_spoilers};
use crate::lesson::{Course, CourseSource, parse_chapter};
use crate::render::lines_to_plain;
use crate::runner::RunEvent;
use crate::tui::msg::{Effect, Msg};
use crate::tui::state::{App, Resume};
use crate::tui::testing::{failed, key, notice_text, passed, press};
use crate::tui::update::update;

/// The chapter of `tests/fixtures/task-course` (the tmux test uses it too).
const CHAPTER: &str = include_str!("../../../tests/fixtures/task-course/01-greeting.md");
const TASK: &str = "fix-greeting";

fn task_app() -> App {
    let (chapter, diagnostics) =
        parse_chapter("task-course/01-greeting.md", "01-greeting.md", CHAPTER);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let course = Course {
        id: "dg-test-task-course".into(),
        title: "A task to solve".into(),
        description: None,
        version: None,
        images: Vec::new(),
        source: CourseSource::Embedded,
        chapters: vec![chapter],
        assets: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut app = App::new(course, Resume::default(), false, std::time::Instant::now());
    update(
        &mut app,
        Msg::Resize {
            width: 100,
            height: 40,
        },
    );
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focused_step().map(|s| s.id.as_str()), Some(TASK));
    app
}

fn card(app: &App) -> String {
    let chapter = app.current_chapter().unwrap();
    let step = chapter.step_by_id(TASK).unwrap();
    lines_to_plain(&card_lines(app, chapter, step, 64))
}

fn screen(app: &mut App) -> String {
    app.ensure_rendered();
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).unwrap();
    terminal.draw(|f| super::render(app, f)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn card_not_tried() {
    assert_snapshot!(screen(&mut task_app()));
}

#[test]
fn card_checking() {
    let mut app = task_app();
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(&effects[0], Effect::RunStep(r) if r.step_id == TASK));
    assert_snapshot!(screen(&mut app));
}

#[test]
fn card_not_yet_with_the_last_output_below() {
    let mut app = task_app();
    press(&mut app, KeyCode::Enter);
    update(
        &mut app,
        Msg::StepEvent {
            step_id: TASK.into(),
            event: RunEvent::Output(b"greeting.txt: helo world\n".to_vec()),
        },
    );
    update(&mut app, failed(TASK, 1));
    let screen = screen(&mut app);
    assert!(screen.contains("✗ not yet"), "{screen}");
    assert!(screen.contains("greeting.txt: helo world"), "{screen}");
    assert_snapshot!(screen);
}

#[test]
fn card_solved() {
    let mut app = task_app();
    press(&mut app, KeyCode::Enter);
    update(&mut app, passed(TASK));
    let text = card(&app);
    assert!(text.contains("✓ solved"), "{text}");
    assert!(
        !text.contains("S solution"),
        "no solution offered once solved"
    );
    assert_snapshot!(screen(&mut app));
}

#[test]
fn card_with_hints_revealed_one_at_a_time() {
    let mut app = task_app();
    let effects = press(&mut app, KeyCode::Char('h'));
    assert_eq!(
        effects,
        [Effect::SaveProgress(
            crate::tui::msg::ProgressUpdate::TaskHints {
                step_id: TASK.into(),
                revealed: 1
            }
        )]
    );
    let one = card(&app);
    assert!(
        one.contains("add the missing l") && !one.contains("The whole file"),
        "{one}"
    );
    press(&mut app, KeyCode::Char('h'));
    assert!(
        press(&mut app, KeyCode::Char('h')).is_empty(),
        "no third hint"
    );
    assert!(notice_text(&app).contains("S shows the solution"));
    assert_snapshot!(screen(&mut app));
}

#[test]
fn card_with_the_solution_after_asking() {
    let mut app = task_app();
    press(&mut app, KeyCode::Char('S'));
    assert!(!card(&app).contains("Solution"), "asks first");
    let effects = update(&mut app, key(KeyCode::Char('y')));
    assert!(matches!(
        &effects[..],
        [Effect::SaveProgress(
            crate::tui::msg::ProgressUpdate::SolutionViewed { .. }
        )]
    ));
    assert_snapshot!(screen(&mut app));
}

#[test]
fn the_chapter_hides_hints_and_solution_and_the_goal_is_the_paragraph_before() {
    let app = task_app();
    let chapter = app.current_chapter().unwrap();
    let plain = lines_to_plain(
        &crate::render::render_chapter(
            &without_spoilers(chapter),
            &crate::render::RenderOptions {
                width: 80,
                color: false,
            },
        )
        .lines,
    );
    assert!(
        !plain.contains("missing") && !plain.contains("Hint"),
        "{plain}"
    );
    assert!(
        !plain.contains("Solution") && !plain.contains("details"),
        "{plain}"
    );
    assert!(
        plain.contains("Well done"),
        "text after the task stays: {plain}"
    );
    let step = chapter.step_by_id(TASK).unwrap();
    assert_eq!(
        goal(chapter, step).as_deref(),
        Some("Fix the typo in `greeting.txt` so that it says `hello world`.")
    );
}

#[test]
fn applying_the_solution_asks_before_replacing_the_learners_file_then_checks() {
    use crate::tui::msg::{FileWriteResult, ProgressUpdate};
    use crate::tui::state::{Confirm, Overlay};
    let mut app = task_app();
    press(&mut app, KeyCode::Char('S'));
    update(&mut app, key(KeyCode::Char('y')));
    press(&mut app, KeyCode::Char('S'));
    assert!(matches!(
        app.view.overlay,
        Some(Overlay::Confirm(Confirm::ApplySolution { step: 1 }))
    ));
    let effects = update(&mut app, key(KeyCode::Char('y')));
    assert!(
        matches!(
            &effects[..],
            [Effect::WriteSolutionFile {
                solution_step: 0,
                overwrite: false,
                ..
            }]
        ),
        "{effects:?}"
    );
    assert!(card(&app).contains("applying the solution"));
    let differs = FileWriteResult::Differs {
        path: "greeting.txt".into(),
    };
    update(
        &mut app,
        Msg::FileWritten {
            step_id: TASK.into(),
            result: differs,
        },
    );
    assert!(matches!(
        app.view.overlay,
        Some(Overlay::Confirm(Confirm::OverwriteSolution { .. }))
    ));
    let effects = update(&mut app, key(KeyCode::Char('y')));
    assert!(
        matches!(
            &effects[..],
            [Effect::WriteSolutionFile {
                overwrite: true,
                ..
            }]
        ),
        "{effects:?}"
    );
    let written = FileWriteResult::Written {
        path: "greeting.txt".into(),
        bytes: 12,
    };
    let effects = update(
        &mut app,
        Msg::FileWritten {
            step_id: TASK.into(),
            result: written,
        },
    );
    assert!(
        effects.contains(&Effect::SaveProgress(ProgressUpdate::SolutionApplied {
            step_id: TASK.into()
        }))
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RunStep(r) if r.step_id == TASK)),
        "then the check: {effects:?}"
    );
    // The watcher reports the solution's own write a moment later: not a save of the learner.
    let echo = Msg::WatchedChange {
        step_id: TASK.into(),
    };
    assert!(update(&mut app, echo).is_empty());
    update(&mut app, passed(TASK));
    assert!(card(&app).contains("✓ solved"));
}

#[test]
fn keeping_the_learners_file_stops_applying_and_checks_nothing() {
    use crate::tui::msg::FileWriteResult;
    let mut app = task_app();
    app.tasks.entry(TASK.into()).or_default().solution_shown = true;
    press(&mut app, KeyCode::Char('S'));
    update(&mut app, key(KeyCode::Char('y')));
    update(
        &mut app,
        Msg::FileWritten {
            step_id: TASK.into(),
            result: FileWriteResult::Differs {
                path: "greeting.txt".into(),
            },
        },
    );
    let effects = update(&mut app, key(KeyCode::Char('n')));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.tasks[TASK].applying.is_none());
    assert!(card(&app).contains("○ not tried"));
    assert!(notice_text(&app).contains("your file is kept"));
}

#[test]
fn e_bang_h_and_s_take_the_task_up_so_saves_check_it() {
    for k in ['e', '!', 'h', 'S'] {
        let mut app = task_app();
        let save = || Msg::WatchedChange {
            step_id: TASK.into(),
        };
        assert!(update(&mut app, save()).is_empty(), "{k}: not yet taken up");
        press(&mut app, KeyCode::Char(k));
        app.view.overlay = None;
        let effects = update(&mut app, save());
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::RunStep(r) if r.step_id == TASK)),
            "{k}: {effects:?}"
        );
    }
}

#[test]
fn applying_while_the_check_runs_stops_it_first() {
    use crate::runner::{FailReason, StepResult};
    use crate::tui::testing::finished;
    let mut app = task_app();
    app.tasks.entry(TASK.into()).or_default().solution_shown = true;
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('S'));
    let effects = update(&mut app, key(KeyCode::Char('y')));
    assert_eq!(effects, [Effect::Cancel(TASK.into())]);
    let effects = update(
        &mut app,
        finished(TASK, StepResult::Failed(FailReason::Cancelled), None),
    );
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::WriteSolutionFile {
                solution_step: 0,
                ..
            }
        )),
        "{effects:?}"
    );
    assert!(card(&app).contains("applying the solution"));
}

#[test]
fn the_official_courses_tasks_hide_every_hint_and_solution_and_have_a_goal() {
    let course = crate::lesson::load_embedded();
    let opts = crate::render::RenderOptions {
        width: 80,
        color: false,
    };
    let mut tasks = 0;
    for chapter in &course.chapters {
        let plain =
            lines_to_plain(&crate::render::render_chapter(&without_spoilers(chapter), &opts).lines);
        assert!(
            !plain.contains("<summary>"),
            "{}: {plain}",
            chapter.file_name
        );
        for step in chapter.steps.iter().filter(|s| s.is_task()) {
            tasks += 1;
            let spec = step.task.as_ref().unwrap();
            for hint in &spec.hints {
                let first = hint.markdown.lines().find(|l| l.trim().len() > 20);
                if let Some(line) = first {
                    assert!(
                        !plain.contains(line.trim()),
                        "{}: hint shown: {line}",
                        step.id
                    );
                }
            }
            assert!(goal(chapter, step).is_some(), "{}: no goal", step.id);
        }
    }
    assert!(tasks >= 8, "the course has {tasks} tasks");
}
