//! How a shell block of a tutorial is read: which of its lines are host commands (they run),
//! which are sample output and which are typed inside another machine (both are only shown).
//!
//! Tutorials mix `$ command` lines with what the command printed, and after `docker run -it`
//! they show lines typed at the container's prompt (`root@04c0bb0a6c07:/# figlet hi`,
//! `/ # ls`, `>>> print(1)`). Running those lines on the host would be wrong and can be
//! harmful (`---> Running in eb8d…` creates files), so only prompt lines of the host run.
//! A block without prompts is a script, but it stops at the first line that can only be
//! output (a `docker ps` table, a JSON document, a build log): that line and the rest are
//! sample output.

use super::model::{BlockReading, ShownLine, ShownRole};
pub use super::sample_output::heredoc_delimiter;
use super::sample_output::looks_like_output;
use super::shell::simple_commands;

/// What a shell block's code holds, line by line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// Host commands, prompts stripped (continuations and here-documents joined with `\n`),
    /// each with the 0-based code line where it starts.
    pub commands: Vec<(usize, String)>,
    /// Lines shown but never run on the host.
    pub shown: Vec<ShownLine>,
    pub reading: BlockReading,
}

/// Which machine a prompt belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Machine {
    Host,
    /// A container shell, a REPL, a database client: the line is typed there.
    Inside,
    /// `# ` alone: the host's root prompt, or a comment, or a container's prompt, by context.
    Hash,
}

/// Reads a block of a shell language. `console` says the language is a transcript one
/// (`console`, `shell-session`), where a bare `# ` is a root prompt.
pub fn read_block(code: &str, console: bool) -> Transcript {
    let lines: Vec<&str> = code.lines().collect();
    let has_prompt = lines
        .iter()
        .any(|l| matches!(prompt_of(l), Some((_, _, m)) if m != Machine::Hash));
    let hash_is_prompt = console
        && !lines
            .iter()
            .any(|l| matches!(prompt_of(l), Some((_, _, Machine::Host))));
    if has_prompt || console {
        read_transcript(&lines, hash_is_prompt)
    } else {
        read_script(&lines)
    }
}

/// [`read_block`] for a block written for docker-guide (it carries our own attributes, such as
/// `id`, `task` or `expect`): with prompts it is a transcript as any other, without one it is
/// a script run as written. Guessing which lines are sample output is for third-party pages;
/// an author's script (`case` arms, quoted commands) must never lose a line to a guess.
pub fn read_authored_block(code: &str, console: bool) -> Transcript {
    let lines: Vec<&str> = code.lines().collect();
    let has_prompt = lines.iter().any(|l| prompt_of(l).is_some());
    if console || has_prompt {
        return read_block(code, console);
    }
    let mut out = Transcript::default();
    if !lines.iter().all(|l| l.trim().is_empty()) {
        out.commands = vec![(0, lines.join("\n"))];
    }
    out
}

fn read_transcript(lines: &[&str], hash_is_prompt: bool) -> Transcript {
    let mut out = Transcript {
        reading: BlockReading::Transcript,
        ..Transcript::default()
    };
    // After a host command that enters another machine, other prompts belong to it.
    let mut inside = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some((prompt, rest, machine)) = prompt_of(line) else {
            if !line.trim().is_empty() {
                out.shown.push(shown(i, ShownRole::Output, line));
            }
            i += 1;
            continue;
        };
        let machine = match machine {
            Machine::Hash if inside => Machine::Inside,
            Machine::Hash if hash_is_prompt => Machine::Host,
            Machine::Hash => {
                out.shown.push(shown(i, ShownRole::Output, line));
                i += 1;
                continue;
            }
            Machine::Host if inside && !prompt.starts_with('$') && prompt != "% " => {
                Machine::Inside
            }
            m => m,
        };
        let start = i;
        let (text, next) = gather(lines, i, rest);
        i = next;
        match machine {
            Machine::Host => {
                if !text.trim().is_empty() {
                    inside = enters_other_machine(&text);
                    out.commands.push((start, text));
                }
            }
            _ => {
                let role = ShownRole::Inside {
                    prompt: prompt.to_string(),
                };
                for (k, l) in lines[start..next].iter().enumerate() {
                    out.shown.push(shown(start + k, role.clone(), l));
                }
                if matches!(rest.trim(), "exit" | "exit()" | "quit()" | "\\q" | "logout") {
                    inside = false;
                }
            }
        }
    }
    out
}

/// The command that starts at `lines[i]` (its prompt removed, `rest` is the text after it):
/// with its `\` continuation lines (a `> ` secondary prompt removed) and here-document bodies.
/// Returns the text and the index of the line after it.
fn gather(lines: &[&str], mut i: usize, rest: &str) -> (String, usize) {
    let mut text = rest.to_string();
    let mut heredoc = heredoc_delimiter(rest);
    i += 1;
    while i < lines.len() {
        let continued = text.ends_with('\\') && !text.ends_with("\\\\");
        if !continued && heredoc.is_none() {
            break;
        }
        let line = lines[i];
        if let Some(delimiter) = &heredoc {
            if line.trim() == delimiter {
                heredoc = None;
            }
            text.push('\n');
            text.push_str(line);
        } else {
            let line = line.strip_prefix("> ").unwrap_or(line);
            heredoc = heredoc_delimiter(line);
            text.push('\n');
            text.push_str(line);
        }
        i += 1;
    }
    (text, i)
}

/// A prompt-less block: a script whose lines that can only be output are shown, not run.
/// Once a line looks like output, the rest of its paragraph is output too (a table's rows,
/// a log); a blank line ends it, and the next paragraph is read afresh (tutorials write
/// `# step`, command, output, blank line, `# next step`, …).
fn read_script(lines: &[&str]) -> Transcript {
    let mut out = Transcript::default();
    let mut in_output = false;
    let mut chunk: Option<(usize, Vec<&str>)> = None;
    let mut previous: Option<&str> = None;
    let mut first_output = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            in_output = false;
            if let Some((_, text)) = chunk.as_mut() {
                text.push(line);
            }
            i += 1;
            continue;
        }
        let echoed = previous.is_some_and(|p| {
            let word = line.trim();
            !word.contains(' ') && p.split_whitespace().skip(1).any(|w| w == word)
        });
        if in_output || echoed || looks_like_output(line, lines.get(i + 1).copied()) {
            in_output = true;
            first_output.get_or_insert(i);
            out.shown.push(shown(i, ShownRole::Output, line));
            if let Some((start, text)) = chunk.take() {
                push_chunk(&mut out.commands, start, &text);
            }
            i += 1;
            continue;
        }
        let (_, next) = gather(lines, i, line);
        let (_, text) = chunk.get_or_insert_with(|| (i, Vec::new()));
        text.extend(&lines[i..next]);
        previous = Some(line);
        i = next;
    }
    if let Some((start, text)) = chunk.take() {
        push_chunk(&mut out.commands, start, &text);
    }
    match first_output {
        None => {
            // A plain script: the block as written.
            out.commands = vec![(0, lines.join("\n"))];
            if lines.iter().all(|l| l.trim().is_empty()) {
                out.commands.clear();
            }
        }
        Some(_) if out.commands.is_empty() => out.reading = BlockReading::OutputOnly,
        Some(first) => {
            out.reading = BlockReading::ScriptThenOutput {
                first_output: first,
            }
        }
    }
    out
}

fn push_chunk(commands: &mut Vec<(usize, String)>, start: usize, lines: &[&str]) {
    let text = lines.join("\n");
    let text = text.trim_end();
    if !text.trim().is_empty() {
        commands.push((start, text.to_string()));
    }
}

fn shown(line: usize, role: ShownRole, text: &str) -> ShownLine {
    ShownLine {
        line,
        role,
        text: text.to_string(),
    }
}

/// The prompt at the start of `line`, the text after it, and whose prompt it is.
fn prompt_of(line: &str) -> Option<(&str, &str, Machine)> {
    let split = |n: usize, m: Machine| Some((&line[..n], &line[n..], m));
    if line == "$" || line == "#" {
        return split(
            line.len(),
            if line == "$" {
                Machine::Host
            } else {
                Machine::Hash
            },
        );
    }
    for (p, m) in [
        ("$ ", Machine::Host),
        ("% ", Machine::Host),
        ("PS> ", Machine::Host),
        (">>> ", Machine::Inside),
        ("... ", Machine::Inside),
        ("mysql> ", Machine::Inside),
        ("sqlite> ", Machine::Inside),
        ("# ", Machine::Hash),
    ] {
        if line.starts_with(p) {
            return split(p.len(), m);
        }
    }
    let end = line.find(' ')?;
    let word = &line[..end];
    let at = end + 1;
    // `PS C:\Users\me> ` (PowerShell).
    if word == "PS" {
        let close = line.find("> ")?;
        return split(close + 2, Machine::Host);
    }
    // `In [3]: ` (IPython), `postgres=# `, `127.0.0.1:6379> `, `irb(main):001:0> `.
    if word == "In" && line[at..].starts_with('[') {
        let close = line.find("]: ")?;
        return split(close + 3, Machine::Inside);
    }
    let last = word.chars().last()?;
    if word.len() > 1 && (word.ends_with("=#") || word.ends_with("=>")) {
        return split(at, Machine::Inside);
    }
    if last == '>' && word[..word.len() - 1].contains(':') && !word.contains('@') {
        return split(at, Machine::Inside);
    }
    // `/ # `, `~ # `, `/app # ` (busybox / alpine shells in a container).
    if (word.starts_with('/') || word.starts_with('~')) && line[at..].starts_with("# ") {
        return split(at + 2, Machine::Inside);
    }
    // `user@host:~$ `, `root@04c0bb0a6c07:/# `, `[user@host dir]$ `, `user@host dir % `.
    if let Some(n) = user_at_host_prompt(line) {
        let host = line[..n]
            .trim_start_matches('[')
            .split('@')
            .nth(1)
            .unwrap_or("")
            .split([':', ' ', ']'])
            .next()
            .unwrap_or("");
        let container = host.len() >= 12 && host.chars().all(|c| c.is_ascii_hexdigit());
        let machine = if container {
            Machine::Inside
        } else {
            Machine::Host
        };
        return split(n, machine);
    }
    None
}

/// The length of a `user@host…$ ` prompt at the start of `line`, if it has one.
fn user_at_host_prompt(line: &str) -> Option<usize> {
    let body = line.strip_prefix('[').unwrap_or(line);
    let at = body.find('@')?;
    let user = &body[..at];
    let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if user.is_empty() || !user.chars().all(name_char) {
        return None;
    }
    // The prompt ends at the first `$ `, `# ` or `% ` after the host (paths hold no spaces
    // except in `[user@host dir]`).
    let offset = line.len() - body.len();
    let after = &body[at + 1..];
    let host_len = after.find(|c: char| !name_char(c))?;
    if host_len == 0 {
        return None;
    }
    let tail = &after[host_len..];
    let end = ["$ ", "# ", "% "]
        .iter()
        .filter_map(|p| tail.find(p).map(|i| i + 2))
        .min()?;
    let between = &tail[..end - 2];
    let plausible = between.is_empty()
        || between.starts_with(':')
        || (between.starts_with(' ') && between.ends_with(']'))
        || between.starts_with(' ') && !between.trim().contains(' ');
    plausible.then_some(offset + at + 1 + host_len + end)
}

/// Whether a host command puts the learner at another machine's prompt.
fn enters_other_machine(text: &str) -> bool {
    simple_commands(text).iter().any(|cmd| {
        if let Some(call) = super::docker::docker_call(cmd) {
            let interactive = call
                .args
                .iter()
                .any(|a| a == "-it" || a == "-ti" || a == "-i" || a == "--interactive");
            return super::docker::needs_tty(&call)
                || (interactive && matches!(call.command.as_str(), "exec" | "run"))
                || call.command == "attach";
        }
        let program = cmd.words.first().map(String::as_str).unwrap_or("");
        let program = program.rsplit('/').next().unwrap_or(program);
        let alone = cmd.words.len() == 1;
        matches!(
            program,
            "ssh" | "psql" | "mysql" | "redis-cli" | "sqlite3" | "mongosh" | "mongo" | "ipython"
        ) || (alone
            && matches!(
                program,
                "python" | "python3" | "node" | "irb" | "bash" | "sh"
            ))
            || (program == "kubectl" && cmd.words.iter().any(|w| w == "-it"))
    })
}

#[cfg(test)]
#[path = "prompts_tests.rs"]
mod tests;
