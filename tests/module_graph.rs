//! The module graph written in `src/lib.rs` is the real one: every `crate::<module>` path in
//! a module's files is listed there for that module, every listed dependency is used, and
//! the graph has no cycle (apart from `cli` ↔ `commands`, one layer). And `tui` is the only
//! terminal owner: no file outside `src/tui/` uses crossterm or sets a terminal up; and
//! `settings` the only reader of the environment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `- `module` → `a`, `b`: …` lines of lib.rs's doc (a line may wrap before the colon).
fn documented(lib: &str) -> Graph {
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let mut graph = Graph::new();
    for line in doc {
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let (module, rest) = rest.split_once('`').expect("- `module` → …");
        let rest = rest.trim_start().strip_prefix('→').expect("an arrow");
        let deps = rest.split(':').next().unwrap_or("");
        let deps = deps
            .split(',')
            .map(|d| d.trim().trim_matches('`').to_string())
            .filter(|d| !d.is_empty() && d != "nothing")
            .collect();
        graph.insert(module.to_string(), deps);
    }
    graph
}

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// `crate::<name>` paths in each top-level module's files (tests included: a test that
/// reaches up is a dependency too).
fn actual(src: &Path, modules: &BTreeSet<String>) -> Graph {
    let mut graph = Graph::new();
    for module in modules {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        rust_files(&src.join(format!("{module}.rs")), &mut files);
        assert!(!files.is_empty(), "no source for module `{module}`");
        let mut deps = BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (at, _) in text.match_indices("crate::") {
                // `docker_guide::…` or `other_crate::` are not ours.
                if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let name: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != *module {
                    deps.insert(name);
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

fn declared_modules(lib: &str) -> BTreeSet<String> {
    lib.lines()
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

#[test]
fn lib_rs_names_every_dependency_and_only_those() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let modules = declared_modules(&lib);
    let documented = documented(&lib);
    assert_eq!(
        documented.keys().cloned().collect::<BTreeSet<_>>(),
        modules,
        "every module of lib.rs has one line in its module map"
    );
    let actual = actual(&root.join("src"), &modules);
    let mut wrong = Vec::new();
    for (module, deps) in &actual {
        let listed = &documented[module];
        for dep in deps.difference(listed) {
            wrong.push(format!(
                "`{module}` uses `{dep}`, which lib.rs does not list"
            ));
        }
        for dep in listed.difference(deps) {
            wrong.push(format!(
                "lib.rs lists `{module}` → `{dep}`, which it does not use"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_graph_has_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    // `cli` is the front end's own layer with `commands`.
    let layer = |m: &str| {
        if m == "cli" {
            "commands".to_string()
        } else {
            m.to_string()
        }
    };
    let mut graph = Graph::new();
    for (module, deps) in documented(&lib) {
        let entry = graph.entry(layer(&module)).or_default();
        entry.extend(
            deps.iter()
                .map(|d| layer(d))
                .filter(|d| *d != layer(&module)),
        );
    }
    // Kahn: peel off modules that use nothing left.
    let mut left = graph.clone();
    while !left.is_empty() {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(!leaves.is_empty(), "a cycle among {:?}", left.keys());
        for leaf in leaves {
            left.remove(&leaf);
        }
    }
}

/// Names that mean owning the terminal: crossterm itself (also as `ratatui::crossterm`),
/// ratatui's set-up and backends, raw mode and the alternate screen, termios.
const TERMINAL_WORDS: &[&str] = &[
    "crossterm",
    "DefaultTerminal",
    "CrosstermBackend",
    "TermionBackend",
    "TermwizBackend",
    "try_init",
    "enable_raw_mode",
    "disable_raw_mode",
    "EnterAlternateScreen",
    "LeaveAlternateScreen",
    "termios",
    "tcsetattr",
    "tcgetattr",
    "TIOCGWINSZ",
];
/// Paths that mean the same, made of words too common to ban alone.
const TERMINAL_PATHS: &[&str] = &[
    "ratatui::init",
    "ratatui::restore",
    "Terminal::new",
    "Terminal::with_options",
];

/// The places in `text` (code, not comments) that touch the terminal, as `line: text`.
fn terminal_uses(text: &str) -> Vec<String> {
    let mut uses = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let words = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty());
        let banned_word = words.into_iter().any(|w| TERMINAL_WORDS.contains(&w));
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let banned_path = TERMINAL_PATHS.iter().any(|p| compact.contains(p));
        if banned_word || banned_path {
            uses.push(format!("{}: {}", number + 1, line.trim()));
        }
    }
    uses
}

#[test]
fn only_tui_touches_the_terminal() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "the sources were found ({})", files.len());
    let mut outside = Vec::new();
    let mut inside = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let uses = terminal_uses(&text);
        if file.starts_with(src.join("tui")) {
            inside += uses.len();
            continue;
        }
        let shown = file.strip_prefix(&src).unwrap().display().to_string();
        outside.extend(uses.into_iter().map(|u| format!("src/{shown}:{u}")));
    }
    assert!(
        outside.is_empty(),
        "only src/tui/ may use crossterm or set up a terminal (give the rest a tui function):\n{}",
        outside.join("\n")
    );
    // The scan sees the real owner, so a rename of what it looks for cannot blind it.
    assert!(inside > 5, "tui's own terminal uses were seen ({inside})");
}

#[test]
fn the_terminal_scan_sees_every_spelling() {
    let caught = [
        "use ratatui::crossterm::event::{self, Event};",
        "use crossterm::terminal;",
        "let (w, _) = ratatui::crossterm::terminal::size()?;",
        "let mut terminal = ratatui::try_init()?;",
        "let t = ratatui :: init();",
        "ratatui::restore();",
        "fn f(t: &mut DefaultTerminal) {}",
        "let t = Terminal::new(TestBackend::new(80, 24))?;",
        "enable_raw_mode()?;",
        "execute!(out, EnterAlternateScreen)?;",
        "use nix::sys::termios;",
    ];
    for line in caught {
        assert_eq!(terminal_uses(line).len(), 1, "not caught: {line}");
    }
    let passed = [
        "// tui owns crossterm; see ratatui::init",
        "let tty = std::io::stdout().is_terminal();",
        "use ratatui::text::{Line, Span};",
        "fn terminal_width() -> Option<u16> { crate::tui::terminal_width() }",
    ];
    for line in passed {
        assert!(terminal_uses(line).is_empty(), "wrongly caught: {line}");
    }
}

/// Test files: `*_tests.rs`, `tests.rs` and anything under a `tests/` folder.
fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// Reads of the environment in `text` (code, not comments), as `line: text`.
fn environment_reads(text: &str) -> Vec<String> {
    const READS: &[&str] = &["env::var(", "env::var_os(", "env::vars(", "env::vars_os("];
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split("//").next().unwrap_or("");
            READS.iter().any(|r| code.contains(r))
        })
        .map(|(number, line)| format!("{}: {}", number + 1, line.trim()))
        .collect()
}

#[test]
fn only_settings_reads_the_environment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut outside = Vec::new();
    let mut in_settings = 0;
    for file in files {
        let reads = environment_reads(&std::fs::read_to_string(&file).unwrap());
        let relative = file.strip_prefix(&src).unwrap();
        if relative == Path::new("settings.rs") {
            in_settings += reads.len();
        } else if !is_test_file(relative) {
            let shown = relative.display();
            outside.extend(reads.into_iter().map(|r| format!("src/{shown}:{r}")));
        }
    }
    assert!(
        outside.is_empty(),
        "only src/settings.rs reads the environment (add a setting, or use settings::inherited):\n{}",
        outside.join("\n")
    );
    assert!(in_settings > 0, "settings.rs's own reads were seen");
    assert_eq!(
        environment_reads("let home = std::env::var_os(\"HOME\"); // env::var(x)").len(),
        1
    );
}
