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
/// from `doctor::Report` by the loop). Not `view::doctor_panel::DoctorPanel`, the widget
/// that draws it, nor `progress::export::DoctorSummary`, the counts a class receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorResults {
    /// One line for the header, e.g. `Docker 20.10 ✓` or `daemon not running ✗`.
    pub headline: String,
    pub engine_ok: bool,
    pub checks: Vec<CheckLine>,
}

impl DoctorResults {
    /// The checks that keep `requires` from holding (see [`crate::session::judge`]), in the
    /// panel's order.
    pub fn failing(&self, requires: &[String]) -> Vec<&CheckLine> {
        let judged = crate::session::judge(
            requires,
            self.checks.iter().map(|c| crate::session::CheckResult {
                id: &c.id,
                verdict: match c.status {
                    CheckStatus::Ok | CheckStatus::Warn => crate::session::Verdict::Holds,
                    CheckStatus::Fail => crate::session::Verdict::Fails,
                    CheckStatus::Skipped => crate::session::Verdict::SkippedItself,
                },
                summary: &c.detail,
                fix: c.fix.as_deref(),
            }),
        );
        let ids: Vec<&str> = judged.ids().collect();
        self.checks
            .iter()
            .filter(|c| ids.contains(&c.id.as_str()))
            .collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct DoctorState {
    pub summary: Option<DoctorResults>,
    pub running: bool,
}

#[cfg(test)]
mod tests {
    use super::{CheckLine, CheckStatus, DoctorResults};

    fn line(id: &str, status: CheckStatus) -> CheckLine {
        CheckLine {
            id: id.into(),
            status,
            title: id.into(),
            detail: String::new(),
            fix: None,
        }
    }

    #[test]
    fn requires_are_judged_as_run_judges_them() {
        // The engine is down: the required `disk` skipped for it, `ports` (not required)
        // failed too. The banner names what stops the chapter, the daemon, as `run` does.
        let panel = DoctorResults {
            headline: String::new(),
            engine_ok: false,
            checks: vec![
                line("docker", CheckStatus::Ok),
                line("daemon", CheckStatus::Fail),
                line("ports", CheckStatus::Fail),
                line("disk", CheckStatus::Skipped),
            ],
        };
        let failing: Vec<&str> = panel
            .failing(&["disk".to_string()])
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(failing, ["daemon"]);
    }
}
