//! Real processes (`sh -c`): streaming, sanitizing, verdicts, cancel and timeout of whole trees.

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use super::*;
use crate::runner::{FailReason, RunEvent, StepOutcome, StepResult, StepSpec, Transcript};

pub(super) fn spec(script: &str) -> StepSpec {
    StepSpec::new(script, std::env::temp_dir(), Duration::from_secs(20))
}

pub(super) fn start_channel(spec: StepSpec) -> (StepHandle, Receiver<RunEvent>) {
    let (tx, rx) = mpsc::channel();
    let handle = start(spec, move |event| {
        let _ = tx.send(event);
    })
    .unwrap();
    (handle, rx)
}

/// Collects events until `Finished`; panics after `limit`.
pub(super) fn collect(
    rx: &Receiver<RunEvent>,
    transcript: &mut Transcript,
    limit: Duration,
) -> (StepOutcome, bool) {
    let deadline = Instant::now() + limit;
    let mut saw_ready = false;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(RunEvent::Output(bytes)) => transcript.push(&bytes),
            Ok(RunEvent::Ready) => saw_ready = true,
            Ok(RunEvent::Finished(outcome)) => return (outcome, saw_ready),
            Err(err) => panic!("no Finished within {limit:?}: {err}"),
        }
    }
}

pub(super) fn run(spec: StepSpec) -> (Vec<String>, StepOutcome) {
    let (_handle, rx) = start_channel(spec);
    let mut transcript = Transcript::new(1000);
    let (outcome, _) = collect(&rx, &mut transcript, Duration::from_secs(30));
    (transcript.lines().map(str::to_owned).collect(), outcome)
}

/// Pids whose process group is `pgid` (from /proc).
pub(super) fn group_members(pgid: i32) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        if fields[2].parse::<i32>() == Ok(pgid) {
            pids.push(pid);
        }
    }
    pids
}

/// True when `pid` no longer exists (a zombie waiting for its reaper counts as gone).
pub(super) fn is_gone(pid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    if nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err() {
        return true;
    }
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| stat[stat.rfind(')').unwrap() + 2..].starts_with('Z'))
        .unwrap_or(true)
}

/// Asserts every pid is gone, allowing a killed process a moment to finish exiting (the
/// pipe closes during exit, so `Finished` can arrive a few milliseconds before the pid goes).
pub(super) fn assert_all_gone(pids: &[i32]) {
    let deadline = Instant::now() + Duration::from_millis(500);
    while !pids.iter().all(|&pid| is_gone(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    for &pid in pids {
        assert!(is_gone(pid), "pid {pid} survived");
    }
}

pub(super) fn wait_for_members(pgid: i32, at_least: usize) -> Vec<i32> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let members = group_members(pgid);
        if members.len() >= at_least || Instant::now() > deadline {
            return members;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn interleaved_stdout_and_stderr_keep_their_order() {
    let (lines, outcome) = run(spec("for i in 1 2 3; do echo out$i; echo err$i >&2; done"));
    assert_eq!(lines, ["out1", "err1", "out2", "err2", "out3", "err3"]);
    assert!(outcome.is_passed(), "{outcome:?}");
    assert_eq!(outcome.exit_code, Some(0));
}

#[test]
fn progress_collapses_colours_survive_and_escapes_are_stripped() {
    let (lines, _) = run(spec(
        r"printf 'get 1/3\rget 2/3\rget 3/3\n'; printf '\033[31mred\033[0m\n'; printf '\033]0;title\007\033[2J\033[Hclean\033]52;c;aGk=\007\n'",
    ));
    assert_eq!(lines, ["get 3/3", "\x1b[31mred\x1b[0m", "clean"]);
}

#[test]
fn environment_cwd_and_closed_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = StepSpec::new(
        "echo $BUILDKIT_PROGRESS $DOCKER_CLI_HINTS $PAGER $COLUMNS; pwd; cat; echo end",
        dir.path(),
        Duration::from_secs(10),
    );
    spec.columns = 123;
    let (lines, outcome) = run(spec);
    let cwd = dir.path().canonicalize().unwrap();
    assert_eq!(
        lines,
        [
            "plain false cat 123".to_owned(),
            cwd.display().to_string(),
            "end".to_owned()
        ]
    );
    assert!(outcome.is_passed());
}

#[test]
fn output_streams_before_the_step_ends() {
    let (_handle, rx) = start_channel(spec("echo first; sleep 2; echo second"));
    let started = Instant::now();
    match rx.recv_timeout(Duration::from_secs(1)) {
        Ok(RunEvent::Output(bytes)) => assert_eq!(bytes, b"first\n"),
        other => panic!("expected early output, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn exit_expect_and_check_verdicts() {
    let mut s = spec("exit 3");
    assert_eq!(
        run(s.clone()).1.result,
        StepResult::Failed(FailReason::ExitCode {
            expected: 0,
            got: 3
        })
    );
    s.exit = 3;
    assert!(run(s).1.is_passed());

    let mut s = spec(r"printf '\033[32mServer  ready\033[0m on port 8000\n'");
    s.expect = Some(r"ready\S* on port \d+".into());
    assert!(run(s.clone()).1.is_passed());
    s.expect = Some("listening".into());
    assert_eq!(
        run(s).1.result,
        StepResult::Failed(FailReason::ExpectNotMatched {
            pattern: "listening".into()
        })
    );

    let dir = tempfile::tempdir().unwrap();
    let mut s = StepSpec::new("touch made", dir.path(), Duration::from_secs(10));
    s.check = Some("test -f made".into());
    assert!(run(s.clone()).1.is_passed());
    s.check = Some("test -f missing".into());
    assert_eq!(
        run(s).1.result,
        StepResult::Failed(FailReason::CheckFailed {
            command: "test -f missing".into(),
            exit_code: Some(1)
        })
    );
}

#[test]
fn expect_matches_output_that_scrolled_out_of_the_kept_lines() {
    // Early: within the raw tail but beyond the 100 kept lines.
    let mut s = spec("echo BUILD-OK; seq 1 10000");
    s.max_lines = 100;
    s.expect = Some("BUILD-OK".into());
    assert!(run(s).1.is_passed());
    // Very early: beyond the raw tail too (more than 4 MiB follow).
    let mut s = spec("echo BUILD-OK; seq 1 1000000");
    s.max_lines = 100;
    s.expect = Some("BUILD-OK".into());
    assert!(run(s.clone()).1.is_passed());
    s.expect = Some("NEVER-PRINTED".into());
    assert!(!run(s).1.is_passed());
}

#[test]
fn a_failure_with_known_output_is_explained() {
    let (_, outcome) = run(spec(
        "echo 'docker: Error response from daemon: Conflict. The container name \"/web\" is already in use by container \"abc\".' >&2; exit 125",
    ));
    assert_eq!(
        outcome.explanation.map(|e| e.id),
        Some("container-name-in-use")
    );
}

fn assert_tree_dies(stop: impl FnOnce(&StepHandle), expected: FailReason, timeout: Duration) {
    let mut s = spec("sleep 100 & sleep 100; wait");
    s.timeout = timeout;
    let (handle, rx) = start_channel(s);
    let members = wait_for_members(handle.pgid(), 3);
    assert!(
        members.len() >= 3,
        "sh and two sleeps expected, got {members:?}"
    );
    let stopped_at = Instant::now();
    stop(&handle);
    let (outcome, _) = collect(&rx, &mut Transcript::new(10), Duration::from_secs(10));
    assert!(
        stopped_at.elapsed() < Duration::from_secs(3),
        "took {:?}",
        stopped_at.elapsed()
    );
    assert_eq!(outcome.result, StepResult::Failed(expected));
    assert!(!handle.is_running());
    assert_all_gone(&members);
}

#[test]
fn cancel_kills_the_whole_tree() {
    assert_tree_dies(
        |handle| handle.cancel(),
        FailReason::Cancelled,
        Duration::from_secs(60),
    );
}

#[test]
fn timeout_kills_the_whole_tree() {
    let timeout = Duration::from_millis(800);
    assert_tree_dies(|_| {}, FailReason::TimedOut { after: timeout }, timeout);
}

#[test]
fn a_step_ignoring_sigterm_is_killed_after_the_grace_period() {
    let mut s = spec("trap '' TERM; echo armed; sleep 100 & sleep 100; wait");
    s.timeout = Duration::from_millis(300);
    let (handle, rx) = start_channel(s);
    let members = wait_for_members(handle.pgid(), 3);
    let (outcome, _) = collect(&rx, &mut Transcript::new(10), Duration::from_secs(10));
    assert!(
        outcome.duration >= crate::runner::KILL_GRACE,
        "{:?}",
        outcome.duration
    );
    assert!(outcome.duration < Duration::from_secs(5));
    assert!(matches!(
        outcome.result,
        StepResult::Failed(FailReason::TimedOut { .. })
    ));
    assert_all_gone(&members);
}

#[test]
fn dropping_the_handle_stops_the_step() {
    let (handle, rx) = start_channel(spec("sleep 100"));
    let pgid = handle.pgid();
    drop(handle);
    let (outcome, _) = collect(&rx, &mut Transcript::new(10), Duration::from_secs(5));
    assert_eq!(outcome.result, StepResult::Failed(FailReason::Cancelled));
    assert_all_gone(&group_members(pgid));
}

#[test]
fn a_missing_working_directory_is_a_spawn_error() {
    let s = StepSpec::new("true", "/nonexistent/dg-test", Duration::from_secs(5));
    assert!(matches!(start(s, |_| {}), Err(RunnerError::Spawn { .. })));
}
