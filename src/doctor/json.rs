//! The `--json` document, schema `docker-guide.doctor/v1` (fields documented in docs/doctor.md).

use serde::Serialize;

use super::probe::Platform;
use super::report::{EngineIdentity, Evidence, Fix, Report, SCHEMA, Summary, millis};

#[derive(Debug, Serialize)]
pub struct DoctorJson<'a> {
    pub schema: &'static str,
    pub tool_version: &'static str,
    /// RFC 3339, UTC, seconds.
    pub generated_at: String,
    pub platform: &'a Platform,
    pub runtime: Option<&'a EngineIdentity>,
    pub summary: SummaryJson,
    pub checks: Vec<CheckJson<'a>>,
    /// Requested ids that name no check.
    pub unknown_checks: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct SummaryJson {
    /// `pass`, `warn` or `fail` for the whole run (timeouts count as failures).
    pub status: &'static str,
    #[serde(flatten)]
    pub counts: Summary,
    pub duration_ms: u64,
}

#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: &'static str,
    pub skipped_because: Option<&'a str>,
    pub message: &'a str,
    pub details: &'a [String],
    pub duration_ms: u64,
    pub evidence: &'a [Evidence],
    pub fix: Option<&'a Fix>,
    pub affects: &'a str,
}

pub fn to_json(report: &Report) -> DoctorJson<'_> {
    let counts = report.summary();
    let status = if counts.fail + counts.timeout > 0 || !report.unknown_checks.is_empty() {
        "fail"
    } else if counts.warn > 0 {
        "warn"
    } else {
        "pass"
    };
    DoctorJson {
        schema: SCHEMA,
        tool_version: env!("CARGO_PKG_VERSION"),
        generated_at: humantime::format_rfc3339_seconds(report.finished_at).to_string(),
        platform: &report.platform,
        runtime: report.runtime.as_ref(),
        summary: SummaryJson {
            status,
            counts,
            duration_ms: millis(report.duration),
        },
        checks: report
            .checks
            .iter()
            .map(|c| CheckJson {
                id: c.id,
                title: c.title,
                status: c.status.as_str(),
                skipped_because: match &c.status {
                    super::Status::Skip { because } => Some(because),
                    _ => None,
                },
                message: &c.message,
                details: &c.details,
                duration_ms: millis(c.duration),
                evidence: &c.evidence,
                fix: c.fix.as_ref(),
                affects: c.affects,
            })
            .collect(),
        unknown_checks: &report.unknown_checks,
    }
}

/// The report as pretty JSON text.
pub fn to_json_string(report: &Report) -> String {
    serde_json::to_string_pretty(&to_json(report)).expect("the report serializes")
}
