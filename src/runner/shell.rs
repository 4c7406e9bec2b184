//! Which shell runs a step, and what that shell left behind when it exited: its working
//! directory and the exported variables it changed (`cd`, `export`, `unset`, a venv's
//! `activate`), read back so that a front end can carry them to the next step as one terminal
//! would. Only the reading is here; whether to carry is the session's decision.
//!
//! How: the script is prefixed, on its own first line (so the shell's line numbers in error
//! messages stay the learner's), with a dump of the exported variables and an `EXIT` trap
//! that dumps `$PWD` and the exported variables again, into a private folder; the difference
//! is what the step changed. The dumps are the shell's builtin `export -p` (read by
//! [`super::export_dump`]): `env -0` did the same at the cost of a fork and an exec each,
//! which was most of `run`'s start-up over the bare command.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The interpreter of a step's script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shell {
    /// `sh`: `sh`, `shell`, `console` and unlabelled blocks.
    #[default]
    Sh,
    Bash,
    Zsh,
}

impl Shell {
    /// The shell a block's language asks for.
    pub fn for_lang(lang: &str) -> Shell {
        match lang {
            "bash" => Shell::Bash,
            "zsh" => Shell::Zsh,
            _ => Shell::Sh,
        }
    }

    /// `export -p` as this shell's builtin, whatever function or alias a script defines by
    /// that name (zsh's `command` looks for a program, not a builtin).
    pub(crate) fn export_dump(self) -> &'static str {
        match self {
            Shell::Sh => "command export -p",
            Shell::Bash | Shell::Zsh => "builtin export -p",
        }
    }

    /// The program run as `PROGRAM -c SCRIPT`.
    pub fn program(self) -> &'static str {
        match self {
            Shell::Sh => "sh",
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
        }
    }
}

pub use crate::outcome::ShellEnd;

/// Variables the shell or the runner own: never carried from one step to the next.
const NOT_CARRIED: &[&str] = &[
    "PWD",
    "OLDPWD",
    "SHLVL",
    "_",
    "COLUMNS",
    "LINES",
    super::STEP_ENV,
    super::COURSE_ENV,
    super::escaped::RUN_ENV,
];

/// A private folder that receives a shell's two dumps; removed when dropped.
#[derive(Debug)]
pub(crate) struct Capture {
    dir: PathBuf,
}

static NEXT_CAPTURE: AtomicU64 = AtomicU64::new(0);

impl Capture {
    /// Creates a new folder only this user can enter, under the temporary directory. A name
    /// that exists already (another process's, or planted) is never reused.
    pub(crate) fn new() -> io::Result<Capture> {
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..16 {
            let n = NEXT_CAPTURE.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = base.join(format!(
                "docker-guide-shell-{}-{n}-{nanos:x}",
                std::process::id()
            ));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => return Ok(Capture { dir }),
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => last = Some(err),
                Err(err) => return Err(err),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free name")))
    }

    /// `script` with the dumps around it. The prefix ends with `;` on the script's first
    /// line: the script's own line numbers are unchanged.
    pub(crate) fn wrap(&self, shell: Shell, script: &str) -> String {
        let dir = quote(&self.dir.to_string_lossy());
        let dump = shell.export_dump();
        format!(
            "__dg_state={dir}; {dump} >\"$__dg_state/before\" 2>/dev/null; \
             trap '__dg_rc=$?; {{ printf \"%s\\0\" \"$PWD\"; {dump}; }} \
             >\"$__dg_state/after\" 2>/dev/null; exit $__dg_rc' EXIT; {script}"
        )
    }

    /// What the shell left, if it got to write it (not after `exec`, nor when it was killed
    /// before its trap ran).
    pub(crate) fn read(&self, started: &Path) -> Option<ShellEnd> {
        let before = std::fs::read(self.dir.join("before")).ok()?;
        let after = std::fs::read(self.dir.join("after")).ok()?;
        let mut end = shell_end(&before, &after)?;
        end.started = started.to_path_buf();
        Some(end)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The difference between the two dumps: `after` starts with `$PWD` and a NUL.
fn shell_end(before: &[u8], after: &[u8]) -> Option<ShellEnd> {
    let nul = after.iter().position(|&b| b == 0)?;
    let cwd = std::str::from_utf8(&after[..nul]).ok()?;
    if cwd.is_empty() {
        return None;
    }
    let before = variables(before);
    let after = variables(&after[nul + 1..]);
    let mut changed: Vec<(String, Option<String>)> = after
        .iter()
        .filter(|(name, value)| before.get(*name) != Some(value))
        .map(|(name, value)| (name.clone(), Some(value.clone())))
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|name| !after.contains_key(*name))
            .map(|name| (name.clone(), None)),
    );
    Some(ShellEnd {
        cwd: PathBuf::from(cwd),
        started: PathBuf::new(),
        changed,
    })
}

/// An `export -p` dump as a map, without the variables that are never carried (nor values
/// that are not UTF-8: see [`super::export_dump`]).
fn variables(dump: &[u8]) -> BTreeMap<String, String> {
    let mut found = super::export_dump::exported(dump);
    found.retain(|name, _| !NOT_CARRIED.contains(&name.as_str()));
    found
}

/// `expr` with the step's environment changes, then its ids (which a step cannot change).
pub(crate) fn with_env(
    expr: duct::Expression,
    env: &[(String, Option<String>)],
    ids: &super::StepIds,
) -> duct::Expression {
    let expr = env.iter().fold(expr, |e, (name, value)| match value {
        Some(value) => e.env(name, value),
        None => e.env_remove(name),
    });
    ids.env().into_iter().fold(expr, |e, (k, v)| e.env(k, v))
}

/// `text` as one single-quoted shell word.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether `shell` can be started: found on `path` (a `PATH`-style list), or on the
/// process's `PATH` when `path` is None.
pub fn shell_found(shell: Shell, path: Option<&std::ffi::OsStr>) -> bool {
    let cwd = std::env::current_dir().unwrap_or_else(|_| Path::new("/").to_path_buf());
    match path {
        Some(path) => which::which_in(shell.program(), Some(path), cwd).is_ok(),
        None => which::which(shell.program()).is_ok(),
    }
}

#[cfg(all(test, unix))]
#[path = "shell_tests.rs"]
mod tests;
