//! The help overlay: every key, grouped.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::super::theme::UiStyles;
use super::centered;
use crate::render::output::word_wrap;

/// Every key of the main view: (keys, what they do). docs/tui.md lists the same (tested).
pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Read",
        &[
            ("↑ ↓  k j", "scroll a line"),
            ("PgUp PgDn  b Space", "scroll a page"),
            ("Ctrl-u Ctrl-d", "scroll half a page"),
            ("g G  Home End", "top / bottom"),
            ("← →  [ ]  l", "previous / next chapter"),
            ("Tab S-Tab  n p", "next / previous step"),
            ("mouse", "wheel scrolls, click selects"),
            ("z", "open / close a folded section"),
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
            ("v", "values of the step's placeholders"),
        ],
    ),
    (
        "Your turn (tasks)",
        &[
            ("Enter", "check the task now"),
            ("e", "edit a workspace file ($EDITOR)"),
            ("!", "a shell in the chapter's folder"),
            ("h", "next hint"),
            ("S", "solution (asks), then apply it"),
        ],
    ),
    (
        "More",
        &[
            ("d", "doctor: check your Docker setup"),
            ("L", "join your instructor's live class"),
            ("?", "this help"),
            ("q", "quit (stops steps, runs cleanups)"),
            ("Ctrl-Z", "suspend (fg brings it back)"),
        ],
    ),
];

pub struct Help<'a> {
    pub theme: UiStyles,
    /// Where steps run, shown so the learner can find the files.
    pub workspace: Option<&'a str>,
    /// First line shown when the list is taller than the screen.
    pub scroll: usize,
}

/// Columns of the help box.
const WIDTH: u16 = 64;

impl Help<'_> {
    /// The last line the help can start at on a screen of `area` (0 when it all fits).
    pub fn max_scroll(&self, area: Rect) -> usize {
        let (rect, lines) = self.layout(area);
        super::max_scroll(rect, lines.len())
    }

    /// The box and its lines.
    fn layout(&self, area: Rect) -> (Rect, Vec<Line<'static>>) {
        let theme = self.theme;
        let rect_w = WIDTH.min(area.width.saturating_sub(2));
        let inner_w = rect_w.saturating_sub(4).max(1) as usize;
        // On short terminals the spacing goes first; what still does not fit scrolls.
        let roomy =
            area.height as usize >= KEYS.iter().map(|(_, k)| k.len() + 2).sum::<usize>() + 10;
        let mut lines = Vec::new();
        for (group, keys) in KEYS {
            if !lines.is_empty() && roomy {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(*group, theme.title));
            for (key, what) in *keys {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {key:<19}"), theme.key),
                    Span::raw(*what),
                ]));
            }
        }
        lines.push(Line::from(""));
        for row in word_wrap(
            "Without the UI: docker-guide run, progress and doctor.",
            inner_w,
        ) {
            lines.push(Line::styled(row, theme.dim));
        }
        if let Some(workspace) = self.workspace {
            lines.push(Line::styled("Workspace (where steps run):", theme.dim));
            // A path has no words to wrap at: cut it into rows of the box's width.
            let chars: Vec<char> = workspace.chars().collect();
            for row in chars.chunks(inner_w) {
                lines.push(Line::raw(row.iter().collect::<String>()));
            }
        }
        (centered(area, rect_w, lines.len() as u16 + 2), lines)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let (rect, lines) = self.layout(area);
        let inner_rows = rect.height.saturating_sub(2) as usize;
        let scroll = self.scroll.min(lines.len().saturating_sub(inner_rows));
        let hint = match (scroll > 0, lines.len() > scroll + inner_rows) {
            (false, false) => " Esc closes ",
            (false, true) => " ↓ j/k scroll · Esc closes ",
            (true, false) => " ↑ j/k scroll · Esc closes ",
            (true, true) => " ↑↓ j/k scroll · Esc closes ",
        };
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(" Keys ", theme.title))
            .title_bottom(Line::styled(hint, theme.dim).right_aligned());
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    use super::{Help, KEYS};
    use crate::tui::theme::UiStyles;

    fn screen(width: u16, height: u16, scroll: usize) -> String {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        let workspace =
            "/home/learner/.local/share/docker-guide/workspaces/docker-for-data-science";
        Help {
            theme: UiStyles::new(false),
            workspace: Some(workspace),
            scroll,
        }
        .render(area, &mut buf);
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn nothing_is_cut_and_a_short_screen_scrolls_to_every_key() {
        let tall = screen(120, 40, 0);
        assert!(
            tall.contains("docker-guide run, progress and doctor."),
            "{tall}"
        );
        assert!(
            tall.contains("/workspaces/docker-fo") && tall.contains("r-data-science"),
            "the whole path: {tall}"
        );
        assert!(!tall.contains("j/k scroll"), "{tall}");
        // 60×15: the list does not fit; every key is reachable by scrolling.
        let mut seen = String::new();
        for scroll in 0..40 {
            seen.push_str(&screen(60, 15, scroll));
        }
        assert!(screen(60, 15, 0).contains("↓ j/k scroll"));
        for (_, keys) in KEYS {
            for (_, what) in *keys {
                assert!(seen.contains(what), "{what} never shown at 60×15");
            }
        }
        assert!(seen.contains("r-data-science"), "the end of the path too");
    }

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
