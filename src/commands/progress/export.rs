//! `docker-guide progress export [--name NAME] [FILE|-]`: the learner's progress as a small
//! JSON document for the instructor (schema `docker-guide.progress-export/v1`, see
//! docs/workshops.md). Privacy: the name is only what `--name` gives ("anonymous" otherwise,
//! never the login name); failure summaries have home, workspace and user name scrubbed.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context;
use clap::Args;

use super::open_store;
use crate::cli::GlobalArgs;
use crate::commands::Outcome;
use crate::doctor::{self, DoctorRequest, Report, Status, SystemProbe};
use crate::lesson::Course;
use crate::progress::export::{ANONYMOUS, DoctorProblem, DoctorSummary, Scrubber, build_export};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Your name as your instructor should see it (default: "anonymous"; your login name is never used)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Leave out the summary of `docker-guide doctor` (which asks the Docker engine)
    #[arg(long)]
    pub no_doctor: bool,
    /// Where to write the export (default, or `-`: standard output)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<crate::commands::Outcome> {
    let course = crate::commands::load_course(global)?;
    let store = open_store()?;
    let progress = store.course(&course.id);
    let learner = match args.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => {
            eprintln!("docker-guide: note: no --name given; the export says \"{ANONYMOUS}\"");
            ANONYMOUS.to_owned()
        }
    };
    // The default workspace lies in the home directory, which the scrubber hides anyway.
    let scrubber = Scrubber::from_env(global.workspace.as_deref());
    let doctor = if args.no_doctor {
        None
    } else {
        Some(run_doctor(&course))
    };
    let export = build_export(
        &course,
        &progress,
        &learner,
        doctor,
        SystemTime::now(),
        &scrubber,
    );
    let mut json = serde_json::to_vec_pretty(&export)?;
    json.push(b'\n');
    match args.file.as_deref() {
        None => std::io::stdout().write_all(&json)?,
        Some(path) if path.as_os_str() == "-" => std::io::stdout().write_all(&json)?,
        Some(path) => {
            std::fs::write(path, &json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let (passed, total) = (0..course.chapters.len())
                .map(|i| progress.chapter_summary(&course, i))
                .fold((0, 0), |(d, t), (cd, ct)| (d + cd, t + ct));
            eprintln!(
                "Wrote {} ({passed}/{total} steps passed): hand it to your instructor.",
                path.display()
            );
        }
    }
    Ok(Outcome::Success)
}

/// Runs the doctor for the course (its ports and images) and keeps its verdict.
fn run_doctor(course: &Course) -> DoctorSummary {
    eprintln!("docker-guide: checking your setup for the export (skip with --no-doctor) …");
    let report = doctor::run_checks(&SystemProbe, &DoctorRequest::for_course(course));
    doctor_summary(&report)
}

/// The doctor's verdict in export form: counts and what is not fine. Skipped checks are left
/// out (their cause is listed); a timeout counts as a failure.
pub fn doctor_summary(report: &Report) -> DoctorSummary {
    let counts = report.summary();
    let problems = report
        .checks
        .iter()
        .filter_map(|check| {
            let status = match check.status {
                Status::Fail | Status::Timeout => "fail",
                Status::Warn => "warn",
                Status::Pass | Status::Skip { .. } => return None,
            };
            Some(DoctorProblem {
                id: check.id.to_owned(),
                status: status.to_owned(),
                summary: check.message.clone(),
            })
        })
        .collect();
    DoctorSummary {
        passed: counts.pass,
        warnings: counts.warn,
        failed: counts.fail + counts.timeout,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::doctor::{CheckResult, Platform};

    fn check(id: &'static str, status: Status, message: &str) -> CheckResult {
        CheckResult {
            id,
            title: id,
            status,
            message: message.to_owned(),
            details: vec![],
            evidence: vec![],
            fix: None,
            affects: "",
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn doctor_summary_counts_and_lists_what_is_not_fine() {
        let report = Report {
            platform: Platform {
                os: crate::doctor::probe::OsFamily::Linux,
                arch: "amd64".into(),
                wsl: false,
            },
            runtime: None,
            checks: vec![
                check("docker", Status::Pass, "28.2"),
                check("daemon", Status::Timeout, "no answer within 5 s"),
                check(
                    "permission",
                    Status::Skip {
                        because: "daemon".into(),
                    },
                    "",
                ),
                check("disk", Status::Warn, "3 GB free"),
            ],
            unknown_checks: vec![],
            blocked_ports: vec![],
            duration: Duration::ZERO,
            finished_at: SystemTime::now(),
        };
        let summary = doctor_summary(&report);
        assert_eq!(
            (summary.passed, summary.warnings, summary.failed),
            (1, 1, 1)
        );
        let problems: Vec<_> = summary
            .problems
            .iter()
            .map(|p| (p.id.as_str(), p.status.as_str()))
            .collect();
        assert_eq!(problems, [("daemon", "fail"), ("disk", "warn")]);
    }
}
