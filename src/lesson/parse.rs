//! One chapter file → [`Chapter`]: front matter, title, and the steps in its fenced blocks,
//! each with its file position and its byte span in the body.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::block_reading::inline_step;
use super::block_step::{Built, Numbering, block_step};
use super::front;
use super::killercoda::{Mark, Marks, blank_markers, inline_mark};
use super::model::{Chapter, Diagnostic, Step};
use super::pos::LineIndex;
use super::task::{BlockHome, DetailsTracker};

/// Parses one chapter. Never fails: problems come back as diagnostics and the chapter keeps
/// whatever could be read.
pub fn parse_chapter(
    display_path: &str,
    file_name: &str,
    text: &str,
) -> (Chapter, Vec<Diagnostic>) {
    parse_chapter_keeping(display_path, file_name, text, super::body::keeping_events())
}

/// [`parse_chapter`], reading the events kept in the chapter's [`super::Markdown`] for the
/// renderer when `keep`, else a streamed parse (see `body`): the same chapter either way.
pub(super) fn parse_chapter_keeping(
    display_path: &str,
    file_name: &str,
    text: &str,
    keep: bool,
) -> (Chapter, Vec<Diagnostic>) {
    parse_chapter_text(display_path, file_name, text.to_string(), keep)
}

/// [`parse_chapter`] of a file's text the caller hands over: the chapter's markdown is made
/// in that `String` (copying the CommonMark spec's 205 KB into a new one faulted in 50 pages).
pub(crate) fn parse_owned(
    display_path: &str,
    file_name: &str,
    text: String,
) -> (Chapter, Vec<Diagnostic>) {
    parse_chapter_text(display_path, file_name, text, super::body::keeping_events())
}

fn parse_chapter_text(
    display_path: &str,
    file_name: &str,
    mut text: String,
    keep: bool,
) -> (Chapter, Vec<Diagnostic>) {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        // Markdown treats a lone `\r` as a line break too; positions count `\n` only.
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let split = front::split(display_path, &text);
    let mut diagnostics = split.diagnostics;
    let slug = slug_from_file_name(file_name);
    let mut chapter = Chapter {
        slug,
        file_name: file_name.to_string(),
        display_path: display_path.to_string(),
        title: String::new(),
        front: split.front,
        markdown: Default::default(),
        body_first_line: split.body_first_line,
        steps: Vec::new(),
    };
    let body_start = text.len() - split.body.len();
    // Admonitions, directives and shortcodes of other tools, line for line: their fenced
    // blocks are steps too.
    let normalized = super::foreign::normalize(&text[body_start..]);
    // Killercoda's `{{exec}}` after a closing fence would leave the block unclosed.
    // Most courses have no `{{`: skip the per-line copy (9 % of `show` on the CommonMark spec).
    let (body, marks, original) = if memchr::memmem::find(normalized.as_bytes(), b"{{").is_some() {
        let (body, marks) = blank_markers(&normalized);
        (body, marks, Some(normalized.into_owned()))
    } else {
        let body = match normalized {
            std::borrow::Cow::Owned(body) => body,
            std::borrow::Cow::Borrowed(_) => {
                // The body is the file's text after its front matter: kept in place.
                text.drain(..body_start);
                text
            }
        };
        (body, Marks::default(), None)
    };
    super::body::about_to_parse(&body);
    chapter.markdown = body.into();
    let heading = read_blocks(
        &mut chapter,
        original.as_deref(),
        &marks,
        &mut diagnostics,
        keep,
    );
    chapter.title = chapter
        .front
        .title
        .clone()
        .or(heading)
        .unwrap_or_else(|| title_from_file_name(file_name));
    (chapter, diagnostics)
}

/// Walks the body's events: collects steps, and returns the first heading's text. `original`
/// is the body before Killercoda's marks were blanked (`None`: the body itself).
fn read_blocks(
    chapter: &mut Chapter,
    original: Option<&str>,
    marks: &Marks,
    diagnostics: &mut Vec<Diagnostic>,
    keep: bool,
) -> Option<String> {
    let markdown = chapter.markdown.clone();
    let body = markdown.as_str();
    let original = original.unwrap_or(body);
    let index = LineIndex::new(body, chapter.body_first_line);
    let mut heading: Option<String> = None;
    let mut in_first_heading = false;
    let mut block: Option<(std::ops::Range<usize>, String)> = None;
    let mut steps: Vec<Step> = Vec::new();
    let mut details = DetailsTracker::default();
    let file = chapter.display_path.clone();
    let mut read = |event: &Event<'_>, range: Range<usize>| {
        match event {
            Event::Start(Tag::Heading { .. }) if heading.is_none() => {
                in_first_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) if in_first_heading => in_first_heading = false,
            Event::Text(t) | Event::Code(t) if in_first_heading => {
                heading.get_or_insert_with(String::new).push_str(t)
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
                let step =
                    inline_step(chapter, &index, range, code, Numbering { id, index: n - 1 });
                details.step_added(steps.len(), false);
                steps.push(step);
            }
            Event::Text(t) if block.is_some() => {
                if let Some((_, code)) = block.as_mut() {
                    code.push_str(t);
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
    };
    // In a process that renders, the renderer's own events (parsed once for both); else a
    // streamed parse that keeps nothing.
    if keep {
        for (event, range) in markdown.events() {
            read(event, range.clone());
        }
    } else {
        for (event, range) in Parser::new_ext(body, super::markdown_options()).into_offset_iter() {
            read(&event, range);
        }
    }
    details.finish_chapter(body, &mut steps, diagnostics);
    chapter.steps = steps;
    heading
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|h| !h.is_empty())
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
