//! The access log: who read or changed whose personal data, when, what and in which request,
//! one [`AccessRecord`] per call, kept in an [`EventLog`] (a fsynced file in the data directory,
//! or a Qdrant collection beside the outcome events: see [`super::event_log`]).
//!
//! Korea's Personal Information Protection Act asks a system that processes personal data to
//! keep such records (who, when, which data subject, what was done) for at least a year, two for
//! large systems: `--access-log-retention-days` is 730 by default and refuses less than 365.
//!
//! A record names seekers by id and says which fields left the server (never their values).
//! Erasing a seeker replaces their id in every record by one pseudonym, as the outcome log does:
//! how often and by whom their data was read stays countable, whose it was does not.

use serde::{Deserialize, Serialize};

pub use crate::store::event_log::{EventLog, FileLog, LogEvent, Subject};

/// The access log's contract: an [`EventLog`] of [`AccessRecord`]s.
pub trait AccessLog: EventLog<AccessRecord> {}
impl<T: EventLog<AccessRecord>> AccessLog for T {}

/// The embedded store's access log, `DATA_DIR/access.jsonl`.
pub type FileAccessLog = FileLog<AccessRecord>;

pub const FILE_NAME: &str = "access.jsonl";

/// The shortest retention accepted: the law's one year.
pub const MIN_RETENTION_DAYS: u32 = 365;

/// What a call did with the seekers' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Write,
    Delete,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }
}

/// One call that read or changed seekers' personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRecord {
    pub sequence: u64,
    /// When the call was answered: UTC, RFC 3339 with milliseconds.
    pub at: String,
    /// The caller's token name ("anonymous" without authentication).
    pub caller: String,
    /// The caller's role.
    pub role: String,
    /// The RPC ("GetSeeker").
    pub rpc: String,
    pub action: Action,
    /// The seekers whose data the call read or changed.
    pub seeker_ids: Vec<String>,
    /// Which of their fields it returned or changed ("profile", "resume", "advice", "outcomes").
    pub fields: Vec<String>,
    /// Whether résumé text left the server (or was written).
    pub resume: bool,
    /// The request id (the client's `x-request-id`, or the server's).
    pub request_id: String,
    /// How the call came: "grpc", or "console" through the web console's gateway.
    pub via: String,
}

/// The RPCs whose records are rankings a person viewed (the centre's figures set them beside the
/// proposals that person made).
pub const RANKING_RPCS: [&str; 3] = ["RecommendCandidates", "RecommendPostings", "MatchRegion"];

impl AccessRecord {
    /// Whether the call was a ranking (see [`RANKING_RPCS`]).
    pub fn is_ranking(&self) -> bool {
        RANKING_RPCS.contains(&self.rpc.as_str())
    }

    /// Whether the record names `seeker_id`.
    pub fn names(&self, seeker_id: &str) -> bool {
        self.seeker_ids.iter().any(|id| id == seeker_id)
    }
}

impl LogEvent for AccessRecord {
    const NOUN: &'static str = "access record";
    const FILE_NAME: &'static str = FILE_NAME;
    const COLLECTION: &'static str = "access";

    fn sequence(&self) -> u64 {
        self.sequence
    }

    fn set_sequence(&mut self, sequence: u64) {
        self.sequence = sequence;
    }

    fn date(&self) -> &str {
        &self.at
    }

    fn subject_field(subject: Subject) -> Option<&'static str> {
        match subject {
            Subject::Seeker(_) => Some("seeker_ids"),
            Subject::Posting(_) => None,
        }
    }

    fn concerns(&self, subject: Subject) -> bool {
        match subject {
            Subject::Seeker(id) => self.names(id),
            Subject::Posting(_) => false,
        }
    }

    fn pseudonymise(&mut self, subject: Subject, pseudonym: &str) {
        if let Subject::Seeker(id) = subject {
            for named in self.seeker_ids.iter_mut().filter(|named| *named == id) {
                *named = pseudonym.to_string();
            }
        }
    }
}

/// The current time as records keep it.
pub fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event_log::read_events;

    fn record(at: &str, ids: &[&str]) -> AccessRecord {
        AccessRecord {
            sequence: 0,
            at: at.into(),
            caller: "gyeonggi-centre".into(),
            role: "counsellor".into(),
            rpc: "GetSeeker".into(),
            action: Action::Read,
            seeker_ids: ids.iter().map(|s| s.to_string()).collect(),
            fields: vec!["profile".into(), "resume".into()],
            resume: true,
            request_id: "r-1".into(),
            via: "grpc".into(),
        }
    }

    #[test]
    fn erasing_a_seeker_leaves_no_trace_of_their_id_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let log = FileAccessLog::open(dir.path(), 0).unwrap();
        log.append(record("2026-12-01T10:00:00.000Z", &["s1", "s2"]))
            .unwrap();
        log.append(record("2026-12-02T10:00:00.000Z", &["s1"]))
            .unwrap();
        log.append(record("2026-12-03T10:00:00.000Z", &["s3"]))
            .unwrap();
        assert_eq!(log.erase(Subject::Seeker("s1")).unwrap(), 2);
        assert_eq!(log.erase(Subject::Seeker("s1")).unwrap(), 0, "idempotent");
        assert_eq!(log.erase(Subject::Posting("s3")).unwrap(), 0);
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains("\"s1\""), "{text}");
        let records: Vec<AccessRecord> = read_events(&dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].seeker_ids[1], "s2");
        assert_eq!(
            records[0].seeker_ids[0], records[1].seeker_ids[0],
            "one pseudonym per erasure"
        );
        assert!(records[0].seeker_ids[0].starts_with(crate::store::event_log::ERASED_PREFIX));
        assert_eq!(records[2].seeker_ids, ["s3"]);
    }

    #[test]
    fn concurrent_appends_share_fsyncs_and_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let log = FileAccessLog::open(dir.path(), 0).unwrap();
        std::thread::scope(|scope| {
            for t in 0..8 {
                let log = &log;
                scope.spawn(move || {
                    for i in 0..50 {
                        let id = format!("s{t}-{i}");
                        log.append(record("2026-12-01T10:00:00.000Z", &[&id]))
                            .unwrap();
                    }
                });
            }
        });
        // An erasure in between replaces the file; appends go on into the new one.
        log.erase(Subject::Seeker("s3-7")).unwrap();
        log.append(record("2026-12-01T10:00:01.000Z", &["last"]))
            .unwrap();
        let records: Vec<AccessRecord> = read_events(&dir.path().join(FILE_NAME)).unwrap();
        let mut sequences: Vec<u64> = records.iter().map(|r| r.sequence).collect();
        sequences.sort_unstable();
        assert_eq!(sequences, (1..=401).collect::<Vec<u64>>());
        assert_eq!(records.last().unwrap().seeker_ids, ["last"]);
    }

    #[test]
    fn records_past_the_retention_are_dropped_by_the_date_of_their_timestamp() {
        let dir = tempfile::tempdir().unwrap();
        let log = FileAccessLog::open_file(dir.path(), 730).unwrap();
        log.append(record("2024-11-30T23:59:59.000Z", &["s1"]))
            .unwrap();
        log.append(record("2024-12-07T00:00:00.000Z", &["s1"]))
            .unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(log.expire(today).unwrap(), 1);
        let kept = log.events().unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].sequence, 2);
    }
}
