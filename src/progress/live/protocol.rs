//! The wire format between a learner and the class server (`docker-guide.live/v1`): JSON
//! batches of numbered events, each holding only what a progress export holds (the export's
//! own types), and the limits the server enforces. Shared by both sides so they cannot drift.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::progress::export::{DoctorSummary, EXPORT_SCHEMA, Export, ExportStep};
use crate::progress::model::rfc3339;

/// The header carrying the class's join code on every request.
pub const CODE_HEADER: &str = "x-class-code";
/// Where learners send their events.
pub const EVENTS_PATH: &str = "/api/v1/events";
/// Answers 200 with the class's name when the code is right (a join's first check).
pub const HELLO_PATH: &str = "/api/v1/hello";
/// The largest request body the server reads (a 500-step course's snapshot is ~150 KiB).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// The most events in one request.
pub const MAX_BATCH: usize = 100;
/// Longest learner name, in characters.
pub const MAX_NAME: usize = 60;
const MAX_ID: usize = 200;
const MAX_TEXT: usize = 2000;
const MAX_CHAPTERS: usize = 200;
const MAX_STEPS: usize = 1000;
const MAX_PROBLEMS: usize = 64;

/// One request: a learner's next events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The learner's random id (made at `class join`, never shown).
    pub learner: String,
    pub events: Vec<Event>,
}

/// One thing that happened on the learner's machine, numbered from 1 per learner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    #[serde(with = "rfc3339")]
    pub at: SystemTime,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// The learner joined: their name and progress so far (the course's outline included).
    Join { name: String, export: Box<Export> },
    /// A step's or task's record changed: it is now `step` (in chapter `chapter`, a slug).
    Step { chapter: String, step: ExportStep },
    /// The learner moved to another chapter or step.
    Position {
        chapter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<String>,
    },
    /// The doctor ran: its verdict.
    Doctor { summary: DoctorSummary },
    /// `class leave`.
    Leave,
}

impl EventBody {
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Join { .. } => "join",
            EventBody::Step { .. } => "step",
            EventBody::Position { .. } => "position",
            EventBody::Doctor { .. } => "doctor",
            EventBody::Leave => "leave",
        }
    }
}

/// The server's answer to a batch: every event up to `acked` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub acked: u64,
}

/// The answer to [`HELLO_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: String,
    pub class: String,
}

pub const PROTOCOL: &str = "docker-guide.live/v1";

/// A learner id as [`new_learner_id`] makes them: 32 lowercase hex digits.
pub fn valid_learner_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A fresh random learner id.
pub fn new_learner_id() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Random bytes from the operating system (ids and join codes must not be guessable).
pub fn fill_random(bytes: &mut [u8]) {
    if getrandom::fill(bytes).is_err() {
        // No OS randomness (never seen on Linux or macOS): still different per process.
        use std::hash::{BuildHasher, RandomState};
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = RandomState::new().hash_one((i, SystemTime::now())) as u8;
        }
    }
}

/// Why a batch is refused (the server answers 400 or 422 with this text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("`learner` must be 32 lowercase hex digits (the id `class join` made)")]
    LearnerId,
    #[error("a batch holds 1 to {MAX_BATCH} events, this one {0}")]
    BatchSize(usize),
    #[error("event sequence numbers start at 1 and rise within a batch (got {0} after {1})")]
    Sequence(u64, u64),
    #[error("field `{field}` is {len} characters long (at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("field `{0}` must not be empty")]
    Empty(&'static str),
    #[error("too many {what}: {len} (at most {max})")]
    TooMany {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("the snapshot's schema is `{0}`, expected {EXPORT_SCHEMA}")]
    Schema(String),
}

fn text(field: &'static str, value: &str, max: usize) -> Result<(), Invalid> {
    let len = value.chars().count();
    if len > max {
        return Err(Invalid::TooLong { field, len, max });
    }
    Ok(())
}

fn id(field: &'static str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::Empty(field));
    }
    text(field, value, MAX_ID)
}

fn count(what: &'static str, len: usize, max: usize) -> Result<(), Invalid> {
    if len > max {
        return Err(Invalid::TooMany { what, len, max });
    }
    Ok(())
}

impl Batch {
    /// Every field within its bounds; the server stores nothing of a batch that fails this.
    pub fn validate(&self) -> Result<(), Invalid> {
        if !valid_learner_id(&self.learner) {
            return Err(Invalid::LearnerId);
        }
        if self.events.is_empty() || self.events.len() > MAX_BATCH {
            return Err(Invalid::BatchSize(self.events.len()));
        }
        let mut last = 0;
        for event in &self.events {
            if event.seq <= last {
                return Err(Invalid::Sequence(event.seq, last));
            }
            last = event.seq;
            event.body.validate()?;
        }
        Ok(())
    }
}

impl EventBody {
    pub fn validate(&self) -> Result<(), Invalid> {
        match self {
            EventBody::Join { name, export } => {
                id("name", name)?;
                text("name", name, MAX_NAME)?;
                validate_export(export)
            }
            EventBody::Step { chapter, step } => {
                id("chapter", chapter)?;
                validate_step(step)
            }
            EventBody::Position { chapter, step } => {
                id("chapter", chapter)?;
                step.as_deref().map_or(Ok(()), |s| id("step", s))
            }
            EventBody::Doctor { summary } => validate_doctor(summary),
            EventBody::Leave => Ok(()),
        }
    }
}

fn validate_export(export: &Export) -> Result<(), Invalid> {
    if export.schema != EXPORT_SCHEMA {
        return Err(Invalid::Schema(export.schema.clone()));
    }
    id("course.id", &export.course.id)?;
    text("course.title", &export.course.title, MAX_ID)?;
    text(
        "course.version",
        export.course.version.as_deref().unwrap_or(""),
        MAX_ID,
    )?;
    text("docker_guide_version", &export.docker_guide_version, MAX_ID)?;
    if let Some(current) = &export.current {
        id("current.chapter", &current.chapter)?;
        text(
            "current.step",
            current.step.as_deref().unwrap_or(""),
            MAX_ID,
        )?;
    }
    count("chapters", export.chapters.len(), MAX_CHAPTERS)?;
    let steps: usize = export.chapters.iter().map(|c| c.steps.len()).sum();
    count("steps", steps, MAX_STEPS)?;
    for chapter in &export.chapters {
        id("chapter.slug", &chapter.slug)?;
        text("chapter.title", &chapter.title, MAX_ID)?;
        chapter.steps.iter().try_for_each(validate_step)?;
    }
    export.doctor.as_ref().map_or(Ok(()), validate_doctor)
}

fn validate_step(step: &ExportStep) -> Result<(), Invalid> {
    id("step.id", &step.id)?;
    if let Some(failure) = &step.last_failure {
        text("last_failure.summary", &failure.summary, MAX_TEXT)?;
        text(
            "last_failure.explanation_id",
            failure.explanation_id.as_deref().unwrap_or(""),
            MAX_ID,
        )?;
    }
    Ok(())
}

fn validate_doctor(summary: &DoctorSummary) -> Result<(), Invalid> {
    count("doctor problems", summary.problems.len(), MAX_PROBLEMS)?;
    for problem in &summary.problems {
        id("problem.id", &problem.id)?;
        text("problem.status", &problem.status, 8)?;
        text("problem.summary", &problem.summary, MAX_TEXT)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step_event(seq: u64, summary: &str) -> Event {
        Event {
            seq,
            at: SystemTime::UNIX_EPOCH,
            body: EventBody::Step {
                chapter: "one".into(),
                step: ExportStep {
                    id: "s".into(),
                    status: crate::progress::export::ExportStatus::Failed,
                    attempts: 1,
                    last_run: None,
                    failing_since: None,
                    last_failure: Some(crate::progress::export::ExportFailure {
                        summary: summary.into(),
                        explanation_id: None,
                        at: SystemTime::UNIX_EPOCH,
                    }),
                    task: None,
                },
            },
        }
    }

    #[test]
    fn batches_round_trip_and_are_checked() {
        let batch = Batch {
            learner: new_learner_id(),
            events: vec![step_event(1, "exit code 1"), step_event(2, "again")],
        };
        let json = serde_json::to_string(&batch).unwrap();
        assert!(json.contains(r#""kind":"step""#), "{json}");
        let back: Batch = serde_json::from_str(&json).unwrap();
        assert_eq!(back, batch);
        assert_eq!(batch.validate(), Ok(()));

        let mut bad = batch.clone();
        bad.learner = "../etc".into();
        assert_eq!(bad.validate(), Err(Invalid::LearnerId));
        let mut bad = batch.clone();
        bad.events[1].seq = 1;
        assert_eq!(bad.validate(), Err(Invalid::Sequence(1, 1)));
        let mut bad = batch.clone();
        bad.events = vec![step_event(1, &"x".repeat(MAX_TEXT + 1))];
        assert!(matches!(bad.validate(), Err(Invalid::TooLong { .. })));
        bad.events.clear();
        assert_eq!(bad.validate(), Err(Invalid::BatchSize(0)));
    }

    #[test]
    fn learner_ids_are_random_hex() {
        let (a, b) = (new_learner_id(), new_learner_id());
        assert!(valid_learner_id(&a) && valid_learner_id(&b));
        assert_ne!(a, b);
    }
}
