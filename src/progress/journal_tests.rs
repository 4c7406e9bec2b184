//! A large progress file (issue 12 item 9): a write appends the changed course to the
//! journal instead of rewriting the file, every store sees it, and the journal is folded
//! back into the file once it has grown.

use std::fs;
use std::time::{Duration, UNIX_EPOCH};

use super::journal::{SMALL, journal_path};
use super::*;

/// A progress file just over [`SMALL`]: `courses` courses of 40 passed steps.
fn large_file(courses: usize) -> String {
    let step = r#"{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":1}"#;
    let entries: Vec<String> = (0..courses)
        .map(|c| {
            let steps: Vec<String> = (0..40).map(|s| format!("\"s{s}\":{step}")).collect();
            format!("\"course-{c}\":{{\"steps\":{{{}}}}}", steps.join(","))
        })
        .collect();
    format!("{{\"schema\":1,\"courses\":{{{}}}}}", entries.join(","))
}

#[test]
fn a_write_to_a_large_file_appends_only_the_changed_course() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    let text = large_file(400);
    assert!(text.len() as u64 > SMALL, "{}", text.len());
    fs::write(&path, &text).unwrap();

    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let at = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    a.record(
        "course-7",
        "new-step",
        StepRun::failed("exit code 1", None).at(at),
    )
    .unwrap();
    // The file itself is untouched; the journal holds one line for one course.
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    let journal = fs::read_to_string(journal_path(&path)).unwrap();
    assert_eq!(journal.lines().count(), 1);
    assert!(journal.len() < 5_000, "{} bytes", journal.len());

    // Another store catches up from the journal before its own write; a reopen sees both.
    b.record("course-9", "s0", StepRun::failed("boom", None).at(at))
        .unwrap();
    assert!(b.course("course-7").steps.contains_key("new-step"));
    let reopened = Store::open(&path).unwrap();
    assert_eq!(
        reopened.course("course-7").status("new-step"),
        Some(StepStatus::Failed)
    );
    assert_eq!(
        reopened.course("course-9").status("s0"),
        Some(StepStatus::Failed)
    );
    assert_eq!(reopened.course("course-3").steps.len(), 40);

    // A reset of a whole course is a line too.
    a.reset("course-3", None).unwrap();
    assert!(
        Store::open(&path)
            .unwrap()
            .course("course-3")
            .steps
            .is_empty()
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn the_journal_is_folded_back_once_it_outgrows_half_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    fs::write(&path, large_file(400)).unwrap();
    let mut store = Store::open(&path).unwrap();
    let at = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let mut folded = false;
    for n in 0..400 {
        store
            .record(&format!("course-{n}"), "extra", StepRun::passed().at(at))
            .unwrap();
        if !journal_path(&path).exists() {
            folded = true;
            break;
        }
    }
    assert!(folded, "the journal was never folded in");
    let on_disk: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["schema"], 1);
    assert!(on_disk["courses"]["course-0"]["steps"]["extra"].is_object());
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.course_ids().count(), 400);
}

#[test]
fn a_line_cut_by_a_crash_is_ignored_and_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    fs::write(&path, large_file(400)).unwrap();
    let at = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    Store::open(&path)
        .unwrap()
        .record("course-1", "a", StepRun::passed().at(at))
        .unwrap();
    let mut journal = fs::read(journal_path(&path)).unwrap();
    journal.extend_from_slice(br#"{"course":"course-2","progress":{"ste"#);
    fs::write(journal_path(&path), &journal).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.course("course-1").steps.contains_key("a"));
    store
        .record("course-2", "b", StepRun::passed().at(at))
        .unwrap();
    let reopened = Store::open(&path).unwrap();
    assert!(reopened.course("course-2").steps.contains_key("b"));
    assert!(reopened.course("course-1").steps.contains_key("a"));
}
