//! The outcome log: what happened to proposed pairs (proposed → contacted → interviewed →
//! hired / rejected), one [`OutcomeEvent`] each, kept in an [`EventLog`] (a file in the data
//! directory, or a Qdrant collection: see [`super::event_log`]).
//!
//! Each event carries the facts the figures need (company, birth year, sector, certification,
//! distance) as they were when it was recorded, so later edits do not rewrite history, and who
//! recorded it: a proposal is a counsellor's act, and the figures tell proposals apart from
//! rankings only viewed.
//!
//! Deletes do rewrite it: deleting a seeker or a posting [erases](EventLog::erase) it. Its id
//! becomes a random pseudonym, a seeker's birth year becomes only the "aged 34 or younger" flag
//! the figures need, and the free-text reasons of those events are dropped. Events older than the
//! retention (`--outcome-retention-days`) are dropped.

use serde::{Deserialize, Serialize};

pub use crate::store::event_log::{
    read_events, EventLog, FileLog, LogEvent, Subject, ERASED_PREFIX,
};

/// The outcome log's contract: an [`EventLog`] of [`OutcomeEvent`]s.
pub trait OutcomeLog: EventLog<OutcomeEvent> {}
impl<T: EventLog<OutcomeEvent>> OutcomeLog for T {}

/// The embedded store's outcome log, `DATA_DIR/outcomes.jsonl`.
pub type FileOutcomeLog = FileLog<OutcomeEvent>;

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
    /// Who recorded it: the caller's token name ("anonymous" without authentication; empty in
    /// events recorded before it was kept).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded_by: String,
    /// The recorder's role ("counsellor", "platform"); empty as `recorded_by`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded_by_role: String,
}

/// Whether someone born in `birth_year` was 34 or younger in the year of `date` (ISO).
fn aged_34_or_younger(date: &str, birth_year: Option<u32>) -> Option<bool> {
    let year: i64 = date.get(..4)?.parse().ok()?;
    Some(year - i64::from(birth_year?) <= 34)
}

impl LogEvent for OutcomeEvent {
    const NOUN: &'static str = "outcome event";
    const FILE_NAME: &'static str = FILE_NAME;
    const COLLECTION: &'static str = "outcomes";

    fn sequence(&self) -> u64 {
        self.sequence
    }

    fn set_sequence(&mut self, sequence: u64) {
        self.sequence = sequence;
    }

    fn date(&self) -> &str {
        &self.date
    }

    fn subject_field(subject: Subject) -> Option<&'static str> {
        Some(match subject {
            Subject::Seeker(_) => "seeker_id",
            Subject::Posting(_) => "posting_id",
        })
    }

    fn concerns(&self, subject: Subject) -> bool {
        match subject {
            Subject::Seeker(id) => self.seeker_id == id,
            Subject::Posting(id) => self.posting_id == id,
        }
    }

    fn pseudonymise(&mut self, subject: Subject, pseudonym: &str) {
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
}

impl OutcomeEvent {
    /// Whether the event was 34 or younger, from the birth year or, once erased, the flag.
    pub(crate) fn youth(&self) -> bool {
        aged_34_or_younger(&self.date, self.seeker_birth_year)
            .or(self.aged_34_or_younger)
            .unwrap_or(false)
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
        recorded_by: "gyeonggi-centre".into(),
        recorded_by_role: "counsellor".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::test_event as event;
    use super::*;
    use std::fs::OpenOptions;
    use std::io::Write;

    fn read(path: &std::path::Path) -> Vec<OutcomeEvent> {
        read_events(path).unwrap()
    }

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
        assert_eq!(read(&path).len(), 2);
        let log = FileOutcomeLog::open(dir.path(), 0).unwrap();
        assert_eq!(log.append(event(0, "p2", "s2", Stage::Hired)).unwrap(), 3);
        let events = read(&path);
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
        let dates: Vec<String> = read(&path).into_iter().map(|e| e.date).collect();
        assert_eq!(dates, ["2026-01-10", "2026-11-30"]);
        let later = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        assert_eq!(log.expire(later).unwrap(), 1);
        assert_eq!(log.expire(later).unwrap(), 0);
        assert_eq!(log.append(event(0, "p1", "s1", Stage::Hired)).unwrap(), 4);
    }
}
