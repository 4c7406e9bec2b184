//! A chapter's markdown with its pulldown-cmark events, parsed once: the lesson parser reads
//! the steps from them and the renderer draws them. A second parse of the same text was a
//! sixth of `show` on the CommonMark spec, and the TUI parsed a chapter again at every resize.

use std::ops::{Deref, Range};
use std::sync::Arc;

use pulldown_cmark::{Event, Parser};

/// Events with the byte range of the source each comes from.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

self_cell::self_cell!(
    /// The text and the events borrowing it (self_cell keeps them together safely).
    struct Parsed {
        owner: String,
        #[covariant]
        dependent: Events,
    }
);

/// A markdown text and its events (parsed with [`super::markdown_options`]). Reads as a
/// `&str`; cloning shares both.
#[derive(Clone)]
pub struct Markdown(Arc<Parsed>);

impl Markdown {
    pub fn new(text: String) -> Markdown {
        Markdown(Arc::new(Parsed::new(text, |text| {
            // An event per 11 to 31 bytes in the official course's chapters, 20 in the
            // CommonMark spec: sized for most chapters at once rather than grown from nothing
            // (`list` spent 0.3 M instructions more growing from a 20-byte guess).
            let mut events = Vec::with_capacity(text.len() / 16 + 8);
            events.extend(Parser::new_ext(text, super::markdown_options()).into_offset_iter());
            events
        })))
    }

    pub fn as_str(&self) -> &str {
        self.0.borrow_owner()
    }

    /// The text's events, in document order.
    pub fn events(&self) -> &[(Event<'_>, Range<usize>)] {
        self.0.borrow_dependent()
    }
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
    fn events_are_those_of_a_parse_of_the_text() {
        let text = "# Title\n\nSome *text*.\n\n```sh\nls\n```\n";
        let markdown = Markdown::from(text);
        let parsed: Vec<_> = Parser::new_ext(text, crate::lesson::markdown_options())
            .into_offset_iter()
            .collect();
        assert_eq!(markdown.events(), parsed.as_slice());
        assert_eq!(markdown, text);
        // A clone shares the parse.
        let copy = markdown.clone();
        assert!(std::ptr::eq(
            copy.events().as_ptr(),
            markdown.events().as_ptr()
        ));
    }
}
