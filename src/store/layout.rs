//! The data directory: generations of shards behind one pointer, like Qdrant's collection aliases.
//!
//! ```text
//! data/
//!   LOCK          advisory lock: one jobmatch process per data directory
//!   CURRENT       the serving generation's name ("gen-000001"), replaced by write + rename
//!   gen-000001/   postings/, seekers/, model.json (model name, dimension, weights hash)
//!   gen-000002/   a re-index being built, or one left by a crash: anything that CURRENT does
//!                 not name is removed when the directory is opened
//! ```
//!
//! A re-index builds a new generation while the current one serves, then switches by replacing
//! `CURRENT` (one atomic rename), and removes the old generation once nothing reads it.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tracing::{info, warn};

use super::files::{io_err, sync_dir};
use crate::error::{Error, Result};

const POINTER: &str = "CURRENT";
const PREFIX: &str = "gen-";
/// What the first layout (before generations) kept at the top level; moved into the first generation.
const LEGACY_ENTRIES: [&str; 3] = ["postings", "seekers", "model.json"];

/// An opened, locked data directory.
pub struct DataDir {
    root: PathBuf,
    /// Held for the directory's lifetime: one process per data directory.
    _lock: File,
}

fn generation_name(number: u64) -> String {
    format!("{PREFIX}{number:06}")
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(PREFIX)?.parse().ok()
}

impl DataDir {
    /// Creates (if needed) and locks `root`, moves a pre-generation layout into `gen-000001`,
    /// points `CURRENT` at a generation, and removes every other generation (half-built by an
    /// interrupted re-index, or old ones whose removal was cut short).
    pub fn open(root: &Path) -> Result<Self> {
        std::fs::create_dir_all(root).map_err(io_err("create data directory", root))?;
        let lock = lock(root)?;
        let dir = Self {
            root: root.to_path_buf(),
            _lock: lock,
        };
        if dir.pointer()?.is_none() {
            let first = dir.root.join(generation_name(1));
            std::fs::create_dir_all(&first).map_err(io_err("create", &first))?;
            // Each rename is atomic and the loop is idempotent, so a crash here is finished at the next open.
            for entry in LEGACY_ENTRIES {
                let from = dir.root.join(entry);
                if from.exists() {
                    std::fs::rename(&from, first.join(entry)).map_err(io_err("move", &from))?;
                }
            }
            dir.write_pointer(&generation_name(1))?;
        }
        let current = dir.current_name()?;
        for name in dir.generations()? {
            if name != current {
                warn!(generation = %name, "removing a generation that is not the current one (an interrupted re-index or an unfinished clean-up)");
                let path = dir.root.join(&name);
                std::fs::remove_dir_all(&path).map_err(io_err("remove", &path))?;
            }
        }
        Ok(dir)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn pointer(&self) -> Result<Option<String>> {
        let path = self.root.join(POINTER);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let name = text.trim().to_string();
                if generation_number(&name).is_none() || !self.root.join(&name).is_dir() {
                    return Err(Error::Io(format!(
                        "{} names '{name}', which is not a generation directory here",
                        path.display()
                    )));
                }
                Ok(Some(name))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io(format!("cannot read {}: {e}", path.display()))),
        }
    }

    fn current_name(&self) -> Result<String> {
        self.pointer()?
            .ok_or_else(|| Error::Io(format!("{} has no {POINTER}", self.root.display())))
    }

    /// The directory of the serving generation.
    pub fn current(&self) -> Result<PathBuf> {
        Ok(self.root.join(self.current_name()?))
    }

    /// Generation directory names, oldest first.
    fn generations(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = std::fs::read_dir(&self.root)
            .map_err(io_err("list", &self.root))?
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| generation_number(name).is_some())
            .collect();
        names.sort_by_key(|name| generation_number(name));
        Ok(names)
    }

    /// Creates an empty directory for a new generation, numbered after every existing one.
    pub fn new_generation(&self) -> Result<PathBuf> {
        let next = self
            .generations()?
            .iter()
            .filter_map(|name| generation_number(name))
            .max()
            .unwrap_or(0)
            + 1;
        let path = self.root.join(generation_name(next));
        std::fs::create_dir(&path).map_err(io_err("create", &path))?;
        Ok(path)
    }

    /// Makes `generation` the serving one: a new `CURRENT` written aside, synced, renamed over.
    pub fn switch_to(&self, generation: &Path) -> Result<()> {
        let name = generation
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| generation_number(n).is_some())
            .ok_or_else(|| Error::Io(format!("{} is not a generation", generation.display())))?;
        self.write_pointer(name)?;
        info!(generation = %name, "switched the serving generation");
        Ok(())
    }

    fn write_pointer(&self, name: &str) -> Result<()> {
        let path = self.root.join(POINTER);
        let tmp = self.root.join(format!("{POINTER}.tmp"));
        let mut file = File::create(&tmp).map_err(io_err("write", &tmp))?;
        file.write_all(name.as_bytes())
            .and_then(|_| file.sync_all())
            .map_err(io_err("write", &tmp))?;
        std::fs::rename(&tmp, &path).map_err(io_err("replace", &path))?;
        sync_dir(&self.root)
    }

    /// Deletes a generation that is not serving (its shards must be closed first).
    pub fn remove_generation(&self, generation: &Path) -> Result<()> {
        if self.current()? == generation {
            return Err(Error::FailedPrecondition(format!(
                "{} is the serving generation",
                generation.display()
            )));
        }
        std::fs::remove_dir_all(generation).map_err(io_err("remove", generation))
    }
}

/// Takes an exclusive advisory lock on `root/LOCK`, released when the process exits.
fn lock(root: &Path) -> Result<File> {
    let path = root.join("LOCK");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err("open", &path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::FailedPrecondition(format!(
            "data directory {} is in use by another jobmatch process (a running server?); send to it with --server",
            root.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::Io(format!("cannot lock {}: {e}", path.display())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_directory_gets_a_first_generation() {
        let root = tempfile::tempdir().unwrap();
        let dir = DataDir::open(root.path()).unwrap();
        assert_eq!(dir.current().unwrap(), root.path().join("gen-000001"));
        assert!(root.path().join("gen-000001").is_dir());
    }

    #[test]
    fn a_second_opener_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let _dir = DataDir::open(root.path()).unwrap();
        let err = DataDir::open(root.path()).err().unwrap().to_string();
        assert!(err.contains("in use by another jobmatch process"), "{err}");
    }

    #[test]
    fn the_old_flat_layout_moves_into_the_first_generation() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("postings")).unwrap();
        std::fs::write(root.path().join("postings/x"), "x").unwrap();
        std::fs::write(root.path().join("model.json"), "{}").unwrap();
        let dir = DataDir::open(root.path()).unwrap();
        let current = dir.current().unwrap();
        assert_eq!(
            std::fs::read_to_string(current.join("postings/x")).unwrap(),
            "x"
        );
        assert!(current.join("model.json").exists());
        assert!(!root.path().join("postings").exists());
    }

    #[test]
    fn switching_moves_the_pointer_and_stale_generations_are_removed_at_open() {
        let root = tempfile::tempdir().unwrap();
        {
            let dir = DataDir::open(root.path()).unwrap();
            let first = dir.current().unwrap();
            let second = dir.new_generation().unwrap();
            assert_eq!(second, root.path().join("gen-000002"));
            dir.switch_to(&second).unwrap();
            assert_eq!(dir.current().unwrap(), second);
            assert!(
                dir.remove_generation(&second).is_err(),
                "the serving one stays"
            );
            // A crash before the old one is removed, and a half-built third generation.
            let third = dir.new_generation().unwrap();
            std::fs::write(third.join("partial"), "x").unwrap();
            assert!(first.exists());
        }
        let dir = DataDir::open(root.path()).unwrap();
        assert_eq!(dir.current().unwrap(), root.path().join("gen-000002"));
        assert!(!root.path().join("gen-000001").exists());
        assert!(!root.path().join("gen-000003").exists());
    }

    #[test]
    fn a_pointer_to_nowhere_is_an_error_not_a_fresh_start() {
        let root = tempfile::tempdir().unwrap();
        drop(DataDir::open(root.path()).unwrap());
        std::fs::write(root.path().join("CURRENT"), "gen-000009").unwrap();
        let err = DataDir::open(root.path()).err().unwrap().to_string();
        assert!(err.contains("gen-000009"), "{err}");
    }
}
