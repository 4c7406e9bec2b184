//! The `<details>` and `<summary>` tags of a chapter's HTML blocks, found by a scan (they
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

/// The `<details …>`, `<summary>…</summary>` and `</details>` tags of an HTML block, in order,
/// any case, found as the pattern `tests::PATTERN` finds them (leftmost first, no overlap).
/// Scanned by hand: compiling that pattern was 6 % of loading the official course (every
/// command that opens it); a property test holds the two to the same answers.
pub(super) fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        match tag_at(html, start) {
            Some((end, what)) => {
                found.push(Tag { start, end, what });
                at = end;
            }
            None => at = start + 1,
        }
    }
    found
}

/// The tag starting at `start` (a `<`) and where it ends, if it is one of ours.
fn tag_at(html: &str, start: usize) -> Option<(usize, TagKind)> {
    let rest = &html[start + 1..];
    if let Some(after) = word_then_boundary(rest, "details") {
        let close = after.find('>')?;
        return Some((html.len() - after.len() + close + 1, TagKind::Open));
    }
    if let Some(after) = strip_prefix_ci(rest, "/details") {
        let after = after.trim_start_matches(char::is_whitespace);
        let after = after.strip_prefix('>')?;
        return Some((html.len() - after.len(), TagKind::Close));
    }
    let after = word_then_boundary(rest, "summary")?;
    let inner = &after[after.find('>')? + 1..];
    let mut from = 0;
    loop {
        let lt = inner[from..].find("</")? + from;
        if let Some(tail) = strip_prefix_ci(&inner[lt + 2..], "summary") {
            let tail = tail.trim_start_matches(char::is_whitespace);
            if let Some(tail) = tail.strip_prefix('>') {
                let text = without_tags(&inner[..lt]);
                let end = html.len() - tail.len();
                return Some((end, TagKind::Summary(text.trim().to_string())));
            }
        }
        from = lt + 1;
    }
}

/// `text` after `prefix` (ASCII, any case).
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` after `word` (any case) when no word character follows it (the pattern's `\b`).
fn word_then_boundary<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let after = strip_prefix_ci(text, word)?;
    match after.chars().next() {
        Some(c) if is_word_char(c) => None,
        _ => Some(after),
    }
}

/// Unicode's `\w` as the regex crate reads it: letters, digits, `_`, combining marks and
/// joiners (the marks: the common combining blocks).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\u{200c}' | '\u{200d}')
        || matches!(
            c as u32,
            0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f
        )
}

/// `text` with every `<…>` removed (a `<` without a `>` after it stays).
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        match rest[lt..].find('>') {
            Some(gt) => {
                out.push_str(&rest[..lt]);
                rest = &rest[lt + gt + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The pattern the tags were found by before they were scanned by hand: the oracle.
    const PATTERN: &str =
        r"(?is)(<details\b[^>]*>)|(</details\s*>)|<summary\b[^>]*>(.*?)</summary\s*>";

    fn by_pattern(html: &str) -> Vec<(usize, usize, TagKind)> {
        let tags = regex::Regex::new(PATTERN).unwrap();
        let inner = regex::Regex::new(r"<[^>]*>").unwrap();
        tags.captures_iter(html)
            .map(|c| {
                let m = c.get(0).unwrap();
                let what = if c.get(1).is_some() {
                    TagKind::Open
                } else if c.get(2).is_some() {
                    TagKind::Close
                } else {
                    let text = c.get(3).map_or("", |t| t.as_str());
                    TagKind::Summary(inner.replace_all(text, "").trim().to_string())
                };
                (m.start(), m.end(), what)
            })
            .collect()
    }

    fn by_hand(html: &str) -> Vec<(usize, usize, TagKind)> {
        tags(html)
            .into_iter()
            .map(|t| (t.start, t.end, t.what))
            .collect()
    }

    proptest! {
        #[test]
        fn the_scanner_finds_what_the_pattern_finds(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<details"), Just("<DeTaIlS"), Just("</details"), Just("</Details"),
                    Just("<summary"), Just("</summary"), Just("</SUMMARY"), Just("<summary_"),
                    Just("<detailsx"), Just("<b>"), Just("</b>"), Just("<"), Just(">"),
                    Just(" "), Just("\n"), Just("\t"), Just("open"), Just("é"),
                    Just("\u{301}"), Just("\u{a0}"), Just("Hint"), Just("/"),
                    Just("<!-- x -->"), Just("\u{3000}"),
                ],
                0..24,
            )
        ) {
            let html = parts.concat();
            prop_assert_eq!(by_hand(&html), by_pattern(&html), "{:?}", html);
        }
    }

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
        assert_eq!(tags("<Summary>Hi</SUMMARY>").len(), 1);
    }
}
