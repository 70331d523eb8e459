//! Erasing deleted records from disk, crash-safely.
//!
//! A delete in Qdrant only marks the point deleted: its vector and payload stay in the segment
//! files until an optimiser rewrites them, and qdrant-edge 0.7 never truncates its write-ahead log,
//! so the text of every record ever written stays there. Resumes are personal data, so a deleted
//! seeker must really be gone. [`super::edge::EdgeStore::purge_deleted`] therefore rewrites each
//! shard that had deletes: the live points are copied into a fresh shard, which replaces the old
//! one, and the old directory (segments and WAL) is removed.
//!
//! This module holds the on-disk part. For a shard at `gen/seekers`:
//! - `gen/seekers.purge-pending`: written (and synced) before a delete is applied, removed once the
//!   shard has been rewritten; a crash in between means the purge runs again at the next start;
//! - `gen/seekers.purge-build/`: the fresh shard while it is being filled (incomplete);
//! - `gen/seekers.purge-new/`: the same, complete (renamed from `-build` after its last flush);
//! - `gen/seekers.purge-old/`: the old shard between the two renames of the swap.
//!
//! [`recover`] puts a shard directory back in order after a crash at any point of that sequence.

use std::path::{Path, PathBuf};

use super::files::{io_err, sync_dir};
use crate::error::Result;

fn sibling(shard: &Path, suffix: &str) -> PathBuf {
    let mut name = shard.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    shard.with_file_name(name)
}

pub(crate) fn pending_marker(shard: &Path) -> PathBuf {
    sibling(shard, "purge-pending")
}

pub(crate) fn build_dir(shard: &Path) -> PathBuf {
    sibling(shard, "purge-build")
}

fn new_dir(shard: &Path) -> PathBuf {
    sibling(shard, "purge-new")
}

fn old_dir(shard: &Path) -> PathBuf {
    sibling(shard, "purge-old")
}

fn parent(shard: &Path) -> &Path {
    shard.parent().unwrap_or(Path::new("."))
}

/// Records, durably, that `shard` holds deleted records still on disk.
pub(crate) fn mark_pending(shard: &Path) -> Result<()> {
    let marker = pending_marker(shard);
    if marker.exists() {
        return Ok(());
    }
    std::fs::write(&marker, b"deleted records await erasure\n")
        .and_then(|_| std::fs::File::open(&marker)?.sync_all())
        .map_err(io_err("write", &marker))?;
    sync_dir(parent(shard))
}

pub(crate) fn is_pending(shard: &Path) -> bool {
    pending_marker(shard).exists()
}

pub(crate) fn clear_pending(shard: &Path) -> Result<()> {
    let marker = pending_marker(shard);
    match std::fs::remove_file(&marker) {
        Ok(()) => sync_dir(parent(shard)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("remove", &marker)(e)),
    }
}

fn remove_dir_if_present(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("remove", dir)(e)),
    }
}

/// Prepares an empty `-build` directory for a fresh copy of `shard`.
pub(crate) fn start_build(shard: &Path) -> Result<PathBuf> {
    let build = build_dir(shard);
    remove_dir_if_present(&build)?;
    Ok(build)
}

/// Marks the fresh copy complete (`-build` → `-new`); call after its last flush, with it closed.
pub(crate) fn finish_build(shard: &Path) -> Result<()> {
    let (build, new) = (build_dir(shard), new_dir(shard));
    remove_dir_if_present(&new)?;
    std::fs::rename(&build, &new).map_err(io_err("rename", &build))?;
    sync_dir(parent(shard))
}

/// Replaces `shard` by its complete fresh copy; both must be closed. On return the old files are
/// gone. A crash anywhere in here is repaired by [`recover`].
pub(crate) fn swap_in(shard: &Path) -> Result<()> {
    let (new, old) = (new_dir(shard), old_dir(shard));
    remove_dir_if_present(&old)?;
    std::fs::rename(shard, &old).map_err(io_err("rename", shard))?;
    if let Err(e) = std::fs::rename(&new, shard) {
        // Put the old shard back so the store keeps serving; the purge is retried later.
        let _ = std::fs::rename(&old, shard);
        return Err(io_err("rename", &new)(e));
    }
    sync_dir(parent(shard))?;
    remove_dir_if_present(&old)?;
    sync_dir(parent(shard))
}

/// Repairs a shard directory after a crash during a purge; run before opening the shard.
pub(crate) fn recover(shard: &Path) -> Result<()> {
    remove_dir_if_present(&build_dir(shard))?;
    let (new, old) = (new_dir(shard), old_dir(shard));
    if new.exists() {
        if shard.exists() {
            // The swap had not started: keep the shard; its marker makes the purge run again.
            remove_dir_if_present(&new)?;
        } else {
            // Between the two renames of the swap: the complete copy becomes the shard.
            std::fs::rename(&new, shard).map_err(io_err("rename", &new))?;
        }
    } else if !shard.exists() && old.exists() {
        // Unreachable through `swap_in` (the new copy is renamed in before the old one goes),
        // but never start empty while the old shard is still there.
        std::fs::rename(&old, shard).map_err(io_err("rename", &old))?;
    }
    remove_dir_if_present(&old)?;
    sync_dir(parent(shard))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard_with(root: &Path, name: &str, content: &str) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("data"), content).unwrap();
        dir
    }

    fn content(shard: &Path) -> String {
        std::fs::read_to_string(shard.join("data")).unwrap()
    }

    fn leftovers(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".purge-") && !n.ends_with("purge-pending"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_completed_swap_leaves_only_the_new_copy() {
        let root = tempfile::tempdir().unwrap();
        let shard = shard_with(root.path(), "seekers", "old");
        mark_pending(&shard).unwrap();
        let build = start_build(&shard).unwrap();
        shard_with(
            root.path(),
            build.file_name().unwrap().to_str().unwrap(),
            "new",
        );
        finish_build(&shard).unwrap();
        swap_in(&shard).unwrap();
        clear_pending(&shard).unwrap();
        assert_eq!(content(&shard), "new");
        assert!(leftovers(root.path()).is_empty());
        assert!(!is_pending(&shard));
    }

    #[test]
    fn recovery_keeps_the_old_shard_until_the_copy_is_complete() {
        let root = tempfile::tempdir().unwrap();
        let shard = shard_with(root.path(), "seekers", "old");
        shard_with(root.path(), "seekers.purge-build", "half");
        recover(&shard).unwrap();
        assert_eq!(content(&shard), "old");
        assert!(leftovers(root.path()).is_empty());

        // Complete copy, swap not started: the old shard stays (the purge runs again).
        shard_with(root.path(), "seekers.purge-new", "new");
        recover(&shard).unwrap();
        assert_eq!(content(&shard), "old");
        assert!(leftovers(root.path()).is_empty());
    }

    #[test]
    fn recovery_between_the_renames_promotes_the_complete_copy() {
        let root = tempfile::tempdir().unwrap();
        shard_with(root.path(), "seekers.purge-old", "old");
        shard_with(root.path(), "seekers.purge-new", "new");
        let shard = root.path().join("seekers");
        recover(&shard).unwrap();
        assert_eq!(content(&shard), "new");
        assert!(leftovers(root.path()).is_empty());

        // After the swap, before the old directory was removed.
        shard_with(root.path(), "seekers.purge-old", "old");
        recover(&shard).unwrap();
        assert_eq!(content(&shard), "new");
        assert!(leftovers(root.path()).is_empty());
    }
}
