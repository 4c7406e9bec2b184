//! A step's output, inline under its code block: a bordered box that grows up to a limit and
//! then scrolls inside itself, the result line and, on failure, the explanation and fix.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::super::state::{App, LiveStep, Phase};
use super::super::theme::UiStyles;
use crate::quantities::plural;
use crate::render::format_duration;
use crate::render::output as styling;
use crate::runner::{FailReason, StepResult};

/// Everything an output box shows, built once per frame for the steps of the chapter.
#[derive(Debug, Clone)]
pub struct OutputBlock {
    pub title: Line<'static>,
    pub body: Vec<Line<'static>>,
    pub folded: bool,
    /// The result line and the explanation, under the box.
    pub footer: Vec<Line<'static>>,
    pub border: Style,
}

impl OutputBlock {
    pub fn height(&self) -> usize {
        if self.folded {
            1 + self.footer.len()
        } else {
            2 + self.body.len().max(1) + self.footer.len()
        }
    }

    pub fn build(app: &App, run: &LiveStep, width: usize, max_rows: usize) -> Self {
        let theme = UiStyles::new(app.config.color);
        let inner = width.saturating_sub(4).max(1);
        let tail = styling::tail_rows(
            run.transcript.lines(),
            inner,
            max_rows,
            run.scroll_back,
            app.config.color,
        );
        let state = match &run.phase {
            _ if run.cancelling && run.is_running() => "stopping…".to_string(),
            Phase::Running { started } => {
                let elapsed = format_duration(app.now.saturating_duration_since(*started));
                match (run.background, run.ready) {
                    (true, true) => format!("running in the background, ready · {elapsed}"),
                    (true, false) => format!("starting in the background · {elapsed}"),
                    _ => format!("running · {elapsed}"),
                }
            }
            Phase::Interactive { .. } => "in your terminal".to_string(),
            Phase::Finished(_) => String::new(),
        };
        // Scrolled back, the box stops following the tail until J brings it down again.
        let state = match (tail.scroll_back, state.is_empty()) {
            (0, _) => state,
            (n, true) => format!("{} back · J/K", plural(n, "line")),
            (n, false) => format!("{state} · {} back · J/K", plural(n, "line")),
        };
        let title = styling::box_title(
            &state,
            tail.lines_above + run.transcript.dropped(),
            app.config.color,
        );
        let mut footer = Vec::new();
        let mut border = theme.running;
        if let Some(outcome) = run.outcome() {
            footer.extend(styling::wrap_marked(
                if run.served() {
                    styling::server_stopped_line(outcome, app.config.color)
                } else {
                    styling::result_line(outcome, app.config.color)
                },
                width,
            ));
            border = match &outcome.result {
                StepResult::Passed => theme.ok,
                StepResult::Failed(FailReason::Cancelled) | StepResult::Skipped(_) => theme.dim,
                StepResult::Failed(_) => theme.fail,
            };
            if let (StepResult::Failed(reason), Some(explanation)) =
                (&outcome.result, run.explanation)
                && *reason != FailReason::Cancelled
            {
                footer.extend(styling::explanation_lines(
                    explanation.cause,
                    run.specifics.as_deref(),
                    explanation.fix.here(),
                    width,
                    app.config.color,
                ));
            }
        }
        if run.folded {
            let count = run.transcript.line_count();
            let summary = Line::from(vec![
                Span::styled("▸ ", theme.accent),
                Span::styled(
                    format!("output folded · {} · o to unfold", plural(count, "line")),
                    theme.dim,
                ),
            ]);
            return Self {
                title,
                body: vec![summary],
                folded: true,
                footer,
                border,
            };
        }
        let mut body = tail.rows;
        if body.is_empty() {
            let waiting = if run.is_running() {
                "waiting for output…"
            } else {
                "(no output)"
            };
            body.push(Line::styled(
                waiting,
                theme.dim.add_modifier(Modifier::ITALIC),
            ));
        }
        Self {
            title,
            body,
            folded: false,
            footer,
            border,
        }
    }

    /// Draws the rows `skip..skip+area.height` of the block (it may be cut by the viewport).
    pub fn render(&self, skip: usize, area: Rect, buf: &mut Buffer) {
        let mut rows: Vec<Row<'_>> = Vec::with_capacity(self.height());
        if self.folded {
            rows.push(Row::Plain(&self.body[0]));
        } else {
            rows.push(Row::Top);
            rows.extend(self.body.iter().map(Row::Inside));
            rows.push(Row::Bottom);
        }
        rows.extend(self.footer.iter().map(Row::Plain));
        for (i, row) in rows
            .iter()
            .skip(skip)
            .take(area.height as usize)
            .enumerate()
        {
            let y = area.y + i as u16;
            let (x0, x1) = (area.x, area.right().saturating_sub(1));
            match row {
                Row::Top | Row::Bottom => {
                    let top = matches!(row, Row::Top);
                    let (left, right) = if top { ("╭", "╮") } else { ("╰", "╯") };
                    for x in x0..=x1 {
                        let symbol = if x == x0 {
                            left
                        } else if x == x1 {
                            right
                        } else {
                            "─"
                        };
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_symbol(symbol).set_style(self.border);
                        }
                    }
                    if top && area.width > 4 {
                        buf.set_line(x0 + 2, y, &self.title, area.width - 4);
                    }
                }
                Row::Inside(line) => {
                    for x in [x0, x1] {
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_symbol("│").set_style(self.border);
                        }
                    }
                    buf.set_line(x0 + 2, y, line, area.width.saturating_sub(4));
                }
                Row::Plain(line) => {
                    buf.set_line(x0, y, line, area.width);
                }
            }
        }
    }
}

enum Row<'a> {
    Top,
    Inside(&'a Line<'static>),
    Bottom,
    Plain(&'a Line<'static>),
}
