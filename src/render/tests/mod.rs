//! Renderer tests: debug snapshots record styles; plain snapshots check wrapping.

mod chapter;
mod constructs;
mod corpus;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use ratatui::text::Line;

use super::*;
use crate::lesson::{Chapter, FrontMatter, SourcePos, Step, StepAttrs, StepKind};

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

/// A chapter whose steps are its shell blocks and `file=` blocks, found the way the parser
/// finds them (fence offsets from pulldown-cmark).
pub(super) fn chapter(markdown: &str) -> Chapter {
    let mut steps = Vec::new();
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event else {
            continue;
        };
        let lang = highlight::lang_token(&info);
        let code = markdown[range.clone()]
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("```"))
            .map(|l| format!("{l}\n"))
            .collect::<String>();
        let kind = if let Some(path) = info.split("file=\"").nth(1) {
            StepKind::File {
                path: path.split('"').next().unwrap_or_default().to_string(),
            }
        } else if ["sh", "bash", "console", "shell"].contains(&lang.as_str()) {
            StepKind::Command {
                script: code.clone(),
            }
        } else {
            continue;
        };
        let index = steps.len();
        steps.push(Step {
            id: format!("t-{}", index + 1),
            index,
            kind,
            lang,
            code,
            attrs: StepAttrs::default(),
            pos: SourcePos {
                file: "t.md".into(),
                line: 1,
                column: 1,
            },
            span: range,
        });
    }
    Chapter {
        slug: "t".into(),
        file_name: "t.md".into(),
        display_path: "t.md".into(),
        title: "T".into(),
        front: FrontMatter::default(),
        markdown: markdown.to_string(),
        body_first_line: 1,
        steps,
    }
}
