//! Just enough POSIX shell reading to see which programs a step runs: words with quotes and
//! escapes, `;` `&&` `||` `|` `&` and newlines between commands, comments, line
//! continuations, redirections and here-documents. Not an interpreter: `$VAR` stays as written.

/// One simple command: its words (quotes removed) and where it starts in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    /// 0-based line in the script.
    pub line: usize,
    /// 0-based character column in that line.
    pub column: usize,
}

/// Splits a shell script into simple commands.
pub fn simple_commands(script: &str) -> Vec<SimpleCommand> {
    let mut lexer = Lexer::default();
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next == Some('\n') => {
                lexer.newline_in_word();
                i += 2;
                continue;
            }
            '\\' => {
                lexer.start_word();
                if let Some(n) = next {
                    lexer.push(n);
                }
                lexer.col += 2;
                i += 2;
                continue;
            }
            '\'' | '"' => {
                lexer.start_word();
                i = lexer.quoted(&chars, i);
                continue;
            }
            '$' if next == Some('(') => {
                lexer.start_word();
                i = lexer.substitution(&chars, i);
                continue;
            }
            '#' if lexer.word.is_none() => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\n' => {
                lexer.end_command();
                lexer.line += 1;
                lexer.col = 0;
                i += 1;
                if !lexer.heredocs.is_empty() {
                    i = lexer.skip_heredocs(&chars, i);
                }
                continue;
            }
            ';' | '&' | '|' | '(' | ')' => lexer.end_command(),
            '<' | '>' => {
                // `2>&1`: the digits name a file descriptor, not a word.
                if lexer
                    .word
                    .as_deref()
                    .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
                {
                    lexer.word = None;
                }
                lexer.end_word();
                if c == '<' && next == Some('<') {
                    i = lexer.heredoc_start(&chars, i + 2);
                    continue;
                }
                while matches!(chars.get(i + 1), Some('>' | '&' | '<')) {
                    i += 1;
                    lexer.col += 1;
                }
                lexer.skip_next_word = true;
            }
            c if c.is_whitespace() => lexer.end_word(),
            c => {
                lexer.start_word();
                lexer.push(c);
            }
        }
        lexer.col += 1;
        i += 1;
    }
    lexer.end_command();
    lexer.commands
}

#[derive(Default)]
struct Lexer {
    commands: Vec<SimpleCommand>,
    words: Vec<String>,
    word: Option<String>,
    start: Option<(usize, usize)>,
    line: usize,
    col: usize,
    skip_next_word: bool,
    heredocs: Vec<String>,
}

impl Lexer {
    fn start_word(&mut self) {
        if self.word.is_none() {
            self.word = Some(String::new());
            if self.start.is_none() && !self.skip_next_word {
                self.start = Some((self.line, self.col));
            }
        }
    }

    fn push(&mut self, c: char) {
        self.word.get_or_insert_with(String::new).push(c);
    }

    fn newline_in_word(&mut self) {
        self.end_word();
        self.line += 1;
        self.col = 0;
    }

    fn end_word(&mut self) {
        if let Some(word) = self.word.take() {
            if std::mem::take(&mut self.skip_next_word) {
                return;
            }
            self.words.push(word);
        }
    }

    fn end_command(&mut self) {
        self.end_word();
        self.skip_next_word = false;
        let start = self.start.take();
        if !self.words.is_empty() {
            let (line, column) = start.unwrap_or((self.line, 0));
            self.commands.push(SimpleCommand {
                words: std::mem::take(&mut self.words),
                line,
                column,
            });
        }
    }

    /// Reads a quoted part of a word starting at `chars[i]`; returns the index after it.
    fn quoted(&mut self, chars: &[char], mut i: usize) -> usize {
        let quote = chars[i];
        i += 1;
        self.col += 1;
        while i < chars.len() && chars[i] != quote {
            if chars[i] == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += 1;
            }
            let escaped = quote == '"'
                && chars[i] == '\\'
                && matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`'));
            if escaped {
                i += 1;
                self.col += 1;
            }
            self.push(chars[i]);
            i += 1;
        }
        self.col += 1;
        i + 1
    }

    /// Keeps `$( … )` (nested) as part of the current word, as written.
    fn substitution(&mut self, chars: &[char], mut i: usize) -> usize {
        let mut depth = 0;
        while i < chars.len() {
            let c = chars[i];
            self.push(c);
            self.col += 1;
            i += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        i
    }

    /// After `<<`: reads the delimiter word (`EOF`, `'EOF'`, `-EOF`); returns the next index.
    fn heredoc_start(&mut self, chars: &[char], mut i: usize) -> usize {
        if chars.get(i) == Some(&'-') {
            i += 1;
        }
        while chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
            i += 1;
        }
        let mut delimiter = String::new();
        while let Some(&c) = chars.get(i) {
            if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')') {
                break;
            }
            if !matches!(c, '\'' | '"' | '\\') {
                delimiter.push(c);
            }
            i += 1;
        }
        if !delimiter.is_empty() {
            self.heredocs.push(delimiter);
        }
        i
    }

    /// Skips the bodies of pending here-documents, starting at a line start.
    fn skip_heredocs(&mut self, chars: &[char], mut i: usize) -> usize {
        for delimiter in std::mem::take(&mut self.heredocs) {
            while i < chars.len() {
                let end = (i..chars.len())
                    .find(|&j| chars[j] == '\n')
                    .unwrap_or(chars.len());
                let line: String = chars[i..end].iter().collect();
                i = end + 1;
                self.line += 1;
                if line.trim() == delimiter {
                    break;
                }
            }
        }
        i.min(chars.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        simple_commands(script)
            .into_iter()
            .map(|c| c.words)
            .collect()
    }

    #[test]
    fn splits_on_operators_and_newlines() {
        assert_eq!(
            words("a b && c 'd e'; f | g\nh \"i \\\" j\" # comment\n"),
            vec![
                vec!["a", "b"],
                vec!["c", "d e"],
                vec!["f"],
                vec!["g"],
                vec!["h", "i \" j"]
            ]
        );
    }

    #[test]
    fn continuations_redirections_and_heredocs() {
        let cmds = simple_commands(
            "x\ndocker run \\\n  -p 80:80 \\\n  nginx 2>&1 > log.txt\ncat > f <<'EOF'\ndocker run -it evil\nEOF\necho done",
        );
        let words: Vec<_> = cmds.iter().map(|c| c.words.join(" ")).collect();
        assert_eq!(
            words,
            ["x", "docker run -p 80:80 nginx", "cat", "echo done"]
        );
        assert_eq!((cmds[1].line, cmds[1].column), (1, 0));
        assert_eq!(cmds[3].line, 7);
    }

    #[test]
    fn command_substitution_stays_one_word() {
        assert_eq!(
            words("docker rm -f $(docker ps -q --filter name=x)"),
            vec![vec![
                "docker",
                "rm",
                "-f",
                "$(docker ps -q --filter name=x)"
            ]]
        );
    }
}
