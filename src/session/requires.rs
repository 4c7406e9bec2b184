//! A chapter's `requires`: the doctor checks that must pass before its first step.

use crate::doctor::{self, DoctorRequest, SystemProbe};
use crate::lesson::model::{Chapter, Course};

/// A failed requirement of a chapter: the check id, what is wrong and the fix.
pub struct RequirementProblem {
    pub id: String,
    pub summary: String,
    pub fix: Option<String>,
}

/// Runs the doctor checks a chapter `requires` (and what they need) before its first step.
/// Returns the failed ones (warnings do not stop a chapter).
pub fn check_requirements(course: &Course, chapter: &Chapter) -> Vec<RequirementProblem> {
    let requires = &chapter.front.requires;
    if requires.is_empty() {
        return Vec::new();
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
    problems
}
