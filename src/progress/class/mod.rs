//! The instructor's view of a class: many progress exports → who is where, who is stuck, which
//! steps fail most, whose setup is broken. Pure: takes parsed exports, returns a summary.

mod report;
mod rows;
mod setup;
mod tasks;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use serde::Serialize;

use super::export::{ANONYMOUS, EXPORT_SCHEMA, Export, export_from_value};
use super::model::rfc3339;

pub use report::render_text;
pub use setup::{DOCTOR_SCHEMA, DoctorReportFile, SetupRow};
pub use tasks::TaskRow;

/// One file given to `class summary`: where it came from and what reading it gave.
#[derive(Debug, Clone)]
pub struct ClassInput {
    /// As shown in the report (the path given, or `dir/file.json`).
    pub source: String,
    pub content: Result<ClassFile, String>,
}

/// What a class file holds: a learner's progress export or a preflight doctor report.
#[derive(Debug, Clone)]
pub enum ClassFile {
    Export(Box<Export>),
    Doctor(Box<DoctorReportFile>),
}

/// Reads a file of either kind, telling them apart by `schema`.
pub fn parse_class_file(bytes: &[u8]) -> Result<ClassFile, String> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    make_printable(&mut value);
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(DOCTOR_SCHEMA) => serde_json::from_value(value)
            .map(|r| ClassFile::Doctor(Box::new(r)))
            .map_err(|e| format!("malformed doctor report: {e}")),
        Some(other) if other != EXPORT_SCHEMA => Err(format!(
            "schema `{other}` is not understood (this docker-guide reads {EXPORT_SCHEMA} and {DOCTOR_SCHEMA})"
        )),
        _ => export_from_value(value)
            .map(|e| ClassFile::Export(Box::new(e)))
            .map_err(|e| e.to_string()),
    }
}

/// Every string of a learner's file made safe for the instructor's terminal: control
/// characters (escape sequences that clear the screen, retitle the window or write the
/// clipboard with OSC 52) become visible, `^[` style. Done before anything reads the file, so
/// tables stay aligned and no report prints them raw.
pub fn make_printable(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) if text.chars().any(char::is_control) => *text = printable(text),
        Value::Array(items) => items.iter_mut().for_each(make_printable),
        Value::Object(fields) => fields.values_mut().for_each(make_printable),
        _ => {}
    }
}

/// `text` with control characters shown as `^X` (C0, DEL) or U+FFFD (C1).
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseKey {
    pub id: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassSummary {
    /// The course summarized: `--course`, else the one most exports are of.
    pub course: Option<CourseKey>,
    pub learners: Vec<LearnerRow>,
    /// Learners with a failing step, stuck longest first.
    pub stuck: Vec<StuckRow>,
    /// Steps that failed for at least one learner, most learners first.
    pub failing_steps: Vec<StepFailureRow>,
    /// The course's tasks, the ones most learners are stuck on first (empty: no tasks).
    pub tasks: Vec<TaskRow>,
    /// Learners whose doctor reported a failure or warning.
    pub doctor_problems: Vec<DoctorRow>,
    /// Preflight doctor reports (`doctor --json`), problems first.
    pub setup: Vec<SetupRow>,
    /// Exports of another course or version: listed, not counted.
    pub other_courses: Vec<OtherCourseRow>,
    pub unreadable: Vec<UnreadableRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearnerRow {
    pub learner: String,
    pub source: String,
    /// Furthest chapter with any step run (1-based), with its slug.
    pub chapter: Option<usize>,
    pub chapter_slug: Option<String>,
    pub passed: usize,
    pub total: usize,
    pub percent: u8,
    pub failing: usize,
    #[serde(with = "rfc3339")]
    pub exported_at: SystemTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct StuckRow {
    pub learner: String,
    pub chapter: usize,
    pub step_id: String,
    /// When the failures began (no pass since).
    #[serde(with = "rfc3339")]
    pub since: SystemTime,
    /// From `since` to the export.
    pub stuck_secs: u64,
    pub attempts: u32,
    pub summary: Option<String>,
    pub explanation_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepFailureRow {
    pub step_id: String,
    pub chapter: usize,
    /// Learners for whom the step failed at least once.
    pub learners_failed: usize,
    /// Of those, learners whose last run still failed.
    pub learners_failing_now: usize,
    /// The most frequent explanation id (or failure summary when none matched).
    pub common_failure: Option<String>,
    pub common_failure_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorRow {
    pub learner: String,
    pub failing: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherCourseRow {
    pub source: String,
    pub learner: String,
    pub course: CourseKey,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnreadableRow {
    pub source: String,
    pub reason: String,
}

/// Summarizes the exports of one course (`course_id`, else the majority's course and version).
pub fn summarize(inputs: Vec<ClassInput>, course_id: Option<&str>) -> ClassSummary {
    let mut unreadable = Vec::new();
    let mut exports = Vec::new();
    let mut setup = Vec::new();
    for input in inputs {
        match input.content {
            Ok(ClassFile::Export(export)) => exports.push((input.source, *export)),
            Ok(ClassFile::Doctor(report)) => setup.push(setup::setup_row(&input.source, &report)),
            Err(reason) => unreadable.push(UnreadableRow {
                source: input.source,
                reason,
            }),
        }
    }
    let course = pick_course(&exports, course_id);
    let (included, other): (Vec<_>, Vec<_>) = exports
        .into_iter()
        .partition(|(_, e)| Some(key_of(e)) == course);
    let other_courses = other
        .into_iter()
        .map(|(source, e)| OtherCourseRow {
            source,
            learner: e.learner.clone(),
            course: key_of(&e),
        })
        .collect();
    let labels = learner_labels(&included);
    let entries: Vec<Entry> = labels
        .into_iter()
        .zip(&included)
        .map(|(label, (source, export))| Entry {
            label,
            source,
            export,
        })
        .collect();
    ClassSummary {
        course,
        learners: entries.iter().map(rows::learner_row).collect(),
        stuck: rows::stuck_rows(&entries),
        failing_steps: rows::failing_steps(&entries),
        tasks: tasks::task_rows(&entries),
        doctor_problems: rows::doctor_rows(&entries),
        setup,
        other_courses,
        unreadable,
    }
    .sorted()
}

/// An export counted in the summary, with the name shown for it.
struct Entry<'a> {
    pub label: String,
    pub source: &'a str,
    pub export: &'a Export,
}

impl ClassSummary {
    fn sorted(mut self) -> Self {
        self.learners.sort_by_key(|l| l.learner.to_lowercase());
        self.stuck.sort_by(|a, b| {
            a.since
                .cmp(&b.since)
                .then_with(|| a.learner.cmp(&b.learner))
        });
        self.doctor_problems
            .sort_by_key(|d| d.learner.to_lowercase());
        let rank = |status: &str| match status {
            "fail" => 0,
            "warn" => 1,
            _ => 2,
        };
        self.setup
            .sort_by_key(|s| (rank(&s.status), s.learner.to_lowercase()));
        self
    }
}

fn key_of(export: &Export) -> CourseKey {
    CourseKey {
        id: export.course.id.clone(),
        version: export.course.version.clone(),
    }
}

/// The course most exports are of (ties: the smaller id/version, so the choice is stable).
fn pick_course(exports: &[(String, Export)], course_id: Option<&str>) -> Option<CourseKey> {
    let mut counts: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    for (_, e) in exports {
        if course_id.is_none_or(|id| id == e.course.id) {
            *counts
                .entry((e.course.id.clone(), e.course.version.clone()))
                .or_default() += 1;
        }
    }
    let best = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
    match (best, course_id) {
        (Some(((id, version), _)), _) => Some(CourseKey {
            id: id.clone(),
            version: version.clone(),
        }),
        (None, Some(id)) => Some(CourseKey {
            id: id.to_owned(),
            version: None,
        }),
        (None, None) => None,
    }
}

/// Names as given; the file name is added where a name is anonymous or not unique.
fn learner_labels(included: &[(String, Export)]) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (_, e) in included {
        *seen.entry(e.learner.as_str()).or_default() += 1;
    }
    included
        .iter()
        .map(|(source, e)| {
            if e.learner == ANONYMOUS || e.learner.trim().is_empty() || seen[e.learner.as_str()] > 1
            {
                let file = source.rsplit(['/', '\\']).next().unwrap_or(source);
                format!(
                    "{} ({file})",
                    if e.learner.trim().is_empty() {
                        ANONYMOUS
                    } else {
                        &e.learner
                    }
                )
            } else {
                e.learner.clone()
            }
        })
        .collect()
}
