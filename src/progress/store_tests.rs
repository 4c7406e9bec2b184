//! Tests of the store against a real file: atomic writes, corrupt files, several courses,
//! concurrent writers (threads and processes).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use super::*;

fn temp_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/docker-guide/progress.json");
    (dir, path)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn open_without_a_file_is_empty_and_creates_nothing() {
    let (dir, path) = temp_store();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.course("c"), CourseProgress::default());
    assert!(store.take_warnings().is_empty());
    assert!(!dir.path().join("state").exists());
}

#[test]
fn two_courses_side_by_side_survive_a_reopen() {
    let (_dir, path) = temp_store();
    let mut store = Store::open(&path).unwrap();
    let at = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    store
        .record("course-a", "intro-1", StepRun::passed().at(at))
        .unwrap();
    store
        .record(
            "course-b",
            "intro-1",
            StepRun::failed("exit code 1 (expected 0)", Some("daemon-down")).at(at),
        )
        .unwrap();
    store.set_version("course-a", Some("2")).unwrap();
    let position = Position {
        chapter_index: 1,
        chapter_slug: "build".into(),
        step_id: Some("build-2".into()),
    };
    store.set_current("course-b", position.clone()).unwrap();

    let reopened = Store::open(&path).unwrap();
    let a = reopened.course("course-a");
    assert_eq!(a.status("intro-1"), Some(StepStatus::Passed));
    assert_eq!(a.version.as_deref(), Some("2"));
    let b = reopened.course("course-b");
    let record = b.step("intro-1").unwrap();
    assert_eq!(
        (record.status, record.attempts, record.last_run),
        (StepStatus::Failed, 1, at)
    );
    assert_eq!(
        record
            .last_failure
            .as_ref()
            .unwrap()
            .explanation_id
            .as_deref(),
        Some("daemon-down")
    );
    assert_eq!(b.current, Some(position));
    let mut ids: Vec<_> = reopened.course_ids().collect();
    ids.sort();
    assert_eq!(ids, ["course-a", "course-b"]);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"last_run\": \"2026-09-21T"), "{text}");
}

#[test]
fn writes_are_atomic_and_leave_only_the_file_and_its_lock() {
    let (_dir, path) = temp_store();
    let mut store = Store::open(&path).unwrap();
    for i in 0..20 {
        store
            .record("c", &format!("s{i}"), StepRun::passed())
            .unwrap();
    }
    assert_eq!(
        files_in(path.parent().unwrap()),
        ["progress.json", "progress.json.lock"]
    );
    let value: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(value["schema"], 1);
    assert_eq!(
        value["courses"]["c"]["steps"].as_object().unwrap().len(),
        20
    );
}

#[test]
fn a_corrupt_file_is_moved_aside_with_a_warning() {
    let (_dir, path) = temp_store();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, b"{\"courses\": {\"c\": {\"steps\": ").unwrap();
    let mut store = Store::open(&path).unwrap();
    let warnings = store.take_warnings();
    let [ProgressWarning::CorruptFile { moved_to, .. }] = &warnings[..] else {
        panic!("{warnings:?}")
    };
    assert_eq!(
        fs::read(moved_to).unwrap(),
        b"{\"courses\": {\"c\": {\"steps\": "
    );
    assert!(
        moved_to
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("progress.json.corrupt-")
    );
    assert!(warnings[0].to_string().contains("moved to"));
    store.record("c", "s1", StepRun::passed()).unwrap();
    assert_eq!(
        Store::open(&path).unwrap().course("c").status("s1"),
        Some(StepStatus::Passed)
    );
}

#[test]
fn a_malformed_course_keeps_the_others_and_is_backed_up_before_being_replaced() {
    let (_dir, path) = temp_store();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = r#"{"schema":1,"courses":{
        "good":{"steps":{"a":{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":3}}},
        "bad":{"steps":"not a map"}}}"#;
    fs::write(&path, text).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(
        matches!(&store.take_warnings()[..], [ProgressWarning::MalformedCourse { course_id, .. }] if course_id == "bad")
    );
    assert_eq!(store.course("good").step("a").unwrap().attempts, 3);

    // Writing another course keeps the malformed entry as it was.
    store.record("good", "b", StepRun::passed()).unwrap();
    let on_disk: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["courses"]["bad"]["steps"], "not a map");

    // Writing the malformed course replaces it, after copying the old file aside.
    store.take_warnings();
    store.record("bad", "x", StepRun::passed()).unwrap();
    let warnings = store.take_warnings();
    let [ProgressWarning::ReplacedMalformedCourse { backup, .. }] = &warnings[..] else {
        panic!("{warnings:?}")
    };
    assert!(fs::read_to_string(backup).unwrap().contains("not a map"));
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.course("bad").status("x"), Some(StepStatus::Passed));
    assert_eq!(reopened.course("good").step("a").unwrap().attempts, 3);
}

#[test]
fn reset_clears_steps_or_the_whole_course() {
    let (_dir, path) = temp_store();
    let mut store = Store::open(&path).unwrap();
    for id in ["a-1", "a-2", "b-1"] {
        store.record("c", id, StepRun::passed()).unwrap();
    }
    store.record("other", "a-1", StepRun::passed()).unwrap();
    let position = Position {
        chapter_index: 0,
        chapter_slug: "a".into(),
        step_id: Some("a-2".into()),
    };
    store.set_current("c", position).unwrap();
    store
        .reset("c", Some(&["a-1".to_string(), "a-2".to_string()]))
        .unwrap();
    let c = Store::open(&path).unwrap().course("c");
    assert_eq!(c.steps.keys().collect::<Vec<_>>(), ["b-1"]);
    assert_eq!(c.current, None);
    store.reset("c", None).unwrap();
    let reopened = Store::open(&path).unwrap();
    assert!(reopened.course("c").steps.is_empty());
    assert_eq!(
        reopened.course("other").status("a-1"),
        Some(StepStatus::Passed)
    );
}

#[test]
fn a_stale_store_does_not_clobber_what_another_store_wrote() {
    let (_dir, path) = temp_store();
    let mut tui = Store::open(&path).unwrap();
    let mut headless = Store::open(&path).unwrap();
    headless
        .record("c", "from-headless", StepRun::passed())
        .unwrap();
    tui.record("c", "from-tui", StepRun::passed()).unwrap();
    let c = Store::open(&path).unwrap().course("c");
    assert!(c.step("from-headless").is_some() && c.step("from-tui").is_some());
    assert!(
        tui.course("c").step("from-headless").is_some(),
        "a write refreshes the snapshot"
    );
}

#[test]
fn concurrent_writers_in_threads_keep_every_record() {
    let (_dir, path) = temp_store();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for i in 0..25 {
                    store
                        .record("c", &format!("t{t}-{i}"), StepRun::passed())
                        .unwrap();
                    store.record("c", "shared", StepRun::passed()).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let c = Store::open(&path).unwrap().course("c");
    assert_eq!(c.steps.len(), 101);
    assert_eq!(c.step("shared").unwrap().attempts, 100);
}

/// Not a test on its own: the body of each child process of the next test, which runs it
/// with `--ignored` (ignored otherwise, so it never passes having done nothing).
#[test]
#[ignore = "the body of concurrent_writers_in_processes_keep_every_record's child processes"]
fn concurrent_writer_child() {
    let path = std::env::var("DG_PROGRESS_CHILD_PATH").expect("run by the parent test");
    let tag = std::env::var("DG_PROGRESS_CHILD_TAG").expect("run by the parent test");
    let mut store = Store::open(Path::new(&path)).unwrap();
    for i in 0..30 {
        store
            .record("c", &format!("{tag}-{i}"), StepRun::passed())
            .unwrap();
        store.record("c", "shared", StepRun::passed()).unwrap();
    }
}

#[test]
fn concurrent_writers_in_processes_keep_every_record() {
    let (_dir, path) = temp_store();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["p1", "p2", "p3"]
        .iter()
        .map(|tag| {
            std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "progress::store_tests::concurrent_writer_child",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env("DG_PROGRESS_CHILD_PATH", &path)
                .env("DG_PROGRESS_CHILD_TAG", tag)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let c = Store::open(&path).unwrap().course("c");
    assert_eq!(
        c.steps.len(),
        91,
        "{:?}",
        c.steps.keys().collect::<Vec<_>>()
    );
    assert_eq!(c.step("shared").unwrap().attempts, 90);
}

#[test]
fn the_readable_steps_of_a_malformed_course_are_shown_and_kept() {
    let (_dir, path) = temp_store();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = r#"{"schema":1,"courses":{"c":{"version":"2","steps":{
        "ok":{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":2},
        "broken":{"status":"passed","last_run":"yesterday"}}}}}"#;
    fs::write(&path, text).unwrap();
    let mut store = Store::open(&path).unwrap();
    let warnings = store.take_warnings();
    assert!(
        matches!(
            &warnings[..],
            [ProgressWarning::MalformedCourse { recovered: 1, .. }]
        ),
        "{warnings:?}"
    );
    let course = store.course("c");
    assert_eq!(course.step("ok").unwrap().attempts, 2);
    assert_eq!(course.version.as_deref(), Some("2"));
    assert_eq!(store.course_ids().collect::<Vec<_>>(), ["c"]);

    // Until the course is written, the file keeps the broken step as it was.
    store.record("other", "x", StepRun::passed()).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("yesterday"));
    // Recording in it keeps the salvaged steps, drops the broken one, and backs up the file.
    store.record("c", "new", StepRun::passed()).unwrap();
    let reopened = Store::open(&path).unwrap().course("c");
    assert_eq!(reopened.step("ok").unwrap().attempts, 2);
    assert!(reopened.step("new").is_some() && reopened.step("broken").is_none());
    assert!(
        store
            .take_warnings()
            .iter()
            .any(|w| matches!(w, ProgressWarning::ReplacedMalformedCourse { .. }))
    );
}

#[test]
fn a_state_folder_we_may_not_write_gets_the_fix_in_the_message() {
    let denied = crate::progress::ProgressError::Lock {
        path: "/state/docker-guide/progress.json.lock".into(),
        source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    };
    let text = denied.to_string();
    assert!(
        text.contains("/state/docker-guide/progress.json.lock"),
        "{text}"
    );
    assert!(text.contains("XDG_STATE_HOME"), "{text}");
    let other = crate::progress::ProgressError::Write {
        path: "/state/p.json".into(),
        source: std::io::Error::other("disk on fire"),
    };
    assert!(!other.to_string().contains("XDG_STATE_HOME"));
}

#[test]
fn reset_of_a_task_forgets_that_it_was_solved() {
    let (_dir, path) = temp_store();
    let mut store = Store::open(&path).unwrap();
    store
        .update("c", |c| {
            c.apply_check("t", StepRun::passed());
            c.task_mut("t").hints_revealed = 1;
        })
        .unwrap();
    assert!(Store::open(&path).unwrap().course("c").task_solved("t"));
    store.reset("c", Some(&["t".to_string()])).unwrap();
    let c = Store::open(&path).unwrap().course("c");
    assert!(!c.task_solved("t"));
    assert!(c.tasks.is_empty());
}
