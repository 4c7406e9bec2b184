//! Adapters between the TUI's own types and the other modules' APIs (runner, doctor,
//! progress): the only place that knows both sides.

use std::path::Path;
use std::time::Duration;

use super::msg::{FileWriteResult, StepRequest};
use super::state::{CheckLine, CheckStatus, DoctorResults, TRANSCRIPT_MAX_LINES};
use crate::lesson::{Course, Step, StepKind};
use crate::runner::{FailReason, FileWrite, StepOutcome, StepSpec, Workspace};
use crate::{doctor, runner, session};

pub fn workspace(course: &Course, dir: Option<&Path>) -> Result<Workspace, String> {
    runner::workspace_for(course, dir).map_err(|e| e.to_string())
}

pub use crate::session::{CleanupJob, chapter_dir};

pub use crate::session::display_path;

pub fn step_of<'a>(course: &'a Course, request: &StepRequest) -> Option<&'a Step> {
    course
        .chapters
        .get(request.chapter)?
        .steps
        .get(request.step)
}

pub fn step_spec(
    course: &Course,
    workspace: &Workspace,
    request: &StepRequest,
) -> Result<StepSpec, String> {
    let no_step = || "no such step".to_string();
    let chapter = course.chapters.get(request.chapter).ok_or_else(no_step)?;
    let step = chapter.steps.get(request.step).ok_or_else(no_step)?;
    let dir = chapter_dir(workspace, course, request.chapter)?;
    // A carried folder that is gone: the step starts in the chapter's folder, and its end
    // (back there) makes the state fresh again.
    let mut shell = request.shell.clone();
    session::step_spec_in_state(
        chapter,
        step,
        &request.values,
        &dir,
        &mut shell,
        request.columns,
        TRANSCRIPT_MAX_LINES,
    )
    .map(|(spec, _)| spec)
    .map_err(|e| e.to_string())
}

/// The process spec of `step` (a step of the request's chapter, or one of its tasks'
/// solution steps), run in the chapter's folder.
pub fn spec_in_chapter(
    course: &Course,
    workspace: &Workspace,
    request: &StepRequest,
    step: &Step,
) -> Result<StepSpec, String> {
    let chapter = course
        .chapters
        .get(request.chapter)
        .ok_or_else(|| "no such chapter".to_string())?;
    let dir = chapter_dir(workspace, course, request.chapter)?;
    // A placeholder without a value is refused here, the last guard before a shell.
    session::step_spec(
        chapter,
        step,
        &request.values,
        &dir,
        request.columns,
        TRANSCRIPT_MAX_LINES,
    )
    .map_err(|e| e.to_string())
}

pub fn spawn_failure(error: String) -> StepOutcome {
    StepOutcome::failed(FailReason::Spawn(error), Duration::ZERO, None)
}

pub fn write_file(
    course: &Course,
    workspace: &Workspace,
    request: &StepRequest,
    overwrite: bool,
) -> FileWriteResult {
    let Some(step) = step_of(course, request) else {
        return FileWriteResult::Error("no such step".into());
    };
    let StepKind::File { path } = &step.kind else {
        return FileWriteResult::Error("not a file step".into());
    };
    let dir = match chapter_dir(workspace, course, request.chapter) {
        Ok(dir) => dir,
        Err(err) => return FileWriteResult::Error(err),
    };
    let path = path.clone();
    match runner::write_file_step(&dir, &path, &step.code, overwrite) {
        Ok(written @ (FileWrite::Created(_) | FileWrite::Replaced(_))) => {
            FileWriteResult::Written {
                path: display_path(written.path()),
                bytes: step.code.len(),
            }
        }
        Ok(FileWrite::Unchanged(full)) => FileWriteResult::Unchanged {
            path: display_path(&full),
        },
        Ok(FileWrite::Differs(_)) => FileWriteResult::Differs { path },
        Err(err) => FileWriteResult::Error(err.to_string()),
    }
}

/// The doctor's checks for a course, ready to run on another thread.
pub struct DoctorJob(doctor::DoctorRequest, doctor::podman::PodmanNotes);

pub fn doctor_job(course: &Course) -> DoctorJob {
    DoctorJob(
        doctor::DoctorRequest::for_course(course),
        doctor::podman::PodmanNotes::for_course(course),
    )
}

impl DoctorJob {
    /// Runs the checks (slow, with timeouts of their own: never on the UI thread).
    pub fn run(self, probe: &dyn doctor::Probe) -> DoctorResults {
        let mut report = doctor::run_checks(probe, &self.0);
        self.1.annotate(&mut report);
        summary_of(&report)
    }
}

/// The report in the TUI's terms: the header's headline, one line per check, fixes for here.
pub fn summary_of(report: &doctor::Report) -> DoctorResults {
    let (headline, status) = report.headline();
    let checks = report
        .checks
        .iter()
        .map(|check| {
            let status = match check.status {
                doctor::Status::Pass => CheckStatus::Ok,
                doctor::Status::Warn => CheckStatus::Warn,
                doctor::Status::Fail | doctor::Status::Timeout => CheckStatus::Fail,
                doctor::Status::Skip { .. } => CheckStatus::Skipped,
            };
            let fix = check.fix.as_ref().map(|fix| {
                let mut text = fix.text.clone();
                for step in fix.steps_for(&report.platform) {
                    text.push_str(&format!("\n{}", step.text));
                    for command in &step.commands {
                        text.push_str(&format!("\n  $ {command}"));
                    }
                }
                text
            });
            CheckLine {
                id: check.id.to_string(),
                status,
                title: check.title.to_string(),
                detail: check.message.clone(),
                fix,
            }
        })
        .collect();
    DoctorResults {
        headline: format!("{headline} {}", status.symbol()),
        engine_ok: !status.is_failure(),
        checks,
        blocked_ports: report.blocked_ports.clone(),
    }
}

pub fn cleanup_job(course: &Course, workspace: &Workspace, chapter: usize) -> Option<CleanupJob> {
    CleanupJob::of(course, workspace, chapter)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::summary_of;
    use crate::doctor::probe::{OsFamily, Platform};
    use crate::doctor::{CheckResult, Fix, Report, Status};
    use crate::tui::state::CheckStatus;

    fn check(id: &'static str, status: Status, message: &str, fix: Option<Fix>) -> CheckResult {
        CheckResult {
            id,
            title: "a check",
            status,
            message: message.into(),
            details: Vec::new(),
            evidence: Vec::new(),
            fix,
            affects: "",
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn a_dead_daemon_becomes_a_failing_headline_and_a_fix_for_this_platform() {
        let fix = Fix::new("Start the engine.").step(
            crate::doctor::report::FixOs::Linux,
            "With systemd:",
            &["sudo systemctl start docker"],
        );
        let report = Report {
            platform: Platform {
                os: OsFamily::Linux,
                arch: "amd64".into(),
                wsl: false,
            },
            runtime: None,
            checks: vec![
                check("docker", Status::Pass, "docker 28.2.2", None),
                check(
                    "daemon",
                    Status::Fail,
                    "Cannot connect to the Docker daemon",
                    Some(fix),
                ),
                check(
                    "buildx",
                    Status::Skip {
                        because: "daemon".into(),
                    },
                    "",
                    None,
                ),
            ],
            unknown_checks: Vec::new(),
            blocked_ports: Vec::new(),
            duration: Duration::ZERO,
            finished_at: SystemTime::now(),
        };
        let summary = summary_of(&report);
        assert!(!summary.engine_ok);
        // The words are the doctor's; the TUI adds the status mark.
        assert_eq!(summary.headline, format!("{} ✗", report.headline().0));
        let statuses: Vec<CheckStatus> = summary.checks.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [CheckStatus::Ok, CheckStatus::Fail, CheckStatus::Skipped]
        );
        assert_eq!(
            summary.checks[1].fix.as_deref(),
            Some("Start the engine.\nWith systemd:\n  $ sudo systemctl start docker")
        );
        assert_eq!(summary.failing(&["daemon".into()], Vec::new).len(), 1);
    }
}
