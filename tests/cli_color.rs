//! `--color always|never|auto` as the real binary sees it: every command accepts it, `always`
//! colours a pipe (for `| less -R`), `never` and `--plain` win, and `NO_COLOR` only changes
//! `auto`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn docker_guide() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary builds");
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("NO_COLOR");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8 output")
}

fn show(args: &[&str]) -> Command {
    let mut cmd = docker_guide();
    cmd.arg("--lessons")
        .arg(fixture("good-course"))
        .args(["show", "2", "--width", "80"])
        .args(args);
    cmd
}

#[test]
fn always_colours_a_pipe_and_highlights_code() {
    let text = stdout_of(&mut show(&["--color", "always"]));
    assert!(text.contains("\x1b["), "no SGR in {text:?}");
    // The Dockerfile's `FROM` is highlighted: a colour sequence right before it.
    let from = text.find("FROM").expect("the Dockerfile is shown");
    assert!(
        text[..from]
            .rfind('\x1b')
            .is_some_and(|esc| from - esc < 12),
        "FROM is not coloured: {:?}",
        &text[from.saturating_sub(20)..from + 4]
    );
}

#[test]
fn auto_and_never_keep_a_pipe_plain() {
    for args in [&[][..], &["--color", "auto"], &["--color", "never"]] {
        let text = stdout_of(&mut show(args));
        assert!(!text.contains('\x1b'), "{args:?}: escape codes in {text:?}");
        assert!(text.contains("FROM python:3.12-slim"), "{args:?}");
    }
}

#[test]
fn the_flag_wins_over_no_color_and_plain_wins_over_the_flag() {
    let forced = stdout_of(show(&["--color", "always"]).env("NO_COLOR", "1"));
    assert!(forced.contains("\x1b["), "--color always lost to NO_COLOR");
    let plain = stdout_of(&mut show(&["--color", "always", "--plain"]));
    assert!(!plain.contains('\x1b'), "--plain lost to --color always");
}

#[test]
fn the_flag_goes_before_or_after_the_subcommand() {
    let mut cmd = docker_guide();
    cmd.args(["--color", "always", "--lessons"])
        .arg(fixture("good-course"))
        .args(["show", "2"]);
    assert!(stdout_of(&mut cmd).contains("\x1b["));
}

#[test]
fn run_headers_are_coloured_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let run = |color: &str| {
        let mut cmd = docker_guide();
        cmd.arg("--lessons")
            .arg(fixture("run-pass"))
            .arg("--workspace")
            .arg(dir.path().join("ws"))
            .env("XDG_STATE_HOME", dir.path().join("state"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .args(["run", "all", "--yes", "--color", color]);
        stdout_of(&mut cmd)
    };
    assert!(
        run("always").contains("\x1b["),
        "no colour with --color always"
    );
    assert!(!run("never").contains('\x1b'), "colour with --color never");
}

#[test]
fn every_command_accepts_the_flag() {
    for args in [
        &["list"][..],
        &["lint"],
        &["show", "1"],
        &["progress"],
        &["class", "--help"],
        &["bundle", "--help"],
        &["reset", "--help"],
        &["doctor", "--help"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = docker_guide();
        cmd.env("XDG_STATE_HOME", dir.path().join("state"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .args(args)
            .args(["--color", "never"]);
        let out = cmd.output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.contains(&0x1b), "{args:?}: escape codes");
    }
}

#[test]
fn an_unknown_choice_names_the_valid_ones() {
    let out = docker_guide()
        .args(["list", "--color", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for valid in ["auto", "always", "never"] {
        assert!(err.contains(valid), "{err}");
    }
}
