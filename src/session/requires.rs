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
    let Some(request) = DoctorRequest::for_chapter(course, chapter) else {
        return Requirements::default();
    };
    let report = doctor::run_checks(&SystemProbe, &request);
    judge(
        &request.ids,
        report.checks.iter().map(|check| CheckResult {
            id: check.id,
            verdict: match check.status {
                doctor::Status::Pass | doctor::Status::Warn => Verdict::Holds,
                doctor::Status::Fail | doctor::Status::Timeout => Verdict::Fails,
                doctor::Status::Skip { .. } => Verdict::SkippedItself,
            },
            summary: &check.message,
            fix: check.fix.as_ref().map(|fix| fix.text.as_str()),
        }),
    )
}

/// How a doctor check ended, as the requires judgement reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Passed, or passed with a warning (warnings do not stop a chapter).
    Holds,
    /// Failed or timed out.
    Fails,
    /// Skipped: by itself (`gpu` without an NVIDIA runtime) or because a need failed.
    SkippedItself,
}

/// One doctor check's result, from a fresh report (`run`) or the TUI's last doctor panel.
pub struct CheckResult<'a> {
    pub id: &'a str,
    pub verdict: Verdict,
    pub summary: &'a str,
    pub fix: Option<&'a str>,
}

/// What a chapter's `requires` mean given the checks' results, the one judgement both front
/// ends make (headless `run` stops or skips the chapter on it, the TUI asks the learner):
/// - a problem is a failed check among the required ones *and what they need* (a required
///   `images` skipped because `daemon` failed is `daemon`'s problem), or an id that names no
///   check;
/// - when nothing failed, a required check that skipped itself means the chapter does not
///   apply on this machine.
///
/// Checks absent from `checks` (not run) judge nothing.
pub fn judge<'a>(
    requires: &[String],
    checks: impl IntoIterator<Item = CheckResult<'a>>,
) -> Requirements {
    if requires.is_empty() {
        return Requirements::default();
    }
    let (covered, unknown) = doctor::with_needs(requires);
    let checks: Vec<CheckResult<'a>> = checks
        .into_iter()
        .filter(|check| covered.contains(&check.id))
        .collect();
    let mut problems: Vec<RequirementProblem> = checks
        .iter()
        .filter(|check| check.verdict == Verdict::Fails)
        .map(|check| RequirementProblem {
            id: check.id.to_owned(),
            summary: check.summary.to_owned(),
            fix: check.fix.map(str::to_owned),
        })
        .collect();
    problems.extend(unknown.into_iter().map(|id| RequirementProblem {
        id,
        summary: "no such doctor check (see `docker-guide doctor --help`)".into(),
        fix: None,
    }));
    // A skip caused by a failed need is covered by that need's problem; only a check that
    // skipped itself, with nothing failing, means "not on this machine".
    let not_here = if problems.is_empty() {
        checks
            .iter()
            .filter(|check| check.verdict == Verdict::SkippedItself)
            .filter(|check| requires.iter().any(|id| id == check.id))
            .map(|check| RequirementNotHere {
                id: check.id.to_owned(),
                why: check.summary.to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Requirements { problems, not_here }
}

impl Requirements {
    /// The check ids named, problems first.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.problems
            .iter()
            .map(|p| p.id.as_str())
            .chain(self.not_here.iter().map(|n| n.id.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::{CheckResult, Verdict, judge};

    fn result(id: &str, verdict: Verdict) -> CheckResult<'_> {
        CheckResult {
            id,
            verdict,
            summary: "what the check saw",
            fix: Some("the fix"),
        }
    }

    fn requires(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn a_required_check_skipped_for_a_failed_need_is_the_needs_problem() {
        let checks = [
            result("docker", Verdict::Holds),
            result("daemon", Verdict::Fails),
            result("disk", Verdict::SkippedItself),
        ];
        let judged = judge(&requires(&["disk"]), checks);
        assert_eq!(judged.ids().collect::<Vec<_>>(), ["daemon"]);
        assert_eq!(judged.problems[0].fix.as_deref(), Some("the fix"));
        assert!(judged.not_here.is_empty());
    }

    #[test]
    fn a_required_check_that_skipped_itself_means_not_here() {
        let checks = [
            result("docker", Verdict::Holds),
            result("daemon", Verdict::Holds),
            result("gpu", Verdict::SkippedItself),
        ];
        let judged = judge(&requires(&["gpu"]), checks);
        assert!(judged.problems.is_empty());
        assert_eq!(judged.not_here[0].id, "gpu");
        assert_eq!(judged.not_here[0].why, "what the check saw");
    }

    #[test]
    fn failures_outside_what_is_required_and_warnings_judge_nothing() {
        let checks = [
            result("docker", Verdict::Holds),
            result("daemon", Verdict::Holds),
            result("ports", Verdict::Fails),
            result("disk", Verdict::Holds),
        ];
        assert_eq!(judge(&requires(&["disk"]), checks).ids().count(), 0);
        assert_eq!(
            judge(&[], [result("daemon", Verdict::Fails)]).ids().count(),
            0
        );
    }

    #[test]
    fn an_id_that_names_no_check_is_a_problem() {
        let judged = judge(
            &requires(&["daemon", "dameon"]),
            [result("daemon", Verdict::Holds)],
        );
        assert_eq!(judged.ids().collect::<Vec<_>>(), ["dameon"]);
        assert!(judged.problems[0].summary.contains("no such doctor check"));
    }
}
