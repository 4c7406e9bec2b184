//! One fenced block → the step it stands for, if it is one: its fence's position, its info
//! string's attributes, how its lines read (script, transcript, file), tasks' checks, and
//! the diagnostics a course author gets about it.

use super::attrs::parse_info;
use super::block_reading::{placeholder_note, reading_notes, reads_as_shell, starts_with_docker};
use super::docker::needs_tty;
use super::killercoda::Mark;
use super::model::{
    BlockReading, Chapter, Diagnostic, Severity, SourcePos, Step, StepKind, StepReading,
};
use super::pos::LineIndex;
use super::prompts::{read_authored_block, read_block};
use super::script::{SHELL_LANGS, is_console, step_docker_calls};
use super::step_attrs::{KNOWN_ATTRS, interpret, unknown_warning};
use super::task::TaskSpec;

/// The id and index a step gets when its block sets no `id`.
pub(super) struct Numbering {
    pub id: String,
    pub index: usize,
}

/// What a fenced block turned out to be.
pub(super) enum Built {
    Step(Box<Step>),
    /// A `task` block too broken to run (no check): reported, and not a step.
    BrokenTask,
    None,
}

/// Builds the step a fenced block stands for, if it is one.
pub(super) fn block_step(
    chapter: &Chapter,
    index: &LineIndex<'_>,
    span: std::ops::Range<usize>,
    code: String,
    at: Numbering,
    mark: Option<Mark>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Built {
    let file = chapter.display_path.as_str();
    let (line_text, line_start) = index.line_at(span.start);
    // The fence itself: the first run of ``` or ~~~ at or after the block start.
    let from = span.start - line_start;
    let fence_at = line_text[from..]
        .find(['`', '~'])
        .map_or(from, |i| from + i);
    let fence_char = line_text[fence_at..].chars().next().unwrap_or('`');
    let fence_len = line_text[fence_at..]
        .chars()
        .take_while(|c| *c == fence_char)
        .count();
    let info_at = fence_at + fence_len;
    let (line, fence_col) = index.line_col(line_start + fence_at);
    let info_col = fence_col + fence_len;
    // Attribute problems matter only on blocks that are ours to run: a third-party page's
    // `{collapse=true,title=".gitignore"}` on a text block is none of our business.
    let mut attr_diags = Vec::new();
    let info = parse_info(&line_text[info_at..], file, line, info_col, &mut attr_diags);
    let attrs = interpret(&info, file, line, &mut attr_diags);
    let candidate = SHELL_LANGS.contains(&info.lang.as_str())
        || mark == Some(Mark::Exec)
        || attrs.col("file").is_some()
        || attrs.task
        || (info.lang.is_empty()
            && (starts_with_docker(&code)
                || read_block(&code, false).reading == BlockReading::Transcript));
    if candidate {
        diagnostics.append(&mut attr_diags);
    }
    let pos = SourcePos {
        file: file.to_string(),
        line,
        column: fence_col,
    };
    let warn = |diagnostics: &mut Vec<Diagnostic>, message: String| {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            pos: pos.clone(),
            message,
        })
    };
    // A rejected `file=` path must not turn the block into a command step either.
    if attrs.norun || (attrs.col("file").is_some() && attrs.file.is_none()) {
        return Built::None;
    }
    if mark == Some(Mark::Copy) {
        // Killercoda's `{{copy}}`: text to copy, never run.
        return Built::None;
    }
    // An unlabelled (or `text`) block whose lines carry a host prompt is a terminal
    // transcript all the same (docker/labs writes them so).
    let unlabelled_transcript = mark.is_none() && reads_as_shell(&info.lang, &code);
    if unlabelled_transcript {
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            pos: pos.clone(),
            message: "this block names no shell language, but it holds `$ ` prompts or starts with a `docker` command: read as shell commands".to_string(),
        });
    }
    let shell = SHELL_LANGS.contains(&info.lang.as_str())
        || mark == Some(Mark::Exec)
        || unlabelled_transcript;
    let ours = info
        .attrs
        .iter()
        .any(|a| KNOWN_ATTRS.contains(&a.key.as_str()));
    let console = is_console(&info.lang);
    let read = |code: &str| {
        if ours {
            read_authored_block(code, console)
        } else {
            read_block(code, console)
        }
    };
    if attrs.task {
        let col = attrs.col("task").unwrap_or(fence_col);
        let problem = if !shell {
            Some(format!(
                "a task must be a shell block (its code is the check the learner makes pass), not `{}`",
                if info.lang.is_empty() {
                    "plain"
                } else {
                    info.lang.as_str()
                }
            ))
        } else if read(&code).commands.is_empty() {
            Some("a task needs a check: write the command that passes (exit 0) once the learner is done, e.g. `docker image inspect my-image`".to_string())
        } else {
            None
        };
        if let Some(msg) = problem {
            diagnostics.push(super::front::error(file, line, col, &msg));
            return Built::BrokenTask;
        }
        if attrs.id.is_none() {
            let msg = "a task needs an `id` (the learner's progress and `docker-guide check ID` use it), e.g. `{task id=add-healthcheck}`";
            diagnostics.push(super::front::error(file, line, col, msg));
        }
    }
    let mut reading = StepReading::default();
    let kind = if let Some(path) = attrs.file.clone() {
        StepKind::File { path }
    } else if shell {
        let transcript = read(&code);
        let notes = reading_notes(&transcript, &info.lang);
        for (k, message) in notes {
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                pos: SourcePos {
                    file: file.to_string(),
                    line: line + 1 + k,
                    column: 1,
                },
                message,
            });
        }
        if transcript.commands.is_empty() {
            if info
                .attrs
                .iter()
                .any(|a| KNOWN_ATTRS.contains(&a.key.as_str()))
            {
                let msg = "this block has no command to run (no `$ ` line), so it is not a step and its attributes are ignored";
                warn(diagnostics, msg.to_string());
            }
            return Built::None;
        }
        let script = match transcript.reading {
            BlockReading::Script => code.clone(),
            _ => {
                let lines: Vec<&str> = transcript
                    .commands
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .collect();
                lines.join("\n") + "\n"
            }
        };
        let placeholders = super::placeholders::find(&script);
        if let Some(message) = placeholder_note(&placeholders) {
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                pos: pos.clone(),
                message,
            });
        }
        reading = StepReading {
            placeholders,
            reading: transcript.reading,
            commands: transcript.commands,
            shown: transcript.shown,
        };
        StepKind::Command { script }
    } else {
        if info
            .attrs
            .iter()
            .any(|a| KNOWN_ATTRS.contains(&a.key.as_str()) && a.key != "id")
        {
            let lang = if info.lang.is_empty() {
                "plain"
            } else {
                info.lang.as_str()
            };
            let msg = format!(
                "a `{lang}` block is a step only with `file=\"PATH\"` (or use a shell language), so its attributes are ignored"
            );
            warn(diagnostics, msg);
        }
        return Built::None;
    };
    for (key, col) in &attrs.unknown {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            pos: SourcePos {
                file: file.to_string(),
                line,
                column: *col,
            },
            message: unknown_warning(key),
        });
    }
    let task = attrs.task.then(|| TaskSpec {
        watch: attrs.watch.clone(),
        ..TaskSpec::default()
    });
    let mut step = Step {
        id: attrs.id.clone().unwrap_or(at.id),
        index: at.index,
        kind,
        lang: info.lang.clone(),
        code,
        attrs: attrs.attrs,
        pos: pos.clone(),
        span,
        task,
        reading,
    };
    if let Some((call, _)) = step_docker_calls(&step)
        .into_iter()
        .find(|(call, _)| needs_tty(call))
    {
        step.attrs.interactive = true;
        if !attrs.explicit_interactive && !step.attrs.background {
            let msg = format!(
                "`docker {}` takes over the terminal: mark the step `interactive` (inferred for now)",
                call.command
            );
            warn(diagnostics, msg);
        }
        if step.attrs.background {
            let msg = "a `background` step cannot use a terminal (`-t`/`--tty`): drop `-t` or `background`";
            diagnostics.push(super::front::error(file, line, fence_col, msg));
            step.attrs.interactive = false;
        }
    }
    Built::Step(Box::new(step))
}
