//! What happened to proposed pairs (proposed → contacted → interviewed → hired / rejected), kept
//! in an append-only JSON-lines log beside the data (`DATA_DIR/outcomes.jsonl`, fsynced per
//! event), and the placement figures the centres report each year.
//!
//! Each event carries the facts stats need (company, birth year, sector, certification,
//! distance) as they were when it was recorded, so later edits do not rewrite history.
//!
//! Deletes do: deleting a seeker or a posting [erases](OutcomeLog::erase) it from the log. Its id
//! becomes a random pseudonym (the same one for all its events, so counts of distinct seekers and
//! postings stay right), a seeker's birth year becomes only the "aged 34 or younger" flag the
//! figures need, and the free-text reasons of those events are dropped. The log is rewritten to a
//! new file and renamed over the old one, so a crash leaves either the old log or the erased one.
//! Events older than the retention (`--outcome-retention-days`) are dropped the same way.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::files::{io_err, sync_dir};

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

/// The log file, opened for appending.
pub struct OutcomeLog {
    path: PathBuf,
    /// The file and the next sequence number; one writer at a time.
    state: Mutex<(File, u64)>,
    /// Events older than this many days are dropped (0: kept for ever).
    retention_days: u32,
    /// Held by a use case across "check the record exists, then append" and across "delete the
    /// record, then erase it here", so no event of a deleted record is appended after its erasure.
    pub(super) writes: tokio::sync::Mutex<()>,
}

/// Whether someone born in `birth_year` was 34 or younger in the year of `date` (ISO).
fn aged_34_or_younger(date: &str, birth_year: Option<u32>) -> Option<bool> {
    let year: i64 = date.get(..4)?.parse().ok()?;
    Some(year - i64::from(birth_year?) <= 34)
}

impl OutcomeEvent {
    /// Whether the event is about `subject`.
    fn concerns(&self, subject: Subject) -> bool {
        match subject {
            Subject::Seeker(id) => self.seeker_id == id,
            Subject::Posting(id) => self.posting_id == id,
        }
    }

    /// Replaces what identifies `subject` in this event by `pseudonym`.
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

    /// Whether the event was 34 or younger, from the birth year or, once erased, the flag.
    fn youth(&self) -> bool {
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

impl OutcomeLog {
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
            writes: tokio::sync::Mutex::new(()),
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, (File, u64)>> {
        self.state
            .lock()
            .map_err(|_| Error::Store("outcome log lock poisoned".into()))
    }

    /// Pseudonymises every event of `subject` (see the module notes), durably; returns how many
    /// events it changed. Nothing is rewritten when there are none.
    pub fn erase(&self, subject: Subject) -> Result<usize> {
        let mut state = self.lock()?;
        let mut events = read_events(&self.path)?;
        let pseudonym = format!("{ERASED_PREFIX}{}", uuid::Uuid::new_v4().simple());
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
    pub fn expire(&self, today: chrono::NaiveDate) -> Result<usize> {
        if self.retention_days == 0 {
            return Ok(0);
        }
        let cutoff = today - chrono::Days::new(u64::from(self.retention_days));
        let mut state = self.lock()?;
        let events = read_events(&self.path)?;
        let before = events.len();
        let kept: Vec<OutcomeEvent> = events
            .into_iter()
            .filter(|e| {
                chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").map_or(true, |d| d >= cutoff)
            })
            .collect();
        let dropped = before - kept.len();
        if dropped > 0 {
            state.0 = self.replace_with(&kept)?;
        }
        Ok(dropped)
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

    /// Appends an event (its `sequence` is assigned here) and syncs it to disk before returning.
    pub fn append(&self, mut event: OutcomeEvent) -> Result<u64> {
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
}

/// The centres' yearly figures, over pairs whose latest event is "hired".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementStats {
    pub events: usize,
    pub placements: usize,
    pub seekers_placed: usize,
    pub companies: usize,
    /// Aged 34 or younger in the year of hiring (by birth year); placements without one count as not.
    pub share_aged_34_or_younger: f64,
    pub share_manufacturing: f64,
    pub share_certified_company: f64,
    pub median_distance_km: f64,
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Each posting–seeker pair's latest event (by sequence), in pair order.
fn latest_per_pair(events: &[OutcomeEvent]) -> Vec<&OutcomeEvent> {
    let mut latest: BTreeMap<(&str, &str), &OutcomeEvent> = BTreeMap::new();
    for event in events {
        let key = (event.posting_id.as_str(), event.seeker_id.as_str());
        if latest.get(&key).is_none_or(|e| e.sequence < event.sequence) {
            latest.insert(key, event);
        }
    }
    latest.into_values().collect()
}

pub fn placement_stats(events: &[OutcomeEvent]) -> PlacementStats {
    let placed: Vec<&OutcomeEvent> = latest_per_pair(events)
        .into_iter()
        .filter(|e| e.stage == Stage::Hired)
        .collect();
    let youth = placed.iter().filter(|e| e.youth()).count();
    PlacementStats {
        events: events.len(),
        placements: placed.len(),
        seekers_placed: placed
            .iter()
            .map(|e| &e.seeker_id)
            .collect::<HashSet<_>>()
            .len(),
        companies: placed
            .iter()
            .map(|e| &e.company_id)
            .collect::<HashSet<_>>()
            .len(),
        share_aged_34_or_younger: share(youth, placed.len()),
        share_manufacturing: share(
            placed.iter().filter(|e| e.manufacturing).count(),
            placed.len(),
        ),
        share_certified_company: share(
            placed.iter().filter(|e| e.certified_company).count(),
            placed.len(),
        ),
        median_distance_km: median(placed.iter().map(|e| e.distance_km).collect()),
    }
}

/// Which events a centre's figures count: a date range (inclusive ISO dates; `None`: open) and
/// the caller's sido codes (`None`: everywhere).
#[derive(Debug, Clone, Copy, Default)]
pub struct FiguresScope<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub regions: Option<&'a [String]>,
}

impl FiguresScope<'_> {
    fn covers(&self, event: &OutcomeEvent) -> bool {
        // ISO dates compare as strings.
        self.from.is_none_or(|from| event.date.as_str() >= from)
            && self.to.is_none_or(|to| event.date.as_str() <= to)
            && self
                .regions
                .is_none_or(|regions| regions.contains(&event.sido_code))
    }
}

/// The figures of the centres' console: the placement figures, where each pair stands, and the
/// placements per month.
#[derive(Debug, Clone, PartialEq)]
pub struct CentreFigures {
    pub placements: PlacementStats,
    /// Pairs per stage of their latest event, every stage listed.
    pub stages: Vec<(Stage, usize)>,
    /// ("YYYY-MM", placements) for each month with a hiring, in order.
    pub placements_by_month: Vec<(String, usize)>,
}

/// The figures over the events `scope` covers (a pair's latest event within the range counts).
pub fn centre_figures(events: &[OutcomeEvent], scope: FiguresScope) -> CentreFigures {
    let covered: Vec<OutcomeEvent> = events.iter().filter(|e| scope.covers(e)).cloned().collect();
    let latest = latest_per_pair(&covered);
    let stages = [
        Stage::Proposed,
        Stage::Contacted,
        Stage::Interviewed,
        Stage::Hired,
        Stage::Rejected,
    ]
    .into_iter()
    .map(|stage| (stage, latest.iter().filter(|e| e.stage == stage).count()))
    .collect();
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    for hired in latest.iter().filter(|e| e.stage == Stage::Hired) {
        *months
            .entry(hired.date.get(..7).unwrap_or_default().to_string())
            .or_default() += 1;
    }
    CentreFigures {
        placements: placement_stats(&covered),
        stages,
        placements_by_month: months.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u64, posting: &str, seeker: &str, stage: Stage) -> OutcomeEvent {
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

    #[test]
    fn centre_figures_count_the_range_and_the_regions_only() {
        let mut log = vec![
            event(1, "p1", "s1", Stage::Contacted),
            event(2, "p1", "s1", Stage::Hired),
            event(3, "p2", "s2", Stage::Hired),
            event(4, "p3", "s3", Stage::Interviewed),
            event(5, "p4", "s4", Stage::Hired),
        ];
        log[2].date = "2026-07-03".into();
        log[3].sido_code = "26".into();
        log[4].date = "2025-12-31".into();
        let all = centre_figures(&log, FiguresScope::default());
        assert_eq!(all.placements.placements, 3);
        assert_eq!(
            all.placements_by_month,
            vec![
                ("2025-12".to_string(), 1),
                ("2026-05".to_string(), 1),
                ("2026-07".to_string(), 1)
            ]
        );
        let gyeonggi = vec!["41".to_string()];
        let scoped = centre_figures(
            &log,
            FiguresScope {
                from: Some("2026-01-01"),
                to: Some("2026-06-30"),
                regions: Some(&gyeonggi),
            },
        );
        assert_eq!(scoped.placements.placements, 1);
        assert_eq!(scoped.placements.events, 2);
        let pairs = |stage| scoped.stages.iter().find(|(s, _)| *s == stage).unwrap().1;
        assert_eq!(pairs(Stage::Hired), 1);
        assert_eq!(
            pairs(Stage::Contacted),
            0,
            "the pair's latest event is the hiring"
        );
        assert_eq!(pairs(Stage::Interviewed), 0, "that pair is in Busan");
        assert_eq!(scoped.stages.len(), 5);
    }

    #[test]
    fn stats_of_a_hand_made_log() {
        let mut log = vec![
            event(1, "p1", "s1", Stage::Proposed),
            event(2, "p1", "s1", Stage::Hired),
            event(3, "p2", "s2", Stage::Interviewed),
            event(4, "p2", "s2", Stage::Hired),
            event(5, "p3", "s3", Stage::Hired),
            event(6, "p3", "s3", Stage::Rejected), // hired, then it fell through
            event(7, "p4", "s4", Stage::Hired),
            event(8, "p1", "s5", Stage::Contacted),
        ];
        log[1].distance_km = 4.0;
        log[3].distance_km = 30.0;
        log[3].manufacturing = false;
        log[3].certified_company = true;
        log[6].seeker_birth_year = Some(1980); // 46 in 2026
        log[6].distance_km = 12.0;
        log[6].company_id = "c-p1".into(); // the same company as p1
        let stats = placement_stats(&log);
        assert_eq!(stats.events, 8);
        assert_eq!(stats.placements, 3);
        assert_eq!(stats.seekers_placed, 3);
        assert_eq!(stats.companies, 2);
        assert!((stats.share_aged_34_or_younger - 2.0 / 3.0).abs() < 1e-12);
        assert!((stats.share_manufacturing - 2.0 / 3.0).abs() < 1e-12);
        assert!((stats.share_certified_company - 1.0 / 3.0).abs() < 1e-12);
        assert!((stats.median_distance_km - 12.0).abs() < 1e-12);
    }

    #[test]
    fn the_log_survives_reopening_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        {
            let log = OutcomeLog::open(dir.path(), 0).unwrap();
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
        let log = OutcomeLog::open(dir.path(), 0).unwrap();
        assert_eq!(log.append(event(0, "p2", "s2", Stage::Hired)).unwrap(), 3);
        let events = read_events(&path).unwrap();
        assert_eq!(
            events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn erasing_a_seeker_keeps_the_figures_and_nothing_that_leads_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = OutcomeLog::open(dir.path(), 0).unwrap();
        let mut young = event(0, "p1", "s-kim", Stage::Proposed);
        young.reason = "김 씨가 직접 전화함".into();
        log.append(young.clone()).unwrap();
        log.append(OutcomeEvent {
            stage: Stage::Hired,
            ..young.clone()
        })
        .unwrap();
        let mut older = event(0, "p2", "s-lee", Stage::Hired);
        older.seeker_birth_year = Some(1980);
        log.append(older).unwrap();
        log.append(event(0, "p1", "s-park", Stage::Hired)).unwrap();
        let path = dir.path().join(FILE_NAME);
        let before = placement_stats(&read_events(&path).unwrap());

        assert_eq!(log.erase(Subject::Seeker("s-kim")).unwrap(), 2);
        assert_eq!(log.erase(Subject::Seeker("s-lee")).unwrap(), 1);
        assert_eq!(
            log.erase(Subject::Seeker("s-kim")).unwrap(),
            0,
            "erased twice"
        );
        assert_eq!(log.erase(Subject::Posting("p1")).unwrap(), 3);
        let text = std::fs::read_to_string(&path).unwrap();
        for gone in ["s-kim", "s-lee", "김 씨", "1980", "\"p1\""] {
            assert!(!text.contains(gone), "{gone} is still in the log:\n{text}");
        }
        let events = read_events(&path).unwrap();
        // One pseudonym per erased subject: both events of s-kim still belong together.
        assert_eq!(events[0].seeker_id, events[1].seeker_id);
        assert_ne!(events[0].seeker_id, events[2].seeker_id);
        assert!(events[0].seeker_id.starts_with(ERASED_PREFIX));
        assert_eq!(
            placement_stats(&events),
            before,
            "erasure changed the figures"
        );
        // Appends go on after the rewrite, in sequence.
        assert_eq!(
            log.append(event(0, "p3", "s-choi", Stage::Hired)).unwrap(),
            5
        );
        assert_eq!(read_events(&path).unwrap().len(), 5);
    }

    #[test]
    fn events_past_the_retention_are_dropped_at_open_and_on_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let log = OutcomeLog::open(dir.path(), 0).unwrap();
            for date in ["2020-01-01", "2026-01-10", "2026-11-30"] {
                log.append(OutcomeEvent {
                    date: date.into(),
                    ..event(0, "p1", "s1", Stage::Contacted)
                })
                .unwrap();
            }
        }
        let log = OutcomeLog::open_file(dir.path(), 365).unwrap();
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
