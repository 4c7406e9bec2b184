//! `docker-guide class serve`: opens the live class (the HTTP server learners join, its
//! database) and the dashboard on a terminal, else prints activity lines until stopped.

use std::io::{IsTerminal, Write as _};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use super::Outcome;
use crate::class_live::{Server, reachable_addresses};
use crate::cli::GlobalArgs;
use crate::session::Signals;
use crate::tui::dashboard::{self, ServerInfo};

/// The port `class serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7878;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Address to listen on: every interface by default; 127.0.0.1 keeps the class on this
    /// machine
    #[arg(long, default_value = "0.0.0.0", value_name = "IP")]
    pub bind: IpAddr,
    /// The class database (SQLite), created when missing: a restarted server goes on from
    /// it, and `class summary FILE` reports on it
    #[arg(long, default_value = "docker-guide-class.db", value_name = "FILE")]
    pub data: PathBuf,
    /// Print activity lines instead of opening the dashboard (the default when stdout is not
    /// a terminal)
    #[arg(long)]
    pub no_dashboard: bool,
}

pub fn run(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<Outcome> {
    let class = super::load_course(global)
        .map(|c| c.title)
        .unwrap_or_else(|_| "docker-guide class".to_owned());
    let listener = TcpListener::bind(SocketAddr::new(args.bind, args.port)).with_context(|| {
        format!(
            "cannot listen on {}:{} (another program holds the port? try --port {})",
            args.bind,
            args.port,
            args.port.wrapping_add(1).max(1024)
        )
    })?;
    let port = listener.local_addr()?.port();
    let (tx, activity) = mpsc::channel();
    let server = Server::start(&args.data, listener, &class, Some(tx))?;
    let signals = Signals::install()?;
    let urls: Vec<String> = if args.bind.is_unspecified() {
        reachable_addresses()
    } else {
        vec![args.bind]
    }
    .into_iter()
    .map(|ip| format!("http://{}", SocketAddr::new(ip, port)))
    .collect();
    let code = server.shared.code().to_owned();
    let (learners, events) = server.shared.with_state(|s| (s.learners.len(), s.events));
    let data = crate::progress::class::printable(&args.data.display().to_string());
    let dashboard = !args.no_dashboard && std::io::stdout().is_terminal();
    if dashboard {
        let header = ServerInfo {
            code: code.clone(),
            urls: urls.clone(),
            data: data.clone(),
        };
        dashboard::run(&server, &activity, header, &signals)?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "Class `{class}` is open. Join code: {code}")?;
        writeln!(out, "Learners type:")?;
        writeln!(
            out,
            "  docker-guide class join {} --code {code} --name \"Their Name\"",
            urls[0]
        )?;
        writeln!(out, "Addresses: {}", urls.join(", "))?;
        writeln!(
            out,
            "Data: {data} ({events} event(s) from {learners} learner(s) kept). Stop with Ctrl-C."
        )?;
        out.flush()?;
        drop(out);
        while !signals.stop_requested() && !server.has_failed() {
            if let Ok(item) = activity.recv_timeout(Duration::from_millis(200)) {
                println!("{item}");
            }
        }
    }
    let (learners, events) = server.shared.with_state(|s| (s.learners.len(), s.events));
    let failed = server.has_failed();
    server.stop().context("the class server failed")?;
    if failed {
        anyhow::bail!("the class server stopped unexpectedly");
    }
    eprintln!(
        "Class closed: {events} event(s) from {learners} learner(s) kept in {data}. Report: docker-guide class summary {data}"
    );
    Ok(Outcome::Success)
}
