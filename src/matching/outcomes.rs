//! The placement figures the centres report each year, over the outcome log
//! ([`crate::store::outcome_log`]: the events, their contract and its lowerings).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::matching::{blocking, Matcher, Scope};
use crate::store::Collection;

pub use crate::store::outcome_log::{
    read_events, EventLog, FileOutcomeLog, OutcomeEvent, OutcomeLog, Stage, Subject, ERASED_PREFIX,
    FILE_NAME,
};

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
pub(crate) fn latest_per_pair(events: &[OutcomeEvent]) -> Vec<&OutcomeEvent> {
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
    /// Per person: rankings viewed beside proposals made (see [`people_activity`]).
    pub people: Vec<PersonActivity>,
}

/// What one person did in a range: the rankings they viewed (from the access log) and the
/// seekers they proposed (outcome events of stage "proposed" they recorded). A proposal is a
/// person's decision; a ranking only viewed is not one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PersonActivity {
    pub name: String,
    pub role: String,
    pub rankings_viewed: usize,
    pub seekers_shown: usize,
    pub proposals: usize,
}

/// Each person's activity: proposals among the events `scope` covers, rankings among the
/// `access` records dated within its range; only `person`'s line when given (a counsellor sees
/// their own). By name.
pub fn people_activity(
    events: &[OutcomeEvent],
    access: &[crate::store::access_log::AccessRecord],
    scope: FiguresScope,
    person: Option<&str>,
) -> Vec<PersonActivity> {
    let mut people: BTreeMap<(String, String), PersonActivity> = BTreeMap::new();
    fn line<'a>(
        people: &'a mut BTreeMap<(String, String), PersonActivity>,
        person: Option<&str>,
        name: &str,
        role: &str,
    ) -> Option<&'a mut PersonActivity> {
        if name.is_empty() || person.is_some_and(|p| p != name) {
            return None;
        }
        Some(
            people
                .entry((name.to_string(), role.to_string()))
                .or_insert_with(|| PersonActivity {
                    name: name.to_string(),
                    role: role.to_string(),
                    ..Default::default()
                }),
        )
    }
    for event in events
        .iter()
        .filter(|e| e.stage == Stage::Proposed && scope.covers(e))
    {
        if let Some(p) = line(
            &mut people,
            person,
            &event.recorded_by,
            &event.recorded_by_role,
        ) {
            p.proposals += 1;
        }
    }
    for record in access.iter().filter(|r| {
        let day = r.at.get(..10).unwrap_or_default();
        r.is_ranking() && scope.from.is_none_or(|f| day >= f) && scope.to.is_none_or(|t| day <= t)
    }) {
        if let Some(p) = line(&mut people, person, &record.caller, &record.role) {
            p.rankings_viewed += 1;
            p.seekers_shown += record.seeker_ids.len();
        }
    }
    people.into_values().collect()
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
        people: Vec::new(),
    }
}

/// The outcome use cases: the log itself ([`crate::outcomes`]) knows nothing of the store.
impl Matcher {
    /// Drops the outcome events and access records past their retentions (blocking: it may
    /// rewrite the logs); returns how many.
    pub fn expire_outcomes(&self) -> Result<usize> {
        let today = chrono::Utc::now().date_naive();
        let outcomes = match self.outcome_log() {
            Some(log) => log.expire(today)?,
            None => 0,
        };
        let access = match &self.access {
            Some(log) => log.expire(today)?,
            None => 0,
        };
        Ok(outcomes + access)
    }

    /// A posting's outcome events, newest first, each with its seeker's display name (none once
    /// the seeker was erased); events of seekers outside `scope` are left out, so a counsellor
    /// learns no id from another region. `NOT_FOUND` when the posting is unknown or outside it.
    pub async fn posting_outcomes(
        &self,
        posting_id: &str,
        scope: &Scope,
        page: &crate::paging::LogPage,
    ) -> Result<(Vec<(OutcomeEvent, Option<String>)>, Option<String>)> {
        let posting = self.read_posting(posting_id, scope).await?;
        let log = self.require_outcome_log()?;
        let mut events: Vec<OutcomeEvent> = blocking(move || log.events())
            .await?
            .into_iter()
            .filter(|e| e.posting_id == posting.id)
            .collect();
        events.reverse();
        events.retain(|e| page.admits(e.sequence, true));
        let mut named = Vec::with_capacity(events.len().min(page.size + 1));
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        for event in events {
            let name = match names.get(&event.seeker_id) {
                Some(name) => name.clone(),
                None => {
                    let name = match self.read_seeker(&event.seeker_id, scope).await {
                        Ok(seeker) => Some(seeker.display_name),
                        Err(Error::NotFound { .. }) => None,
                        Err(other) => return Err(other),
                    };
                    names.insert(event.seeker_id.clone(), name.clone());
                    name
                }
            };
            let erased = event.seeker_id.starts_with(crate::outcomes::ERASED_PREFIX);
            if name.is_some() || erased {
                named.push((event, name));
                // One beyond the page says whether another page follows.
                if named.len() > page.size {
                    break;
                }
            }
        }
        Ok(page.take(named, |(event, _)| event.sequence, true))
    }

    /// Records an event for a stored posting–seeker pair, by `recorder` (token name and role);
    /// `NOT_FOUND` when either record is unknown or outside `scope` (a counsellor's regions).
    #[allow(clippy::too_many_arguments)] // each is one fact of the event
    pub async fn record_outcome(
        &self,
        posting_id: &str,
        seeker_id: &str,
        stage: Stage,
        reason: &str,
        date: Option<&str>,
        recorder: (&str, &str),
        scope: &Scope,
    ) -> Result<u64> {
        let log = self.require_outcome_log()?;
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
        // Held until the event is written: a delete of either record on this replica waits, so
        // its erasure comes after this event and reaches it.
        let _writes = self.outcome_writes.lock().await;
        let posting = self.read_posting(posting_id, scope).await?;
        let seeker = self.read_seeker(seeker_id, scope).await?;
        let event = OutcomeEvent {
            sequence: 0,
            posting_id: posting.id.clone(),
            seeker_id: seeker.id.clone(),
            stage,
            reason: reason.trim().to_string(),
            date,
            company_id: posting.company_id.clone(),
            seeker_birth_year: seeker.birth_year,
            aged_34_or_younger: None,
            manufacturing: crate::domain::is_manufacturing(&posting.sector),
            certified_company: posting.certified_company,
            distance_km: crate::ranking::haversine_km(posting.place.point, seeker.home.point),
            sido_code: posting.place.sido_code.clone(),
            recorded_by: recorder.0.to_string(),
            recorded_by_role: recorder.1.to_string(),
        };
        let appender = log.clone();
        let sequence = blocking(move || appender.append(event)).await?;
        // A delete on another replica may have removed either record after the reads above and
        // erased the log before this event was in it. A delete removes the record before it
        // erases, so if both records are still there now, any such erasure is yet to come and
        // will reach the event; if one is gone, this erases it here and answers as its delete did.
        for (collection, id) in [
            (Collection::Postings, &posting.id),
            (Collection::Seekers, &seeker.id),
        ] {
            match self.fetch(collection, id).await {
                Ok(_) => {}
                Err(Error::NotFound { .. }) => {
                    let (log, key) = (log.clone(), id.clone());
                    blocking(move || {
                        log.erase(match collection {
                            Collection::Seekers => Subject::Seeker(&key),
                            Collection::Postings => Subject::Posting(&key),
                        })
                    })
                    .await?;
                    return Err(Error::NotFound {
                        kind: collection.noun(),
                        id: id.clone(),
                    });
                }
                Err(other) => return Err(other),
            }
        }
        Ok(sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outcome_log::test_event as event;

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
}
