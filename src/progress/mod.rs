//! What the learner has completed, per course and step, stored as JSON in the state directory
//! with atomic writes.
