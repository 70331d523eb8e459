//! The backend-neutral half of the store: what both backends ([`super::edge`] and
//! [`super::server`]) store and ask, built once here and lowered by each into its own types.
//!
//! - the schema: vector names, point ids, payload indexes, the stored model's identity;
//! - filters: [`FieldFilter`]s lowered to a small tree of [`Clause`]s (the seeker's own commute
//!   becomes one `should` group per commute bucket; record ids become their collection's points);
//! - the candidate plan: which lists a ranked search fetches ([`candidate_lists`]), how their
//!   answers merge and which scores are still to read ([`Found`]);
//! - the choice of query words ([`weightiest_by`], [`TermCounts`]), given each word's document
//!   count;
//! - scan cursors ([`scan_start`], [`scan_cursor`]).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CandidateQuery, Collection, FieldFilter, ScanCursor};
use crate::domain::{fields, GeoPoint, COMMUTE_BUCKETS_KM};
use crate::embed::ModelInfo;
use crate::error::{Error, Result};
use crate::lexical::{Analyser, SparseTerms};

/// Name of the dense vector in every point.
pub const DENSE: &str = "dense";
/// Name of the sparse (BM25) vector; Qdrant applies the IDF of the stored collection to it.
pub const LEXICAL: &str = "lexical";
/// Payload key holding the record id (point ids are derived from it).
pub const ID_FIELD: &str = fields::RECORD_ID;

/// The payload fields ranking reads of a candidate ([`super::CandidatePayload::Ranking`]): its
/// id, place, skills, a posting's sector and certification, a seeker's exact commute.
pub const RANKING_FIELDS: [&str; 7] = [
    ID_FIELD,
    fields::GEO,
    fields::SIDO_CODE,
    fields::SKILL_KEYS,
    fields::SECTOR,
    fields::CERTIFIED,
    fields::RECORD_COMMUTE_KM,
];

/// Deterministic point id of a record id (UUIDv5 in a per-collection namespace): the same on
/// every backend, so a scan cursor or a point means the same record everywhere.
pub fn point_uuid(collection: Collection, id: &str) -> Uuid {
    let namespace = Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("jobmatch/{}", collection.name()).as_bytes(),
    );
    Uuid::new_v5(&namespace, id.as_bytes())
}

/// The type of a payload index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Geo,
    Keyword,
    Integer,
    Bool,
}

/// Payload fields indexed per collection, so filters run inside the index.
pub fn indexed_fields(collection: Collection) -> Vec<(&'static str, IndexKind)> {
    let mut list = vec![
        (fields::GEO, IndexKind::Geo),
        (fields::SIDO_CODE, IndexKind::Keyword),
        (fields::SKILL_KEYS, IndexKind::Keyword),
        (ID_FIELD, IndexKind::Keyword),
    ];
    match collection {
        Collection::Postings => list.extend([
            (fields::SECTOR, IndexKind::Keyword),
            (fields::EMPLOYMENT_TYPE, IndexKind::Keyword),
            (fields::CERTIFIED, IndexKind::Bool),
        ]),
        Collection::Seekers => list.extend([
            (fields::EDUCATION_TRACK, IndexKind::Keyword),
            (fields::BIRTH_YEAR, IndexKind::Integer),
            (fields::AVAILABLE_DAY, IndexKind::Integer),
            (fields::DISCHARGE_DAY, IndexKind::Integer),
            (fields::COMMUTE_BUCKET, IndexKind::Integer),
        ]),
    }
    list
}

/// What made the stored vectors; a server started with another model is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredModel {
    pub name: String,
    pub dimension: usize,
    /// SHA-256 of the weight file (empty when the embedder has none, or for data written before it was recorded).
    #[serde(default)]
    pub weights_sha256: String,
    /// The analyser that made the word (sparse) vectors; `None` in data written before they existed.
    #[serde(default)]
    pub analyser: Option<String>,
}

impl StoredModel {
    pub fn of(model: &ModelInfo, analyser: Analyser) -> Self {
        Self {
            name: model.name.clone(),
            dimension: model.dimension,
            weights_sha256: model.weights_sha256.clone(),
            analyser: Some(analyser.name().to_string()),
        }
    }

    /// Same name, dimension and analyser, and the same weights where both sides know their hash.
    pub fn matches(&self, other: &StoredModel) -> bool {
        self.name == other.name
            && self.dimension == other.dimension
            && (self.weights_sha256.is_empty()
                || other.weights_sha256.is_empty()
                || self.weights_sha256 == other.weights_sha256)
            && self.analyser == other.analyser
    }

    pub fn describe(&self) -> String {
        let hash = if self.weights_sha256.is_empty() {
            "unknown".to_string()
        } else {
            self.weights_sha256.chars().take(12).collect()
        };
        format!(
            "'{}' (dimension {}, weights {hash}, word analyser {})",
            self.name,
            self.dimension,
            self.analyser
                .as_deref()
                .unwrap_or("none: written before word vectors")
        )
    }

    /// Refuses to serve `wanted` over vectors made by `self` (found at `place`), naming both.
    pub fn check_serves(&self, wanted: &StoredModel, place: &str) -> Result<()> {
        if self.matches(wanted) {
            return Ok(());
        }
        Err(Error::FailedPrecondition(format!(
            "the store holds vectors of model {} (in {place}), but the server was started with \
             model {}; start with the same model, or re-index to the new one (jobmatch reindex --model DIR)",
            self.describe(),
            wanted.describe(),
        )))
    }
}

/// One condition of a lowered filter; the clauses of a list are AND-ed.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// The keyword field equals one of the values.
    KeywordIn {
        field: &'static str,
        values: Vec<String>,
    },
    /// The integer field equals the value.
    IntegerIs { field: &'static str, value: i64 },
    /// The integer field lies in the inclusive range.
    IntegerRange {
        field: &'static str,
        min: Option<i64>,
        max: Option<i64>,
    },
    /// The boolean field has the value.
    BoolIs { field: &'static str, value: bool },
    /// The record's location lies within `meters` of `center`.
    GeoRadius { center: GeoPoint, meters: f64 },
    /// At least one of the groups holds (each group's clauses AND-ed).
    AnyGroup(Vec<Vec<Clause>>),
    /// The point is one of these (none: no point is).
    HasPoint(Vec<Uuid>),
}

/// The clauses of `filters` on `collection` (whose namespace record ids' points are in), to be
/// AND-ed.
pub fn lower_filters(collection: Collection, filters: &[FieldFilter]) -> Vec<Clause> {
    filters
        .iter()
        .map(|filter| lower_filter(collection, filter))
        .collect()
}

fn lower_filter(collection: Collection, filter: &FieldFilter) -> Clause {
    match filter {
        FieldFilter::Ids(ids) => {
            Clause::HasPoint(ids.iter().map(|id| point_uuid(collection, id)).collect())
        }
        FieldFilter::AnyOf { field, values } => Clause::KeywordIn {
            field,
            values: values.clone(),
        },
        FieldFilter::IntRange { field, min, max } => Clause::IntegerRange {
            field,
            min: *min,
            max: *max,
        },
        FieldFilter::Is { field, value } => Clause::BoolIs {
            field,
            value: *value,
        },
        FieldFilter::WithinKm { center, km } => Clause::GeoRadius {
            center: *center,
            meters: km * 1000.0,
        },
        FieldFilter::CommuteReaches { center } => commute_reaches(*center),
    }
}

/// Stated no commute (bucket 0), or one bucket's radius around `center` and that bucket: one
/// group per bucket, so the seeker's own limit is checked inside the index.
fn commute_reaches(center: GeoPoint) -> Clause {
    let bucket = |value: u32| Clause::IntegerIs {
        field: fields::COMMUTE_BUCKET,
        value: i64::from(value),
    };
    let mut groups = vec![vec![bucket(0)]];
    for km in COMMUTE_BUCKETS_KM {
        groups.push(vec![
            bucket(km),
            Clause::GeoRadius {
                center,
                meters: f64::from(km) * 1000.0,
            },
        ]);
    }
    Clause::AnyGroup(groups)
}

/// Which vector a candidate list searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Nearest by meaning (the query's dense vector).
    Meaning,
    /// Best by shared words (the query's sparse terms; the store applies IDF).
    Words,
}

impl Signal {
    /// The stored vector's name.
    pub fn vector_name(self) -> &'static str {
        match self {
            Signal::Meaning => DENSE,
            Signal::Words => LEXICAL,
        }
    }
}

/// One list of a ranked search: the `limit` best points by `signal` under `clauses`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub signal: Signal,
    pub clauses: Vec<Clause>,
    pub limit: usize,
}

/// The lists a [`CandidateQuery`] on `collection` fetches, in the order [`Found::merge`]
/// expects: by meaning, by meaning near the origin (when asked), by words (when the query has
/// any).
pub fn candidate_lists(collection: Collection, query: &CandidateQuery) -> Vec<ListQuery> {
    let limit = query.prefetch.max(1);
    let clauses = lower_filters(collection, &query.filters);
    let mut lists = vec![ListQuery {
        signal: Signal::Meaning,
        clauses: clauses.clone(),
        limit,
    }];
    if let Some(km) = query.near_km {
        let mut near = clauses.clone();
        near.push(Clause::GeoRadius {
            center: query.origin,
            meters: km * 1000.0,
        });
        lists.push(ListQuery {
            signal: Signal::Meaning,
            clauses: near,
            limit,
        });
    }
    if !query.lexical.is_empty() {
        lists.push(ListQuery {
            signal: Signal::Words,
            clauses,
            limit,
        });
    }
    lists
}

/// The points a ranked search found, each once in the order first found, with the word scores
/// and the similarities the lists gave, and those read afterwards ([`Found::add_scores`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub points: Vec<Uuid>,
    pub word_scores: HashMap<Uuid, f64>,
    pub similarities: HashMap<Uuid, f64>,
}

impl Found {
    /// Merges the answers of `lists` (one per list, as (point, score) pairs).
    pub fn merge(lists: &[ListQuery], answers: Vec<Vec<(Uuid, f32)>>) -> Self {
        let mut found = Found::default();
        let mut seen = HashSet::new();
        for (list, answer) in lists.iter().zip(answers) {
            for (point, score) in answer {
                found
                    .scores_mut(list.signal)
                    .insert(point, f64::from(score));
                if seen.insert(point) {
                    found.points.push(point);
                }
            }
        }
        found
    }

    fn scores_mut(&mut self, signal: Signal) -> &mut HashMap<Uuid, f64> {
        match signal {
            Signal::Words => &mut self.word_scores,
            Signal::Meaning => &mut self.similarities,
        }
    }

    /// What is left to score, per signal of `signals` that `query` can score (words only when
    /// it has some): the points found without that signal's score (the words of those found by
    /// meaning only, the meaning of those found by words only). Signals with nothing left are
    /// left out. A backend reads these scores by restricting the query to the points, then
    /// [`Found::add_scores`].
    pub fn unscored(&self, query: &CandidateQuery, signals: &[Signal]) -> Vec<(Signal, Vec<Uuid>)> {
        signals
            .iter()
            .filter(|&&signal| signal == Signal::Meaning || !query.lexical.is_empty())
            .filter_map(|&signal| {
                let scores = match signal {
                    Signal::Words => &self.word_scores,
                    Signal::Meaning => &self.similarities,
                };
                let points: Vec<Uuid> = self
                    .points
                    .iter()
                    .copied()
                    .filter(|p| !scores.contains_key(p))
                    .collect();
                (!points.is_empty()).then_some((signal, points))
            })
            .collect()
    }

    /// Records scores of `signal` read for points the lists left unscored; a point absent from
    /// `scores` keeps none (for words: it shares no query word, and scores 0).
    pub fn add_scores(&mut self, signal: Signal, scores: impl IntoIterator<Item = (Uuid, f64)>) {
        self.scores_mut(signal).extend(scores);
    }

    /// A found point as a candidate, with its word score (0: it shares no query word).
    pub fn candidate(
        &self,
        point: Uuid,
        doc: super::StoredDoc,
        facts: Option<std::sync::Arc<crate::domain::CandidateFacts>>,
    ) -> super::Candidate {
        super::Candidate {
            lexical_score: self.word_scores.get(&point).copied().unwrap_or(0.0),
            similarity: self.similarities.get(&point).copied(),
            doc,
            facts,
        }
    }
}

/// Where a scan starts: the point its `cursor` names (None: the beginning).
pub fn scan_start(cursor: Option<&ScanCursor>) -> Result<Option<Uuid>> {
    cursor
        .map(|c| {
            Uuid::parse_str(&c.0)
                .map_err(|e| Error::Store(format!("bad scan cursor '{}': {e}", c.0)))
        })
        .transpose()
}

/// The cursor of a scan page that continues at point `next`.
pub fn scan_cursor(next: Uuid) -> ScanCursor {
    ScanCursor(next.to_string())
}

/// The IDF Qdrant's `Idf` modifier gives a term held by `with` of `documents` documents.
pub fn idf(documents: usize, with: u32) -> f64 {
    let (n, df) = (documents as f64, f64::from(with));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Whether a cap of `max` query words keeps every one of `terms` (0: no cap), so nothing needs
/// counting.
pub fn keeps_every_term(terms: &SparseTerms, max: usize) -> bool {
    max == 0 || terms.indices.len() <= max
}

/// What choosing query words needs of a collection: how many documents it holds, and how many
/// of them hold each asked term (a term absent: none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    pub documents: usize,
    pub holding: HashMap<u32, u32>,
}

impl TermCounts {
    /// How many documents hold `term`.
    pub fn of(&self, term: u32) -> u32 {
        self.holding.get(&term).copied().unwrap_or(0)
    }

    /// The query `terms` that weigh most among these counts, at most `max` (see
    /// [`weightiest_by`]).
    pub fn weightiest(&self, terms: &SparseTerms, max: usize) -> SparseTerms {
        weightiest_by(terms, max, self.documents, |term| self.of(term))
    }
}

/// The query `terms` that weigh most in the query, at most `max` (0, or no more terms than that:
/// all of them, unchanged), in term order. A term weighs its query weight (its saturated
/// frequency in the origin's text) times its IDF among `documents` stored documents, as it
/// weighs in the BM25 score: a long text's rarest words are mostly its noise, while the words it
/// repeats are its subject. Terms no document holds (by `documents_with`) are dropped first, as
/// they cannot score; ties keep the lower term id.
pub fn weightiest_by(
    terms: &SparseTerms,
    max: usize,
    documents: usize,
    documents_with: impl Fn(u32) -> u32,
) -> SparseTerms {
    if keeps_every_term(terms, max) {
        return terms.clone();
    }
    let mut kept: Vec<(f64, u32, f32)> = terms
        .indices
        .iter()
        .zip(&terms.values)
        .filter_map(|(&term, &value)| {
            let with = documents_with(term);
            (with > 0).then(|| (f64::from(value) * idf(documents, with), term, value))
        })
        .collect();
    if kept.len() > max {
        kept.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        kept.truncate(max);
    }
    kept.sort_unstable_by_key(|&(_, term, _)| term);
    SparseTerms {
        indices: kept.iter().map(|&(_, term, _)| term).collect(),
        values: kept.iter().map(|&(_, _, value)| value).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(near_km: Option<f64>, words: bool) -> CandidateQuery {
        CandidateQuery {
            vector: vec![1.0, 0.0],
            origin: GeoPoint {
                lat: 37.5,
                lon: 127.0,
            },
            filters: vec![FieldFilter::Is {
                field: fields::CERTIFIED,
                value: true,
            }],
            lexical: if words {
                SparseTerms {
                    indices: vec![3],
                    values: vec![1.0],
                }
            } else {
                SparseTerms::default()
            },
            prefetch: 7,
            near_km,
            payload: crate::store::CandidatePayload::Full,
        }
    }

    #[test]
    fn the_plan_has_one_list_per_signal_asked_for_with_the_filters_in_each() {
        assert_eq!(
            candidate_lists(Collection::Seekers, &query(None, false)).len(),
            1
        );
        let lists = candidate_lists(Collection::Seekers, &query(Some(20.0), true));
        let signals: Vec<Signal> = lists.iter().map(|l| l.signal).collect();
        assert_eq!(signals, [Signal::Meaning, Signal::Meaning, Signal::Words]);
        assert!(lists.iter().all(|l| l.limit == 7));
        assert!(lists.iter().all(|l| l.clauses[0]
            == Clause::BoolIs {
                field: fields::CERTIFIED,
                value: true
            }));
        match lists[1].clauses.last() {
            Some(Clause::GeoRadius { meters, .. }) => assert!((meters - 20_000.0).abs() < 1e-9),
            other => panic!("the near list ends with its radius, got {other:?}"),
        }
    }

    #[test]
    fn a_commute_becomes_one_group_per_bucket_and_one_for_no_commute() {
        let clause = lower_filter(
            Collection::Seekers,
            &FieldFilter::CommuteReaches {
                center: GeoPoint {
                    lat: 35.0,
                    lon: 129.0,
                },
            },
        );
        let Clause::AnyGroup(groups) = clause else {
            panic!("expected a group")
        };
        assert_eq!(groups.len(), COMMUTE_BUCKETS_KM.len() + 1);
        assert_eq!(groups[0].len(), 1);
        for (group, km) in groups[1..].iter().zip(COMMUTE_BUCKETS_KM) {
            assert_eq!(
                group[0],
                Clause::IntegerIs {
                    field: fields::COMMUTE_BUCKET,
                    value: i64::from(km)
                }
            );
            assert!(
                matches!(group[1], Clause::GeoRadius { meters, .. } if (meters - f64::from(km) * 1000.0).abs() < 1e-9)
            );
        }
    }

    #[test]
    fn record_ids_become_the_points_of_their_collection() {
        let ids = FieldFilter::Ids(vec!["s1".into(), "s2".into()]);
        assert_eq!(
            lower_filters(Collection::Seekers, std::slice::from_ref(&ids)),
            [Clause::HasPoint(vec![
                point_uuid(Collection::Seekers, "s1"),
                point_uuid(Collection::Seekers, "s2"),
            ])]
        );
        assert_eq!(
            lower_filter(Collection::Postings, &ids),
            Clause::HasPoint(vec![
                point_uuid(Collection::Postings, "s1"),
                point_uuid(Collection::Postings, "s2"),
            ])
        );
        assert_eq!(
            lower_filter(Collection::Seekers, &FieldFilter::Ids(Vec::new())),
            Clause::HasPoint(Vec::new()),
            "no id: no point"
        );
        let mut asked = query(Some(5.0), true);
        asked.filters.push(ids);
        let lists = candidate_lists(Collection::Seekers, &asked);
        assert!(lists.iter().all(
            |l| matches!(l.clauses.get(1), Some(Clause::HasPoint(points)) if points.len() == 2)
        ));
    }

    #[test]
    fn merging_keeps_first_found_order_once_each_and_scores_only_word_hits() {
        let [a, b, c] = [1u128, 2, 3].map(Uuid::from_u128);
        let asked = query(Some(5.0), true);
        let lists = candidate_lists(Collection::Seekers, &asked);
        let found = Found::merge(
            &lists,
            vec![
                vec![(a, 0.9), (b, 0.8)],
                vec![(b, 0.8)],
                vec![(c, 4.0), (a, 2.0)],
            ],
        );
        assert_eq!(found.points, [a, b, c]);
        assert_eq!(found.word_scores.len(), 2);
        assert!((found.word_scores[&a] - 2.0).abs() < 1e-6);
        assert_eq!(
            found.unscored(&asked, &[Signal::Words]),
            [(Signal::Words, vec![b])]
        );
    }

    #[test]
    fn what_is_left_to_score_is_per_signal_and_words_only_when_the_query_has_some() {
        let [a, b, c] = [1u128, 2, 3].map(Uuid::from_u128);
        let with_words = query(None, true);
        // a by meaning only, b by both, c by words only.
        let lists = candidate_lists(Collection::Seekers, &with_words);
        let mut found = Found::merge(
            &lists,
            vec![vec![(a, 0.75), (b, 0.5)], vec![(c, 3.0), (b, 1.0)]],
        );
        let both = [Signal::Words, Signal::Meaning];
        assert_eq!(
            found.unscored(&with_words, &both),
            [(Signal::Words, vec![a]), (Signal::Meaning, vec![c])]
        );
        assert_eq!(
            found.unscored(&query(None, false), &both),
            [(Signal::Meaning, vec![c])],
            "a query without words has no word scores to read"
        );
        found.add_scores(Signal::Words, [(a, 1.5)]);
        assert_eq!(
            found.unscored(&with_words, &both),
            [(Signal::Meaning, vec![c])]
        );
        let doc = |id: &str| crate::store::StoredDoc {
            id: id.into(),
            vector: Vec::new(),
            lexical: SparseTerms::default(),
            payload: serde_json::Map::new(),
        };
        let scored = found.candidate(a, doc("a"), None);
        assert_eq!((scored.lexical_score, scored.similarity), (1.5, Some(0.75)));
        let by_words = found.candidate(c, doc("c"), None);
        assert_eq!((by_words.lexical_score, by_words.similarity), (3.0, None));
        let nowhere = found.candidate(Uuid::from_u128(9), doc("x"), None);
        assert_eq!(nowhere.lexical_score, 0.0, "no shared word scores 0");
    }

    #[test]
    fn a_scan_cursor_names_the_point_it_continues_at() {
        let point = point_uuid(Collection::Seekers, "s1");
        assert_eq!(scan_start(Some(&scan_cursor(point))).unwrap(), Some(point));
        assert_eq!(scan_start(None).unwrap(), None);
        let bad = scan_start(Some(&ScanCursor("nope".into())))
            .unwrap_err()
            .to_string();
        assert!(bad.contains("bad scan cursor 'nope'"), "{bad}");
    }

    #[test]
    fn counting_is_needed_only_when_the_cap_drops_words() {
        let terms = SparseTerms {
            indices: vec![1, 2, 3],
            values: vec![1.0, 1.0, 1.0],
        };
        assert!(keeps_every_term(&terms, 0));
        assert!(keeps_every_term(&terms, 3));
        assert!(!keeps_every_term(&terms, 2));
        let counts = TermCounts {
            documents: 10,
            holding: HashMap::from([(1, 9), (2, 1)]),
        };
        assert_eq!(counts.of(3), 0);
        assert_eq!(
            counts.weightiest(&terms, 1),
            weightiest_by(&terms, 1, 10, |t| counts.of(t))
        );
        assert_eq!(counts.weightiest(&terms, 1).indices, [2]);
    }

    #[test]
    fn query_words_are_kept_by_weight_not_rarity() {
        // Term 1: held by one document of 1,000, once in the query (a rare stray word).
        // Term 2: held by 50, repeated in the query (its subject). Term 3: held by none.
        let query = SparseTerms {
            indices: vec![1, 2, 3],
            values: vec![1.0, 1.9, 2.0],
        };
        let counts = |t: u32| match t {
            1 => 1,
            2 => 50,
            _ => 0,
        };
        assert!(
            1.9 * idf(1000, 50) < idf(1000, 1),
            "rarity alone would keep the stray word"
        );
        let heavier = SparseTerms {
            values: vec![1.0, 4.0, 2.0],
            ..query.clone()
        };
        assert_eq!(weightiest_by(&heavier, 1, 1000, counts).indices, [2]);
        assert_eq!(weightiest_by(&query, 1, 1000, counts).indices, [1]);
        assert_eq!(weightiest_by(&query, 2, 1000, counts).indices, [1, 2]);
        assert_eq!(
            weightiest_by(&query, 0, 1000, counts),
            query,
            "0: every word"
        );
        assert_eq!(
            weightiest_by(&query, 3, 1000, counts),
            query,
            "no more words than the cap"
        );
        assert!(idf(1000, 1) > idf(1000, 50) && idf(1000, 50) > idf(1000, 900));
    }

    #[test]
    fn point_ids_differ_by_collection_and_are_stable() {
        let p = point_uuid(Collection::Postings, "x1");
        assert_eq!(p, point_uuid(Collection::Postings, "x1"));
        assert_ne!(p, point_uuid(Collection::Seekers, "x1"));
    }
}
