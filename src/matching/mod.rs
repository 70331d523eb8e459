//! The use cases: ingest, read, delete and recommend. No transport types here: the gRPC adapter
//! and the command line both call these.

pub mod audit;
mod facts;
pub mod lookup;
pub mod outcomes;
pub mod reindex;
pub mod scope;

pub use scope::Scope;
pub mod shortlists;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use tracing::instrument;

use crate::domain::{
    commute_bucket, fields, from_payload, CandidateFacts, GeoPoint, Place, Posting, Seeker,
};
use crate::embed::{EmbeddingService, TextKind};
use crate::error::{Error, Result};
use crate::lexical::Analyser;
use crate::outcomes::{OutcomeEvent, OutcomeLog, Stage, Subject};
use crate::programmes::{ProgrammeFit, Programmes, Today};
use crate::ranking::{
    applied_boosts, cosine, haversine_km, offer_order, rank, strength_over, CommutePolicy,
    FusionParams, ScoreBreakdown, Signals, SimilarityReference,
};
use crate::skills::{shared_share, SkillMatch, Vocabulary};
use crate::store::access_log::{AccessLog, AccessRecord};
use crate::store::sample::CorpusSamples;
use crate::store::{
    Candidate, CandidatePayload, CandidateQuery, Collection, FieldFilter, GenerationId,
    Generations, StoredDoc, VectorStore,
};
use facts::Origin;

/// A recommended record with the numbers behind its rank.
#[derive(Debug, Clone)]
pub struct Scored<T> {
    pub item: T,
    pub breakdown: ScoreBreakdown,
    pub explanation: Explanation,
    /// Farther than the seeker's own max commute: offered only because too few matches lie
    /// within reach (see [`RankingSettings::beyond_commute`]).
    pub beyond_commute: bool,
    /// Support programmes the pair meets, then those it misses by one condition.
    pub programmes: Vec<ProgrammeFit>,
}

/// Why a pair was proposed: facts a counsellor can check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explanation {
    pub skills: SkillMatch,
    pub posting_region: String,
    pub seeker_region: String,
    /// One line built from the facts (no generated prose).
    pub reason: String,
}

fn region_label(place: &Place) -> String {
    if place.region_name.is_empty() {
        format!("{:.3}, {:.3}", place.point.lat, place.point.lon)
    } else {
        place.region_name.clone()
    }
}

/// Builds the explanation of one posting–seeker pair.
pub fn explain(
    vocabulary: &Vocabulary,
    posting: &Posting,
    seeker: &Seeker,
    seeker_keys: &[String],
    breakdown: &ScoreBreakdown,
) -> Explanation {
    let skills = vocabulary.compare_keys(posting, seeker_keys);
    let mut parts = Vec::new();
    let required = skills.matched.len() + skills.missing.len();
    if required > 0 {
        let mut text = format!("skills {}/{required}", skills.matched.len());
        if !skills.matched.is_empty() {
            text.push_str(&format!(" ({})", skills.matched.join(", ")));
        }
        if !skills.missing.is_empty() {
            text.push_str(&format!(", missing {}", skills.missing.join(", ")));
        }
        parts.push(text);
    }
    let posting_region = region_label(&posting.place);
    let seeker_region = region_label(&seeker.home);
    parts.push(format!(
        "{:.1} km ({seeker_region} → {posting_region})",
        breakdown.distance_km
    ));
    match breakdown.match_strength {
        Some(z) => parts.push(format!(
            "similarity {:.3} ({z:+.1}σ)",
            breakdown.semantic_similarity
        )),
        None => parts.push(format!("similarity {:.3}", breakdown.semantic_similarity)),
    }
    if breakdown.lexical_score > 0.0 {
        parts.push(format!("shared words {:.2}", breakdown.lexical_score));
    }
    if !breakdown.boosts_applied.is_empty() {
        parts.push(format!(
            "boost +{:.2} ({})",
            breakdown.boost,
            breakdown.boosts_applied.join(", ")
        ));
    }
    Explanation {
        skills,
        posting_region,
        seeker_region,
        reason: parts.join(" · "),
    }
}

/// A ranked list and the parameters that produced it.
#[derive(Debug, Clone)]
pub struct Recommendation<O, T> {
    pub origin: O,
    pub fusion: FusionParams,
    pub results: Vec<Scored<T>>,
    /// No candidate within the seekers' commutes cleared the relevance floor (the results, if
    /// any, all lie beyond it and say so).
    pub nothing_within_reach: bool,
}

/// What a recommendation request asks for, before defaults are applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RankingRequest {
    pub top_k: usize,
    /// The request's own fusion parameters, over the server's defaults.
    pub fusion: crate::ranking::FusionOverrides,
    /// Add marked matches beyond the seekers' commutes when too few lie within (None: server default).
    pub beyond_commute: Option<bool>,
    pub max_distance_km: Option<f64>,
    /// Propose seekers beyond their own stated max commute.
    pub ignore_seeker_commute: bool,
    pub boosts: crate::ranking::Boosts,
    /// Where both sides must lie (a counsellor's regions).
    pub scope: Scope,
}

/// Defaults and bounds for ranking.
#[derive(Debug, Clone, Copy)]
pub struct RankingSettings {
    pub defaults: FusionParams,
    /// In band fusion, take the semantic floor and ceiling from the model (its similarity band)
    /// rather than `defaults`, when the model has one.
    pub band_from_model: bool,
    /// Candidates fetched per list (meaning, words, near the origin) before scoring (at least
    /// `top_k`).
    pub prefetch: usize,
    /// Words of the origin's text the lexical search uses, those that weigh most in it kept
    /// (0: all).
    pub max_query_words: usize,
    /// Radius of the near-origin prefetch in decay scales (0: none; see
    /// [`CandidateQuery::near_km`]).
    pub near_radius: f64,
    /// When fewer than `top_k` results within the seekers' commutes clear the relevance floor,
    /// add the best that do beyond it, marked (unless the request says otherwise).
    pub beyond_commute: bool,
}

/// A model and the store generation whose vectors it made: a re-index swaps both at once.
pub struct Engine {
    pub embedder: EmbeddingService,
    /// How texts become words; the stored sparse vectors were made with it.
    pub analyser: Analyser,
    /// How skills become keys; the stored skill keys were made with it.
    pub vocabulary: Arc<Vocabulary>,
    pub store: Arc<dyn VectorStore>,
    /// The store generation holding the vectors (None for stores without generations).
    pub generation: Option<GenerationId>,
    /// Samples of the stored vectors: the model's similarity distribution over the corpus.
    pub samples: CorpusSamples,
}

/// The future of one mirrored write.
pub(crate) type Mirrored<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// Where a re-index in progress has every write mirrored, so the generation it builds misses
/// none. The re-index's shadow implements it ([`crate::reindex`]); the matcher knows only this
/// hook, not re-indexing. A mirror records its own failures (the re-index then fails).
pub(crate) trait WriteMirror: Send + Sync {
    fn upsert_postings<'a>(&'a self, postings: &'a [Posting]) -> Mirrored<'a>;
    fn upsert_seekers<'a>(&'a self, seekers: &'a [Seeker]) -> Mirrored<'a>;
    fn delete<'a>(&'a self, collection: Collection, id: &'a str) -> Mirrored<'a>;
}

/// A posting or a seeker, as the use cases handle both.
pub(crate) trait Record: Sized + for<'de> serde::Deserialize<'de> {
    const COLLECTION: Collection;
    /// Postings are passages, seekers queries (see [`TextKind`]).
    const TEXT_KIND: TextKind;
    fn id(&self) -> &str;
    fn embedding_text(&self) -> String;
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>>;
    fn place(&self) -> &Place;
    /// The condition this record, as the origin of a recommendation, puts on the other side
    /// through the seeker's own max commute (None: no limit).
    fn commute_filter(&self) -> Option<FieldFilter>;
    /// The record's skill class keys, stored with it (see [`Vocabulary::posting_keys`] and
    /// [`Vocabulary::seeker_keys`]).
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String>;
    /// Hands a batch of this kind to a write mirror.
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a>;
}

impl Record for Posting {
    const COLLECTION: Collection = Collection::Postings;
    const TEXT_KIND: TextKind = TextKind::Passage;
    fn id(&self) -> &str {
        &self.id
    }
    fn embedding_text(&self) -> String {
        Posting::embedding_text(self)
    }
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        Posting::payload(self)
    }
    fn place(&self) -> &Place {
        &self.place
    }
    fn commute_filter(&self) -> Option<FieldFilter> {
        Some(FieldFilter::CommuteReaches {
            center: self.place.point,
        })
    }
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String> {
        vocabulary.posting_keys(self)
    }
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a> {
        mirror.upsert_postings(records)
    }
}

impl Record for Seeker {
    const COLLECTION: Collection = Collection::Seekers;
    const TEXT_KIND: TextKind = TextKind::Query;
    fn id(&self) -> &str {
        &self.id
    }
    fn embedding_text(&self) -> String {
        Seeker::embedding_text(self)
    }
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        Seeker::payload(self)
    }
    fn place(&self) -> &Place {
        &self.home
    }
    fn commute_filter(&self) -> Option<FieldFilter> {
        self.max_commute_km.map(|km| FieldFilter::WithinKm {
            center: self.home.point,
            km: f64::from(commute_bucket(Some(km))),
        })
    }
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String> {
        vocabulary.seeker_keys(self)
    }
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a> {
        mirror.upsert_seekers(records)
    }
}

/// Embeds records with the engine's model and analyser into documents ready to store.
pub(crate) async fn embed_records<R: Record>(
    engine: &Engine,
    records: &[R],
) -> Result<Vec<StoredDoc>> {
    let texts: Vec<String> = records.iter().map(R::embedding_text).collect();
    let lexical = texts
        .iter()
        .map(|t| engine.analyser.document_vector(t))
        .collect::<Vec<_>>();
    let vectors = engine.embedder.embed(texts, R::TEXT_KIND).await?;
    records
        .iter()
        .zip(vectors)
        .zip(lexical)
        .map(|((r, vector), lexical)| {
            Ok(StoredDoc {
                id: r.id().to_string(),
                vector,
                lexical,
                payload: with_skill_keys(r.payload()?, r.skill_keys(&engine.vocabulary)),
            })
        })
        .collect()
}

fn with_skill_keys(
    mut payload: serde_json::Map<String, serde_json::Value>,
    keys: Vec<String>,
) -> serde_json::Map<String, serde_json::Value> {
    payload.insert(fields::SKILL_KEYS.into(), keys.into());
    payload
}

pub struct Matcher {
    /// The serving engine; read on every request, replaced by a re-index's switch.
    active: RwLock<Arc<Engine>>,
    ranking: RankingSettings,
    /// Where re-indexes build new generations (None: re-index unsupported, e.g. unit tests).
    generations: Option<Arc<dyn Generations>>,
    /// While a re-index runs: the engine being built, which every write also reaches. Private
    /// to the use cases in this folder (the re-index installs it).
    mirror: Mutex<Option<Arc<dyn WriteMirror>>>,
    /// Writes hold it shared; installing a shadow and switching take it exclusively, so no
    /// write straddles a change of engine.
    write_gate: tokio::sync::RwLock<()>,
    reindexing: AtomicBool,
    outcomes: Option<Arc<dyn OutcomeLog>>,
    /// Who read or changed whose personal data (see [`crate::store::access_log`]).
    access: Option<Arc<dyn AccessLog>>,
    /// Seeker deletes begun and finished on this replica: an access record need not be checked
    /// against deletes when none ran while its call did (see [`Matcher::record_access`]).
    seeker_deletes: DeleteCounts,
    /// Whether other processes write the same store (a Qdrant server): their deletes are not
    /// counted here, so every access record is checked.
    shared_store: bool,
    /// Held across "check the records exist, then append" and across "delete the record, then
    /// erase it from the log", so on this replica no event of a deleted record is appended
    /// after its erasure. Other replicas are covered by the check after the append (see
    /// [`Matcher::record_outcome`]).
    outcome_writes: tokio::sync::Mutex<()>,
    /// A crash point for recovery tests (see [`crate::failpoint`]).
    failpoint: Option<String>,
    /// The support programmes every recommended pair is checked against.
    programmes: Arc<Programmes>,
}

/// The posting and the seeker of a recommendation's origin and one of its returned results,
/// whichever side each is on (borrowed). Scoring needs less: see [`Origin`].
pub(crate) trait Pair<T>: Origin {
    fn pair<'a>(&'a self, other: &'a T) -> (&'a Posting, &'a Seeker);
}

impl Pair<Seeker> for Posting {
    fn pair<'a>(&'a self, seeker: &'a Seeker) -> (&'a Posting, &'a Seeker) {
        (self, seeker)
    }
}

impl Pair<Posting> for Seeker {
    fn pair<'a>(&'a self, posting: &'a Posting) -> (&'a Posting, &'a Seeker) {
        (posting, self)
    }
}

/// What scoring a request's candidates needs, fixed for the request.
struct Scoring<'a, O> {
    engine: &'a Engine,
    origin: &'a O,
    origin_vector: &'a [f32],
    /// The origin's cosines to the stored records' sample and to the model's reference corpus
    /// (see [`match_strength`]).
    similarity: SimilarityReference<'a>,
    fusion: &'a FusionParams,
    boosts: &'a crate::ranking::Boosts,
}

/// The skill class keys stored with a record (sorted; empty when none were stored).
fn stored_skill_keys(payload: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut keys: Vec<String> = match payload.get(fields::SKILL_KEYS) {
        Some(serde_json::Value::Array(keys)) => keys
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    keys.sort();
    keys
}

/// A candidate scored, before its record is read (see [`Scoring::score`]).
struct Ranked {
    id: String,
    breakdown: ScoreBreakdown,
    beyond_commute: bool,
}

impl<O: Record + Origin> Scoring<'_, O> {
    /// Scores candidates together (see [`rank`]) from their ranking fields alone
    /// ([`CandidateFacts`]); marks those beyond the seeker's commute when `commute_applies`.
    /// Records, explanations and programmes wait for [`Self::describe`]: a request scores
    /// hundreds of candidates and returns a few.
    fn score(&self, candidates: &[Candidate], commute_applies: bool) -> Result<Vec<Ranked>> {
        let origin_keys = self.origin.skill_keys(&self.engine.vocabulary);
        let origin_is_posting = O::COLLECTION == Collection::Postings;
        let origin_point = self.origin.place().point;
        let spread = self.similarity.spread();
        let mut ids = Vec::with_capacity(candidates.len());
        let mut signals = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let decoded;
            let facts = match &candidate.facts {
                Some(facts) => facts.as_ref(),
                None => {
                    decoded = CandidateFacts::of(&candidate.doc.payload)?;
                    &decoded
                }
            };
            let pair = self.origin.pair_facts(facts);
            let distance_km = haversine_km(origin_point, facts.point);
            let (boost, boosts_applied) = applied_boosts(self.boosts, &pair.boosts);
            let skills_share = if origin_is_posting {
                shared_share(&origin_keys, &facts.skill_keys)
            } else {
                shared_share(&facts.skill_keys, &origin_keys)
            };
            let cosine = candidate
                .similarity
                .unwrap_or_else(|| cosine(self.origin_vector, &candidate.doc.vector));
            let beyond_commute = commute_applies
                && pair
                    .commute_km
                    .is_some_and(|km| distance_km > f64::from(commute_bucket(Some(km))));
            signals.push(Signals {
                cosine,
                bm25: candidate.lexical_score,
                distance_km,
                commute_km: pair.commute_km,
                skills_share,
                boost,
                boosts_applied,
                match_strength: strength_over(cosine, spread),
            });
            ids.push((candidate.doc.id.clone(), beyond_commute));
        }
        let breakdowns = rank(&signals, self.fusion);
        Ok(ids
            .into_iter()
            .zip(breakdowns)
            .map(|((id, beyond_commute), breakdown)| Ranked {
                id,
                breakdown,
                beyond_commute,
            })
            .collect())
    }

    /// Reads the records of the results a request returns (in their order) and fills in each
    /// one's explanation and support programmes. A record deleted since it was found is left out.
    async fn describe<T: Record>(
        &self,
        ranked: Vec<Ranked>,
        programmes: &Programmes,
    ) -> Result<Vec<Scored<T>>>
    where
        O: Pair<T>,
    {
        let store = self.engine.store.clone();
        let ids: Vec<String> = ranked.iter().map(|r| r.id.clone()).collect();
        let mut records: HashMap<String, (T, Vec<String>)> =
            blocking(move || store.get_records(T::COLLECTION, &ids))
                .await?
                .iter()
                .map(|doc| {
                    let record = from_payload::<T>(&doc.payload)?;
                    Ok((doc.id.clone(), (record, stored_skill_keys(&doc.payload))))
                })
                .collect::<Result<_>>()?;
        // The seeker's skill keys as the score used them: stored with a candidate seeker,
        // computed once for an origin seeker.
        let origin_keys = match O::COLLECTION {
            Collection::Seekers => self.origin.skill_keys(&self.engine.vocabulary),
            Collection::Postings => Vec::new(),
        };
        let today = chrono::Utc::now().date_naive().to_string();
        let mut results = Vec::with_capacity(ranked.len());
        for Ranked {
            id,
            breakdown,
            beyond_commute,
        } in ranked
        {
            let Some((item, candidate_keys)) = records.remove(&id) else {
                continue;
            };
            let (posting, seeker) = self.origin.pair(&item);
            let seeker_keys = match O::COLLECTION {
                Collection::Seekers => &origin_keys,
                Collection::Postings => &candidate_keys,
            };
            let mut explanation = explain(
                &self.engine.vocabulary,
                posting,
                seeker,
                seeker_keys,
                &breakdown,
            );
            if beyond_commute {
                explanation
                    .reason
                    .push_str(" · beyond the seeker's commute");
            }
            let programmes = programmes.fits(Some(seeker), Some(posting), Today::of(&today));
            results.push(Scored {
                item,
                breakdown,
                explanation,
                beyond_commute,
                programmes,
            });
        }
        Ok(results)
    }
}

/// Reads one record; `NotFound` when it is not stored.
async fn fetch_from(
    store: Arc<dyn VectorStore>,
    collection: Collection,
    id: &str,
) -> Result<StoredDoc> {
    let key = id.to_string();
    blocking(move || store.get(collection, &key))
        .await?
        .ok_or_else(|| Error::NotFound {
            kind: collection.noun(),
            id: id.to_string(),
        })
}

/// The origin's cosines to the corpora a match is judged against: a sample of the stored records
/// of the other side, and the model's reference corpus of that side.
pub(crate) struct OriginSimilarity {
    pub stored: Vec<f64>,
    pub reference: Vec<f64>,
}

impl OriginSimilarity {
    pub fn as_reference(&self) -> SimilarityReference<'_> {
        SimilarityReference {
            stored: &self.stored,
            reference: &self.reference,
        }
    }
}

/// Runs a recommendation's store query: its words cut to the `max_words` that weigh most (`None`:
/// no word list), the candidates, and the origin's similarity to the corpora (for match
/// strength).
async fn search<T: Record>(
    engine: Arc<Engine>,
    mut plan: CandidateQuery,
    max_words: Option<usize>,
) -> Result<(Vec<Candidate>, OriginSimilarity, CandidateQuery)> {
    blocking(move || {
        let store = engine.store.as_ref();
        plan.lexical = match max_words {
            Some(max) => store.weightiest_terms(T::COLLECTION, &plan.lexical, max)?,
            None => Default::default(),
        };
        let stored: Vec<f64> = engine
            .samples
            .vectors(store, T::COLLECTION)?
            .iter()
            .map(|v| cosine(&plan.vector, v))
            .collect();
        let reference_vectors = engine.embedder.reference();
        let reference = match T::COLLECTION {
            Collection::Postings => &reference_vectors.postings,
            Collection::Seekers => &reference_vectors.seekers,
        }
        .iter()
        .map(|v| cosine(&plan.vector, v))
        .collect();
        let within = store.candidates(T::COLLECTION, &plan)?;
        Ok((within, OriginSimilarity { stored, reference }, plan))
    })
    .await
}

/// The candidates of `wider` (the query without the commute condition) not already `within`.
async fn candidates_beyond<T: Record>(
    engine: &Arc<Engine>,
    wider: CandidateQuery,
    within: &[Candidate],
) -> Result<Vec<Candidate>> {
    let store = engine.store.clone();
    let beyond = blocking(move || store.candidates(T::COLLECTION, &wider)).await?;
    let within_ids: HashSet<&str> = within.iter().map(|c| c.doc.id.as_str()).collect();
    Ok(beyond
        .into_iter()
        .filter(|c| !within_ids.contains(c.doc.id.as_str()))
        .collect())
}

/// Runs blocking store work off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Store(format!("store task failed: {e}")))?
}

fn reject_duplicate_ids<'a>(ids: impl Iterator<Item = &'a str>, list: &str) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(Error::invalid(
                format!("{list}[{i}].id"),
                format!("'{id}' appears twice in this batch"),
            ));
        }
    }
    Ok(())
}

impl Matcher {
    pub fn new(
        engine: Engine,
        ranking: RankingSettings,
        generations: Option<Arc<dyn Generations>>,
    ) -> Self {
        Self {
            active: RwLock::new(Arc::new(engine)),
            ranking,
            generations,
            mirror: Mutex::new(None),
            write_gate: tokio::sync::RwLock::new(()),
            reindexing: AtomicBool::new(false),
            outcomes: None,
            access: None,
            seeker_deletes: DeleteCounts::default(),
            shared_store: false,
            outcome_writes: tokio::sync::Mutex::new(()),
            failpoint: None,
            programmes: Arc::new(Programmes::builtin()),
        }
    }

    /// How many candidates each list of a request draws from the store.
    pub(crate) fn ranking_prefetch(&self) -> usize {
        self.ranking.prefetch
    }

    /// Checks recommended pairs against `programmes` (a centre's own) instead of the shipped ones.
    pub fn with_programmes(mut self, programmes: Programmes) -> Self {
        self.programmes = Arc::new(programmes);
        self
    }

    /// The support programmes recommended pairs are checked against.
    pub fn programmes(&self) -> &Programmes {
        &self.programmes
    }

    /// Keeps RecordOutcome events in `log`, and erases deleted records from it.
    pub fn with_outcome_log(mut self, log: Arc<dyn OutcomeLog>) -> Self {
        self.outcomes = Some(log);
        self
    }

    /// Keeps the access records of personal-data calls in `log`, and erases deleted seekers from it.
    pub fn with_access_log(mut self, log: Arc<dyn AccessLog>) -> Self {
        self.access = Some(log);
        self
    }

    /// Says that other processes write the same store (replicas on a Qdrant server).
    pub fn with_shared_store(mut self, shared: bool) -> Self {
        self.shared_store = shared;
        self
    }

    /// Marks what an access record must be checked against: call it before the call reads.
    pub fn access_mark(&self) -> DeleteMark {
        self.seeker_deletes.mark()
    }

    /// Appends an access record durably; a server without an access log keeps none.
    ///
    /// A delete (on this replica or another) may have removed a named seeker after the call read
    /// them and erased the log before this record was in it. A delete removes the record before
    /// it erases, so the named seekers still stored after the append will be reached by any
    /// erasure to come; those gone are erased here. The check reads the named records, so it is
    /// skipped when no seeker delete ran on this replica since `since` (taken before the call
    /// read) and no other process writes the store.
    pub async fn record_access(&self, record: AccessRecord, since: DeleteMark) -> Result<()> {
        let Some(log) = self.access.clone() else {
            return Ok(());
        };
        let named = record.seeker_ids.clone();
        let checks_erasure = record.action != crate::store::access_log::Action::Delete;
        let appender = log.clone();
        blocking(move || appender.append(record)).await?;
        if !checks_erasure || named.is_empty() {
            return Ok(());
        }
        if !self.shared_store && self.seeker_deletes.none_since(since) {
            return Ok(());
        }
        let store = self.engine().store.clone();
        let asked = named.clone();
        let stored = blocking(move || store.get_records(Collection::Seekers, &asked)).await?;
        let stored: std::collections::HashSet<&str> =
            stored.iter().map(|doc| doc.id.as_str()).collect();
        let gone: Vec<String> = named
            .into_iter()
            .filter(|id| !stored.contains(id.as_str()))
            .collect();
        if !gone.is_empty() {
            blocking(move || {
                for id in &gone {
                    log.erase(Subject::Seeker(id))?;
                }
                Ok(())
            })
            .await?;
        }
        Ok(())
    }

    /// The access records naming `seeker_id` (every record: `None`), oldest first, within the
    /// dates `from..=to` (ISO, inclusive; `None`: open).
    pub async fn access_records(
        &self,
        seeker_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Vec<AccessRecord>> {
        crate::domain::check_date_range(from.as_deref(), to.as_deref())?;
        let log = self
            .access
            .clone()
            .ok_or_else(|| Error::FailedPrecondition("this server keeps no access log".into()))?;
        blocking(move || {
            Ok(log
                .events()?
                .into_iter()
                .filter(|r| seeker_id.as_deref().is_none_or(|id| r.names(id)))
                .filter(|r| {
                    let day = r.at.get(..10).unwrap_or_default();
                    from.as_deref().is_none_or(|f| day >= f)
                        && to.as_deref().is_none_or(|t| day <= t)
                })
                .collect())
        })
        .await
    }

    /// Aborts the process at the crash point `name` (see [`crate::failpoint`]).
    pub fn with_failpoint(mut self, name: Option<String>) -> Self {
        self.failpoint = name;
        self
    }

    pub(crate) fn outcome_log(&self) -> Option<Arc<dyn OutcomeLog>> {
        self.outcomes.clone()
    }

    /// The outcome log, or FAILED_PRECONDITION.
    pub(crate) fn require_outcome_log(&self) -> Result<Arc<dyn OutcomeLog>> {
        self.outcome_log()
            .ok_or_else(|| Error::FailedPrecondition("this server keeps no outcome log".into()))
    }

    /// Runs the serving store's optimisers (blocking: building a vector index takes a while);
    /// returns whether anything changed.
    pub fn optimize(&self) -> Result<bool> {
        self.engine().store.optimize()
    }

    /// Erases deleted records from the serving generation's files (blocking: it may rewrite a
    /// whole collection); returns how many collections were rewritten. See [`crate::store::purge`].
    pub fn purge_deleted(&self) -> Result<usize> {
        self.engine().store.purge_deleted()
    }

    /// The serving engine (a cheap handle; a switch does not disturb holders of the old one).
    pub fn engine(&self) -> Arc<Engine> {
        self.active
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub(crate) fn replace_engine(&self, engine: Arc<Engine>) -> Arc<Engine> {
        let mut active = self
            .active
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::replace(&mut *active, engine)
    }

    pub fn embedder(&self) -> EmbeddingService {
        self.engine().embedder.clone()
    }

    fn current_mirror(&self) -> Option<Arc<dyn WriteMirror>> {
        self.mirror
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Embeds and stores records; the batch is written whole or not at all. During a re-index
    /// the batch also reaches the generation being built.
    pub(crate) async fn upsert<R: Record>(&self, records: Vec<R>) -> Result<usize> {
        reject_duplicate_ids(records.iter().map(R::id), R::COLLECTION.name())?;
        if records.is_empty() {
            return Ok(0);
        }
        let _gate = self.write_gate.read().await;
        let engine = self.engine();
        let docs = embed_records(&engine, &records).await?;
        let store = engine.store.clone();
        blocking(move || store.upsert(R::COLLECTION, docs)).await?;
        engine.samples.touched(R::COLLECTION);
        if let Some(mirror) = self.current_mirror() {
            R::mirror(mirror.as_ref(), &records).await;
        }
        Ok(records.len())
    }

    /// Embeds and stores postings; the batch is written whole or not at all.
    #[instrument(skip_all, fields(count = postings.len()))]
    pub async fn upsert_postings(&self, postings: Vec<Posting>) -> Result<usize> {
        self.upsert(postings).await
    }

    /// Embeds and stores seekers; the batch is written whole or not at all.
    #[instrument(skip_all, fields(count = seekers.len()))]
    pub async fn upsert_seekers(&self, seekers: Vec<Seeker>) -> Result<usize> {
        self.upsert(seekers).await
    }

    async fn fetch(&self, collection: Collection, id: &str) -> Result<StoredDoc> {
        fetch_from(self.engine().store.clone(), collection, id).await
    }

    pub async fn get_posting(&self, id: &str) -> Result<Posting> {
        from_payload(&self.fetch(Collection::Postings, id).await?.payload)
    }

    pub async fn get_seeker(&self, id: &str) -> Result<Seeker> {
        from_payload(&self.fetch(Collection::Seekers, id).await?.payload)
    }

    /// A posting or a seeker as a caller bound to `scope` may see it (see [`Scope::check`]).
    pub(crate) async fn read<R: Record>(&self, id: &str, scope: &Scope) -> Result<R> {
        let record: R = from_payload(&self.fetch(R::COLLECTION, id).await?.payload)?;
        scope.check(&record.place().sido_code, R::COLLECTION.noun(), id)?;
        Ok(record)
    }

    /// A posting as a caller bound to `scope` may see it.
    pub async fn read_posting(&self, id: &str, scope: &Scope) -> Result<Posting> {
        self.read(id, scope).await
    }

    /// A seeker as a caller bound to `scope` may see them.
    pub async fn read_seeker(&self, id: &str, scope: &Scope) -> Result<Seeker> {
        self.read(id, scope).await
    }

    /// Deletes a record with its vector (during a re-index, from the generation being built
    /// too), then erases it from the outcome log; `NotFound` when neither held it. The log is
    /// erased even when the store no longer has the record, so a delete retried after a crash
    /// between the two steps completes: deleting is idempotent, and any replica may take it.
    pub async fn delete(&self, collection: Collection, id: &str) -> Result<()> {
        let _gate = self.write_gate.read().await;
        let _counted = (collection == Collection::Seekers).then(|| self.seeker_deletes.begin());
        let log = self.outcome_log();
        let _log_writes = self.outcome_writes.lock().await;
        let engine = self.engine();
        let store = engine.store.clone();
        let key = id.to_string();
        let existed = blocking(move || store.delete(collection, &key)).await?;
        engine.samples.forget(collection);
        if let Some(mirror) = self.current_mirror() {
            mirror.delete(collection, id).await;
        }
        crate::failpoint::crash_at(self.failpoint.as_deref(), "delete.between_steps");
        let mut erased = 0;
        if let Some(log) = log.clone() {
            let key = id.to_string();
            erased = blocking(move || {
                log.erase(match collection {
                    Collection::Seekers => Subject::Seeker(&key),
                    Collection::Postings => Subject::Posting(&key),
                })
            })
            .await?;
        }
        // Not counted in `erased`: the delete's own access record names the id even when no
        // seeker had it.
        if let (Some(access), Collection::Seekers) = (self.access.clone(), collection) {
            let key = id.to_string();
            blocking(move || access.erase(Subject::Seeker(&key))).await?;
        }
        if existed || erased > 0 {
            Ok(())
        } else {
            Err(Error::NotFound {
                kind: collection.noun(),
                id: id.to_string(),
            })
        }
    }

    pub async fn count(&self, collection: Collection) -> Result<usize> {
        let store = self.engine().store.clone();
        blocking(move || store.count(collection)).await
    }

    /// The server's default fusion settings, with the serving model's similarity band unless the
    /// configuration set one.
    pub fn default_fusion(&self) -> FusionParams {
        let mut defaults = self.ranking.defaults;
        if self.ranking.band_from_model {
            if let Some((floor, ceiling)) = self.engine().embedder.info().similarity_band {
                defaults.semantic_floor = floor;
                defaults.semantic_ceiling = ceiling;
            }
        }
        defaults
    }

    /// The weights a request ends up with (its own, else the server's defaults).
    pub fn fusion(&self, request: &RankingRequest) -> Result<FusionParams> {
        let fusion = request.fusion.over(self.default_fusion());
        fusion.validate(crate::ranking::option_name)?;
        Ok(fusion)
    }

    /// Ranks `T` records against the stored origin record `origin_id` of kind `O`: the store
    /// finds candidates within the filters, [`rank`] scores them, and those below the relevance
    /// floor are left out. A seeker's commute is respected as `fusion.commute` says: by the
    /// distance term and a mark (penalty), or by a filter with the best matches beyond it added,
    /// marked, when too few within it clear the floor (filter).
    async fn recommend<O: Record + Pair<T>, T: Record>(
        &self,
        origin_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<O, T>> {
        // One engine for the whole request: a switch in between must not mix two models' vectors.
        let engine = self.engine();
        let origin_doc = fetch_from(engine.store.clone(), O::COLLECTION, origin_id).await?;
        let origin_record: O = from_payload(&origin_doc.payload)?;
        request.scope.check(
            &origin_record.place().sido_code,
            O::COLLECTION.noun(),
            origin_id,
        )?;
        self.recommend_from(&engine, origin_record, origin_doc.vector, request, filters)
            .await
    }

    /// [`Self::recommend`] for an origin record and vector in hand (stored or a draft),
    /// on `engine`.
    pub(crate) async fn recommend_from<O: Record + Pair<T>, T: Record>(
        &self,
        engine: &Arc<Engine>,
        origin_record: O,
        origin_vector: Vec<f32>,
        request: &RankingRequest,
        mut filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<O, T>> {
        let fusion = self.fusion(request)?;
        let origin_point = origin_record.place().point;
        filters.extend(request_filters(request, origin_point));
        let origin_commute = origin_record.commute_filter();
        let respect_commute = !request.ignore_seeker_commute && origin_commute.is_some();
        let commute =
            origin_commute.filter(|_| respect_commute && fusion.commute == CommutePolicy::Filter);
        let plan = CandidateQuery {
            vector: origin_vector.clone(),
            origin: origin_point,
            filters: filters.iter().cloned().chain(commute.clone()).collect(),
            lexical: engine
                .analyser
                .query_vector(&origin_record.embedding_text()),
            prefetch: self.ranking.prefetch.max(request.top_k),
            near_km: (self.ranking.near_radius > 0.0 && fusion.geo_weight > 0.0)
                .then_some(self.ranking.near_radius * fusion.decay_scale_km),
            payload: CandidatePayload::Ranking,
        };
        let fill = commute.is_some()
            && request
                .beyond_commute
                .unwrap_or(self.ranking.beyond_commute);
        let words = (fusion.lexical_weight > 0.0).then_some(self.ranking.max_query_words);
        let (within, similarity, plan) = search::<T>(engine.clone(), plan, words).await?;
        let scoring = Scoring {
            engine,
            origin: &origin_record,
            origin_vector: &origin_vector,
            similarity: similarity.as_reference(),
            fusion: &fusion,
            boosts: &request.boosts,
        };
        let clears = |r: &Ranked| r.breakdown.clears(fusion.relevance_floor);
        let mut ranked = scoring.score(&within, respect_commute)?;
        let matches_within = ranked
            .iter()
            .filter(|r| !r.beyond_commute && clears(r))
            .count();
        if fill && matches_within < request.top_k {
            // Scored apart, so the matches within reach keep the scores they have without them;
            // they are listed after those anyway.
            let wider = CandidateQuery { filters, ..plan };
            let farther = candidates_beyond::<T>(engine, wider, &within).await?;
            let extra = scoring.score(&farther, true)?;
            // Within reach but past the within-reach prefetch: not a "beyond" match.
            ranked.extend(extra.into_iter().filter(|r| r.beyond_commute));
        }
        let nothing_within_reach = respect_commute && matches_within == 0;
        ranked.retain(clears);
        let grouped = commute.is_some();
        let floor = fusion.relevance_floor;
        ranked.sort_by(|a, b| {
            offer_order(
                (&a.breakdown, a.beyond_commute),
                (&b.breakdown, b.beyond_commute),
                floor,
                grouped,
            )
        });
        ranked.truncate(request.top_k);
        let scored = scoring.describe(ranked, &self.programmes).await?;
        Ok(Recommendation {
            origin: origin_record,
            fusion,
            results: scored,
            nothing_within_reach,
        })
    }

    /// Seekers for a stored posting, best first.
    #[instrument(skip_all, fields(posting_id = %posting_id, top_k = request.top_k))]
    pub async fn recommend_candidates(
        &self,
        posting_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<Posting, Seeker>> {
        self.recommend(posting_id, request, filters).await
    }

    /// Postings for a stored seeker, best first.
    #[instrument(skip_all, fields(seeker_id = %seeker_id, top_k = request.top_k))]
    pub async fn recommend_postings(
        &self,
        seeker_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<Seeker, Posting>> {
        self.recommend(seeker_id, request, filters).await
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
    ) -> Result<Vec<(OutcomeEvent, Option<String>)>> {
        let posting = self.read_posting(posting_id, scope).await?;
        let log = self.require_outcome_log()?;
        let mut events: Vec<OutcomeEvent> = blocking(move || log.events())
            .await?
            .into_iter()
            .filter(|e| e.posting_id == posting.id)
            .collect();
        events.reverse();
        let mut named = Vec::with_capacity(events.len());
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
            }
        }
        Ok(named)
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

/// Seeker deletes begun and finished, counted like a sequence lock: a call that saw both equal
/// before it read, and sees "begun" unchanged after it wrote its access record, overlapped no
/// delete.
#[derive(Debug, Default)]
pub struct DeleteCounts {
    begun: std::sync::atomic::AtomicU64,
    finished: Arc<std::sync::atomic::AtomicU64>,
}

/// [`DeleteCounts`] as a call saw them before it read: `None` when a delete was running.
#[derive(Debug, Clone, Copy)]
pub struct DeleteMark(Option<u64>);

/// Counts a delete as finished when dropped, however it ended.
pub struct DeleteRunning(Arc<std::sync::atomic::AtomicU64>);

impl Drop for DeleteRunning {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl DeleteCounts {
    fn begin(&self) -> DeleteRunning {
        self.begun.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        DeleteRunning(self.finished.clone())
    }

    fn mark(&self) -> DeleteMark {
        use std::sync::atomic::Ordering::SeqCst;
        let finished = self.finished.load(SeqCst);
        let begun = self.begun.load(SeqCst);
        DeleteMark((begun == finished).then_some(begun))
    }

    fn none_since(&self, mark: DeleteMark) -> bool {
        mark.0 == Some(self.begun.load(std::sync::atomic::Ordering::SeqCst))
    }
}

/// The hard filters a request adds to the caller's: the counsellor's regions and the maximum
/// distance from the origin.
fn request_filters(request: &RankingRequest, origin: GeoPoint) -> Vec<FieldFilter> {
    let scope = request.scope.filter();
    let distance = request
        .max_distance_km
        .map(|km| FieldFilter::WithinKm { center: origin, km });
    scope.into_iter().chain(distance).collect()
}
