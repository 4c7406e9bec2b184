//! Whole chapters: wrapping at the usual widths, step anchors.

use insta::assert_snapshot;

use super::{SAMPLE, assert_fits, chapter, opts, plain};
use crate::render::{StepBadge, render_chapter, step_header_in_place};

#[test]
fn sample_wraps_at_40() {
    assert_snapshot!(plain(&render_chapter(&chapter(SAMPLE), &opts(40)).lines));
}

#[test]
fn sample_wraps_at_80() {
    assert_snapshot!(plain(&render_chapter(&chapter(SAMPLE), &opts(80)).lines));
}

#[test]
fn sample_wraps_at_120() {
    assert_snapshot!(plain(&render_chapter(&chapter(SAMPLE), &opts(120)).lines));
}

#[test]
fn sample_fits_every_width() {
    let chapter = chapter(SAMPLE);
    for width in 1..=130 {
        assert_fits(
            &render_chapter(&chapter, &opts(width)).lines,
            width.max(1),
            "sample",
        );
    }
}

#[test]
fn anchors_point_at_headers_and_after_code_blocks() {
    let chapter = chapter(SAMPLE);
    assert_eq!(chapter.steps.len(), 3);
    for width in [40, 80, 120] {
        let rendered = render_chapter(&chapter, &opts(width));
        assert_eq!(rendered.anchors.len(), 3);
        for (i, anchor) in rendered.anchors.iter().enumerate() {
            assert_eq!(anchor.step_index, i);
            let header = plain(&rendered.lines[anchor.header_row..=anchor.header_row]);
            assert!(header.starts_with(&format!("▶ Step {}", i + 1)), "{header}");
            let step = &chapter.steps[i];
            let code_rows = step.code.lines().count();
            // Header, the code lines (long ones go on over `↪` rows), the closing border:
            // then the output row.
            let continued = rendered.lines[anchor.header_row + 1..anchor.output_row]
                .iter()
                .filter(|l| plain(std::slice::from_ref(l)).starts_with("│ ↪ "))
                .count();
            assert_eq!(
                anchor.output_row,
                anchor.header_row + code_rows + continued + 2
            );
            let closing = plain(&rendered.lines[anchor.output_row - 1..anchor.output_row]);
            assert_eq!(closing.trim_end(), "╰─");
            let first_code = plain(&rendered.lines[anchor.header_row + 1..anchor.header_row + 2]);
            let first_line = step.code.lines().next().unwrap_or_default();
            assert!(
                first_code.starts_with(&format!("│ {}", &first_line[..first_line.len().min(10)])),
                "{first_code}"
            );
        }
    }
}

#[test]
fn steps_inside_lists_are_anchored_too() {
    let md = "1. Build it:\n\n   ```sh\n   docker build -t app .\n   ```\n\n2. Done\n";
    let chapter = chapter(md);
    let rendered = render_chapter(&chapter, &opts(60));
    let [anchor] = rendered.anchors[..] else {
        panic!("{:?}", rendered.anchors)
    };
    let header = plain(&rendered.lines[anchor.header_row..=anchor.header_row]);
    assert!(header.starts_with("   ▶ Step 1"), "{header}");
    assert_fits(&rendered.lines, 60, "list step");
    // A live redraw keeps the list indent.
    let running = StepBadge::Running {
        elapsed: std::time::Duration::from_secs(2),
        frame: 0,
    };
    let line = &rendered.lines[anchor.header_row];
    let redrawn = step_header_in_place(line, &chapter.steps[0], &running, true, &opts(60));
    let text = plain(std::slice::from_ref(&redrawn));
    assert!(text.starts_with("   ▶ Step 1 · runs: sh"), "{text}");
    assert!(text.trim_end().ends_with("⠋ running 2.0s"), "{text}");
    assert_eq!(redrawn.width(), 60);
}

#[test]
fn blocks_that_are_not_steps_get_no_anchor() {
    let md = "```python\nprint(1)\n```\n";
    let rendered = render_chapter(&chapter(md), &opts(60));
    assert!(rendered.anchors.is_empty());
}

#[test]
fn every_chapter_of_the_embedded_course_renders_with_anchors_on_its_steps() {
    let course = crate::lesson::load_embedded();
    if course.chapters.is_empty() {
        eprintln!("\n!!! the embedded course has no chapters yet: nothing rendered !!!\n");
        return;
    }
    for chapter in &course.chapters {
        for width in [40, 80, 120] {
            let rendered = render_chapter(chapter, &opts(width));
            assert_fits(&rendered.lines, width, &chapter.display_path);
            assert_eq!(
                rendered.anchors.len(),
                chapter.steps.len(),
                "{}",
                chapter.display_path
            );
            for anchor in &rendered.anchors {
                let header = plain(&rendered.lines[anchor.header_row..=anchor.header_row]);
                let number = format!("▶ Step {}", anchor.step_index + 1);
                assert!(
                    header.trim_start_matches([' ', '│']).starts_with(&number),
                    "{header}"
                );
                // The row before the output row closes the step's code block.
                let last = plain(&rendered.lines[anchor.output_row - 1..anchor.output_row]);
                assert!(last.trim().ends_with("╰─"), "{last}");
            }
        }
    }
}

#[test]
fn warm_up_highlights_every_code_block() {
    let chapter = chapter(SAMPLE);
    assert_eq!(
        crate::render::warm_up(std::slice::from_ref(&chapter), &opts(80)),
        3
    );
    let md = "```python\nx = 1\n```\n\n    indented\n\n- ```sh\n  ls\n  ```\n";
    assert_eq!(crate::render::warm_up(&[super::chapter(md)], &opts(80)), 3);
    // Without colour nothing is cached: the renderer cuts such blocks into rows itself.
    let no_color = crate::render::RenderOptions {
        width: 80,
        color: false,
    };
    assert_eq!(crate::render::warm_up(&[super::chapter(md)], &no_color), 0);
}

#[test]
fn sample_output_and_container_lines_of_a_step_are_dimmed() {
    let md = "# T\n\n```bash\n$ docker run -it busybox sh\n/ # ls\nbin   dev\n$ docker ps\n```\n";
    let rendered = render_chapter(&chapter(md), &opts(60));
    let theme = crate::render::Theme::new(true);
    // Whether every span of the row holding `needle`, after its `│ ` border, is dimmed.
    let dimmed = |needle: &str| {
        let line = rendered
            .lines
            .iter()
            .find(|l| plain(std::slice::from_ref(*l)).contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}"));
        let border = line
            .spans
            .iter()
            .position(|s| s.content.contains('│'))
            .unwrap();
        line.spans[border + 1..]
            .iter()
            .filter(|s| !s.content.trim().is_empty())
            .all(|s| s.style == theme.console_output)
    };
    assert!(dimmed("/ # ls"));
    assert!(dimmed("bin   dev"));
    assert!(!dimmed("docker ps"));
}

#[test]
fn a_streamed_chapter_is_the_whole_render_in_batches() {
    // Long enough for several batches, with what a batch boundary could cut: footnote
    // definitions drawn mid-document (their rows, more than a batch, go at the end), links on many rows, a step,
    // a box, and a code block longer than a batch.
    let mut md = String::from("# Streamed\n\n```sh\n");
    md.push_str(&"echo a line of a long script\n".repeat(300));
    md.push_str("```\n\n");
    for n in 0..400 {
        md.push_str(&format!(
            "Paragraph {n} links [the docs](https://docs.docker.com/{n}) and a note[^n{n}].\n\n"
        ));
        md.push_str(&format!(
            "[^n{n}]: Note {n}, see <https://example.com/{n}>.\n\n"
        ));
        if n % 50 == 7 {
            md.push_str("> [!TIP]\n> A box with [a link](https://example.org).\n\n");
        }
    }
    let chapter = chapter(&md);
    let (whole, whole_links) = crate::render::render_chapter_with_links(&chapter, &opts(40));
    let mut rows = Vec::new();
    let mut links = Vec::new();
    let mut batches = 0;
    let streamed = crate::render::stream_chapter(&chapter, &opts(40), &mut |batch, on_batch| {
        links.extend(on_batch.iter().map(|link| {
            assert!(link.row < batch.len(), "a link's row is in its batch");
            crate::render::LinkRegion {
                row: link.row + rows.len(),
                ..link.clone()
            }
        }));
        rows.extend_from_slice(batch);
        batches += 1;
    });
    assert!(batches > 3, "{batches} batches");
    assert!(streamed.lines.is_empty(), "the rows went to the sink");
    assert_eq!(rows, whole.lines);
    let by_place = |links: &mut Vec<crate::render::LinkRegion>| {
        links.sort_by_key(|l| (l.row, l.columns.start));
    };
    let mut whole_links = whole_links;
    by_place(&mut whole_links);
    by_place(&mut links);
    assert!(links.len() > 400, "{} links", links.len());
    assert_eq!(links, whole_links);
    assert!(!whole.anchors.is_empty(), "the script is a step");
    assert_eq!(streamed.anchors, whole.anchors);
}
