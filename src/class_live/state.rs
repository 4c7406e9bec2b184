//! The class as the dashboard shows it, rebuilt from events: one learner each (their export,
//! kept current by their step, position and doctor events), with the server's own times
//! (time on a step counts from when the server heard of it: laptops' clocks disagree).
//! Pure: the same events give the same state, live or replayed after a restart.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::progress::class::{ClassFile, ClassInput};
use crate::progress::export::{Export, ExportFailure, ExportPosition, ExportStatus, ExportStep};
use crate::progress::live::protocol::{Event, EventBody};

#[derive(Debug, Clone)]
pub struct Learner {
    pub id: String,
    pub name: String,
    pub export: Export,
    /// When the server heard the learner's latest event.
    pub last_seen: SystemTime,
    /// When the learner got to the step they are on.
    pub here_since: SystemTime,
    /// Events applied (join included).
    pub events: u64,
    /// Numbers of step events per step id (what the load test compares against).
    pub step_events: u64,
    pub left: bool,
}

/// Why an event cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("this learner has not joined (send a join first)")]
    NotJoined,
}

#[derive(Debug, Default, Clone)]
pub struct ClassState {
    pub learners: BTreeMap<String, Learner>,
    /// Rises with every change (the dashboard redraws when it moves).
    pub version: u64,
    /// Events applied in all.
    pub events: u64,
}

/// A learner's row in the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub name: String,
    /// 1-based chapter number and slug of where they are.
    pub chapter: Option<(usize, String)>,
    pub step: Option<String>,
    pub is_task: bool,
    pub state: ExportStatus,
    /// The current step's attempts.
    pub attempts: u32,
    pub time_here: Duration,
    /// Their current step fails (stuck on it).
    pub stuck: bool,
    pub passed: usize,
    pub total: usize,
    /// The most recent failure anywhere in the course: (step id, failure).
    pub last_failure: Option<(String, ExportFailure)>,
    pub doctor_failing: usize,
    pub left: bool,
}

impl ClassState {
    pub fn is_joined(&self, learner: &str) -> bool {
        self.learners.contains_key(learner)
    }

    /// Applies one learner's event, received at `received`.
    pub fn apply(
        &mut self,
        learner: &str,
        event: &Event,
        received: SystemTime,
    ) -> Result<(), ApplyError> {
        if let EventBody::Join { name, export } = &event.body {
            let mut export = (**export).clone();
            export.learner = name.clone();
            let entry = self.learners.entry(learner.to_owned());
            let state = entry.or_insert_with(|| Learner {
                id: learner.to_owned(),
                name: name.clone(),
                export: export.clone(),
                last_seen: received,
                here_since: received,
                events: 0,
                step_events: 0,
                left: false,
            });
            if state.export.current != export.current {
                state.here_since = received;
            }
            state.name = name.clone();
            state.export = export;
            state.left = false;
            state.events += 1;
            state.last_seen = received;
            self.version += 1;
            self.events += 1;
            return Ok(());
        }
        let state = self
            .learners
            .get_mut(learner)
            .ok_or(ApplyError::NotJoined)?;
        match &event.body {
            EventBody::Join { .. } => unreachable!("handled above"),
            EventBody::Step { chapter, step } => {
                set_step(&mut state.export, chapter, step);
                state.step_events += 1;
                move_to(state, chapter, Some(&step.id), received);
            }
            EventBody::Position { chapter, step } => {
                move_to(state, chapter, step.as_deref(), received);
            }
            EventBody::Doctor { summary } => state.export.doctor = Some(summary.clone()),
            EventBody::Leave => state.left = true,
        }
        if !matches!(event.body, EventBody::Leave) {
            state.left = false;
        }
        state.events += 1;
        state.last_seen = received;
        self.version += 1;
        self.events += 1;
        Ok(())
    }

    /// Every learner's export as `class summary` reads files, counted up to `now` (left
    /// learners up to when they left): the class-wide tables come from the same code.
    pub fn class_inputs(&self, now: SystemTime) -> Vec<ClassInput> {
        self.learners
            .values()
            .map(|l| {
                let mut export = l.export.clone();
                export.exported_at = if l.left { l.last_seen } else { now };
                ClassInput {
                    source: format!("live/{}", &l.id[..l.id.len().min(8)]),
                    content: Ok(ClassFile::Export(Box::new(export))),
                }
            })
            .collect()
    }

    pub fn rows(&self, now: SystemTime) -> Vec<Row> {
        self.learners.values().map(|l| row(l, now)).collect()
    }
}

fn set_step(export: &mut Export, chapter: &str, step: &ExportStep) {
    let existing = export
        .chapters
        .iter_mut()
        .flat_map(|c| c.steps.iter_mut())
        .find(|s| s.id == step.id);
    match existing {
        Some(slot) => *slot = step.clone(),
        // A step the join's outline lacked (the course changed under the learner): kept in
        // its chapter when known so it still counts.
        None => {
            if let Some(c) = export.chapters.iter_mut().find(|c| c.slug == chapter) {
                c.steps.push(step.clone());
            }
        }
    }
}

fn move_to(state: &mut Learner, chapter: &str, step: Option<&str>, received: SystemTime) {
    let position = ExportPosition {
        chapter: chapter.to_owned(),
        step: step.map(str::to_owned),
    };
    if state.export.current.as_ref() != Some(&position) {
        state.export.current = Some(position);
        state.here_since = received;
    }
}

fn row(l: &Learner, now: SystemTime) -> Row {
    let export = &l.export;
    let chapter = export.current.as_ref().and_then(|p| {
        export
            .chapters
            .iter()
            .find(|c| c.slug == p.chapter)
            .map(|c| (c.number, c.slug.clone()))
    });
    let current = export.current.as_ref().and_then(|p| {
        let id = p.step.as_deref()?;
        export
            .chapters
            .iter()
            .flat_map(|c| &c.steps)
            .find(|s| s.id == id)
    });
    let steps = export.chapters.iter().flat_map(|c| &c.steps);
    let total = steps.clone().count();
    let passed = steps
        .clone()
        .filter(|s| s.status == ExportStatus::Passed)
        .count();
    let last_failure = steps
        .filter_map(|s| s.last_failure.as_ref().map(|f| (s.id.clone(), f.clone())))
        .max_by_key(|(_, f)| f.at);
    let state = current.map_or(ExportStatus::NotRun, |s| s.status);
    Row {
        id: l.id.clone(),
        name: l.name.clone(),
        chapter,
        step: export.current.as_ref().and_then(|p| p.step.clone()),
        is_task: current.is_some_and(|s| s.task.is_some()),
        state,
        attempts: current.map_or(0, |s| s.attempts),
        time_here: now.duration_since(l.here_since).unwrap_or_default(),
        stuck: state == ExportStatus::Failed,
        passed,
        total,
        last_failure,
        doctor_failing: export.doctor.as_ref().map_or(0, |d| d.failed),
        left: l.left,
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
