//! The progress export a learner hands to the instructor (`progress export`): a small,
//! versioned JSON document. Privacy by construction: it holds the course's step ids and
//! statuses, failure one-liners with the learner's home, workspace and user name scrubbed, and
//! the doctor's check ids; never an environment variable, a path or a name not given.

use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::model::{rfc3339, rfc3339_opt};
use super::{CourseProgress, StepStatus};
use crate::lesson::Course;

/// The `schema` field of every export this version writes and reads.
pub const EXPORT_SCHEMA: &str = "docker-guide.progress-export/v1";

/// Name used when the learner gives none: we never read the OS user name into an export.
pub const ANONYMOUS: &str = "anonymous";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub schema: String,
    /// As given with `--name`, else [`ANONYMOUS`].
    pub learner: String,
    pub course: ExportCourse,
    #[serde(with = "rfc3339")]
    pub exported_at: SystemTime,
    pub docker_guide_version: String,
    /// Where the learner's TUI was last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<ExportPosition>,
    pub chapters: Vec<ExportChapter>,
    /// `None` when the doctor could not run or was not asked to (`--no-doctor`).
    #[serde(default)]
    pub doctor: Option<DoctorSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportCourse {
    pub id: String,
    #[serde(default)]
    pub version: Option<String>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportPosition {
    pub chapter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportChapter {
    /// 1-based, as shown to learners.
    pub number: usize,
    pub slug: String,
    pub title: String,
    pub steps: Vec<ExportStep>,
}

/// A step's status in an export: the stored statuses plus `not_run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Passed,
    Failed,
    Skipped,
    NotRun,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportStep {
    pub id: String,
    pub status: ExportStatus,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub last_run: Option<SystemTime>,
    /// Set while the step keeps failing: when that began.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub failing_since: Option<SystemTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<ExportFailure>,
    /// Set when the step is a task (the learner solves it; its runs are checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<ExportTask>,
}

/// What an export says about one task beyond its step fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportTask {
    pub solved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub solved_at: Option<SystemTime>,
    #[serde(default)]
    pub hints_revealed: u32,
    #[serde(default)]
    pub hints_total: u32,
    #[serde(default)]
    pub solution_viewed: bool,
    #[serde(default)]
    pub solution_applied: bool,
}

impl ExportTask {
    /// The learner looked at or applied the solution.
    pub fn needed_solution(&self) -> bool {
        self.solution_viewed || self.solution_applied
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFailure {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_id: Option<String>,
    #[serde(with = "rfc3339")]
    pub at: SystemTime,
}

/// The doctor's verdict, reduced to counts and the ids of what is not fine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorSummary {
    pub passed: usize,
    pub warnings: usize,
    pub failed: usize,
    /// Checks that failed or warned.
    pub problems: Vec<DoctorProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorProblem {
    /// A `doctor::CHECK_IDS` id, e.g. `daemon`.
    pub id: String,
    /// `fail` or `warn`.
    pub status: String,
    /// The check's one-line summary, scrubbed.
    pub summary: String,
}

/// Removes what identifies the learner's machine from free text (failure summaries come from
/// command output): the home directory, other private paths, and the OS user name.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    /// `(text to hide, replacement)`, longest first so a workspace inside home goes first.
    paths: Vec<(String, &'static str)>,
    user: Option<String>,
}

impl Scrubber {
    pub fn new(home: Option<&Path>, workspace: Option<&Path>, user: Option<&str>) -> Scrubber {
        let mut paths = Vec::new();
        if let Some(ws) = workspace {
            paths.push((ws.display().to_string(), "<workspace>"));
        }
        if let Some(home) = home {
            paths.push((home.display().to_string(), "~"));
        }
        paths.retain(|(p, _)| p.len() > 1);
        paths.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        // Very short names ("a") would mangle ordinary words; they cannot identify much anyway.
        let user = user.filter(|u| u.chars().count() >= 3).map(str::to_owned);
        Scrubber { paths, user }
    }

    /// From this process: `$HOME`, the workspace in use and `$USER` / `$LOGNAME` / `$USERNAME`.
    pub fn from_env(workspace: Option<&Path>) -> Scrubber {
        let home = etcetera::home_dir().ok();
        let user = crate::settings::get().user.as_deref();
        Scrubber::new(home.as_deref(), workspace, user)
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (path, replacement) in &self.paths {
            out = out.replace(path.as_str(), replacement);
        }
        if let Some(user) = &self.user {
            out = replace_word(&out, user, "<user>");
        }
        out
    }
}

/// Replaces `word` where it is not part of a longer name (letters, digits, `_` around it).
fn replace_word(text: &str, word: &str, replacement: &str) -> String {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_name) || after.is_some_and(is_name) {
            out.push_str(word);
        } else {
            out.push_str(replacement);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Builds the export of one course's progress.
pub fn build_export(
    course: &Course,
    progress: &CourseProgress,
    learner: &str,
    doctor: Option<DoctorSummary>,
    exported_at: SystemTime,
    scrubber: &Scrubber,
) -> Export {
    let chapters = course
        .chapters
        .iter()
        .enumerate()
        .map(|(i, chapter)| ExportChapter {
            number: i + 1,
            slug: chapter.slug.clone(),
            title: chapter.title.clone(),
            steps: chapter
                .steps
                .iter()
                .map(|step| {
                    let mut out = export_step(&step.id, progress, scrubber);
                    out.task = step.task.as_ref().map(|spec| {
                        let record = progress.task(&step.id).cloned().unwrap_or_default();
                        ExportTask {
                            solved: progress.task_solved(&step.id),
                            solved_at: record.solved_at,
                            hints_revealed: record.hints_revealed,
                            hints_total: spec.hints.len() as u32,
                            solution_viewed: record.solution_viewed,
                            solution_applied: record.solution_applied,
                        }
                    });
                    out
                })
                .collect(),
        })
        .collect();
    let current = progress
        .resume_point(course)
        .filter(|_| progress.current.is_some())
        .map(|(ci, si)| ExportPosition {
            chapter: course.chapters[ci].slug.clone(),
            step: si.map(|si| course.chapters[ci].steps[si].id.clone()),
        });
    let doctor = doctor.map(|mut d| {
        for problem in &mut d.problems {
            problem.summary = scrubber.scrub(&problem.summary);
        }
        d
    });
    Export {
        schema: EXPORT_SCHEMA.to_owned(),
        learner: learner.to_owned(),
        course: ExportCourse {
            id: course.id.clone(),
            version: course.version.clone(),
            title: course.title.clone(),
        },
        exported_at,
        docker_guide_version: env!("CARGO_PKG_VERSION").to_owned(),
        current,
        chapters,
        doctor,
    }
}

fn export_step(step_id: &str, progress: &CourseProgress, scrubber: &Scrubber) -> ExportStep {
    let Some(record) = progress.step(step_id) else {
        return ExportStep {
            id: step_id.to_owned(),
            status: ExportStatus::NotRun,
            attempts: 0,
            last_run: None,
            failing_since: None,
            last_failure: None,
            task: None,
        };
    };
    ExportStep {
        id: step_id.to_owned(),
        status: match record.status {
            StepStatus::Passed => ExportStatus::Passed,
            StepStatus::Failed => ExportStatus::Failed,
            StepStatus::Skipped => ExportStatus::Skipped,
        },
        attempts: record.attempts,
        last_run: Some(record.last_run),
        failing_since: record.failing_since,
        last_failure: record.last_failure.as_ref().map(|f| ExportFailure {
            summary: scrubber.scrub(&f.summary),
            explanation_id: f.explanation_id.clone(),
            at: f.at,
        }),
        task: None,
    }
}

/// A test's export: course `c`, one chapter `one` holding `steps`, nothing else known.
#[cfg(test)]
pub(crate) fn one_chapter_export(steps: Vec<ExportStep>, exported_at: SystemTime) -> Export {
    Export {
        schema: EXPORT_SCHEMA.into(),
        learner: String::new(),
        course: ExportCourse {
            id: "c".into(),
            version: None,
            title: "C".into(),
        },
        exported_at,
        docker_guide_version: "0".into(),
        current: None,
        chapters: vec![ExportChapter {
            number: 1,
            slug: "one".into(),
            title: "One".into(),
            steps,
        }],
        doctor: None,
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;

/// Why a file is not a readable export.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a docker-guide progress export (no `schema` field)")]
    NoSchema,
    #[error("schema `{0}` is not understood (this docker-guide reads {EXPORT_SCHEMA})")]
    UnknownSchema(String),
    #[error("malformed export: {0}")]
    Malformed(String),
}

/// Reads an export, checking its schema first so the error says what the file is.
pub fn parse_export(bytes: &[u8]) -> Result<Export, ExportError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ExportError::NotJson(e.to_string()))?;
    export_from_value(value)
}

/// An export from parsed JSON (checked for its schema).
pub fn export_from_value(value: serde_json::Value) -> Result<Export, ExportError> {
    match value.get("schema").and_then(|s| s.as_str()) {
        None => return Err(ExportError::NoSchema),
        Some(EXPORT_SCHEMA) => {}
        Some(other) => return Err(ExportError::UnknownSchema(other.to_owned())),
    }
    serde_json::from_value(value).map_err(|e| ExportError::Malformed(e.to_string()))
}
