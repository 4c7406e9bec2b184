//! The UI's styles on the ANSI-16 palette (readable on dark and light terminals), or
//! monochrome under `NO_COLOR`, where focus and status still show through bold and reverse.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

#[derive(Debug, Clone, Copy)]
pub struct UiStyles {
    pub color: bool,
    pub accent: Style,
    pub ok: Style,
    pub fail: Style,
    pub warn: Style,
    pub dim: Style,
    pub running: Style,
    /// The focused step's gutter and the selected chapter.
    pub focus: Style,
    pub key: Style,
    pub title: Style,
}

impl UiStyles {
    pub fn new(color: bool) -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !color {
            return Self {
                color,
                accent: bold,
                ok: bold,
                fail: bold,
                warn: bold,
                dim: Style::new(),
                running: bold,
                focus: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                key: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
                title: bold,
            };
        }
        Self {
            color,
            accent: Style::new().fg(Color::Cyan),
            ok: Style::new().fg(Color::Green),
            fail: Style::new().fg(Color::Red),
            warn: Style::new().fg(Color::Yellow),
            dim: Style::new().fg(Color::DarkGray),
            running: Style::new().fg(Color::Cyan),
            focus: Style::new()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: bold.fg(Color::Blue),
        }
    }
}

impl UiStyles {
    /// A dialog's row of keys: each key in its box, then what it does (`label` carries its
    /// own spacing).
    pub fn keys_line(&self, keys: &[(&'static str, String)]) -> Line<'static> {
        let spans = keys
            .iter()
            .flat_map(|(key, label)| [Span::styled(*key, self.key), Span::raw(label.clone())]);
        Line::from(spans.collect::<Vec<_>>())
    }
}
