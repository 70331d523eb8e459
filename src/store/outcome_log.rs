//! The outcome log: what happened to proposed pairs (proposed → contacted → interviewed →
//! hired / rejected), one [`OutcomeEvent`] each, behind one contract ([`OutcomeLog`]) with two
//! lowerings, as the records have:
//!
//! - [`FileOutcomeLog`]: the embedded store's, an append-only JSON-lines file beside the data
//!   (`DATA_DIR/outcomes.jsonl`, fsynced per event). One process owns the data directory, so a
//!   file it can fsync is all the durability it needs, and an auditor can read it with `jq`.
//! - [`super::server::outcomes::QdrantOutcomeLog`]: on a Qdrant server, a collection of its own
//!   that every replica writes and reads, so any replica takes outcomes and deletes.
//!
//! Each event carries the facts the figures need (company, birth year, sector, certification,
//! distance) as they were when it was recorded, so later edits do not rewrite history.
//!
//! Deletes do: deleting a seeker or a posting [erases](OutcomeLog::erase) it from the log. Its id
//! becomes a random pseudonym (the same one for all its events, so counts of distinct seekers and
//! postings stay right), a seeker's birth year becomes only the "aged 34 or younger" flag the
//! figures need, and the free-text reasons of those events are dropped. The file is rewritten to
//! a new file and renamed over the old one, so a crash leaves either the old log or the erased
//! one. Events older than the retention (`--outcome-retention-days`) are dropped the same way.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::files::{io_err, sync_dir};

/// Where outcome events are kept: appended durably, read whole, erased and expired in place.
/// Both lowerings pass one conformance suite (`tests/api/outcome_log.rs`).
pub trait OutcomeLog: Send + Sync + 'static {
    /// Appends `event` durably before returning (its `sequence` is assigned here) and returns its
    /// sequence: later events of a pair have larger ones.
    fn append(&self, event: OutcomeEvent) -> Result<u64>;
    /// Every event, by sequence.
    fn events(&self) -> Result<Vec<OutcomeEvent>>;
    /// Pseudonymises every event of `subject` (see the module notes), durably; returns how many
    /// events it changed. Idempotent: a second call finds none.
    fn erase(&self, subject: Subject) -> Result<usize>;
    /// Drops the events dated more than the retention before `today`; returns how many.
    fn expire(&self, today: chrono::NaiveDate) -> Result<usize>;
    /// Where the events are kept, for messages.
    fn location(&self) -> String;
}

pub const FILE_NAME: &str = "outcomes.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Proposed,
    Contacted,
    Interviewed,
    Hired,
    Rejected,
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeEvent {
    pub sequence: u64,
    pub posting_id: String,
    pub seeker_id: String,
    pub stage: Stage,
    pub reason: String,
    /// ISO date of the event.
    pub date: String,
    pub company_id: String,
    pub seeker_birth_year: Option<u32>,
    /// Set when the seeker was erased: whether they were 34 or younger in the year of the event
    /// (what the figures need of the birth year, which is gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aged_34_or_younger: Option<bool>,
    pub manufacturing: bool,
    pub certified_company: bool,
    pub distance_km: f64,
    /// Sido code of the posting's workplace, so a counsellor's figures cover their regions
    /// (empty in events recorded before it was kept: those count only for callers without a
    /// region limit).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sido_code: String,
}

/// Whose events [`OutcomeLog::erase`] pseudonymises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Seeker(&'a str),
    Posting(&'a str),
}

/// Prefix of the pseudonyms that replace erased ids: the prefix and 128 random bits, derived from
/// nothing, so nothing leads back to the record.
pub const ERASED_PREFIX: &str = "erased:";

/// The file lowering, opened for appending.
pub struct FileOutcomeLog {
    path: PathBuf,
    /// The file and the next sequence number; one writer at a time.
    state: Mutex<(File, u64)>,
    /// Events older than this many days are dropped (0: kept for ever).
    retention_days: u32,
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

/// Whether someone born in `birth_year` was 34 or younger in the year of `date` (ISO).
fn aged_34_or_younger(date: &str, birth_year: Option<u32>) -> Option<bool> {
    let year: i64 = date.get(..4)?.parse().ok()?;
    Some(year - i64::from(birth_year?) <= 34)
}

impl OutcomeEvent {
    /// Whether the event is dated before `cutoff` (an unreadable date never is: kept, not lost).
    pub(crate) fn dated_before(&self, cutoff: chrono::NaiveDate) -> bool {
        chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").is_ok_and(|d| d < cutoff)
    }

    /// Whether the event is about `subject`.
    pub(crate) fn concerns(&self, subject: Subject) -> bool {
        match subject {
            Subject::Seeker(id) => self.seeker_id == id,
            Subject::Posting(id) => self.posting_id == id,
        }
    }

    /// Replaces what identifies `subject` in this event by `pseudonym`.
    pub(crate) fn pseudonymise(&mut self, subject: Subject, pseudonym: &str) {
        match subject {
            Subject::Seeker(_) => {
                self.aged_34_or_younger = self
                    .aged_34_or_younger
                    .or_else(|| aged_34_or_younger(&self.date, self.seeker_birth_year));
                self.seeker_birth_year = None;
                self.seeker_id = pseudonym.to_string();
            }
            Subject::Posting(_) => self.posting_id = pseudonym.to_string(),
        }
        self.reason.clear();
    }

    /// Whether the event was 34 or younger, from the birth year or, once erased, the flag.
    pub(crate) fn youth(&self) -> bool {
        aged_34_or_younger(&self.date, self.seeker_birth_year)
            .or(self.aged_34_or_younger)
            .unwrap_or(false)
    }
}

/// Reads every complete event. A last line cut short by a crash (no newline) is ignored: its
/// event was never acknowledged.
pub fn read_events(path: &Path) -> Result<Vec<OutcomeEvent>> {
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
                    "{}:{} is not an outcome event: {e}",
                    path.display(),
                    n + 1
                ))
            })
        })
        .collect()
}

impl FileOutcomeLog {
    /// Opens (or creates) the log in `dir`, dropping a torn last line left by a crash and the
    /// events older than `retention_days` (0: none).
    pub fn open(dir: &Path, retention_days: u32) -> Result<Self> {
        let log = Self::open_file(dir, retention_days)?;
        log.expire(chrono::Utc::now().date_naive())?;
        Ok(log)
    }

    fn open_file(dir: &Path, retention_days: u32) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        let events = read_events(&path)?;
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
        let next = events.last().map_or(1, |e| e.sequence + 1);
        Ok(Self {
            path,
            state: Mutex::new((file, next)),
            retention_days,
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, (File, u64)>> {
        self.state
            .lock()
            .map_err(|_| Error::Store("outcome log lock poisoned".into()))
    }

    /// Writes `events` to a new file, syncs it, renames it over the log and syncs the directory;
    /// returns the new file opened for appending. A crash leaves the old log or the new one whole.
    fn replace_with(&self, events: &[OutcomeEvent]) -> Result<File> {
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

impl OutcomeLog for FileOutcomeLog {
    /// Appends an event (its `sequence` is assigned here) and syncs it to disk before returning.
    fn append(&self, mut event: OutcomeEvent) -> Result<u64> {
        let mut state = self.lock()?;
        event.sequence = state.1;
        let mut line = serde_json::to_string(&event).map_err(|e| Error::Io(e.to_string()))?;
        line.push('\n');
        let path = self.path.clone();
        state
            .0
            .write_all(line.as_bytes())
            .map_err(io_err("append to", &path))?;
        state.0.sync_data().map_err(io_err("sync", &path))?;
        state.1 += 1;
        Ok(event.sequence)
    }

    fn events(&self) -> Result<Vec<OutcomeEvent>> {
        let _state = self.lock()?;
        read_events(&self.path)
    }

    /// Pseudonymises every event of `subject` (see the module notes), durably; returns how many
    /// events it changed. Nothing is rewritten when there are none.
    fn erase(&self, subject: Subject) -> Result<usize> {
        let mut state = self.lock()?;
        let mut events = read_events(&self.path)?;
        let pseudonym = new_pseudonym();
        let mut changed = 0;
        for event in events.iter_mut().filter(|e| e.concerns(subject)) {
            event.pseudonymise(subject, &pseudonym);
            changed += 1;
        }
        if changed > 0 {
            state.0 = self.replace_with(&events)?;
        }
        Ok(changed)
    }

    /// Drops the events dated more than the retention before `today`; returns how many.
    fn expire(&self, today: chrono::NaiveDate) -> Result<usize> {
        let Some(cutoff) = retention_cutoff(today, self.retention_days) else {
            return Ok(0);
        };
        let mut state = self.lock()?;
        let events = read_events(&self.path)?;
        let before = events.len();
        let kept: Vec<OutcomeEvent> = events
            .into_iter()
            .filter(|e| !e.dated_before(cutoff))
            .collect();
        let dropped = before - kept.len();
        if dropped > 0 {
            state.0 = self.replace_with(&kept)?;
        }
        Ok(dropped)
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

/// A made-up event for unit tests: posting `posting` of company `c-{posting}` in 경기 (41),
/// dated 2026-05-01, a seeker born in 2000, 10 km, in manufacturing.
#[cfg(test)]
pub(crate) fn test_event(seq: u64, posting: &str, seeker: &str, stage: Stage) -> OutcomeEvent {
    OutcomeEvent {
        sequence: seq,
        posting_id: posting.into(),
        seeker_id: seeker.into(),
        stage,
        reason: String::new(),
        date: "2026-05-01".into(),
        company_id: format!("c-{posting}"),
        seeker_birth_year: Some(2000),
        aged_34_or_younger: None,
        manufacturing: true,
        certified_company: false,
        distance_km: 10.0,
        sido_code: "41".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::test_event as event;
    use super::*;

    #[test]
    fn the_log_survives_reopening_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        {
            let log = FileOutcomeLog::open(dir.path(), 0).unwrap();
            assert_eq!(
                log.append(event(0, "p1", "s1", Stage::Proposed)).unwrap(),
                1
            );
            assert_eq!(log.append(event(0, "p1", "s1", Stage::Hired)).unwrap(), 2);
        }
        // A crash in the middle of a write.
        let path = dir.path().join(FILE_NAME);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"sequence\":3,\"posting").unwrap();
        drop(file);
        assert_eq!(read_events(&path).unwrap().len(), 2);
        let log = FileOutcomeLog::open(dir.path(), 0).unwrap();
        assert_eq!(log.append(event(0, "p2", "s2", Stage::Hired)).unwrap(), 3);
        let events = read_events(&path).unwrap();
        assert_eq!(
            events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn events_past_the_retention_are_dropped_at_open_and_on_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let log = FileOutcomeLog::open(dir.path(), 0).unwrap();
            for date in ["2020-01-01", "2026-01-10", "2026-11-30"] {
                log.append(OutcomeEvent {
                    date: date.into(),
                    ..event(0, "p1", "s1", Stage::Contacted)
                })
                .unwrap();
            }
        }
        let log = FileOutcomeLog::open_file(dir.path(), 365).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(log.expire(today).unwrap(), 1);
        let dates: Vec<String> = read_events(&path)
            .unwrap()
            .into_iter()
            .map(|e| e.date)
            .collect();
        assert_eq!(dates, ["2026-01-10", "2026-11-30"]);
        let later = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        assert_eq!(log.expire(later).unwrap(), 1);
        assert_eq!(log.expire(later).unwrap(), 0);
        assert_eq!(log.append(event(0, "p1", "s1", Stage::Hired)).unwrap(), 4);
    }
}
