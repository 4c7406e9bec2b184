//! Pure functions from the course model (plus step transcripts and a width) to styled,
//! wrapped ratatui lines. No terminal, no processes.
pub mod output;
