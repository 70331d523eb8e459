//! The exposure audit (ExposureAudit, `jobmatch audit`): does the ranking expose some groups of
//! young people less often than others who are as qualified?
//!
//! For every audited posting (all the caller's, or a uniform sample of `max_postings`), the
//! candidates are ranked as RecommendCandidates ranks them, and each *qualified* seeker counts
//! once for each of their groups: exposed when in the top k. Qualified is defined without the
//! ranking: the seeker has every skill the posting requires (by the skill vocabulary's keys, as
//! the explanations match them) and lives within their own stated commute of the workplace (the
//! server's distance scale when they stated none). The same counts are made for a MatchRegion
//! plan over the audited postings (on a shortlist) and for recorded outcomes (placement rate
//! over the pairs with an outcome). The maths is [`crate::ranking::exposure`]; only aggregates
//! leave this module, and groups with fewer than [`MIN_GROUP_SEEKERS`] seekers get counts only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::domain::{fields, from_payload, EducationTrack, Posting, Seeker};
use crate::error::{Error, Result};
use crate::geo::{Gazetteer, Region};
use crate::lookup::in_any;
use crate::matching::{blocking, Matcher, RankingRequest, Scope};
use crate::outcomes::{latest_per_pair, Stage, ERASED_PREFIX};
use crate::ranking::exposure::{group_figures, Cluster, GroupFigure, GroupKey};
use crate::ranking::haversine_km;
use crate::shortlists::RegionRequest;
use crate::store::{Collection, FieldFilter, ScanCursor};

/// The shortlist length audited when the request leaves it 0.
pub const DEFAULT_K: u32 = 10;
/// Postings audited when the request leaves it 0 (a uniform sample beyond), and at most.
pub const DEFAULT_POSTINGS: u32 = 1_000;
pub const MAX_POSTINGS: u32 = 20_000;
/// The sample's and the bootstrap's seed when the request leaves it 0.
pub const DEFAULT_SEED: u64 = 2026;

/// Groups with fewer distinct seekers show counts only: a rate over two people is about them.
pub const MIN_GROUP_SEEKERS: usize = 5;
/// Bootstrap draws behind each impact ratio's interval.
const RESAMPLES: usize = 500;
/// Rankings run at once (each is a few store queries; more would only queue).
const PARALLEL_RANKINGS: usize = 4;
/// Records read per store page while collecting the audited records.
const PAGE: usize = 1024;

/// The definition of a qualified pair, as the audit reports it.
pub const QUALIFIED: &str = "the seeker has every skill the posting requires and lives within \
their own stated commute of the workplace (the server's distance scale when they stated none)";

/// The capital region's sido codes: 서울, 인천, 경기.
const CAPITAL_REGION: [&str; 3] = ["11", "28", "41"];

/// What to audit.
#[derive(Debug, Clone)]
pub struct AuditRequest {
    /// Region names or codes; empty: every region the caller may see.
    pub regions: Vec<String>,
    /// The shortlist length audited.
    pub k: usize,
    pub max_postings: usize,
    pub seed: u64,
    /// The ranking as RecommendCandidates runs it (`top_k` = `k`), within the caller's scope.
    pub ranking: RankingRequest,
    /// Audit a MatchRegion plan too: seekers per opening and lists per seeker, and the most
    /// postings one plan may hold.
    pub plan: Option<PlanSettings>,
}

#[derive(Debug, Clone, Copy)]
pub struct PlanSettings {
    pub k: usize,
    pub max_lists_per_seeker: usize,
    pub candidates: usize,
    pub max_postings: usize,
}

/// One table: where exposure was counted, over how many postings, per group.
#[derive(Debug, Clone)]
pub struct AuditTable {
    /// "ranking", "plan" or "outcomes".
    pub source: &'static str,
    pub postings: usize,
    pub groups: Vec<GroupFigure>,
}

#[derive(Debug, Clone)]
pub struct ExposureAudit {
    pub postings_audited: usize,
    pub postings_total: usize,
    pub seekers: usize,
    pub k: usize,
    pub tables: Vec<AuditTable>,
    pub notes: Vec<String>,
}

/// A seeker's groups, one per dimension, from the fields jobmatch holds.
pub fn groups_of(seeker: &Seeker, year: i32, today: &str) -> [GroupKey; 5] {
    let age = match seeker.birth_year {
        Some(born) if year - born as i32 <= 34 => "34_or_younger",
        Some(_) => "35_or_older",
        None => "unknown",
    };
    // ISO dates compare as strings.
    let military = match seeker.discharge_date.as_deref() {
        Some(date) if date >= today => "serving",
        Some(_) => "discharged",
        None if seeker.education_track == EducationTrack::MilitaryService => "serving",
        None => "none",
    };
    let home = if CAPITAL_REGION.contains(&seeker.home.sido_code.as_str()) {
        "capital_region"
    } else {
        "elsewhere"
    };
    let commute = if seeker.max_commute_km.is_some() {
        "stated"
    } else {
        "not_stated"
    };
    [
        ("age_band", age.to_string()),
        (
            "education_track",
            seeker.education_track.as_key().to_string(),
        ),
        ("military_status", military.to_string()),
        ("home_region", home.to_string()),
        ("commute", commute.to_string()),
    ]
}

/// A seeker as the audit needs them: their record, skill keys (sorted) and groups.
struct Audited {
    seeker: Seeker,
    skill_keys: Vec<String>,
    groups: [GroupKey; 5],
}

impl Audited {
    /// Whether the pair is qualified (see [`QUALIFIED`]); `posting_keys` are the posting's.
    fn qualifies_for(
        &self,
        posting: &Posting,
        posting_keys: &[String],
        default_reach_km: f64,
    ) -> bool {
        let reach = self.seeker.max_commute_km.unwrap_or(default_reach_km);
        posting_keys
            .iter()
            .all(|key| self.skill_keys.binary_search(key).is_ok())
            && haversine_km(posting.place.point, self.seeker.home.point) <= reach
    }
}

/// Every stored record of `collection` in `sidos` (`None`: anywhere) and `regions` (none: any).
async fn records_in<T: serde::de::DeserializeOwned + Send + 'static>(
    matcher: &Matcher,
    collection: Collection,
    sidos: &Option<Vec<String>>,
    regions: &[&Region],
    place: impl Fn(&T) -> &crate::domain::Place,
) -> Result<Vec<(T, serde_json::Map<String, serde_json::Value>)>> {
    let filters = match sidos {
        Some(sidos) if sidos.is_empty() => return Ok(Vec::new()),
        Some(sidos) => vec![FieldFilter::AnyOf {
            field: fields::SIDO_CODE,
            values: sidos.clone(),
        }],
        None => Vec::new(),
    };
    let store = matcher.engine().store.clone();
    let mut found = Vec::new();
    let mut cursor: Option<ScanCursor> = None;
    loop {
        let (page, next) = {
            let (store, filters) = (store.clone(), filters.clone());
            blocking(move || store.scan(collection, &filters, cursor, PAGE)).await?
        };
        for doc in page {
            let record: T = from_payload(&doc.payload)?;
            if in_any(place(&record), regions) {
                found.push((record, doc.payload));
            }
        }
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(found),
        }
    }
}

/// The stored skill keys of a seeker's payload (sorted, as stored).
fn stored_skill_keys(payload: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut keys: Vec<String> = payload
        .get(fields::SKILL_KEYS)
        .and_then(|v| v.as_array())
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    keys
}

/// A uniform sample of `n` of `items` (all when there are no more), in their stored order.
fn sample<T>(items: Vec<T>, n: usize, seed: u64) -> Vec<T> {
    if items.len() <= n {
        return items;
    }
    let mut rng = crate::rng::SplitMix(seed);
    let mut order: Vec<usize> = (0..items.len()).collect();
    for i in 0..n {
        let j = i + rng.below(items.len() - i);
        order.swap(i, j);
    }
    let mut chosen: Vec<usize> = order[..n].to_vec();
    chosen.sort_unstable();
    let chosen: HashSet<usize> = chosen.into_iter().collect();
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| chosen.contains(i))
        .map(|(_, item)| item)
        .collect()
}

/// Counts, per posting, each group's qualified pairs and how many of them `exposed` holds.
fn clusters(
    qualified: &[(String, Vec<usize>)],
    seekers: &[Audited],
    exposed: &HashMap<String, HashSet<String>>,
) -> (Vec<Cluster>, BTreeMap<GroupKey, usize>) {
    let mut members: BTreeMap<GroupKey, HashSet<usize>> = BTreeMap::new();
    let mut out = Vec::with_capacity(qualified.len());
    for (posting_id, indices) in qualified {
        let Some(shown) = exposed.get(posting_id) else {
            continue; // not ranked (deleted meanwhile)
        };
        let mut cluster = Cluster::new();
        for &i in indices {
            let hit = u32::from(shown.contains(&seekers[i].seeker.id));
            for key in &seekers[i].groups {
                let entry = cluster.entry(key.clone()).or_default();
                entry.0 += 1;
                entry.1 += hit;
                members.entry(key.clone()).or_default().insert(i);
            }
        }
        out.push(cluster);
    }
    let counts = members.into_iter().map(|(k, v)| (k, v.len())).collect();
    (out, counts)
}

/// Runs the audit for a caller bound to `scope`: PERMISSION_DENIED when a requested region lies
/// outside it.
pub async fn exposure_audit(
    matcher: Arc<Matcher>,
    request: &AuditRequest,
    scope: &Scope,
) -> Result<ExposureAudit> {
    let gazetteer = Gazetteer::builtin();
    let regions = gazetteer.lookup_all(&request.regions)?;
    scope.require(&regions, "regions")?;
    let sidos = scope.narrow(&regions);
    let postings: Vec<Posting> = records_in(
        &matcher,
        Collection::Postings,
        &sidos,
        &regions,
        |p: &Posting| &p.place,
    )
    .await?
    .into_iter()
    .map(|(p, _)| p)
    .collect();
    let postings_total = postings.len();
    let postings = sample(postings, request.max_postings, request.seed);
    let today = chrono::Utc::now().date_naive().to_string();
    let year = crate::domain::this_year();
    let seekers: Vec<Audited> = records_in(
        &matcher,
        Collection::Seekers,
        &sidos,
        &regions,
        |s: &Seeker| &s.home,
    )
    .await?
    .into_iter()
    .map(|(seeker, payload)| Audited {
        groups: groups_of(&seeker, year, &today),
        skill_keys: stored_skill_keys(&payload),
        seeker,
    })
    .collect();
    let default_reach_km = matcher.default_fusion().decay_scale_km;
    let vocabulary = matcher.engine().vocabulary.clone();
    let qualified: Vec<(String, Vec<usize>)> = postings
        .iter()
        .map(|posting| {
            let keys = vocabulary.posting_keys(posting);
            let fits = seekers
                .iter()
                .enumerate()
                .filter(|(_, s)| s.qualifies_for(posting, &keys, default_reach_km))
                .map(|(i, _)| i)
                .collect();
            (posting.id.clone(), fits)
        })
        .collect();

    let ranked = top_k_of_each(&matcher, &postings, &request.ranking).await?;
    let (ranking_clusters, ranking_seekers) = clusters(&qualified, &seekers, &ranked);
    let mut tables = vec![AuditTable {
        source: "ranking",
        postings: ranking_clusters.len(),
        groups: group_figures(
            &ranking_clusters,
            &ranking_seekers,
            MIN_GROUP_SEEKERS,
            RESAMPLES,
            request.seed,
        ),
    }];
    let mut notes = Vec::new();
    if let Some(plan) = request.plan {
        if postings.len() > plan.max_postings {
            notes.push(format!(
                "plan: {} postings are over the {} one MatchRegion plan may hold \
                 (--max-region-postings); audit a region or fewer postings",
                postings.len(),
                plan.max_postings
            ));
        } else if !postings.is_empty() {
            let planned = planned_lists(&matcher, &postings, &request.ranking, plan).await?;
            let (plan_clusters, plan_seekers) = clusters(&qualified, &seekers, &planned);
            tables.push(AuditTable {
                source: "plan",
                postings: plan_clusters.len(),
                groups: group_figures(
                    &plan_clusters,
                    &plan_seekers,
                    MIN_GROUP_SEEKERS,
                    RESAMPLES,
                    request.seed,
                ),
            });
        }
    }
    match matcher.outcome_log() {
        Some(log) => {
            let events = blocking(move || log.events()).await?;
            tables.push(outcome_table(
                &events,
                &postings_in(&sidos),
                &seekers,
                year,
                request.seed,
            ));
        }
        None => notes.push("outcomes: this server keeps no outcome log".into()),
    }
    Ok(ExposureAudit {
        postings_audited: postings.len(),
        postings_total,
        seekers: seekers.len(),
        k: request.k,
        tables,
        notes,
    })
}

/// Which outcome events the audit covers: those of postings in `sidos` (`None`: all).
fn postings_in(sidos: &Option<Vec<String>>) -> impl Fn(&str) -> bool + '_ {
    move |sido| sidos.as_ref().is_none_or(|s| s.iter().any(|c| c == sido))
}

/// Placement rates per group over the pairs with a recorded outcome in the audited regions (a
/// pair's latest event counts: hired or not). Erased seekers count in their age band only.
fn outcome_table(
    events: &[crate::outcomes::OutcomeEvent],
    covers: &dyn Fn(&str) -> bool,
    seekers: &[Audited],
    year: i32,
    seed: u64,
) -> AuditTable {
    let by_id: HashMap<&str, &Audited> =
        seekers.iter().map(|s| (s.seeker.id.as_str(), s)).collect();
    let mut per_posting: BTreeMap<&str, Cluster> = BTreeMap::new();
    let mut members: BTreeMap<GroupKey, HashSet<&str>> = BTreeMap::new();
    for event in latest_per_pair(events)
        .into_iter()
        .filter(|e| covers(&e.sido_code))
    {
        let groups: Vec<GroupKey> = match by_id.get(event.seeker_id.as_str()) {
            Some(audited) => audited.groups.to_vec(),
            None if event.seeker_id.starts_with(ERASED_PREFIX) => {
                let young = event.youth()
                    || event
                        .seeker_birth_year
                        .is_some_and(|b| year - b as i32 <= 34);
                vec![(
                    "age_band",
                    if young {
                        "34_or_younger"
                    } else {
                        "35_or_older"
                    }
                    .to_string(),
                )]
            }
            None => continue, // a seeker outside the audited regions
        };
        let hired = u32::from(event.stage == Stage::Hired);
        let cluster = per_posting.entry(event.posting_id.as_str()).or_default();
        for key in groups {
            let entry = cluster.entry(key.clone()).or_default();
            entry.0 += 1;
            entry.1 += hired;
            members
                .entry(key)
                .or_default()
                .insert(event.seeker_id.as_str());
        }
    }
    let seekers_per_group = members.into_iter().map(|(k, v)| (k, v.len())).collect();
    let clusters: Vec<Cluster> = per_posting.into_values().collect();
    AuditTable {
        source: "outcomes",
        postings: clusters.len(),
        groups: group_figures(
            &clusters,
            &seekers_per_group,
            MIN_GROUP_SEEKERS,
            RESAMPLES,
            seed,
        ),
    }
}

/// The top k seeker ids of each posting's ranking, a few rankings at a time. A posting deleted
/// meanwhile is left out.
async fn top_k_of_each(
    matcher: &Arc<Matcher>,
    postings: &[Posting],
    ranking: &RankingRequest,
) -> Result<HashMap<String, HashSet<String>>> {
    let mut ranked = HashMap::with_capacity(postings.len());
    for chunk in postings.chunks(PARALLEL_RANKINGS) {
        let mut tasks = tokio::task::JoinSet::new();
        for posting in chunk {
            let (matcher, ranking, id) = (matcher.clone(), ranking.clone(), posting.id.clone());
            tasks.spawn(async move {
                let answer = matcher
                    .recommend_candidates(&id, &ranking, Vec::new())
                    .await;
                (id, answer)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (id, answer) =
                joined.map_err(|e| Error::Store(format!("an audit ranking failed: {e}")))?;
            match answer {
                Ok(rec) => {
                    let top = rec.results.iter().map(|s| s.item.id.clone()).collect();
                    ranked.insert(id, top);
                }
                Err(Error::NotFound { .. }) => {}
                Err(other) => return Err(other),
            }
        }
    }
    Ok(ranked)
}

/// The shortlists of one MatchRegion plan over `postings`, by posting id.
async fn planned_lists(
    matcher: &Matcher,
    postings: &[Posting],
    ranking: &RankingRequest,
    plan: PlanSettings,
) -> Result<HashMap<String, HashSet<String>>> {
    let mut ranking = ranking.clone();
    ranking.top_k = plan.candidates;
    let request = RegionRequest {
        posting_ids: postings.iter().map(|p| p.id.clone()).collect(),
        regions: Vec::new(),
        k: plan.k,
        max_lists_per_seeker: plan.max_lists_per_seeker,
        ranking,
        filters: Vec::new(),
        max_postings: plan.max_postings,
    };
    let planned = matcher.match_region(&request).await?;
    Ok(planned
        .shortlists
        .into_iter()
        .map(|list| {
            let ids = list.seekers.into_iter().map(|s| s.item.id).collect();
            (list.posting.id, ids)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_from_the_fields_jobmatch_holds() {
        let mut seeker = Seeker {
            id: "s1".into(),
            display_name: String::new(),
            headline: String::new(),
            resume: String::new(),
            skills: Vec::new(),
            home: crate::domain::Place {
                input: crate::domain::LocationInput::Region("경기도 평택시".into()),
                point: crate::domain::GeoPoint {
                    lat: 37.0,
                    lon: 127.0,
                },
                region_code: "41220".into(),
                sido_code: "41".into(),
                region_name: "경기도 평택시".into(),
            },
            max_commute_km: None,
            education_track: EducationTrack::MilitaryService,
            birth_year: Some(1990),
            available_from: None,
            discharge_date: None,
            interests: None,
        };
        let names = |s: &Seeker| {
            groups_of(s, 2026, "2026-12-07")
                .iter()
                .map(|(_, g)| g.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&seeker),
            [
                "35_or_older",
                "military_service",
                "serving",
                "capital_region",
                "not_stated"
            ]
        );
        seeker.birth_year = Some(1992); // 34 in 2026
        seeker.discharge_date = Some("2026-01-31".into());
        seeker.home.sido_code = "44".into();
        seeker.max_commute_km = Some(20.0);
        assert_eq!(
            names(&seeker),
            [
                "34_or_younger",
                "military_service",
                "discharged",
                "elsewhere",
                "stated"
            ]
        );
        seeker.birth_year = None;
        seeker.discharge_date = None;
        seeker.education_track = EducationTrack::JuniorCollege;
        assert_eq!(
            names(&seeker),
            ["unknown", "junior_college", "none", "elsewhere", "stated"]
        );
    }

    #[test]
    fn a_sample_is_uniform_without_repeats_and_repeats_with_its_seed() {
        let items: Vec<u32> = (0..100).collect();
        let a = sample(items.clone(), 10, 7);
        assert_eq!(a, sample(items.clone(), 10, 7));
        assert_eq!(a.len(), 10);
        assert!(
            a.windows(2).all(|w| w[0] < w[1]),
            "stored order, no repeats"
        );
        assert_eq!(sample(items.clone(), 200, 7), items);
    }
}
