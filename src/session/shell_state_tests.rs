//! The chapter's shell state: what carries over, what opts out, what resets.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::lesson::parse_chapter;
use crate::runner::{self, RunEvent, StepOutcome};
use crate::session::{step_spec, step_spec_in_state};

const CHAPTER: &str = "```bash\ncd repo && export DG_TEST_GREETING=hi\n```\n\n\
```sh {isolated}\npwd; echo \"[$DG_TEST_GREETING]\"\n```\n\n\
```sh {background}\nsleep 5\n```\n\n\
```zsh\necho $ZSH_NAME\n```\n";

/// A shell that started in `started` (the chapter's folder for a fresh state) and ended in `cwd`.
fn end_from(started: &Path, cwd: &Path, changed: &[(&str, Option<&str>)]) -> ShellEnd {
    ShellEnd {
        cwd: cwd.to_path_buf(),
        started: started.to_path_buf(),
        changed: changed
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect(),
    }
}

/// Runs a spec to the end.
fn run(spec: StepSpec) -> (String, StepOutcome) {
    let (tx, rx) = std::sync::mpsc::channel();
    let _handle = runner::start(spec, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    let mut out = runner::Transcript::new(100);
    loop {
        match rx.recv_timeout(Duration::from_secs(20)).unwrap() {
            RunEvent::Output(bytes) => out.push(&bytes),
            RunEvent::Finished(outcome) => {
                out.finish();
                return (out.plain_text(), outcome);
            }
            RunEvent::Ready => {}
        }
    }
}

#[test]
fn cd_and_export_carry_to_the_next_step_and_isolated_opts_out() {
    let (chapter, diags) = parse_chapter("x.md", "x.md", CHAPTER);
    assert!(
        diags
            .iter()
            .all(|d| d.severity != crate::lesson::Severity::Error),
        "{diags:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("repo")).unwrap();
    let mut state = ShellState::default();
    let spec_of = |i: usize, state: &mut ShellState| {
        step_spec_in_state(&chapter, &chapter.steps[i], &[], dir.path(), state, 80, 50)
            .unwrap()
            .0
    };
    let (_, first) = run(spec_of(0, &mut state));
    assert!(first.is_passed());
    state.absorb(first.shell_end.as_ref().unwrap());
    assert_eq!(
        state.cwd().unwrap().canonicalize().unwrap(),
        dir.path().join("repo").canonicalize().unwrap()
    );
    assert_eq!(
        state.variables().collect::<Vec<_>>(),
        [("DG_TEST_GREETING", Some("hi"))]
    );
    // The next step starts there, with the variable.
    let carried = {
        let mut spec = spec_of(0, &mut state.clone());
        spec.script = "pwd; echo \"[$DG_TEST_GREETING]\"".into();
        run(spec).0
    };
    assert!(carried.trim_end().ends_with("/repo\n[hi]"), "{carried}");
    // An isolated block starts fresh and leaves nothing.
    let next = spec_of(1, &mut state.clone());
    assert_eq!(next.cwd, dir.path());
    assert!(next.env.is_empty() && !next.capture_shell);
    let (out, outcome) = run(next);
    assert!(out.trim_end().ends_with("[]"), "{out}");
    assert_eq!(outcome.shell_end, None);
    // A background step starts from the state but cannot change it.
    let background = spec_of(2, &mut state.clone());
    assert!(background.cwd.ends_with("repo") && !background.capture_shell);
    assert_eq!(background.env.len(), 1);
}

#[test]
fn a_chapter_with_isolated_front_matter_carries_nothing() {
    let (chapter, _) = parse_chapter(
        "x.md",
        "x.md",
        &format!("+++\nisolated = true\n+++\n{CHAPTER}"),
    );
    assert!(chapter.front.isolated);
    let mut state = ShellState::default();
    state.absorb(&end_from(
        Path::new("/tmp"),
        Path::new("/"),
        &[("DG_TEST_X", Some("1"))],
    ));
    let (spec, note) = step_spec_in_state(
        &chapter,
        &chapter.steps[0],
        &[],
        Path::new("/tmp"),
        &mut state,
        80,
        10,
    )
    .unwrap();
    assert_eq!(spec.cwd, Path::new("/tmp"));
    assert!(spec.env.is_empty() && !spec.capture_shell && note.is_none());
}

#[test]
fn a_folder_that_is_gone_is_said_and_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("gone");
    let (chapter, _) = parse_chapter("x.md", "x.md", CHAPTER);
    let mut state = ShellState::default();
    state.absorb(&end_from(dir.path(), &gone, &[]));
    assert_eq!(state.cwd(), Some(gone.as_path()));
    let (spec, note) = step_spec_in_state(
        &chapter,
        &chapter.steps[0],
        &[],
        dir.path(),
        &mut state,
        80,
        10,
    )
    .unwrap();
    assert_eq!(spec.cwd, dir.path());
    assert!(note.unwrap().contains("is gone"));
    assert!(state.is_fresh());
}

#[test]
fn back_in_the_chapter_folder_or_to_the_inherited_value_is_fresh_again() {
    let dir = tempfile::tempdir().unwrap();
    let home = std::env::var("HOME").unwrap();
    let mut state = ShellState::default();
    state.absorb(&end_from(
        dir.path(),
        &dir.path().join("sub"),
        &[
            ("DG_TEST_Y", Some("1")),
            ("HOME", None),
            ("DG_TEST_Z", None),
        ],
    ));
    assert_eq!(
        state.summary().unwrap(),
        format!(
            "in {} · DG_TEST_Y exported · unset HOME",
            dir.path().join("sub").display()
        )
    );
    // DG_TEST_Z was never set when docker-guide started: unsetting it changes nothing. Then
    // `cd ..`, `unset DG_TEST_Y` and HOME back as it was.
    // The shell started in the carried folder (`sub`) and went back up.
    state.absorb(&end_from(
        &dir.path().join("sub"),
        dir.path(),
        &[("DG_TEST_Y", None), ("HOME", Some(&home))],
    ));
    assert!(state.is_fresh(), "{state:?}");
    assert_eq!(state.summary(), None);
}

#[test]
fn a_zsh_block_needs_zsh() {
    let (chapter, _) = parse_chapter("x.md", "x.md", CHAPTER);
    let spec = step_spec(&chapter, &chapter.steps[3], &[], Path::new("/tmp"), 80, 10);
    if runner::shell_found(runner::Shell::Zsh, None) {
        assert_eq!(spec.unwrap().shell, runner::Shell::Zsh);
    } else {
        let err = spec.unwrap_err().to_string();
        assert!(err.contains("zsh is not installed"), "{err}");
    }
    let bash = step_spec(&chapter, &chapter.steps[0], &[], Path::new("/tmp"), 80, 10).unwrap();
    assert_eq!(bash.shell, runner::Shell::Bash);
}

#[test]
fn the_summary_shortens_a_long_list() {
    let names: Vec<(String, Option<&str>)> = (1..=6)
        .map(|i| (format!("DG_TEST_V{i}"), Some("x")))
        .collect();
    let changed: Vec<(&str, Option<&str>)> = names.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut state = ShellState::default();
    state.absorb(&end_from(Path::new("/tmp"), Path::new("/tmp"), &changed));
    assert_eq!(
        state.summary().unwrap(),
        "DG_TEST_V1, DG_TEST_V2, DG_TEST_V3 and 3 more exported"
    );
}

#[test]
fn a_runme_cwd_step_runs_in_its_folder_with_the_variables_and_passes_nothing_on() {
    let (chapter, _) = parse_chapter(
        "x.md",
        "x.md",
        "```bash {\"cwd\":\"app\"}\ncd / && export DG_TEST_NEW=1\n```\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let mut state = ShellState::default();
    state.absorb(&end_from(
        dir.path(),
        &dir.path().join("elsewhere"),
        &[("DG_TEST_KEPT", Some("1"))],
    ));
    let step = &chapter.steps[0];
    let err = step_spec_in_state(&chapter, step, &[], dir.path(), &mut state.clone(), 80, 10)
        .unwrap_err();
    assert_eq!(err, super::super::SpecError::NoFolder("app".into()));
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let (spec, _) =
        step_spec_in_state(&chapter, step, &[], dir.path(), &mut state, 80, 10).unwrap();
    assert_eq!(spec.cwd, dir.path().join("app"));
    assert_eq!(
        spec.env,
        [("DG_TEST_KEPT".to_string(), Some("1".to_string()))]
    );
    assert!(!spec.capture_shell);
    assert_eq!(
        spec.script, "cd / && export DG_TEST_NEW=1\n",
        "runs as written"
    );
}
