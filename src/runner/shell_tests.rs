//! Real shells: which one runs a step, and what a step's shell leaves for the next.

use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::runner::{RunEvent, StepOutcome, StepResult, StepSpec, Transcript, start};

fn run(spec: StepSpec) -> (String, StepOutcome) {
    let (tx, rx) = mpsc::channel();
    let _handle = start(spec, move |event| {
        let _ = tx.send(event);
    })
    .unwrap();
    let mut transcript = Transcript::new(200);
    loop {
        match rx.recv_timeout(Duration::from_secs(20)).unwrap() {
            RunEvent::Output(bytes) => transcript.push(&bytes),
            RunEvent::Finished(outcome) => {
                transcript.finish();
                return (transcript.plain_text(), outcome);
            }
            RunEvent::Ready => {}
        }
    }
}

fn spec(script: &str, shell: Shell, dir: &std::path::Path) -> StepSpec {
    StepSpec {
        shell,
        capture_shell: true,
        ..StepSpec::new(script, dir, Duration::from_secs(20))
    }
}

#[test]
fn a_bash_block_runs_in_bash_and_an_sh_block_in_sh() {
    let dir = tempfile::tempdir().unwrap();
    let script = "if [[ 1 == 1 ]]; then pushd . >/dev/null && echo bash-ok; fi";
    let (out, outcome) = run(spec(script, Shell::Bash, dir.path()));
    assert!(outcome.is_passed(), "{out}");
    assert_eq!(out.trim(), "bash-ok");
    // The same line under sh is what the issue saw: `[[` is not sh.
    let (out, _) = run(spec(script, Shell::Sh, dir.path()));
    assert!(
        out.contains("[[: not found") && !out.contains("bash-ok"),
        "{out}"
    );
    if shell_found(Shell::Zsh, None) {
        let (out, outcome) = run(spec("echo $ZSH_NAME", Shell::Zsh, dir.path()));
        assert!(outcome.is_passed(), "{out}");
        assert_eq!(out.trim(), "zsh");
    }
}

#[test]
fn the_shell_end_says_where_it_ended_and_what_it_exported_or_unset() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("repo")).unwrap();
    for shell in [Shell::Sh, Shell::Bash] {
        let mut spec = spec(
            "cd repo\nexport DG_TEST_A='one\ntwo' DG_TEST_B=b\nunset DG_TEST_GONE\nDG_TEST_LOCAL=x\n",
            shell,
            dir.path(),
        );
        spec.env = vec![("DG_TEST_GONE".into(), Some("here".into()))];
        let (out, outcome) = run(spec);
        assert!(outcome.is_passed(), "{shell:?}: {out}");
        let end = outcome.shell_end.expect("a shell end");
        assert_eq!(
            end.cwd.canonicalize().unwrap(),
            dir.path().join("repo").canonicalize().unwrap()
        );
        let mut changed = end.changed.clone();
        changed.sort();
        assert_eq!(
            changed,
            [
                ("DG_TEST_A".to_string(), Some("one\ntwo".to_string())),
                ("DG_TEST_B".to_string(), Some("b".to_string())),
                ("DG_TEST_GONE".to_string(), None),
            ],
            "{shell:?}: a variable not exported stays in its step, as in a terminal"
        );
    }
}

#[test]
fn the_script_keeps_its_exit_code_output_and_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (out, outcome) = run(spec(
        "echo first\ndg-test-no-such-command\nexit 3",
        Shell::Sh,
        dir.path(),
    ));
    assert_eq!(outcome.exit_code, Some(3));
    assert!(out.starts_with("first\n"), "{out}");
    // The learner's line 2, not the prefix's.
    assert!(out.contains(" 2: dg-test-no-such-command"), "{out}");
    assert!(outcome.shell_end.is_some());
    let (out, outcome) = run(spec(
        "echo a\ndg-test-no-such-command",
        Shell::Bash,
        dir.path(),
    ));
    assert!(out.contains("line 2: dg-test-no-such-command"), "{out}");
    assert_eq!(outcome.exit_code, Some(127));
}

#[test]
fn no_shell_end_without_the_flag_or_after_exec() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = spec("cd /", Shell::Sh, dir.path());
    plain.capture_shell = false;
    assert_eq!(run(plain).1.shell_end, None);
    let (_, outcome) = run(spec("exec true", Shell::Sh, dir.path()));
    assert!(outcome.is_passed());
    assert_eq!(outcome.shell_end, None);
}

#[test]
fn a_cancelled_step_is_not_waited_on_for_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let spec = StepSpec {
        timeout: Duration::from_millis(300),
        ..spec("cd /; sleep 30", Shell::Bash, dir.path())
    };
    let started = std::time::Instant::now();
    let (_, outcome) = run(spec);
    assert!(matches!(outcome.result, StepResult::Failed(_)));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn the_capture_folder_is_private_and_removed() {
    let capture = Capture::new().unwrap();
    let dir = capture.dir.clone();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    drop(capture);
    assert!(!dir.exists());
}

#[test]
fn the_difference_ignores_what_the_shell_and_the_runner_own() {
    let before = b"export A='1'\nexport PWD='/x'\nexport SHLVL='1'\nexport B='2'\n\
                   export DOCKER_GUIDE_STEP='s'\nexport BAD='\xff'\n";
    let after = b"/y\0declare -x A=\"1\"\ndeclare -x PWD=\"/y\"\ndeclare -x SHLVL=\"2\"\n\
                  declare -x C=\"3\"\ndeclare -x DOCKER_GUIDE_STEP=\"t\"\n";
    let end = shell_end(before, after).unwrap();
    assert_eq!(end.cwd, std::path::PathBuf::from("/y"));
    assert_eq!(
        end.changed,
        [
            ("C".to_string(), Some("3".to_string())),
            ("B".to_string(), None)
        ]
    );
    assert_eq!(shell_end(before, b""), None);
}

#[test]
fn quoting_survives_the_shell() {
    let tricky = "it's a \"path\" with $HOME and `ticks`";
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s {}", quote(tricky))])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), tricky);
}

#[test]
fn a_missing_shell_is_not_found_on_a_path_without_it() {
    let empty = tempfile::tempdir().unwrap();
    assert!(!shell_found(Shell::Zsh, Some(empty.path().as_os_str())));
    assert!(shell_found(Shell::Sh, None));
}
