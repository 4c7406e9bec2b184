//! The shell state a chapter's steps share, as in one terminal: the folder a step `cd`-ed
//! into and the variables it exported (or unset, or a venv's `activate` changed) carry over
//! to the chapter's next steps, in the TUI and in headless `run` alike. A chapter with
//! `isolated = true` in its front matter, or a block with the `isolated` flag, opts out: it
//! starts in the chapter's folder with the environment docker-guide started with, and leaves
//! nothing behind. Background steps start from the state but cannot change it (they keep
//! running). Restarting a chapter (or `reset`) starts from a fresh state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::lesson::model::{Chapter, Step};
use crate::runner::{ShellEnd, StepSpec};

/// Where the next step of a chapter starts and what it inherits besides docker-guide's own
/// environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellState {
    /// The folder the last step ended in, when not the chapter's own.
    cwd: Option<PathBuf>,
    /// The chapter's own folder, learnt from the first step that started there.
    home: Option<PathBuf>,
    /// Exported variables set (`Some`) or unset (`None`) by the chapter's steps.
    env: BTreeMap<String, Option<String>>,
}

/// Whether `step` of `chapter` shares the chapter's shell state: not `isolated`, and not a
/// task (a task's check verifies the chapter's folder as its author wrote it).
pub fn shares_state(chapter: &Chapter, step: &Step) -> bool {
    !chapter.front.isolated && !step.attrs.isolated && !step.is_task()
}

/// Commands that change what the next steps inherit.
const STATE_CHANGERS: &[&str] = &["cd", "pushd", "popd", "export", "unset", "source", "."];

/// The steps before `index` that would have moved the shell or changed its variables (`cd`,
/// `export`, `source .venv/bin/activate`, …): starting at `index` without running them, the
/// step starts in the chapter's folder, not where the tutorial assumes.
pub fn state_changers_before(chapter: &Chapter, index: usize) -> Vec<&Step> {
    chapter.steps[..index.min(chapter.steps.len())]
        .iter()
        .filter(|s| shares_state(chapter, s) && !s.attrs.background && s.attrs.cwd.is_none())
        .filter(|s| {
            crate::lesson::step_commands(s).iter().any(|c| {
                c.words
                    .first()
                    .is_some_and(|w| STATE_CHANGERS.contains(&w.as_str()))
            })
        })
        .collect()
}

impl ShellState {
    /// Nothing carried: steps start in the chapter's folder.
    pub fn is_fresh(&self) -> bool {
        self.cwd.is_none() && self.env.is_empty()
    }

    /// The folder the next step starts in, when it is not the chapter's own.
    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// The carried variables, by name: `Some(value)` set, `None` unset.
    pub fn variables(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }

    /// Makes `spec` (a step of `chapter`) start from this state and report where its shell
    /// ended. Returns a note when the carried folder is gone (the step then starts in the
    /// chapter's folder, and so do the next ones).
    pub fn apply(&mut self, chapter: &Chapter, step: &Step, spec: &mut StepSpec) -> Option<String> {
        if !shares_state(chapter, step) {
            return None;
        }
        spec.env
            .extend(self.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        if step.attrs.cwd.is_some() {
            // Its own folder (runme's `cwd`): the state's variables, but it passes nothing on.
            return None;
        }
        spec.capture_shell = spec.background.is_none();
        let cwd = self.cwd.take()?;
        if cwd.is_dir() {
            spec.cwd = cwd.clone();
            self.cwd = Some(cwd);
            None
        } else {
            Some(format!(
                "{} is gone: this step starts in the chapter's folder",
                display_path(&cwd)
            ))
        }
    }

    /// Takes in where a step's shell ended and what it exported.
    pub fn absorb(&mut self, end: &ShellEnd) {
        if self.cwd.is_none() {
            // Nothing carried: the step started in the chapter's own folder.
            self.home = Some(end.started.clone());
        }
        let same = |a: &Path, b: &Path| {
            a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
        };
        let home = self.home.as_deref().unwrap_or(&end.started);
        self.cwd = (!same(&end.cwd, home)).then(|| end.cwd.clone());
        for (name, value) in &end.changed {
            // Back to what docker-guide started with: nothing to carry any more.
            let inherited = crate::settings::inherited(name);
            if *value == inherited {
                self.env.remove(name);
            } else {
                self.env.insert(name.clone(), value.clone());
            }
        }
    }

    /// What the learner is told about the state, e.g. `in ~/…/repo · VIRTUAL_ENV, PATH
    /// exported · unset DEBUG`; None when fresh.
    pub fn summary(&self) -> Option<String> {
        if self.is_fresh() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(cwd) = &self.cwd {
            parts.push(format!("in {}", display_path(cwd)));
        }
        let set: Vec<&str> = self
            .env
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.as_str())
            .collect();
        let unset: Vec<&str> = self
            .env
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.as_str())
            .collect();
        if !set.is_empty() {
            parts.push(format!("{} exported", list(&set)));
        }
        if !unset.is_empty() {
            parts.push(format!("unset {}", list(&unset)));
        }
        Some(parts.join(" · "))
    }
}

/// Up to four names, then how many more.
fn list(names: &[&str]) -> String {
    match names.len() {
        0..=4 => names.join(", "),
        n => format!("{} and {} more", names[..3].join(", "), n - 3),
    }
}

/// A path as the learner reads it: `~/…` under the home directory.
pub fn display_path(path: &Path) -> String {
    match &crate::settings::get().home {
        Some(home) if path.starts_with(home) => {
            let rest = path.strip_prefix(home).unwrap_or(path);
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
#[path = "shell_state_tests.rs"]
mod tests;
