//! What a chapter holds for this session besides its steps' runs: the shell state its steps
//! left (`cd`, `export`: see `session::ShellState`) and the placeholder values the learner
//! typed in (`<container-id>`, `YOUR_USERNAME`), remembered until the session ends.

use super::state::App;
use crate::session::ShellState;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChapterInputs {
    pub shell: ShellState,
    /// Placeholder values by name, in the order they were first given.
    pub values: Vec<(String, String)>,
}

impl ChapterInputs {
    /// The value given for placeholder `name` (names compare case-insensitively, as in
    /// `Step::script_with`).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) the value of `name`.
    pub fn set_value(&mut self, name: &str, value: String) {
        match self
            .values
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some((_, v)) => *v = value,
            None => self.values.push((name.to_string(), value)),
        }
    }
}

impl App {
    /// What chapter `chapter` holds so far (nothing yet: the defaults).
    pub fn inputs_of(&self, chapter: usize) -> ChapterInputs {
        self.inputs.get(&chapter).cloned().unwrap_or_default()
    }

    /// Where the current chapter's next step starts and what it inherits, for the step header
    /// (None when nothing is carried).
    pub fn shell_summary(&self) -> Option<String> {
        self.inputs.get(&self.chapter)?.shell.summary()
    }
}
