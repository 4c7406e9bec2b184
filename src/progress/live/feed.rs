//! What a learner's docker-guide sends while a class is joined: after every change of the
//! stored progress, the steps whose export record changed and the new position, computed by
//! comparing exports (so the TUI and headless `run` send the same events, and only what
//! `progress export` would hold: scrubbed failure lines, no path, no environment).

use std::time::{Duration, SystemTime};

use super::protocol::EventBody;
use super::queue::{LiveFiles, Membership, QueueError};
use super::sender::{LinkStatus, LiveSender, SharedStatus};
use crate::lesson::Course;
use crate::progress::CourseProgress;
use crate::progress::export::{DoctorSummary, Export, ExportPosition, Scrubber, build_export};

pub struct LiveFeed {
    files: LiveFiles,
    course: Course,
    scrubber: Scrubber,
    last: Export,
    sender: LiveSender,
}

/// The events that turn export `before` into `after`: each changed step, then the position.
pub fn changes(before: &Export, after: &Export) -> Vec<EventBody> {
    let mut events = Vec::new();
    let old_steps: std::collections::HashMap<&str, _> = before
        .chapters
        .iter()
        .flat_map(|c| c.steps.iter().map(|s| (s.id.as_str(), s)))
        .collect();
    let mut moved_to_step = None;
    for chapter in &after.chapters {
        for step in &chapter.steps {
            if old_steps.get(step.id.as_str()) != Some(&step) {
                events.push(EventBody::Step {
                    chapter: chapter.slug.clone(),
                    step: step.clone(),
                });
                moved_to_step = Some(ExportPosition {
                    chapter: chapter.slug.clone(),
                    step: Some(step.id.clone()),
                });
            }
        }
    }
    // A step event moves the learner to that step on the server; a position is sent only
    // when it says something else.
    if after.current != before.current
        && after.current.is_some()
        && (moved_to_step.is_none() || after.current != moved_to_step)
        && let Some(current) = &after.current
    {
        events.push(EventBody::Position {
            chapter: current.chapter.clone(),
            step: current.step.clone(),
        });
    }
    events
}

/// The full snapshot a join sends (the course's outline and everything done so far).
pub fn snapshot(
    course: &Course,
    progress: &CourseProgress,
    doctor: Option<DoctorSummary>,
    scrubber: &Scrubber,
    name: &str,
) -> Export {
    build_export(course, progress, name, doctor, SystemTime::now(), scrubber)
}

impl LiveFeed {
    /// The feed of this machine's class, when one is joined for this course (else `None`:
    /// nothing is ever sent). `progress` is what is stored now: only later changes are sent.
    pub fn open(
        files: LiveFiles,
        course: &Course,
        progress: &CourseProgress,
        scrubber: Scrubber,
    ) -> Option<LiveFeed> {
        let joined = files.membership().ok().flatten()?;
        if joined.course_id != course.id {
            return None;
        }
        let last = snapshot(course, progress, None, &scrubber, &joined.name);
        let sender = LiveSender::spawn(files.clone());
        Some(LiveFeed {
            files,
            course: course.clone(),
            scrubber,
            last,
            sender,
        })
    }

    /// The feed of the default location (beside the progress file), for this process.
    pub fn open_default(
        course: &Course,
        progress: &CourseProgress,
        workspace: Option<&std::path::Path>,
    ) -> Option<LiveFeed> {
        let files = LiveFiles::default_location().ok()?;
        LiveFeed::open(files, course, progress, Scrubber::from_env(workspace))
    }

    /// Also hides this workspace folder in what is sent (as `<workspace>`).
    pub fn scrub_workspace(&mut self, root: &std::path::Path) {
        self.scrubber = Scrubber::from_env(Some(root));
    }

    /// Queues what changed since the last call and wakes the sender.
    pub fn observe(&mut self, progress: &CourseProgress) -> Result<(), QueueError> {
        let now = snapshot(&self.course, progress, None, &self.scrubber, "");
        let events = changes(&self.last, &now);
        self.last = now;
        if events.is_empty() {
            return Ok(());
        }
        self.files.enqueue(events)?;
        self.sender.nudge();
        Ok(())
    }

    /// Queues the doctor's verdict (scrubbed).
    pub fn doctor(&mut self, mut summary: DoctorSummary) -> Result<(), QueueError> {
        for problem in &mut summary.problems {
            problem.summary = self.scrubber.scrub(&problem.summary);
        }
        self.files.enqueue(vec![EventBody::Doctor { summary }])?;
        self.sender.nudge();
        Ok(())
    }

    pub fn status(&self) -> LinkStatus {
        self.sender.status()
    }

    /// The link's status, readable from another thread.
    pub fn shared_status(&self) -> SharedStatus {
        self.sender.shared_status()
    }

    /// Delivers what is queued, waiting at most `wait`.
    pub fn finish(mut self, wait: Duration) {
        self.sender.finish(wait);
    }
}

/// Joins a class: saves the membership and queues the snapshot (the caller flushes).
pub fn join(
    files: &LiveFiles,
    membership: Membership,
    course: &Course,
    progress: &CourseProgress,
    doctor: Option<DoctorSummary>,
    scrubber: &Scrubber,
) -> Result<Membership, QueueError> {
    let joined = files.join(membership)?;
    let export = snapshot(course, progress, doctor, scrubber, &joined.name);
    files.enqueue(vec![EventBody::Join {
        name: joined.name.clone(),
        export: Box::new(export),
    }])?;
    Ok(joined)
}

/// Queues the doctor's verdict (scrubbed) for the class joined, whatever the course (the
/// doctor is about the machine), and tries to send it. `Ok(false)`: no class is joined.
pub fn send_doctor(
    files: &LiveFiles,
    mut summary: DoctorSummary,
    scrubber: &Scrubber,
) -> Result<bool, super::client::SendError> {
    if files.membership()?.is_none() {
        return Ok(false);
    }
    for problem in &mut summary.problems {
        problem.summary = scrubber.scrub(&problem.summary);
    }
    files.enqueue(vec![EventBody::Doctor { summary }])?;
    super::client::flush(files)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::progress::export::{ExportStatus, ExportStep, one_chapter_export};

    fn export(statuses: &[ExportStatus], current: Option<(&str, &str)>) -> Export {
        let steps = statuses
            .iter()
            .enumerate()
            .map(|(i, status)| ExportStep {
                id: format!("s{i}"),
                status: *status,
                attempts: u32::from(*status != ExportStatus::NotRun),
                last_run: None,
                failing_since: None,
                last_failure: None,
                task: None,
            })
            .collect();
        let mut export = one_chapter_export(steps, UNIX_EPOCH);
        export.current = current.map(|(c, s)| ExportPosition {
            chapter: c.into(),
            step: Some(s.into()),
        });
        export
    }

    #[test]
    fn only_changed_steps_are_sent_and_a_move_alone_is_a_position() {
        use ExportStatus::*;
        let before = export(&[Passed, NotRun], Some(("one", "s0")));
        assert!(changes(&before, &before).is_empty());

        // Running s1: one step event, which also says where the learner is.
        let after = export(&[Passed, Failed], Some(("one", "s1")));
        let events = changes(&before, &after);
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(matches!(&events[0], EventBody::Step { step, .. } if step.id == "s1"));

        // Moving without running: a position only.
        let moved = export(&[Passed, Failed], Some(("one", "s0")));
        let events = changes(&after, &moved);
        assert!(matches!(
            events.as_slice(),
            [EventBody::Position { step: Some(s), .. }] if s == "s0"
        ));
    }
}
