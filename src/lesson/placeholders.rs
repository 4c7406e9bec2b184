//! Placeholders in tutorial commands: `docker rm -f <container-id>`, `docker push
//! YOUR_USERNAME/app`, `docker tag app your-username/app`, `cd {{ .Dir }}`. Run as written
//! they fail (`Syntax error: newline unexpected`) or do the wrong thing, so a step that has
//! one needs a value first.
//!
//! Go templates given to `--format`, `-f` or `--template` (`docker ps --format '{{.Names}}'`)
//! are Docker's own syntax, not placeholders.

use super::model::Placeholder;

/// The placeholders of a script, each written form once, in order of appearance.
pub fn find(script: &str) -> Vec<Placeholder> {
    let mut out: Vec<Placeholder> = Vec::new();
    let mut push = |name: &str, written: &str| {
        if !out.iter().any(|p| p.written == written) {
            out.push(Placeholder {
                name: name.to_string(),
                written: written.to_string(),
            });
        }
    };
    let mut in_heredoc: Option<String> = None;
    for line in script.lines() {
        if let Some(delimiter) = &in_heredoc {
            if line.trim() == delimiter {
                in_heredoc = None;
            }
            continue;
        }
        in_heredoc = super::prompts::heredoc_delimiter(line);
        let code = strip_comment(line);
        let angles = angle_spans(code);
        for &(start, end) in &angles {
            push(&code[start + 1..end - 1], &code[start..end]);
        }
        // `<your-name>` is one placeholder, not also `your-name`.
        for (start, end) in your_spans(code) {
            if !angles.iter().any(|&(a, b)| start < b && a < end) {
                push(&code[start..end], &code[start..end]);
            }
        }
        for (start, end, name) in template_spans(code) {
            push(name, &code[start..end]);
        }
    }
    out
}

/// The line without a trailing `# comment` (a `#` that starts a word, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

/// `<name>`: a letter right after `<`, no space before `>`, not `<<`, `<(` or `<&`.
fn angle_spans(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' && (i == 0 || bytes[i - 1] != b'<') {
            let starts_name = bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic());
            if starts_name && let Some(len) = line[i + 1..].find('>') {
                let inner = &line[i + 1..i + 1 + len];
                let ok = !inner.ends_with(' ')
                    && inner.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | ':' | '/')
                    })
                    && !inner.contains("  ");
                if ok {
                    out.push((i, i + len + 2));
                    i += len + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// `YOUR_…` (upper case) and `your-…` / `your_…` (lower case) words.
fn your_spans(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut i = 0;
    while let Some(found) = ["YOUR_", "your-", "your_", "YOUR-"]
        .iter()
        .filter_map(|p| line[i..].find(p).map(|at| i + at))
        .min()
    {
        let boundary = line[..found]
            .chars()
            .last()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        let len = line[found..]
            .find(|c: char| !word_char(c))
            .unwrap_or(line.len() - found);
        let word = line[found..found + len].trim_end_matches(['-', '_']);
        if boundary && word.len() > 5 {
            out.push((found, found + word.len()));
        }
        i = found + len.max(1);
    }
    out
}

/// `{{ .Var }}` outside a `--format` / `-f` / `--template` argument.
fn template_spans(line: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = line[i..].find("{{").map(|a| i + a) {
        let Some(close) = line[at..].find("}}").map(|c| at + c + 2) else {
            break;
        };
        let inner = line[at + 2..close - 2].trim();
        let name = inner.strip_prefix('.').unwrap_or("");
        let is_var = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if is_var && !in_format_argument(&line[..at]) {
            out.push((at, close, name));
        }
        i = close;
    }
    out
}

/// Whether text ending here is inside the value of a Go-template flag.
fn in_format_argument(before: &str) -> bool {
    // The word the template is in: back to the last space outside quotes.
    let mut quote: Option<char> = None;
    let mut word_start = 0;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() => word_start = i + 1,
            _ => {}
        }
    }
    let word = &before[word_start..];
    let flag = |w: &str| {
        let w = w.split('=').next().unwrap_or(w);
        matches!(w, "--format" | "-f" | "--template" | "--filter")
    };
    if word.starts_with("--") && word.contains('=') {
        return flag(word);
    }
    let previous = before[..word_start].split_whitespace().last().unwrap_or("");
    flag(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<(String, String)> {
        find(script)
            .into_iter()
            .map(|p| (p.name, p.written))
            .collect()
    }

    #[test]
    fn the_four_forms_are_found() {
        let found = names(
            "docker rm -f <container-id>\ndocker push YOUR_USERNAME/app\ndocker tag app your-username/app\ncd {{ .Dir }}",
        );
        let want = [
            ("container-id", "<container-id>"),
            ("YOUR_USERNAME", "YOUR_USERNAME"),
            ("your-username", "your-username"),
            ("Dir", "{{ .Dir }}"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn shell_syntax_and_go_templates_are_not_placeholders() {
        for script in [
            "cat <<EOF > a\n<b>not me</b>\nEOF",
            "sort < in > out",
            "diff <(ls a) <(ls b)",
            "docker ps --format '{{.Names}}\\t{{.Status}}'",
            "docker ps --format \"table {{.ID}}\\t{{.Image}}\"",
            "docker inspect -f '{{ .State.Running }}' web",
            "docker inspect --format={{.Id}} web",
            "echo hi # replace <this> later",
            "echo yourself",
        ] {
            assert_eq!(names(script), vec![], "{script}");
        }
    }

    #[test]
    fn spaces_underscores_and_filters() {
        let found = names("echo <your-name> <YOUR_TOKEN>");
        assert_eq!(
            found,
            [
                ("your-name".to_string(), "<your-name>".to_string()),
                ("YOUR_TOKEN".to_string(), "<YOUR_TOKEN>".to_string())
            ],
            "one placeholder each, not also the word inside"
        );
        let found = names("docker run <your image> && echo your_name");
        assert_eq!(
            found,
            [
                ("your image".to_string(), "<your image>".to_string()),
                ("your_name".to_string(), "your_name".to_string())
            ]
        );
        assert_eq!(names("docker ps --filter '{{.Status}}'"), vec![]);
    }

    #[test]
    fn the_same_placeholder_twice_is_listed_once() {
        assert_eq!(find("docker stop <id> && docker rm <id>").len(), 1);
    }
}
