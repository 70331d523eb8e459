//! Where vectors and records live: the [`VectorStore`] contract and its backends.
//!
//! - [`edge`]: Qdrant embedded in-process through `qdrant-edge` (the default), one shard per
//!   collection under the data directory.
//! - [`layout`]: the data directory's generations (which one serves, crash-safe switching).
//! - [`purge`]: erasing deleted records from disk (rewriting a shard without them).
//!
//! The store ranks inside its own query: a dense-vector prefetch (with the filters), rescored by
//! `w_sem · similarity + w_geo · gauss_decay(distance, scale)` (see [`crate::ranking`]).

pub mod edge;
pub mod frequencies;
pub mod layout;
pub mod purge;

use serde_json::{Map, Value};

use crate::domain::GeoPoint;
use crate::error::Result;
use crate::lexical::SparseTerms;
use crate::ranking::FusionParams;

/// The two kinds of record jobmatch stores; each is one collection (one shard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    Postings,
    Seekers,
}

impl Collection {
    pub fn name(self) -> &'static str {
        match self {
            Collection::Postings => "postings",
            Collection::Seekers => "seekers",
        }
    }

    /// Singular noun for messages ("posting 'p1' not found").
    pub fn noun(self) -> &'static str {
        match self {
            Collection::Postings => "posting",
            Collection::Seekers => "seeker",
        }
    }
}

/// A record with its vector, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDoc {
    pub id: String,
    pub vector: Vec<f32>,
    /// BM25 term weights of the record's words (see [`crate::lexical`]); empty: no words.
    pub lexical: SparseTerms,
    pub payload: Map<String, Value>,
}

/// One condition on a payload field; conditions of a query are AND-ed.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldFilter {
    /// The keyword field equals one of the values.
    AnyOf {
        field: &'static str,
        values: Vec<String>,
    },
    /// The integer field lies in the inclusive range.
    IntRange {
        field: &'static str,
        min: Option<i64>,
        max: Option<i64>,
    },
    /// The boolean field has this value.
    Is { field: &'static str, value: bool },
    /// The record's location lies within `km` of `center`.
    WithinKm { center: GeoPoint, km: f64 },
    /// A seeker's own commute (its bucket, see [`crate::domain::COMMUTE_BUCKETS_KM`]) reaches
    /// `center`, or the seeker stated none.
    CommuteReaches { center: GeoPoint },
}

/// An amount added to the score of records that meet `when` (all records when `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Boost {
    pub amount: f64,
    pub when: Option<FieldFilter>,
}

/// Whose skills a [`SkillsTerm`] counts as required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredSkills {
    /// The origin's keys (a posting ranking seekers): the share is over `keys`.
    Origin,
    /// Each candidate's own (a seeker ranking postings): the share is over the candidate's
    /// stored skill count.
    Candidate,
}

/// The skills signal of a ranked search: `fusion.skills_weight` times the share of required
/// skill keys present on the other side, matched against each candidate's stored `skill_keys`.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillsTerm {
    /// The origin's skill keys (required skills of a posting; skills a seeker has).
    pub keys: Vec<String>,
    pub required: RequiredSkills,
}

/// A ranked search: nearest by meaning, rescored by distance from `origin`.
#[derive(Debug, Clone)]
pub struct RankedQuery {
    pub vector: Vec<f32>,
    pub origin: GeoPoint,
    pub fusion: FusionParams,
    pub filters: Vec<FieldFilter>,
    /// Added to the fused score.
    pub boosts: Vec<Boost>,
    /// The skills signal (None or no keys: none).
    pub skills: Option<SkillsTerm>,
    /// Query terms of the origin's words (weight 1 each; the store applies IDF).
    pub lexical: SparseTerms,
    /// Candidates fetched per signal (semantic, lexical) before the fused rescoring.
    pub prefetch: usize,
    /// Also fetch the semantically nearest candidates within this many decay scales of `origin`
    /// (0: no; score fusion with a geo weight only), so distance can rank candidates that the
    /// overall semantic prefetch would leave out.
    pub near_radius: f64,
    pub limit: usize,
}

impl RankedQuery {
    /// Whether the lexical signal takes part (a weight and at least one query term).
    pub fn uses_lexical(&self) -> bool {
        self.fusion.lexical_weight > 0.0 && !self.lexical.is_empty()
    }

    /// Whether the near-origin prefetches take part.
    pub fn uses_near(&self) -> bool {
        self.near_radius > 0.0
            && self.fusion.geo_weight > 0.0
            && self.fusion.semantic_weight > 0.0
            && self.fusion.mode == crate::ranking::FusionMode::Scores
    }
}

/// A result of a ranked search, with its stored vector so the caller can explain the score.
#[derive(Debug, Clone)]
pub struct ScoredDoc {
    pub doc: StoredDoc,
    pub score: f64,
}

/// The storage contract. Calls block (disk I/O, search): async callers use `spawn_blocking`.
pub trait VectorStore: Send + Sync + 'static {
    /// Inserts or replaces the documents by id, all or nothing, durably before returning.
    fn upsert(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<()>;
    fn get(&self, collection: Collection, id: &str) -> Result<Option<StoredDoc>>;
    /// Removes the document and its vector at once from every answer; `false` when there was none.
    /// The bytes leave the disk at the next [`VectorStore::purge_deleted`].
    fn delete(&self, collection: Collection, id: &str) -> Result<bool>;
    /// Erases deleted documents from disk (vectors, payloads and the log that recorded them);
    /// returns how many collections were rewritten (0: nothing was pending).
    fn purge_deleted(&self) -> Result<usize>;
    /// Runs the store's optimisers: builds the vector index of segments grown past the indexing
    /// threshold and merges small segments. Returns whether anything changed.
    fn optimize(&self) -> Result<bool>;
    fn count(&self, collection: Collection) -> Result<usize>;
    fn search(&self, collection: Collection, query: &RankedQuery) -> Result<Vec<ScoredDoc>>;
    /// The query `terms` some stored document holds, at most `max` (0: all), the rarest kept: the
    /// common ones cost the most to search and weigh the least.
    fn rarest_terms(
        &self,
        collection: Collection,
        terms: &SparseTerms,
        max: usize,
    ) -> Result<SparseTerms>;
    /// BM25 · IDF scores of the documents `ids` for the query `terms` (ids sharing no term are absent).
    fn lexical_scores(
        &self,
        collection: Collection,
        terms: &SparseTerms,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, f64>>;
    /// One page of every stored document in a stable order, from `cursor` (None: the start);
    /// returns the page and the cursor of the next one (None: the end).
    fn scan(
        &self,
        collection: Collection,
        cursor: Option<ScanCursor>,
        limit: usize,
    ) -> Result<(Vec<StoredDoc>, Option<ScanCursor>)>;
}

/// Where a [`VectorStore::scan`] continues; opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCursor(pub String);
