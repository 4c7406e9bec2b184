//! The placeholder form: opened when a step needs values (or with `v` to change them), typed
//! into, and on Enter the values are remembered for the chapter and the step runs with them.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::msg::Effect;
use super::super::state::{App, Overlay};
use super::super::values_form::ValuesForm;
use super::notify;
use super::steps::{self, Agreed};

/// Opens the form for step `index` of the current chapter; false when it has no placeholder.
pub fn open(app: &mut App, index: usize) -> bool {
    let values = app.inputs_of(app.chapter).values;
    let form = app
        .step(index)
        .and_then(|step| ValuesForm::new(app.chapter, step, &values));
    match form {
        Some(form) => {
            app.view.overlay = Some(Overlay::Values(form));
            true
        }
        None => false,
    }
}

/// `v`: change the values of the focused step's placeholders.
pub fn edit_focused(app: &mut App) {
    let Some(index) = app.focused else {
        return;
    };
    if !open(app, index) {
        notify(app, "this step has no value to fill in".into(), false);
    }
}

pub fn on_key(app: &mut App, mut form: ValuesForm, key: KeyEvent, effects: &mut Vec<Effect>) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => {
            app.view.overlay = None;
            app.run_all = None;
            return;
        }
        KeyCode::Enter if form.complete() => {
            app.view.overlay = None;
            let inputs = app.inputs.entry(form.chapter).or_default();
            for (name, value) in form.values() {
                inputs.set_value(&name, value);
            }
            if form.chapter == app.chapter {
                steps::start_step(app, form.step, Agreed::default(), effects);
            }
            return;
        }
        // Not complete yet: on to the first empty field.
        KeyCode::Enter => {
            form.focused = form
                .fields
                .iter()
                .position(|f| f.value.trim().is_empty())
                .unwrap_or(form.focused);
        }
        KeyCode::Tab | KeyCode::Down => form.move_focus(1),
        KeyCode::BackTab | KeyCode::Up => form.move_focus(-1),
        KeyCode::Backspace => form.backspace(),
        KeyCode::Char('u') if ctrl => form.clear_field(),
        KeyCode::Char(c) if !ctrl => form.type_char(c),
        _ => {}
    }
    app.view.overlay = Some(Overlay::Values(form));
}
