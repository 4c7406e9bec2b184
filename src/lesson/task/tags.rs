//! The `<details>` and `<summary>` tags of a chapter's HTML blocks, found by a pattern (they
//! may be spread over one block in any case and with attributes).

#[derive(Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    Open,
    /// The summary's text, inner tags removed.
    Summary(String),
    Close,
}

#[derive(Debug)]
pub(super) struct Tag {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) what: TagKind,
}

/// The `<details …>`, `<summary>…</summary>` and `</details>` tags of an HTML block, in order.
pub(super) fn tags(html: &str) -> Vec<Tag> {
    use std::sync::LazyLock;
    static TAGS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?is)(<details\b[^>]*>)|(</details\s*>)|<summary\b[^>]*>(.*?)</summary\s*>",
        )
        .expect("valid regex")
    });
    static INNER: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"<[^>]*>").expect("valid regex"));
    // Most HTML blocks hold no such tag: compiling the pattern cost 2 % of every command that
    // loads a course with HTML (the CommonMark spec), so it is compiled only when one might.
    if !might_hold_details(html) {
        return Vec::new();
    }
    TAGS.captures_iter(html)
        .map(|c| {
            let m = c.get(0).expect("whole match");
            let what = if c.get(1).is_some() {
                TagKind::Open
            } else if c.get(2).is_some() {
                TagKind::Close
            } else {
                let text = c.get(3).map_or("", |t| t.as_str());
                TagKind::Summary(INNER.replace_all(text, "").trim().to_string())
            };
            Tag {
                start: m.start(),
                end: m.end(),
                what,
            }
        })
        .collect()
}

/// Whether `html` has a `<details`, `</details` or `<summary` in any case (every match of
/// the pattern in [`tags`] starts with one).
fn might_hold_details(html: &str) -> bool {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        let starts =
            |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
        starts(b"details") || starts(b"/details") || starts(b"summary")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_open_summary_close_in_order() {
        let found: Vec<TagKind> =
            tags("<details open><summary><b>Hint</b> 1</summary>\n</DETAILS>\n")
                .into_iter()
                .map(|t| t.what)
                .collect();
        assert_eq!(
            found,
            vec![
                TagKind::Open,
                TagKind::Summary("Hint 1".into()),
                TagKind::Close
            ]
        );
        assert!(tags("<div>no details</div>").is_empty());
        assert!(!might_hold_details("<div>no details</div> a < b"));
        for html in [
            "<DETAILS>",
            "x</Details >",
            "<summary>s</summary>",
            "<details",
        ] {
            assert!(might_hold_details(html), "{html}");
        }
        assert_eq!(tags("<Summary>Hi</SUMMARY>").len(), 1);
    }
}
