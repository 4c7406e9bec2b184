//! Recording a run in the progress store from a process that is not the TUI (`run`, `check`,
//! `lint --deep` does not record): each result and the resume position in one transaction.
//! A store that cannot be opened or written only costs a warning. While a live class is
//! joined (`class join`), each change is also queued for the class (`progress::live`).

use std::io::Write as _;

use crate::lesson::model::Course;
use crate::progress::live::LiveFeed;
use crate::progress::{CourseProgress, Position, StepRun, Store};
use crate::runner::{FailReason, StepOutcome, StepResult};

/// What the progress store keeps of one step run.
pub fn step_run(outcome: &StepOutcome) -> StepRun {
    match &outcome.result {
        StepResult::Passed => StepRun::passed(),
        StepResult::Skipped(_) => StepRun::skipped(),
        StepResult::Failed(reason) => {
            StepRun::failed(reason.to_string(), outcome.explanation.map(|e| e.id))
        }
    }
}

/// Whether a step's end is kept in the progress store, the one rule both front ends follow:
/// not a step the learner stopped (Ctrl-C, `c`: it neither passed nor failed), nor the end of
/// a background server that had come up and served (stopping it later is not the lesson
/// failing).
pub fn kept(outcome: &StepOutcome, ready_background: bool) -> bool {
    match &outcome.result {
        StepResult::Failed(FailReason::Cancelled) => false,
        StepResult::Failed(_) => !ready_background,
        StepResult::Passed | StepResult::Skipped(_) => true,
    }
}

fn warn(text: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "docker-guide: warning: {text}");
}

/// The progress store of this machine for one course, as a headless command uses it.
pub struct Recorder {
    store: Option<Store>,
    course_id: String,
    warned: bool,
    /// The live class's feed, when one is joined for this course.
    live: Option<LiveFeed>,
}

impl Recorder {
    pub fn open(course: &Course) -> Recorder {
        let store = match Store::open_default() {
            Ok(mut store) => {
                for warning in store.take_warnings() {
                    warn(format_args!("{warning}"));
                }
                let _ = store.set_version(&course.id, course.version.as_deref());
                Some(store)
            }
            Err(err) => {
                warn(format_args!("progress will not be saved: {err}"));
                None
            }
        };
        let live = store
            .as_ref()
            .and_then(|s| LiveFeed::open_default(course, &s.course(&course.id), None));
        Recorder {
            store,
            course_id: course.id.clone(),
            warned: false,
            live,
        }
    }

    /// Failure lines sent to a live class hide this workspace folder too (the default one,
    /// in the home directory, is hidden anyway).
    pub fn with_workspace(mut self, root: &std::path::Path) -> Recorder {
        self.set_workspace(root);
        self
    }

    pub fn set_workspace(&mut self, root: &std::path::Path) {
        if let Some(live) = self.live.as_mut() {
            live.scrub_workspace(root);
        }
    }

    /// What is stored for the course now (empty without a store).
    pub fn course(&self) -> CourseProgress {
        self.store
            .as_ref()
            .map(|s| s.course(&self.course_id))
            .unwrap_or_default()
    }

    /// Records a step's result and moves the resume position to it (nothing for a step
    /// that is not [`kept`]).
    pub fn record(
        &mut self,
        chapter_index: usize,
        chapter_slug: &str,
        step_id: &str,
        outcome: &StepOutcome,
    ) {
        if !kept(outcome, false) {
            return;
        }
        let run = step_run(outcome);
        let position = Position {
            chapter_index,
            chapter_slug: chapter_slug.to_owned(),
            step_id: Some(step_id.to_owned()),
        };
        self.update(|course| {
            course.apply(step_id, run);
            course.current = Some(position);
        });
    }

    /// Records a run of a task's check (a pass marks it solved) and moves the resume
    /// position to it.
    pub fn record_check(
        &mut self,
        chapter_index: usize,
        chapter_slug: &str,
        task_id: &str,
        outcome: &StepOutcome,
    ) {
        let position = Position {
            chapter_index,
            chapter_slug: chapter_slug.to_owned(),
            step_id: Some(task_id.to_owned()),
        };
        self.update(|course| {
            super::tasks::record_check(course, task_id, outcome);
            course.current = Some(position);
        });
    }

    /// Applies any change to the course's stored progress (one atomic write).
    pub fn update(&mut self, change: impl FnOnce(&mut CourseProgress)) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if let Err(err) = store.update(&self.course_id, change) {
            if !self.warned {
                self.warned = true;
                warn(format_args!("progress not saved: {err}"));
            }
            return;
        }
        if let Some(live) = self.live.as_mut()
            && let Err(err) = live.observe(&store.course(&self.course_id))
        {
            warn(format_args!("not sent to the class: {err}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::kept;
    use crate::runner::{FailReason, StepOutcome};

    #[test]
    fn a_stopped_step_and_a_served_background_end_are_not_kept() {
        let cancelled = StepOutcome::failed(FailReason::Cancelled, Duration::ZERO, None);
        assert!(!kept(&cancelled, false));
        let failed = StepOutcome::failed(
            FailReason::ExitCode {
                expected: 0,
                got: 1,
            },
            Duration::ZERO,
            Some(1),
        );
        assert!(kept(&failed, false));
        assert!(
            !kept(&failed, true),
            "a server that came up and was stopped later"
        );
        assert!(kept(&StepOutcome::skipped("no terminal"), false));
    }
}
