//! Host-side check: the ports the course publishes are free.

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{Checkup, DAEMON_TIMEOUT};
use crate::doctor::probe::BindError;
use crate::doctor::report::{Fix, FixOs};

pub fn ports(s: &Checkup, req: &DoctorRequest) -> Finding {
    if req.ports.is_empty() {
        return Finding::pass("the course publishes no ports");
    }
    let mut busy = Vec::new();
    let mut privileged = Vec::new();
    let mut unknown = Vec::new();
    for &port in &req.ports {
        match s.probe.bind_tcp(port) {
            Ok(()) => {}
            Err(BindError::InUse) => busy.push(port),
            Err(BindError::PermissionDenied) => privileged.push(port),
            Err(BindError::Other(err)) => unknown.push(format!("{port}: {err}")),
        }
    }
    // Only a problem needs the engine (who holds a port, rootless or not): don't wait otherwise.
    let need_engine = !busy.is_empty() || !privileged.is_empty();
    let engine_ok = need_engine && s.is_selected("daemon") && s.gate("daemon").is_none();
    let rootless = engine_ok && s.info_json().is_some_and(|i| i.is_rootless());
    let list = |ports: &[u16]| {
        ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if rootless && !privileged.is_empty() {
        s.note_blocked_ports(&privileged);
        s.note_blocked_ports(&busy);
        return Finding::fail(
            format!("a rootless engine cannot publish port(s) {} (below 1024)", list(&privileged)),
            Fix::new("Publish a host port of 1024 or more (e.g. `-p 8080:80`), or allow low ports for rootless Docker.")
                .step(FixOs::Linux, "Allow unprivileged low ports (system-wide)", &[
                    "sudo sysctl net.ipv4.ip_unprivileged_port_start=80",
                ]),
        );
    }
    if busy.is_empty() {
        let mut outcome = Finding::pass(format!("free: {}", list(&req.ports)));
        if !privileged.is_empty() {
            outcome = outcome.detail(format!(
                "{} below 1024: only the engine (as root) can bind them, not tested",
                list(&privileged)
            ));
        }
        for line in unknown {
            outcome = outcome.detail(format!("could not test {line}"));
        }
        return outcome;
    }
    s.note_blocked_ports(&busy);
    let mut fix = Fix::new(
        "Stop what holds the port, or publish the container on another host port (e.g. `-p 5001:5000`).",
    );
    let mut details = Vec::new();
    if engine_ok {
        let ps = s.docker(
            &["ps", "--format", "{{.Names}}\t{{.Ports}}"],
            DAEMON_TIMEOUT,
        );
        for port in &busy {
            for line in ps.out.stdout.lines() {
                let (name, published) = line.split_once('\t').unwrap_or((line, ""));
                if published.contains(&format!(":{port}->")) {
                    details.push(format!("port {port} is held by container {name}"));
                    let rm = format!("docker rm -f {name}");
                    fix = fix.step(
                        FixOs::All,
                        format!("Remove container {name}"),
                        &[rm.as_str()],
                    );
                }
            }
        }
    }
    let first = busy[0];
    let ss = format!("sudo ss -ltnp 'sport = :{first}'");
    let lsof = format!("lsof -nP -iTCP:{first} -sTCP:LISTEN");
    let netstat = format!("netstat -ano | findstr :{first}");
    fix = fix
        .step(FixOs::Linux, "Find the program listening", &[ss.as_str()])
        .step(FixOs::Macos, "Find the program listening", &[lsof.as_str()])
        .step(
            FixOs::Windows,
            "Find the program listening (last column: PID)",
            &[netstat.as_str()],
        );
    let mut outcome = Finding::fail(format!("in use: {}", list(&busy)), fix);
    outcome.details = details;
    outcome
}
