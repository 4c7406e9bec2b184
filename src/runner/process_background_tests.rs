//! Real processes, continued: background steps (ready, streaming, stopped), cleanup commands
//! and the ids every step's processes carry.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::tests::{
    assert_all_gone, collect, free_port, group_members, run, spec, start_channel, wait_for_members,
};
use crate::runner::{
    BackgroundSet, FailReason, Ready, RunEvent, StepIds, StepResult, StepSpec, Transcript,
    run_cleanup, start_step,
};

#[test]
fn background_http_server_becomes_ready_keeps_streaming_and_stops() {
    let port = free_port();
    let mut s = spec(&format!(
        "exec python3 -u -m http.server {port} --bind 127.0.0.1"
    ));
    s.background = Some(Ready::Url(format!("http://127.0.0.1:{port}/")));
    s.timeout = Duration::from_secs(15);
    let (handle, rx) = start_channel(s);
    let pgid = handle.pgid();
    let mut transcript = Transcript::new(100);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("ready in time")
        {
            RunEvent::Output(bytes) => transcript.push(&bytes),
            RunEvent::Ready => break,
            RunEvent::Finished(outcome) => panic!("finished before ready: {outcome:?}"),
        }
    }
    assert!(handle.is_running());
    // The server keeps running and its log keeps streaming after Ready.
    assert!(super::super::ready::http_ready(
        &format!("http://127.0.0.1:{port}/after-ready"),
        Duration::from_secs(1),
        Duration::from_secs(2)
    ));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !transcript.plain_text().contains("GET /after-ready") {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(RunEvent::Output(bytes)) => transcript.push(&bytes),
            other => panic!("expected the request log, got {other:?}"),
        }
    }
    let members = group_members(pgid);
    let mut set = BackgroundSet::new();
    set.add("serve", handle);
    assert_eq!(set.running(), ["serve"]);
    assert_eq!(set.stop_all(), ["serve"]);
    let (outcome, _) = collect(&rx, &mut transcript, Duration::from_secs(5));
    assert_eq!(outcome.result, StepResult::Failed(FailReason::Cancelled));
    assert_all_gone(&members);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} still open"
    );
}

#[test]
fn background_step_that_exits_fails() {
    let mut s = spec("echo starting; exit 4");
    s.background = Some(Ready::Url(format!("http://127.0.0.1:{}/", free_port())));
    let (_handle, rx) = start_channel(s);
    let (outcome, saw_ready) = collect(&rx, &mut Transcript::new(10), Duration::from_secs(5));
    assert!(!saw_ready);
    assert_eq!(
        outcome.result,
        StepResult::Failed(FailReason::BackgroundExited { exit_code: Some(4) })
    );
}

#[test]
fn background_step_not_ready_in_time_fails_and_is_stopped() {
    let mut s = spec("sleep 100");
    s.background = Some(Ready::Command("false".into()));
    s.timeout = Duration::from_millis(700);
    let (handle, rx) = start_channel(s);
    let members = wait_for_members(handle.pgid(), 1);
    let (outcome, _) = collect(&rx, &mut Transcript::new(10), Duration::from_secs(6));
    assert_eq!(
        outcome.result,
        StepResult::Failed(FailReason::NotReady {
            after: Duration::from_millis(700)
        })
    );
    assert_all_gone(&members);
}

#[test]
fn background_ready_command_is_polled() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = StepSpec::new(
        "sleep 0.6; touch up; echo up; sleep 100",
        dir.path(),
        Duration::from_secs(10),
    );
    s.background = Some(Ready::Command("test -f up".into()));
    let (handle, rx) = start_channel(s);
    let started = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_secs(10)).unwrap() {
            RunEvent::Ready => break,
            RunEvent::Output(_) => {}
            RunEvent::Finished(outcome) => panic!("{outcome:?}"),
        }
    }
    assert!(started.elapsed() >= Duration::from_millis(600));
    handle.cancel();
    assert!(handle.wait(Duration::from_secs(4)));
}

#[test]
fn cleanup_runs_every_command_with_a_timeout() {
    let results = run_cleanup(
        &[
            "echo one".into(),
            "echo bad >&2; exit 3".into(),
            "sleep 100 & sleep 100; wait".into(),
            "echo last".into(),
        ],
        &std::env::temp_dir(),
        Duration::from_millis(500),
    );
    let summary: Vec<_> = results
        .iter()
        .map(|r| (r.exit_code, r.timed_out, r.output.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (Some(0), false, "one"),
            (Some(3), false, "bad"),
            (None, true, ""),
            (Some(0), false, "last")
        ]
    );
    assert!(results[2].duration < Duration::from_secs(3));
}

#[test]
fn every_step_carries_its_step_and_course_ids() {
    let marked = spec("echo \"[$DOCKER_GUIDE_STEP] [$DOCKER_GUIDE_COURSE]\"");
    let ids = StepIds::new("build-1", "docker-for-ds");
    let (tx, rx) = mpsc::channel();
    let _handle = start_step(marked, &ids, move |event| {
        let _ = tx.send(event);
    })
    .unwrap();
    let mut transcript = Transcript::new(100);
    let (outcome, _) = collect(&rx, &mut transcript, Duration::from_secs(30));
    let lines: Vec<String> = transcript.lines().map(str::to_owned).collect();
    assert!(outcome.is_passed(), "{outcome:?}");
    assert_eq!(lines[0], "[build-1] [docker-for-ds]");
    // Without ids the marker is still there (empty), so `reset` finds the process.
    let (lines, _) = run(spec("echo \"${DOCKER_GUIDE_STEP-unset}|\""));
    assert_eq!(lines[0], "|");
}
