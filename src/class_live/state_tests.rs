use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::progress::class::summarize;
use crate::progress::export::{ExportFailure, ExportStatus, ExportStep, one_chapter_export};
use crate::progress::live::protocol::{Event, EventBody};

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

fn step(id: &str, status: ExportStatus, attempts: u32) -> ExportStep {
    ExportStep {
        id: id.into(),
        status,
        attempts,
        last_run: None,
        failing_since: (status == ExportStatus::Failed).then(|| t(0)),
        last_failure: (status == ExportStatus::Failed).then(|| ExportFailure {
            summary: "exit code 125".into(),
            explanation_id: Some("port-in-use".into()),
            at: t(0),
        }),
        task: None,
    }
}

fn join(name: &str) -> EventBody {
    let steps = vec![
        step("a", ExportStatus::NotRun, 0),
        step("b", ExportStatus::NotRun, 0),
    ];
    EventBody::Join {
        name: name.into(),
        export: Box::new(one_chapter_export(steps, t(0))),
    }
}

fn event(seq: u64, body: EventBody) -> Event {
    Event {
        seq,
        at: t(seq),
        body,
    }
}

fn step_event(seq: u64, id: &str, status: ExportStatus, attempts: u32) -> Event {
    event(
        seq,
        EventBody::Step {
            chapter: "one".into(),
            step: step(id, status, attempts),
        },
    )
}

#[test]
fn events_move_learners_and_the_stuck_come_with_their_failure() {
    let mut state = ClassState::default();
    assert_eq!(
        state.apply("x", &step_event(1, "a", ExportStatus::Passed, 1), t(1)),
        Err(ApplyError::NotJoined)
    );
    state.apply("ada", &event(1, join("Ada")), t(0)).unwrap();
    state.apply("ben", &event(1, join("Ben")), t(0)).unwrap();
    state
        .apply("ada", &step_event(2, "a", ExportStatus::Passed, 1), t(10))
        .unwrap();
    state
        .apply("ben", &step_event(2, "b", ExportStatus::Failed, 3), t(20))
        .unwrap();
    let rows = state.rows(t(80));
    let ben = rows.iter().find(|r| r.name == "Ben").unwrap();
    assert!(ben.stuck);
    assert_eq!(ben.step.as_deref(), Some("b"));
    assert_eq!(ben.attempts, 3);
    assert_eq!(ben.time_here, Duration::from_secs(60));
    assert_eq!(
        ben.last_failure
            .as_ref()
            .and_then(|(_, f)| f.explanation_id.as_deref()),
        Some("port-in-use")
    );
    let ada = rows.iter().find(|r| r.name == "Ada").unwrap();
    assert_eq!((ada.passed, ada.total, ada.stuck), (1, 2, false));

    // The class-wide tables come from `class summary`'s own code.
    let summary = summarize(state.class_inputs(t(80)), None);
    assert_eq!(summary.learners.len(), 2);
    assert_eq!(summary.stuck.len(), 1);
    assert_eq!(summary.failing_steps[0].step_id, "b");

    state
        .apply("ben", &event(3, EventBody::Leave), t(90))
        .unwrap();
    assert!(state.rows(t(90)).iter().any(|r| r.name == "Ben" && r.left));
    assert_eq!(state.events, 5);
}
