//! The view: one component per screen part, each borrowing what it draws and with one
//! `render`. Draws from `App` only; never changes it.

pub mod banner;
mod chapter_pane;
mod dialog;
pub(crate) mod doctor_panel;
mod header;
pub(crate) mod help;
mod hyperlinks;
pub mod output_box;
pub(crate) mod picker;
mod sidebar;
mod status_bar;
pub mod task_card;
mod values_form;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::state::{App, Overlay};
use super::theme::UiStyles;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = UiStyles::new(app.config.color);
    if layout::too_small(area.width, area.height) {
        render_too_small(area, theme, frame);
        return;
    }
    let areas = layout::areas(area.width, area.height);
    let buf = frame.buffer_mut();
    header::Header { app, theme }.render(areas.header, buf);
    sidebar::Sidebar { app, theme }.render(areas.sidebar, buf);
    chapter_pane::ChapterPane { app, theme }.render(areas.main, buf);
    status_bar::StatusBar { app, theme }.render(areas.status, buf);
    if app.quitting {
        dialog::Dialog::stopping(theme).render(area, buf);
        return;
    }
    match &app.view.overlay {
        Some(Overlay::Help) => help::Help {
            theme,
            workspace: app.config.workspace.as_deref(),
            scroll: app.view.overlay_scroll,
        }
        .render(area, buf),
        Some(Overlay::Doctor) => doctor_panel::DoctorPanel { app, theme }.render(area, buf),
        Some(Overlay::Confirm(confirm)) => {
            dialog::Dialog::confirm(app, confirm, theme).render(area, buf)
        }
        Some(Overlay::Pick(picker)) => picker::Picker { picker, theme }.render(area, buf),
        Some(Overlay::Values(form)) => {
            values_form::ValuesDialog { app, form, theme }.render(area, buf)
        }
        Some(Overlay::JoinClass(form)) => {
            super::live::JoinFormView { form, theme }.render(area, buf)
        }
        None => {}
    }
}

fn render_too_small(area: Rect, theme: UiStyles, frame: &mut Frame) {
    let text = vec![
        Line::styled("Enlarge the terminal", theme.title),
        Line::from(format!(
            "docker-guide needs {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
            area.width, area.height
        )),
    ];
    let top = area.height.saturating_sub(2) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// A rectangle of at most `width`×`height` centred in `area`.
/// The last line a bordered box of `lines` can start at (0 when they all fit inside `rect`).
pub fn max_scroll(rect: Rect, lines: usize) -> usize {
    lines.saturating_sub(rect.height.saturating_sub(2) as usize)
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod task_tests;
#[cfg(test)]
mod tests;
