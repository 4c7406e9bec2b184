//! A quick look for fenced code blocks in markdown before it is parsed, so `show` can start
//! highlighting them while the parser and the writer run (`highlight_ahead`). Only fences
//! outside containers (or indented as a list item's are) are read; a block read wrong is
//! merely not found ready later: the cache is keyed by the block's language and text, and the
//! writer draws what the parser finds.

use std::borrow::Cow;

use super::code_lines::lang_token;

/// The (language token, code) of the fenced blocks the look finds, in document order. The
/// code is borrowed from `text` unless an indented fence's lines lose their indentation.
pub(crate) fn fenced_blocks(text: &str) -> Vec<(String, Cow<'_, str>)> {
    let mut blocks = Vec::new();
    let mut lines = Lines { text, at: 0 };
    let offset = |line: &str| line.as_ptr() as usize - text.as_ptr() as usize;
    while let Some(line) = lines.next() {
        let Some(fence) = opening(line) else {
            continue;
        };
        // The parser reads escapes and entities in an info string: such a block is left to it.
        let readable = !fence.info.contains(['\\', '&']);
        let start = offset(line) + line.len();
        let mut end = start;
        let mut owned: Option<String> = None;
        let mut closed = false;
        for line in lines.by_ref() {
            if fence.closed_by(line) {
                closed = true;
                break;
            }
            let code = strip_spaces(line, fence.indent);
            if code.len() < line.len() && owned.is_none() {
                owned = Some(text[start..end].to_string());
            }
            match &mut owned {
                Some(owned) => owned.push_str(code),
                None => end += line.len(),
            }
        }
        // An unclosed block runs to the end of its container, which this look does not know.
        if closed && readable {
            let code = owned.map_or(Cow::Borrowed(&text[start..end]), Cow::Owned);
            blocks.push((lang_token(fence.info), code));
        }
    }
    blocks
}

/// The lines of a text, each with its `\n`, found with memchr (`split_inclusive` cost
/// 11 instructions a byte).
struct Lines<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.text.get(self.at..).filter(|rest| !rest.is_empty())?;
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.at += len;
        Some(&rest[..len])
    }
}

struct Fence<'a> {
    indent: usize,
    mark: u8,
    len: usize,
    info: &'a str,
}

/// A line opening a fenced block: up to 3 spaces, 3 or more backticks or tildes, an info
/// string (without backticks after backticks).
fn opening(line: &str) -> Option<Fence<'_>> {
    let indent = line.bytes().take(4).take_while(|&b| b == b' ').count();
    let rest = &line[indent..];
    let mark = *rest.as_bytes().first()?;
    if indent > 3 || !matches!(mark, b'`' | b'~') {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == mark).count();
    let info = rest[len..].trim();
    if len < 3 || (mark == b'`' && info.contains('`')) {
        return None;
    }
    Some(Fence {
        indent,
        mark,
        len,
        info,
    })
}

impl Fence<'_> {
    /// Up to 3 spaces, at least as many of the same mark, nothing but spaces after.
    fn closed_by(&self, line: &str) -> bool {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take(4).take_while(|&&b| b == b' ').count();
        // Most lines of a block: not the mark after at most 3 spaces.
        if indent > 3 || bytes.get(indent) != Some(&self.mark) {
            return false;
        }
        let rest = &bytes[indent..];
        let len = rest.iter().take_while(|&&b| b == self.mark).count();
        len >= self.len && rest[len..].iter().all(u8::is_ascii_whitespace)
    }
}

/// A content line without the fence's indentation (up to that many spaces).
fn strip_spaces(line: &str, indent: usize) -> &str {
    let spaces = line.bytes().take(indent).take_while(|&b| b == b' ').count();
    &line[spaces..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(String, String)> {
        fenced_blocks(text)
            .into_iter()
            .map(|(lang, code)| (lang, code.into_owned()))
            .collect()
    }

    #[test]
    fn fences_are_read_as_commonmark_reads_them() {
        let md = "# T\n\n```sh {id=a}\necho a\n```\n\n  ~~~~ Python\n  print(1)\n    x\n ~~~~~\n";
        assert_eq!(
            all(md),
            [
                ("sh".to_string(), "echo a\n".to_string()),
                ("python".to_string(), "print(1)\n  x\n".to_string()),
            ]
        );
        // A shorter fence or another mark does not close; an unclosed block is not read.
        let md = "````md\n```\nin\n~~~\n````\n```c\nopen\n";
        assert_eq!(all(md), [("md".to_string(), "```\nin\n~~~\n".to_string())]);
        // Four spaces before a closing fence make it code.
        assert_eq!(
            all("```\na\n    ```\n```\n"),
            [(String::new(), "a\n    ```\n".to_string())]
        );
        // Not fences: four spaces (indented code), backticks in a backtick info string.
        assert!(all("    ```\n    x\n    ```\n").is_empty());
        assert!(all("``` a`b\nx\n```\n").is_empty());
        // Left to the parser: an info string with an escape or an entity.
        assert!(all("``` f&ouml;\nx\n```\n").is_empty());
        assert_eq!(
            all("``` c\\+\nx\n```\n```py\nok\n```\n"),
            [("py".to_string(), "ok\n".to_string())]
        );
    }

    #[test]
    fn code_is_borrowed_unless_indentation_is_taken_off() {
        let md = "```sh\nls\n  x\n```\n  ```py\n  a\n   b\n  ```\n";
        let blocks = fenced_blocks(md);
        assert!(
            matches!(&blocks[0].1, Cow::Borrowed("ls\n  x\n")),
            "{blocks:?}"
        );
        assert!(
            matches!(&blocks[1].1, Cow::Owned(code) if code == "a\n b\n"),
            "{blocks:?}"
        );
    }
}
