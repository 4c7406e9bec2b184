//! What `run` uses from the other modules, in one place: the course (parser), the progress
//! store (workshop) and the requirement checks (doctor).

use crate::cli::GlobalArgs;
use crate::doctor::{self, DoctorRequest, SystemProbe};
use crate::lesson::model::{Chapter, Course};
use crate::progress::{Position, StepRun, Store};
use crate::runner::{StepOutcome, StepResult};

/// The course chosen with `--lessons` (else the embedded one), from the parser's loader.
pub fn load_course(global: &GlobalArgs) -> anyhow::Result<Course> {
    crate::commands::load_course(global)
}

/// Records each step's result so the TUI shows what a headless run completed. A store that
/// cannot be opened or written only costs a warning: the run itself goes on.
pub struct Progress {
    store: Option<Store>,
    course_id: String,
    warned: bool,
}

impl Progress {
    pub fn open(course: &Course) -> Progress {
        let store = match Store::open_default() {
            Ok(mut store) => {
                for warning in store.take_warnings() {
                    warn_line!("docker-guide: warning: {warning}");
                }
                let _ = store.set_version(&course.id, course.version.as_deref());
                Some(store)
            }
            Err(err) => {
                warn_line!("docker-guide: warning: progress will not be saved: {err}");
                None
            }
        };
        Progress {
            store,
            course_id: course.id.clone(),
            warned: false,
        }
    }

    pub fn record(
        &mut self,
        chapter_index: usize,
        chapter_slug: &str,
        step_id: &str,
        outcome: &StepOutcome,
    ) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let run = match &outcome.result {
            StepResult::Passed => StepRun::passed(),
            StepResult::Skipped(_) => StepRun::skipped(),
            StepResult::Failed(reason) => {
                StepRun::failed(reason.to_string(), outcome.explanation.map(|e| e.id))
            }
        };
        let position = Position {
            chapter_index,
            chapter_slug: chapter_slug.to_owned(),
            step_id: Some(step_id.to_owned()),
        };
        // One transaction (one atomic write) for the result and the resume position.
        let result = store.update(&self.course_id, |course| {
            course.apply(step_id, run);
            course.current = Some(position);
        });
        if let Err(err) = result
            && !self.warned
        {
            self.warned = true;
            warn_line!("docker-guide: warning: progress not saved: {err}");
        }
    }
}

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
    let request = DoctorRequest {
        ids: requires.clone(),
        deep: false,
        ports: if requires.iter().any(|id| id == "ports") {
            doctor::chapter_ports(chapter)
        } else {
            Vec::new()
        },
        images: if requires.iter().any(|id| id == "images") {
            doctor::course_images(course)
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
