//! Keeping a write's cost proportional to what changed when the progress file is large: a
//! change to one course is appended to `progress.json.journal` (one JSON line: the course's
//! whole new entry, or `null` when it was removed) instead of rewriting the whole file. A
//! store that has read the file and the journal up to some offset reads only what was
//! appended since. When the journal outgrows half the file, both are folded back into
//! `progress.json` (an atomic rewrite, so its cost is spread over many writes). A file
//! under [`SMALL`] is rewritten as before: nothing else changes for the usual case.
//!
//! Measured (debug build, a 64 MB file of 2,000 courses × 400 steps): see the commit.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

use super::file::Document;
use super::{CourseProgress, ProgressError};

/// Below this size the file is simply rewritten on every change.
pub(crate) const SMALL: u64 = 1 << 20;

pub(crate) fn journal_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.journal", path.display()))
}

/// What identifies one version of the main file: a rewrite changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        #[cfg(unix)]
        inode: std::os::unix::fs::MetadataExt::ino(&meta),
    })
}

fn read_error(path: &Path) -> impl FnOnce(io::Error) -> ProgressError + '_ {
    move |source| ProgressError::Read {
        path: path.to_owned(),
        source,
    }
}

/// Applies the journal's complete lines from byte `from` to `doc`; returns the offset after
/// the last complete line (a line cut by a crash is ignored, and overwritten by the next
/// append).
pub(crate) fn apply(path: &Path, doc: &mut Document, from: u64) -> Result<u64, ProgressError> {
    let journal = journal_path(path);
    let mut file = match File::open(&journal) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(read_error(&journal)(err)),
    };
    file.seek(SeekFrom::Start(from))
        .map_err(read_error(&journal))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(read_error(&journal))?;
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    for line in bytes[..complete].split(|&b| b == b'\n') {
        #[derive(serde::Deserialize)]
        struct Entry {
            course: String,
            progress: Option<Value>,
        }
        let Ok(entry) = serde_json::from_slice::<Entry>(line) else {
            continue;
        };
        doc.malformed.remove(&entry.course);
        match entry
            .progress
            .and_then(|v| serde_json::from_value::<CourseProgress>(v).ok())
        {
            Some(progress) => {
                doc.courses.insert(entry.course, progress);
            }
            None => {
                doc.courses.remove(&entry.course);
            }
        }
    }
    Ok(from + complete as u64)
}

/// Appends one course's new entry (`None`: removed) at `at` (the end of the last complete
/// line); returns the new end. Synced before returning, like the atomic rewrite.
pub(crate) fn append(
    path: &Path,
    at: u64,
    course_id: &str,
    progress: Option<&CourseProgress>,
) -> Result<u64, ProgressError> {
    let journal = journal_path(path);
    let write_err = |source| ProgressError::Write {
        path: journal.clone(),
        source,
    };
    let mut line = serde_json::to_vec(&serde_json::json!({
        "course": course_id,
        "progress": progress,
    }))
    .expect("progress model serializes");
    line.push(b'\n');
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&journal)
        .map_err(write_err)?;
    file.set_len(at).map_err(write_err)?;
    file.seek(SeekFrom::Start(at)).map_err(write_err)?;
    file.write_all(&line).map_err(write_err)?;
    file.sync_data().map_err(write_err)?;
    Ok(at + line.len() as u64)
}

/// Whether a change of `course_bytes` goes to the journal (the file is large and the
/// journal still small next to it) rather than into a rewrite of the whole file.
pub(crate) fn should_append(main_len: u64, journal_len: u64, course_bytes: u64) -> bool {
    main_len >= SMALL && journal_len + course_bytes <= (main_len / 2).max(SMALL)
}

/// After a rewrite that folded the journal in.
pub(crate) fn remove(path: &Path) -> Result<(), ProgressError> {
    let journal = journal_path(path);
    match fs::remove_file(&journal) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ProgressError::Write {
            path: journal,
            source,
        }),
    }
}
