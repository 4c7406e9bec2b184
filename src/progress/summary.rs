//! Views of a course's progress against the course model: per-chapter counts, the overall
//! percentage, the furthest chapter reached and where to resume.

use super::{CourseProgress, StepStatus};
use crate::lesson::Course;

/// Step counts of one chapter by their last status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChapterCounts {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub total: usize,
}

impl ChapterCounts {
    pub fn not_run(&self) -> usize {
        self.total - self.passed - self.failed - self.skipped
    }
}

impl CourseProgress {
    /// Counts of chapter `chapter` (0-based); an index out of range counts nothing.
    pub fn chapter_counts(&self, course: &Course, chapter: usize) -> ChapterCounts {
        let mut counts = ChapterCounts::default();
        let Some(chapter) = course.chapters.get(chapter) else {
            return counts;
        };
        for step in &chapter.steps {
            counts.total += 1;
            match self.status(&step.id) {
                Some(StepStatus::Passed) => counts.passed += 1,
                Some(StepStatus::Failed) => counts.failed += 1,
                Some(StepStatus::Skipped) => counts.skipped += 1,
                None => {}
            }
        }
        counts
    }

    /// `(done, total)` of a chapter, where done means passed.
    pub fn chapter_summary(&self, course: &Course, chapter: usize) -> (usize, usize) {
        let counts = self.chapter_counts(course, chapter);
        (counts.passed, counts.total)
    }

    /// Passed steps of the whole course, in percent (rounded down; 100 only when all passed).
    pub fn percent(&self, course: &Course) -> u8 {
        let (done, total) = (0..course.chapters.len())
            .map(|i| self.chapter_summary(course, i))
            .fold((0, 0), |(d, t), (cd, ct)| (d + cd, t + ct));
        (done * 100).checked_div(total).map_or(0, |p| p as u8)
    }

    /// The last chapter (0-based) with any recorded step.
    pub fn furthest_chapter(&self, course: &Course) -> Option<usize> {
        course
            .chapters
            .iter()
            .rposition(|ch| ch.steps.iter().any(|s| self.steps.contains_key(&s.id)))
    }

    /// The first step not passed yet at or after `(chapter, step)`, in course order.
    fn next_not_passed(
        &self,
        course: &Course,
        chapter: usize,
        step: usize,
    ) -> Option<(usize, Option<usize>)> {
        course
            .chapters
            .iter()
            .enumerate()
            .skip(chapter)
            .flat_map(|(ci, ch)| {
                let from = if ci == chapter { step } else { 0 };
                ch.steps
                    .iter()
                    .enumerate()
                    .skip(from)
                    .map(move |(si, s)| (ci, si, s))
            })
            .find(|(_, _, s)| self.status(&s.id) != Some(StepStatus::Passed))
            .map(|(ci, si, _)| (ci, Some(si)))
    }

    /// Where to reopen the course: `(chapter, step)` 0-based. The saved position wins (found by
    /// slug, then by index), moved on to the next step not passed when its step has passed;
    /// without one, the first step not passed yet. `None`: nothing recorded.
    pub fn resume_point(&self, course: &Course) -> Option<(usize, Option<usize>)> {
        if let Some(pos) = &self.current {
            let chapter = course
                .chapters
                .iter()
                .position(|ch| ch.slug == pos.chapter_slug)
                .or_else(|| {
                    (pos.chapter_index < course.chapters.len()).then_some(pos.chapter_index)
                });
            if let Some(chapter) = chapter {
                let step = pos.step_id.as_deref().and_then(|id| {
                    course.chapters[chapter]
                        .steps
                        .iter()
                        .position(|s| s.id == id)
                });
                if let Some(step) = step
                    && self.status(&course.chapters[chapter].steps[step].id)
                        == Some(StepStatus::Passed)
                {
                    // Nothing left to do after it: the next chapter (e.g. the conclusion).
                    let next = self.next_not_passed(course, chapter, step + 1).or_else(|| {
                        (chapter + 1 < course.chapters.len()).then_some((chapter + 1, None))
                    });
                    return Some(next.unwrap_or((chapter, Some(step))));
                }
                return Some((chapter, step));
            }
        }
        if self.steps.is_empty() {
            return None;
        }
        for (ci, chapter) in course.chapters.iter().enumerate() {
            if let Some(si) = chapter
                .steps
                .iter()
                .position(|s| self.status(&s.id) != Some(StepStatus::Passed))
            {
                return Some((ci, Some(si)));
            }
        }
        course
            .chapters
            .len()
            .checked_sub(1)
            .map(|last| (last, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::test_support::fake_course;
    use crate::progress::{Position, StepRun};

    #[test]
    fn counts_percent_and_furthest_chapter() {
        let course = fake_course(&[("intro", 2), ("build", 2)]);
        let mut p = CourseProgress::default();
        assert_eq!(p.percent(&course), 0);
        assert_eq!(p.resume_point(&course), None);
        p.apply("intro-1", StepRun::passed());
        p.apply("intro-2", StepRun::failed("exit 1", None));
        p.apply("build-1", StepRun::skipped());
        p.apply("gone-step", StepRun::passed()); // not in the course any more: ignored
        assert_eq!(p.chapter_summary(&course, 0), (1, 2));
        assert_eq!(
            p.chapter_counts(&course, 1),
            ChapterCounts {
                passed: 0,
                failed: 0,
                skipped: 1,
                total: 2
            }
        );
        assert_eq!(p.chapter_counts(&course, 1).not_run(), 1);
        assert_eq!(p.percent(&course), 25);
        assert_eq!(p.furthest_chapter(&course), Some(1));
        assert_eq!(p.resume_point(&course), Some((0, Some(1))));
    }

    #[test]
    fn resume_prefers_the_saved_position_by_slug() {
        let course = fake_course(&[("intro", 2), ("build", 3)]);
        let mut p = CourseProgress {
            current: Some(Position {
                chapter_index: 0,
                chapter_slug: "build".into(),
                step_id: Some("build-3".into()),
            }),
            ..Default::default()
        };
        assert_eq!(p.resume_point(&course), Some((1, Some(2))));
        p.current = Some(Position {
            chapter_index: 1,
            chapter_slug: "renamed".into(),
            step_id: None,
        });
        assert_eq!(p.resume_point(&course), Some((1, None)));
        for id in ["intro-1", "intro-2", "build-1", "build-2", "build-3"] {
            p.apply(id, StepRun::passed());
        }
        p.current = None;
        assert_eq!(p.percent(&course), 100);
        assert_eq!(p.resume_point(&course), Some((1, None)));
    }

    #[test]
    fn a_saved_step_that_passed_resumes_at_the_next_one_to_do() {
        let course = fake_course(&[("intro", 2), ("build", 3)]);
        let mut p = CourseProgress {
            current: Some(Position {
                chapter_index: 0,
                chapter_slug: "intro".into(),
                step_id: Some("intro-2".into()),
            }),
            ..Default::default()
        };
        p.apply("intro-2", StepRun::failed("exit 1", None));
        assert_eq!(
            p.resume_point(&course),
            Some((0, Some(1))),
            "a failed step stays"
        );
        p.apply("intro-2", StepRun::passed());
        p.apply("build-1", StepRun::passed());
        assert_eq!(
            p.resume_point(&course),
            Some((1, Some(1))),
            "next chapter, next step"
        );
        for id in ["intro-1", "build-2", "build-3"] {
            p.apply(id, StepRun::passed());
        }
        assert_eq!(
            p.resume_point(&course),
            Some((1, None)),
            "nothing left after it: the next chapter"
        );
        p.current.as_mut().expect("saved").chapter_slug = "build".into();
        p.current.as_mut().expect("saved").step_id = Some("build-3".into());
        assert_eq!(
            p.resume_point(&course),
            Some((1, Some(2))),
            "all done in the last chapter: where the learner was"
        );
    }
}
