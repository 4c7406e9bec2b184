//! Lines of a prompt-less tutorial block that can only be something a command printed
//! (tables, JSON, build logs, log lines, ids, prose), and here-document delimiters.

/// Whether a line in a prompt-less block can only be something a command printed.
pub fn looks_like_output(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    let build_log = [
        "--->",
        "Sending build context",
        "Successfully built",
        "Successfully tagged",
        "Removing intermediate container",
        "Unable to find image",
        "Digest: sha256:",
        "Status: Downloaded",
        "Status: Image is up to date",
        "[+] ",
        "=> ",
    ];
    if build_log.iter().any(|p| t.starts_with(p)) || t.contains(": Pulling from ") {
        return true;
    }
    // `Step 1/5 : FROM …` (classic builder), `#5 [2/3] RUN …` (BuildKit).
    if t.starts_with("Step ")
        && t.contains(" : ")
        && t[5..].starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    if t.starts_with('#') && t[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    // JSON: a document, not a `{ …; }` group or a `[ -f x ]` test.
    let next_t = next.map(str::trim).unwrap_or("");
    if t.starts_with("{\"") || t.starts_with("[{") || t.starts_with('"') || t == "[]" {
        return true;
    }
    if (t == "{" || t == "[") && (next_t.starts_with('"') || next_t.starts_with('{')) {
        return true;
    }
    // Log lines (`[I 15:33:00.567 NotebookApp] …`), not `[ -f x ]` or `[[ … ]]`.
    if t.starts_with('[') && t[1..].starts_with(|c: char| !c.is_whitespace() && c != '[') {
        return true;
    }
    // Numbers, addresses, sizes (`0.0.0.0:32769`, `1.109 MB`), elisions (`...`), and a
    // prompt shown indented inside output (` $ docker run -it ubuntu bash`).
    if t.starts_with(|c: char| c.is_ascii_digit()) || t.starts_with("..") || t.starts_with("$ ") {
        return true;
    }
    // A container or image id on its own (`docker run -d` prints one).
    if t.len() >= 12
        && t.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    {
        return true;
    }
    // A table header: two or more upper-case columns apart by runs of spaces.
    let columns: Vec<&str> = t
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if columns.len() >= 2
        && columns.iter().all(|c| {
            c.chars().any(|ch| ch.is_ascii_uppercase())
                && c.chars()
                    .all(|ch| ch.is_ascii_uppercase() || matches!(ch, ' ' | '_' | '/'))
        })
    {
        return true;
    }
    // Prose or `Key: value` lines: `Hello from Docker!`, `Client: Docker Engine`.
    let first = t.split_whitespace().next().unwrap_or("");
    let capital = first.starts_with(|c: char| c.is_ascii_uppercase())
        && first[1..].chars().any(|c| c.is_ascii_lowercase());
    if capital && first.ends_with(':') {
        return true;
    }
    let words = t.split_whitespace().count();
    let wordy = first
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '\'' | '/' | '-'));
    capital
        && wordy
        && (words >= 4 || (words >= 2 && (t.ends_with(['.', '!', ':', ')']) || t.contains(": "))))
}

pub fn heredoc_delimiter(line: &str) -> Option<String> {
    let after = &line[line.find("<<")? + 2..];
    let after = after.strip_prefix('-').unwrap_or(after).trim_start();
    let word: String = after
        .chars()
        .filter(|c| !matches!(c, '\'' | '"'))
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}
