//! Styling of a step's output: transcript lines → coloured, wrapped rows (only the rows that
//! will be seen), the result line and the explanation of a failure. Pure: the TUI composes
//! these into the box under a step's code block.

use ansi_to_tui::IntoText;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::format_duration;
use crate::outcome::{FailReason, StepOutcome, StepResult};

/// Rows an output box grows to before it scrolls inside itself.
pub const OUTPUT_MAX_ROWS: usize = 12;

fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

/// One transcript line (SGR kept) as styled spans; without colour only bold/italic survive.
pub fn ansi_line(text: &str, color: bool) -> Line<'static> {
    if !text.contains('\x1b') {
        return Line::from(text.to_string());
    }
    let parsed = text
        .into_text()
        .ok()
        .and_then(|t| t.lines.into_iter().next());
    let mut line = parsed.unwrap_or_else(|| Line::from(text.to_string()));
    if !color {
        for span in &mut line.spans {
            span.style = Style::new()
                .add_modifier(span.style.add_modifier & (Modifier::BOLD | Modifier::ITALIC));
        }
    }
    line
}

/// Hard-wraps styled spans at `width` display columns (terminal output has no word structure
/// worth keeping; this is what a terminal does).
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let mut chunk = String::new();
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > width {
                if !chunk.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut chunk), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)));
                used = 0;
            }
            chunk.push(if ch == '\t' { ' ' } else { ch });
            used += w;
        }
        if !chunk.is_empty() {
            row.push(Span::styled(chunk, span.style));
        }
    }
    rows.push(Line::from(row));
    rows
}

/// The rows of an output box: the last `max_rows` wrapped rows ending `scroll_back` lines
/// before the tail. Only those lines are converted from ANSI.
#[derive(Debug, Clone, Default)]
pub struct TailRows {
    pub rows: Vec<Line<'static>>,
    /// Lines hidden above the first row shown (for the "↑ N more" hint).
    pub lines_above: usize,
    /// The scroll-back actually used (clamped to the transcript).
    pub scroll_back: usize,
}

pub fn tail_rows<'a>(
    lines: impl DoubleEndedIterator<Item = &'a str> + ExactSizeIterator,
    width: usize,
    max_rows: usize,
    scroll_back: usize,
    color: bool,
) -> TailRows {
    let total = lines.len();
    let scroll_back = scroll_back.min(total.saturating_sub(1));
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut used = 0;
    // Walk back from the tail: only the lines that end up on screen are converted.
    for line in lines.rev().skip(scroll_back) {
        if rows.len() >= max_rows {
            break;
        }
        let mut wrapped = wrap_line(ansi_line(line, color), width);
        wrapped.append(&mut rows);
        rows = wrapped;
        used += 1;
    }
    if rows.len() > max_rows {
        rows.drain(..rows.len() - max_rows);
    }
    let lines_above = total.saturating_sub(scroll_back + used);
    TailRows {
        rows,
        lines_above,
        scroll_back,
    }
}

/// Greedy word wrap for prose (explanations, fixes).
pub fn word_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let needed = UnicodeWidthStr::width(line.as_str())
                + usize::from(!line.is_empty())
                + UnicodeWidthStr::width(word);
            if needed > width && !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

/// `✓ passed · exit 0 · 1.2s`, `✗ exit 1 (expected 0) · 0.4s`, `■ cancelled · 3.0s`.
pub fn result_line(outcome: &StepOutcome, color: bool) -> Line<'static> {
    let took = format_duration(outcome.duration);
    let exit = outcome
        .exit_code
        .map(|c| format!(" · exit {c}"))
        .unwrap_or_default();
    let (mark, style, text) = match &outcome.result {
        StepResult::Passed => (
            "✓ ",
            fg(color, Color::Green),
            format!("passed{exit} · {took}"),
        ),
        StepResult::Skipped(reason) => (
            "– ",
            fg(color, Color::DarkGray),
            format!("skipped: {reason}"),
        ),
        StepResult::Failed(FailReason::Cancelled) => (
            "■ ",
            fg(color, Color::Yellow),
            format!("cancelled · {took}"),
        ),
        // The exit code is part of the reason already.
        StepResult::Failed(reason @ FailReason::ExitCode { .. }) => (
            "✗ ",
            fg(color, Color::Red),
            format!("failed: {reason} · {took}"),
        ),
        StepResult::Failed(reason) => (
            "✗ ",
            fg(color, Color::Red),
            format!("failed: {reason}{exit} · {took}"),
        ),
    };
    Line::from(vec![
        Span::styled(mark, style.add_modifier(Modifier::BOLD)),
        Span::styled(text, style),
    ])
}

/// A `mark text` line (the result line, the end of a server) word-wrapped to `width`, its
/// continuation rows indented under the text, so a narrow screen never cuts the reason off.
pub fn wrap_marked(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let mut spans = line.spans.into_iter();
    let Some(mark) = spans.next() else {
        return vec![Line::default()];
    };
    let rest: Vec<Span<'static>> = spans.collect();
    let style = rest.first().map_or(Style::new(), |s| s.style);
    let text: String = rest.iter().map(|s| s.content.as_ref()).collect();
    let indent = mark.width();
    word_wrap(&text, width.saturating_sub(indent))
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let head = if i == 0 {
                mark.clone()
            } else {
                Span::raw(" ".repeat(indent))
            };
            Line::from(vec![head, Span::styled(row, style)])
        })
        .collect()
}

/// The end of a background server that was ready: `■ server stopped · ran 2m05s` (or how it
/// exited when it stopped on its own).
pub fn server_stopped_line(outcome: &StepOutcome, color: bool) -> Line<'static> {
    let ran = format_duration(outcome.duration);
    let text = match &outcome.result {
        StepResult::Failed(FailReason::Cancelled) | StepResult::Passed => {
            format!("server stopped · ran {ran}")
        }
        StepResult::Failed(reason) => format!("server ended: {reason} · ran {ran}"),
        StepResult::Skipped(reason) => format!("server ended: {reason}"),
    };
    let style = fg(color, Color::DarkGray);
    Line::from(vec![
        Span::styled("■ ", style.add_modifier(Modifier::BOLD)),
        Span::styled(text, style),
    ])
}

/// The cause and fix of a recognised failure, labelled and wrapped to `width`, with what the
/// message names (`here`: the port, the container…) between them when known.
pub fn explanation_lines(
    cause: &str,
    here: Option<&str>,
    fix: &str,
    width: usize,
    color: bool,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let rows = [
        Some(("Why  ", cause, Color::Yellow)),
        here.map(|here| ("Here ", here, Color::Cyan)),
        Some(("Fix  ", fix, Color::Green)),
    ];
    for (label, text, c) in rows.into_iter().flatten() {
        for (i, row) in word_wrap(text, width.saturating_sub(label.len()))
            .into_iter()
            .enumerate()
        {
            let head = if i == 0 { label } else { "     " };
            out.push(Line::from(vec![
                Span::styled(head, fg(color, c).add_modifier(Modifier::BOLD)),
                Span::raw(row),
            ]));
        }
    }
    out
}

/// The title of an output box: `output · running 3.2s`, `output · background, ready`, `output`.
pub fn box_title(state: &str, hidden_above: usize, color: bool) -> Line<'static> {
    let mut spans = vec![Span::styled(
        " output ",
        fg(color, Color::Cyan).add_modifier(Modifier::BOLD),
    )];
    if !state.is_empty() {
        spans.push(Span::styled(
            format!("· {state} "),
            fg(color, Color::DarkGray),
        ));
    }
    if hidden_above > 0 {
        spans.push(Span::styled(
            format!("· ↑ {hidden_above} more "),
            fg(color, Color::DarkGray),
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_long_result_line_wraps_under_its_text() {
        let outcome = StepOutcome::failed(
            FailReason::BackgroundExited { exit_code: Some(0) },
            Duration::from_millis(2600),
            Some(0),
        );
        let rows = wrap_marked(server_stopped_line(&outcome, true), 40);
        let texts: Vec<String> = rows.iter().map(text).collect();
        assert!(rows.len() > 1, "{texts:?}");
        assert!(texts.iter().all(|t| t.width() <= 40), "{texts:?}");
        assert!(texts[0].starts_with("■ server ended:"));
        assert!(texts[1..].iter().all(|t| t.starts_with("  ")), "{texts:?}");
        assert!(
            texts.last().unwrap().ends_with("ran 2.6s"),
            "nothing cut: {texts:?}"
        );
        assert_eq!(rows[1].spans[1].style, rows[0].spans[1].style);
        let short = wrap_marked(
            result_line(&StepOutcome::passed(Duration::ZERO, Some(0)), false),
            80,
        );
        assert_eq!(short.len(), 1);
    }

    #[test]
    fn wraps_at_width_keeping_styles() {
        let line = Line::from(vec![
            Span::styled("abcdef", Style::new().fg(Color::Red)),
            Span::raw("gh"),
        ]);
        let rows = wrap_line(line, 3);
        assert_eq!(
            rows.iter().map(text).collect::<Vec<_>>(),
            ["abc", "def", "gh"]
        );
        assert_eq!(rows[1].spans[0].style.fg, Some(Color::Red));
    }

    #[test]
    fn tail_rows_follow_the_tail_and_scroll_back() {
        let lines: Vec<String> = (1..=30).map(|i| format!("line {i}")).collect();
        let refs = || lines.iter().map(String::as_str);
        let tail = tail_rows(refs(), 40, 5, 0, true);
        assert_eq!(
            tail.rows.iter().map(text).collect::<Vec<_>>(),
            ["line 26", "line 27", "line 28", "line 29", "line 30"]
        );
        assert_eq!(tail.lines_above, 25);
        let back = tail_rows(refs(), 40, 5, 10, true);
        assert_eq!(text(&back.rows[4]), "line 20");
        let clamped = tail_rows(refs(), 40, 5, 1000, true);
        assert_eq!(text(&clamped.rows[0]), "line 1");
    }

    #[test]
    fn ansi_colours_are_kept_or_dropped() {
        let red = ansi_line("\x1b[31mred\x1b[0m plain", true);
        assert_eq!(text(&red), "red plain");
        assert_eq!(red.spans[0].style.fg, Some(Color::Red));
        let mono = ansi_line("\x1b[1;31mred\x1b[0m", false);
        assert_eq!(mono.spans[0].style.fg, None);
        assert!(mono.spans[0].style.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn result_line_says_why() {
        let failed = StepOutcome::failed(
            FailReason::ExitCode {
                expected: 0,
                got: 125,
            },
            Duration::from_millis(420),
            Some(125),
        );
        assert_eq!(
            text(&result_line(&failed, true)),
            "✗ failed: exit code 125 · 420ms"
        );
        let passed = StepOutcome::passed(Duration::from_secs(75), Some(0));
        assert_eq!(
            text(&result_line(&passed, false)),
            "✓ passed · exit 0 · 1m15s"
        );
    }

    #[test]
    fn word_wrap_breaks_between_words() {
        assert_eq!(
            word_wrap("start the docker daemon first", 12),
            ["start the", "docker", "daemon first"]
        );
    }
}
