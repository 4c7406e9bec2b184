//! The class's database (SQLite, one file): the join code and every event each learner sent,
//! keyed by (learner, number) so a resent event is stored once. The dashboard's state is
//! rebuilt from it at start, so a restarted server loses nothing; `class summary` reads it.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::progress::live::protocol::Event;

/// The first bytes of every SQLite database (how `class summary` recognises one).
pub const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "cannot open the class database {path}: {source} (its folder must exist and be writable; give another file with --data FILE)"
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path} is not a docker-guide class database ({reason})")]
    NotAClass { path: PathBuf, reason: String },
    #[error("the class database failed: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub struct ClassDb {
    conn: Connection,
}

/// A stored event with the server's time of receipt.
pub struct StoredEvent {
    pub learner: String,
    pub received: SystemTime,
    pub event: Event,
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn from_millis(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    learner TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (learner, seq)
) WITHOUT ROWID;
";

impl ClassDb {
    /// Opens (creating) the database of a class served from this machine.
    pub fn open(path: &Path) -> Result<ClassDb, DbError> {
        let conn = Connection::open(path).map_err(|source| DbError::Open {
            path: path.to_owned(),
            source,
        })?;
        // WAL: `class summary` can read while the server writes; NORMAL: a commit survives a
        // crash of the server (an OS crash may lose the last ones, which learners resend).
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|_| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|_| conn.busy_timeout(Duration::from_secs(5)))
            .and_then(|_| conn.execute_batch(SCHEMA))
            .map_err(|e| not_a_class(path, e))?;
        Ok(ClassDb { conn })
    }

    /// Opens an existing class database read-only (`class summary`).
    pub fn open_read_only(path: &Path) -> Result<ClassDb, DbError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
            |source| DbError::Open {
                path: path.to_owned(),
                source,
            },
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let db = ClassDb { conn };
        db.meta("code").map_err(|e| not_a_class(path, e))?;
        Ok(db)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, rusqlite::Error> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    }

    /// The class's join code: the stored one, else `make()`'s, stored for the next start.
    pub fn join_code(&self, make: impl FnOnce() -> String) -> Result<String, DbError> {
        if let Some(code) = self.meta("code")? {
            return Ok(code);
        }
        let code = make();
        self.conn
            .execute("INSERT INTO meta (key, value) VALUES ('code', ?1)", [&code])?;
        Ok(code)
    }

    /// Whether the learner ever joined (their join snapshot is stored).
    pub fn has_joined(&self, learner: &str) -> Result<bool, DbError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM events WHERE learner = ?1 AND kind = 'join' LIMIT 1",
                [learner],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Stores the events in one transaction; returns those that were new (a resent event is
    /// already there and is left out).
    pub fn insert(
        &mut self,
        learner: &str,
        events: &[Event],
        received: SystemTime,
    ) -> Result<Vec<bool>, DbError> {
        let tx = self.conn.transaction()?;
        let mut fresh = Vec::with_capacity(events.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (learner, seq, received_ms, kind, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for event in events {
                let body = serde_json::to_string(event).expect("events serialize");
                let changed = insert.execute(params![
                    learner,
                    event.seq as i64,
                    millis(received),
                    event.body.kind(),
                    body
                ])?;
                fresh.push(changed == 1);
            }
        }
        tx.commit()?;
        Ok(fresh)
    }

    /// Every stored event, each learner's in order.
    pub fn events(&self) -> Result<Vec<StoredEvent>, DbError> {
        let mut query = self
            .conn
            .prepare("SELECT learner, received_ms, body FROM events ORDER BY learner, seq")?;
        let rows = query.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (learner, received, body) = row?;
            // Stored by this server after validation; a row that no longer parses (a newer
            // docker-guide's event) is left out rather than stopping the class.
            if let Ok(event) = serde_json::from_str::<Event>(&body) {
                out.push(StoredEvent {
                    learner,
                    received: from_millis(received),
                    event,
                });
            }
        }
        Ok(out)
    }

    /// How many events are stored.
    pub fn count(&self) -> Result<u64, DbError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}

fn not_a_class(path: &Path, err: rusqlite::Error) -> DbError {
    DbError::NotAClass {
        path: path.to_owned(),
        reason: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::live::protocol::EventBody;

    #[test]
    fn events_are_stored_once_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("class.db");
        let event = |seq| Event {
            seq,
            at: UNIX_EPOCH,
            body: EventBody::Leave,
        };
        {
            let mut db = ClassDb::open(&path).unwrap();
            assert_eq!(db.join_code(|| "AAA-111".into()).unwrap(), "AAA-111");
            let fresh = db.insert("l1", &[event(1), event(2)], UNIX_EPOCH).unwrap();
            assert_eq!(fresh, [true, true]);
            let fresh = db.insert("l1", &[event(2), event(3)], UNIX_EPOCH).unwrap();
            assert_eq!(fresh, [false, true]);
        }
        let db = ClassDb::open(&path).unwrap();
        assert_eq!(db.join_code(|| "other".into()).unwrap(), "AAA-111");
        assert_eq!(db.count().unwrap(), 3);
        let seqs: Vec<u64> = db.events().unwrap().iter().map(|e| e.event.seq).collect();
        assert_eq!(seqs, [1, 2, 3]);
        assert!(ClassDb::open_read_only(&path).is_ok());
        let not_db = dir.path().join("x.db");
        std::fs::write(&not_db, "hello").unwrap();
        assert!(ClassDb::open_read_only(&not_db).is_err());
    }
}
