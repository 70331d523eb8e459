//! The embedded Qdrant backend (`qdrant-edge`, pinned at 0.7.0).
//!
//! Pinned because qdrant-edge 0.8 and 0.9 use `std::debug_assert_matches`, stable only from Rust
//! 1.96, and the toolchain here is 1.95. 0.7.0 has the same `Formula` / `DecayKind` / query API.
//! Upgrade path: once the toolchain is ≥ 1.96, bump the pin and run the tests; the types used here
//! are re-exported at the crate root in all three versions.
//!
//! Layout under the data directory: `postings/` and `seekers/`, one shard each, plus
//! `model.json` recording which model made the vectors. The schema, filters and candidate plan
//! are [`super::plan`]'s; this file lowers them to qdrant-edge and owns what only an embedded
//! store has: shard locking and flushes, purges, and the process-local word counts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qdrant_edge::external::uuid::Uuid;
use qdrant_edge::{
    Condition, CreateIndex, Distance, EdgeConfigBuilder, EdgeShard, EdgeSparseVectorParams,
    EdgeVectorParamsBuilder, FieldCondition, FieldIndexOperations, Filter, GeoPoint as QGeoPoint,
    GeoRadius, JsonPath, Match, Modifier, NamedQuery, Payload, PayloadFieldSchema,
    PayloadSchemaType, PointId, PointInsertOperations, PointOperations, QueryEnum, QueryRequest,
    Range, ScoringQuery, ScrollRequest, SparseVector, UpdateOperation, VectorInternal,
    VectorStructInternal, WithPayloadInterface, WithVector,
};
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use super::facts_cache::FactsCache;
use super::frequencies::DocumentFrequencies;
use super::layout::DataDir;
use super::plan::{
    candidate_lists, indexed_fields, lower_filters, point_uuid, scan_cursor, scan_start, Clause,
    Found, IndexKind, Signal, TermCounts, DENSE, ID_FIELD, LEXICAL, RANKING_FIELDS,
};
use super::{
    Candidate, CandidatePayload, CandidateQuery, Collection, FieldFilter, GenerationId,
    Generations, ScanCursor, StoredDoc, VectorStore,
};
use crate::domain::{fields, CandidateFacts};
use crate::embed::ModelInfo;
use crate::error::{io_err, Error, Result};
use crate::lexical::{Analyser, SparseTerms};

pub use super::plan::StoredModel;

struct Shard {
    /// `None` only if a purge failed half-way and the shard could not be reopened.
    live: RwLock<Option<EdgeShard>>,
    /// Serialises writes, flushes and purges: `EdgeShard::flush` must not race an update.
    write_lock: Mutex<()>,
    path: PathBuf,
    collection: Collection,
    dimension: usize,
    /// Documents per word of the live points; changed only under `write_lock`.
    frequencies: Mutex<DocumentFrequencies>,
    /// Ranking facts of the points read so far; forgotten by every write to them.
    facts: FactsCache,
}

impl Shard {
    fn open(path: PathBuf, collection: Collection, dimension: usize) -> Result<Self> {
        super::purge::recover(&path)?;
        let shard = open_shard(&path, collection, dimension)?;
        let frequencies = count_words(&shard)?;
        Ok(Self {
            live: RwLock::new(Some(shard)),
            write_lock: Mutex::new(()),
            path,
            collection,
            dimension,
            frequencies: Mutex::new(frequencies),
            facts: FactsCache::default(),
        })
    }

    fn frequencies(&self) -> Result<MutexGuard<'_, DocumentFrequencies>> {
        self.frequencies
            .lock()
            .map_err(|_| Error::Store("word counts lock poisoned".into()))
    }

    /// Runs `f` on the open shard (many readers at once; a purge's swap waits for them).
    fn with<T>(&self, f: impl FnOnce(&EdgeShard) -> Result<T>) -> Result<T> {
        let guard = self
            .live
            .read()
            .map_err(|_| Error::Store("shard lock poisoned".into()))?;
        let shard = guard.as_ref().ok_or_else(|| {
            Error::Store(format!(
                "the {} shard could not be reopened after a purge; restart the server",
                self.collection.name()
            ))
        })?;
        f(shard)
    }

    fn lock_writes(&self) -> Result<MutexGuard<'_, ()>> {
        self.write_lock
            .lock()
            .map_err(|_| Error::Store("write lock poisoned".into()))
    }

    /// Rewrites the shard without its deleted records (see [`super::purge`]); writes wait meanwhile,
    /// reads go on against the old shard until the swap. Returns whether anything was rewritten.
    fn purge(&self) -> Result<bool> {
        let _writes = self.lock_writes()?;
        if !super::purge::is_pending(&self.path) {
            return Ok(false);
        }
        let build = super::purge::start_build(&self.path)?;
        {
            let fresh = open_shard(&build, self.collection, self.dimension)?;
            let mut offset = None;
            loop {
                let request = ScrollRequest {
                    offset,
                    limit: Some(PURGE_PAGE),
                    filter: None,
                    with_payload: Some(WithPayloadInterface::Bool(true)),
                    with_vector: WithVector::Bool(true),
                    order_by: None,
                };
                let (records, next) = self.with(|live| {
                    live.scroll(request)
                        .map_err(store_err("scroll during purge failed"))
                })?;
                if !records.is_empty() {
                    let points = records
                        .into_iter()
                        .map(|record| {
                            let payload = record.payload.map(|p| p.0).unwrap_or_default();
                            let vectors = record.vector.ok_or_else(|| {
                                Error::Store("a stored point has no vectors".into())
                            })?;
                            Ok(qdrant_edge::PointStruct::new(
                                record.id,
                                qdrant_edge::Vectors(vectors),
                                Value::Object(payload),
                            )
                            .into())
                        })
                        .collect::<Result<Vec<_>>>()?;
                    fresh
                        .update(UpdateOperation::PointOperation(
                            PointOperations::UpsertPoints(PointInsertOperations::PointsList(
                                points,
                            )),
                        ))
                        .map_err(store_err("copy during purge failed"))?;
                }
                match next {
                    Some(id) => offset = Some(id),
                    None => break,
                }
            }
            fresh.flush();
        } // the fresh shard is closed here, before its directory is renamed
        super::purge::finish_build(&self.path)?;

        let mut live = self
            .live
            .write()
            .map_err(|_| Error::Store("shard lock poisoned".into()))?;
        drop(live.take()); // closes (and flushes) the old shard before its directory moves
        let swapped = super::purge::swap_in(&self.path);
        // Reopen whichever shard is now in place: the fresh one, or the old one put back.
        *live = Some(open_shard(&self.path, self.collection, self.dimension)?);
        drop(live);
        swapped?;
        super::purge::clear_pending(&self.path)?;
        Ok(true)
    }
}

/// Points copied per page when a purge rewrites a shard.
const PURGE_PAGE: usize = 512;

/// Only the word vector of a point.
fn words_only() -> WithVector {
    WithVector::Selector(vec![LEXICAL.into()])
}

/// Counts the words of every stored point (at open).
fn count_words(shard: &EdgeShard) -> Result<DocumentFrequencies> {
    let mut frequencies = DocumentFrequencies::default();
    let mut offset = None;
    loop {
        let request = ScrollRequest {
            offset,
            limit: Some(PURGE_PAGE * 8),
            filter: None,
            with_payload: Some(WithPayloadInterface::Bool(false)),
            with_vector: words_only(),
            order_by: None,
        };
        let (records, next) = shard
            .scroll(request)
            .map_err(store_err("counting words failed"))?;
        for record in records {
            frequencies.add(&split_vectors(record.vector).1);
        }
        match next {
            Some(id) => offset = Some(id),
            None => return Ok(frequencies),
        }
    }
}

/// The stored word vectors of those of `ids` that exist.
fn stored_words(shard: &EdgeShard, ids: &[PointId]) -> Result<Vec<SparseTerms>> {
    let records = shard
        .retrieve(
            ids,
            Some(WithPayloadInterface::Bool(false)),
            Some(words_only()),
        )
        .map_err(store_err("retrieve failed"))?;
    Ok(records
        .into_iter()
        .map(|r| split_vectors(r.vector).1)
        .collect())
}

/// Qdrant embedded in-process: the shards of one generation of the data directory
/// (see [`super::layout`]; the directory's lock is held there).
pub struct EdgeStore {
    shards: HashMap<Collection, Shard>,
    dir: PathBuf,
}

fn store_err(context: &str) -> impl Fn(qdrant_edge::OperationError) -> Error + '_ {
    move |e| Error::Store(format!("{context}: {e}"))
}

fn point_id(collection: Collection, id: &str) -> PointId {
    PointId::Uuid(point_uuid(collection, id))
}

fn index_schema(kind: IndexKind) -> PayloadSchemaType {
    match kind {
        IndexKind::Geo => PayloadSchemaType::Geo,
        IndexKind::Keyword => PayloadSchemaType::Keyword,
        IndexKind::Integer => PayloadSchemaType::Integer,
        IndexKind::Bool => PayloadSchemaType::Bool,
    }
}

/// The data directory's generations (see [`super::layout`]), each opened as an [`EdgeStore`].
impl Generations for DataDir {
    fn open_serving(&self, model: &StoredModel) -> Result<(GenerationId, Arc<dyn VectorStore>)> {
        let generation = self.current()?;
        let store = EdgeStore::open_for(&generation, model)?;
        Ok((generation_id(&generation), Arc::new(store)))
    }

    fn open_current(&self) -> Result<(GenerationId, Arc<dyn VectorStore>, StoredModel)> {
        let generation = self.current()?;
        let (store, model) = EdgeStore::open_existing(&generation)?;
        Ok((generation_id(&generation), Arc::new(store), model))
    }

    fn create(&self, model: &StoredModel) -> Result<(GenerationId, Arc<dyn VectorStore>)> {
        let generation = self.new_generation()?;
        let store = EdgeStore::open_for(&generation, model)?;
        Ok((generation_id(&generation), Arc::new(store)))
    }

    fn switch_to(&self, generation: &GenerationId) -> Result<()> {
        DataDir::switch_to(self, Path::new(&generation.0))
    }

    fn remove(&self, generation: &GenerationId) -> Result<()> {
        self.remove_generation(Path::new(&generation.0))
    }
}

fn generation_id(path: &Path) -> GenerationId {
    GenerationId(path.display().to_string())
}

impl EdgeStore {
    /// Opens (or creates) the shards in the generation directory `dir` for vectors of `model`.
    ///
    /// Refuses a directory whose vectors were made by a different model (name, dimension or
    /// weights), naming both.
    pub fn open(dir: &Path, model: &ModelInfo, analyser: Analyser) -> Result<Self> {
        Self::open_for(dir, &StoredModel::of(model, analyser))
    }

    /// As [`EdgeStore::open`], for the model identity itself.
    pub fn open_for(dir: &Path, wanted: &StoredModel) -> Result<Self> {
        check_model(dir, wanted)?;
        Self::open_shards(dir, wanted.dimension)
    }

    /// Opens an existing generation for reading and copying, whatever model made it.
    pub fn open_existing(dir: &Path) -> Result<(Self, StoredModel)> {
        let stored = read_model(dir)?.ok_or_else(|| {
            Error::FailedPrecondition(format!(
                "{} has no model.json: nothing was stored there yet",
                dir.display()
            ))
        })?;
        Ok((Self::open_shards(dir, stored.dimension)?, stored))
    }

    fn open_shards(dir: &Path, dimension: usize) -> Result<Self> {
        let mut shards = HashMap::new();
        for collection in [Collection::Postings, Collection::Seekers] {
            let path = dir.join(collection.name());
            shards.insert(collection, Shard::open(path, collection, dimension)?);
        }
        Ok(Self {
            shards,
            dir: dir.to_path_buf(),
        })
    }

    /// The generation directory this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// BM25 · IDF scores of the documents `ids` for the query `terms` (ids sharing no term are
    /// absent): what a candidate's `lexical_score` is, by record id.
    pub fn lexical_scores(
        &self,
        collection: Collection,
        terms: &SparseTerms,
        ids: &[String],
    ) -> Result<HashMap<String, f64>> {
        let points: HashMap<PointId, &String> = ids
            .iter()
            .map(|id| (point_id(collection, id), id))
            .collect();
        let scores = word_scores(
            self.shard(collection),
            terms,
            points.keys().copied().collect(),
        )?;
        Ok(scores
            .into_iter()
            .filter_map(|(point, score)| Some((points.get(&point)?.to_string(), score)))
            .collect())
    }

    fn shard(&self, collection: Collection) -> &Shard {
        &self.shards[&collection]
    }
}

fn model_file(dir: &Path) -> PathBuf {
    dir.join("model.json")
}

/// The model recorded in a generation directory, if any.
pub fn read_model(dir: &Path) -> Result<Option<StoredModel>> {
    let path = model_file(dir);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(io_err("read", &path))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Io(format!("{} is not valid: {e}", path.display())))
}

fn check_model(dir: &Path, wanted: &StoredModel) -> Result<()> {
    if let Some(stored) = read_model(dir)? {
        return stored.check_serves(wanted, &dir.display().to_string());
    }
    let path = model_file(dir);
    let text = serde_json::to_string_pretty(wanted).map_err(|e| Error::Io(e.to_string()))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(io_err("write", &path))
}

fn open_shard(path: &Path, collection: Collection, dimension: usize) -> Result<EdgeShard> {
    let config = EdgeConfigBuilder::new()
        .vector(
            DENSE,
            EdgeVectorParamsBuilder::new(dimension, Distance::Cosine).build(),
        )
        .sparse_vector(
            LEXICAL,
            EdgeSparseVectorParams::builder()
                .modifier(Modifier::Idf)
                .build(),
        )
        .build();
    let exists = path.join("edge_config.json").exists();
    let shard = if exists {
        // The stored configuration: a shard written before word vectors still opens (for a re-index).
        EdgeShard::load(path, None)
    } else {
        std::fs::create_dir_all(path).map_err(io_err("create", path))?;
        EdgeShard::new(path, config)
    }
    .map_err(store_err(&format!(
        "cannot open the {} shard at {}",
        collection.name(),
        path.display()
    )))?;

    for (field, kind) in indexed_fields(collection) {
        let create = CreateIndex {
            field_name: json_path(field),
            field_schema: Some(PayloadFieldSchema::FieldType(index_schema(kind))),
        };
        shard
            .update(UpdateOperation::FieldIndexOperation(
                FieldIndexOperations::CreateIndex(create),
            ))
            .map_err(store_err(&format!("cannot index field {field}")))?;
    }
    Ok(shard)
}

/// A payload key as a Qdrant JSON path (our keys are plain identifiers, so this cannot fail in practice).
fn json_path(field: &str) -> JsonPath {
    JsonPath {
        first_key: field.to_string(),
        rest: Vec::new(),
    }
}

/// Lowers one neutral clause (see [`super::plan`]) to qdrant-edge's condition.
fn to_condition(clause: &Clause) -> Condition {
    let field = match clause {
        Clause::KeywordIn { field, values } => {
            FieldCondition::new_match(json_path(field), Match::from(values.clone()))
        }
        Clause::IntegerIs { field, value } => {
            FieldCondition::new_match(json_path(field), Match::from(*value))
        }
        Clause::IntegerRange { field, min, max } => FieldCondition::new_range(
            json_path(field),
            Range {
                gte: min.map(|v| (v as f64).into()),
                lte: max.map(|v| (v as f64).into()),
                lt: None,
                gt: None,
            },
        ),
        Clause::BoolIs { field, value } => {
            FieldCondition::new_match(json_path(field), Match::from(*value))
        }
        Clause::GeoRadius { center, meters } => FieldCondition::new_geo_radius(
            json_path(fields::GEO),
            GeoRadius {
                center: QGeoPoint::new_unchecked(center.lon, center.lat),
                radius: (*meters).into(),
            },
        ),
        Clause::HasPoint(points) => {
            return Condition::HasId(points.iter().copied().map(PointId::Uuid).collect())
        }
        Clause::AnyGroup(groups) => {
            return Condition::Filter(Filter {
                should: Some(
                    groups
                        .iter()
                        .map(|group| Condition::Filter(to_filter(group).unwrap_or_default()))
                        .collect(),
                ),
                ..Filter::default()
            })
        }
    };
    Condition::Field(field)
}

fn to_filter(clauses: &[Clause]) -> Option<Filter> {
    if clauses.is_empty() {
        return None;
    }
    Some(Filter {
        must: Some(clauses.iter().map(to_condition).collect()),
        ..Filter::default()
    })
}

/// Every point jobmatch writes has a UUID id.
fn uuid_of(point: PointId) -> Result<Uuid> {
    match point {
        PointId::Uuid(uuid) => Ok(uuid),
        other => Err(Error::Store(format!("unexpected point id {other:?}"))),
    }
}

/// Which of a point's parts [`retrieve_docs`] reads.
#[derive(Clone, Copy)]
enum Read {
    /// Payload, dense vector and words: a whole document.
    Everything,
    /// The whole payload only.
    Record,
}

/// The points `ids` that exist, each as a document with the parts `read` names.
fn retrieve_docs(shard: &Shard, ids: &[PointId], read: Read) -> Result<Vec<(PointId, StoredDoc)>> {
    let (payload, vector) = match read {
        Read::Everything => (WithPayloadInterface::Bool(true), WithVector::Bool(true)),
        Read::Record => (WithPayloadInterface::Bool(true), WithVector::Bool(false)),
    };
    let records = shard.with(|live| {
        live.retrieve(ids, Some(payload), Some(vector))
            .map_err(store_err("retrieve failed"))
    })?;
    records
        .into_iter()
        .map(|r| Ok((r.id, to_doc(r.payload, r.vector)?)))
        .collect()
}

/// The candidates `found`, each with its dense vector and its ranking facts: from the shard's
/// cache, else read (the [`RANKING_FIELDS`] of the payload) and kept.
fn ranking_candidates(shard: &Shard, found: &Found) -> Result<Vec<Candidate>> {
    let lookup = shard.facts.lookup(&found.points);
    let missing: Vec<PointId> = found
        .points
        .iter()
        .zip(&lookup.found)
        .filter(|(_, facts)| facts.is_none())
        .map(|(point, _)| PointId::Uuid(*point))
        .collect();
    let mut read = HashMap::with_capacity(missing.len());
    if !missing.is_empty() {
        let fields = RANKING_FIELDS
            .iter()
            .map(|f| JsonPath::try_from(*f))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| Error::Store("a ranking field is not a payload path".into()))?;
        let records = shard.with(|live| {
            live.retrieve(
                &missing,
                Some(WithPayloadInterface::Fields(fields)),
                Some(WithVector::Bool(false)),
            )
            .map_err(store_err("retrieve failed"))
        })?;
        for record in records {
            let payload = record.payload.map(|p| p.0).unwrap_or_default();
            read.insert(uuid_of(record.id)?, Arc::new(CandidateFacts::of(&payload)?));
        }
        shard
            .facts
            .keep(lookup.epoch, read.iter().map(|(p, f)| (*p, f.clone())));
    }
    let ids: Vec<PointId> = found.points.iter().copied().map(PointId::Uuid).collect();
    let vectors = shard.with(|live| {
        live.retrieve(
            &ids,
            Some(WithPayloadInterface::Bool(false)),
            Some(WithVector::Selector(vec![DENSE.into()])),
        )
        .map_err(store_err("retrieve failed"))
    })?;
    let mut vectors: HashMap<PointId, Vec<f32>> = vectors
        .into_iter()
        .map(|r| (r.id, split_vectors(r.vector).0))
        .collect();
    let mut candidates = Vec::with_capacity(found.points.len());
    for (point, cached) in found.points.iter().zip(lookup.found) {
        // A point deleted since the lists were read has neither facts nor vector: left out.
        let Some(facts) = cached.or_else(|| read.get(point).cloned()) else {
            continue;
        };
        let Some(vector) = vectors.remove(&PointId::Uuid(*point)) else {
            continue;
        };
        let doc = StoredDoc {
            id: facts.id.clone(),
            vector,
            lexical: SparseTerms::default(),
            payload: Map::new(),
        };
        candidates.push(found.candidate(*point, doc, Some(facts)));
    }
    Ok(candidates)
}

/// BM25 · IDF scores of the points `ids` for the query `terms` (points sharing no term are absent).
fn word_scores(
    shard: &Shard,
    terms: &SparseTerms,
    ids: Vec<PointId>,
) -> Result<HashMap<PointId, f64>> {
    if terms.is_empty() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    let request = QueryRequest {
        prefetches: Vec::new(),
        query: Some(ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
            query: VectorInternal::Sparse(sparse(terms)),
            using: Some(LEXICAL.into()),
        }))),
        limit: ids.len(),
        filter: Some(Filter {
            must: Some(vec![Condition::HasId(ids.into_iter().collect())]),
            ..Filter::default()
        }),
        score_threshold: None,
        offset: 0,
        params: None,
        with_vector: WithVector::Bool(false),
        with_payload: WithPayloadInterface::Bool(false),
    };
    let points = shard.with(|live| {
        live.query(request)
            .map_err(store_err("lexical query failed"))
    })?;
    Ok(points
        .into_iter()
        .map(|p| (p.id, f64::from(p.score)))
        .collect())
}

fn sparse(terms: &SparseTerms) -> SparseVector {
    SparseVector {
        indices: terms.indices.clone(),
        values: terms.values.clone(),
    }
}

/// The dense and the sparse vector of a stored point.
fn split_vectors(vector: Option<VectorStructInternal>) -> (Vec<f32>, SparseTerms) {
    match vector {
        Some(VectorStructInternal::Named(mut named)) => {
            let dense = match named.remove(DENSE) {
                Some(VectorInternal::Dense(v)) => v,
                _ => Vec::new(),
            };
            let lexical = match named.remove(LEXICAL) {
                Some(VectorInternal::Sparse(v)) => SparseTerms {
                    indices: v.indices,
                    values: v.values,
                },
                _ => SparseTerms::default(),
            };
            (dense, lexical)
        }
        Some(VectorStructInternal::Single(v)) => (v, SparseTerms::default()),
        _ => (Vec::new(), SparseTerms::default()),
    }
}

fn to_doc(payload: Option<Payload>, vector: Option<VectorStructInternal>) -> Result<StoredDoc> {
    let (vector, lexical) = split_vectors(vector);
    StoredDoc::from_point(payload.map(|p| p.0).unwrap_or_default(), vector, lexical)
}

impl VectorStore for EdgeStore {
    fn upsert(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<()> {
        let ids: Vec<PointId> = docs.iter().map(|d| point_id(collection, &d.id)).collect();
        let new_words: Vec<SparseTerms> = docs.iter().map(|d| d.lexical.clone()).collect();
        let points = docs
            .into_iter()
            .map(|doc| {
                let mut payload: Map<String, Value> = doc.payload;
                payload.insert(ID_FIELD.into(), Value::String(doc.id.clone()));
                let mut vectors = vec![(DENSE, qdrant_edge::Vector::new_dense(doc.vector))];
                if !doc.lexical.is_empty() {
                    vectors.push((LEXICAL, sparse(&doc.lexical).into()));
                }
                let vectors = qdrant_edge::Vectors::new_named(vectors);
                qdrant_edge::PointStruct::new(
                    point_id(collection, &doc.id),
                    vectors,
                    Value::Object(payload),
                )
                .into()
            })
            .collect();
        let shard = self.shard(collection);
        let _guard = shard.lock_writes()?;
        shard.with(|live| {
            let replaced = stored_words(live, &ids)?;
            // One operation, one WAL record: the batch lands whole or not at all.
            live.update(UpdateOperation::PointOperation(
                PointOperations::UpsertPoints(PointInsertOperations::PointsList(points)),
            ))
            .map_err(store_err("upsert failed"))?;
            // qdrant-edge 0.7 does not replay its WAL at load: flush so an acknowledged write
            // survives a crash.
            live.flush();
            shard
                .facts
                .forget(ids.iter().filter_map(|p| uuid_of(*p).ok()));
            let mut frequencies = shard.frequencies()?;
            replaced.iter().for_each(|words| frequencies.remove(words));
            new_words.iter().for_each(|words| frequencies.add(words));
            Ok(())
        })
    }

    fn get(&self, collection: Collection, id: &str) -> Result<Option<StoredDoc>> {
        let found = retrieve_docs(
            self.shard(collection),
            &[point_id(collection, id)],
            Read::Everything,
        )?;
        Ok(found.into_iter().next().map(|(_, doc)| doc))
    }

    fn get_records(&self, collection: Collection, ids: &[String]) -> Result<Vec<StoredDoc>> {
        let points: Vec<PointId> = ids.iter().map(|id| point_id(collection, id)).collect();
        Ok(
            retrieve_docs(self.shard(collection), &points, Read::Record)?
                .into_iter()
                .map(|(_, doc)| doc)
                .collect(),
        )
    }

    fn delete(&self, collection: Collection, id: &str) -> Result<bool> {
        let shard = self.shard(collection);
        let _guard = shard.lock_writes()?;
        let pid = point_id(collection, id);
        shard.with(|live| {
            let removed = stored_words(live, &[pid])?;
            let existed = !removed.is_empty();
            if existed {
                // Before the delete: a crash in between costs one needless purge, never a missed one.
                super::purge::mark_pending(&shard.path)?;
                live.update(UpdateOperation::PointOperation(
                    PointOperations::DeletePoints { ids: vec![pid] },
                ))
                .map_err(store_err("delete failed"))?;
                live.flush();
                shard.facts.forget(uuid_of(pid).ok());
                let mut frequencies = shard.frequencies()?;
                removed.iter().for_each(|words| frequencies.remove(words));
            }
            Ok(existed)
        })
    }

    /// Qdrant's optimisers on every shard (vector index, segment merges, vacuum). Writes to a
    /// shard wait while it is optimised (flushes must not race updates); reads go on.
    fn optimize(&self) -> Result<bool> {
        let mut changed = false;
        for collection in [Collection::Postings, Collection::Seekers] {
            let shard = self.shard(collection);
            let _writes = shard.lock_writes()?;
            changed |= shard.with(|live| {
                let changed = live.optimize().map_err(store_err("optimising failed"))?;
                if changed {
                    live.flush();
                }
                Ok(changed)
            })?;
        }
        Ok(changed)
    }

    fn purge_deleted(&self) -> Result<usize> {
        let mut rewritten = 0;
        for collection in [Collection::Postings, Collection::Seekers] {
            if self.shard(collection).purge()? {
                rewritten += 1;
            }
        }
        Ok(rewritten)
    }

    fn count(&self, collection: Collection) -> Result<usize> {
        let request = qdrant_edge::CountRequest {
            filter: None,
            exact: true,
        };
        self.shard(collection)
            .with(|live| live.count(request).map_err(store_err("count failed")))
    }

    fn candidates(&self, collection: Collection, query: &CandidateQuery) -> Result<Vec<Candidate>> {
        let shard = self.shard(collection);
        let lists = candidate_lists(collection, query);
        // The lists carry ids and scores only; each candidate's payload and vector is read
        // once, below, however many lists found it.
        let answers = lists
            .iter()
            .map(|list| {
                let vector = match list.signal {
                    Signal::Meaning => VectorInternal::Dense(query.vector.clone()),
                    Signal::Words => VectorInternal::Sparse(sparse(&query.lexical)),
                };
                let request = QueryRequest {
                    prefetches: Vec::new(),
                    query: Some(ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                        query: vector,
                        using: Some(list.signal.vector_name().into()),
                    }))),
                    filter: to_filter(&list.clauses),
                    score_threshold: None,
                    limit: list.limit,
                    offset: 0,
                    params: None,
                    with_vector: WithVector::Bool(false),
                    with_payload: WithPayloadInterface::Bool(false),
                };
                let points =
                    shard.with(|live| live.query(request).map_err(store_err("query failed")))?;
                points
                    .into_iter()
                    .map(|p| Ok((uuid_of(p.id)?, p.score)))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let mut found = Found::merge(&lists, answers);
        // The words of candidates found by meaning only, scored against the same query terms
        // (the similarity of those found by words only comes from their vectors).
        for (signal, points) in found.unscored(query, &[Signal::Words]) {
            let ids = points.into_iter().map(PointId::Uuid).collect();
            let scores = word_scores(shard, &query.lexical, ids)?
                .into_iter()
                .map(|(point, score)| Ok((uuid_of(point)?, score)))
                .collect::<Result<Vec<_>>>()?;
            found.add_scores(signal, scores);
        }
        if query.payload == CandidatePayload::Ranking {
            return ranking_candidates(shard, &found);
        }
        let ids: Vec<PointId> = found.points.iter().copied().map(PointId::Uuid).collect();
        retrieve_docs(shard, &ids, Read::Everything)?
            .into_iter()
            .map(|(point, doc)| Ok(found.candidate(uuid_of(point)?, doc, None)))
            .collect()
    }

    /// From the process-local word counts (see [`DocumentFrequencies`]).
    fn term_counts(&self, collection: Collection, terms: &[u32]) -> Result<TermCounts> {
        let documents = self.count(collection)?;
        let frequencies = self.shard(collection).frequencies()?;
        Ok(TermCounts {
            documents,
            holding: terms.iter().map(|&t| (t, frequencies.of(t))).collect(),
        })
    }

    fn scan(
        &self,
        collection: Collection,
        filters: &[FieldFilter],
        cursor: Option<ScanCursor>,
        limit: usize,
    ) -> Result<(Vec<StoredDoc>, Option<ScanCursor>)> {
        let request = ScrollRequest {
            offset: scan_start(cursor.as_ref())?.map(PointId::Uuid),
            limit: Some(limit.max(1)),
            filter: to_filter(&lower_filters(collection, filters)),
            with_payload: Some(WithPayloadInterface::Bool(true)),
            with_vector: WithVector::Bool(true),
            order_by: None,
        };
        let (records, next) = self
            .shard(collection)
            .with(|live| live.scroll(request).map_err(store_err("scroll failed")))?;
        let docs = records
            .into_iter()
            .map(|r| to_doc(r.payload, r.vector))
            .collect::<Result<Vec<_>>>()?;
        let next = next.map(|id| uuid_of(id).map(scan_cursor)).transpose()?;
        Ok((docs, next))
    }
}

/// What every backend does is checked on each by the conformance suite (`tests/api/store.rs`);
/// these are the embedded store's own: erasing from disk, and IDF statistics after a purge.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GeoPoint;
    use crate::ranking::cosine;
    use serde_json::json;

    fn model(name: &str, dimension: usize) -> ModelInfo {
        ModelInfo::plain(name, dimension, 512)
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    fn doc(id: &str, vector: &[f32], lat: f64, lon: f64) -> StoredDoc {
        let mut payload = Map::new();
        payload.insert(fields::GEO.into(), json!({ "lat": lat, "lon": lon }));
        payload.insert(fields::BIRTH_YEAR.into(), json!(2000));
        StoredDoc {
            id: id.into(),
            vector: unit(vector),
            lexical: SparseTerms::default(),
            payload,
        }
    }

    /// A document whose words are `text` (analysed as the server does).
    fn worded(id: &str, vector: &[f32], lat: f64, lon: f64, text: &str) -> StoredDoc {
        StoredDoc {
            lexical: Analyser::StemsAndBigrams.document_vector(text),
            ..doc(id, vector, lat, lon)
        }
    }

    /// Whether `needle` is in the bytes of any file at or under `path`.
    fn on_disk(path: &Path, needle: &[u8]) -> bool {
        if path.is_dir() {
            let mut entries = std::fs::read_dir(path).unwrap();
            entries.any(|entry| on_disk(&entry.unwrap().path(), needle))
        } else {
            std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        }
    }

    #[test]
    fn a_purge_erases_deleted_records_from_disk_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let with_text = |id: &str, v: &[f32], text: &str| {
            let mut d = doc(id, v, 37.2, 127.0);
            d.payload.insert("resume".into(), json!(text));
            d
        };
        let kept = with_text("kept", &[1.0, 0.2], "KEPT-MARKER-2b9e");
        {
            let store = EdgeStore::open(dir.path(), &model("m", 2), Analyser::default()).unwrap();
            store
                .upsert(
                    Collection::Seekers,
                    vec![
                        kept.clone(),
                        with_text("gone", &[0.1, 1.0], "GONE-MARKER-5d1c"),
                    ],
                )
                .unwrap();
            assert_eq!(store.purge_deleted().unwrap(), 0, "nothing deleted yet");
            assert!(on_disk(dir.path(), b"GONE-MARKER-5d1c"));

            assert!(store.delete(Collection::Seekers, "gone").unwrap());
            // Deleted but not yet purged: hidden from every answer, still on disk.
            assert!(store.get(Collection::Seekers, "gone").unwrap().is_none());
            assert!(on_disk(dir.path(), b"GONE-MARKER-5d1c"));

            assert_eq!(store.purge_deleted().unwrap(), 1);
            assert!(!on_disk(dir.path(), b"GONE-MARKER-5d1c"));
            assert!(on_disk(dir.path(), b"KEPT-MARKER-2b9e"));
            assert_eq!(store.count(Collection::Seekers).unwrap(), 1);
            let stored = store.get(Collection::Seekers, "kept").unwrap().unwrap();
            assert!(cosine(&stored.vector, &kept.vector) > 0.9999);
            assert_eq!(stored.payload.get("resume"), kept.payload.get("resume"));
            // Writes and indexed filters work on the rewritten shard.
            store
                .upsert(
                    Collection::Seekers,
                    vec![with_text("new", &[0.5, 0.5], "x")],
                )
                .unwrap();
            let query = CandidateQuery {
                vector: unit(&[1.0, 0.2]),
                origin: GeoPoint {
                    lat: 37.2,
                    lon: 127.0,
                },
                filters: vec![FieldFilter::IntRange {
                    field: fields::BIRTH_YEAR,
                    min: Some(1999),
                    max: Some(2001),
                }],
                lexical: SparseTerms::default(),
                prefetch: 10,
                near_km: None,
                payload: CandidatePayload::Full,
            };
            let mut found = store.candidates(Collection::Seekers, &query).unwrap();
            found.sort_by(|a, b| {
                cosine(&query.vector, &b.doc.vector)
                    .total_cmp(&cosine(&query.vector, &a.doc.vector))
            });
            assert_eq!(found.len(), 2);
            assert_eq!(found[0].doc.id, "kept");
            assert_eq!(
                store.purge_deleted().unwrap(),
                0,
                "nothing pending any more"
            );
        }
        let reopened = EdgeStore::open(dir.path(), &model("m", 2), Analyser::default()).unwrap();
        assert_eq!(reopened.count(Collection::Seekers).unwrap(), 2);
        assert!(reopened.get(Collection::Seekers, "gone").unwrap().is_none());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".purge"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn idf_follows_the_documents_as_they_arrive_and_leave() {
        let dir = tempfile::tempdir().unwrap();
        let store = EdgeStore::open(dir.path(), &model("m", 2), Analyser::default()).unwrap();
        let terms = Analyser::Stems.query_vector("용접기능사");
        let score_of_first = |store: &EdgeStore| {
            store
                .lexical_scores(Collection::Postings, &terms, &["p0".to_string()])
                .unwrap()["p0"]
        };
        let mut docs = vec![worded("p0", &[1.0, 0.0], 37.0, 127.0, "용접기능사 우대")];
        docs.extend(
            (1..20).map(|i| worded(&format!("x{i}"), &[0.0, 1.0], 37.0, 127.0, "회계 사무")),
        );
        store.upsert(Collection::Postings, docs).unwrap();
        let rare = score_of_first(&store);
        let more: Vec<StoredDoc> = (0..10)
            .map(|i| {
                worded(
                    &format!("w{i}"),
                    &[1.0, 0.0],
                    37.0,
                    127.0,
                    "용접기능사 필수",
                )
            })
            .collect();
        store.upsert(Collection::Postings, more).unwrap();
        let common = score_of_first(&store);
        assert!(
            common < rare,
            "a word in more documents weighs less: {common} vs {rare}"
        );
        for i in 0..10 {
            store
                .delete(Collection::Postings, &format!("w{i}"))
                .unwrap();
        }
        // Qdrant counts a deleted point in its IDF statistics until the segment is rewritten: the
        // purge (every --maintenance-interval-secs in the server) brings the statistics back.
        assert_eq!(store.purge_deleted().unwrap(), 1);
        let rare_again = score_of_first(&store);
        assert!(
            (rare_again - rare).abs() < 1e-4 * rare.max(1.0),
            "{rare_again} vs {rare}"
        );
    }
}
