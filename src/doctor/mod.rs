//! Setup checks for the learner's Docker installation: each check has an id, a status, the
//! evidence and a fix. Checks read the outside world through a probe so tests can fake it.
