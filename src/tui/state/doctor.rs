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
    /// Ports of the course that cannot be published here ([`crate::doctor::Report::blocked_ports`]).
    pub blocked_ports: Vec<u16>,
}

impl DoctorResults {
    /// The checks that keep `requires` from holding (see [`crate::session::judge`]), in the
    /// panel's order. `chapter_ports` gives the ports the chapter publishes: the panel checked
    /// the whole course's, and a chapter is stopped only by its own (as `run`, which checks
    /// that chapter's ports only, judges it). It is called only when some port is blocked: the
    /// banner asks on every frame, and reading a chapter's ports lexes its scripts.
    pub fn failing(
        &self,
        requires: &[String],
        chapter_ports: impl FnOnce() -> Vec<u16>,
    ) -> Vec<&CheckLine> {
        let mut chapter_ports = Some(chapter_ports);
        let mut own_ports: Option<Vec<u16>> = None;
        let mut others_only = |c: &CheckLine| {
            if c.id != "ports" || self.blocked_ports.is_empty() {
                return false;
            }
            let ports = own_ports
                .get_or_insert_with(|| chapter_ports.take().map(|read| read()).unwrap_or_default());
            !ports.iter().any(|p| self.blocked_ports.contains(p))
        };
        let judged = crate::session::judge(
            requires,
            self.checks.iter().map(|c| crate::session::CheckResult {
                id: &c.id,
                verdict: match c.status {
                    CheckStatus::Ok | CheckStatus::Warn => crate::session::Verdict::Holds,
                    CheckStatus::Fail if others_only(c) => crate::session::Verdict::Holds,
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
            blocked_ports: vec![5001],
        };
        let failing: Vec<&str> = panel
            .failing(&["disk".to_string()], Vec::new)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(failing, ["daemon"]);
    }

    #[test]
    fn a_chapter_is_stopped_by_its_own_ports_only() {
        // The course's port 5001 is in use; a chapter publishing 8888 may go on, one
        // publishing 5001 may not. A failure the panel cannot place (no ports noted) stops.
        let mut panel = DoctorResults {
            headline: String::new(),
            engine_ok: true,
            checks: vec![
                line("daemon", CheckStatus::Ok),
                line("ports", CheckStatus::Fail),
            ],
            blocked_ports: vec![5001],
        };
        let requires = ["ports".to_string()];
        let ids = |panel: &DoctorResults, ports: &[u16]| -> Vec<String> {
            panel
                .failing(&requires, || ports.to_vec())
                .iter()
                .map(|c| c.id.clone())
                .collect()
        };
        assert!(ids(&panel, &[8888]).is_empty());
        assert_eq!(ids(&panel, &[8888, 5001]), ["ports"]);
        panel.blocked_ports.clear();
        assert_eq!(ids(&panel, &[8888]), ["ports"]);
    }
}
