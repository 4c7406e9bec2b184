//! The file picker of `e`: the chapter's candidate files, numbered, one selected.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::super::state::FilePicker;
use super::super::theme::UiStyles;
use super::centered;

pub struct Picker<'a> {
    pub picker: &'a FilePicker,
    pub theme: UiStyles,
}

impl Picker<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut lines = vec![
            Line::from("Which file do you want to edit?"),
            Line::from(""),
        ];
        for (i, file) in self.picker.files.iter().enumerate() {
            let selected = i == self.picker.selected;
            let marker = if selected { "▶ " } else { "  " };
            let style = if selected {
                theme.focus
            } else {
                ratatui::style::Style::new()
            };
            let number = if i < 9 {
                format!("{} ", i + 1)
            } else {
                "  ".into()
            };
            lines.push(Line::from(vec![
                Span::styled(marker, theme.accent),
                Span::styled(number, theme.dim),
                Span::styled(file.clone(), style),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(theme.keys_line(&[
            (" ↑↓ ", " choose  ".into()),
            (" Enter ", " edit  ".into()),
            (" Esc ", " cancel".into()),
        ]));
        let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
        let rect = centered(area, widest.max(40) + 4, lines.len() as u16 + 2);
        // Long lists scroll so the selected file stays inside the box.
        let inner = rect.height.saturating_sub(2) as usize;
        let scroll = (self.picker.selected + 4).saturating_sub(inner) as u16;
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(" Edit a file ", theme.title));
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}
