//! Shell state in headless `run`, with the real binary: `cd`, `export`, `unset` and a venv's
//! `activate` carry from step to step (a clone-then-`cd` tutorial on a local repository),
//! `isolated` opts out per block and per chapter, `bash`/`zsh` blocks run in their shell and a
//! missing one is said clearly. Fixture: `tests/fixtures/shell-state`.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn run(workspace: &Path, args: &[&str], path: Option<&Path>) -> (String, i32) {
    let state = workspace.with_extension("state");
    let mut cmd = Command::cargo_bin("docker-guide").unwrap();
    cmd.arg("--lessons")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shell-state"))
        .arg("--workspace")
        .arg(workspace)
        .env("XDG_STATE_HOME", &state)
        .env("XDG_DATA_HOME", state.join("data"))
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .env_remove("GREETING")
        .arg("run")
        .args(args)
        .arg("--yes")
        .timeout(Duration::from_secs(120));
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.code().unwrap_or(-1))
}

/// The lines a step printed: those after its `▶` header that are not the echoed command.
fn step_output<'a>(out: &'a str, header: &str) -> Vec<&'a str> {
    out.lines()
        .skip_while(|l| !l.starts_with(header))
        .skip(1)
        .skip_while(|l| l.starts_with("$ ") || l.starts_with("> "))
        .take_while(|l| !l.starts_with('✓') && !l.starts_with('✗'))
        .collect()
}

fn header<'a>(out: &'a str, step: &str) -> &'a str {
    out.lines().find(|l| l.starts_with(step)).unwrap_or("")
}

#[test]
fn a_clone_then_cd_tutorial_runs_as_in_one_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let (out, code) = run(&ws, &["clone-and-cd"], None);
    assert_eq!(code, 0, "{out}");
    let repo = ws.join("repo");
    // The state shows where the next step starts, and what was exported.
    assert_eq!(
        header(&out, "▶ Step 3 "),
        format!(
            "▶ Step 3 · clone-and-cd-3  in {} · GREETING exported",
            repo.display()
        )
    );
    assert_eq!(
        step_output(&out, "▶ Step 3 "),
        ["repo", "first commit", "hello from step 2"]
    );
    // The venv's `activate` changed PATH for the next step.
    assert_eq!(
        step_output(&out, "▶ Step 5 "),
        [".venv/bin/python", "venv: .venv"]
    );
    // `isolated`: the chapter's folder, no variable, and no state shown.
    assert_eq!(header(&out, "▶ Step 6 "), "▶ Step 6 · clone-and-cd-6");
    assert_eq!(step_output(&out, "▶ Step 6 "), ["ws", "[]"]);
    // `unset` and `cd ..` carry too.
    assert_eq!(step_output(&out, "▶ Step 8 "), ["ws", "[]"]);
    assert!(!header(&out, "▶ Step 8 ").contains(" in "), "{out}");
    assert!(out.contains("Summary: 8 passed"), "{out}");
}

#[test]
fn starting_after_a_cd_says_the_steps_start_in_the_chapters_folder() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let (out, _) = run(&ws, &["--from", "clone-and-cd-5"], None);
    assert!(
        out.contains("! not run now: clone-and-cd-2, clone-and-cd-4 change the folder or the environment (cd, export, source), so the steps below start in the chapter's folder"),
        "{out}"
    );
    let (out, _) = run(&ws, &["clone-and-cd"], None);
    assert!(!out.contains("not run now"), "{out}");
}

#[test]
fn an_isolated_chapter_carries_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let (out, code) = run(&ws, &["isolated-chapter"], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(step_output(&out, "▶ Step 2 "), ["ws", "[]"]);
    assert!(ws.join("here").is_dir());
}

#[test]
fn a_zsh_block_runs_in_zsh_or_says_zsh_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    if which_zsh().is_some() {
        let (out, code) = run(&ws, &["zsh"], None);
        assert_eq!(code, 0, "{out}");
        assert_eq!(step_output(&out, "▶ Step 1 "), ["running in zsh"]);
    }
    // A PATH with sh but no zsh: the step fails with what to install, nothing runs under sh.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let sh = which("sh").expect("sh");
    std::os::unix::fs::symlink(sh, bin.join("sh")).unwrap();
    let (out, code) = run(&ws, &["zsh"], Some(&bin));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("this is a `zsh` block and zsh is not installed: install zsh"),
        "{out}"
    );
    assert!(step_output(&out, "▶ Step 1 ").is_empty(), "{out}");
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn which_zsh() -> Option<PathBuf> {
    which("zsh")
}
