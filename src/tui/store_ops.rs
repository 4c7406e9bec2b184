//! The TUI's side of the progress store: the saved position and statuses read at start-up
//! ([`load_resume`]), and each change of the session as a [`StoreOp`] the writer thread
//! (`progress_writer`) applies.

use super::msg::ProgressUpdate;
use super::state::{Resume, SavedStatus};
use crate::lesson::Course;
use crate::progress::{Position, StepRun, StepStatus, Store};

/// Where the learner left off and what was saved, from the store.
pub fn load_resume(store: Option<&mut Store>, course: &Course) -> Resume {
    let Some(store) = store else {
        return Resume::default();
    };
    let warnings = store
        .take_warnings()
        .into_iter()
        .map(|w| w.to_string())
        .collect();
    let progress = store.course(&course.id);
    let saved = progress
        .steps
        .iter()
        .map(|(id, record)| {
            let status = match record.status {
                StepStatus::Passed => SavedStatus::Passed,
                StepStatus::Failed => SavedStatus::Failed,
                StepStatus::Skipped => SavedStatus::Skipped,
            };
            (id.clone(), status)
        })
        .collect();
    // The same place `docker-guide progress` names: the saved position, moved on past a
    // step that has passed.
    let (chapter, step) = progress.resume_point(course).unwrap_or((0, None));
    let mut resume = Resume {
        chapter,
        step,
        saved,
        warnings,
        ..Resume::default()
    };
    super::task_adapters::restore_tasks(&mut resume, &progress);
    resume
}

/// One change for the progress store, made on the UI thread (the time of a run is when it
/// ended) and applied on the writer thread.
pub enum StoreOp {
    /// Any change of the course's record (tasks: a check's run, hints, the solution).
    Update {
        course_id: String,
        change: Box<dyn FnOnce(&mut crate::progress::CourseProgress) + Send>,
    },
    Record {
        course_id: String,
        step_id: String,
        run: StepRun,
        /// The step is a task: a pass marks it solved (`session::tasks`).
        task: bool,
    },
    SetCurrent {
        course_id: String,
        position: Position,
    },
}

pub fn store_op(course: &Course, update: &ProgressUpdate) -> Option<StoreOp> {
    let course_id = course.id.clone();
    match update {
        ProgressUpdate::Step {
            step_id,
            status,
            summary,
            explanation,
        } => {
            let run = match status {
                SavedStatus::Passed => StepRun::passed(),
                SavedStatus::Skipped => StepRun::skipped(),
                SavedStatus::Failed => {
                    StepRun::failed(summary.clone().unwrap_or_default(), explanation.as_deref())
                }
            };
            let task = course
                .chapters
                .iter()
                .flat_map(|c| &c.steps)
                .any(|s| s.id == *step_id && s.is_task());
            Some(StoreOp::Record {
                course_id,
                step_id: step_id.clone(),
                run,
                task,
            })
        }
        ProgressUpdate::TaskHints { .. }
        | ProgressUpdate::SolutionViewed { .. }
        | ProgressUpdate::SolutionApplied { .. } => Some(StoreOp::Update {
            course_id,
            change: super::task_adapters::task_change(update),
        }),
        ProgressUpdate::Current { chapter, step } => {
            let ch = course.chapters.get(*chapter)?;
            let position = Position {
                chapter_index: *chapter,
                chapter_slug: ch.slug.clone(),
                step_id: step.and_then(|i| ch.steps.get(i)).map(|s| s.id.clone()),
            };
            Some(StoreOp::SetCurrent {
                course_id,
                position,
            })
        }
    }
}

impl StoreOp {
    pub fn course_id(&self) -> &str {
        match self {
            StoreOp::Update { course_id, .. }
            | StoreOp::Record { course_id, .. }
            | StoreOp::SetCurrent { course_id, .. } => course_id,
        }
    }

    /// Writes the change (locks the file: may wait for another docker-guide).
    pub fn apply(self, store: &mut Store) -> Result<(), String> {
        let result = match self {
            StoreOp::Record {
                course_id,
                step_id,
                run,
                task: false,
            } => store.record(&course_id, &step_id, run),
            StoreOp::Update { course_id, change } => store.update(&course_id, change),
            StoreOp::Record {
                course_id,
                step_id,
                run,
                task: true,
            } => store.update(&course_id, |course| course.apply_check(&step_id, run)),
            StoreOp::SetCurrent {
                course_id,
                position,
            } => store.set_current(&course_id, position),
        };
        result.map_err(|e| format!("progress not saved: {e}"))
    }
}
