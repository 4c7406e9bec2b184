//! The learner's side of a live class on disk, next to the progress file: `live.json` (the
//! class joined: address, code, name, the learner's random id, the next event number) and
//! `live-queue.jsonl` (the events not yet acknowledged, one JSON line each, oldest first).
//! Every change happens under one lock, so a TUI and a headless `run` of the same learner
//! number their events without collision; the queue survives a dropped network, a crash and
//! a reboot, and is emptied only up to what the server acknowledged.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::protocol::{Event, EventBody};
use crate::progress::ProgressError;
use crate::progress::file::{FileLock, write_atomic};
use crate::progress::model::rfc3339;

/// The class this learner joined (`live.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The server's base address, e.g. `http://192.168.1.20:7878`.
    pub url: String,
    pub code: String,
    pub name: String,
    /// Random, made at the first join to this class; the server keys the learner by it.
    pub learner: String,
    /// Events are sent for this course only.
    pub course_id: String,
    /// The number the next event gets.
    pub next_seq: u64,
    #[serde(with = "rfc3339")]
    pub joined_at: SystemTime,
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{path} is not readable ({reason}); `docker-guide class join` again to replace it")]
    Corrupt { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] ProgressError),
}

/// The two files, beside a progress file.
#[derive(Debug, Clone)]
pub struct LiveFiles {
    pub membership: PathBuf,
    pub queue: PathBuf,
}

impl LiveFiles {
    pub fn beside(progress_file: &Path) -> LiveFiles {
        let dir = progress_file.parent().unwrap_or(Path::new("."));
        LiveFiles {
            membership: dir.join("live.json"),
            queue: dir.join("live-queue.jsonl"),
        }
    }

    /// Beside this machine's progress file.
    pub fn default_location() -> Result<LiveFiles, ProgressError> {
        Ok(LiveFiles::beside(&crate::progress::Store::default_path()?))
    }

    fn lock(&self) -> Result<FileLock, QueueError> {
        Ok(FileLock::acquire(&self.membership)?)
    }

    /// The class joined, if any.
    pub fn membership(&self) -> Result<Option<Membership>, QueueError> {
        read_membership(&self.membership)
    }

    /// Joins a class: keeps the learner's id, numbering and queue when it is the same class
    /// and course (a second `join` after a restart), else starts afresh. Returns what is saved.
    pub fn join(&self, mut joined: Membership) -> Result<Membership, QueueError> {
        let _lock = self.lock()?;
        // An unreadable live.json is what a new join replaces (its error message says so).
        match read_membership(&self.membership).unwrap_or(None) {
            Some(old)
                if old.url == joined.url
                    && old.code == joined.code
                    && old.course_id == joined.course_id =>
            {
                joined.learner = old.learner;
                joined.next_seq = old.next_seq.max(joined.next_seq);
            }
            _ => remove(&self.queue)?,
        }
        write_membership(&self.membership, &joined)?;
        Ok(joined)
    }

    /// Leaves the class: forgets it and its unsent events (how many is returned).
    pub fn leave(&self) -> Result<usize, QueueError> {
        let _lock = self.lock()?;
        let unsent = read_queue(&self.queue)?.len();
        remove(&self.queue)?;
        remove(&self.membership)?;
        Ok(unsent)
    }

    /// Numbers the events and appends them to the queue (durably, before anything is sent).
    /// Nothing is queued when no class is joined.
    pub fn enqueue(&self, bodies: Vec<EventBody>) -> Result<(), QueueError> {
        if bodies.is_empty() {
            return Ok(());
        }
        let _lock = self.lock()?;
        let Some(mut joined) = read_membership(&self.membership)? else {
            return Ok(());
        };
        let at = SystemTime::now();
        let mut lines = Vec::new();
        for body in bodies {
            let event = Event {
                seq: joined.next_seq,
                at,
                body,
            };
            joined.next_seq += 1;
            serde_json::to_writer(&mut lines, &event).expect("events serialize");
            lines.push(b'\n');
        }
        // The number is saved first: a crash in between leaves a gap (harmless), never two
        // events with one number.
        write_membership(&self.membership, &joined)?;
        let write_err = |source| QueueError::Write {
            path: self.queue.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.queue)
            .map_err(write_err)?;
        file.write_all(&lines).map_err(write_err)?;
        file.sync_data().map_err(write_err)
    }

    /// The class joined and up to `max` of the oldest unacknowledged events.
    pub fn pending(&self, max: usize) -> Result<Option<(Membership, Vec<Event>)>, QueueError> {
        let _lock = self.lock()?;
        let Some(joined) = read_membership(&self.membership)? else {
            return Ok(None);
        };
        let mut events = read_queue(&self.queue)?;
        events.truncate(max);
        Ok(Some((joined, events)))
    }

    /// How many events wait to be sent.
    pub fn queued(&self) -> Result<usize, QueueError> {
        let _lock = self.lock()?;
        Ok(read_queue(&self.queue)?.len())
    }

    /// Drops the events the server stored (numbers up to `acked`) from the queue.
    pub fn ack(&self, acked: u64) -> Result<(), QueueError> {
        let _lock = self.lock()?;
        let events = read_queue(&self.queue)?;
        if !events.iter().any(|e| e.seq <= acked) {
            return Ok(());
        }
        let mut out = Vec::new();
        for event in events.iter().filter(|e| e.seq > acked) {
            serde_json::to_writer(&mut out, event).expect("events serialize");
            out.push(b'\n');
        }
        write_atomic(&self.queue, &out)?;
        Ok(())
    }
}

fn remove(path: &Path) -> Result<(), QueueError> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(QueueError::Write {
            path: path.to_owned(),
            source: err,
        }),
        _ => Ok(()),
    }
}

fn read_membership(path: &Path) -> Result<Option<Membership>, QueueError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(QueueError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| QueueError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

fn write_membership(path: &Path, joined: &Membership) -> Result<(), QueueError> {
    let mut json = serde_json::to_vec_pretty(joined).expect("membership serializes");
    json.push(b'\n');
    Ok(write_atomic(path, &json)?)
}

/// The queued events in order. A line that does not parse (the tail of a write cut by a
/// crash) is left out: it was never acknowledged, and the rest must still go.
fn read_queue(path: &Path) -> Result<Vec<Event>, QueueError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(QueueError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    Ok(bytes
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .filter_map(|line| serde_json::from_slice::<Event>(line).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(url: &str) -> Membership {
        Membership {
            url: url.into(),
            code: "ABC-123".into(),
            name: "Ada".into(),
            learner: super::super::protocol::new_learner_id(),
            course_id: "c".into(),
            next_seq: 1,
            joined_at: SystemTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn events_are_numbered_queued_and_dropped_once_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let files = LiveFiles::beside(&dir.path().join("progress.json"));
        files.enqueue(vec![EventBody::Leave]).unwrap();
        assert_eq!(
            files.queued().unwrap(),
            0,
            "nothing is queued before a join"
        );
        let joined = files.join(membership("http://a")).unwrap();
        files
            .enqueue(vec![EventBody::Leave, EventBody::Leave, EventBody::Leave])
            .unwrap();
        let (_, events) = files.pending(2).unwrap().unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
        files.ack(2).unwrap();
        let (_, events) = files.pending(10).unwrap().unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [3]);

        // Joining the same class again keeps the id, the numbering and the queue.
        let again = files.join(membership("http://a")).unwrap();
        assert_eq!(again.learner, joined.learner);
        assert_eq!(again.next_seq, 4);
        assert_eq!(files.queued().unwrap(), 1);
        // Another class starts afresh.
        let other = files.join(membership("http://b")).unwrap();
        assert_ne!(other.learner, joined.learner);
        assert_eq!(files.queued().unwrap(), 0);
        files.enqueue(vec![EventBody::Leave]).unwrap();
        assert_eq!(files.leave().unwrap(), 1);
        assert!(files.membership().unwrap().is_none());
    }

    #[test]
    fn a_corrupt_membership_is_reported_and_replaced_by_a_join() {
        let dir = tempfile::tempdir().unwrap();
        let files = LiveFiles::beside(&dir.path().join("progress.json"));
        fs::write(&files.membership, "{not json").unwrap();
        let err = files.membership().unwrap_err().to_string();
        assert!(err.contains("class join` again"), "{err}");
        files.join(membership("http://a")).unwrap();
        assert!(files.membership().unwrap().is_some());
    }

    #[test]
    fn a_torn_last_line_costs_only_that_line() {
        let dir = tempfile::tempdir().unwrap();
        let files = LiveFiles::beside(&dir.path().join("progress.json"));
        files.join(membership("http://a")).unwrap();
        files.enqueue(vec![EventBody::Leave]).unwrap();
        let mut file = OpenOptions::new().append(true).open(&files.queue).unwrap();
        file.write_all(b"{\"seq\":2,\"at\":\"20").unwrap();
        let (_, events) = files.pending(10).unwrap().unwrap();
        assert_eq!(events.len(), 1);
    }
}
