//! The progress file on disk: lenient reading (a malformed course never takes the others with
//! it), atomic writing (temp file in the same directory + fsync + rename) and an advisory lock
//! so a TUI and a headless run can both write without clobbering each other.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Map, Value};

use super::{CourseProgress, ProgressError, ProgressWarning, StepRecord};

/// How long a write waits for another docker-guide's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Version of the file layout, written as `schema`.
pub const FILE_SCHEMA: u64 = 1;

/// The parsed file: good courses, plus the raw JSON of malformed ones (written back untouched).
#[derive(Debug, Default, Clone)]
pub(crate) struct Document {
    pub courses: BTreeMap<String, CourseProgress>,
    pub malformed: BTreeMap<String, Value>,
    /// The file's `schema` when a newer docker-guide wrote it: read what we understand, but
    /// never write it back (that would drop what the newer version keeps).
    pub newer_schema: Option<u64>,
}

impl Document {
    pub fn clone_course(&self, course_id: &str) -> Option<CourseProgress> {
        self.courses.get(course_id).cloned()
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut courses = Map::new();
        for (id, course) in &self.courses {
            let value = serde_json::to_value(course).expect("progress model serializes");
            courses.insert(id.clone(), value);
        }
        // A malformed course not changed since it was read goes back exactly as it was
        // (its salvaged steps in `courses` are for reading only).
        for (id, raw) in &self.malformed {
            courses.insert(id.clone(), raw.clone());
        }
        let mut root = Map::new();
        root.insert("schema".into(), Value::from(FILE_SCHEMA));
        root.insert("courses".into(), Value::Object(courses));
        let mut bytes =
            serde_json::to_vec_pretty(&Value::Object(root)).expect("JSON value serializes");
        bytes.push(b'\n');
        bytes
    }
}

/// Parses the file's text. `Err(reason)` means the whole file is unusable (not JSON, wrong shape).
/// Each course is kept as a slice of the text until it is read into the model, so a large
/// file costs little more than its own size in memory (a `Value` tree of a 64 MB file took
/// about 800 MB).
pub(crate) fn parse(text: &[u8]) -> Result<(Document, Vec<ProgressWarning>), String> {
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct Root<'a> {
        #[serde(default)]
        schema: Option<&'a RawValue>,
        #[serde(default, borrow)]
        courses: Option<&'a RawValue>,
    }
    // A struct would also accept a JSON array; the file must be an object.
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        serde_json::from_slice::<Value>(text).map_err(|e| e.to_string())?;
        return Err("the top level is not a JSON object".into());
    }
    let root: Root = match serde_json::from_slice(text) {
        Ok(root) => root,
        Err(err) if err.is_data() => return Err("the top level is not a JSON object".into()),
        Err(err) => return Err(err.to_string()),
    };
    let newer_schema = root
        .schema
        .and_then(|raw| serde_json::from_str::<u64>(raw.get()).ok())
        .filter(|&schema| schema > FILE_SCHEMA);
    let courses: BTreeMap<String, &RawValue> = match root.courses {
        None => BTreeMap::new(),
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|_| "`courses` is not a JSON object".to_string())?,
    };
    let mut doc = Document {
        newer_schema,
        ..Document::default()
    };
    let mut warnings = Vec::new();
    for (id, raw) in courses {
        match serde_json::from_str::<CourseProgress>(raw.get()) {
            Ok(course) => {
                doc.courses.insert(id, course);
            }
            Err(err) => {
                let raw: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
                let salvaged = salvage(&raw);
                warnings.push(ProgressWarning::MalformedCourse {
                    course_id: id.clone(),
                    reason: err.to_string(),
                    recovered: salvaged.steps.len(),
                });
                doc.courses.insert(id.clone(), salvaged);
                doc.malformed.insert(id, raw);
            }
        }
    }
    Ok((doc, warnings))
}

/// What can be read of a malformed course entry: each field and each step on its own.
fn salvage(raw: &Value) -> CourseProgress {
    let mut course = CourseProgress::default();
    let Some(fields) = raw.as_object() else {
        return course;
    };
    let field = |name: &str| fields.get(name).cloned();
    course.version = field("version").and_then(|v| serde_json::from_value(v).ok());
    course.current = field("current").and_then(|v| serde_json::from_value(v).ok());
    if let Some(Value::Object(steps)) = field("steps") {
        for (id, step) in steps {
            if let Ok(record) = serde_json::from_value::<StepRecord>(step) {
                course.steps.insert(id, record);
            }
        }
    }
    if let Some(Value::Object(tasks)) = field("tasks") {
        for (id, task) in tasks {
            if let Ok(record) = serde_json::from_value(task) {
                course.tasks.insert(id, record);
            }
        }
    }
    course
}

/// Reads and parses the file; a missing file is an empty document, an unusable one is moved aside.
pub(crate) fn load(path: &Path) -> Result<(Document, Vec<ProgressWarning>), ProgressError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(source) => {
            return Err(ProgressError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    match parse(&bytes) {
        Ok(parsed) => Ok(parsed),
        Err(reason) => {
            let moved_to = move_aside(path)?;
            Ok((
                Document::default(),
                vec![ProgressWarning::CorruptFile { moved_to, reason }],
            ))
        }
    }
}

/// `progress.json` → `progress.json.corrupt-2026-11-26T06-06-50Z` (a suffix if that exists).
fn aside_path(path: &Path) -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "-");
    let base = format!("{}.corrupt-{stamp}", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// Moves an unusable file out of the way, keeping it for the learner to inspect.
pub(crate) fn move_aside(path: &Path) -> Result<PathBuf, ProgressError> {
    let target = aside_path(path);
    fs::rename(path, &target).map_err(|source| ProgressError::MoveAside {
        path: path.to_owned(),
        source,
    })?;
    Ok(target)
}

/// Copies the file aside before a malformed course entry in it is replaced.
pub(crate) fn copy_aside(path: &Path) -> Result<PathBuf, ProgressError> {
    let target = aside_path(path);
    fs::copy(path, &target).map_err(|source| ProgressError::MoveAside {
        path: path.to_owned(),
        source,
    })?;
    Ok(target)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that a reader sees either the old file or the whole new one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ProgressError> {
    let write_err = |source| ProgressError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = parent_dir(path);
    fs::create_dir_all(dir).map_err(write_err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&temp);
        return Err(write_err(err));
    }
    // Make the rename itself durable; not every platform can open a directory, so best effort.
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// An exclusive advisory lock on `<file>.lock`, released on drop.
pub(crate) struct FileLock {
    _file: File,
}

impl FileLock {
    /// Waits up to [`LOCK_WAIT`] for the lock. Creates the directory and the lock file if needed.
    pub fn acquire(path: &Path) -> Result<FileLock, ProgressError> {
        FileLock::acquire_within(path, LOCK_WAIT)
    }

    /// Like [`FileLock::acquire`], waiting at most `wait`: a docker-guide stopped while holding
    /// the lock (Ctrl-Z) must cost a clear error, not a hang.
    pub fn acquire_within(path: &Path, wait: Duration) -> Result<FileLock, ProgressError> {
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let lock_err = |source| ProgressError::Lock {
            path: lock_path.clone(),
            source,
        };
        fs::create_dir_all(parent_dir(path)).map_err(lock_err)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(lock_err)?;
        lock_exclusive(&file, wait).map_err(lock_err)?;
        Ok(FileLock { _file: file })
    }
}

fn lock_exclusive(file: &File, wait: Duration) -> io::Result<()> {
    use std::fs::TryLockError;
    let deadline = Instant::now() + wait;
    loop {
        // flock(2) on Unix: the lock goes away when the file is closed.
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::Error(err)) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(TryLockError::Error(err)) => return Err(err),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "another docker-guide has held it for {} s (is one stopped with Ctrl-Z?)",
                        wait.as_secs()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_held_elsewhere_times_out_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        let held = FileLock::acquire(&path).unwrap();
        let started = Instant::now();
        let err = FileLock::acquire_within(&path, Duration::from_millis(200))
            .err()
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert!(
            err.to_string().contains("another docker-guide has held it"),
            "{err}"
        );
        drop(held);
        assert!(FileLock::acquire_within(&path, Duration::from_millis(200)).is_ok());
    }

    #[test]
    fn parse_keeps_good_courses_when_one_is_malformed() {
        let text = br#"{"schema":1,"courses":{
            "good":{"steps":{"a":{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":1}}},
            "bad":{"steps":{"a":{"status":"exploded"}}}}}"#;
        let (doc, warnings) = parse(text).unwrap();
        assert!(doc.courses["good"].steps.contains_key("a"));
        assert!(
            doc.courses["bad"].steps.is_empty(),
            "nothing readable to salvage"
        );
        assert!(doc.malformed.contains_key("bad"));
        assert!(
            matches!(&warnings[..], [ProgressWarning::MalformedCourse { course_id, .. }] if course_id == "bad")
        );
        // The malformed entry is written back untouched.
        let written: Value = serde_json::from_slice(&doc.to_json()).unwrap();
        assert_eq!(
            written["courses"]["bad"]["steps"]["a"]["status"],
            "exploded"
        );
        assert_eq!(written["courses"]["good"]["steps"]["a"]["attempts"], 1);
    }

    #[test]
    fn parse_rejects_files_of_the_wrong_shape() {
        assert!(parse(b"{\"courses\": [1]}").is_err());
        assert!(parse(b"[]").is_err());
        assert!(parse(b"{\"courses\": {\"x\": ").is_err());
        assert!(parse(b"{}").unwrap().0.courses.is_empty());
    }

    #[test]
    fn write_atomic_replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/progress.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("progress.json")]);
    }

    #[test]
    fn write_atomic_failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: the rename fails, nothing is lost or left behind.
        let path = dir.path().join("progress.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        assert!(matches!(
            write_atomic(&path, b"new"),
            Err(ProgressError::Write { .. })
        ));
        assert!(path.join("keep").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
