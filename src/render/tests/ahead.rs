//! Code blocks drawn before their highlighting was ready (`render::ahead`): the rows handed
//! over are those drawing in order gives, whenever each block's highlighting arrives.

use super::{chapter, opts};
use crate::render::ahead::LEAVE_HOLES;
use crate::render::fences::fenced_blocks;
use crate::render::highlight_ahead::queue;
use crate::render::{LinkRegion, render_chapter_with_links, stream_chapter};

/// Blocks in languages no official chapter uses (highlighted live) in every kind of place a
/// prefix or a wrap could go wrong, between linked paragraphs long enough for many batches.
fn document(salt: &str) -> String {
    let mut md = format!("# Ahead {salt}\n\n```ruby\nputs \"{salt}\" # first\n```\n\n");
    for n in 0..120 {
        md.push_str(&format!(
            "Paragraph {n} links [the docs](https://docs.docker.com/{n}) twice: \
             [again](https://example.com/{n}/{salt}).\n\n"
        ));
        match n % 6 {
            0 => md.push_str(&format!(
                "- an item\n\n  ```go\n  package main // {salt} {n}\n  func main() {{ println(\"{}\") }}\n  ```\n\n",
                "long ".repeat(12)
            )),
            1 => md.push_str(&format!(
                "> quoted\n>\n> ```c\n> int main(void) {{ return {n}; }} /* {salt} */\n> ```\n\n"
            )),
            2 => md.push_str(&format!(
                "> [!TIP]\n> ```html\n> <p class=\"{salt}\">{n}\tand a tab</p>\n> ```\n\n"
            )),
            3 => md.push_str(&format!(
                "1. first\n   1. nested\n\n      ```javascript\n      const x = {n}; // {salt}\n      ```\n\n"
            )),
            4 => md.push_str(&format!(
                "Note[^f{n}].\n\n[^f{n}]: A footnote with code:\n\n    ```rust\n    fn f() -> u32 {{ {n} }} // {salt}\n    ```\n\n"
            )),
            _ => md.push_str(&format!(
                "```console {{id=s{n}}}\n$ echo {salt} {n}\n{salt} {n}\n```\n\n"
            )),
        }
    }
    md
}

/// The rows and links `stream_chapter` hands over, links counted from the first row.
fn streamed(
    chapter: &crate::lesson::Chapter,
    width: u16,
) -> (
    Vec<ratatui::text::Line<'static>>,
    Vec<LinkRegion>,
    Vec<usize>,
) {
    let mut rows = Vec::new();
    let mut links = Vec::new();
    let mut batches = Vec::new();
    let rest = stream_chapter(chapter, &opts(width), &mut |batch, on_batch| {
        links.extend(on_batch.iter().map(|link| LinkRegion {
            row: link.row + rows.len(),
            ..link.clone()
        }));
        rows.extend_from_slice(batch);
        batches.push(batch.len());
    });
    assert!(rest.lines.is_empty(), "every row went to the sink");
    links.sort_by_key(|l| (l.row, l.columns.start));
    (rows, links, batches)
}

#[test]
fn rows_after_a_block_waiting_for_its_highlighting_wait_with_it() {
    // Nothing highlights ahead: every block waits to the end, and is filled there.
    let chapter = chapter(&document("holes"));
    let (whole, mut whole_links) = render_chapter_with_links(&chapter, &opts(44));
    whole_links.sort_by_key(|l| (l.row, l.columns.start));
    crate::render::clear_highlight_cache();
    LEAVE_HOLES.with(|on| on.set(true));
    let (rows, links, batches) = streamed(&chapter, 44);
    LEAVE_HOLES.with(|on| on.set(false));
    assert_eq!(rows, whole.lines);
    assert_eq!(links, whole_links);
    // The rows before the first block went out first, up to its box's top and no further.
    let first_top = whole
        .lines
        .iter()
        .position(|l| l.to_string().starts_with("╭─ ruby"))
        .expect("the ruby block");
    assert_eq!(batches[0], first_top + 1, "{batches:?}");
    assert!(whole.lines.len() > 1000, "{} rows", whole.lines.len());
}

#[test]
fn blocks_highlighted_on_other_threads_fill_their_rows_as_they_arrive() {
    // Workers highlight while the writer draws: whichever is first, the rows are the same.
    let chapter = chapter(&document("workers"));
    let (whole, mut whole_links) = render_chapter_with_links(&chapter, &opts(60));
    whole_links.sort_by_key(|l| (l.row, l.columns.start));
    crate::render::clear_highlight_cache();
    LEAVE_HOLES.with(|on| on.set(true));
    let markdown = chapter.markdown.as_str();
    queue(fenced_blocks(markdown));
    let (rows, links, _) = streamed(&chapter, 60);
    LEAVE_HOLES.with(|on| on.set(false));
    assert_eq!(rows, whole.lines);
    assert_eq!(links, whole_links);
}
