//! The learner's side of a live class (`class join`): the wire protocol shared with the
//! server (`protocol`), the durable, numbered event queue beside the progress file (`queue`),
//! the HTTP client (`client`), the thread that delivers the queue (`sender`) and the feed that
//! turns progress changes into events (`feed`). Below `session` and `tui`, which call the
//! feed where they record progress; the server lives in the `class_live` module.

pub mod client;
pub mod feed;
pub mod protocol;
pub mod queue;
pub mod sender;

pub use feed::LiveFeed;
pub use queue::{LiveFiles, Membership};
pub use sender::{LinkStatus, SharedStatus};
