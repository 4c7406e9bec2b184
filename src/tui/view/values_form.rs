//! The placeholder form: a field per value the step needs, and the command as it will run
//! with what is typed so far (wrapped, never cut: the learner checks it before it runs).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::super::state::App;
use super::super::theme::UiStyles;
use super::super::values_form::ValuesForm;
use super::centered;

pub struct ValuesDialog<'a> {
    pub app: &'a App,
    pub form: &'a ValuesForm,
    pub theme: UiStyles,
}

impl ValuesDialog<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let (form, theme) = (self.form, self.theme);
        let Some(step) = self
            .app
            .course
            .chapters
            .get(form.chapter)
            .and_then(|c| c.steps.get(form.step))
        else {
            return;
        };
        let mut lines = vec![
            Line::from("This command needs values only you know:"),
            Line::from(""),
        ];
        let label_w = form
            .fields
            .iter()
            .map(|f| f.written.width())
            .max()
            .unwrap_or(0);
        for (i, field) in form.fields.iter().enumerate() {
            let focused = i == form.focused;
            let marker = Span::styled(if focused { "▶ " } else { "  " }, theme.accent);
            let label = format!("{:<label_w$}  ", field.written);
            let value = if field.value.is_empty() && !focused {
                Span::styled("(empty)", theme.dim)
            } else if focused {
                Span::styled(format!("{}▏", field.value), theme.focus)
            } else {
                Span::raw(field.value.clone())
            };
            lines.push(Line::from(vec![marker, Span::raw(label), value]));
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            if form.complete() {
                "It will run:"
            } else {
                "It will run (once every value is filled in):"
            },
            theme.dim,
        ));
        for (n, line) in form.preview(step).lines().enumerate() {
            let prompt = if n == 0 { "$ " } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(prompt, theme.dim),
                Span::styled(line.to_string(), theme.title),
            ]));
        }
        lines.push(Line::from(""));
        let enter = if form.complete() {
            " run"
        } else {
            " next empty"
        };
        lines.push(theme.keys_line(&[
            (" Enter ", format!("{enter}  ")),
            (" Tab ", " next field  ".into()),
            (" Esc ", " cancel".into()),
        ]));
        let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
        let width = (widest + 4).clamp(50, area.width.saturating_sub(2).max(1));
        let inner = usize::from(width.saturating_sub(4)).max(1);
        // Long commands wrap: the box grows by the rows they take.
        let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
        let rect = centered(area, width, rows as u16 + 2);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(
                format!(" Values for step {} ", form.step + 1),
                theme.title,
            ));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}
