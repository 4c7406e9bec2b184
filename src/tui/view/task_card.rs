//! The "Your turn" card drawn under a task's check: the goal, the check's state (○ not tried,
//! ✗ not yet, ✓ solved, or checking), the hints used and those revealed, the solution once
//! the learner asked for it, and the keys. Also hides the hints and the solution from the
//! chapter's text, so they are revealed only through the card.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::state::{App, Phase, TaskState};
use super::super::theme::UiStyles;
use crate::lesson::{Chapter, Step, StepKind, TaskSpec};
use crate::render::output::word_wrap;
use crate::render::{RenderOptions, SPINNER, format_duration, render_markdown};
use crate::runner::StepResult;

/// The chapter as the TUI renders it: every hint and solution `<details>` block blanked out
/// (same length, newlines kept, so the steps' byte ranges still point at their blocks).
pub fn without_spoilers(chapter: &Chapter) -> Cow<'_, Chapter> {
    let spans: Vec<_> = chapter
        .steps
        .iter()
        .filter_map(|s| s.task.as_ref())
        .flat_map(|t| {
            t.hints
                .iter()
                .map(|h| h.span.clone())
                .chain(t.solution_span.clone())
        })
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(chapter);
    }
    let mut bytes = chapter.markdown.as_bytes().to_vec();
    for span in spans {
        let end = span.end.min(bytes.len());
        for b in &mut bytes[span.start.min(end)..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    let mut blanked = chapter.clone();
    // Only ASCII spaces replaced whole UTF-8 sequences (spans are char-aligned); be safe anyway.
    blanked.markdown = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        .into();
    Cow::Owned(blanked)
}

/// What the learner is asked to do: the paragraph right before the task's block.
pub fn goal(chapter: &Chapter, step: &Step) -> Option<String> {
    let before = chapter.markdown.get(..step.span.start)?;
    let paragraph = before
        .rsplit("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())?;
    let skip = ["#", "```", "~~~", "<", "|", "---"];
    if skip.iter().any(|s| paragraph.starts_with(s)) {
        return None;
    }
    Some(paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The check's state as the card names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckState {
    NotTried,
    Checking { seconds: String, frame: usize },
    Applying,
    NotYet { why: String },
    Solved,
}

pub fn check_state(app: &App, step: &Step) -> CheckState {
    let task = app.tasks.get(&step.id);
    if let Some(run) = app.run_of(step) {
        if task.is_some_and(|t| t.applying.is_some()) {
            return CheckState::Applying;
        }
        if let Phase::Running { started } | Phase::Interactive { started } = run.phase {
            return CheckState::Checking {
                seconds: format_duration(app.now.saturating_duration_since(started)),
                frame: app.view.frame,
            };
        }
        if let Some(outcome) = run.outcome() {
            return match &outcome.result {
                StepResult::Passed => CheckState::Solved,
                StepResult::Failed(reason) => CheckState::NotYet {
                    why: reason.to_string(),
                },
                StepResult::Skipped(_) => CheckState::NotTried,
            };
        }
    }
    if app.step_done(step) {
        CheckState::Solved
    } else if app.step_failed(step) {
        CheckState::NotYet {
            why: "last time".into(),
        }
    } else {
        CheckState::NotTried
    }
}

/// The card's rows at `width` columns (the chapter's width), borders included.
pub fn card_lines(app: &App, chapter: &Chapter, step: &Step, width: usize) -> Vec<Line<'static>> {
    let Some(spec) = &step.task else {
        return Vec::new();
    };
    let theme = UiStyles::new(app.config.color);
    let inner = width.saturating_sub(4).max(10);
    let default = TaskState::default();
    let state = app.tasks.get(&step.id).unwrap_or(&default);
    let check = check_state(app, step);
    let opts = RenderOptions {
        width: inner as u16,
        color: app.config.color,
    };
    let mut body: Vec<Line<'static>> = Vec::new();
    if let Some(goal) = goal(chapter, step) {
        body.extend(trimmed(render_markdown(&goal, &opts)));
        body.push(Line::from(""));
    }
    body.extend(state_lines(&check, spec, theme, inner));
    body.push(hints_line(spec, state, theme));
    for (i, hint) in spec.hints.iter().take(state.hints_shown).enumerate() {
        body.push(Line::from(""));
        body.push(Line::styled(
            format!("Hint {} of {}", i + 1, spec.hints.len()),
            theme.warn.add_modifier(ratatui::style::Modifier::BOLD),
        ));
        body.extend(trimmed(render_markdown(&hint.markdown, &opts)));
    }
    if state.solution_shown {
        body.push(Line::from(""));
        body.push(Line::styled(
            "Solution",
            theme.warn.add_modifier(ratatui::style::Modifier::BOLD),
        ));
        body.extend(trimmed(render_markdown(&solution_markdown(spec), &opts)));
    }
    body.push(Line::from(""));
    body.push(keys_line(spec, state, &check, theme));
    let border = match check {
        CheckState::Solved => theme.ok,
        _ => theme.accent,
    };
    framed(
        body,
        " Your turn ",
        &check_badge(&check),
        border,
        theme,
        width,
    )
}

fn state_lines(
    check: &CheckState,
    spec: &TaskSpec,
    theme: UiStyles,
    inner: usize,
) -> Vec<Line<'static>> {
    let watching = (!spec.watch.is_empty()).then(|| spec.watch.join(" "));
    let text = match check {
        CheckState::NotTried => match &watching {
            Some(files) => format!("○ not tried yet · saving {files} checks it"),
            None => "○ not tried yet · Enter checks it".into(),
        },
        CheckState::Checking { seconds, frame } => format!(
            "{} checking… ({seconds}) its output streams below",
            SPINNER[frame % SPINNER.len()]
        ),
        CheckState::Applying => "applying the solution, then checking…".into(),
        CheckState::NotYet { why } => match &watching {
            Some(files) => format!(
                "✗ not yet ({why}); the check's output is below · saving {files} checks again"
            ),
            None => format!("✗ not yet ({why}); the check's output is below"),
        },
        CheckState::Solved => "✓ solved".into(),
    };
    let style = match check {
        CheckState::NotYet { .. } => theme.fail,
        CheckState::Solved => theme.ok,
        CheckState::Checking { .. } | CheckState::Applying => theme.running,
        CheckState::NotTried => Style::new(),
    };
    word_wrap(&text, inner)
        .into_iter()
        .map(|row| Line::styled(row, style))
        .collect()
}

fn check_badge(check: &CheckState) -> String {
    match check {
        CheckState::NotTried => " ○ not tried ".into(),
        CheckState::Checking { seconds, frame } => {
            format!(" {} checking {seconds} ", SPINNER[frame % SPINNER.len()])
        }
        CheckState::Applying => format!(" {} solution ", SPINNER[0]),
        CheckState::NotYet { .. } => " ✗ not yet ".into(),
        CheckState::Solved => " ✓ solved ".into(),
    }
}

fn hints_line(spec: &TaskSpec, state: &TaskState, theme: UiStyles) -> Line<'static> {
    let total = spec.hints.len();
    let text = match (total, state.hints_shown.min(total)) {
        (0, _) => "No hints for this one".to_string(),
        (t, 0) => format!("Hints: none used of {t}"),
        (t, used) => format!("Hints: {used} of {t} used"),
    };
    let solution = if state.solution_shown {
        " · solution viewed"
    } else {
        ""
    };
    Line::styled(format!("{text}{solution}"), theme.dim)
}

fn keys_line(
    spec: &TaskSpec,
    state: &TaskState,
    check: &CheckState,
    theme: UiStyles,
) -> Line<'static> {
    let mut keys: Vec<(&str, &str)> = vec![("e", "edit"), ("!", "shell"), ("Enter", "check")];
    if state.hints_shown < spec.hints.len() {
        keys.push(("h", "hint"));
    }
    if !spec.solution.is_empty() && *check != CheckState::Solved {
        keys.push((
            "S",
            if state.solution_shown {
                "apply solution"
            } else {
                "solution"
            },
        ));
    }
    let mut spans = Vec::new();
    for (i, (key, what)) in keys.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key.to_string(), theme.key));
        spans.push(Span::styled(format!(" {what}"), theme.dim));
    }
    Line::from(spans)
}

/// The solution's steps as markdown: a file step as its path and content, a command as a
/// shell block.
fn solution_markdown(spec: &TaskSpec) -> String {
    let mut md = String::new();
    for step in &spec.solution {
        let fence = if step.code.contains("```") {
            "~~~~"
        } else {
            "```"
        };
        match &step.kind {
            StepKind::File { path } => md.push_str(&format!("`{path}`:\n\n")),
            StepKind::Command { .. } => {}
        }
        md.push_str(&format!(
            "{fence}{}\n{}\n{fence}\n\n",
            step.lang,
            step.code.trim_end()
        ));
    }
    md
}

/// Rendered markdown without the blank rows it starts and ends with.
fn trimmed(mut lines: Vec<Line<'static>>) -> Vec<Line<'static>> {
    let blank = |l: &Line| l.spans.iter().all(|s| s.content.trim().is_empty());
    while lines.last().is_some_and(blank) {
        lines.pop();
    }
    let first = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
    lines.split_off(first)
}

/// `body` in a rounded box `width` columns wide, `title` on the left of the top border and
/// `badge` on its right.
fn framed(
    body: Vec<Line<'static>>,
    title: &str,
    badge: &str,
    border: Style,
    theme: UiStyles,
    width: usize,
) -> Vec<Line<'static>> {
    let inner = width.saturating_sub(4);
    let rule = width
        .saturating_sub(3 + title.width() + badge.width())
        .max(1);
    let mut lines = vec![Line::from(vec![
        Span::styled("╭─", border),
        Span::styled(title.to_string(), theme.title),
        Span::styled("─".repeat(rule), border),
        Span::styled(badge.to_string(), border),
        Span::styled("╮", border),
    ])];
    for line in body {
        let mut spans = vec![Span::styled("│ ", border)];
        let used = line.width().min(inner);
        spans.extend(clip(line, inner).spans);
        spans.push(Span::raw(" ".repeat(inner - used)));
        spans.push(Span::styled(" │", border));
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(
        format!("╰{}╯", "─".repeat(width.saturating_sub(2))),
        border,
    ));
    lines
}

/// A line cut to `width` columns (code in a hint is clipped, as in the chapter).
fn clip(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut left = width;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w > left {
                left = 0;
                break;
            }
            left -= w;
            text.push(c);
        }
        spans.push(Span::styled(text, span.style));
    }
    Line::from(spans)
}
