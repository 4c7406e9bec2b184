//! From a step's code to what runs: console prompts (`$ `) and the simple commands of a
//! script with their line in the code block, and the `docker` calls among them.

use super::docker::{DockerCall, docker_call};
use super::model::{SourcePos, Step, StepKind};
use super::shell::{SimpleCommand, simple_commands};

/// Shell languages whose blocks are steps.
pub const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh", "console", "shell-session"];

/// Languages where only `$ ` lines are commands and the rest is sample output.
pub fn is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session")
}

/// Whether a block's commands are its `$ ` lines: a console block, or a shell block where
/// every non-blank line carries the prompt (common in READMEs).
pub fn uses_prompts(lang: &str, code: &str) -> bool {
    is_console(lang) || {
        let mut lines = code.lines().filter(|l| !l.trim().is_empty()).peekable();
        lines.peek().is_some() && lines.all(|l| l.starts_with("$ "))
    }
}

/// The commands of a console transcript: `$ ` lines without the prompt, with their `\`
/// continuation lines (a `> ` secondary prompt removed) and here-document bodies.
/// Each comes with the 0-based line of the code where it starts.
pub fn console_commands(code: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = lines[i].strip_prefix("$ ") else {
            i += 1;
            continue;
        };
        let start = i;
        let mut text = first.to_string();
        let mut heredoc = heredoc_delimiter(first);
        i += 1;
        while i < lines.len() {
            let continued = text.ends_with('\\') && !text.ends_with("\\\\");
            if !continued && heredoc.is_none() {
                break;
            }
            let line = lines[i];
            if let Some(delimiter) = &heredoc {
                if line.trim() == delimiter {
                    heredoc = None;
                }
                text.push('\n');
                text.push_str(line);
            } else {
                let line = line.strip_prefix("> ").unwrap_or(line);
                heredoc = heredoc_delimiter(line);
                text.push('\n');
                text.push_str(line);
            }
            i += 1;
        }
        if !text.trim().is_empty() {
            out.push((start, text));
        }
    }
    out
}

fn heredoc_delimiter(line: &str) -> Option<String> {
    let after = &line[line.find("<<")? + 2..];
    let after = after.strip_prefix('-').unwrap_or(after).trim_start();
    let word: String = after
        .chars()
        .filter(|c| !matches!(c, '\'' | '"'))
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The simple commands of a command step, `line` relative to the first line of its code.
pub fn step_commands(step: &Step) -> Vec<SimpleCommand> {
    let StepKind::Command { script } = &step.kind else {
        return Vec::new();
    };
    if !uses_prompts(&step.lang, &step.code) {
        return simple_commands(script);
    }
    console_commands(&step.code)
        .into_iter()
        .flat_map(|(line, text)| {
            simple_commands(&text).into_iter().map(move |mut cmd| {
                if cmd.line == 0 {
                    cmd.column += 2; // the `$ ` prompt
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_prompts_continuations_and_output() {
        let code = "$ docker run \\\n>   -p 80:80 \\\n    nginx\nsome output\n$ echo hi\nhi\n$\n";
        assert_eq!(
            console_commands(code),
            vec![
                (0, "docker run \\\n  -p 80:80 \\\n    nginx".to_string()),
                (4, "echo hi".to_string()),
            ]
        );
    }

    #[test]
    fn console_heredoc_body_belongs_to_the_command() {
        let code = "$ cat > a.txt <<EOF\nline one\n$ not a prompt\nEOF\noutput\n";
        assert_eq!(
            console_commands(code),
            vec![(
                0,
                "cat > a.txt <<EOF\nline one\n$ not a prompt\nEOF".to_string()
            )]
        );
    }
}
