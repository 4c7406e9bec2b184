//! The top of a chapter whose `requires` fail: which checks, and how to fix them.

use ratatui::text::{Line, Span};

use super::super::state::App;
use super::super::theme::Theme;
use crate::render::output::word_wrap;

pub fn requires_banner(app: &App, width: usize) -> Vec<Line<'static>> {
    let failing = app.failing_requires();
    if failing.is_empty() {
        return Vec::new();
    }
    let theme = Theme::new(app.color);
    let ids: Vec<&str> = failing.iter().map(|c| c.id.as_str()).collect();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            "⚠ This chapter needs ",
            theme.warn.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(
            ids.join(", "),
            theme.warn.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(" — not ready on this machine:", theme.warn),
    ])];
    for check in failing {
        let head = format!("{}: {}", check.title, check.detail);
        for (i, row) in word_wrap(&head, width.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            let mark = if i == 0 {
                Span::styled("  ✗ ", theme.fail)
            } else {
                Span::raw("    ")
            };
            lines.push(Line::from(vec![mark, Span::raw(row)]));
        }
        if let Some(fix) = &check.fix {
            for (i, row) in word_wrap(fix, width.saturating_sub(9))
                .into_iter()
                .enumerate()
            {
                let label = if i == 0 {
                    Span::styled("    fix ", theme.ok)
                } else {
                    Span::raw("        ")
                };
                lines.push(Line::from(vec![label, Span::raw(row)]));
            }
        }
    }
    lines.push(Line::styled(
        "  d: doctor panel · running a step asks first",
        theme.dim,
    ));
    lines.push(Line::from(""));
    lines
}
