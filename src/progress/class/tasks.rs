//! The class's tasks: per task, how many learners reached it, solved it, are stuck on it
//! (tried, not solved), and needed the solution; the hints they used.

use std::collections::BTreeMap;

use super::Entry;
use crate::progress::export::ExportStatus;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TaskRow {
    pub task_id: String,
    pub chapter: usize,
    /// Learners who ran the task's check at least once.
    pub tried: usize,
    pub solved: usize,
    /// Tried and not solved: where the class is stuck.
    pub stuck: usize,
    /// Viewed or applied the solution.
    pub needed_solution: usize,
    /// Hints revealed, summed over learners.
    pub hints_revealed: u32,
}

/// One row per task of the course, the tasks most learners are stuck on first.
pub(super) fn task_rows(entries: &[Entry]) -> Vec<TaskRow> {
    let mut rows: BTreeMap<(usize, usize, String), TaskRow> = BTreeMap::new();
    for entry in entries {
        for chapter in &entry.export.chapters {
            for (i, step) in chapter.steps.iter().enumerate() {
                let Some(task) = &step.task else { continue };
                let row = rows
                    .entry((chapter.number, i, step.id.clone()))
                    .or_insert_with(|| TaskRow {
                        task_id: step.id.clone(),
                        chapter: chapter.number,
                        ..TaskRow::default()
                    });
                let tried = step.status != ExportStatus::NotRun || task.solved;
                row.tried += usize::from(tried);
                row.solved += usize::from(task.solved);
                row.stuck += usize::from(tried && !task.solved);
                row.needed_solution += usize::from(task.needed_solution());
                row.hints_revealed += task.hints_revealed;
            }
        }
    }
    let mut rows: Vec<TaskRow> = rows.into_values().collect();
    // Stable: equal counts keep course order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.stuck));
    rows
}
