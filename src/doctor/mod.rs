//! Setup checks for the learner's Docker installation: each check has an id, a status, the
//! evidence and a fix. Checks read the outside world through a [`Probe`] so tests can fake it;
//! they run in parallel, every command under a hard timeout, the whole run within
//! [`checkup::TOTAL_BUDGET`].

mod checks;
mod checkup;
pub mod engine;
mod fixes;
pub mod json;
pub mod needs;
pub mod podman;
pub mod probe;
pub mod report;
pub mod system;
pub mod text;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod tests;

use std::time::Instant;

pub use checks::{CHECKS, CheckDef};
pub use needs::{chapter_ports, published_ports};
pub use probe::{CommandOutput, CommandSpec, Platform, Probe};
pub use report::{CheckResult, EngineIdentity, Fix, Report, Status};
pub use system::SystemProbe;

use checkup::Checkup;

/// Every check id, in report order. Chapters name them in `requires`; lint rejects others.
pub const CHECK_IDS: &[&str] = &[
    "docker",
    "daemon",
    "permission",
    "context",
    "compose",
    "buildx",
    "disk",
    "memory",
    "arch",
    "ports",
    "registry",
    "images",
    "gpu",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DoctorError {
    #[error("unknown check `{id}` (known: {})", CHECK_IDS.join(", "))]
    UnknownCheck { id: String },
}

/// What to check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoctorRequest {
    /// Check ids to run (plus what they need); empty = every default check.
    pub ids: Vec<String>,
    /// Also run `registry` (one small pull from Docker Hub).
    pub deep: bool,
    /// Host ports the course publishes (`ports` check).
    pub ports: Vec<u16>,
    /// Images the course uses (`images` check).
    pub images: Vec<String>,
}

/// The checks a request runs, in report order: the named ones and everything they need.
/// An unknown id is an error (the CLI exits 2 on it).
pub fn select(request: &DoctorRequest) -> Result<Vec<&'static CheckDef>, DoctorError> {
    let (selected, unknown) = plan(request);
    match unknown.into_iter().next() {
        Some(id) => Err(DoctorError::UnknownCheck { id }),
        None => Ok(selected),
    }
}

/// The ids of the checks `ids` name and of everything they need (what [`run_checks`] runs for
/// them), and the ids that name no check: what a chapter's `requires` covers.
pub fn with_needs(ids: &[String]) -> (Vec<&'static str>, Vec<String>) {
    if ids.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let request = DoctorRequest {
        ids: ids.to_vec(),
        ..DoctorRequest::default()
    };
    let (selected, unknown) = plan(&request);
    (selected.iter().map(|c| c.id).collect(), unknown)
}

/// The checks to run and the ids that name no check.
fn plan(request: &DoctorRequest) -> (Vec<&'static CheckDef>, Vec<String>) {
    let mut wanted: Vec<&str> = Vec::new();
    let mut unknown = Vec::new();
    if request.ids.is_empty() {
        wanted.extend(
            CHECKS
                .iter()
                .filter(|c| c.default || (request.deep && c.id == "registry"))
                .map(|c| c.id),
        );
    }
    for id in &request.ids {
        match checks::find(id) {
            Some(def) => wanted.push(def.id),
            None if !unknown.contains(id) => unknown.push(id.clone()),
            None => {}
        }
    }
    // Close over `needs` (the table has at most two levels, but loop until stable anyway).
    loop {
        let before = wanted.len();
        for id in wanted.clone() {
            for need in checks::find(id).map(|c| c.needs).unwrap_or_default() {
                if !wanted.contains(need) {
                    wanted.push(need);
                }
            }
        }
        if wanted.len() == before {
            break;
        }
    }
    let selected = CHECKS.iter().filter(|c| wanted.contains(&c.id)).collect();
    (selected, unknown)
}

/// Runs the requested checks and returns the report. Ids that name no check are listed in
/// [`Report::unknown_checks`] (and make [`Report::failed`] true); validate first with
/// [`select`] to reject them instead.
pub fn run_checks(probe: &dyn Probe, request: &DoctorRequest) -> Report {
    run_checks_streaming(probe, request, &|_| {})
}

/// Like [`run_checks`], calling `on_done` (from a worker thread) as each check finishes,
/// so a UI can show progress. Results in the report keep report order.
pub fn run_checks_streaming(
    probe: &dyn Probe,
    request: &DoctorRequest,
    on_done: &(dyn Fn(&CheckResult) + Sync),
) -> Report {
    let (selected, unknown_checks) = plan(request);
    let started = Instant::now();
    let checkup = Checkup::new(
        probe,
        checkup::TOTAL_BUDGET,
        selected.iter().map(|c| c.id).collect(),
    );
    let mut results: Vec<CheckResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = selected
            .iter()
            .map(|def| {
                let checkup = &checkup;
                scope.spawn(move || {
                    // A panicking check must still publish, or the checks waiting on it hang.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_one(checkup, def, request)
                    }))
                    .unwrap_or_else(|_| crashed(def, started));
                    checkup.publish(def.id, result.status.clone());
                    on_done(&result);
                    result
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(&selected)
            .map(|(handle, def)| handle.join().unwrap_or_else(|_| crashed(def, started)))
            .collect()
    });
    results.sort_by_key(|r| CHECK_IDS.iter().position(|id| *id == r.id));
    let runtime = results
        .iter()
        .any(|r| r.id == "daemon" && matches!(r.status, Status::Pass | Status::Warn))
        .then(|| {
            let version = checkup.version_json().unwrap_or_default();
            engine::runtime(
                &version,
                checkup.info_json().as_ref(),
                checkup.current_context().as_ref(),
            )
        });
    Report {
        platform: checkup.platform.clone(),
        runtime,
        checks: results,
        unknown_checks,
        blocked_ports: checkup.blocked_ports(),
        duration: started.elapsed(),
        finished_at: std::time::SystemTime::now(),
    }
}

fn crashed(def: &'static CheckDef, started: Instant) -> CheckResult {
    CheckResult {
        id: def.id,
        title: def.title,
        status: Status::Fail,
        message: "the check itself crashed (a bug in docker-guide: please report it)".into(),
        details: Vec::new(),
        evidence: Vec::new(),
        fix: None,
        affects: def.affects,
        duration: started.elapsed(),
    }
}

fn run_one(checkup: &Checkup, def: &'static CheckDef, request: &DoctorRequest) -> CheckResult {
    let started = Instant::now();
    let mut gated = None;
    // `docker` first: without it nothing else may spawn a process.
    for need in def.needs.iter().filter(|n| **n != "daemon") {
        if let Some(skip) = checkup.gate(need) {
            gated = Some(checks::Finding::skipped(skip));
            break;
        }
    }
    let outcome = gated.unwrap_or_else(|| {
        if def.uses_info {
            checkup.info();
        }
        (def.run)(checkup, request)
    });
    CheckResult {
        id: def.id,
        title: def.title,
        status: outcome.status,
        message: outcome.message,
        details: outcome.details,
        evidence: outcome.evidence,
        fix: outcome.fix,
        affects: def.affects,
        duration: started.elapsed(),
    }
}
