//! The class summary as plain text: one table per question the instructor asks.

use std::fmt::Write;

use super::ClassSummary;
use crate::progress::table::{render, short_duration};

/// Steps listed under "Steps that fail most" (the JSON has all).
const TOP_STEPS: usize = 10;

pub fn render_text(summary: &ClassSummary) -> String {
    let mut out = String::new();
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
    if summary.learners.is_empty() && summary.course.is_none() && !summary.setup.is_empty() {
        let _ = writeln!(
            out,
            "Class preflight: {} doctor report(s)",
            summary.setup.len()
        );
    } else {
        let _ = writeln!(
            out,
            "Class summary: {course}: {} learner(s)",
            summary.learners.len()
        );
    }

    if !summary.learners.is_empty() {
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
        let _ = write!(
            out,
            "\nWho is where\n{}",
            render(2, &["LEARNER", "CHAPTER", "PASSED", "FAILING"], &rows)
        );
    }

    if !summary.stuck.is_empty() {
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
        let _ = write!(
            out,
            "\nStuck on a failing step (longest first, time up to their export)\n{}",
            render(2, &headers, &rows)
        );
    }

    if !summary.failing_steps.is_empty() {
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
        let _ = write!(
            out,
            "\nSteps that fail most\n{}",
            render(2, &headers, &rows)
        );
        if summary.failing_steps.len() > TOP_STEPS {
            let _ = writeln!(
                out,
                "  … and {} more (see --json)",
                summary.failing_steps.len() - TOP_STEPS
            );
        }
    }

    if !summary.tasks.is_empty() {
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
        let _ = write!(
            out,
            "\nTasks (most stuck first)\n{}",
            render(2, &headers, &rows)
        );
    }

    if !summary.doctor_problems.is_empty() {
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
        let _ = write!(
            out,
            "\nDoctor problems\n{}",
            render(2, &["LEARNER", "FAILING", "WARNINGS"], &rows)
        );
    }

    if !summary.setup.is_empty() {
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
        let _ = write!(
            out,
            "\nSetup (doctor reports): {ready} of {} ready\n{}",
            summary.setup.len(),
            render(
                2,
                &["WHO", "STATUS", "PLATFORM", "ENGINE", "WARNINGS", "FAILING"],
                &rows
            )
        );
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
    }

    if !summary.other_courses.is_empty() || !summary.unreadable.is_empty() {
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
    }
    out
}
