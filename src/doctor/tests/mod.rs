//! Scenario tests: captured (and documented) docker outputs fed through FakeProbe.

mod context_env;
mod engine;
mod setup;

use super::fake::FakeProbe;
use super::report::{Report, Status};
use super::{DoctorRequest, run_checks};

pub(super) fn run(fake: &FakeProbe) -> Report {
    run_checks(fake, &DoctorRequest::default())
}

pub(super) fn run_ids(fake: &FakeProbe, ids: &[&str]) -> Report {
    let request = DoctorRequest {
        ids: ids.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    run_checks(fake, &request)
}

pub(super) fn status<'a>(report: &'a Report, id: &str) -> &'a Status {
    &report
        .check(id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

pub(super) fn skipped(because: &str) -> Status {
    Status::Skip {
        because: because.into(),
    }
}

/// Every fix command for `os`, joined, to assert on.
pub(super) fn fix_text(report: &Report, id: &str) -> String {
    let check = report.check(id).expect("check");
    let fix = check.fix.as_ref().expect("a fix");
    let mut text = fix.text.clone();
    for step in &fix.steps {
        text.push_str(&format!(
            "\n[{:?}] {} {}",
            step.os,
            step.text,
            step.commands.join(" ; ")
        ));
    }
    text
}

pub(super) fn stable(mut report: Report) -> Report {
    report.duration = std::time::Duration::from_millis(420);
    report.finished_at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
    for check in &mut report.checks {
        check.duration = std::time::Duration::ZERO;
        for evidence in &mut check.evidence {
            evidence.duration_ms = 0;
        }
    }
    report
}
