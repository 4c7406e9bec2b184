//! A chapter's markdown with its pulldown-cmark events, parsed at most once: the renderer
//! draws the events, and in a process that renders (`show`, the TUI:
//! [`keep_events_for_rendering`]) the lesson parser reads the steps from the same events. A
//! second parse of the same text was a sixth of `show` on the CommonMark spec, and the TUI
//! parsed a chapter again at every resize. Commands that only read the steps (`list`, `lint`,
//! `run`) stream the parse and keep nothing: holding every chapter's events cost `list` 7 %.

use std::ops::{Deref, Range};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use pulldown_cmark::{Event, Parser};

/// Events with the byte range of the source each comes from.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

self_cell::self_cell!(
    /// The text (shared with [`Markdown`]) and the events borrowing it; self_cell, a small
    /// well-kept crate, keeps a value and what borrows from it together without `unsafe` here.
    struct Parsed {
        owner: Arc<String>,
        #[covariant]
        dependent: Events,
    }
);

/// Whether the lesson parser keeps the events it reads (see the module doc).
static KEEP_EVENTS: AtomicBool = AtomicBool::new(false);

/// Makes the lesson parser keep each chapter's events for the renderer. For processes that
/// render what they load: it costs memory, and a command that only reads steps pays for it.
pub fn keep_events_for_rendering() {
    KEEP_EVENTS.store(true, Ordering::Relaxed);
}

pub(super) fn keeping_events() -> bool {
    KEEP_EVENTS.load(Ordering::Relaxed)
}

/// Shown each chapter's markdown just before it is parsed (see [`before_parsing`]).
static BEFORE_PARSE: OnceLock<fn(&str)> = OnceLock::new();

/// Has `hook` see each chapter's markdown just before the parser does: `show` starts
/// highlighting its code blocks on other threads meanwhile. The first hook set stays.
pub fn before_parsing(hook: fn(&str)) {
    let _ = BEFORE_PARSE.set(hook);
}

pub(super) fn about_to_parse(markdown: &str) {
    if let Some(hook) = BEFORE_PARSE.get() {
        hook(markdown);
    }
}

struct Inner {
    // An `Arc<String>` (not `Arc<str>`, which would copy the text) shared with the events.
    text: Arc<String>,
    events: OnceLock<Parsed>,
}

/// A markdown text and, once asked for, its events (parsed with
/// [`super::markdown_options`]). Reads as a `&str`; cloning shares both.
#[derive(Clone)]
pub struct Markdown(Arc<Inner>);

impl Markdown {
    pub fn new(text: String) -> Markdown {
        Markdown(Arc::new(Inner {
            text: Arc::new(text),
            events: OnceLock::new(),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The text's events in document order, parsed on the first call.
    pub fn events(&self) -> &[(Event<'_>, Range<usize>)] {
        self.0
            .events
            .get_or_init(|| Parsed::new(Arc::clone(&self.0.text), |text| parse(text)))
            .borrow_dependent()
    }
}

fn parse(text: &str) -> Events<'_> {
    // An event per 11 to 31 bytes in the official course's chapters, 20 in the CommonMark
    // spec: sized for most chapters at once rather than grown from nothing.
    let mut events = Vec::with_capacity(text.len() / 16 + 8);
    events.extend(Parser::new_ext(text, super::markdown_options()).into_offset_iter());
    events
}

impl Deref for Markdown {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Default for Markdown {
    fn default() -> Markdown {
        Markdown::new(String::new())
    }
}

impl From<String> for Markdown {
    fn from(text: String) -> Markdown {
        Markdown::new(text)
    }
}

impl From<&str> for Markdown {
    fn from(text: &str) -> Markdown {
        Markdown::new(text.to_string())
    }
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Markdown {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Markdown {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_those_of_a_parse_of_the_text_made_once() {
        let text = "# Title\n\nSome *text*.\n\n```sh\nls\n```\n";
        let markdown = Markdown::from(text);
        assert!(
            markdown.0.events.get().is_none(),
            "parsed before it was asked"
        );
        let parsed: Vec<_> = Parser::new_ext(text, crate::lesson::markdown_options())
            .into_offset_iter()
            .collect();
        assert_eq!(markdown.events(), parsed.as_slice());
        assert_eq!(markdown, text);
        // Asked again, or through a clone: the same parse.
        let copy = markdown.clone();
        assert!(std::ptr::eq(
            copy.events().as_ptr(),
            markdown.events().as_ptr()
        ));
    }

    #[test]
    fn kept_and_streamed_events_read_the_same_chapter() {
        // Every official chapter, the format guide and a Killercoda tutorial (inline `{{exec}}`
        // steps): what `show` and the TUI read from the kept events is what `list` and `run` read
        // from a streamed parse, steps, tasks, diagnostics and all.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("lessons"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "md"))
            .collect();
        files.push(root.join("docs/lesson-format.md"));
        files.push(
            root.join("tests/fixtures/tutorials/killercoda-environment-variables/step1/text.md"),
        );
        assert!(files.len() > 10, "{files:?}");
        let mut steps = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let streamed = crate::lesson::parse::parse_chapter_keeping("x", &name, &text, false);
            let kept = crate::lesson::parse::parse_chapter_keeping("x", &name, &text, true);
            assert_eq!(format!("{streamed:?}"), format!("{kept:?}"), "{name}");
            // Only the kept parse leaves events behind for the renderer.
            assert!(kept.0.markdown.events().len() > 10, "{name}");
            steps += kept.0.steps.len();
        }
        assert!(steps > 100, "{steps} steps: the files lost their steps");
    }
}
