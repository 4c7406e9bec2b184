//! Renderer tests: debug snapshots record styles; plain snapshots check wrapping.

mod ahead;
mod chapter;
mod constructs;
mod corpus;
mod foreign;
mod pathological;

use ratatui::text::Line;

use super::*;
use crate::lesson::Chapter;

pub(super) const SAMPLE: &str = include_str!("../testdata/sample.md");

pub(super) fn opts(width: u16) -> RenderOptions {
    RenderOptions { width, color: true }
}

pub(super) fn plain(lines: &[Line<'_>]) -> String {
    lines_to_plain(lines)
}

/// Renders markdown and returns the plain text (for wrapping snapshots).
pub(super) fn md_plain(markdown: &str, width: u16) -> String {
    plain(&render_markdown(markdown, &opts(width)))
}

/// Panics when a row is wider than `width` columns.
pub(super) fn assert_fits(lines: &[Line<'_>], width: u16, context: &str) {
    for (row, line) in lines.iter().enumerate() {
        assert!(
            line.width() <= usize::from(width),
            "{context}: row {row} is {} columns wide (max {width}): {:?}",
            line.width(),
            plain(std::slice::from_ref(line))
        );
    }
}

/// A chapter parsed by the lesson parser (steps with their real spans and attributes).
pub(super) fn chapter(markdown: &str) -> Chapter {
    let (chapter, diagnostics) = crate::lesson::parse_chapter("t.md", "t.md", markdown);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == crate::lesson::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    chapter
}
