//! Where vectors and records live: the [`VectorStore`] contract and its backends.
//!
//! - [`edge`]: Qdrant embedded in-process through `qdrant-edge` (the default), one shard per
//!   collection under the data directory.
//! - [`server`]: a Qdrant server or cluster through `qdrant-client` (`serve --qdrant-url`), which
//!   several replicas share (failing over between the addresses of a cluster's nodes).
//! - [`event_log`]: the [`event_log::EventLog`] contract (append-only logs about people, erased
//!   with them) and its file lowering; [`server::logs`] lowers it to Qdrant collections. Two logs
//!   use it: [`outcome_log`] (what happened to proposed pairs) and [`access_log`] (who read whose
//!   personal data).
//! - [`plan`]: what both backends share: schema, filters, the candidate plan (its lists, their
//!   merge and the scores left to read), query-word choice, scan cursors.
//! - [`layout`]: the data directory's generations (which one serves, crash-safe switching).
//! - [`purge`]: erasing deleted records from disk (rewriting a shard without them).
//! - [`sample`]: an in-memory sample of each collection's vectors (the model's similarity distribution).
//!
//! The store finds candidates (dense, sparse and near-origin lists, with the filters inside the
//! query); [`crate::ranking`] scores them.

pub mod access_log;
pub mod edge;
pub mod event_log;
mod facts_cache;
pub(crate) mod files;
pub mod frequencies;
pub mod layout;
pub mod outcome_log;
pub mod plan;
pub mod purge;
pub mod sample;
pub mod server;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::domain::{CandidateFacts, GeoPoint};
use crate::error::Result;
use crate::lexical::SparseTerms;

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

impl StoredDoc {
    /// A document as either backend reads a point back: the payload names the record's id.
    pub(crate) fn from_point(
        payload: Map<String, Value>,
        vector: Vec<f32>,
        lexical: SparseTerms,
    ) -> Result<Self> {
        let id = payload
            .get(plan::ID_FIELD)
            .and_then(Value::as_str)
            .ok_or_else(|| crate::error::Error::Store("stored point has no id field".into()))?
            .to_string();
        Ok(Self {
            id,
            vector,
            lexical,
            payload,
        })
    }
}

/// One condition on a record (its id, or a payload field); conditions of a query are AND-ed.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldFilter {
    /// The record's id is one of these (empty: no record is): a query restricted to a known set
    /// of records, such as a cohort's seekers. Lowered to the points of the ids (see
    /// [`plan::point_uuid`]), not to a payload match.
    Ids(Vec<String>),
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

/// Where to look for the candidates of a ranked search: the union of the `prefetch` nearest by
/// meaning, the `prefetch` best by shared words, and the `prefetch` nearest by meaning within
/// `near_km` of `origin`, every list under `filters`. Ranking them is [`crate::ranking::rank`]'s
/// job: the store only finds them.
#[derive(Debug, Clone)]
pub struct CandidateQuery {
    pub vector: Vec<f32>,
    pub origin: GeoPoint,
    pub filters: Vec<FieldFilter>,
    /// Query terms of the origin's words (weight 1 each; the store applies IDF); empty: no
    /// lexical list.
    pub lexical: SparseTerms,
    /// Candidates fetched per list.
    pub prefetch: usize,
    /// Radius of the near-origin list (None: no such list), so distance can rank nearby
    /// candidates the overall semantic list leaves out.
    pub near_km: Option<f64>,
    /// How much of each candidate's payload comes back.
    pub payload: CandidatePayload,
}

/// How much of a candidate's payload [`VectorStore::candidates`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CandidatePayload {
    /// The whole stored record, for callers that show every candidate they get.
    #[default]
    Full,
    /// Only the fields ranking reads ([`plan::RANKING_FIELDS`]): a recommendation scores
    /// hundreds of candidates and returns a few, whose records it then reads with
    /// [`VectorStore::get_records`]. Decoding and freeing every candidate's whole record was
    /// a third of a recommendation's CPU time.
    Ranking,
}

/// A candidate of a ranked search, with its stored vector so the caller can score it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The candidate's id and dense vector; its whole payload only when the query asked for
    /// [`CandidatePayload::Full`].
    pub doc: StoredDoc,
    /// BM25 · IDF score of the shared words (0: none).
    pub lexical_score: f64,
    /// Cosine similarity to the query's dense vector as the store scored it; `None`: compute it
    /// from `doc.vector`. A backend that sets it may leave `doc.vector` empty (the server
    /// backend does, to keep vectors off the wire).
    pub similarity: Option<f64>,
    /// What ranking reads of it, when the query asked for [`CandidatePayload::Ranking`].
    pub facts: Option<Arc<CandidateFacts>>,
}

/// The storage contract. Calls block (disk I/O, search): async callers use `spawn_blocking`.
pub trait VectorStore: Send + Sync + 'static {
    /// Inserts or replaces the documents by id, all or nothing, durably before returning.
    fn upsert(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<()>;
    fn get(&self, collection: Collection, id: &str) -> Result<Option<StoredDoc>>;
    /// The stored records of `ids` with their payloads only (no vectors), in no set order;
    /// ids not stored are left out.
    fn get_records(&self, collection: Collection, ids: &[String]) -> Result<Vec<StoredDoc>>;
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
    /// The candidates of a ranked search (see [`CandidateQuery`]), each once, in no set order,
    /// with the BM25 score of each (found by words or not).
    fn candidates(&self, collection: Collection, query: &CandidateQuery) -> Result<Vec<Candidate>>;
    /// The query `terms` that weigh most in the query (weight × IDF), at most `max` (0: all, as
    /// they are); see [`plan::weightiest_by`]. The common words cost the most to search and weigh
    /// the least. Counts nothing when the cap keeps every term.
    fn weightiest_terms(
        &self,
        collection: Collection,
        terms: &SparseTerms,
        max: usize,
    ) -> Result<SparseTerms> {
        if plan::keeps_every_term(terms, max) {
            return Ok(terms.clone());
        }
        Ok(self
            .term_counts(collection, &terms.indices)?
            .weightiest(terms, max))
    }
    /// How many documents `collection` holds and how many of them hold each of `terms`: what
    /// [`VectorStore::weightiest_terms`] chooses by.
    fn term_counts(&self, collection: Collection, terms: &[u32]) -> Result<plan::TermCounts>;
    /// One page of the stored documents matching every filter (none: all), in a stable order,
    /// from `cursor` (None: the start); returns the page and the cursor of the next one (None:
    /// the end).
    fn scan(
        &self,
        collection: Collection,
        filters: &[FieldFilter],
        cursor: Option<ScanCursor>,
        limit: usize,
    ) -> Result<(Vec<StoredDoc>, Option<ScanCursor>)>;
}

/// Where a [`VectorStore::scan`] continues; opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCursor(pub String);

/// Names one generation of a store: a data-directory generation (embedded) or a collection
/// suffix (server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationId(pub String);

impl std::fmt::Display for GenerationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a backend keeps its generations: each a full copy of both collections, made by one
/// model; exactly one serves. A re-index creates one, fills it, switches to it and removes the
/// old one; a crash before the switch leaves the old one serving. Calls block.
pub trait Generations: Send + Sync + 'static {
    /// The serving generation, opened for vectors of `model` (created empty when there is none);
    /// FAILED_PRECONDITION, naming both, when another model made it.
    fn open_serving(
        &self,
        model: &plan::StoredModel,
    ) -> Result<(GenerationId, Arc<dyn VectorStore>)>;
    /// The serving generation whatever model made it (to copy from), with that model.
    fn open_current(&self) -> Result<(GenerationId, Arc<dyn VectorStore>, plan::StoredModel)>;
    /// A new, empty generation for `model`; not serving until [`Generations::switch_to`].
    fn create(&self, model: &plan::StoredModel) -> Result<(GenerationId, Arc<dyn VectorStore>)>;
    /// Makes `generation` the serving one, atomically.
    fn switch_to(&self, generation: &GenerationId) -> Result<()>;
    /// Removes a generation that no longer serves (its store must be closed first).
    fn remove(&self, generation: &GenerationId) -> Result<()>;
}
