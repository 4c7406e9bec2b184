//! The TUI's part of a live class (`class join`): the feed rides on the progress thread, and
//! the status bar says whether the class receives the learner's results.

use super::state::App;
use crate::progress::Store;
use crate::progress::live::{LinkStatus, LiveFeed};

/// The feed of the class joined for this course, if any; the status bar follows its link.
pub fn attach(app: &mut App, store: &Store) -> Option<LiveFeed> {
    let feed = LiveFeed::open_default(&app.course, &store.course(&app.course.id), None)?;
    app.class_link = Some(feed.shared_status());
    Some(feed)
}

/// What the status bar shows, and whether it is a problem.
pub fn indicator(app: &App) -> Option<(String, bool)> {
    let status = app.class_link.as_ref()?.get();
    let bad = matches!(
        status,
        LinkStatus::Offline { .. } | LinkStatus::Refused { .. }
    );
    Some((status.short(), bad))
}
