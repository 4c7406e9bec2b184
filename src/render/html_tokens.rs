//! HTML source cut into tags, text and comments (a forgiving tokenizer: a lone `<` is text),
//! attribute values read quoted or bare and case-insensitively, and the common entities
//! decoded. `html` draws what these pieces mean.

/// One piece of HTML source.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Text(&'a str),
    Tag(Tag<'a>),
    Comment(&'a str),
}

#[derive(Debug, PartialEq)]
pub(super) struct Tag<'a> {
    /// Lower case.
    pub(super) name: String,
    pub(super) closing: bool,
    pub(super) attrs: &'a str,
}

impl Tag<'_> {
    /// The value of attribute `name` (quoted or bare), entities decoded.
    pub(super) fn attr(&self, name: &str) -> Option<String> {
        let mut rest = self.attrs;
        while let Some(at) = find_ascii_ci(rest, name) {
            let before = rest[..at].chars().last();
            let after = rest[at + name.len()..].trim_start();
            rest = &rest[at + name.len()..];
            if before.is_some_and(|c| !c.is_whitespace()) {
                continue;
            }
            let Some(value) = after.strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let raw = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                _ => value
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            return Some(decode_entities(raw));
        }
        None
    }
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Splits HTML into text, tags and comments. Not a validating parser: a `<` that does not
/// start a tag is text.
pub(super) fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            tokens.push(Token::Text(rest));
            break;
        };
        if lt > 0 {
            tokens.push(Token::Text(&rest[..lt]));
        }
        let after = &rest[lt..];
        if let Some(body) = after.strip_prefix("<!--") {
            let end = body.find("-->").map_or(body.len(), |e| e + 3);
            tokens.push(Token::Comment(&after[..4 + end]));
            rest = &body[end.min(body.len())..];
            continue;
        }
        let closing = after[1..].starts_with('/');
        let name_start = if closing { 2 } else { 1 };
        let name_len = after[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len() - name_start);
        let starts_tag = name_len > 0
            && after[name_start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
        match after.find('>').filter(|_| starts_tag) {
            Some(gt) => {
                tokens.push(Token::Tag(Tag {
                    name: after[name_start..name_start + name_len].to_ascii_lowercase(),
                    closing,
                    attrs: after[name_start + name_len..gt].trim_end_matches('/'),
                }));
                rest = &after[gt + 1..];
            }
            None => {
                tokens.push(Token::Text(&after[..1]));
                rest = &after[1..];
            }
        }
    }
    tokens
}

/// `&amp;`, `&lt;`, `&nbsp;`, `&#39;`, `&#x2014;` and friends; unknown ones stay as written.
pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let named = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "copy" => Some('©'),
                "reg" => Some('®'),
                "trade" => Some('™'),
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "rarr" => Some('→'),
                "larr" => Some('←'),
                _ => None,
            };
            named
                .or_else(|| {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                })
                .map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A bare attribute (`<details open>`).
pub(super) fn has_flag(tag: &Tag<'_>, flag: &str) -> bool {
    tag.attrs
        .split(|c: char| c.is_whitespace() || c == '/')
        .any(|w| w.eq_ignore_ascii_case(flag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_tags_text_and_comments() {
        let tokens = tokenize("<p align=\"center\">Hi <!-- x --> a < b</P>");
        assert_eq!(tokens.len(), 7, "{tokens:?}");
        assert!(
            matches!(&tokens[0], Token::Tag(t) if t.name == "p" && t.attr("align").as_deref() == Some("center"))
        );
        assert_eq!(tokens[2], Token::Comment("<!-- x -->"));
        assert_eq!(tokens[4], Token::Text("<"), "a lone `<` is text");
        assert!(matches!(&tokens[6], Token::Tag(t) if t.name == "p" && t.closing));
    }

    #[test]
    fn attributes_quoted_bare_and_case_insensitive() {
        let tokens = tokenize("<img SRC=img/whale.png ALT='the whale' data-alt=\"no\">");
        let Token::Tag(tag) = &tokens[0] else {
            panic!()
        };
        assert_eq!(tag.attr("src").as_deref(), Some("img/whale.png"));
        assert_eq!(tag.attr("alt").as_deref(), Some("the whale"));
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#39;d&#x27; &nbsp;&bogus; & x"),
            "a & b <c> 'd' \u{a0}&bogus; & x"
        );
    }
}
