//! Processes that outlive their step (issue 12 items 3, 5 and 6): `cmd &`, `setsid cmd &`,
//! and writes to `/dev/tty`. Real processes; every test checks that nothing is left behind.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::escaped::{RUN_ENV, marked};
use crate::runner::{FailReason, RunEvent, StepOutcome, StepResult, StepSpec, Transcript, start};

/// Runs `script` (with `timeout`), cancelling it after `cancel_after` if given; returns the
/// output, the outcome and how long until `Finished`.
fn run(
    script: &str,
    timeout: Duration,
    cancel_after: Option<Duration>,
) -> (String, StepOutcome, Duration) {
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let spec = StepSpec::new(script, std::env::temp_dir(), timeout);
    let handle = start(spec, move |event| {
        let _ = tx.send(event);
    })
    .unwrap();
    let mut transcript = Transcript::new(1000);
    let mut cancelled = false;
    let outcome = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(RunEvent::Output(bytes)) => transcript.push(&bytes),
            Ok(RunEvent::Finished(outcome)) => break outcome,
            Ok(RunEvent::Ready) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(err) => panic!("{err}"),
        }
        if let Some(after) = cancel_after
            && !cancelled
            && started.elapsed() >= after
        {
            handle.cancel();
            cancelled = true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no Finished after 30 s"
        );
    };
    transcript.finish();
    (transcript.plain_text(), outcome, started.elapsed())
}

/// Every process still carrying a marker of a step whose script holds `tag` (they all do:
/// the tag is in their environment through `DG_TAG`). None may be left.
fn leftovers(tag: &str) -> Vec<String> {
    let mut left = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let path = entry.path();
        let Ok(environ) = std::fs::read(path.join("environ")) else {
            continue;
        };
        let needle = format!("DG_TAG={tag}");
        let state = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
        let zombie = state
            .rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z'));
        if !zombie && environ.split(|&b| b == 0).any(|v| v == needle.as_bytes()) {
            left.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    left
}

fn tagged(tag: &str, script: &str) -> String {
    format!("export DG_TAG={tag}; {script}")
}

#[test]
fn a_step_that_starts_cmd_in_the_background_and_exits_passes_by_its_exit() {
    let tag = format!("bg-{}", std::process::id());
    let (out, outcome, took) = run(
        &tagged(&tag, "sleep 1000 & echo started"),
        Duration::from_secs(4),
        None,
    );
    assert_eq!(outcome.result, StepResult::Passed, "{out}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(out.contains("started"), "{out}");
    assert!(
        out.contains("still running after the step ended: pid ") && out.contains("`sleep 1000`"),
        "{out}"
    );
    assert!(out.contains("`background`"), "{out}");
    assert!(leftovers(&tag).is_empty(), "{:?}", leftovers(&tag));
}

#[test]
fn an_escaped_descendant_neither_blocks_the_step_nor_survives_it() {
    let tag = format!("setsid-{}", std::process::id());
    let (out, outcome, took) = run(
        &tagged(&tag, "setsid sleep 1000 & sleep 0.2; echo started"),
        Duration::from_secs(20),
        None,
    );
    assert_eq!(outcome.result, StepResult::Passed, "{out}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(out.contains("(it left the step's process group)"), "{out}");
    assert!(out.contains("`sleep 1000`"), "{out}");
    assert!(leftovers(&tag).is_empty(), "{:?}", leftovers(&tag));
}

#[test]
fn timeout_and_cancel_end_within_the_grace_period_despite_an_escaped_process() {
    for cancel in [false, true] {
        let tag = format!("stop-{cancel}-{}", std::process::id());
        let (out, outcome, took) = run(
            &tagged(&tag, "setsid sleep 1000 & sleep 1000"),
            Duration::from_secs(if cancel { 60 } else { 1 }),
            cancel.then_some(Duration::from_millis(500)),
        );
        let expected = if cancel {
            FailReason::Cancelled
        } else {
            FailReason::TimedOut {
                after: Duration::from_secs(1),
            }
        };
        assert_eq!(outcome.result, StepResult::Failed(expected), "{out}");
        assert!(
            took < Duration::from_secs(6),
            "cancel={cancel}: took {took:?}"
        );
        assert!(
            out.contains("escaped the step's process group: pid "),
            "{out}"
        );
        assert!(leftovers(&tag).is_empty(), "{:?}", leftovers(&tag));
    }
}

#[test]
fn a_step_has_no_controlling_terminal_and_carries_its_run_token() {
    // A new session has no controlling terminal: /dev/tty cannot be opened, so nothing a
    // step prints can bypass the sanitizer.
    let (out, outcome, _) = run(
        r#"set -- $(cat /proc/$$/stat | sed 's/.*) //'); echo "pid=$$ session=$4"; if (: > /dev/tty) 2>/dev/null; then echo TTY-OPEN; else echo NO-TTY; fi; echo "token=${DOCKER_GUIDE_RUN:-none}""#,
        Duration::from_secs(10),
        None,
    );
    assert!(outcome.is_passed(), "{out}");
    let pid = out
        .split("pid=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap();
    assert!(out.contains(&format!("session={pid}")), "{out}");
    assert!(out.contains("NO-TTY"), "{out}");
    assert!(!out.contains("token=none"), "{out}");
    assert!(marked("no-such-token").is_empty());
    assert_eq!(RUN_ENV, "DOCKER_GUIDE_RUN");
}
