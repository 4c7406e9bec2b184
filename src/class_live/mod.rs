//! The instructor's live class (`class serve`): the HTTP server learners send their events to
//! (`server`), the SQLite database that keeps them (`db`) and the class state rebuilt from them
//! (`state`). Above `progress` (the export, the class summary, the wire protocol in
//! `progress::live`), below `tui` (whose `tui::dashboard` shows this state on the instructor's
//! terminal) and `commands`. No terminal here: the model, the store and the server only.

pub mod db;
mod guard;
pub mod server;
pub mod state;

use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::path::Path;
use std::time::SystemTime;

use crate::progress::class::ClassInput;

pub use server::{Activity, Server};

/// The addresses learners on the network can reach this machine at: the one the default
/// route leaves from (no packet is sent), then loopback for learners on this machine.
pub fn reachable_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    let routed = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| s.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).map(|_| s))
        .and_then(|s| s.local_addr());
    if let Ok(addr) = routed
        && !addr.ip().is_unspecified()
        && !addr.ip().is_loopback()
    {
        out.push(addr.ip());
    }
    out.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    out
}

/// The learners of a class database as `class summary` inputs (each named `FILE#name`).
pub fn class_inputs_from_db(path: &Path) -> Result<Vec<ClassInput>, db::DbError> {
    let db = db::ClassDb::open_read_only(path)?;
    let mut state = state::ClassState::default();
    for stored in db.events()? {
        let _ = state.apply(&stored.learner, &stored.event, stored.received);
    }
    let shown = crate::progress::class::printable(&path.display().to_string());
    Ok(state
        .class_inputs(SystemTime::now())
        .into_iter()
        .map(|mut input| {
            input.source = format!("{shown}#{}", input.source.trim_start_matches("live/"));
            input
        })
        .collect())
}
