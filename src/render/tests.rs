//! Renderer tests: debug snapshots record styles; plain snapshots check wrapping.

use std::time::Duration;

use insta::{assert_debug_snapshot, assert_snapshot};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use ratatui::text::Line;

use super::*;
use crate::lesson::{Chapter, FrontMatter, Ready, SourcePos, Step, StepAttrs, StepKind};

const SAMPLE: &str = include_str!("testdata/sample.md");

fn opts(width: u16) -> RenderOptions {
    RenderOptions { width, color: true }
}

fn plain(lines: &[Line<'_>]) -> String {
    lines_to_plain(lines)
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

#[test]
fn sample_plain_80() {
    let rendered = render_chapter(&chapter(SAMPLE), &opts(80));
    assert_snapshot!(plain(&rendered.lines));
}
