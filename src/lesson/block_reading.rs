//! How a block of a third-party tutorial is read, beyond its fence: notes on the reading
//! (lint's `info`), the placeholder note, unlabelled blocks that are shell all the same, and
//! Killercoda's inline `` `cmd`{{exec}} `` steps.

use std::ops::Range;

use super::block_step::Numbering;
use super::model::{
    BlockReading, Chapter, Placeholder, ShownRole, SourcePos, Step, StepKind, StepReading,
};
use super::pos::LineIndex;
use super::prompts::{Transcript, read_block};
use super::script::is_console;

/// Whether an unlabelled, `text` or `plaintext` block is a shell block in all but name: it
/// holds a `$ ` prompt, or (unlabelled) its first command runs `docker`.
pub fn reads_as_shell(lang: &str, code: &str) -> bool {
    matches!(
        lang,
        "" | "text" | "plain" | "plaintext" | "txt" | "terminal"
    ) && {
        let t = read_block(code, false);
        !t.commands.is_empty()
            && (t.reading == BlockReading::Transcript
                || (lang.is_empty() && starts_with_docker(code)))
    }
}

/// The note that a step needs placeholder values, with the `--set` that gives them.
pub fn placeholder_note(placeholders: &[Placeholder]) -> Option<String> {
    if placeholders.is_empty() {
        return None;
    }
    let written: Vec<&str> = placeholders.iter().map(|p| p.written.as_str()).collect();
    let sets: Vec<String> = placeholders
        .iter()
        .map(|p| format!("--set {}=VALUE", p.name))
        .collect();
    Some(format!(
        "this step needs a value for {} before it can run (`docker-guide run {}`)",
        written.join(", "),
        sets.join(" ")
    ))
}

/// A step from Killercoda's inline `` `cmd`{{exec}} `` (the code span at `span`).
pub fn inline_step(
    chapter: &Chapter,
    index: &LineIndex<'_>,
    span: Range<usize>,
    code: &str,
    at: Numbering,
) -> Step {
    let (line, column) = index.line_col(span.start);
    let script = format!("{code}\n");
    Step {
        id: at.id,
        index: at.index,
        lang: "sh".to_string(),
        code: code.to_string(),
        attrs: Default::default(),
        pos: SourcePos {
            file: chapter.display_path.clone(),
            line,
            column,
        },
        span,
        task: None,
        reading: StepReading {
            reading: BlockReading::Script,
            commands: vec![(0, code.to_string())],
            shown: Vec::new(),
            placeholders: super::placeholders::find(&script),
        },
        kind: StepKind::Command { script },
    }
}

/// Whether a block's first command line (comments skipped) runs `docker`, `docker-compose`
/// or `podman`: an unlabelled block that does is a shell block in all but name.
pub fn starts_with_docker(code: &str) -> bool {
    code.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .is_some_and(|w| matches!(w, "docker" | "docker-compose" | "podman"))
}

/// Info notes on how a shell block was read, where the reading is not obvious, each with
/// the 0-based code line it is about.
pub fn reading_notes(t: &Transcript, lang: &str) -> Vec<(usize, String)> {
    let mut notes = Vec::new();
    if let Some(first) = t
        .shown
        .iter()
        .find(|s| matches!(s.role, ShownRole::Inside { .. }))
    {
        let ShownRole::Inside { prompt } = &first.role else {
            unreachable!()
        };
        let count = t
            .shown
            .iter()
            .filter(|s| matches!(s.role, ShownRole::Inside { .. }))
            .count();
        notes.push((
            first.line,
            format!(
                "{} typed at another machine's prompt (`{}`): shown, never run on this machine",
                if count == 1 {
                    "this line is".to_string()
                } else {
                    format!("{count} lines are")
                },
                prompt.trim_end()
            ),
        ));
    }
    let output = t
        .shown
        .iter()
        .filter(|s| s.role == ShownRole::Output)
        .count();
    match t.reading {
        BlockReading::Transcript if t.commands.is_empty() && !is_console(lang) => {
            notes.push((0, "no line of this block is a host command: read as sample output, not a step".to_string()));
        }
        BlockReading::Transcript if output > 0 && !is_console(lang) => notes.push((
            0,
            format!(
                "read as a terminal transcript: {} after a prompt run, {output} other {} sample output, shown only",
                plural(t.commands.len(), "command"),
                if output == 1 { "line is" } else { "lines are" }
            ),
        )),
        BlockReading::ScriptThenOutput { first_output } => notes.push((
            first_output,
            format!(
                "this line looks like a command's output: {} of this block {} sample output, shown only (write `$ ` before the commands to make the reading explicit)",
                plural(output, "line"),
                if output == 1 { "is" } else { "are" }
            ),
        )),
        BlockReading::OutputOnly => notes.push((
            0,
            "this block looks like a command's output, not commands: read as sample output, not a step".to_string(),
        )),
        _ => {}
    }
    notes
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
