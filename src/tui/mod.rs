//! The interactive course: state, `update(msg) -> effects`, and the view. The only module
//! that touches the terminal.
