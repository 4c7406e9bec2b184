//! One file per CLI subcommand: thin glue over the modules above.

pub mod bundle;
pub mod check;
pub mod class;
pub mod class_join;
pub mod class_serve;
pub mod completions;
pub mod doctor;
pub mod learn;
pub mod lint;
mod lint_deep;
pub mod list;
pub mod man;
pub mod progress;
pub mod reset;
pub mod run;
pub mod show;

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::lesson::{self, Course};

/// How a command ended when it did not break: exit 0, or exit 1 when what it checked failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The thing checked failed (lint errors, a failed step, a failed doctor check).
    Failed,
    /// `run` reached a task the learner has not solved yet: exit 3, not a failure.
    Waiting,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
            Outcome::Waiting => ExitCode::from(3),
        }
    }
}

/// The course the learner selected: `--lessons PATH` (or `DOCKER_GUIDE_LESSONS`), else the
/// embedded official course.
pub fn load_course(global: &GlobalArgs) -> anyhow::Result<Course> {
    match &global.lessons {
        // Say where the path came from: it may be an old DOCKER_GUIDE_LESSONS in the profile.
        Some(path) => lesson::load_path(path).map_err(|err| {
            anyhow::Error::new(err)
                .context("cannot open the course given with --lessons (or DOCKER_GUIDE_LESSONS)")
        }),
        None => Ok(lesson::load_embedded()),
    }
}

/// The `lint` command that checks the course in use: `docker-guide lint` lints the embedded
/// course, so a course opened with `--lessons` (or `DOCKER_GUIDE_LESSONS`) is named.
pub fn lint_command(global: &GlobalArgs) -> String {
    match &global.lessons {
        None => "docker-guide lint".to_string(),
        Some(path) => format!("docker-guide lint {}", shell_word(&path.to_string_lossy())),
    }
}

/// How the learner starts docker-guide on this course, for hints that name a command: with
/// `--lessons DIR` when the course came from that flag (a hint without it would open the
/// official course), plain `docker-guide` otherwise.
pub fn launcher(global: &GlobalArgs) -> String {
    launcher_for(
        global.lessons.as_deref(),
        crate::settings::get().lessons.as_deref(),
    )
}

fn launcher_for(lessons: Option<&std::path::Path>, env: Option<&std::ffi::OsStr>) -> String {
    match lessons {
        // From DOCKER_GUIDE_LESSONS: the variable still holds it for the next command.
        Some(path) if env != Some(path.as_os_str()) => {
            format!(
                "docker-guide --lessons {}",
                shell_word(&path.display().to_string())
            )
        }
        _ => "docker-guide".to_owned(),
    }
}

/// `text` as one shell word: bare when that is safe, else single-quoted.
fn shell_word(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// "No such chapter", with the chapters there are (number and slug).
pub fn no_chapter_message(course: &Course, query: &str) -> String {
    let known: Vec<String> = course
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| format!("  {} {}", i + 1, c.slug))
        .collect();
    format!(
        "no chapter `{query}` in {}; give a number, slug or file name of one of:\n{}",
        course.title,
        known.join("\n")
    )
}

/// An error as one line: the message, then each cause not already in it. Our error enums
/// print their `source` in their own message; anyhow's `{:#}` would repeat it
/// ("cannot lock X: Permission denied (os error 13): Permission denied (os error 13)").
pub fn error_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.is_empty() {
            message = text;
        } else if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
    }
    message
}

/// The problems a learner must know before running anything ([`lesson::course_problems`]
/// with the doctor's checks).
pub fn course_problems(course: &Course) -> Vec<lesson::Diagnostic> {
    lesson::course_problems(course, lint::KNOWN_CHECKS)
}

/// How a command writes to stdout, decided once from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StdoutStyle {
    /// stdout is a terminal.
    pub terminal: bool,
    /// Colours and styles: a terminal, no `--plain`, no `NO_COLOR` (any non-empty value).
    pub color: bool,
    /// The terminal's width in columns, when stdout is one.
    pub width: Option<u16>,
}

/// The learner's `--color` choice, set once by `main` before any command runs
/// ([`set_color_choice`]); `auto` when nothing set it (library callers, tests).
static COLOR_CHOICE: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Records `--color WHEN` for the whole process. `main` calls it once, right after parsing the
/// command line; a later call is ignored (the first decision holds).
pub fn set_color_choice(choice: ColorChoice) {
    let _ = COLOR_CHOICE.set(choice);
}

/// The `--color` choice in force.
pub fn color_choice() -> ColorChoice {
    COLOR_CHOICE.get().copied().unwrap_or_default()
}

/// Whether `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn no_color_env() -> bool {
    crate::settings::get().no_color
}

/// The one place that decides how a command writes to stdout: `--color` (see
/// [`set_color_choice`]), `NO_COLOR`, `--plain` (`plain`, which wins over `--color always`),
/// whether stdout is a terminal and its width. A new command calls this and styles its
/// output only when `color` is true.
pub fn output_style(plain: bool) -> StdoutStyle {
    let terminal = std::io::stdout().is_terminal();
    let width = if terminal {
        crate::tui::terminal_width()
    } else {
        None
    };
    StdoutStyle {
        terminal,
        color: !plain && color_choice().resolve(terminal, no_color_env()),
        width,
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::path::Path;

    use super::{error_message, launcher_for};

    #[test]
    fn hints_name_the_course_given_with_lessons() {
        assert_eq!(launcher_for(None, None), "docker-guide");
        assert_eq!(
            launcher_for(Some(Path::new("my-course")), None),
            "docker-guide --lessons my-course"
        );
        assert_eq!(
            launcher_for(Some(Path::new("/tmp/My Course")), None),
            "docker-guide --lessons '/tmp/My Course'"
        );
        assert_eq!(
            launcher_for(Some(Path::new("it's")), None),
            r"docker-guide --lessons 'it'\''s'"
        );
        // Set in the environment: the next command sees it too.
        assert_eq!(
            launcher_for(Some(Path::new("my-course")), Some(OsStr::new("my-course"))),
            "docker-guide"
        );
    }

    #[derive(Debug, thiserror::Error)]
    #[error("cannot lock /x/progress.json.lock: {source}")]
    struct Lock {
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::from_raw_os_error(13);
        let err = anyhow::Error::from(Lock { source: io });
        let message = error_message(&err);
        assert_eq!(message.matches("os error 13").count(), 1, "{message}");
        assert!(message.starts_with("cannot lock /x/progress.json.lock: "));
    }

    #[test]
    fn context_and_new_causes_are_all_shown() {
        let err = anyhow::anyhow!("no such host").context("cannot reach the registry");
        assert_eq!(
            error_message(&err),
            "cannot reach the registry: no such host"
        );
    }
}

#[cfg(test)]
mod lint_hint_tests {
    #[test]
    fn course_problems_add_lints_errors_not_its_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let chapter = "# Twice\n\n```sh {id=same}\necho one\n```\n\n```sh {id=same}\necho two\n```\n\n```sh\ndocker run -d nginx\n```\n";
        std::fs::write(dir.path().join("01-twice.md"), chapter).unwrap();
        let course = crate::lesson::load_path(dir.path()).unwrap();
        assert!(
            course.diagnostics.is_empty(),
            "the parser alone sees nothing"
        );
        let problems = super::course_problems(&course);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("duplicate step id `same`"));
        assert!(
            !crate::lesson::lint(&course, super::lint::KNOWN_CHECKS)
                .iter()
                .all(|d| d.severity == crate::lesson::Severity::Error),
            "lint also warns (no --name), which stays out"
        );
    }

    #[test]
    fn the_lint_hint_names_the_course_in_use() {
        use std::path::PathBuf;
        let mut global = crate::cli::GlobalArgs::default();
        assert_eq!(super::lint_command(&global), "docker-guide lint");
        global.lessons = Some(PathBuf::from("/tmp/my course/it's.md"));
        assert_eq!(
            super::lint_command(&global),
            r"docker-guide lint '/tmp/my course/it'\''s.md'"
        );
        global.lessons = Some(PathBuf::from("../corpus/docker-getting-started"));
        assert_eq!(
            super::lint_command(&global),
            "docker-guide lint ../corpus/docker-getting-started"
        );
    }
}
