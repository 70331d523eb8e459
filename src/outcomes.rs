//! What happened to proposed pairs (proposed → contacted → interviewed → hired / rejected), kept
//! in an append-only JSON-lines log beside the data (`DATA_DIR/outcomes.jsonl`, fsynced per
//! event), and the placement figures the centres report each year.
//!
//! Each event carries the facts stats need (company, birth year, sector, certification,
//! distance) as they were when it was recorded, so later edits or deletions do not rewrite history.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const FILE_NAME: &str = "outcomes.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub manufacturing: bool,
    pub certified_company: bool,
    pub distance_km: f64,
}

/// The log file, opened for appending.
pub struct OutcomeLog {
    path: PathBuf,
    /// The file and the next sequence number; one writer at a time.
    state: Mutex<(File, u64)>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io(format!("{}: {e}", path.display()))
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
    /// Opens (or creates) the log in `dir`, dropping a torn last line left by a crash.
    pub fn open(dir: &Path) -> Result<Self> {
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
            .map_err(io(&path))?;
        file.set_len(complete_len).map_err(io(&path))?;
        let next = events.last().map_or(1, |e| e.sequence + 1);
        Ok(Self {
            path,
            state: Mutex::new((file, next)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends an event (its `sequence` is assigned here) and syncs it to disk before returning.
    pub fn append(&self, mut event: OutcomeEvent) -> Result<u64> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| Error::Store("outcome log lock poisoned".into()))?;
        event.sequence = state.1;
        let mut line = serde_json::to_string(&event).map_err(|e| Error::Io(e.to_string()))?;
        line.push('\n');
        let path = self.path.clone();
        state.0.write_all(line.as_bytes()).map_err(io(&path))?;
        state.0.sync_data().map_err(io(&path))?;
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

pub fn placement_stats(events: &[OutcomeEvent]) -> PlacementStats {
    let mut latest: BTreeMap<(&str, &str), &OutcomeEvent> = BTreeMap::new();
    for event in events {
        let key = (event.posting_id.as_str(), event.seeker_id.as_str());
        if latest.get(&key).is_none_or(|e| e.sequence < event.sequence) {
            latest.insert(key, event);
        }
    }
    let placed: Vec<&OutcomeEvent> = latest
        .into_values()
        .filter(|e| e.stage == Stage::Hired)
        .collect();
    let youth = placed
        .iter()
        .filter(|e| {
            let year: Option<i64> = e.date.get(..4).and_then(|y| y.parse().ok());
            matches!((year, e.seeker_birth_year), (Some(y), Some(b)) if y - i64::from(b) <= 34)
        })
        .count();
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

impl crate::matching::Matcher {
    /// Records an event for a stored posting–seeker pair; `NOT_FOUND` when either is unknown.
    pub async fn record_outcome(
        &self,
        posting_id: &str,
        seeker_id: &str,
        stage: Stage,
        reason: &str,
        date: Option<&str>,
    ) -> Result<u64> {
        let log = self
            .outcome_log()
            .ok_or_else(|| Error::FailedPrecondition("this server keeps no outcome log".into()))?;
        if stage == Stage::Rejected && reason.trim().is_empty() {
            return Err(Error::invalid("reason", "is required for a rejection"));
        }
        let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                crate::domain::date_key(d).map_err(|_| {
                    Error::invalid("date", format!("'{d}' is not an ISO date (YYYY-MM-DD)"))
                })?;
                d.to_string()
            }
            None => chrono::Utc::now().date_naive().to_string(),
        };
        let posting = self.get_posting(posting_id).await?;
        let seeker = self.get_seeker(seeker_id).await?;
        let event = OutcomeEvent {
            sequence: 0,
            posting_id: posting.id.clone(),
            seeker_id: seeker.id.clone(),
            stage,
            reason: reason.trim().to_string(),
            date,
            company_id: posting.company_id.clone(),
            seeker_birth_year: seeker.birth_year,
            manufacturing: crate::matching::is_manufacturing(&posting.sector),
            certified_company: posting.certified_company,
            distance_km: crate::ranking::haversine_km(posting.place.point, seeker.home.point),
        };
        crate::matching::blocking(move || log.append(event)).await
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
            manufacturing: true,
            certified_company: false,
            distance_km: 10.0,
        }
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
            let log = OutcomeLog::open(dir.path()).unwrap();
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
        let log = OutcomeLog::open(dir.path()).unwrap();
        assert_eq!(log.append(event(0, "p2", "s2", Stage::Hired)).unwrap(), 3);
        let events = read_events(&path).unwrap();
        assert_eq!(
            events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}
