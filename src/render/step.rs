//! Step headers: the line above a runnable block that says what running it does and how it
//! went. The TUI redraws this line with live status, so it is one `Line` built from the step.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::RenderOptions;
use super::cells::{clip, push_text, spans_width, width};
use super::theme::Theme;
use crate::lesson::{Ready, Step, StepKind};

/// Spinner frames for a running step; `frame` counts ticks.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The status a step header shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepBadge {
    NotRun,
    Running {
        elapsed: Duration,
        frame: usize,
    },
    /// A background step whose server answered and keeps running: it has passed.
    Serving {
        elapsed: Duration,
    },
    Passed {
        duration: Duration,
    },
    Failed {
        summary: String,
    },
    Skipped {
        reason: String,
    },
}

/// A short human duration: `340ms`, `4.2s`, `2m05s`, `1h02m`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", d.as_secs_f64())
    } else if ms < 3_600_000 {
        let s = d.as_secs();
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        let m = d.as_secs() / 60;
        format!("{}h{:02}m", m / 60, m % 60)
    }
}

/// What running the step does, e.g. `runs: sh · expects exit 1` or `writes Dockerfile`.
pub fn step_description(step: &Step) -> String {
    let attrs = &step.attrs;
    let mut parts = Vec::new();
    match &step.kind {
        StepKind::File { path } => parts.push(format!("writes {path}")),
        StepKind::Command { .. } if attrs.background => {
            parts.push(match &attrs.ready {
                Some(Ready::Url(url)) => format!("runs in background until {url} answers"),
                Some(Ready::Command(cmd)) => format!("runs in background until `{cmd}` succeeds"),
                None => "runs in background".to_string(),
            });
        }
        StepKind::Command { .. } if attrs.interactive => {
            parts.push(format!("interactive: {}", step.lang));
        }
        // The learner does the work; the block is what verifies it.
        StepKind::Command { .. } if step.is_task() => parts.push("your turn: the check".into()),
        StepKind::Command { .. } => parts.push(format!("runs: {}", step.lang)),
    }
    if attrs.confirm {
        parts.push("asks first".to_string());
    }
    if attrs.exit != 0 {
        parts.push(format!("expects exit {}", attrs.exit));
    }
    if let Some(pattern) = &attrs.expect {
        parts.push(format!("expects /{pattern}/"));
    }
    if let Some(check) = &attrs.check {
        parts.push(format!("checks `{check}`"));
    }
    parts.join(" · ")
}

fn badge_span(badge: &StepBadge, theme: &Theme) -> Span<'static> {
    let (text, style) = match badge {
        StepBadge::NotRun => ("○ not run".to_string(), theme.badge_not_run),
        StepBadge::Running { elapsed, frame } => (
            format!(
                "{} running {}",
                SPINNER[frame % SPINNER.len()],
                format_duration(*elapsed)
            ),
            theme.badge_running,
        ),
        StepBadge::Serving { elapsed } => (
            format!("● serving {}", format_duration(*elapsed)),
            theme.badge_passed,
        ),
        StepBadge::Passed { duration } => (
            format!("✓ passed {}", format_duration(*duration)),
            theme.badge_passed,
        ),
        StepBadge::Failed { summary } if summary.is_empty() => {
            ("✗ failed".to_string(), theme.badge_failed)
        }
        StepBadge::Failed { summary } => (format!("✗ failed: {summary}"), theme.badge_failed),
        StepBadge::Skipped { reason } if reason.is_empty() => {
            ("– skipped".to_string(), theme.badge_skipped)
        }
        StepBadge::Skipped { reason } => (format!("– skipped: {reason}"), theme.badge_skipped),
    };
    Span::styled(super::cells::sanitize(&text), style)
}

/// The header line of a step: `▶ Step 3 · runs: sh` on the left, the status badge on the
/// right, padded to the full width so a focused header reads as a highlighted bar. Never wider
/// than `opts.width`: the description is cut first, then the badge.
pub fn step_header(
    step: &Step,
    badge: &StepBadge,
    focused: bool,
    opts: &RenderOptions,
) -> Line<'static> {
    Header {
        step,
        badge,
        focused,
        note: None,
    }
    .draw(opts)
}

/// What a step header shows: the step, its badge, whether it has focus, and a note after the
/// description, e.g. where the step starts (`in ~/…/repo`, the chapter's shell state).
struct Header<'a> {
    step: &'a Step,
    badge: &'a StepBadge,
    focused: bool,
    note: Option<&'a str>,
}

impl Header<'_> {
    /// The header at `opts.width` (see [`step_header`]).
    fn draw(&self, opts: &RenderOptions) -> Line<'static> {
        let Header {
            step,
            badge,
            focused,
            note,
        } = *self;
        let theme = Theme::new(opts.color);
        let max = usize::from(opts.width).max(1);
        let label = Span::styled(format!("▶ Step {}", step.index + 1), theme.step_label);
        let description = match note {
            Some(note) => format!("{} · {note}", step_description(step)),
            None => step_description(step),
        };
        let detail = super::cells::sanitize(&description);
        let badge = badge_span(badge, &theme);

        let fixed = width(&label.content) + 2 + width(&badge.content);
        let mut left = vec![label];
        if fixed + 3 + 4 <= max {
            // Room for " · " and a few characters of the description (a lone `…` says nothing).
            let room = max - fixed - 3;
            push_text(&mut left, " · ", theme.step_detail);
            let detail = clip(
                vec![Span::styled(detail, theme.step_detail)],
                room,
                Some(Span::styled("…", theme.step_detail)),
            );
            left.extend(detail);
        }
        let pad = max.saturating_sub(spans_width(&left) + width(&badge.content));
        let mut spans = left;
        spans.push(Span::raw(" ".repeat(pad.max(1))));
        spans.push(badge);
        let mut spans = clip(spans, max, Some(Span::raw("…")));
        if focused {
            for span in &mut spans {
                span.style = span.style.patch(theme.step_focus);
            }
        }
        Line::from(spans).style(Style::new())
    }
}

/// [`step_header`] for a step drawn inside a list or quote: keeps the container prefix of the
/// rendered header row (`rendered`, the line at the anchor's `header_row`) and draws the
/// header in the columns after it, so a redraw lines up with the code block below.
pub fn step_header_in_place(
    rendered: &Line<'_>,
    step: &Step,
    badge: &StepBadge,
    focused: bool,
    opts: &RenderOptions,
) -> Line<'static> {
    step_header_in_place_noting(rendered, step, badge, focused, opts, None)
}

/// [`step_header_in_place`] with a note after the description, e.g. where the step starts
/// (`in ~/…/repo`, the chapter's shell state).
pub fn step_header_in_place_noting(
    rendered: &Line<'_>,
    step: &Step,
    badge: &StepBadge,
    focused: bool,
    opts: &RenderOptions,
    note: Option<&str>,
) -> Line<'static> {
    let header = Header {
        step,
        badge,
        focused,
        note,
    };
    let label = format!("▶ Step {}", step.index + 1);
    let Some(at) = rendered
        .spans
        .iter()
        .position(|s| s.content.starts_with(&label))
    else {
        return header.draw(opts);
    };
    let prefix: Vec<Span<'static>> = rendered.spans[..at]
        .iter()
        .map(|s| Span::styled(s.content.to_string(), s.style))
        .collect();
    let prefix_width = spans_width(&prefix);
    let inner = RenderOptions {
        width: opts
            .width
            .saturating_sub(u16::try_from(prefix_width).unwrap_or(u16::MAX))
            .max(1),
        color: opts.color,
    };
    let mut spans = prefix;
    spans.extend(header.draw(&inner).spans);
    Line::from(spans)
}

#[cfg(test)]
mod tests;
