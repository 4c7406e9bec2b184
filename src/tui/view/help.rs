//! The help overlay: every key, grouped.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::super::theme::Theme;
use super::centered;

/// Every key of the main view: (keys, what they do). docs/tui.md lists the same (tested).
pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Read",
        &[
            ("↑ ↓  k j", "scroll a line"),
            ("PgUp PgDn  b Space", "scroll a page"),
            ("Ctrl-u Ctrl-d", "scroll half a page"),
            ("g G  Home End", "top / bottom"),
            ("← →  [ ]  h l", "previous / next chapter"),
            ("Tab S-Tab  n p", "next / previous step"),
            ("mouse", "wheel scrolls, click selects"),
        ],
    ),
    (
        "Run",
        &[
            ("Enter", "run the focused step"),
            ("a", "run the remaining steps in order"),
            ("x  Ctrl-C", "stop the running step"),
            ("o", "fold / unfold the step's output"),
            ("J K  S-↓ S-↑", "scroll the output box"),
            ("c", "copy the step's command (OSC 52)"),
        ],
    ),
    (
        "More",
        &[
            ("d", "doctor: check your Docker setup"),
            ("?", "this help"),
            ("q", "quit (stops steps, runs cleanups)"),
            ("Ctrl-Z", "suspend (fg brings it back)"),
        ],
    ),
];

pub struct Help<'a> {
    pub theme: Theme,
    /// Where steps run, shown so the learner can find the files.
    pub workspace: Option<&'a str>,
}

impl Help<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        // On short terminals the spacing goes first, so every key stays listed.
        let roomy =
            area.height as usize >= KEYS.iter().map(|(_, k)| k.len() + 2).sum::<usize>() + 7;
        let mut lines = Vec::new();
        for (group, keys) in KEYS {
            if !lines.is_empty() && roomy {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(*group, theme.title));
            for (key, what) in *keys {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {key:<20}"), theme.key),
                    Span::raw(*what),
                ]));
            }
        }
        if roomy {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                "Every action also works without the UI: docker-guide run | progress | doctor",
                theme.dim,
            ));
        }
        if let Some(workspace) = self.workspace {
            lines.push(Line::from(vec![
                Span::styled("Workspace ", theme.dim),
                Span::raw(workspace.to_string()),
            ]));
        }
        let rect = centered(area, 64, lines.len() as u16 + 2);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(" Keys ", theme.title))
            .title_bottom(Line::styled(" Esc closes ", theme.dim).right_aligned());
        Paragraph::new(lines)
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::KEYS;

    #[test]
    fn the_documented_keys_are_the_keys_of_the_help() {
        let doc = include_str!("../../../docs/tui.md");
        for (_, keys) in KEYS {
            for (key, what) in *keys {
                let row = format!("| `{key}` | {what} |");
                assert!(doc.contains(&row), "docs/tui.md lacks the row {row}");
            }
        }
    }
}
