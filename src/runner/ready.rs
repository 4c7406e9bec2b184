//! Readiness of background steps: an HTTP URL answered with a status below 500 (plain
//! HTTP/1.1 over `TcpStream`, no curl), or a command that exits 0; polled every 250 ms.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::process::{Shared, SharedSink};
use super::{Ready, RunEvent, StepSpec};
use crate::outcome::FailReason;

const POLL_INTERVAL: Duration = Duration::from_millis(250);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
const READ_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest a single `ready` command may take.
const READY_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Polls `ready` until it holds (sends `Ready`), the process ends, or the deadline passes
/// (then stops the step with `NotReady`).
pub(crate) fn spawn_poller(
    ready: Ready,
    spec: &StepSpec,
    started: Instant,
    shared: Arc<Shared>,
    sink: SharedSink,
    control: Sender<super::process::ControlMessage>,
) {
    let deadline = started + spec.timeout;
    let timeout = spec.timeout;
    let cwd = spec.cwd.clone();
    let _ = std::thread::Builder::new()
        .name("step-ready".into())
        .spawn(move || {
            loop {
                if !shared.is_running() {
                    return; // The reader reports the exit as the step's failure.
                }
                let holds = match &ready {
                    Ready::Url(url) => http_ready(url, CONNECT_TIMEOUT, READ_TIMEOUT),
                    Ready::Command(command) => command_ready(command, &cwd, deadline),
                };
                if holds && shared.is_running() {
                    shared.ready.store(true, Ordering::Release);
                    (sink.lock().unwrap_or_else(|e| e.into_inner()))(RunEvent::Ready);
                    return;
                }
                if Instant::now() >= deadline {
                    let _ =
                        control.send(super::process::ControlMessage::Stop(FailReason::NotReady {
                            after: timeout,
                        }));
                    return;
                }
                std::thread::sleep(
                    POLL_INTERVAL.min(deadline.saturating_duration_since(Instant::now())),
                );
            }
        });
}

fn command_ready(command: &str, cwd: &std::path::Path, deadline: Instant) -> bool {
    let limit = READY_COMMAND_TIMEOUT.min(deadline.saturating_duration_since(Instant::now()));
    let limit = limit.max(Duration::from_millis(100));
    matches!(super::cleanup::run_captured(command, cwd, limit), Ok(c) if !c.timed_out && c.status.code() == Some(0))
}

/// A parsed `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpTarget {
    pub host: String,
    pub port: u16,
    pub path: String,
    /// `https`: only the TCP connection is checked (no TLS here).
    pub tls: bool,
}

pub(crate) fn parse_url(url: &str) -> Option<HttpTarget> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else {
        (false, url)
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    let default_port = if tls { 443 } else { 80 };
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        // [::1]:8080
        let end = bracketed.find(']')?;
        let port = match bracketed[end + 1..].strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None => default_port,
        };
        (bracketed[..end].to_owned(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port.parse().ok()?),
            None => (authority.to_owned(), default_port),
        }
    };
    if host.is_empty() {
        return None;
    }
    Some(HttpTarget {
        host,
        port,
        path: path.to_owned(),
        tls,
    })
}

/// True when `url` answers an HTTP GET with a status below 500.
pub(crate) fn http_ready(url: &str, connect_timeout: Duration, read_timeout: Duration) -> bool {
    let Some(target) = parse_url(url) else {
        return false;
    };
    let Ok(addrs) = (target.host.as_str(), target.port).to_socket_addrs() else {
        return false;
    };
    for addr in addrs {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, connect_timeout) else {
            continue;
        };
        if target.tls {
            return true;
        }
        let _ = stream.set_read_timeout(Some(read_timeout));
        let _ = stream.set_write_timeout(Some(read_timeout));
        let host_header = if target.host.contains(':') {
            format!("[{}]:{}", target.host, target.port)
        } else {
            format!("{}:{}", target.host, target.port)
        };
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: docker-guide\r\nConnection: close\r\n\r\n",
            target.path
        );
        if stream.write_all(request.as_bytes()).is_err() {
            continue;
        }
        if let Some(status) = read_status(&mut stream) {
            return status < 500;
        }
    }
    false
}

/// Reads the status code of `HTTP/1.x NNN ...`.
fn read_status(stream: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::with_capacity(64);
    let mut buf = [0u8; 64];
    while !head.contains(&b'\n') && head.len() < 1024 {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = std::str::from_utf8(&head).ok()?.lines().next()?;
    let mut parts = line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let t = parse_url("http://localhost:8000/health?x=1").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str(), t.tls),
            ("localhost", 8000, "/health?x=1", false)
        );
        let t = parse_url("http://127.0.0.1").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        let t = parse_url("https://[::1]:8443/").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.tls), ("::1", 8443, true));
        assert_eq!(parse_url("localhost:5000").unwrap().port, 5000);
        assert!(parse_url("http://:80/").is_none());
        assert!(parse_url("http://host:notaport/").is_none());
    }

    #[test]
    fn closed_port_is_not_ready() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        assert!(!http_ready(
            &format!("http://127.0.0.1:{port}/"),
            CONNECT_TIMEOUT,
            READ_TIMEOUT
        ));
    }

    #[test]
    fn status_below_500_is_ready_and_500_is_not() {
        for (status, expected) in [
            ("200 OK", true),
            ("404 Not Found", true),
            ("503 Unavailable", false),
        ] {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = std::thread::spawn(move || {
                let (mut conn, _) = listener.accept().unwrap();
                let mut req = [0u8; 1024];
                let n = conn.read(&mut req).unwrap();
                let request = String::from_utf8_lossy(&req[..n]).into_owned();
                conn.write_all(
                    format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
                )
                .unwrap();
                request
            });
            assert_eq!(
                http_ready(
                    &format!("http://127.0.0.1:{port}/up"),
                    CONNECT_TIMEOUT,
                    READ_TIMEOUT
                ),
                expected
            );
            let request = server.join().unwrap();
            assert!(
                request.starts_with("GET /up HTTP/1.1\r\nHost: 127.0.0.1:"),
                "{request}"
            );
        }
    }

    #[test]
    fn silent_server_times_out_as_not_ready() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let started = Instant::now();
        assert!(!http_ready(
            &format!("http://127.0.0.1:{port}/"),
            CONNECT_TIMEOUT,
            Duration::from_millis(300)
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(listener);
    }
}
