//! From a step's code to what runs: console prompts (`$ `) and the simple commands of a
//! script with their line in the code block, and the `docker` calls among them.

use super::docker::{DockerCall, docker_call};
use super::model::{BlockReading, SourcePos, Step, StepKind};
use super::shell::{SimpleCommand, simple_commands};

/// Shell languages whose blocks are steps.
pub const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh", "console", "shell-session"];

/// Languages where only `$ ` lines are commands and the rest is sample output.
pub fn is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session")
}

/// The simple commands of a command step, `line` relative to the first line of its code.
pub fn step_commands(step: &Step) -> Vec<SimpleCommand> {
    let StepKind::Command { script } = &step.kind else {
        return Vec::new();
    };
    if step.reading.reading != BlockReading::Transcript {
        return simple_commands(script);
    }
    let lines: Vec<&str> = step.code.lines().collect();
    step.reading
        .commands
        .iter()
        .flat_map(|(line, text)| {
            // The prompt's width: the command text is the end of its first line.
            let first = text.lines().next().unwrap_or("");
            let full = lines.get(*line).copied().unwrap_or("");
            let prompt = full.len().saturating_sub(first.len());
            let prompt = full[..prompt.min(full.len())].chars().count();
            simple_commands(text).into_iter().map(move |mut cmd| {
                if cmd.line == 0 {
                    cmd.column += prompt;
                }
                cmd.line += line;
                cmd
            })
        })
        .collect()
}

/// The `docker` calls of a step, each with its source position.
pub fn step_docker_calls(step: &Step) -> Vec<(DockerCall, SourcePos)> {
    step_commands(step)
        .iter()
        .filter_map(|cmd| Some((docker_call(cmd)?, code_pos(step, cmd.line, cmd.column))))
        .collect()
}

/// File position of 0-based `line` / `column` inside a step's code (the fence is one line up).
pub fn code_pos(step: &Step, line: usize, column: usize) -> SourcePos {
    SourcePos {
        file: step.pos.file.clone(),
        line: step.pos.line + 1 + line,
        column: step.pos.column + column,
    }
}
