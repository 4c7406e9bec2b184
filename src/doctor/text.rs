//! The human report: one line per check, details and the fix under problems, a summary.

use std::fmt::Write;

use super::report::{CheckResult, Report, Status, Summary};

#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (off for NO_COLOR or a pipe).
    pub color: bool,
    /// Details and evidence of passing checks too.
    pub verbose: bool,
}

fn paint(text: &str, sgr: &str, color: bool) -> String {
    if color {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn status_sgr(status: &Status) -> &'static str {
    match status {
        Status::Pass => "32",
        Status::Warn => "33",
        Status::Fail => "31",
        Status::Skip { .. } => "2",
        Status::Timeout => "35",
    }
}

pub fn format_report(report: &Report, opts: TextOptions) -> String {
    let mut out = String::new();
    let width = report
        .checks
        .iter()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        format_check(&mut out, report, check, width, opts);
    }
    for id in &report.unknown_checks {
        let mark = paint(Status::Fail.symbol(), status_sgr(&Status::Fail), opts.color);
        let known = super::CHECK_IDS.join(", ");
        let _ = writeln!(out, "{mark} unknown check `{id}` (known: {known})");
    }
    let summary = report.summary();
    let _ = writeln!(out);
    let line = summary_line(&summary, report);
    let sgr = status_sgr(&report.overall());
    let _ = writeln!(out, "{}", paint(&line, sgr, opts.color));
    out
}

fn format_check(
    out: &mut String,
    report: &Report,
    check: &CheckResult,
    width: usize,
    opts: TextOptions,
) {
    let mark = paint(check.status.symbol(), status_sgr(&check.status), opts.color);
    let title = format!("{:width$}", check.title);
    let title = if opts.color {
        paint(&title, "1", true)
    } else {
        title
    };
    let _ = writeln!(out, "{mark} {title}  {}", check.message);
    let problem = matches!(check.status, Status::Warn | Status::Fail | Status::Timeout);
    if !problem && !opts.verbose {
        return;
    }
    let indent = "    ";
    for detail in &check.details {
        let _ = writeln!(out, "{indent}{detail}");
    }
    if problem || opts.verbose {
        for evidence in &check.evidence {
            let code = match (evidence.timed_out, evidence.exit_code) {
                (true, _) => format!("killed after {} ms", evidence.duration_ms),
                (false, Some(code)) => format!("exit {code}"),
                (false, None) => "not started".to_string(),
            };
            let _ = writeln!(
                out,
                "{indent}{} {}  ({code})",
                paint("$", "2", opts.color),
                evidence.command
            );
            if problem {
                for line in evidence.stderr_head.lines() {
                    let _ = writeln!(out, "{indent}  {}", paint(line, "2", opts.color));
                }
            }
        }
    }
    if problem {
        let _ = writeln!(out, "{indent}affects: {}", check.affects);
    }
    if let Some(fix) = check.fix.as_ref().filter(|_| problem) {
        let _ = writeln!(
            out,
            "{indent}{} {}",
            paint("fix:", "1", opts.color),
            fix.text
        );
        for step in fix.steps_for(&report.platform) {
            let label = step.os.label();
            if !step.text.is_empty() {
                let prefix = if label.is_empty() {
                    String::new()
                } else {
                    format!("{label}: ")
                };
                let _ = writeln!(out, "{indent}  {prefix}{}", step.text);
            }
            for command in &step.commands {
                let _ = writeln!(out, "{indent}    {}", paint(command, "36", opts.color));
            }
        }
    }
}

fn summary_line(s: &Summary, report: &Report) -> String {
    let mut parts = vec![format!("{} passed", s.pass)];
    if s.warn > 0 {
        parts.push(format!(
            "{} warning{}",
            s.warn,
            if s.warn == 1 { "" } else { "s" }
        ));
    }
    if s.fail > 0 {
        parts.push(format!("{} failed", s.fail));
    }
    if s.timeout > 0 {
        parts.push(format!("{} timed out", s.timeout));
    }
    if s.skip > 0 {
        parts.push(format!("{} skipped", s.skip));
    }
    let (headline, _) = report.headline();
    format!(
        "{headline}: {} ({:.1} s)",
        parts.join(", "),
        report.duration.as_secs_f64()
    )
}
