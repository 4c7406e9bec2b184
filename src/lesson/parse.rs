//! One chapter file → [`Chapter`]: front matter, title, and the steps in its fenced blocks,
//! each with its file position and its byte span in the body.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::attrs::parse_info;
use super::block_reading::{
    inline_step, placeholder_note, reading_notes, reads_as_shell, starts_with_docker,
};
use super::docker::needs_tty;
use super::front;
use super::killercoda::{Mark, Marks, blank_markers, inline_mark};
use super::model::{
    BlockReading, Chapter, Diagnostic, Severity, SourcePos, Step, StepKind, StepReading,
};
use super::pos::LineIndex;
use super::prompts::{read_authored_block, read_block};
use super::script::{SHELL_LANGS, is_console, step_docker_calls};
use super::step_attrs::{KNOWN_ATTRS, interpret, unknown_warning};
use super::task::{BlockHome, DetailsTracker, TaskSpec};

/// Parses one chapter. Never fails: problems come back as diagnostics and the chapter keeps
/// whatever could be read.
pub fn parse_chapter(
    display_path: &str,
    file_name: &str,
    text: &str,
) -> (Chapter, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains('\r') {
        // Markdown treats a lone `\r` as a line break too; positions count `\n` only.
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let split = front::split(display_path, text);
    let mut diagnostics = split.diagnostics;
    let slug = slug_from_file_name(file_name);
    let mut chapter = Chapter {
        slug,
        file_name: file_name.to_string(),
        display_path: display_path.to_string(),
        title: String::new(),
        front: split.front,
        markdown: String::new(),
        body_first_line: split.body_first_line,
        steps: Vec::new(),
    };
    // Admonitions, directives and shortcodes of other tools, line for line: their fenced
    // blocks are steps too.
    let original = super::foreign::normalize(split.body);
    // Killercoda's `{{exec}}` after a closing fence would leave the block unclosed.
    // Most courses have no `{{`: skip the per-line copy (9 % of `show` on the CommonMark spec).
    let (body, marks) = if memchr::memmem::find(original.as_bytes(), b"{{").is_some() {
        blank_markers(&original)
    } else {
        (original.to_string(), Marks::default())
    };
    chapter.markdown = body;
    let heading = read_blocks(&mut chapter, &original, &marks, &mut diagnostics);
    chapter.title = chapter
        .front
        .title
        .clone()
        .or(heading)
        .unwrap_or_else(|| title_from_file_name(file_name));
    (chapter, diagnostics)
}

/// Walks the body's events: collects steps, and returns the first heading's text.
fn read_blocks(
    chapter: &mut Chapter,
    original: &str,
    marks: &Marks,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let body = chapter.markdown.as_str();
    let index = LineIndex::new(body, chapter.body_first_line);
    let mut heading: Option<String> = None;
    let mut in_first_heading = false;
    let mut block: Option<(std::ops::Range<usize>, String)> = None;
    let mut steps: Vec<Step> = Vec::new();
    let mut details = DetailsTracker::default();
    let file = chapter.display_path.clone();
    for (event, range) in Parser::new_ext(body, super::markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) if heading.is_none() => {
                in_first_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) if in_first_heading => in_first_heading = false,
            Event::Text(t) | Event::Code(t) if in_first_heading => {
                heading.get_or_insert_with(String::new).push_str(&t)
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                block = Some((range, String::new()));
            }
            Event::Code(code)
                if block.is_none()
                    && details.home() == BlockHome::Chapter
                    && inline_mark(original, range.end) == Some(Mark::Exec) =>
            {
                let n = steps.len() + 1;
                let id = format!("{}-{n}", chapter.slug);
                let step = inline_step(
                    chapter,
                    &index,
                    range,
                    &code,
                    Numbering { id, index: n - 1 },
                );
                details.step_added(steps.len(), false);
                steps.push(step);
            }
            Event::Text(t) if block.is_some() => {
                if let Some((_, code)) = block.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((span, code)) = block.take() {
                    // From the line index: counting the breaks before each block made
                    // `show` of the CommonMark spec (652 blocks, 200 KB) quadratic.
                    let first = index.line_index(span.start);
                    let last = index.line_index(span.end.saturating_sub(1).max(span.start));
                    let mark = marks.of_block(first, last);
                    match details.home() {
                        BlockHome::Chapter => {
                            let n = steps.len() + 1;
                            let id = format!("{}-{n}", chapter.slug);
                            let at = Numbering { id, index: n - 1 };
                            match block_step(chapter, &index, span, code, at, mark, diagnostics) {
                                Built::Step(step) => {
                                    details.step_added(steps.len(), step.is_task());
                                    steps.push(*step);
                                }
                                Built::BrokenTask => details.broken_task(),
                                Built::None => {}
                            }
                        }
                        BlockHome::Solution(task) => {
                            let k = details.solution_len() + 1;
                            let id = format!("{}-solution-{k}", steps[task].id);
                            let at = Numbering { id, index: k - 1 };
                            if let Built::Step(step) =
                                block_step(chapter, &index, span, code, at, mark, diagnostics)
                            {
                                details.push_solution_step(*step);
                            }
                        }
                        BlockHome::Nowhere => {}
                    }
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                details.html_block(body, range, &index, &file, &mut steps, diagnostics);
            }
            _ => {}
        }
    }
    details.finish_chapter(body, &mut steps, diagnostics);
    chapter.steps = steps;
    heading
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|h| !h.is_empty())
}

/// The id and index a step gets when its block sets no `id`.
pub(super) struct Numbering {
    pub id: String,
    pub index: usize,
}

/// What a fenced block turned out to be.
enum Built {
    Step(Box<Step>),
    /// A `task` block too broken to run (no check): reported, and not a step.
    BrokenTask,
    None,
}

/// Builds the step a fenced block stands for, if it is one.
fn block_step(
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

/// `03-build-and-run.md` → `build-and-run`; lower-case, `-` between words. A chapter slotted
/// between two others keeps its letter out of the slug: `07a-data.md` → `data` (a zero-padded
/// number and one lower-case letter, so `3d-printing.md` stays `3d-printing`).
pub fn slug_from_file_name(file_name: &str) -> String {
    let stem = file_stem(file_name);
    let mut trimmed = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = stem.len() - trimmed.len();
    let mut chars = trimmed.chars();
    if let (Some(letter), Some('-' | '_' | '.' | ' ')) = (chars.next(), chars.next())
        && digits >= 2
        && letter.is_ascii_lowercase()
    {
        trimmed = &trimmed[1..];
    }
    let without_prefix = match trimmed.chars().next() {
        Some('-' | '_' | '.' | ' ') if trimmed.len() < stem.len() => &trimmed[1..],
        _ => stem,
    };
    let source = if without_prefix.is_empty() {
        stem
    } else {
        without_prefix
    };
    let mut slug = String::new();
    for c in source.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "chapter".to_string()
    } else {
        slug
    }
}

fn file_stem(file_name: &str) -> &str {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

/// The fallback title: the file name without extension.
fn title_from_file_name(file_name: &str) -> String {
    file_stem(file_name).to_string()
}
