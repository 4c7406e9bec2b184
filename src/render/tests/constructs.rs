//! One debug snapshot (styles recorded) per markdown construct, plus plain-text checks.

use insta::{assert_debug_snapshot, assert_snapshot};

use super::{assert_fits, md_plain, opts};
use crate::render::{RenderOptions, Theme, render_markdown};

fn styled(markdown: &str, width: u16) -> Vec<ratatui::text::Line<'static>> {
    let lines = render_markdown(markdown, &opts(width));
    assert_fits(&lines, width, markdown);
    lines
}

#[test]
fn headings_have_distinct_levels() {
    let md = "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\ntext";
    assert_debug_snapshot!(styled(md, 40));
}

#[test]
fn emphasis_strong_strikethrough_and_code() {
    assert_debug_snapshot!(styled(
        "plain *em* **strong** ***both*** ~~gone~~ `code span` **bold `code`**",
        80
    ));
}

#[test]
fn links_show_their_url_unless_it_is_the_text() {
    let md = "[docs](https://docs.docker.com) and <https://hub.docker.com> and \
              <me@example.com> and [local](#setup) and [empty]()";
    assert_debug_snapshot!(styled(md, 80));
}

#[test]
fn nested_lists_hang_their_continuation_lines() {
    let md = "\
- first item whose text is long enough to wrap
  - nested bullet that also wraps around
    1. deep ordered item that wraps as well
- [x] done task that wraps onto a second line
- [ ] open task

7. seven
8. eight wraps onto the next line too
";
    let lines = styled(md, 30);
    assert_snapshot!(super::plain(&lines));
    assert_debug_snapshot!(lines);
}

#[test]
fn loose_lists_keep_blank_rows_between_items() {
    let md = "- one\n\n  second paragraph\n\n- two\n";
    assert_snapshot!(md_plain(md, 40), @r"
    • one

      second paragraph

    • two
    ");
}

#[test]
fn blockquotes_prefix_every_wrapped_line() {
    let md = "> outer quote that is long enough to wrap\n>\n> > inner quote that is long enough to wrap\n>\n> - a list in a quote";
    let lines = styled(md, 24);
    assert_snapshot!(super::plain(&lines));
    assert_debug_snapshot!(lines);
}

#[test]
fn tables_align_columns_and_bold_the_header() {
    let md = "| Left | Right | Center |\n|:-----|------:|:------:|\n| a | 1 | x |\n| longer cell | 12345 | mid |\n";
    assert_debug_snapshot!(styled(md, 80));
}

#[test]
fn tables_shrink_to_the_width_by_wrapping_cells() {
    let md = "| Command | What it does |\n|---|---|\n| `docker build -t flask-api .` | builds the image from the Dockerfile in this folder |\n";
    assert_snapshot!(md_plain(md, 30));
    let lines = styled(md, 30);
    assert_fits(&lines, 30, "table");
    let many = format!("|{}\n|{}\n", "col |".repeat(30), "---|".repeat(30));
    assert_fits(&styled(&many, 40), 40, "many columns");
}

#[test]
fn rules_span_the_width() {
    assert_debug_snapshot!(styled("above\n\n---\n\nbelow", 20));
}

#[test]
fn images_show_their_alt_text() {
    assert_debug_snapshot!(styled(
        "![the *Docker* whale](whale.png) ![](img/arch.svg)",
        80
    ));
}

#[test]
fn html_tags_are_read_not_shown() {
    let md = "<details>\n<summary>More</summary>\n</details>\n\nPress <kbd>Ctrl</kbd> now.";
    assert_debug_snapshot!(styled(md, 80));
}

#[test]
fn footnotes_are_referenced_inline_and_defined_at_the_end() {
    let md = "Images are layered[^layers] and cached[^2].\n\n[^layers]: Each instruction adds a layer.\n[^2]: Unchanged layers are reused.\n\nAfter the notes.";
    let lines = styled(md, 40);
    assert_snapshot!(super::plain(&lines), @r"
    Images are layered[layers] and
    cached[2].

    After the notes.

    ────────────────────
    [layers] Each instruction adds a layer.
    [2] Unchanged layers are reused.
    ");
    assert_debug_snapshot!(lines);
}

#[test]
fn hard_and_soft_breaks() {
    assert_snapshot!(md_plain("soft\nbreak joins\\\nhard break splits  \ntwo spaces too", 40), @r"
    soft break joins
    hard break splits
    two spaces too
    ");
}

#[test]
fn code_blocks_are_highlighted_and_wrapped_with_a_continuation_mark() {
    let md = "```python\nimport joblib\nmodel = joblib.load('model.joblib')  # a long comment that goes past the edge\n```\n";
    let lines = styled(md, 40);
    assert_snapshot!(super::plain(&lines), @r"
    ╭─ python
    │ import joblib
    │ model = joblib.load('model.joblib')  #
    │ ↪  a long comment that goes past the e
    │ ↪ dge
    ╰─
    ");
    assert_debug_snapshot!(lines);
}

#[test]
fn code_blocks_expand_tabs_and_neutralise_escapes() {
    let md = "```\na\tb\n\u{1b}[2Jcleared?\n```\n";
    assert_snapshot!(md_plain(md, 40), @r"
    ╭─
    │ a   b
    │ �[2Jcleared?
    ╰─
    ");
}

#[test]
fn wide_characters_and_emoji_wrap_by_display_width() {
    let md = "コンテナは 🐳 どこでも 同じように 動きます 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀\n\n| 名前 | 🐳 |\n|---|---|\n| 日本語 | ✅ |";
    for width in [12, 20, 40] {
        assert_fits(&render_markdown(md, &opts(width)), width, "wide");
    }
    assert_snapshot!(md_plain(md, 20));
}

#[test]
fn words_longer_than_the_width_are_broken() {
    let url = "https://example.com/a/very/long/path/that/does/not/fit/anywhere";
    assert_snapshot!(md_plain(&format!("see {url}"), 20), @r"
    see
    https://example.com/
    a/very/long/path/tha
    t/does/not/fit/anywh
    ere
    ");
}

#[test]
fn monochrome_uses_no_colours() {
    let mono = RenderOptions {
        width: 80,
        color: false,
    };
    let lines = render_markdown(super::SAMPLE, &mono);
    for span in lines.iter().flat_map(|l| &l.spans) {
        assert_eq!((span.style.fg, span.style.bg), (None, None), "{span:?}");
    }
    assert!(!Theme::new(false).code_inline.add_modifier.is_empty());
}

#[test]
fn deep_nesting_keeps_room_for_text() {
    let md = format!("{}deep text here", "> ".repeat(30));
    let lines = render_markdown(&md, &opts(20));
    assert_fits(&lines, 20, "deep quotes");
    assert!(super::plain(&lines).contains("deep"));
}

#[test]
fn ordered_list_numbers_are_right_aligned() {
    let md = "8. eight\n9. nine\n10. ten wraps onto a second line\n";
    assert_snapshot!(md_plain(md, 24), @r"
     8. eight
     9. nine
    10. ten wraps onto a
        second line
    ");
}

/// The text under each link region (ASCII lines: a column is a character).
fn linked_text(markdown: &str, width: u16) -> Vec<(String, String)> {
    let (lines, links) = crate::render::render_markdown_with_links(markdown, &opts(width));
    links
        .iter()
        .map(|link| {
            let row = super::plain(&lines[link.row..=link.row]);
            let text: String = row
                .chars()
                .skip(link.columns.start)
                .take(link.columns.len())
                .collect();
            (text, link.url.clone())
        })
        .collect()
}

#[test]
fn link_regions_follow_the_link_text_through_wrapping() {
    let url = "https://docs.docker.com";
    let md = format!("- see [the Docker documentation]({url}) or [hub](https://hub.docker.com)\n");
    assert_eq!(
        linked_text(&md, 20),
        [
            ("the Docker".to_string(), url.to_string()),
            ("documentation".to_string(), url.to_string()),
            ("hub".to_string(), "https://hub.docker.com".to_string()),
        ]
    );
}

#[test]
fn link_regions_in_footnotes_and_quotes_point_at_their_rows() {
    let md = "Intro[^n].\n\n> quoted [link](https://a.example)\n\n[^n]: See [notes](https://b.example).\n";
    assert_eq!(
        linked_text(md, 40),
        [
            ("link".to_string(), "https://a.example".to_string()),
            ("notes".to_string(), "https://b.example".to_string()),
        ]
    );
}

#[test]
fn html_comments_are_hidden() {
    let md = "before\n\n<!-- markdownlint-disable MD013 -->\n\nafter <!-- note --> end\n";
    assert_snapshot!(md_plain(md, 40), @r"
    before

    after  end
    ");
}

#[test]
fn link_regions_inside_table_cells() {
    let md = "| Tool | Docs |\n|---|--:|\n| Compose | [compose docs](https://docs.docker.com/compose/) |\n";
    assert_eq!(
        linked_text(md, 40),
        [(
            "compose docs".to_string(),
            "https://docs.docker.com/compose/".to_string()
        )]
    );
}

#[test]
fn github_alerts_are_boxes_titled_with_their_kind() {
    let md = "> [!WARNING]\n> `docker system prune` deletes every stopped container.\n\n> [!NOTE]\n> Plain quote text.\n\n> [!BOGUS]\n> stays a quote";
    let lines = styled(md, 60);
    assert_snapshot!(super::plain(&lines), @r"
    ╭─ Warning ─────────────────────────────────────────────────
    │ docker system prune deletes every stopped container.
    ╰───────────────────────────────────────────────────────────

    ╭─ Note ────────────────────────────────────────────────────
    │ Plain quote text.
    ╰───────────────────────────────────────────────────────────

    │ [!BOGUS] stays a quote
    ");
    assert_debug_snapshot!(lines);
}

#[test]
fn kramdown_attribute_lists_are_hidden_but_code_keeps_them() {
    // As in Docker's getting-started docs (Jekyll).
    let md = "![Todo List](todo.png){: style=\"width:50%;\" }\n{: .text-center }\n\nKeep `{: this }` and {braces}.\n\n```sh\necho '{: kept }'\n```\n";
    let text = md_plain(md, 80);
    assert!(
        !text.contains("text-center") && !text.contains("width:50%"),
        "{text}"
    );
    assert!(text.contains("[image: Todo List]"), "{text}");
    assert!(text.contains("Keep {: this } and {braces}."), "{text}");
    assert!(text.contains("echo '{: kept }'"), "{text}");
}
