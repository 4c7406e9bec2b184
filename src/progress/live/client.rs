//! Talking to the class server over plain HTTP (a LAN, no account: no TLS stack is linked).
//! Every request carries the join code and has a timeout; `flush` sends the queue in order
//! and drops only what the server acknowledged, so a cut connection costs a resend, never an
//! event, and the server's idempotent insert makes the resend harmless.

use std::time::Duration;

use ureq::Agent;

use super::protocol::{Ack, Batch, CODE_HEADER, EVENTS_PATH, HELLO_PATH, Hello, MAX_BATCH};
use super::queue::{LiveFiles, QueueError};

/// How long one request may take, connecting included (a venue Wi-Fi can be slow, a hung
/// server must not hold a learner's `run`).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("cannot reach the class at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the class refused the join code (check it with your instructor)")]
    BadCode,
    #[error("the class server is busy; retrying in {0:?}")]
    Throttled(Duration),
    #[error("the class server refused the events ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("{0}")]
    Queue(#[from] QueueError),
}

impl SendError {
    /// Worth trying again later (the network or the server's load), as opposed to an answer
    /// that will not change by itself.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SendError::Unreachable { .. } | SendError::Throttled(_) | SendError::Queue(_)
        )
    }
}

/// `host:port` or `http://host:port[/]` → `http://host:port`; other schemes are refused.
pub fn normalize_url(input: &str) -> Result<String, String> {
    let trimmed = input.trim().trim_end_matches('/');
    let url = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("http://{trimmed}")
    };
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(format!(
            "`{input}`: the class server speaks plain http on the local network (use the http:// address `class serve` printed)"
        ));
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(format!(
            "`{input}` is not an address like http://192.168.1.20:7878"
        ));
    }
    Ok(url)
}

fn agent() -> Agent {
    Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into()
}

fn unreachable(url: &str, err: ureq::Error) -> SendError {
    SendError::Unreachable {
        url: url.to_owned(),
        reason: err.to_string(),
    }
}

/// Checks the address and the code (`GET /api/v1/hello`): the class's name on success.
pub fn hello(url: &str, code: &str) -> Result<Hello, SendError> {
    let mut response = agent()
        .get(format!("{url}{HELLO_PATH}"))
        .header(CODE_HEADER, code)
        .call()
        .map_err(|e| unreachable(url, e))?;
    match response.status().as_u16() {
        200 => response
            .body_mut()
            .read_json::<Hello>()
            .map_err(|e| SendError::Refused {
                status: 200,
                message: format!("not a docker-guide class server ({e})"),
            }),
        status => Err(refusal(url, status, &mut response)),
    }
}

fn refusal(url: &str, status: u16, response: &mut ureq::http::Response<ureq::Body>) -> SendError {
    match status {
        401 | 403 => SendError::BadCode,
        429 | 503 => {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1);
            SendError::Throttled(Duration::from_secs(wait.clamp(1, 60)))
        }
        404 => SendError::Unreachable {
            url: url.to_owned(),
            reason: "no docker-guide class server answers there (404)".into(),
        },
        _ => {
            let message = response
                .body_mut()
                .with_config()
                .limit(4096)
                .read_to_string()
                .unwrap_or_default();
            SendError::Refused {
                status,
                message: crate::progress::class::printable(message.trim()),
            }
        }
    }
}

/// Sends one batch; the server's acknowledgement says up to which number it stored.
pub fn send(url: &str, code: &str, batch: &Batch) -> Result<Ack, SendError> {
    let mut response = agent()
        .post(format!("{url}{EVENTS_PATH}"))
        .header(CODE_HEADER, code)
        .send_json(batch)
        .map_err(|e| unreachable(url, e))?;
    match response.status().as_u16() {
        200 => response
            .body_mut()
            .read_json::<Ack>()
            .map_err(|e| unreachable(url, e)),
        status => Err(refusal(url, status, &mut response)),
    }
}

/// What one [`flush`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flushed {
    pub sent: usize,
    /// Left in the queue (0 unless an error stopped the flush).
    pub queued: usize,
    /// A class is joined (`class leave` may have run since the feed started).
    pub joined: bool,
}

/// Sends the whole queue, oldest first, in batches; stops at the first error (the rest waits
/// for the next flush). Without a class joined, there is nothing to do.
pub fn flush(files: &LiveFiles) -> Result<Flushed, SendError> {
    let mut done = Flushed::default();
    loop {
        let Some((joined, events)) = files.pending(MAX_BATCH)? else {
            return Ok(done);
        };
        done.joined = true;
        if events.is_empty() {
            return Ok(done);
        }
        let count = events.len();
        let last = events.last().map_or(0, |e| e.seq);
        let batch = Batch {
            learner: joined.learner.clone(),
            events,
        };
        let ack = send(&joined.url, &joined.code, &batch)?;
        files.ack(ack.acked.min(last))?;
        if ack.acked < last {
            // The server stored less than it was given: never expected; resend the rest.
            return Err(SendError::Refused {
                status: 200,
                message: format!("stored up to event {} of {last}", ack.acked),
            });
        }
        done.sent += count;
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_url;

    #[test]
    fn addresses_are_normalized_and_tls_is_refused_clearly() {
        assert_eq!(
            normalize_url("192.168.1.20:7878").unwrap(),
            "http://192.168.1.20:7878"
        );
        assert_eq!(normalize_url(" http://host:1/ ").unwrap(), "http://host:1");
        assert!(
            normalize_url("https://host")
                .unwrap_err()
                .contains("plain http")
        );
        assert!(normalize_url("http://host/x").is_err());
        assert!(normalize_url("").is_err());
    }
}
