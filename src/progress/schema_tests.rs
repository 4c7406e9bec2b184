//! A progress file written by a newer docker-guide (a higher `schema`) is read but never
//! rewritten as this version's schema (issue 12 item 10: it was, dropping the newer fields).

use std::time::{Duration, UNIX_EPOCH};

use super::*;

const NEWER: &str = r#"{"schema":2,"devices":{"laptop":"kept"},"courses":{"c":{"steps":{"s1":{"status":"passed","attempts":1,"last_run":"2026-01-01T00:00:00Z","new_field":true}}}}}"#;

#[test]
fn a_newer_schema_is_read_but_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    std::fs::write(&path, NEWER).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.course("c").steps.contains_key("s1"), "still readable");
    let at = UNIX_EPOCH + Duration::from_secs(1_790_000_100);
    let err = store
        .record("c", "s2", StepRun::passed().at(at))
        .unwrap_err();
    assert!(
        matches!(err, ProgressError::NewerSchema { schema: 2, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("written by a newer docker-guide (schema 2; this one writes 1)"),
        "{message}"
    );
    for write in [
        store.set_current(
            "c",
            Position {
                chapter_index: 0,
                chapter_slug: "a".into(),
                step_id: None,
            },
        ),
        store.reset("c", None),
    ] {
        assert!(matches!(write, Err(ProgressError::NewerSchema { .. })));
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), NEWER);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".lock"))
        .collect();
    assert_eq!(names, ["progress.json"], "no temp or aside file left");
}
