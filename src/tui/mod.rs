//! The interactive course: state, `update(msg) -> effects`, and the view. The only module
//! that touches the terminal.
//!
//! The Elm Architecture with effects: [`update::update`] changes [`state::App`] and returns
//! [`msg::Effect`]s; only the loop (`run_loop`) performs them (processes, files, the terminal).

pub mod layout;
pub mod msg;
pub mod seam;
pub mod state;
pub mod theme;
pub mod update;
pub mod view;
