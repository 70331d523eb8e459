//! Append-only logs of events about people, behind one contract ([`EventLog`]) with two
//! lowerings, as the records have. Two logs use it: the outcome log
//! ([`super::outcome_log`]: what happened to proposed pairs) and the access log
//! ([`super::access_log`]: who read whose personal data).
//!
//! - [`FileLog`]: the embedded store's, an append-only JSON-lines file beside the data
//!   (`DATA_DIR/outcomes.jsonl`, `DATA_DIR/access.jsonl`), fsynced per event. One process owns
//!   the data directory, so a file it can fsync is all the durability it needs, and an auditor can
//!   read it with `jq`.
//! - [`super::server::logs::QdrantLog`]: on a Qdrant server, a collection per log that every
//!   replica writes and reads, so any replica takes every call.
//!
//! Deleting a seeker or a posting [erases](EventLog::erase) it from every log: its id becomes a
//! random pseudonym (the same one for all its events of one erasure, so counts of distinct people
//! stay right), and each kind of event drops what else would identify them. A file is rewritten to
//! a new file and renamed over the old one, so a crash leaves either the old log or the erased
//! one. Events older than the log's retention are dropped the same way.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::files::{io_err, sync_dir};

/// Whose events [`EventLog::erase`] pseudonymises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Seeker(&'a str),
    Posting(&'a str),
}

/// Prefix of the pseudonyms that replace erased ids: the prefix and 128 random bits, derived from
/// nothing, so nothing leads back to the record.
pub const ERASED_PREFIX: &str = "erased:";

/// One kind of event a log keeps: how it is named, ordered, dated, found and erased.
pub trait LogEvent: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// One event, in messages ("outcome event").
    const NOUN: &'static str;
    /// The file in the data directory ("outcomes.jsonl").
    const FILE_NAME: &'static str;
    /// The Qdrant alias after the deployment's prefix ("outcomes").
    const COLLECTION: &'static str;

    fn sequence(&self) -> u64;
    fn set_sequence(&mut self, sequence: u64);
    /// The event's ISO date (`YYYY-MM-DD…`), for the retention.
    fn date(&self) -> &str;
    /// The keyword-indexed payload field holding ids of `subject`'s kind (`None`: this log names
    /// none of that kind, and erasing one changes nothing).
    fn subject_field(subject: Subject) -> Option<&'static str>;
    /// Whether the event names `subject`.
    fn concerns(&self, subject: Subject) -> bool;
    /// Replaces what identifies `subject` in this event by `pseudonym`.
    fn pseudonymise(&mut self, subject: Subject, pseudonym: &str);

    /// Whether the event is dated before `cutoff` (an unreadable date never is: kept, not lost).
    fn dated_before(&self, cutoff: chrono::NaiveDate) -> bool {
        self.date()
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| d < cutoff)
    }
}

/// Where events of one kind are kept: appended durably, read whole, erased and expired in place.
/// Both lowerings pass one conformance suite (`tests/api/replicas.rs`).
pub trait EventLog<E: LogEvent>: Send + Sync + 'static {
    /// Appends `event` durably before returning (its sequence is assigned here) and returns its
    /// sequence: later events have larger ones.
    fn append(&self, event: E) -> Result<u64>;
    /// Every event, by sequence.
    fn events(&self) -> Result<Vec<E>>;
    /// Pseudonymises every event of `subject` (see the module notes), durably; returns how many
    /// events it changed. Idempotent: a second call finds none.
    fn erase(&self, subject: Subject) -> Result<usize>;
    /// Drops the events dated more than the retention before `today`; returns how many.
    fn expire(&self, today: chrono::NaiveDate) -> Result<usize>;
    /// Where the events are kept, for messages.
    fn location(&self) -> String;
}

/// A fresh pseudonym for an erased id: the prefix and 128 random bits.
pub(crate) fn new_pseudonym() -> String {
    format!("{ERASED_PREFIX}{}", uuid::Uuid::new_v4().simple())
}

/// The first date still kept `retention_days` after `today` (`None`: events are kept for ever).
pub(crate) fn retention_cutoff(
    today: chrono::NaiveDate,
    retention_days: u32,
) -> Option<chrono::NaiveDate> {
    (retention_days > 0).then(|| today - chrono::Days::new(u64::from(retention_days)))
}

/// Reads every complete event of a log file (none when it does not exist). A last line cut short
/// by a crash (no newline) is ignored: its event was never acknowledged.
pub fn read_events<E: LogEvent>(path: &Path) -> Result<Vec<E>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io(format!("{}: {e}", path.display()))),
    };
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    complete
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| {
                Error::Io(format!(
                    "{}:{} is not an {}: {e}",
                    path.display(),
                    n + 1,
                    E::NOUN
                ))
            })
        })
        .collect()
}

/// The file lowering, opened for appending.
///
/// Appends are group-committed: each writes its line under the lock, then waits for an fsync
/// that covers it; one fsync covers every line written before it, so concurrent appends share
/// one instead of queueing one each behind the lock.
pub struct FileLog<E> {
    path: PathBuf,
    /// The file and the next sequence number; one writer at a time.
    state: Mutex<(Arc<File>, u64)>,
    /// The last sequence known to be on disk.
    synced: Mutex<u64>,
    /// Events older than this many days are dropped (0: kept for ever).
    retention_days: u32,
    kind: PhantomData<fn() -> E>,
}

impl<E: LogEvent> FileLog<E> {
    /// Opens (or creates) the log `E::FILE_NAME` in `dir`, dropping a torn last line left by a
    /// crash and the events older than `retention_days` (0: none).
    pub fn open(dir: &Path, retention_days: u32) -> Result<Self> {
        let log = Self::open_file(dir, retention_days)?;
        log.expire(chrono::Utc::now().date_naive())?;
        Ok(log)
    }

    pub(crate) fn open_file(dir: &Path, retention_days: u32) -> Result<Self> {
        let path = dir.join(E::FILE_NAME);
        let events: Vec<E> = read_events(&path)?;
        let complete_len: u64 = match std::fs::read(&path) {
            Ok(bytes) => bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i as u64 + 1),
            Err(_) => 0,
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_err("open", &path))?;
        file.set_len(complete_len)
            .map_err(io_err("truncate", &path))?;
        let next = events.last().map_or(1, |e| e.sequence() + 1);
        Ok(Self {
            path,
            state: Mutex::new((Arc::new(file), next)),
            synced: Mutex::new(next - 1),
            retention_days,
            kind: PhantomData,
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, (Arc<File>, u64)>> {
        self.state
            .lock()
            .map_err(|_| Error::Store(format!("{} log lock poisoned", E::NOUN)))
    }

    /// Writes `events` to a new file, syncs it, renames it over the log and syncs the directory;
    /// returns the new file opened for appending. A crash leaves the old log or the new one whole.
    fn replace_with(&self, events: &[E]) -> Result<File> {
        let path = &self.path;
        let partial = path.with_extension("jsonl.partial");
        let mut text = String::new();
        for event in events {
            text.push_str(&serde_json::to_string(event).map_err(|e| Error::Io(e.to_string()))?);
            text.push('\n');
        }
        let mut file = File::create(&partial).map_err(io_err("create", &partial))?;
        file.write_all(text.as_bytes())
            .map_err(io_err("write", &partial))?;
        file.sync_all().map_err(io_err("sync", &partial))?;
        drop(file);
        std::fs::rename(&partial, path).map_err(io_err("rename to", path))?;
        if let Some(dir) = path.parent() {
            sync_dir(dir)?;
        }
        OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(io_err("open", path))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl<E: LogEvent> EventLog<E> for FileLog<E> {
    /// Appends an event (its sequence is assigned here) and returns once it is on disk.
    fn append(&self, mut event: E) -> Result<u64> {
        let path = &self.path;
        let (file, sequence) = {
            let mut state = self.lock()?;
            let sequence = state.1;
            event.set_sequence(sequence);
            let mut line = serde_json::to_string(&event).map_err(|e| Error::Io(e.to_string()))?;
            line.push('\n');
            (&*state.0)
                .write_all(line.as_bytes())
                .map_err(io_err("append to", path))?;
            state.1 += 1;
            (state.0.clone(), sequence)
        };
        let mut synced = self
            .synced
            .lock()
            .map_err(|_| Error::Store(format!("{} log sync lock poisoned", E::NOUN)))?;
        if *synced < sequence {
            let state = self.lock()?;
            // A file replaced since the line was written holds it already synced (see
            // `replace_with`); otherwise one fsync covers every line written so far.
            if Arc::ptr_eq(&state.0, &file) {
                let written = state.1 - 1;
                drop(state);
                file.sync_data().map_err(io_err("sync", path))?;
                *synced = written;
            }
        }
        Ok(sequence)
    }

    fn events(&self) -> Result<Vec<E>> {
        let _state = self.lock()?;
        read_events(&self.path)
    }

    /// Pseudonymises every event of `subject` (see the module notes), durably; returns how many
    /// events it changed. Nothing is rewritten when there are none.
    fn erase(&self, subject: Subject) -> Result<usize> {
        if E::subject_field(subject).is_none() {
            return Ok(0);
        }
        let mut state = self.lock()?;
        let mut events: Vec<E> = read_events(&self.path)?;
        let pseudonym = new_pseudonym();
        let mut changed = 0;
        for event in events.iter_mut().filter(|e| e.concerns(subject)) {
            event.pseudonymise(subject, &pseudonym);
            changed += 1;
        }
        if changed > 0 {
            state.0 = Arc::new(self.replace_with(&events)?);
        }
        Ok(changed)
    }

    /// Drops the events dated more than the retention before `today`; returns how many.
    fn expire(&self, today: chrono::NaiveDate) -> Result<usize> {
        let Some(cutoff) = retention_cutoff(today, self.retention_days) else {
            return Ok(0);
        };
        let mut state = self.lock()?;
        let events: Vec<E> = read_events(&self.path)?;
        let before = events.len();
        let kept: Vec<E> = events
            .into_iter()
            .filter(|e| !e.dated_before(cutoff))
            .collect();
        let dropped = before - kept.len();
        if dropped > 0 {
            state.0 = Arc::new(self.replace_with(&kept)?);
        }
        Ok(dropped)
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}
