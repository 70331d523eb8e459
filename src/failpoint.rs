//! Crash points for recovery tests. `serve --failpoint NAME` (hidden; `JOBMATCH_FAILPOINT`)
//! makes the process abort, as a `kill -9` would, when it reaches the point `NAME`, so a test can
//! stop a replica exactly between two steps of a write and check that a retry completes it.
//! Production never sets it; a point not reached costs one comparison.
//!
//! The points:
//! - `delete.between_steps`: a delete has removed the record from the store and not yet erased
//!   it from the outcome log.

/// Aborts the process when `configured` names `point`.
pub fn crash_at(configured: Option<&str>, point: &str) {
    if configured == Some(point) {
        eprintln!("failpoint {point}: aborting");
        std::process::abort();
    }
}
