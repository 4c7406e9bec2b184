//! `docker-guide completions SHELL` and `docker-guide man` from the real binary: each script
//! generates and its shell accepts it, bash completes for real, the man page renders cleanly.
//! zsh, fish and groff are installed by `.ci/run`; elsewhere a missing one skips loudly.
#![cfg(unix)]

use std::io::Write;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

mod common;
use common::run_or_skip;

fn docker_guide(args: &[&str]) -> Vec<u8> {
    let output = Command::cargo_bin("docker-guide")
        .expect("binary")
        .args(args)
        .output()
        .expect("run docker-guide");
    assert!(
        output.status.success(),
        "docker-guide {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "stderr: {:?}", output.stderr);
    output.stdout
}

fn on_path(program: &str) -> bool {
    which::which(program).is_ok()
}

/// Runs `program args` with `input` on stdin; returns (success, stdout + stderr).
fn run_with_input(program: &str, args: &[&str], input: &[u8]) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "pwsh", "elvish"] {
        let script = String::from_utf8(docker_guide(&["completions", shell])).unwrap();
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for word in ["doctor", "completions", "lessons"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_shells() {
    let output = Command::cargo_bin("docker-guide")
        .unwrap()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bash, zsh, fish, powershell"), "{stderr}");
}

#[test]
fn bash_accepts_the_script_and_completes_subcommands_and_flags() {
    let script = docker_guide(&["completions", "bash"]);
    let (ok, text) = run_with_input("bash", &["-n"], &script);
    assert!(ok, "bash -n rejects the script: {text}");
    // Source it and ask the completion function what `docker-guide do<TAB>` and
    // `docker-guide doctor --j<TAB>` offer, the way bash calls it on TAB.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docker-guide.bash");
    std::fs::write(&path, &script).unwrap();
    let probe = format!(
        r#"source '{}'
complete_words() {{ COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}
  COMPREPLY=(); _docker__guide docker-guide "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"; echo "${{COMPREPLY[*]}}"; }}
complete -p docker-guide
complete_words docker-guide do
complete_words docker-guide doctor --j
complete_words docker-guide completions f
"#,
        path.display()
    );
    let (ok, text) = run_with_input("bash", &["--norc", "--noprofile"], probe.as_bytes());
    assert!(ok, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("-F _docker__guide"), "{text}");
    assert_eq!(lines[1], "doctor", "{text}");
    assert_eq!(lines[2], "--json", "{text}");
    assert_eq!(lines[3], "fish", "{text}");
}

#[test]
fn zsh_and_fish_accept_their_scripts() {
    for (shell, args) in [("zsh", &["-n"][..]), ("fish", &["--no-execute"][..])] {
        if !run_or_skip(
            "zsh_and_fish_accept_their_scripts",
            (!on_path(shell)).then_some("zsh or fish is not installed (.ci/run installs both)"),
        ) {
            return;
        }
        let script = docker_guide(&["completions", shell]);
        let (ok, text) = run_with_input(shell, args, &script);
        assert!(ok, "{shell} rejects its script: {text}");
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    let page = docker_guide(&["man"]);
    let text = String::from_utf8(page.clone()).unwrap();
    assert!(text.contains(".TH docker-guide 1"), "{}", &text[..200]);
    if !run_or_skip(
        "the_man_page_renders_without_warnings",
        (!on_path("groff")).then_some("groff is not installed (.ci/run installs groff-base)"),
    ) {
        return;
    }
    // -ww: every warning; -z: no output, only the diagnostics.
    let (ok, diagnostics) = run_with_input("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
    assert!(ok && diagnostics.is_empty(), "groff: {diagnostics}");
    let (ok, rendered) = run_with_input("groff", &["-man", "-Tutf8", "-P-cbou"], &page);
    assert!(ok, "{rendered}");
    for heading in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "ENVIRONMENT",
        "EXIT STATUS",
    ] {
        assert!(rendered.contains(heading), "no {heading} in:\n{rendered}");
    }
    assert!(rendered.contains("docker-guide-doctor(1)"), "{rendered}");
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let man1 = dir.path().join("share/man/man1");
    let out = docker_guide(&["man", "--dir", man1.to_str().unwrap()]);
    let said = String::from_utf8(out).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&man1)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        said.starts_with(&format!("wrote {} man pages", names.len())),
        "{said}"
    );
    for name in [
        "docker-guide.1",
        "docker-guide-doctor.1",
        "docker-guide-completions.1",
    ] {
        assert!(names.contains(&name.to_string()), "{name} not in {names:?}");
    }
}
