//! Markup of other tools, one snapshot per construct (plain text: the layout; debug: styles
//! where the kind's colour matters), and folds as the TUI draws them.

use std::collections::BTreeSet;

use insta::{assert_debug_snapshot, assert_snapshot};

use super::{assert_fits, chapter, md_plain, opts, plain};
use crate::render::{FoldPolicy, render_chapter, render_chapter_folded, render_markdown};

fn both(name: &str, md: &str, width: u16) -> String {
    let lines = render_markdown(md, &opts(width));
    assert_fits(&lines, width, name);
    plain(&lines)
}

#[test]
fn mkdocs_admonitions_collapsibles_and_nesting() {
    let md = "Before.\n\n!!! info \"Pro-tip\"\n    Use **BuildKit**: it caches layers.\n\n    - a list\n    - inside\n\n??? warning\n    Folded by default.\n\n    !!! tip\n        Nested.\n\nAfter.\n";
    assert_snapshot!(both("mkdocs", md, 40));
}

#[test]
fn mkdocs_admonition_colours_follow_the_kind() {
    let md = "!!! danger \"Data loss\"\n    `docker volume prune`\n";
    assert_debug_snapshot!(render_markdown(md, &opts(30)));
}

#[test]
fn mkdocs_content_tabs_are_labelled_sections() {
    let md = "=== \"Linux\"\n\n    ```bash\n    docker ps\n    ```\n\n=== \"Windows\"\n\n    Use PowerShell.\n";
    assert_snapshot!(both("tabs", md, 30));
}

#[test]
fn hugo_tabs_callouts_and_unknown_shortcodes() {
    let md = "{{< tabs >}}\n{{< tab name=\"CLI\" >}}\nRun it:\n```console\n$ docker ps\n```\n{{< /tab >}}\n{{< tab name=\"Docker Desktop\" >}}\nOpen the **Containers** view.\n{{< /tab >}}\n{{< /tabs >}}\n\n{{% notice tip %}}\nPrune often.\n{{% /notice %}}\n\n{{< youtube abc123 >}}\n{{< custom >}}\nInner text kept.\n{{< /custom >}}\nSee {{< ref \"other.md\" >}} for more.\n";
    assert_snapshot!(both("hugo", md, 40));
}

#[test]
fn myst_quarto_and_docusaurus_directives() {
    let md = "```{note}\nBy default the root dir is `/home/jovyan`.\n```\n\n````{admonition} Mind the port\n:class: tip\nPort 8888 must be free.\n````\n\n:::{warning}\nRootless Podman.\n:::\n\n::: {.callout-tip title=\"Faster builds\"}\nUse a cache mount.\n:::\n\n:::caution[Heads up]\nDocusaurus too.\n:::\n";
    assert_snapshot!(both("myst", md, 40));
}

#[test]
fn html_details_br_img_layout_tags_and_comments() {
    let md = "<p align=\"center\">\n  <img src=\"logo.png\" alt=\"Docker logo\" width=\"200\"><br>\n  <b>Ship</b> &amp; run\n</p>\n\n<!-- a note to the author -->\n\n<details>\n<summary>Why a slim image?</summary>\n\nSmaller images pull faster.<br>And have fewer CVEs.\n\n</details>\n\n<details><summary>All in one block</summary>Hidden text.</details>\n\n<center>Centered <a href=\"https://docs.docker.com\">docs</a></center>\n\n<div align=\"right\"><small>© Someone</small></div>\n\n<script>alert(1)</script>\n";
    assert_snapshot!(both("html", md, 40));
}

#[test]
fn folds_are_closed_in_the_tui_until_toggled_and_steps_keep_theirs_open() {
    let md = "# T\n\n<details>\n<summary>More</summary>\n\nSecret text.\n\n</details>\n\n???+ note \"Open by default\"\n    Visible.\n\n<details>\n<summary>Has a step</summary>\n\n```sh\ndocker ps\n```\n\n</details>\n";
    let chapter = chapter(md);
    assert_eq!(chapter.steps.len(), 1);
    let none = BTreeSet::new();
    let (closed, _) = render_chapter_folded(&chapter, &opts(40), FoldPolicy::Toggled(&none));
    let text = plain(&closed.lines);
    assert_snapshot!(text);
    assert!(!text.contains("Secret"), "{text}");
    assert_eq!(closed.anchors.len(), 1, "the step is shown");
    let states: Vec<(usize, bool)> = closed.folds.iter().map(|f| (f.index, f.open)).collect();
    assert_eq!(states, [(0, false), (1, true), (2, true)]);
    let row = closed.folds[0].row;
    assert!(plain(&closed.lines[row..=row]).contains("▸ More"));
    let toggled = BTreeSet::from([0, 1]);
    let (open, _) = render_chapter_folded(&chapter, &opts(40), FoldPolicy::Toggled(&toggled));
    let text = plain(&open.lines);
    assert!(
        text.contains("Secret text.") && !text.contains("Visible."),
        "{text}"
    );
    // `show` draws every fold open.
    let all = plain(&render_chapter(&chapter, &opts(40)).lines);
    assert!(
        all.contains("Secret text.") && all.contains("Visible."),
        "{all}"
    );
}

#[test]
fn sized_boxes_end_where_their_body_ends_inside_lists() {
    let md =
        "1. First\n\n    !!! note\n        Inside the item.\n\n    Still the item.\n\n2. Second\n";
    assert_snapshot!(md_plain(md, 40), @r"
    1. First

       ╭─ Note ─────────────────────────────
       │ Inside the item.
       ╰────────────────────────────────────

       Still the item.

    2. Second
    ");
}

#[test]
fn alert_with_a_step_inside_keeps_the_step() {
    let md = "> [!TIP]\n> Try it:\n>\n> ```sh\n> docker version\n> ```\n";
    let chapter = chapter(md);
    let rendered = render_chapter(&chapter, &opts(40));
    assert_eq!(rendered.anchors.len(), 1);
    assert_snapshot!(plain(&rendered.lines), @r"
    ╭─ Tip ─────────────────────────────────
    │ Try it:
    │
    │ ▶ Step 1 · runs: sh          ○ not run
    │ │ docker version
    │ ╰─
    ╰───────────────────────────────────────
    ");
}

#[test]
fn show_keeps_long_urls_whole_on_their_own_row_and_links_bare_ones() {
    let url = "https://docs.docker.com/reference/cli/docker/container/run/#publish";
    let md =
        format!("Read {url} for the flags, or [the guide](https://docs.docker.com/guides/).\n");
    let chapter = chapter(&md);
    let (rendered, links) = crate::render::render_chapter_with_links(&chapter, &opts(30));
    assert_snapshot!(plain(&rendered.lines), @r"
    Read
    https://docs.docker.com/reference/cli/docker/container/run/#publish
    for the flags, or the guide
    (https://docs.docker.com/guides/).
    ");
    let row = links
        .iter()
        .find(|l| l.url == url)
        .expect("the bare URL is a link");
    assert_eq!(row.columns, 0..url.len(), "one region over the whole URL");
    // The TUI's rows cannot be wider: there the URL is broken, every piece linking to it.
    let none = BTreeSet::new();
    let (tui, links) = render_chapter_folded(&chapter, &opts(30), FoldPolicy::Toggled(&none));
    assert_fits(&tui.lines, 30, "tui");
    assert!(links.iter().filter(|l| l.url == url).count() >= 2);
}

#[test]
fn hugo_kind_shortcodes_expand_folds_and_html_rules() {
    let md = "{{< warning >}}\nStop first.\n{{< /warning >}}\n\n{{< expand \"More\" >}}\nDetails.\n{{< /expand >}}\n\nabove<hr>below\n";
    assert_snapshot!(md_plain(md, 30), @r"
    ╭─ Warning ───────────────────
    │ Stop first.
    ╰─────────────────────────────

    ╭─ ▾ More ────────────────────
    │ Details.
    ╰─────────────────────────────

    above

    ──────────────────────────────

    below
    ");
}
