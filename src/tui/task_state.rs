//! The TUI's state for tasks and the learner's own programs: what each task showed this
//! session (hints, solution), whether a save is waiting for a running check to stop, and the
//! file picker of `e`. Plain data.

/// What a task showed in this session, by step id (hints revealed earlier are restored from
/// the progress store when it knows them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskState {
    /// How many hints are revealed, in order.
    pub hints_shown: usize,
    /// The solution is shown in the card.
    pub solution_shown: bool,
    /// A save arrived while the check ran: it was cancelled and runs again once it stopped.
    pub recheck: bool,
    /// The learner acted on it (`e`, `!`, `h`, `S`): their saves check it.
    pub taken_up: bool,
    /// The learner agreed to apply the solution while the check ran: it starts once the
    /// check has stopped.
    pub apply_pending: bool,
    /// Saves seen before this are the solution's own writes (set when applying ends).
    pub quiet_until: Option<std::time::Instant>,
    /// The solution is being applied: the index of its step that runs now.
    pub applying: Option<usize>,
}

/// `e` with several candidate files: the learner picks one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePicker {
    pub chapter: usize,
    /// Paths relative to the chapter's folder.
    pub files: Vec<String>,
    pub selected: usize,
}

impl FilePicker {
    pub fn new(chapter: usize, files: Vec<String>) -> Self {
        Self {
            chapter,
            files,
            selected: 0,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.files.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn chosen(&self) -> Option<&str> {
        self.files.get(self.selected).map(String::as_str)
    }
}

impl super::state::App {
    /// A task was tried or passed by (a later step ran) without being solved: the sidebar
    /// shows the chapter as having open tasks.
    pub fn open_tasks(&self, chapter: usize) -> usize {
        let Some(ch) = self.course.chapters.get(chapter) else {
            return 0;
        };
        let touched = |s: &crate::lesson::Step| {
            self.run_of(s).is_some() || self.step_done(s) || self.step_failed(s)
        };
        ch.steps
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                s.is_task()
                    && !self.step_done(s)
                    && (touched(s) || ch.steps[i + 1..].iter().any(touched))
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::FilePicker;

    #[test]
    fn the_picker_stays_on_its_files() {
        let mut p = FilePicker::new(0, vec!["a".into(), "b".into()]);
        p.move_by(-1);
        assert_eq!(p.chosen(), Some("a"));
        p.move_by(5);
        assert_eq!(p.chosen(), Some("b"));
        assert_eq!(FilePicker::new(0, Vec::new()).chosen(), None);
    }
}
