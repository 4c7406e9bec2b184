//! The rows of each table of the class summary, computed from the counted exports.

use std::collections::HashMap;

use super::{DoctorRow, Entry, LearnerRow, StepFailureRow, StuckRow};
use crate::progress::export::ExportStatus;

pub(super) fn learner_row(entry: &Entry) -> LearnerRow {
    let e = entry.export;
    let steps = || e.chapters.iter().flat_map(|c| c.steps.iter());
    let total = steps().count();
    let passed = steps().filter(|s| s.status == ExportStatus::Passed).count();
    let furthest = e
        .chapters
        .iter()
        .rev()
        .find(|c| c.steps.iter().any(|s| s.status != ExportStatus::NotRun));
    LearnerRow {
        learner: entry.label.clone(),
        source: entry.source.to_owned(),
        chapter: furthest.map(|c| c.number),
        chapter_slug: furthest.map(|c| c.slug.clone()),
        passed,
        total,
        percent: (passed * 100).checked_div(total).map_or(0, |p| p as u8),
        failing: steps().filter(|s| s.status == ExportStatus::Failed).count(),
        exported_at: e.exported_at,
    }
}

pub(super) fn stuck_rows(entries: &[Entry]) -> Vec<StuckRow> {
    let mut rows = Vec::new();
    for Entry {
        label, export: e, ..
    } in entries
    {
        let oldest = e
            .chapters
            .iter()
            .flat_map(|c| c.steps.iter().map(move |s| (c.number, s)))
            .filter(|(_, s)| s.status == ExportStatus::Failed)
            .filter_map(|(n, s)| s.failing_since.or(s.last_run).map(|since| (since, n, s)))
            .min_by_key(|(since, _, _)| *since);
        if let Some((since, chapter, step)) = oldest {
            rows.push(StuckRow {
                learner: label.clone(),
                chapter,
                step_id: step.id.clone(),
                since,
                stuck_secs: e
                    .exported_at
                    .duration_since(since)
                    .map_or(0, |d| d.as_secs()),
                attempts: step.attempts,
                summary: step.last_failure.as_ref().map(|f| f.summary.clone()),
                explanation_id: step
                    .last_failure
                    .as_ref()
                    .and_then(|f| f.explanation_id.clone()),
            });
        }
    }
    rows
}

pub(super) fn failing_steps(entries: &[Entry]) -> Vec<StepFailureRow> {
    struct Tally<'a> {
        order: (usize, usize),
        chapter: usize,
        failed: usize,
        now: usize,
        causes: HashMap<&'a str, usize>,
    }
    let mut tallies: HashMap<&str, Tally> = HashMap::new();
    for Entry { export: e, .. } in entries {
        for (ci, chapter) in e.chapters.iter().enumerate() {
            for (si, step) in chapter.steps.iter().enumerate() {
                let now = step.status == ExportStatus::Failed;
                if step.last_failure.is_none() && !now {
                    continue;
                }
                let tally = tallies.entry(&step.id).or_insert_with(|| Tally {
                    order: (ci, si),
                    chapter: chapter.number,
                    failed: 0,
                    now: 0,
                    causes: HashMap::new(),
                });
                tally.failed += 1;
                tally.now += usize::from(now);
                if let Some(f) = &step.last_failure {
                    let cause = f.explanation_id.as_deref().unwrap_or(&f.summary);
                    *tally.causes.entry(cause).or_default() += 1;
                }
            }
        }
    }
    let mut rows: Vec<(Tally, &str)> = tallies.into_iter().map(|(id, t)| (t, id)).collect();
    rows.sort_by(|(a, _), (b, _)| {
        b.failed
            .cmp(&a.failed)
            .then(b.now.cmp(&a.now))
            .then(a.order.cmp(&b.order))
    });
    rows.into_iter()
        .map(|(t, id)| {
            let common = t
                .causes
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
            StepFailureRow {
                step_id: id.to_owned(),
                chapter: t.chapter,
                learners_failed: t.failed,
                learners_failing_now: t.now,
                common_failure: common.map(|(c, _)| c.to_string()),
                common_failure_count: common.map_or(0, |(_, n)| *n),
            }
        })
        .collect()
}

pub(super) fn doctor_rows(entries: &[Entry]) -> Vec<DoctorRow> {
    entries
        .iter()
        .filter_map(
            |Entry {
                 label, export: e, ..
             }| {
                let doctor = e.doctor.as_ref()?;
                let ids = |status: &str| {
                    doctor
                        .problems
                        .iter()
                        .filter(|p| p.status == status)
                        .map(|p| p.id.clone())
                        .collect::<Vec<_>>()
                };
                let (failing, warnings) = (ids("fail"), ids("warn"));
                (!failing.is_empty() || !warnings.is_empty() || doctor.failed > 0).then(|| {
                    DoctorRow {
                        learner: label.clone(),
                        failing,
                        warnings,
                    }
                })
            },
        )
        .collect()
}
