//! The module graph written in `src/lib.rs` is the real one: every `crate::<module>` path in
//! a module's files is listed there for that module, every listed dependency is used, and
//! the graph has no cycle (apart from `cli` ↔ `commands`, one layer).

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
