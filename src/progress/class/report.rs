//! The class summary as plain text: one table per question the instructor asks, each from
//! its own function (an empty section prints nothing).

use std::fmt::Write;

use super::ClassSummary;
use crate::progress::table::{render, short_duration};

/// Steps listed under "Steps that fail most" (the JSON has all).
const TOP_STEPS: usize = 10;

pub fn render_text(summary: &ClassSummary) -> String {
    let sections = [
        heading(summary),
        who_is_where(summary),
        stuck(summary),
        failing_steps(summary),
        tasks(summary),
        doctor_problems(summary),
        setup(summary),
        not_included(summary),
    ];
    sections.concat()
}

/// A titled table after a blank line; nothing when it has no rows.
fn section(title: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    format!("\n{title}\n{}", render(2, headers, rows))
}

fn heading(summary: &ClassSummary) -> String {
    if summary.learners.is_empty() && summary.course.is_none() && !summary.setup.is_empty() {
        return format!(
            "Class preflight: {} doctor report(s)\n",
            summary.setup.len()
        );
    }
    let course = match &summary.course {
        Some(c) => format!(
            "{}{}",
            c.id,
            c.version
                .as_deref()
                .map(|v| format!(" (version {v})"))
                .unwrap_or_default()
        ),
        None => "no course".to_owned(),
    };
    format!(
        "Class summary: {course}: {} learner(s)\n",
        summary.learners.len()
    )
}

fn who_is_where(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .learners
        .iter()
        .map(|l| {
            let chapter = match (l.chapter, &l.chapter_slug) {
                (Some(n), Some(slug)) => format!("{n} {slug}"),
                _ => "not started".to_owned(),
            };
            let failing = if l.failing == 0 {
                String::new()
            } else {
                l.failing.to_string()
            };
            vec![
                l.learner.clone(),
                chapter,
                format!("{}/{} ({}%)", l.passed, l.total, l.percent),
                failing,
            ]
        })
        .collect();
    let headers = ["LEARNER", "CHAPTER", "PASSED", "FAILING"];
    section("Who is where", &headers, &rows)
}

fn stuck(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .stuck
        .iter()
        .map(|s| {
            let cause = match (&s.explanation_id, &s.summary) {
                (Some(id), _) => id.clone(),
                (None, Some(summary)) => summary.clone(),
                (None, None) => String::new(),
            };
            vec![
                s.learner.clone(),
                format!("{} {}", s.chapter, s.step_id),
                short_duration(s.stuck_secs),
                s.attempts.to_string(),
                cause,
            ]
        })
        .collect();
    let headers = ["LEARNER", "STEP", "STUCK FOR", "ATTEMPTS", "LAST FAILURE"];
    let title = "Stuck on a failing step (longest first, time up to their export)";
    section(title, &headers, &rows)
}

fn failing_steps(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .failing_steps
        .iter()
        .take(TOP_STEPS)
        .map(|f| {
            let common = f
                .common_failure
                .as_ref()
                .map(|c| format!("{c} ({}x)", f.common_failure_count))
                .unwrap_or_default();
            vec![
                format!("{} {}", f.chapter, f.step_id),
                f.learners_failed.to_string(),
                f.learners_failing_now.to_string(),
                common,
            ]
        })
        .collect();
    let headers = ["STEP", "FAILED FOR", "STILL FAILING", "MOST COMMON FAILURE"];
    let mut out = section("Steps that fail most", &headers, &rows);
    if summary.failing_steps.len() > TOP_STEPS {
        let _ = writeln!(
            out,
            "  … and {} more (see --json)",
            summary.failing_steps.len() - TOP_STEPS
        );
    }
    out
}

fn tasks(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .tasks
        .iter()
        .map(|t| {
            vec![
                format!("{} {}", t.chapter, t.task_id),
                t.tried.to_string(),
                t.solved.to_string(),
                t.stuck.to_string(),
                t.needed_solution.to_string(),
                t.hints_revealed.to_string(),
            ]
        })
        .collect();
    let headers = [
        "TASK",
        "TRIED",
        "SOLVED",
        "STUCK",
        "NEEDED SOLUTION",
        "HINTS USED",
    ];
    section("Tasks (most stuck first)", &headers, &rows)
}

fn doctor_problems(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .doctor_problems
        .iter()
        .map(|d| {
            vec![
                d.learner.clone(),
                d.failing.join(", "),
                d.warnings.join(", "),
            ]
        })
        .collect();
    let headers = ["LEARNER", "FAILING", "WARNINGS"];
    section("Doctor problems", &headers, &rows)
}

fn setup(summary: &ClassSummary) -> String {
    let rows: Vec<Vec<String>> = summary
        .setup
        .iter()
        .map(|s| {
            vec![
                s.learner.clone(),
                s.status.clone(),
                s.platform.clone().unwrap_or_default(),
                s.engine.clone().unwrap_or_default(),
                s.warnings.join(", "),
                s.failing.join("; "),
            ]
        })
        .collect();
    let ready = summary.setup.iter().filter(|s| s.status != "fail").count();
    let title = format!(
        "Setup (doctor reports): {ready} of {} ready",
        summary.setup.len()
    );
    let headers = ["WHO", "STATUS", "PLATFORM", "ENGINE", "WARNINGS", "FAILING"];
    let mut out = section(&title, &headers, &rows);
    let mut platforms: Vec<(String, usize)> = Vec::new();
    for p in summary.setup.iter().filter_map(|s| s.platform.clone()) {
        match platforms.iter_mut().find(|(name, _)| *name == p) {
            Some((_, n)) => *n += 1,
            None => platforms.push((p, 1)),
        }
    }
    if platforms.len() > 1 {
        let list: Vec<String> = platforms.iter().map(|(p, n)| format!("{n} {p}")).collect();
        let _ = writeln!(
            out,
            "  platforms: {} (a bundle holds one platform's images: make one per platform)",
            list.join(", ")
        );
    }
    out
}

fn not_included(summary: &ClassSummary) -> String {
    let mut out = String::new();
    if summary.other_courses.is_empty() && summary.unreadable.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nNot included");
    for o in &summary.other_courses {
        let version = o
            .course
            .version
            .as_deref()
            .map(|v| format!(" version {v}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}: {} is on course {}{version}",
            o.source, o.learner, o.course.id
        );
    }
    for u in &summary.unreadable {
        let _ = writeln!(out, "  {}: unreadable: {}", u.source, u.reason);
    }
    out
}
