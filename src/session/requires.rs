//! A chapter's `requires`: the doctor checks that must pass before its first step.

use crate::doctor::{self, DoctorRequest, SystemProbe};
use crate::lesson::model::{Chapter, Course};

/// A failed requirement of a chapter: the check id, what is wrong and the fix.
pub struct RequirementProblem {
    pub id: String,
    pub summary: String,
    pub fix: Option<String>,
}

/// A required check that does not apply to this machine: it skipped itself for a reason of its
/// own (e.g. `gpu` on a machine without an NVIDIA runtime), while everything it needs passed.
/// The chapter is optional here: skipped, not failed.
pub struct RequirementNotHere {
    pub id: String,
    pub why: String,
}

/// What a chapter's `requires` found: failures stop the chapter (and the run); checks that do
/// not apply here skip the chapter cleanly.
#[derive(Default)]
pub struct Requirements {
    pub problems: Vec<RequirementProblem>,
    pub not_here: Vec<RequirementNotHere>,
}

/// Runs the doctor checks a chapter `requires` (and what they need) before its first step.
/// Returns the failed ones (warnings do not stop a chapter).
pub fn check_requirements(course: &Course, chapter: &Chapter) -> Vec<RequirementProblem> {
    evaluate_requirements(course, chapter).problems
}

/// Like [`check_requirements`], also telling the required checks that do not apply here.
pub fn evaluate_requirements(course: &Course, chapter: &Chapter) -> Requirements {
    let requires = &chapter.front.requires;
    if requires.is_empty() {
        return Requirements::default();
    }
    let request = DoctorRequest {
        ids: requires.clone(),
        deep: false,
        ports: if requires.iter().any(|id| id == "ports") {
            doctor::chapter_ports(chapter)
        } else {
            Vec::new()
        },
        images: if requires.iter().any(|id| id == "images") {
            crate::lesson::images_needed(course)
        } else {
            Vec::new()
        },
    };
    let report = doctor::run_checks(&SystemProbe, &request);
    let mut problems: Vec<RequirementProblem> = report
        .checks
        .iter()
        .filter(|check| check.status.is_failure())
        .map(|check| RequirementProblem {
            id: check.id.to_owned(),
            summary: check.message.clone(),
            fix: check.fix.as_ref().map(|fix| fix.text.clone()),
        })
        .collect();
    problems.extend(report.unknown_checks.iter().map(|id| RequirementProblem {
        id: id.clone(),
        summary: "no such doctor check (see `docker-guide doctor --help`)".into(),
        fix: None,
    }));
    // A skip caused by a failed need is covered by that need's problem; only a check that
    // skipped itself, with nothing failing, means "not on this machine".
    let not_here = if problems.is_empty() {
        not_applicable(&report, requires)
    } else {
        Vec::new()
    };
    Requirements { problems, not_here }
}

/// The required checks that skipped themselves.
fn not_applicable(report: &doctor::Report, requires: &[String]) -> Vec<RequirementNotHere> {
    report
        .checks
        .iter()
        .filter(|check| requires.iter().any(|id| id == check.id))
        .filter(|check| matches!(check.status, doctor::Status::Skip { .. }))
        .map(|check| RequirementNotHere {
            id: check.id.to_owned(),
            why: check.message.clone(),
        })
        .collect()
}
