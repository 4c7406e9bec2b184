//! The top row: the course title and the Docker status from the doctor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::state::App;
use super::super::theme::Theme;
use crate::render::SPINNER;

pub struct Header<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Header<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let title = Line::from(vec![
            Span::styled(" docker-guide", theme.accent.add_modifier(Modifier::BOLD)),
            Span::styled(" · ", theme.dim),
            Span::styled(self.app.course.title.clone(), bold),
        ]);
        let spinner = SPINNER[self.app.frame % SPINNER.len()];
        // While the checks run again, the last verdict stays, marked as being refreshed.
        let refreshing = if self.app.doctor.running {
            format!("{spinner} ")
        } else {
            String::new()
        };
        let status = match &self.app.doctor.summary {
            None => Span::styled(format!("{spinner} checking Docker… "), theme.dim),
            Some(s) if s.engine_ok => Span::styled(
                format!("{refreshing}{} ", s.headline),
                theme.ok.add_modifier(Modifier::BOLD),
            ),
            // Without colour a broken engine still stands out.
            Some(s) => Span::styled(
                format!("{refreshing}{} ", s.headline),
                if theme.color {
                    theme.fail.add_modifier(Modifier::BOLD)
                } else {
                    theme.focus
                },
            ),
        };
        let status_w = status.content.width() as u16;
        let title_w = area.width.saturating_sub(status_w + 1);
        buf.set_line(area.x, area.y, &title, title_w);
        buf.set_line(
            area.right().saturating_sub(status_w),
            area.y,
            &Line::from(status),
            status_w,
        );
    }
}

pub fn spinner(frame: usize) -> &'static str {
    SPINNER[frame % SPINNER.len()]
}
