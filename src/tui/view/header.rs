//! The top row: the course title and the Docker status from the doctor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::state::{App, CheckStatus};
use super::super::theme::UiStyles;
use super::sidebar::fit;
use crate::render::SPINNER;

pub struct Header<'a> {
    pub app: &'a App,
    pub theme: UiStyles,
}

impl Header<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let brand = vec![
            Span::styled(" docker-guide", theme.accent.add_modifier(Modifier::BOLD)),
            Span::styled(" · ", theme.dim),
        ];
        let spinner = SPINNER[self.app.view.frame % SPINNER.len()];
        // While the checks run again, the last verdict stays, marked as being refreshed.
        let refreshing = if self.app.doctor.running {
            format!("{spinner} ")
        } else {
            String::new()
        };
        let status = match &self.app.doctor.summary {
            None => Span::styled(format!("{spinner} checking Docker… "), theme.dim),
            // Warnings (`1 issue !`) are not a green light.
            Some(s) if s.engine_ok => Span::styled(
                format!("{refreshing}{} ", s.headline),
                if s.checks
                    .iter()
                    .any(|c| c.status != CheckStatus::Ok && c.status != CheckStatus::Skipped)
                {
                    theme.warn.add_modifier(Modifier::BOLD)
                } else {
                    theme.ok.add_modifier(Modifier::BOLD)
                },
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
        // A long course title ends in `…` rather than running into the status.
        let brand_w: usize = brand.iter().map(|s| s.content.width()).sum();
        let course_w = (title_w as usize).saturating_sub(brand_w);
        let course = fit(&self.app.course.title, course_w);
        let mut title = brand;
        title.push(Span::styled(course.trim_end().to_string(), bold));
        let title = Line::from(title);
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

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Color;

    use super::Header;
    use crate::tui::state::{CheckLine, CheckStatus, DoctorResults};
    use crate::tui::testing::app;
    use crate::tui::theme::UiStyles;

    #[test]
    fn a_long_title_ends_in_an_ellipsis_and_warnings_are_not_green() {
        let mut app = app();
        app.course.title = "A Data Scientist's Guide to Docker Containers".into();
        app.doctor.summary = Some(DoctorResults {
            headline: "Docker 20.10 · 1 issue !".into(),
            engine_ok: true,
            checks: vec![CheckLine {
                id: "buildx".into(),
                status: CheckStatus::Warn,
                title: "BuildKit (buildx)".into(),
                detail: "buildx is missing".into(),
                fix: None,
            }],
            blocked_ports: Vec::new(),
        });
        let area = Rect::new(0, 0, 80, 1);
        let mut buf = Buffer::empty(area);
        Header {
            app: &app,
            theme: UiStyles::new(true),
        }
        .render(area, &mut buf);
        let row: String = (0..80).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(row.contains("Guide to Docker Co… Docker 20.10"), "{row}");
        assert!(row.ends_with("Docker 20.10 · 1 issue ! "), "{row}");
        let status_x = row.chars().position(|c| c == '!').unwrap() as u16;
        assert_eq!(buf[(status_x, 0)].fg, Color::Yellow);
    }
}
