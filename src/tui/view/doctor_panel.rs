//! The doctor panel: the full report, each check with its status, evidence and fix.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::super::state::{App, CheckStatus};
use super::super::theme::UiStyles;
use super::centered;
use super::header::spinner;
use crate::render::output::word_wrap;

pub struct DoctorPanel<'a> {
    pub app: &'a App,
    pub theme: UiStyles,
}

impl DoctorPanel<'_> {
    /// The last line the report can start at on a screen of `area` (0 when it all fits).
    pub fn max_scroll(&self, area: Rect) -> usize {
        let (rect, lines) = self.layout(area);
        super::max_scroll(rect, lines.len())
    }

    /// The box and its lines.
    fn layout(&self, area: Rect) -> (Rect, Vec<Line<'static>>) {
        let theme = self.theme;
        let rect = centered(area, 90, area.height.saturating_sub(4));
        let inner_w = rect.width.saturating_sub(4) as usize;
        let mut lines = Vec::new();
        if self.app.doctor.running {
            lines.push(Line::styled(
                format!("{} checking…", spinner(self.app.view.frame)),
                theme.running,
            ));
        }
        match &self.app.doctor.summary {
            None => lines.push(Line::styled("No report yet.", theme.dim)),
            Some(summary) => {
                let style = if summary.engine_ok {
                    theme.ok
                } else {
                    theme.fail
                };
                lines.push(Line::styled(
                    summary.headline.clone(),
                    style.add_modifier(ratatui::style::Modifier::BOLD),
                ));
                lines.push(Line::from(""));
                for check in &summary.checks {
                    let (mark, style) = match check.status {
                        CheckStatus::Ok => ("✓", theme.ok),
                        CheckStatus::Warn => ("!", theme.warn),
                        CheckStatus::Fail => ("✗", theme.fail),
                        CheckStatus::Skipped => ("–", theme.dim),
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{mark} "), style),
                        Span::styled(format!("{:<11}", check.id), theme.dim),
                        Span::styled(
                            check.title.clone(),
                            ratatui::style::Style::new()
                                .add_modifier(ratatui::style::Modifier::BOLD),
                        ),
                    ]));
                    for row in word_wrap(&check.detail, inner_w.saturating_sub(14)) {
                        if !row.is_empty() {
                            lines.push(Line::from(format!("{:14}{row}", "")));
                        }
                    }
                    if let Some(fix) = &check.fix
                        && check.status != CheckStatus::Ok
                    {
                        for (i, row) in word_wrap(fix, inner_w.saturating_sub(14))
                            .into_iter()
                            .enumerate()
                        {
                            let label = if i == 0 {
                                format!("{:>13} ", "fix")
                            } else {
                                " ".repeat(14)
                            };
                            lines.push(Line::from(vec![
                                Span::styled(label, theme.ok),
                                Span::raw(row),
                            ]));
                        }
                    }
                }
            }
        }
        if let Some(workspace) = &self.app.config.workspace {
            lines.push(Line::from(""));
            lines.push(Line::styled("Workspace (where steps run):", theme.dim));
            // A path has no words to wrap at: cut it into rows of the box's width.
            let chars: Vec<char> = workspace.chars().collect();
            for row in chars.chunks(inner_w.max(1)) {
                lines.push(Line::raw(row.iter().collect::<String>()));
            }
        }
        (rect, lines)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let (rect, lines) = self.layout(area);
        let inner_rows = rect.height.saturating_sub(2) as usize;
        let scroll = self
            .app
            .view
            .overlay_scroll
            .min(lines.len().saturating_sub(inner_rows));
        let more = if lines.len() > scroll + inner_rows {
            " ↓ j/k scroll ·"
        } else {
            ""
        };
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(" Doctor ", theme.title))
            .title_bottom(
                Line::styled(format!("{more} r re-runs · Esc closes "), theme.dim).right_aligned(),
            );
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}
