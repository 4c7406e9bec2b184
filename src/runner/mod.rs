//! Processes only: spawn a step's script in its own process group, stream and sanitize its
//! output, cancel, time out, and clean up. No ratatui.
