//! `update` and the learner's keys and mouse: navigation, overlays, quitting.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::update;
use crate::tui::layout;
use crate::tui::msg::{Effect, Msg, ProgressUpdate};
use crate::tui::state::App;
use crate::tui::state::{Confirm, Overlay, Resume};
use crate::tui::testing::*;

/// Whether step `index`'s header row is on screen.
fn header_in_view(app: &App, index: usize) -> bool {
    let rows = layout::doc_layout(app)
        .rows_of(index)
        .expect("the step is laid out");
    let view = layout::viewport_rows(app);
    (app.view.scroll..app.view.scroll + view).contains(&rows.header)
}

#[test]
fn ctrl_c_with_nothing_running_quits() {
    let mut app = app();
    let effects = update(&mut app, ctrl('c'));
    assert_eq!(effects.last(), Some(&Effect::Quit));
    assert!(app.quitting);
}

#[test]
fn quitting_while_a_step_runs_asks_first() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert_eq!(app.view.overlay, Some(Overlay::Confirm(Confirm::Quit)));
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.view.overlay, None);
    press(&mut app, KeyCode::Char('q'));
    let effects = press(&mut app, KeyCode::Char('y'));
    let resume_here = Effect::SaveProgress(ProgressUpdate::Current {
        chapter: 0,
        step: Some(0),
    });
    assert_eq!(
        effects,
        [resume_here, Effect::Quit],
        "the next start reopens here"
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut app = app();
    let release = KeyEvent {
        kind: KeyEventKind::Release,
        ..KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
    };
    assert!(update(&mut app, Msg::Key(release)).is_empty());
    assert!(app.runs.is_empty());
}

#[test]
fn resumes_at_the_saved_chapter_and_step() {
    let app = app_with(Resume {
        chapter: 2,
        step: Some(1),
        ..Resume::default()
    });
    assert_eq!((app.chapter, app.focused), (2, Some(1)));
    assert!(header_in_view(&app, 1), "the resumed step is in view");
    let clamped = app_with(Resume {
        chapter: 9,
        step: Some(9),
        ..Resume::default()
    });
    assert_eq!((clamped.chapter, clamped.focused), (2, Some(2)));
}

#[test]
fn c_copies_the_focused_command() {
    let mut app = app();
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(
        press(&mut app, KeyCode::Char('c')),
        [Effect::CopyToClipboard("docker version".into())]
    );
}

#[test]
fn tab_moves_focus_and_scrolls_it_into_view() {
    let mut app = app();
    resize(&mut app, 80, 15);
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.focused, Some(2), "focus stops at the last step");
    assert!(
        header_in_view(&app, 2),
        "step 3's header not in view from row {}",
        app.view.scroll
    );
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.focused, Some(0));
}

#[test]
fn tab_from_a_focus_off_screen_goes_to_the_steps_in_view() {
    let mut app = app();
    resize(&mut app, 80, 15);
    let layout = layout::doc_layout(&app);
    let view = layout::viewport_rows(&app);
    // The focus is above the screen: Tab goes to the first step in view, not to the step
    // after the (unseen) focused one; a chapter opened at its top works the same way.
    app.focused = Some(0);
    app.view.scroll = layout.rows_of(1).unwrap().header + 1;
    press(&mut app, KeyCode::Tab);
    assert_eq!(
        app.focused,
        Some(2),
        "the first step on screen, not the one after step 1"
    );
    // Shift-Tab with the focus below the screen: the last step at or above its bottom.
    app.focused = Some(2);
    app.view.scroll = 0;
    let last_above = layout
        .steps
        .iter()
        .rev()
        .find(|r| r.header < view)
        .unwrap()
        .step;
    assert!(last_above < 2, "step 3 starts below the first screen");
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focused, Some(last_above));
}

#[test]
fn scrolling_is_clamped_and_keeps_focus_on_a_visible_step() {
    let mut app = app();
    resize(&mut app, 80, 15);
    press(&mut app, KeyCode::Char('G'));
    let max = super::max_scroll(&app);
    assert!(max > 0);
    assert_eq!(app.view.scroll, max);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.view.scroll, max);
    let rows = layout::doc_layout(&app)
        .rows_of(app.focused.unwrap())
        .unwrap();
    assert!(rows.header >= app.view.scroll, "focus follows the scroll");
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.view.scroll, 0);
}

#[test]
fn output_box_scrolls_back_and_folds() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    let many: String = (1..=100).map(|i| format!("line {i}\n")).collect();
    update(&mut app, output("first-steps-1", &many));
    press(&mut app, KeyCode::Char('K'));
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(app.runs["first-steps-1"].scroll_back, 2);
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(app.runs["first-steps-1"].scroll_back, 1);
    press(&mut app, KeyCode::Char('o'));
    assert!(app.runs["first-steps-1"].folded);
}

#[test]
fn doctor_panel_opens_and_reruns_on_r() {
    let mut app = app();
    assert_eq!(press(&mut app, KeyCode::Char('d')), [Effect::RefreshDoctor]);
    assert_eq!(app.view.overlay, Some(Overlay::Doctor));
    assert!(
        press(&mut app, KeyCode::Char('r')).is_empty(),
        "a check already runs"
    );
    update(&mut app, Msg::DoctorDone(daemon_down()));
    assert_eq!(press(&mut app, KeyCode::Char('r')), [Effect::RefreshDoctor]);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        app.view.overlay_scroll, 0,
        "the short report fits: nothing to scroll"
    );
    resize(&mut app, 60, 15);
    app.config.workspace = Some("/home/learner/.local/share/docker-guide/workspaces/test".into());
    for _ in 0..50 {
        press(&mut app, KeyCode::Char('j'));
    }
    let max = app.view.overlay_scroll;
    assert!(max > 0, "on a small screen the panel scrolls");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(
        app.view.overlay_scroll,
        max - 1,
        "k moves at once after many j"
    );
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.view.overlay_scroll, 0);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.view.overlay_scroll, max);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view.overlay, None);
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.view.overlay, Some(Overlay::Help));
}

#[test]
fn mouse_click_selects_a_chapter_and_a_step() {
    let mut app = app();
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let sidebar = layout::areas(app.view.width, app.view.height).sidebar;
    update(&mut app, click(3, sidebar.y + 3));
    assert_eq!(app.chapter, 2);
    let rows = layout::doc_layout(&app).rows_of(1).unwrap();
    let main = layout::areas(app.view.width, app.view.height).main;
    update(&mut app, click(main.x + 5, main.y + rows.header as u16));
    assert_eq!(app.focused, Some(1));
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: main.x + 5,
        row: main.y,
        modifiers: KeyModifiers::NONE,
    });
    resize(&mut app, 80, 15);
    let before = app.view.scroll;
    update(&mut app, wheel);
    assert_eq!(
        app.view.scroll,
        before + 3,
        "a wheel notch scrolls three rows"
    );
}

#[test]
fn ctrl_z_asks_the_loop_to_suspend() {
    let mut app = app();
    assert_eq!(update(&mut app, ctrl('z')), [Effect::Suspend]);
    assert!(!app.quitting);
}

#[test]
fn steps_saved_in_an_earlier_session_say_so_once() {
    let saved = [
        (
            "first-steps-1".to_string(),
            crate::tui::state::SavedStatus::Failed,
        ),
        (
            "first-steps-2".to_string(),
            crate::tui::state::SavedStatus::Skipped,
        ),
    ];
    let app = app_with(Resume {
        saved: saved.into_iter().collect(),
        ..Resume::default()
    });
    let opts = app.render_options();
    let headers: Vec<String> = app.course.chapters[0].steps[..2]
        .iter()
        .map(|step| {
            crate::render::step_header(step, &app.badge(step), false, &opts)
                .spans
                .iter()
                .map(|s| s.content.to_string())
                .collect()
        })
        .collect();
    assert!(
        headers[0].trim_end().ends_with("✗ failed: last time"),
        "{headers:?}"
    );
    assert!(
        headers[1].trim_end().ends_with("– skipped: last time"),
        "{headers:?}"
    );
}
