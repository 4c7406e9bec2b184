//! The top of a chapter: the problems found in its file (with their places), and the
//! `requires` checks that fail on this machine with how to fix them.

use ratatui::text::{Line, Span};

use super::super::state::{App, CheckStatus};
use super::super::theme::UiStyles;
use crate::lesson::Severity;
use crate::render::output::word_wrap;

/// Everything shown above the chapter's text; empty when all is well.
pub fn chapter_banner(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = problems_banner(app, width);
    lines.extend(requires_banner(app, width));
    lines
}

/// Errors in the chapter's file (bad front matter, a broken step attribute): the chapter
/// still shows, but the learner (or the author) should know what was ignored and where.
fn problems_banner(app: &App, width: usize) -> Vec<Line<'static>> {
    let errors: Vec<_> = app
        .course
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| app.course.chapter_of(d) == Some(app.chapter))
        .collect();
    if errors.is_empty() {
        return Vec::new();
    }
    let theme = UiStyles::new(app.config.color);
    let bold = ratatui::style::Modifier::BOLD;
    let mut lines = vec![Line::styled(
        "⚠ This chapter's file has problems; parts of it may be missing or not runnable:",
        theme.fail.add_modifier(bold),
    )];
    for error in errors {
        let text = format!("{}: {}", error.pos, error.message);
        lines.extend(labelled(Span::styled("  ✗ ", theme.fail), &text, width));
    }
    let hint = format!(
        "  `{}` lists every problem of the course",
        app.config.lint_command
    );
    lines.extend(
        word_wrap(&hint, width)
            .into_iter()
            .map(|row| Line::styled(row, theme.dim)),
    );
    lines.push(Line::from(""));
    lines
}

fn requires_banner(app: &App, width: usize) -> Vec<Line<'static>> {
    let failing = app.failing_requires();
    if failing.is_empty() {
        return Vec::new();
    }
    let theme = UiStyles::new(app.config.color);
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
        // A check that skipped itself (no GPU here) is not broken: no red cross.
        let mark = if check.status == CheckStatus::Skipped {
            Span::styled("  – ", theme.dim)
        } else {
            Span::styled("  ✗ ", theme.fail)
        };
        lines.extend(labelled(mark, &head, width));
        if let Some(fix) = &check.fix {
            lines.extend(labelled(Span::styled("    fix ", theme.ok), fix, width));
        }
    }
    lines.push(Line::styled(
        "  d: doctor panel · running a step asks first",
        theme.dim,
    ));
    lines.push(Line::from(""));
    lines
}

/// `text` wrapped after `label`, its continuation rows indented to the label's width.
fn labelled(label: Span<'static>, text: &str, width: usize) -> Vec<Line<'static>> {
    let indent = " ".repeat(label.width());
    word_wrap(text, width.saturating_sub(label.width()))
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let head = if i == 0 {
                label.clone()
            } else {
                Span::raw(indent.clone())
            };
            Line::from(vec![head, Span::raw(row)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lesson::{Diagnostic, Severity, SourcePos};
    use crate::tui::testing::app;

    #[test]
    fn the_problems_banner_names_the_lint_command_of_this_course() {
        let mut app = app();
        app.course.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            pos: SourcePos {
                file: "lessons/first-steps.md".into(),
                line: 12,
                column: 1,
            },
            message: "duplicate step id `same`".into(),
        });
        app.config.lint_command = "docker-guide lint /tmp/my-course".into();
        let text: String = super::chapter_banner(&app, 60)
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect::<Vec<_>>()
            .join("");
        assert!(
            text.contains("lessons/first-steps.md:12:1: duplicate step id"),
            "{text}"
        );
        assert!(
            text.contains("`docker-guide lint /tmp/my-course` lists"),
            "{text}"
        );
    }
}
