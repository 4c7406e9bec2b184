//! Drawing the dashboard: the header (join code, addresses), the learners' table or the
//! class-wide tables, the selected learner's last failure, recent activity and the keys.
//! Everything drawn from learners was made printable when it arrived.

use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row as TableRow, Table, TableState, Wrap,
};

use super::model::{Dashboard, Tab};
use crate::class_live::state::Row;
use crate::progress::class::ClassSummary;
use crate::progress::export::ExportStatus;
use crate::progress::table::short_duration;

fn state_cell(row: &Row) -> Span<'static> {
    match (row.state, row.is_task) {
        (_, _) if row.left => Span::raw("left").dim(),
        (ExportStatus::Failed, _) => Span::raw("FAILING").fg(Color::Red).bold(),
        (ExportStatus::Passed, true) => Span::raw("solved").fg(Color::Green),
        (ExportStatus::Passed, false) => Span::raw("passed").fg(Color::Green),
        (ExportStatus::Skipped, _) => Span::raw("skipped").fg(Color::Yellow),
        (ExportStatus::NotRun, _) => Span::raw("reading").dim(),
    }
}

fn failure_cell(row: &Row) -> String {
    match &row.last_failure {
        None => String::new(),
        Some((step, f)) => match &f.explanation_id {
            Some(id) => format!("{step}: {id}"),
            None => format!("{step}: {}", f.summary),
        },
    }
}

pub fn draw(frame: &mut Frame, dash: &Dashboard, rows: &[Row], summary: &ClassSummary) {
    let area = frame.area();
    let [header, body, activity, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, dash, rows);
    match dash.tab {
        Tab::Learners => draw_learners(frame, body, dash, rows),
        Tab::Class => draw_class(frame, body, summary),
    }
    let recent: Vec<Line> = dash
        .activity
        .iter()
        .rev()
        .take(activity.height.saturating_sub(1) as usize)
        .map(|l| Line::raw(l.clone()))
        .collect();
    frame.render_widget(
        Paragraph::new(recent).block(Block::default().borders(Borders::TOP).title(" activity ")),
        activity,
    );
    let help = if dash.editing_filter {
        format!(
            "filter: {}▏  (Enter to keep, Esc to stop typing)",
            dash.filter
        )
    } else {
        format!(
            "q quit  ↑↓ select  Enter last failure  s sort ({})  f {}  / filter{}  Tab {}",
            dash.sort.label(),
            if dash.only_stuck {
                "all learners"
            } else {
                "stuck only"
            },
            if dash.filter.is_empty() {
                String::new()
            } else {
                format!(" [{}]", dash.filter)
            },
            match dash.tab {
                Tab::Learners => "class view",
                Tab::Class => "learners",
            }
        )
    };
    frame.render_widget(Paragraph::new(help).dim(), keys);
    if dash.detail
        && dash.tab == Tab::Learners
        && let Some(row) = rows.get(dash.selected)
    {
        draw_detail(frame, area, row);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, dash: &Dashboard, rows: &[Row]) {
    let stuck = rows.iter().filter(|r| r.stuck && !r.left).count();
    let first = Line::from(vec![
        Span::raw("docker-guide class  ").bold(),
        Span::raw("join code "),
        Span::raw(dash.header.code.clone()).fg(Color::Cyan).bold(),
        Span::raw("  at "),
        Span::raw(dash.header.urls.join("  ")).fg(Color::Cyan),
    ]);
    let second = Line::from(vec![
        Span::raw(format!("{} learner(s)", rows.len())),
        Span::raw(", "),
        if stuck > 0 {
            Span::raw(format!("{stuck} stuck")).fg(Color::Red).bold()
        } else {
            Span::raw("none stuck")
        },
        Span::raw(format!("   data: {}", dash.header.data)).dim(),
    ]);
    frame.render_widget(Paragraph::new(vec![first, second]), area);
}

fn draw_learners(frame: &mut Frame, area: Rect, dash: &Dashboard, rows: &[Row]) {
    if rows.is_empty() {
        let text = if dash.filter.is_empty() && !dash.only_stuck {
            format!(
                "No learner yet. Learners type:\n\n  docker-guide class join {} --code {} --name \"Their Name\"",
                dash.header.urls.first().map_or("URL", String::as_str),
                dash.header.code
            )
        } else {
            "No learner matches (Esc clears the filter).".to_owned()
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
        return;
    }
    let header = TableRow::new([
        "LEARNER",
        "CHAPTER",
        "STEP",
        "STATE",
        "ON IT",
        "TRIES",
        "DONE",
        "LAST FAILURE",
    ])
    .style(Style::default().add_modifier(Modifier::BOLD));
    let lines = rows.iter().map(|r| {
        let chapter = r
            .chapter
            .as_ref()
            .map_or(String::new(), |(n, slug)| format!("{n} {slug}"));
        let step = match (&r.step, r.is_task) {
            (Some(s), true) => format!("{s} (task)"),
            (Some(s), false) => s.clone(),
            (None, _) => String::new(),
        };
        TableRow::new(vec![
            Cell::from(r.name.clone()),
            Cell::from(chapter),
            Cell::from(step),
            Cell::from(state_cell(r)),
            Cell::from(short_duration(r.time_here.as_secs())),
            Cell::from(if r.attempts > 0 {
                r.attempts.to_string()
            } else {
                String::new()
            }),
            Cell::from(format!("{}/{}", r.passed, r.total)),
            Cell::from(failure_cell(r)),
        ])
    });
    let table = Table::new(
        lines,
        [
            Constraint::Max(18),
            Constraint::Max(22),
            Constraint::Max(22),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Min(10),
        ],
    )
    .header(header)
    .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(dash.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_class(frame: &mut Frame, area: Rect, summary: &ClassSummary) {
    let mut lines = vec![Line::raw("Steps that fail most").bold()];
    if summary.failing_steps.is_empty() {
        lines.push(Line::raw("  none yet").dim());
    }
    for s in summary.failing_steps.iter().take(8) {
        lines.push(Line::raw(format!(
            "  {} {:<20} failed for {:>3}, still failing {:>3}   {}",
            s.chapter,
            s.step_id,
            s.learners_failed,
            s.learners_failing_now,
            s.common_failure.as_ref().map_or(String::new(), |f| format!(
                "{f} ({}x)",
                s.common_failure_count
            ))
        )));
    }
    if !summary.tasks.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::raw("Tasks").bold());
        for t in summary.tasks.iter().take(8) {
            lines.push(Line::raw(format!(
                "  {} {:<20} tried {:>3}, solved {:>3}, stuck {:>3}, needed the solution {:>3}",
                t.chapter, t.task_id, t.tried, t.solved, t.stuck, t.needed_solution
            )));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw("Setup problems (doctor)").bold());
    if summary.doctor_problems.is_empty() {
        lines.push(Line::raw("  none reported").dim());
    }
    for d in summary.doctor_problems.iter().take(10) {
        lines.push(Line::raw(format!(
            "  {:<18} failing: {}  warnings: {}",
            d.learner,
            d.failing.join(", "),
            d.warnings.join(", ")
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_detail(frame: &mut Frame, area: Rect, row: &Row) {
    let width = area.width.saturating_sub(8).clamp(20, 100);
    let height = area.height.saturating_sub(6).clamp(6, 16);
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width: width.min(area.width),
        height: height.min(area.height),
    };
    let mut lines = Vec::new();
    match &row.last_failure {
        None => lines.push(Line::raw("No failure so far.")),
        Some((step, failure)) => {
            let ago = SystemTime::now()
                .duration_since(failure.at)
                .map_or(String::from("just now"), |d| {
                    format!("{} ago", short_duration(d.as_secs()))
                });
            lines.push(Line::raw(format!("step {step}, {ago} (their clock)")));
            lines.push(Line::raw(""));
            lines.push(Line::raw(failure.summary.clone()));
            if let Some(id) = &failure.explanation_id {
                lines.push(Line::raw(""));
                match crate::runner::explain::all().find(|e| e.id == id) {
                    Some(known) => {
                        lines.push(Line::raw(format!("{id}: {}", known.cause)).bold());
                        lines.push(Line::raw(format!("fix: {}", known.fix.here())));
                    }
                    None => lines.push(Line::raw(id.clone()).bold()),
                }
            }
        }
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {}: last failure (Esc closes) ", row.name)),
        ),
        popup,
    );
}
