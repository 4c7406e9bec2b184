//! The problems a learner must know before running anything in a course.

use super::{Course, Diagnostic, Severity, lint};

/// The parser's problems, plus the errors only `lint` finds across chapters (duplicate step
/// ids share their progress). Lint's warnings are for authors and stay out. `known_checks`
/// are the doctor's check ids a chapter's `requires` may name.
pub fn course_problems(course: &Course, known_checks: &[&str]) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = course
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .cloned()
        .collect();
    for diagnostic in lint(course, known_checks) {
        if diagnostic.severity == Severity::Error && !problems.contains(&diagnostic) {
            problems.push(diagnostic);
        }
    }
    problems
}
