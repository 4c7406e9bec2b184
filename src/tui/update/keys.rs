//! Keys and the mouse → state changes and effects. Only key presses count (not repeats'
//! releases), so terminals that report releases do not act twice.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::super::layout::{self, Segment, doc_layout};
use super::super::msg::Effect;
use super::super::state::{App, Confirm, Overlay};
use super::super::theme::UiStyles;
use super::super::view::doctor_panel::DoctorPanel;
use super::super::view::help::Help;
use super::steps::{self, Agreed};
use super::{clamp_scroll, max_scroll, notify, quit, refocus_visible, scroll_into_view};
use super::{solution, tasks};

/// Rows a wheel notch scrolls.
const WHEEL_ROWS: usize = 3;

pub fn on_key(app: &mut App, key: KeyEvent, effects: &mut Vec<Effect>) {
    if key.kind != KeyEventKind::Press || app.quitting {
        return;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('z')) {
        // Raw mode turns Ctrl-Z into a key too: give the shell its job control back.
        effects.push(Effect::Suspend);
        return;
    }
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        // Raw mode turns Ctrl-C into a key: stop a step if one runs, else leave.
        if !steps::cancel_one(app, effects) {
            on_quit_key(app, effects);
        }
        return;
    }
    match app.view.overlay.clone() {
        Some(Overlay::Confirm(confirm)) => on_confirm_key(app, confirm, key, effects),
        Some(Overlay::Help) => match key.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => app.view.overlay = None,
            code => scroll_overlay(app, code),
        },
        Some(Overlay::Doctor) => match key.code {
            KeyCode::Esc | KeyCode::Char('d' | 'q') | KeyCode::Enter => app.view.overlay = None,
            KeyCode::Char('r') => refresh_doctor(app, effects),
            code => scroll_overlay(app, code),
        },
        Some(Overlay::Pick(picker)) => tasks::on_pick_key(app, picker, key, effects),
        Some(Overlay::Values(form)) => super::values::on_key(app, form, key, effects),
        Some(Overlay::JoinClass(form)) => crate::tui::live::on_form_key(app, form, key, effects),
        None => on_main_key(app, key, effects),
    }
}

/// The doctor panel and the help scroll when they are taller than the screen (the view
/// clamps the line to what exists).
fn scroll_overlay(app: &mut App, code: KeyCode) {
    // Clamped to the panel's content, so `k` after many `j` presses moves at once.
    let area = ratatui::layout::Rect::new(0, 0, app.view.width, app.view.height);
    let theme = UiStyles::new(app.config.color);
    let max = match app.view.overlay {
        Some(Overlay::Help) => Help {
            theme,
            workspace: app.config.workspace.as_deref(),
            scroll: 0,
        }
        .max_scroll(area),
        Some(Overlay::Doctor) => DoctorPanel { app, theme }.max_scroll(area),
        _ => 0,
    };
    let scroll = app.view.overlay_scroll.min(max);
    app.view.overlay_scroll = match code {
        KeyCode::Down | KeyCode::Char('j') => scroll + 1,
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll + 10,
        KeyCode::PageUp | KeyCode::Char('b') => scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => max,
        _ => scroll,
    }
    .min(max);
}

fn refresh_doctor(app: &mut App, effects: &mut Vec<Effect>) {
    if !app.doctor.running {
        app.doctor.running = true;
        effects.push(Effect::RefreshDoctor);
    }
}

fn on_quit_key(app: &mut App, effects: &mut Vec<Effect>) {
    if app.any_running() {
        app.view.overlay = Some(Overlay::Confirm(Confirm::Quit));
    } else {
        quit(app, effects);
    }
}

fn on_confirm_key(app: &mut App, confirm: Confirm, key: KeyEvent, effects: &mut Vec<Effect>) {
    let yes = matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter);
    let no = matches!(key.code, KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc);
    if !yes && !no {
        return;
    }
    app.view.overlay = None;
    if let Confirm::OverwriteSolution {
        step,
        solution_step,
        ..
    } = confirm
    {
        solution::on_overwrite_answer(app, step, solution_step, yes, effects);
        return;
    }
    if no {
        app.run_all = None;
        return;
    }
    match confirm {
        Confirm::Quit => quit(app, effects),
        Confirm::Requires { step, .. } => {
            app.requires_waived.insert(app.chapter);
            steps::start_step(
                app,
                step,
                Agreed {
                    requires: true,
                    ..Agreed::default()
                },
                effects,
            );
        }
        Confirm::RunStep { step } => steps::start_step(
            app,
            step,
            Agreed {
                requires: true,
                confirm: true,
                ..Agreed::default()
            },
            effects,
        ),
        Confirm::ShowSolution { step } => solution::show_solution(app, step, effects),
        Confirm::ApplySolution { step } => solution::apply_solution(app, step, effects),
        Confirm::OverwriteSolution { .. } => {}
        Confirm::Overwrite { step, .. } => {
            let agreed = Agreed {
                requires: true,
                confirm: true,
                overwrite: true,
            };
            steps::start_step(app, step, agreed, effects);
        }
    }
}

fn on_main_key(app: &mut App, key: KeyEvent, effects: &mut Vec<Effect>) {
    let page = layout::viewport_rows(app).saturating_sub(2).max(1);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('q') => on_quit_key(app, effects),
        KeyCode::Char('?') => {
            app.view.overlay = Some(Overlay::Help);
            app.view.overlay_scroll = 0;
        }
        KeyCode::Char('d') if !ctrl => {
            app.view.overlay = Some(Overlay::Doctor);
            app.view.overlay_scroll = 0;
            if app.doctor.summary.is_none() {
                refresh_doctor(app, effects);
            }
        }
        KeyCode::Up if shift => scroll_output(app, 1),
        KeyCode::Down if shift => scroll_output(app, -1),
        KeyCode::Char('K') => scroll_output(app, 1),
        KeyCode::Char('J') => scroll_output(app, -1),
        KeyCode::Up | KeyCode::Char('k') => scroll_by(app, -1),
        KeyCode::Down | KeyCode::Char('j') => scroll_by(app, 1),
        KeyCode::Char('u') if ctrl => scroll_by(app, -(page as isize / 2)),
        KeyCode::Char('d') => scroll_by(app, page as isize / 2),
        KeyCode::PageUp | KeyCode::Char('b') => scroll_by(app, -(page as isize)),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll_by(app, page as isize),
        KeyCode::Home | KeyCode::Char('g') => scroll_to(app, 0),
        KeyCode::End | KeyCode::Char('G') => scroll_to(app, usize::MAX),
        KeyCode::Tab | KeyCode::Char('n') => move_focus(app, 1),
        KeyCode::BackTab | KeyCode::Char('p') => move_focus(app, -1),
        KeyCode::Enter => {
            if let Some(index) = app.focused {
                steps::start_step(app, index, Agreed::default(), effects);
            }
        }
        KeyCode::Char('x') if !steps::cancel_one(app, effects) => {
            notify(app, "nothing is running".into(), false);
        }
        KeyCode::Char('h') => solution::next_hint(app, effects),
        KeyCode::Char('S') => solution::solution_key(app),
        KeyCode::Left | KeyCode::Char('[') => {
            let target = app.chapter.saturating_sub(1);
            steps::change_chapter(app, target, effects);
        }
        KeyCode::Right | KeyCode::Char(']' | 'l') => {
            let target = app.chapter + 1;
            steps::change_chapter(app, target, effects);
        }
        KeyCode::Char('a') => steps::start_run_all(app, effects),
        KeyCode::Char('L') => crate::tui::live::open_form(app),
        KeyCode::Char('z') => super::folds::toggle_fold_in_view(app),
        KeyCode::Char('e') => tasks::edit(app, effects),
        KeyCode::Char('v') => super::values::edit_focused(app),
        KeyCode::Char('!') => tasks::shell(app, effects),
        KeyCode::Char('c') => {
            if let Some(step) = app.focused_step() {
                let text = step.copy_text().trim_end().to_string();
                let what = format!("step {} sent to the clipboard (OSC 52)", step.index + 1);
                effects.push(Effect::CopyToClipboard(text));
                notify(app, what, false);
            }
        }
        KeyCode::Char('o') => {
            if let Some(run) = app
                .focused_step()
                .map(|s| s.id.clone())
                .and_then(|id| app.runs.get_mut(&id))
            {
                run.folded = !run.folded;
                run.scroll_back = 0;
                clamp_scroll(app);
            }
        }
        _ => {}
    }
}

fn scroll_by(app: &mut App, delta: isize) {
    app.view.scroll = app
        .view
        .scroll
        .saturating_add_signed(delta)
        .min(max_scroll(app));
    refocus_visible(app);
}

fn scroll_to(app: &mut App, row: usize) {
    app.view.scroll = row.min(max_scroll(app));
    refocus_visible(app);
}

fn move_focus(app: &mut App, delta: isize) {
    let count = app.current_chapter().map_or(0, |c| c.steps.len());
    if count == 0 {
        return;
    }
    let layout = doc_layout(app);
    let view = layout::viewport_rows(app);
    let on_screen = |step: usize| {
        layout
            .rows_of(step)
            .is_some_and(|r| (app.view.scroll..app.view.scroll + view).contains(&r.header))
    };
    let next = match app.focused {
        Some(f) if on_screen(f) => f.saturating_add_signed(delta).min(count - 1),
        // The focus is off screen (a chapter opens at its top, its first step further down):
        // Tab goes to the first step from what the learner sees on, Shift-Tab to the last
        // one up to it, never past a step they have not seen.
        _ if delta > 0 => layout
            .steps
            .iter()
            .find(|r| r.header >= app.view.scroll)
            .map_or(count - 1, |r| r.step),
        _ => layout
            .steps
            .iter()
            .rev()
            .find(|r| r.header < app.view.scroll + view)
            .map_or(0, |r| r.step),
    };
    app.focused = Some(next);
    scroll_into_view(app, next);
}

/// Scrolls the focused step's output back (`up > 0`) or towards the tail.
fn scroll_output(app: &mut App, up: isize) {
    if let Some(id) = app.focused_step().map(|s| s.id.clone()) {
        scroll_output_of(app, &id, up);
    }
}

fn scroll_output_of(app: &mut App, step_id: &str, up: isize) {
    if let Some(run) = app.runs.get_mut(step_id) {
        let max = run.transcript.line_count().saturating_sub(1);
        run.scroll_back = run.scroll_back.saturating_add_signed(up).min(max);
    }
}

pub fn on_mouse(app: &mut App, mouse: MouseEvent, effects: &mut Vec<Effect>) {
    if app.view.overlay.is_some() || app.quitting {
        return;
    }
    let areas = layout::areas(app.view.width, app.view.height);
    let (col, row) = (mouse.column, mouse.row);
    let in_main = col >= areas.main.x && row >= areas.main.y && row < areas.main.bottom();
    let in_sidebar =
        col < areas.sidebar.right() && row >= areas.sidebar.y && row < areas.sidebar.bottom();
    let doc_row = app.view.scroll + row.saturating_sub(areas.main.y) as usize;
    match mouse.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if in_main => {
            let up = matches!(mouse.kind, MouseEventKind::ScrollUp);
            let layout = doc_layout(app);
            let over_output = layout.placed.iter().find_map(|p| match &p.segment {
                Segment::Output { step, .. } if (p.top..p.top + p.rows).contains(&doc_row) => {
                    Some(*step)
                }
                _ => None,
            });
            let scrollable = over_output
                .and_then(|s| app.current_chapter().map(|c| c.steps[s].id.clone()))
                .filter(|id| {
                    app.runs
                        .get(id)
                        .is_some_and(|r| r.transcript.line_count() > layout::viewport_rows(app) / 2)
                });
            match scrollable {
                Some(id) => scroll_output_of(
                    app,
                    &id,
                    if up {
                        WHEEL_ROWS as isize
                    } else {
                        -(WHEEL_ROWS as isize)
                    },
                ),
                None => scroll_by(
                    app,
                    if up {
                        -(WHEEL_ROWS as isize)
                    } else {
                        WHEEL_ROWS as isize
                    },
                ),
            }
        }
        MouseEventKind::Down(MouseButton::Left) if in_sidebar => {
            // Row 0 of the sidebar is its title; chapters follow one per row.
            let index = row.saturating_sub(areas.sidebar.y + 1) as usize;
            if row > areas.sidebar.y && index < app.course.chapters.len() {
                steps::change_chapter(app, index, effects);
            }
        }
        MouseEventKind::Down(MouseButton::Left) if in_main => {
            if super::folds::toggle_fold_at(app, doc_row) {
                return;
            }
            if let Some(step) = doc_layout(app).step_at(doc_row) {
                app.focused = Some(step);
            }
        }
        _ => {}
    }
}
