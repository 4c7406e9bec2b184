//! The environment, read once into typed settings: every variable docker-guide reads for
//! itself, and ([`inherited`]) any variable as the steps would inherit it, for the two that
//! check that environment rather than configure docker-guide (the shell state, the doctor's
//! probe). No other module of `src/` reads the environment. Not here: the variables clap reads
//! for options (`DOCKER_GUIDE_LESSONS`, `DOCKER_GUIDE_WORKSPACE`, see `cli`) and the XDG
//! folders `etcetera` looks up.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Variables that say which terminal this is (for OSC 8 hyperlinks in `show`).
pub const TERMINAL_VARS: &[&str] = &[
    "DOMTERM",
    "FORCE_HYPERLINK",
    "KITTY_WINDOW_ID",
    "KONSOLE_VERSION",
    "STY",
    "TERM",
    "TERM_PROGRAM",
    "TMUX",
    "VTE_VERSION",
    "WT_SESSION",
];

/// The learner's programs: the editor `e` opens and the shell `!` opens.
const PROGRAM_VARS: &[&str] = &["VISUAL", "EDITOR", "SHELL"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `NO_COLOR` set to a non-empty value (no-color.org): no colours unless `--color always`.
    pub no_color: bool,
    /// `DOCKER_GUIDE_LESSONS` as set: a hint names `--lessons DIR` only when the course did
    /// not come from there (the next command sees the variable too).
    pub lessons: Option<OsString>,
    /// `DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME=1`: the TUI quits after its first frame
    /// (scripts/first-frame.py times start-up with it).
    pub exit_after_first_frame: bool,
    /// `$HOME` (non-empty): paths under it are shown as `~/…`.
    pub home: Option<PathBuf>,
    /// `$USER`, else `$LOGNAME`, else `$USERNAME` (non-empty): scrubbed from exports.
    pub user: Option<String>,
    /// The [`TERMINAL_VARS`] and `VISUAL`, `EDITOR`, `SHELL` that are set.
    vars: BTreeMap<&'static str, String>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// The settings of this process, read from the environment on first use.
pub fn get() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings::from_vars(|name| std::env::var_os(name)))
}

/// What a step started now would inherit for `name`: the shell state compares a step's
/// exports against it, the doctor's real probe checks it (`DOCKER_HOST`, `DOCKER_CONTEXT`…).
/// Any variable, so it is not one of the settings, but it is read here so that every read of
/// the environment is in this module.
pub fn inherited(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Settings {
    /// Reads the settings through `var` (the environment, or a test's map).
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Settings {
        let text = |name: &str| var(name).and_then(|v| v.into_string().ok());
        let non_empty = |name: &str| text(name).filter(|v| !v.is_empty());
        Settings {
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            lessons: var("DOCKER_GUIDE_LESSONS"),
            exit_after_first_frame: var("DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME")
                .is_some_and(|v| v == "1"),
            home: var("HOME").filter(|v| !v.is_empty()).map(PathBuf::from),
            user: ["USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|name| non_empty(name)),
            vars: TERMINAL_VARS
                .iter()
                .chain(PROGRAM_VARS)
                .filter_map(|&name| Some((name, text(name)?)))
                .collect(),
        }
    }

    /// One of the [`TERMINAL_VARS`] or `VISUAL`, `EDITOR`, `SHELL`, as set; `None` for any
    /// other name.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_variable_once_with_its_rules() {
        let env: BTreeMap<&str, &str> = [
            ("NO_COLOR", ""),
            ("HOME", "/home/ada"),
            ("USER", ""),
            ("LOGNAME", "ada"),
            ("EDITOR", "nano"),
            ("TERM", "xterm-256color"),
            ("PATH", "/usr/bin"),
            ("DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME", "1"),
        ]
        .into();
        let settings = Settings::from_vars(|name| env.get(name).map(OsString::from));
        assert!(!settings.no_color, "an empty NO_COLOR does not count");
        assert_eq!(settings.home, Some(PathBuf::from("/home/ada")));
        assert_eq!(settings.user.as_deref(), Some("ada"), "empty USER skipped");
        assert!(settings.exit_after_first_frame);
        assert_eq!(settings.lessons, None);
        assert_eq!(settings.var("EDITOR").as_deref(), Some("nano"));
        assert_eq!(settings.var("TERM").as_deref(), Some("xterm-256color"));
        assert_eq!(settings.var("VISUAL"), None);
        assert_eq!(settings.var("PATH"), None, "only the variables it knows");
    }
}
