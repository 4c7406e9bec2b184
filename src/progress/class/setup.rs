//! Preflight: `docker-guide doctor --json` reports collected from attendees before the day.
//! Only the fields a summary needs are read (schema `docker-guide.doctor/v1`, docs/doctor.md),
//! so a newer report with more fields still reads.

use serde::{Deserialize, Serialize};

/// The `schema` of the doctor's JSON report.
pub const DOCTOR_SCHEMA: &str = "docker-guide.doctor/v1";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DoctorReportFile {
    #[serde(default)]
    pub generated_at: Option<String>,
    #[serde(default)]
    pub platform: Option<PlatformLite>,
    #[serde(default)]
    pub runtime: Option<RuntimeLite>,
    pub summary: SummaryLite,
    #[serde(default)]
    pub checks: Vec<CheckLite>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlatformLite {
    pub os: String,
    pub arch: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuntimeLite {
    #[serde(default)]
    pub product: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SummaryLite {
    /// `pass`, `warn` or `fail`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckLite {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub message: String,
}

/// One attendee's setup, as the preflight table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupRow {
    /// The report's file name without `.json` (doctor reports carry no name).
    pub learner: String,
    pub source: String,
    pub status: String,
    /// `id: message` of failed (or timed out) checks.
    pub failing: Vec<String>,
    /// Ids of checks that warned.
    pub warnings: Vec<String>,
    /// e.g. `linux/amd64` (the machine's, which decides which images a bundle needs).
    pub platform: Option<String>,
    pub engine: Option<String>,
}

pub fn setup_row(source: &str, report: &DoctorReportFile) -> SetupRow {
    let file = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let learner = file.strip_suffix(".json").unwrap_or(file).to_owned();
    let with_status = |wanted: &'static [&'static str]| {
        report
            .checks
            .iter()
            .filter(move |c| wanted.contains(&c.status.as_str()))
    };
    SetupRow {
        learner,
        source: source.to_owned(),
        status: report.summary.status.clone(),
        failing: with_status(&["fail", "timeout"])
            .map(|c| format!("{}: {}", c.id, c.message))
            .collect(),
        warnings: with_status(&["warn"]).map(|c| c.id.clone()).collect(),
        platform: report
            .platform
            .as_ref()
            .map(|p| format!("{}/{}", p.os, p.arch)),
        engine: report.runtime.as_ref().and_then(|r| r.product.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doctor_report_becomes_a_setup_row() {
        let json = r#"{"schema":"docker-guide.doctor/v1","tool_version":"0.1.0",
            "platform":{"os":"macos","arch":"arm64","wsl":false},
            "runtime":{"product":"Docker Desktop 4.30","client_version":"26.1"},
            "summary":{"status":"fail","pass":9,"warn":1,"fail":1,"skip":1,"timeout":0,"duration_ms":80},
            "checks":[{"id":"daemon","status":"fail","message":"the engine is not running","extra":1},
                      {"id":"disk","status":"warn","message":"3 GB free"},
                      {"id":"ports","status":"skip","message":""}],
            "unknown_checks":[]}"#;
        let report: DoctorReportFile = serde_json::from_str(json).unwrap();
        let row = setup_row("preflight/zoe.json", &report);
        assert_eq!(row.learner, "zoe");
        assert_eq!(row.status, "fail");
        assert_eq!(row.failing, ["daemon: the engine is not running"]);
        assert_eq!(row.warnings, ["disk"]);
        assert_eq!(row.platform.as_deref(), Some("macos/arm64"));
        assert_eq!(row.engine.as_deref(), Some("Docker Desktop 4.30"));
    }
}
