//! The course model and its parser: markdown chapters → [`Course`] with source positions for
//! every step and every problem. No terminal, no processes.

pub mod model;

pub use model::*;
