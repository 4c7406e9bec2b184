//! The progress store lives on its own thread: saving locks the file, which another
//! docker-guide (a headless `run`) may hold, and the UI must not wait for that. A joined live
//! class's feed rides on the same thread: it sees each change right after it is saved.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::msg::Msg;
use super::store_ops::StoreOp;
use crate::progress::live::LiveFeed;
use crate::progress::{CourseProgress, Store};

/// What the progress thread is given: a change to save, a class's feed to follow, or a
/// request for the course's record as saved so far.
enum WriterOp {
    Save(StoreOp),
    Live(Box<LiveFeed>),
    Read {
        course_id: String,
        reply: Sender<CourseProgress>,
    },
}

pub struct ProgressWriter {
    ops: Option<Sender<WriterOp>>,
    handle: Option<JoinHandle<()>>,
    ended: Receiver<()>,
}

impl ProgressWriter {
    /// Applies changes in order; a failure becomes a notice in the status bar. With `live`,
    /// each change saved is also queued for the live class.
    pub fn spawn(mut store: Store, notices: Sender<Msg>, mut live: Option<LiveFeed>) -> Self {
        let (ops, queue) = mpsc::channel::<WriterOp>();
        let (ended_tx, ended) = mpsc::channel::<()>();
        let handle = std::thread::Builder::new()
            .name("tui-progress".into())
            .spawn(move || {
                let _ended = ended_tx;
                for op in queue {
                    let op = match op {
                        WriterOp::Save(op) => op,
                        WriterOp::Live(feed) => {
                            live = Some(*feed);
                            continue;
                        }
                        WriterOp::Read { course_id, reply } => {
                            let _ = reply.send(store.course(&course_id));
                            continue;
                        }
                    };
                    let course_id = op.course_id().to_owned();
                    if let Err(text) = op.apply(&mut store) {
                        let _ = notices.send(Msg::Notice { text, error: true });
                    } else if let Some(feed) = live.as_mut()
                        && let Err(err) = feed.observe(&store.course(&course_id))
                    {
                        let text = format!("not sent to the class: {err}");
                        let _ = notices.send(Msg::Notice { text, error: true });
                    }
                }
                if let Some(feed) = live {
                    feed.finish(std::time::Duration::from_secs(2));
                }
            })
            .expect("spawn the progress thread");
        Self {
            ops: Some(ops),
            handle: Some(handle),
            ended,
        }
    }

    pub fn save(&self, op: StoreOp) {
        if let Some(ops) = &self.ops {
            let _ = ops.send(WriterOp::Save(op));
        }
    }

    /// From now on, each change saved is also queued for this class.
    pub fn attach_live(&self, feed: LiveFeed) {
        if let Some(ops) = &self.ops {
            let _ = ops.send(WriterOp::Live(Box::new(feed)));
        }
    }

    /// The course's record once the changes queued before this call have landed: the store
    /// stays on its thread, the answer comes on the receiver.
    pub fn read_course(&self, course_id: &str) -> Receiver<CourseProgress> {
        let (reply, answer) = mpsc::channel();
        if let Some(ops) = &self.ops {
            let course_id = course_id.to_owned();
            let _ = ops.send(WriterOp::Read { course_id, reply });
        }
        answer
    }

    /// Lets queued changes land, waiting at most `wait` (a lock held elsewhere must not keep
    /// the learner's terminal from coming back).
    pub fn finish(&mut self, wait: Duration) {
        self.ops = None;
        if let Some(handle) = self.handle.take()
            && matches!(
                self.ended.recv_timeout(wait),
                Err(RecvTimeoutError::Disconnected)
            )
        {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::ProgressWriter;
    use crate::progress::{Position, StepRun, StepStatus, Store};
    use crate::tui::store_ops::StoreOp;

    #[test]
    fn changes_land_in_order_before_finish_returns() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.json");
        let (notices, notes) = mpsc::channel();
        let mut writer = ProgressWriter::spawn(Store::open(&path).expect("store"), notices, None);
        writer.save(StoreOp::Record {
            course_id: "c".into(),
            step_id: "s-1".into(),
            run: StepRun::failed("exit code 1", None),
            task: false,
        });
        writer.save(StoreOp::Record {
            course_id: "c".into(),
            step_id: "s-1".into(),
            run: StepRun::passed(),
            task: false,
        });
        let position = Position {
            chapter_index: 1,
            chapter_slug: "two".into(),
            step_id: Some("s-1".into()),
        };
        writer.save(StoreOp::SetCurrent {
            course_id: "c".into(),
            position,
        });
        writer.finish(Duration::from_secs(5));
        let course = Store::open(&path).expect("store").course("c");
        assert_eq!(course.status("s-1"), Some(StepStatus::Passed));
        assert_eq!(
            course.current.map(|p| p.chapter_slug),
            Some("two".to_string())
        );
        assert!(notes.try_recv().is_err(), "no error reported");
    }

    #[test]
    fn a_read_sees_the_changes_queued_before_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("progress.json");
        let (notices, _notes) = mpsc::channel();
        let mut writer = ProgressWriter::spawn(Store::open(&path).expect("store"), notices, None);
        writer.save(StoreOp::Record {
            course_id: "c".into(),
            step_id: "s-1".into(),
            run: StepRun::passed(),
            task: false,
        });
        let course = writer.read_course("c").recv_timeout(Duration::from_secs(5));
        assert_eq!(
            course.expect("answered").status("s-1"),
            Some(StepStatus::Passed)
        );
        writer.finish(Duration::from_secs(5));
        assert!(
            writer.read_course("c").recv().is_err(),
            "after finish nothing answers, and nothing hangs"
        );
    }
}
