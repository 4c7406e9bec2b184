//! Lesson text made safe to print, once, where a course is built: every string a command may
//! print (titles, ids, paths shown, diagnostics) has its control characters replaced, so that
//! `list`, `lint`, `run`, `progress`, `show` and the TUI cannot send a lesson's escape
//! sequence (an OSC 52 clipboard write, a title change, a screen clear) to the terminal.
//! Strings that are run or written as given (scripts, `file=` paths, `check`, `cleanup`)
//! stay as written, and a control character in them is an error with its place, because no
//! shell or file system takes them as shown.

use std::borrow::Cow;

use super::front::error;
use super::model::{Course, Diagnostic, Severity, SourcePos, StepKind};

/// Shown instead of a character that must not reach a terminal.
const REPLACEMENT: char = '\u{FFFD}';

/// A character a terminal would act on instead of showing: C0 and C1 controls, DEL, and the
/// bidirectional overrides that make text read differently from what it is.
pub fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of lesson text, safe to print: tabs and line breaks become spaces, every other
/// unprintable character becomes U+FFFD.
pub fn printable_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if is_unprintable(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

/// Replaces `text` with its printable form (no allocation when it is clean already).
fn clean(text: &mut String) {
    if let Cow::Owned(cleaned) = printable_line(text) {
        *text = cleaned;
    }
}

/// The first character of `text` no shell or file name takes as shown (anything but tab and
/// line breaks), with its 0-based line and 0-based column in characters.
fn first_control(text: &str) -> Option<(char, usize, usize)> {
    let mut line = 0;
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '\t' | '\r' => column += 1,
            c if is_unprintable(c) => return Some((c, line, column)),
            _ => column += 1,
        }
    }
    None
}

/// `U+001B (ESC)`: how a control character is named in messages.
fn describe(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{1b}' => " (ESC)",
        '\u{7}' => " (BEL)",
        '\u{7f}' => " (DEL)",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => " (a bidirectional override)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Errors for control characters in what is run or written, warnings for those in what is
/// only shown, then every shown string made printable (diagnostics included).
/// `origin` is where course-wide text comes from (`course.toml`, else the course's path).
pub(super) fn clean_course(course: &mut Course, origin: &str) {
    let mut found = Vec::new();
    for chapter in &course.chapters {
        let file = &chapter.display_path;
        let front = &chapter.front;
        let front_fields = front
            .workdir
            .iter()
            .map(|w| ("`workdir`", w))
            .chain(front.cleanup.iter().map(|c| ("a `cleanup` command", c)))
            .chain(front.requires.iter().map(|r| ("`requires`", r)));
        for (what, value) in front_fields {
            if let Some((c, _, _)) = first_control(value) {
                let msg = format!(
                    "front matter {what} holds the control character {}, which no shell or file name takes as shown: remove it",
                    describe(c)
                );
                found.push(error(file, 1, 1, &msg));
            }
        }
        for step in &chapter.steps {
            found.extend(step_controls(step, file));
        }
        for title in [Some(&chapter.title), front.title.as_ref()]
            .into_iter()
            .flatten()
        {
            if title.chars().any(is_unprintable) {
                found.push(shown_only(file, "the chapter title"));
            }
        }
    }
    let manifest_fields = [
        ("the course title", Some(&course.title)),
        ("the course description", course.description.as_ref()),
        ("the course version", course.version.as_ref()),
        ("the course id", Some(&course.id)),
    ];
    // A one-file course's title is its chapter's: warned about once, above.
    let title_is_a_chapters = course.chapters.iter().any(|c| c.title == course.title);
    for (what, value) in manifest_fields {
        if what == "the course title" && title_is_a_chapters {
            continue;
        }
        if value.is_some_and(|v| v.chars().any(is_unprintable)) {
            found.push(shown_only(origin, what));
        }
    }
    found.dedup();
    course.diagnostics.extend(found);

    clean(&mut course.id);
    clean(&mut course.title);
    course.description.iter_mut().for_each(clean);
    course.version.iter_mut().for_each(clean);
    course.images.iter_mut().for_each(clean);
    for chapter in &mut course.chapters {
        clean(&mut chapter.title);
        clean(&mut chapter.slug);
        clean(&mut chapter.display_path);
        chapter.front.title.iter_mut().for_each(clean);
        for step in &mut chapter.steps {
            clean(&mut step.id);
        }
    }
    clean_diagnostics(&mut course.diagnostics);
}

/// Makes diagnostics printable: their messages quote lesson text.
pub(super) fn clean_diagnostics(diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics {
        clean(&mut diagnostic.message);
        clean(&mut diagnostic.pos.file);
    }
}

/// Why a character must not be in what runs.
fn why(c: char) -> &'static str {
    match c {
        '\0' => "no file name or shell command can hold",
        c if c.is_control() => "a terminal would act on instead of showing",
        _ => "makes the text read differently from what runs",
    }
}

fn shown_only(file: &str, what: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        pos: SourcePos {
            file: file.to_string(),
            line: 1,
            column: 1,
        },
        message: format!(
            "{what} holds control characters (escape sequences a terminal would act on): they are shown as \u{FFFD}"
        ),
    }
}

/// Errors for a step whose command, path, `check`, `expect` or `ready` holds a control
/// character: placed at the character for a command, at the fence otherwise.
fn step_controls(step: &super::model::Step, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at_fence = |what: &str, c: char| {
        let msg = format!(
            "{what} holds the control character {}, which {}: remove it",
            describe(c),
            why(c)
        );
        error(file, step.pos.line, step.pos.column, &msg)
    };
    match &step.kind {
        StepKind::Command { .. } => {
            if let Some((c, line, column)) = first_control(&step.code) {
                // The code starts on the line after the fence.
                let msg = format!(
                    "this command holds the control character {}, which {}: remove it (write `\\033` or `\\0` for printf)",
                    describe(c),
                    why(c)
                );
                out.push(error(file, step.pos.line + 1 + line, column + 1, &msg));
            }
        }
        StepKind::File { path } => {
            if let Some((c, _, _)) = first_control(path) {
                out.push(at_fence("the `file=` path", c));
            }
        }
    }
    let attrs = &step.attrs;
    let ready = match &attrs.ready {
        Some(super::model::Ready::Url(url)) => Some(url),
        Some(super::model::Ready::Command(command)) => Some(command),
        None => None,
    };
    for (what, value) in [
        ("`check`", attrs.check.as_ref()),
        ("`expect`", attrs.expect.as_ref()),
        ("`ready`", ready),
    ] {
        if let Some((c, _, _)) = value.and_then(|v| first_control(v)) {
            out.push(at_fence(what, c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_line_replaces_escape_sequences_and_keeps_clean_text_borrowed() {
        assert!(matches!(printable_line("Plain title é"), Cow::Borrowed(_)));
        assert_eq!(
            printable_line("T\u{1b}]52;c;SGk=\u{7}\0x\u{9b}y\u{202e}z\tw"),
            "T\u{FFFD}]52;c;SGk=\u{FFFD}\u{FFFD}x\u{FFFD}y\u{FFFD}z w"
        );
    }

    #[test]
    fn first_control_places_the_character() {
        assert_eq!(first_control("echo a\n\tb\0c"), Some(('\0', 1, 2)));
        assert_eq!(first_control("ok\r\n\tfine"), None);
        assert_eq!(
            first_control("rm -rf /tmp/x \u{202e}"),
            Some(('\u{202e}', 0, 14))
        );
    }
}
