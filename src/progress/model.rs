//! The stored shape of progress: one [`CourseProgress`] per course id, one [`StepRecord`] per
//! step id. Pure data with serde; times are RFC 3339 strings in the file.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// How a step's last run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Passed,
    Failed,
    Skipped,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }
}

/// Why the step failed the last time it failed (kept after a later pass, for the instructor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// One line, e.g. "exit code 125 (expected 0)".
    pub summary: String,
    /// Id of the matched Docker error explanation (`runner::explain`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_id: Option<String>,
    #[serde(with = "rfc3339")]
    pub at: SystemTime,
}

/// What the store keeps about one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub status: StepStatus,
    #[serde(with = "rfc3339")]
    pub last_run: SystemTime,
    /// How many times the step was run (passed, failed or skipped).
    #[serde(default)]
    pub attempts: u32,
    /// The most recent failure, even when a later run passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Failure>,
    /// While the step keeps failing: when the current run of failures began (the instructor's
    /// "stuck since"). Cleared by a pass or a skip.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub failing_since: Option<SystemTime>,
}

impl StepRecord {
    /// True when the step failed and has not passed since.
    pub fn is_stuck(&self) -> bool {
        self.status == StepStatus::Failed
    }
}

/// One run of a step, as reported by the runner: what [`crate::progress::Store::record`] takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRun {
    pub status: StepStatus,
    pub at: SystemTime,
    /// For a failed run: the one-line reason and the explanation id.
    pub failure: Option<(String, Option<String>)>,
}

impl StepRun {
    pub fn passed() -> Self {
        StepRun {
            status: StepStatus::Passed,
            at: SystemTime::now(),
            failure: None,
        }
    }

    pub fn skipped() -> Self {
        StepRun {
            status: StepStatus::Skipped,
            at: SystemTime::now(),
            failure: None,
        }
    }

    pub fn failed(summary: impl Into<String>, explanation_id: Option<&str>) -> Self {
        StepRun {
            status: StepStatus::Failed,
            at: SystemTime::now(),
            failure: Some((summary.into(), explanation_id.map(str::to_owned))),
        }
    }

    /// Sets the time of the run (tests, imports).
    pub fn at(mut self, at: SystemTime) -> Self {
        self.at = at;
        self
    }
}

/// Where the learner was: the TUI reopens there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// 0-based chapter index when it was saved; the slug wins if chapters were reordered.
    pub chapter_index: usize,
    pub chapter_slug: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
}

/// What the store keeps about one task beyond its step record (which counts the check's
/// runs as attempts and keeps its last failure).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// When the check first passed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub solved_at: Option<SystemTime>,
    /// How many hints the learner revealed (they are revealed in order).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hints_revealed: u32,
    /// The learner looked at the solution.
    #[serde(default, skip_serializing_if = "is_false")]
    pub solution_viewed: bool,
    /// The solution's steps were applied (by the learner, or `run --solve`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub solution_applied: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl TaskRecord {
    /// Whether the learner needed the solution (viewed or applied it).
    pub fn needed_solution(&self) -> bool {
        self.solution_viewed || self.solution_applied
    }
}

/// Everything stored for one course.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseProgress {
    /// The course's `version` when progress was last recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Position>,
    #[serde(default)]
    pub steps: BTreeMap<String, StepRecord>,
    /// Per task id (a task is also a step, in `steps`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tasks: BTreeMap<String, TaskRecord>,
}

impl CourseProgress {
    pub fn step(&self, step_id: &str) -> Option<&StepRecord> {
        self.steps.get(step_id)
    }

    pub fn status(&self, step_id: &str) -> Option<StepStatus> {
        self.steps.get(step_id).map(|r| r.status)
    }

    pub fn task(&self, task_id: &str) -> Option<&TaskRecord> {
        self.tasks.get(task_id)
    }

    /// A task is solved once its check has passed (a later failing check does not undo it).
    pub fn task_solved(&self, task_id: &str) -> bool {
        self.tasks
            .get(task_id)
            .is_some_and(|t| t.solved_at.is_some())
            || self.status(task_id) == Some(StepStatus::Passed)
    }

    /// Applies one run of a task's check: the step record as for any step, and the time it was
    /// first solved.
    pub fn apply_check(&mut self, task_id: &str, run: StepRun) {
        let at = run.at;
        let passed = run.status == StepStatus::Passed;
        self.apply(task_id, run);
        let record = self.tasks.entry(task_id.to_owned()).or_default();
        if passed && record.solved_at.is_none() {
            record.solved_at = Some(at);
        }
    }

    /// The task's record, created when missing.
    pub fn task_mut(&mut self, task_id: &str) -> &mut TaskRecord {
        self.tasks.entry(task_id.to_owned()).or_default()
    }

    /// Applies one run: bumps attempts, keeps the last failure.
    pub fn apply(&mut self, step_id: &str, run: StepRun) {
        let previous = self.steps.remove(step_id);
        let attempts = previous
            .as_ref()
            .map_or(0, |r| r.attempts)
            .saturating_add(1);
        // The start of the current run of failures, for "stuck since".
        let failing_since = match (run.status, &previous) {
            (StepStatus::Failed, Some(prev)) if prev.status == StepStatus::Failed => {
                prev.failing_since.or(Some(prev.last_run))
            }
            (StepStatus::Failed, _) => Some(run.at),
            _ => None,
        };
        let last_failure = match run.failure {
            Some((summary, explanation_id)) => Some(Failure {
                summary,
                explanation_id,
                at: run.at,
            }),
            None => previous.and_then(|r| r.last_failure),
        };
        let record = StepRecord {
            status: run.status,
            last_run: run.at,
            attempts,
            last_failure,
            failing_since,
        };
        self.steps.insert(step_id.to_owned(), record);
    }
}

/// Serde for `Option<SystemTime>` as an RFC 3339 string or nothing.
pub(crate) mod rfc3339_opt {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => super::rfc3339::serialize(time, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SystemTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => humantime::parse_rfc3339_weak(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

/// Serde for `SystemTime` as an RFC 3339 string (UTC, seconds).
pub(crate) mod rfc3339 {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&humantime::format_rfc3339_seconds(*time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_rfc3339_weak(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_780_000_000 + secs)
    }

    #[test]
    fn apply_counts_attempts_and_keeps_the_last_failure_after_a_pass() {
        let mut course = CourseProgress::default();
        course.apply(
            "s1",
            StepRun::failed("exit code 1", Some("port-in-use")).at(t(0)),
        );
        course.apply("s1", StepRun::passed().at(t(60)));
        let record = course.step("s1").unwrap();
        assert_eq!(record.attempts, 2);
        assert_eq!(record.status, StepStatus::Passed);
        assert_eq!(record.last_run, t(60));
        let failure = record.last_failure.as_ref().unwrap();
        assert_eq!(failure.summary, "exit code 1");
        assert_eq!(failure.explanation_id.as_deref(), Some("port-in-use"));
        assert_eq!(failure.at, t(0));
        assert_eq!(record.failing_since, None);
    }

    #[test]
    fn failing_since_marks_the_start_of_the_current_run_of_failures() {
        let mut course = CourseProgress::default();
        course.apply("s", StepRun::failed("exit code 1", None).at(t(10)));
        course.apply("s", StepRun::failed("exit code 2", None).at(t(20)));
        assert_eq!(course.step("s").unwrap().failing_since, Some(t(10)));
        course.apply("s", StepRun::passed().at(t(30)));
        course.apply("s", StepRun::failed("exit code 3", None).at(t(40)));
        let record = course.step("s").unwrap();
        assert_eq!(record.failing_since, Some(t(40)));
        assert_eq!(record.last_failure.as_ref().unwrap().summary, "exit code 3");
    }

    #[test]
    fn a_task_is_solved_by_its_first_passing_check_and_keeps_hints_and_solution() {
        let mut course = CourseProgress::default();
        course.apply_check("t", StepRun::failed("exit code 1", None).at(t(0)));
        assert!(!course.task_solved("t"));
        course.task_mut("t").hints_revealed = 2;
        course.apply_check("t", StepRun::passed().at(t(5)));
        course.apply_check("t", StepRun::failed("exit code 1", None).at(t(9)));
        assert!(course.task_solved("t"), "solved stays solved");
        let record = course.task("t").unwrap();
        assert_eq!(record.solved_at, Some(t(5)));
        assert_eq!(course.step("t").unwrap().attempts, 3);
        assert!(!record.needed_solution());
        let json = serde_json::to_string(&course).unwrap();
        assert!(json.contains(r#""tasks":{"t":{"solved_at":"#), "{json}");
        assert!(json.contains(r#""hints_revealed":2"#), "{json}");
        assert!(!json.contains("solution_viewed"), "{json}");
        let back: CourseProgress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, course);
        let old: CourseProgress = serde_json::from_str(r#"{"steps":{}}"#).unwrap();
        assert!(old.tasks.is_empty(), "files without tasks still read");
    }

    #[test]
    fn records_round_trip_with_rfc3339_times() {
        let mut course = CourseProgress::default();
        course.apply("s1", StepRun::failed("timed out after 5s", None).at(t(0)));
        let json = serde_json::to_string(&course).unwrap();
        assert!(
            json.contains("\"last_run\":\"2026-05-28T20:26:40Z\""),
            "{json}"
        );
        assert!(json.contains("\"status\":\"failed\""), "{json}");
        let back: CourseProgress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, course);
    }
}
