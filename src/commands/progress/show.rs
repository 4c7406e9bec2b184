//! The progress report: per chapter done/total and each step's status and last run, the
//! overall percentage, and where the course resumes. Pure functions of course + progress.

use std::fmt::Write;
use std::time::SystemTime;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::lesson::Course;
use crate::progress::export::{ExportChapter, ExportStatus, Scrubber, build_export};
use crate::progress::table::short_duration;
use crate::progress::{ChapterCounts, CourseProgress};

/// The tasks of the course as the export sees them.
fn chapters_tasks(
    course: &Course,
    progress: &CourseProgress,
) -> Vec<crate::progress::export::ExportTask> {
    build_export(
        course,
        progress,
        "",
        None,
        SystemTime::UNIX_EPOCH,
        &Scrubber::default(),
    )
    .chapters
    .into_iter()
    .flat_map(|c| c.steps)
    .filter_map(|s| s.task)
    .collect()
}

/// `launcher`: how the learner starts docker-guide on this course (`commands::launcher`).
pub fn render_text(
    course: &Course,
    progress: &CourseProgress,
    now: SystemTime,
    launcher: &str,
) -> String {
    let mut out = String::new();
    let version = course
        .version
        .as_deref()
        .map(|v| format!(", version {v}"))
        .unwrap_or_default();
    let _ = writeln!(out, "{} ({}{version})", course.title, course.id);
    let (done, total) = totals(course, progress);
    let _ = writeln!(
        out,
        "{done}/{total} steps passed ({}%)",
        progress.percent(course)
    );
    let tasks: Vec<_> = chapters_tasks(course, progress);
    if !tasks.is_empty() {
        let solved = tasks.iter().filter(|t| t.solved).count();
        let needed = tasks.iter().filter(|t| t.needed_solution()).count();
        let _ = writeln!(
            out,
            "{solved}/{} tasks solved{}",
            tasks.len(),
            if needed > 0 {
                format!(" ({needed} with the solution)")
            } else {
                String::new()
            }
        );
    }
    if let (Some(stored), Some(current)) = (&progress.version, &course.version)
        && stored != current
    {
        let _ = writeln!(
            out,
            "note: progress was recorded with version {stored} of the course; steps that changed may differ"
        );
    }
    let chapters = build_export(course, progress, "", None, now, &Scrubber::default()).chapters;
    let number_width = chapters.len().to_string().len();
    let title_width = chapters.iter().map(|c| c.title.width()).max().unwrap_or(0);
    let mut previous_started = false;
    for (i, chapter) in chapters.iter().enumerate() {
        let counts = progress.chapter_counts(course, i);
        let started = counts.passed + counts.failed + counts.skipped > 0;
        // A started chapter's step list is set apart by blank lines; the others stay compact.
        if i == 0 || started || previous_started {
            out.push('\n');
        }
        previous_started = started;
        let _ = writeln!(
            out,
            "{:>number_width$}  {}{}  {}/{}{}",
            chapter.number,
            chapter.title,
            " ".repeat(title_width - chapter.title.width()),
            counts.passed,
            counts.total,
            chapter_note(&counts)
        );
        if !started {
            continue; // not started: one line is enough
        }
        let id_width = chapter
            .steps
            .iter()
            .map(|s| s.id.chars().count())
            .max()
            .unwrap_or(0);
        for step in &chapter.steps {
            let (mark, status) = match step.status {
                ExportStatus::Passed => ("✓", "passed"),
                ExportStatus::Failed => ("✗", "failed"),
                ExportStatus::Skipped => ("-", "skipped"),
                ExportStatus::NotRun => ("·", "not run"),
            };
            let (mark, status) = match &step.task {
                Some(task) if task.solved => ("✓", "solved"),
                Some(_) if step.status == ExportStatus::NotRun => (mark, "task"),
                Some(_) => ("○", "open"),
                None => (mark, status),
            };
            let mut line = format!(
                "{:number_width$}  {mark} {:<id_width$}  {status:<7}",
                "", step.id
            );
            if let Some(at) = step.last_run {
                let ago = now.duration_since(at).map_or(0, |d| d.as_secs());
                let attempts = if step.attempts == 1 {
                    "1 run".to_owned()
                } else {
                    format!("{} runs", step.attempts)
                };
                let _ = write!(line, "  {} ago, {attempts}", short_duration(ago));
            }
            if let Some(task) = &step.task {
                let mut notes = Vec::new();
                if task.hints_revealed > 0 {
                    notes.push(format!(
                        "hints {}/{}",
                        task.hints_revealed, task.hints_total
                    ));
                }
                if task.solution_applied {
                    notes.push("solution applied".to_owned());
                } else if task.solution_viewed {
                    notes.push("solution viewed".to_owned());
                }
                if !notes.is_empty() {
                    let _ = write!(line, " ({})", notes.join(", "));
                }
            }
            if let (ExportStatus::Failed, Some(failure), None) =
                (step.status, &step.last_failure, &step.task)
            {
                let why = failure
                    .explanation_id
                    .as_deref()
                    .map(|id| format!(" [{id}]"))
                    .unwrap_or_default();
                let _ = write!(line, ": {}{why}", failure.summary);
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    match progress.resume_point(course) {
        Some((ci, si)) => {
            let chapter = &course.chapters[ci];
            let step = si
                .map(|si| format!(", step {}", chapter.steps[si].id))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "\nResume: chapter {} \"{}\"{step} (run `{launcher}` to continue)",
                ci + 1,
                chapter.title
            );
        }
        None => {
            let _ = writeln!(out, "\nNot started yet: run `{launcher}` to begin.");
        }
    }
    out
}

fn chapter_note(counts: &ChapterCounts) -> String {
    let mut parts = Vec::new();
    if counts.failed > 0 {
        parts.push(format!("{} failed", counts.failed));
    }
    if counts.skipped > 0 {
        parts.push(format!("{} skipped", counts.skipped));
    }
    if counts.total > 0 && counts.passed == counts.total {
        parts.push("done".to_owned());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  ({})", parts.join(", "))
    }
}

fn totals(course: &Course, progress: &CourseProgress) -> (usize, usize) {
    (0..course.chapters.len())
        .map(|i| progress.chapter_summary(course, i))
        .fold((0, 0), |(d, t), (cd, ct)| (d + cd, t + ct))
}

#[derive(Debug, Serialize)]
pub struct ProgressJson {
    pub schema: &'static str,
    pub course: JsonCourse,
    pub passed: usize,
    pub total: usize,
    pub percent: u8,
    /// The course version the progress was recorded with.
    pub recorded_version: Option<String>,
    pub resume: Option<JsonResume>,
    /// The course's tasks: how many, solved, solved with the solution's help.
    pub tasks: JsonTasks,
    pub chapters: Vec<ExportChapter>,
}

#[derive(Debug, Serialize)]
pub struct JsonTasks {
    pub total: usize,
    pub solved: usize,
    pub with_solution: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonCourse {
    pub id: String,
    pub version: Option<String>,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct JsonResume {
    /// 1-based.
    pub chapter: usize,
    pub chapter_slug: String,
    pub step: Option<String>,
}

pub fn render_json(course: &Course, progress: &CourseProgress, now: SystemTime) -> ProgressJson {
    let (passed, total) = totals(course, progress);
    ProgressJson {
        schema: "docker-guide.progress/v1",
        course: JsonCourse {
            id: course.id.clone(),
            version: course.version.clone(),
            title: course.title.clone(),
        },
        passed,
        total,
        percent: progress.percent(course),
        recorded_version: progress.version.clone(),
        resume: progress.resume_point(course).map(|(ci, si)| JsonResume {
            chapter: ci + 1,
            chapter_slug: course.chapters[ci].slug.clone(),
            step: si.map(|si| course.chapters[ci].steps[si].id.clone()),
        }),
        tasks: {
            let tasks = chapters_tasks(course, progress);
            JsonTasks {
                total: tasks.len(),
                solved: tasks.iter().filter(|t| t.solved).count(),
                with_solution: tasks.iter().filter(|t| t.needed_solution()).count(),
            }
        },
        chapters: build_export(course, progress, "", None, now, &Scrubber::default()).chapters,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::progress::StepRun;
    use crate::progress::test_support::fake_course;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_790_000_000 + secs)
    }

    fn sample() -> (Course, CourseProgress) {
        let course = fake_course(&[("intro", 2), ("build", 3), ("deploy", 1)]);
        let mut p = CourseProgress::default();
        p.apply("intro-1", StepRun::passed().at(t(0)));
        p.apply("intro-2", StepRun::passed().at(t(60)));
        p.apply(
            "build-1",
            StepRun::failed("exit code 1 (expected 0)", Some("port-in-use")).at(t(100)),
        );
        p.apply(
            "build-1",
            StepRun::failed("exit code 1 (expected 0)", Some("port-in-use")).at(t(200)),
        );
        p.apply("build-2", StepRun::skipped().at(t(210)));
        (course, p)
    }

    #[test]
    fn text_report_shows_chapters_steps_and_resume_point() {
        let (course, p) = sample();
        insta::assert_snapshot!(render_text(&course, &p, t(3800), "docker-guide"));
    }

    #[test]
    fn json_report_has_counts_and_resume() {
        let (course, p) = sample();
        let json = serde_json::to_value(render_json(&course, &p, t(3800))).unwrap();
        assert_eq!(
            (
                json["passed"].as_u64(),
                json["total"].as_u64(),
                json["percent"].as_u64()
            ),
            (Some(2), Some(6), Some(33))
        );
        assert_eq!(json["resume"]["chapter_slug"], "build");
        assert_eq!(json["resume"]["step"], "build-1");
        assert_eq!(json["chapters"][1]["steps"][0]["status"], "failed");
        assert_eq!(json["chapters"][1]["steps"][0]["attempts"], 2);
        assert_eq!(json["chapters"][2]["steps"][0]["status"], "not_run");
    }

    #[test]
    fn an_untouched_course_says_how_to_begin() {
        let course = fake_course(&[("intro", 2)]);
        let text = render_text(&course, &CourseProgress::default(), t(0), "docker-guide");
        assert!(
            text.contains("0/2 steps passed (0%)") && text.contains("Not started yet"),
            "{text}"
        );
    }
}
