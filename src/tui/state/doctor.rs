//! The doctor panel's state: the checks' lines as they come in, and the summary the
//! chapter's `requires` are judged by.

/// One doctor check, as the TUI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub id: String,
    pub status: CheckStatus,
    pub title: String,
    pub detail: String,
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    Ok,
    Warn,
    Fail,
    Skipped,
}

/// The doctor's report in the TUI's terms, what its header and doctor panel show (converted
/// from `doctor::Report` by the loop; not `progress::export::DoctorSummary`, the counts a
/// class receives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorPanel {
    /// One line for the header, e.g. `Docker 20.10 ✓` or `daemon not running ✗`.
    pub headline: String,
    pub engine_ok: bool,
    pub checks: Vec<CheckLine>,
}

impl DoctorPanel {
    pub fn failing<'a>(&'a self, ids: &'a [String]) -> impl Iterator<Item = &'a CheckLine> + 'a {
        self.checks
            .iter()
            // A required check that skipped itself (`gpu` without an NVIDIA runtime) does not
            // hold either: the chapter cannot run here.
            .filter(move |c| {
                matches!(c.status, CheckStatus::Fail | CheckStatus::Skipped) && ids.contains(&c.id)
            })
    }
}

#[derive(Debug, Clone, Default)]
pub struct DoctorState {
    pub summary: Option<DoctorPanel>,
    pub running: bool,
}
