//! What a request must get past before the class stores it: the join code (typed loosely,
//! wrong ones slowed per address), each learner's rate (token buckets), and the shape of a
//! refusal (status, one-line reason, `Retry-After` when throttled).

use std::time::Instant;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A learner's requests: a burst of this many, then [`LEARNER_RATE`] a second.
pub const LEARNER_BURST: f64 = 120.0;
pub const LEARNER_RATE: f64 = 60.0;
/// Wrong join codes from one address: a few, then one every 6 seconds.
pub const BAD_CODE_BURST: f64 = 10.0;
pub const BAD_CODE_RATE: f64 = 1.0 / 6.0;

/// A token bucket: `burst` requests at once, then `rate` a second.
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub fn full(burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            at: Instant::now(),
        }
    }

    /// Takes a token; else the seconds until one is back.
    pub fn take(&mut self, burst: f64, rate: f64) -> Result<(), u64> {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - self.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// A join code as typed: case, spaces and dashes do not matter.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A fresh join code, `ABC-D23`: letters and digits that cannot be misread (no 0/O, 1/I/L).
pub fn new_join_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 6];
    crate::progress::live::protocol::fill_random(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..3], &chars[3..])
}

/// A refused request: its status, the reason (one line) and, when throttled, when to retry.
pub struct Refusal {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut text = self.message;
        text.push('\n');
        let mut response = (self.status, text).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

pub fn refuse(status: StatusCode, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
        retry_after: None,
    }
}

pub fn throttled(retry_after: u64, message: &str) -> Refusal {
    Refusal {
        status: StatusCode::TOO_MANY_REQUESTS,
        message: message.into(),
        retry_after: Some(retry_after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_typed_loosely() {
        let code = new_join_code();
        assert_eq!(code.len(), 7, "{code}");
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        assert_eq!(normalize_code(" abc-d23 "), "ABCD23");
    }

    #[test]
    fn buckets_refill_at_their_rate() {
        let mut bucket = Bucket::full(2.0);
        assert!(bucket.take(2.0, 1.0).is_ok());
        assert!(bucket.take(2.0, 1.0).is_ok());
        assert_eq!(bucket.take(2.0, 1.0), Err(1));
    }
}
