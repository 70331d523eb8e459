//! The use cases. No transport types here: the gRPC adapter and the command line both call these.
//! One file per use case: how a recommendation is ranked is `recommend.rs` plus
//! [`crate::ranking`]; `records.rs` (upsert, read within a scope, delete everywhere), `explain.rs`
//! (the reasons), [`outcomes`] (recording outcomes and the figures), `access.rs` (the access log),
//! [`audit`], [`shortlists`] (MatchRegion), [`cohort`] (PlaceCohort), [`lookup`] (FindRecords,
//! CentreFigures), [`reindex`], [`paging`].
//! Here: the [`Matcher`] that holds the serving engine and the logs, and what they share.

mod access;
pub mod audit;
pub mod cohort;
mod explain;
mod facts;
pub mod lookup;
pub mod outcomes;
pub mod paging;
mod recommend;
mod records;
pub mod reindex;
pub mod scope;

pub use access::{DeleteCounts, DeleteMark};
pub use explain::{explain, render, Explanation, Reason, Strength};
pub use recommend::{RankingRequest, Recommendation, Scored};
pub(crate) use records::{embed_records, Record};
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
use crate::outcomes::{OutcomeLog, Subject};
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

/// Runs blocking store work off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Store(format!("store task failed: {e}")))?
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
}
