//! The embedded Qdrant backend (`qdrant-edge`, pinned at 0.7.0).
//!
//! Pinned because qdrant-edge 0.8 and 0.9 use `std::debug_assert_matches`, stable only from Rust
//! 1.96, and the toolchain here is 1.95. 0.7.0 has the same `Formula` / `DecayKind` / query API.
//! Upgrade path: once the toolchain is ≥ 1.96, bump the pin and run the tests; the types used here
//! are re-exported at the crate root in all three versions.
//!
//! Layout under the data directory: `postings/` and `seekers/`, one shard each, plus
//! `model.json` recording which model made the vectors. Point ids are UUIDv5 of the record id
//! (Qdrant ids are integers or UUIDs); the record id itself is kept in the payload.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qdrant_edge::external::uuid::Uuid;
use qdrant_edge::{
    Condition, CreateIndex, DecayKind, Distance, EdgeConfigBuilder, EdgeShard,
    EdgeVectorParamsBuilder, Expression, FieldCondition, FieldIndexOperations, Filter, Formula,
    GeoPoint as QGeoPoint, GeoRadius, JsonPath, Match, NamedQuery, Payload, PayloadFieldSchema,
    PayloadSchemaType, PointId, PointInsertOperations, PointOperations, Prefetch, QueryEnum,
    QueryRequest, Range, ScoringQuery, ScrollRequest, UpdateOperation, VectorInternal,
    VectorStructInternal, WithPayloadInterface, WithVector,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Mutex;

use super::{
    Boost, Collection, FieldFilter, RankedQuery, ScanCursor, ScoredDoc, StoredDoc, VectorStore,
};
use crate::domain::fields;
use crate::embed::ModelInfo;
use crate::error::{Error, Result};

/// Name of the dense vector in every point.
const DENSE: &str = "dense";
/// Payload key holding the record id (point ids are derived from it).
const ID_FIELD: &str = "id";

/// What made the stored vectors; a server started with another model is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredModel {
    pub name: String,
    pub dimension: usize,
    /// SHA-256 of the weight file (empty when the embedder has none, or for data written before it was recorded).
    #[serde(default)]
    pub weights_sha256: String,
}

impl StoredModel {
    pub fn of(model: &ModelInfo) -> Self {
        Self {
            name: model.name.clone(),
            dimension: model.dimension,
            weights_sha256: model.weights_sha256.clone(),
        }
    }

    /// Same name and dimension, and the same weights where both sides know their hash.
    fn matches(&self, other: &StoredModel) -> bool {
        self.name == other.name
            && self.dimension == other.dimension
            && (self.weights_sha256.is_empty()
                || other.weights_sha256.is_empty()
                || self.weights_sha256 == other.weights_sha256)
    }

    fn describe(&self) -> String {
        let hash = if self.weights_sha256.is_empty() {
            "unknown".to_string()
        } else {
            self.weights_sha256.chars().take(12).collect()
        };
        format!(
            "'{}' (dimension {}, weights {hash})",
            self.name, self.dimension
        )
    }
}

struct Shard {
    shard: EdgeShard,
    /// Serialises writes and flushes: `EdgeShard::flush` must not race an update.
    write_lock: Mutex<()>,
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

/// Deterministic point id of a record id (UUIDv5 in a per-collection namespace).
fn point_id(collection: Collection, id: &str) -> PointId {
    let namespace = Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("jobmatch/{}", collection.name()).as_bytes(),
    );
    PointId::Uuid(Uuid::new_v5(&namespace, id.as_bytes()))
}

/// Payload fields indexed per collection, so filters run inside the index.
fn indexed_fields(collection: Collection) -> Vec<(&'static str, PayloadSchemaType)> {
    let mut list = vec![
        (fields::GEO, PayloadSchemaType::Geo),
        (fields::SIDO_CODE, PayloadSchemaType::Keyword),
        (ID_FIELD, PayloadSchemaType::Keyword),
    ];
    match collection {
        Collection::Postings => list.extend([
            (fields::SECTOR, PayloadSchemaType::Keyword),
            (fields::EMPLOYMENT_TYPE, PayloadSchemaType::Keyword),
            (fields::CERTIFIED, PayloadSchemaType::Bool),
        ]),
        Collection::Seekers => list.extend([
            (fields::EDUCATION_TRACK, PayloadSchemaType::Keyword),
            (fields::BIRTH_YEAR, PayloadSchemaType::Integer),
            (fields::AVAILABLE_DAY, PayloadSchemaType::Integer),
            (fields::DISCHARGE_DAY, PayloadSchemaType::Integer),
            (fields::COMMUTE_BUCKET, PayloadSchemaType::Integer),
        ]),
    }
    list
}

impl EdgeStore {
    /// Opens (or creates) the shards in the generation directory `dir` for vectors of `model`.
    ///
    /// Refuses a directory whose vectors were made by a different model (name, dimension or
    /// weights), naming both.
    pub fn open(dir: &Path, model: &ModelInfo) -> Result<Self> {
        let wanted = StoredModel::of(model);
        check_model(dir, &wanted)?;
        Self::open_shards(dir, model.dimension)
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
            let shard = open_shard(&path, collection, dimension)?;
            shards.insert(
                collection,
                Shard {
                    shard,
                    write_lock: Mutex::new(()),
                },
            );
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
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Io(format!("{} is not valid: {e}", path.display())))
}

fn check_model(dir: &Path, wanted: &StoredModel) -> Result<()> {
    if let Some(stored) = read_model(dir)? {
        if !stored.matches(wanted) {
            return Err(Error::FailedPrecondition(format!(
                "the data directory holds vectors of model {} (in {}), but the server was started with \
                 model {}; start with the same model, or re-index to the new one (jobmatch reindex --model DIR)",
                stored.describe(),
                dir.display(),
                wanted.describe(),
            )));
        }
        return Ok(());
    }
    let path = model_file(dir);
    let text = serde_json::to_string_pretty(wanted).map_err(|e| Error::Io(e.to_string()))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}

fn open_shard(path: &Path, collection: Collection, dimension: usize) -> Result<EdgeShard> {
    let config = EdgeConfigBuilder::new()
        .vector(
            DENSE,
            EdgeVectorParamsBuilder::new(dimension, Distance::Cosine).build(),
        )
        .build();
    let exists = path.join("edge_config.json").exists();
    let shard = if exists {
        EdgeShard::load(path, Some(config))
    } else {
        std::fs::create_dir_all(path)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", path.display())))?;
        EdgeShard::new(path, config)
    }
    .map_err(store_err(&format!(
        "cannot open the {} shard at {}",
        collection.name(),
        path.display()
    )))?;

    for (field, schema) in indexed_fields(collection) {
        let create = CreateIndex {
            field_name: json_path(field),
            field_schema: Some(PayloadFieldSchema::FieldType(schema)),
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

fn to_condition(filter: &FieldFilter) -> Condition {
    if let FieldFilter::CommuteReaches { center } = filter {
        return commute_condition(*center);
    }
    let condition = match filter {
        FieldFilter::CommuteReaches { .. } => unreachable!("handled above"),
        FieldFilter::AnyOf { field, values } => {
            FieldCondition::new_match(json_path(field), Match::from(values.clone()))
        }
        FieldFilter::IntRange { field, min, max } => FieldCondition::new_range(
            json_path(field),
            Range {
                gte: min.map(|v| (v as f64).into()),
                lte: max.map(|v| (v as f64).into()),
                lt: None,
                gt: None,
            },
        ),
        FieldFilter::Is { field, value } => {
            FieldCondition::new_match(json_path(field), Match::from(*value))
        }
        FieldFilter::WithinKm { center, km } => FieldCondition::new_geo_radius(
            json_path(fields::GEO),
            GeoRadius {
                center: to_qgeo(*center),
                radius: (km * 1000.0).into(),
            },
        ),
    };
    Condition::Field(condition)
}

/// Stated no commute, or one bucket's radius around `center` and that bucket: one `should` clause
/// per bucket, so the seeker's own limit is checked inside the index.
fn commute_condition(center: crate::domain::GeoPoint) -> Condition {
    let bucket = |value: u32| {
        Condition::Field(FieldCondition::new_match(
            json_path(fields::COMMUTE_BUCKET),
            Match::from(i64::from(value)),
        ))
    };
    let mut should = vec![bucket(0)];
    for km in crate::domain::COMMUTE_BUCKETS_KM {
        should.push(Condition::Filter(Filter {
            must: Some(vec![
                bucket(km),
                Condition::Field(FieldCondition::new_geo_radius(
                    json_path(fields::GEO),
                    GeoRadius {
                        center: to_qgeo(center),
                        radius: (f64::from(km) * 1000.0).into(),
                    },
                )),
            ]),
            ..Filter::default()
        }));
    }
    Condition::Filter(Filter {
        should: Some(should),
        ..Filter::default()
    })
}

fn to_qgeo(point: crate::domain::GeoPoint) -> QGeoPoint {
    QGeoPoint::new_unchecked(point.lon, point.lat)
}

fn to_filter(filters: &[FieldFilter]) -> Option<Filter> {
    if filters.is_empty() {
        return None;
    }
    Some(Filter {
        must: Some(filters.iter().map(to_condition).collect()),
        ..Filter::default()
    })
}

/// `w_sem · $score + w_geo · gauss_decay(geo_distance(origin, geo), scale)`, distances in metres.
fn fusion_formula(query: &RankedQuery) -> Result<ScoringQuery> {
    let fusion = &query.fusion;
    let decay = Expression::Decay {
        kind: DecayKind::Gauss,
        x: Box::new(Expression::GeoDistance {
            origin: to_qgeo(query.origin),
            to: json_path(fields::GEO),
        }),
        target: None,
        midpoint: Some(crate::ranking::DECAY_MIDPOINT as f32),
        scale: Some((fusion.decay_scale_km * 1000.0) as f32),
    };
    let mut terms = vec![
        Expression::Mult(vec![
            Expression::Constant(fusion.semantic_weight as f32),
            Expression::Variable("$score".into()),
        ]),
        Expression::Mult(vec![Expression::Constant(fusion.geo_weight as f32), decay]),
    ];
    terms.extend(query.boosts.iter().map(boost_term));
    let formula = Formula {
        formula: Expression::Sum(terms),
        defaults: HashMap::new(),
    };
    let parsed = formula
        .try_into()
        .map_err(|e| Error::Store(format!("ranking formula rejected: {e}")))?;
    Ok(ScoringQuery::Formula(parsed))
}

/// `amount` (when unconditional) or `amount · [condition]` (a condition scores 1 or 0).
fn boost_term(boost: &Boost) -> Expression {
    let amount = Expression::Constant(boost.amount as f32);
    match &boost.when {
        None => amount,
        Some(filter) => Expression::Mult(vec![
            amount,
            Expression::Condition(Box::new(to_condition(filter))),
        ]),
    }
}

fn dense_vector(vector: Option<VectorStructInternal>) -> Vec<f32> {
    match vector {
        Some(VectorStructInternal::Named(mut named)) => match named.remove(DENSE) {
            Some(VectorInternal::Dense(v)) => v,
            _ => Vec::new(),
        },
        Some(VectorStructInternal::Single(v)) => v,
        _ => Vec::new(),
    }
}

fn to_doc(payload: Option<Payload>, vector: Option<VectorStructInternal>) -> Result<StoredDoc> {
    let payload = payload.map(|p| p.0).unwrap_or_default();
    let id = payload
        .get(ID_FIELD)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Store("stored point has no id field".into()))?
        .to_string();
    Ok(StoredDoc {
        id,
        vector: dense_vector(vector),
        payload,
    })
}

impl VectorStore for EdgeStore {
    fn upsert(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<()> {
        let points = docs
            .into_iter()
            .map(|doc| {
                let mut payload: Map<String, Value> = doc.payload;
                payload.insert(ID_FIELD.into(), Value::String(doc.id.clone()));
                let vectors = qdrant_edge::Vectors::new_named([(DENSE, doc.vector)]);
                qdrant_edge::PointStruct::new(
                    point_id(collection, &doc.id),
                    vectors,
                    Value::Object(payload),
                )
                .into()
            })
            .collect();
        let shard = self.shard(collection);
        let _guard = shard
            .write_lock
            .lock()
            .map_err(|_| Error::Store("write lock poisoned".into()))?;
        // One operation, one WAL record: the batch lands whole or not at all.
        shard
            .shard
            .update(UpdateOperation::PointOperation(
                PointOperations::UpsertPoints(PointInsertOperations::PointsList(points)),
            ))
            .map_err(store_err("upsert failed"))?;
        // qdrant-edge 0.7 does not replay its WAL at load: flush so an acknowledged write survives a crash.
        shard.shard.flush();
        Ok(())
    }

    fn get(&self, collection: Collection, id: &str) -> Result<Option<StoredDoc>> {
        let records = self
            .shard(collection)
            .shard
            .retrieve(
                &[point_id(collection, id)],
                Some(WithPayloadInterface::Bool(true)),
                Some(WithVector::Bool(true)),
            )
            .map_err(store_err("retrieve failed"))?;
        records
            .into_iter()
            .next()
            .map(|r| to_doc(r.payload, r.vector))
            .transpose()
    }

    fn delete(&self, collection: Collection, id: &str) -> Result<bool> {
        let shard = self.shard(collection);
        let _guard = shard
            .write_lock
            .lock()
            .map_err(|_| Error::Store("write lock poisoned".into()))?;
        let pid = point_id(collection, id);
        let existed = !shard
            .shard
            .retrieve(&[pid], Some(WithPayloadInterface::Bool(false)), None)
            .map_err(store_err("retrieve failed"))?
            .is_empty();
        if existed {
            shard
                .shard
                .update(UpdateOperation::PointOperation(
                    PointOperations::DeletePoints { ids: vec![pid] },
                ))
                .map_err(store_err("delete failed"))?;
            shard.shard.flush();
        }
        Ok(existed)
    }

    fn count(&self, collection: Collection) -> Result<usize> {
        let request = qdrant_edge::CountRequest {
            filter: None,
            exact: true,
        };
        self.shard(collection)
            .shard
            .count(request)
            .map_err(store_err("count failed"))
    }

    fn search(&self, collection: Collection, query: &RankedQuery) -> Result<Vec<ScoredDoc>> {
        let filter = to_filter(&query.filters);
        let prefetch = Prefetch {
            prefetches: Vec::new(),
            query: Some(ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                query: VectorInternal::Dense(query.vector.clone()),
                using: Some(DENSE.into()),
            }))),
            limit: query.prefetch.max(query.limit),
            params: None,
            filter: filter.clone(),
            score_threshold: None,
        };
        let request = QueryRequest {
            prefetches: vec![prefetch],
            query: Some(fusion_formula(query)?),
            filter,
            score_threshold: None,
            limit: query.limit,
            offset: 0,
            params: None,
            with_vector: WithVector::Bool(true),
            with_payload: WithPayloadInterface::Bool(true),
        };
        let points = self
            .shard(collection)
            .shard
            .query(request)
            .map_err(store_err("query failed"))?;
        points
            .into_iter()
            .map(|p| {
                Ok(ScoredDoc {
                    score: f64::from(p.score),
                    doc: to_doc(p.payload, p.vector)?,
                })
            })
            .collect()
    }

    fn scan(
        &self,
        collection: Collection,
        cursor: Option<ScanCursor>,
        limit: usize,
    ) -> Result<(Vec<StoredDoc>, Option<ScanCursor>)> {
        let offset = cursor
            .map(|c| {
                Uuid::parse_str(&c.0)
                    .map(PointId::Uuid)
                    .map_err(|e| Error::Store(format!("bad scan cursor '{}': {e}", c.0)))
            })
            .transpose()?;
        let request = ScrollRequest {
            offset,
            limit: Some(limit.max(1)),
            filter: None,
            with_payload: Some(WithPayloadInterface::Bool(true)),
            with_vector: WithVector::Bool(true),
            order_by: None,
        };
        let (records, next) = self
            .shard(collection)
            .shard
            .scroll(request)
            .map_err(store_err("scroll failed"))?;
        let docs = records
            .into_iter()
            .map(|r| to_doc(r.payload, r.vector))
            .collect::<Result<Vec<_>>>()?;
        let next = next
            .map(|id| match id {
                PointId::Uuid(uuid) => Ok(ScanCursor(uuid.to_string())),
                other => Err(Error::Store(format!("unexpected point id {other:?}"))),
            })
            .transpose()?;
        Ok((docs, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GeoPoint;
    use crate::embed::Pooling;
    use crate::ranking::{cosine, fuse, haversine_km, FusionParams};
    use serde_json::json;

    fn model(name: &str, dimension: usize) -> ModelInfo {
        ModelInfo {
            name: name.into(),
            dimension,
            max_tokens: 512,
            pooling: Pooling::Mean,
            query_prefix: String::new(),
            passage_prefix: String::new(),
            weights_sha256: String::new(),
        }
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
            payload,
        }
    }

    #[test]
    fn the_store_ranks_with_the_same_formula_as_the_pure_functions() {
        let dir = tempfile::tempdir().unwrap();
        let store = EdgeStore::open(dir.path(), &model("m", 3)).unwrap();
        let docs = vec![
            doc("a", &[1.0, 0.0, 0.0], 37.20, 126.90),
            doc("b", &[0.8, 0.6, 0.0], 37.00, 127.10),
            doc("c", &[0.0, 1.0, 0.0], 37.16, 126.87),
            doc("d", &[0.6, 0.0, 0.8], 35.10, 129.00),
        ];
        store.upsert(Collection::Seekers, docs.clone()).unwrap();
        let origin = GeoPoint {
            lat: 37.165,
            lon: 126.875,
        };
        for fusion in [
            FusionParams {
                semantic_weight: 1.0,
                geo_weight: 0.0,
                decay_scale_km: 10.0,
            },
            FusionParams {
                semantic_weight: 0.5,
                geo_weight: 0.5,
                decay_scale_km: 10.0,
            },
            FusionParams {
                semantic_weight: 0.1,
                geo_weight: 1.0,
                decay_scale_km: 50.0,
            },
        ] {
            let query = RankedQuery {
                vector: unit(&[1.0, 0.1, 0.0]),
                origin,
                fusion,
                filters: vec![],
                boosts: vec![],
                prefetch: 10,
                limit: 4,
            };
            let hits = store.search(Collection::Seekers, &query).unwrap();
            let mut expected: Vec<(String, f64)> = docs
                .iter()
                .map(|d| {
                    let p: GeoPoint =
                        serde_json::from_value(d.payload[fields::GEO].clone()).unwrap();
                    (
                        d.id.clone(),
                        fuse(
                            cosine(&query.vector, &d.vector),
                            haversine_km(origin, p),
                            &fusion,
                        )
                        .final_score,
                    )
                })
                .collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1));
            let got: Vec<(String, f64)> =
                hits.iter().map(|h| (h.doc.id.clone(), h.score)).collect();
            assert_eq!(
                got.iter().map(|g| &g.0).collect::<Vec<_>>(),
                expected.iter().map(|e| &e.0).collect::<Vec<_>>(),
                "{fusion:?}"
            );
            for (g, e) in got.iter().zip(&expected) {
                assert!((g.1 - e.1).abs() < 1e-4, "{g:?} vs {e:?}");
            }
        }
    }

    #[test]
    fn filters_and_radius_apply_inside_the_query() {
        let dir = tempfile::tempdir().unwrap();
        let store = EdgeStore::open(dir.path(), &model("m", 2)).unwrap();
        let mut docs = vec![
            doc("near", &[1.0, 0.0], 37.0, 127.0),
            doc("far", &[1.0, 0.0], 35.0, 129.0),
        ];
        docs[1]
            .payload
            .insert(fields::BIRTH_YEAR.into(), json!(1980));
        store.upsert(Collection::Seekers, docs).unwrap();
        let base = RankedQuery {
            vector: unit(&[1.0, 0.0]),
            origin: GeoPoint {
                lat: 37.0,
                lon: 127.0,
            },
            fusion: FusionParams::default(),
            filters: vec![],
            boosts: vec![],
            prefetch: 10,
            limit: 10,
        };
        let within = RankedQuery {
            filters: vec![FieldFilter::WithinKm {
                center: base.origin,
                km: 50.0,
            }],
            ..base.clone()
        };
        assert_eq!(store.search(Collection::Seekers, &within).unwrap().len(), 1);
        let old = RankedQuery {
            filters: vec![FieldFilter::IntRange {
                field: fields::BIRTH_YEAR,
                min: None,
                max: Some(1990),
            }],
            ..base
        };
        let hits = store.search(Collection::Seekers, &old).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.doc.id.as_str()).collect::<Vec<_>>(),
            vec!["far"]
        );
    }

    #[test]
    fn writes_survive_reopening_and_deletes_remove_the_vector() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = EdgeStore::open(dir.path(), &model("m", 2)).unwrap();
            store
                .upsert(
                    Collection::Postings,
                    vec![
                        doc("p1", &[1.0, 0.0], 37.0, 127.0),
                        doc("p2", &[0.0, 1.0], 37.0, 127.0),
                    ],
                )
                .unwrap();
            assert!(store.delete(Collection::Postings, "p2").unwrap());
            assert!(!store.delete(Collection::Postings, "p2").unwrap());
        }
        let store = EdgeStore::open(dir.path(), &model("m", 2)).unwrap();
        let p1 = store.get(Collection::Postings, "p1").unwrap().unwrap();
        assert!(cosine(&p1.vector, &[1.0, 0.0]) > 0.9999);
        assert!(store.get(Collection::Postings, "p2").unwrap().is_none());
        assert_eq!(store.count(Collection::Postings).unwrap(), 1);
        assert_eq!(store.count(Collection::Seekers).unwrap(), 0);
    }

    #[test]
    fn another_model_or_other_weights_are_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        drop(EdgeStore::open(dir.path(), &model("alpha", 2)).unwrap());
        let err = EdgeStore::open(dir.path(), &model("beta", 3))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("'alpha' (dimension 2") && err.contains("'beta' (dimension 3"),
            "{err}"
        );
        let hashed = |hash: &str| ModelInfo {
            weights_sha256: hash.into(),
            ..model("gamma", 2)
        };
        let other = tempfile::tempdir().unwrap();
        drop(EdgeStore::open(other.path(), &hashed("aaaa1111")).unwrap());
        let err = EdgeStore::open(other.path(), &hashed("bbbb2222"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("aaaa1111") && err.contains("bbbb2222"),
            "{err}"
        );
        assert!(EdgeStore::open(other.path(), &hashed("aaaa1111")).is_ok());
        assert!(EdgeStore::open(dir.path(), &model("alpha", 2)).is_ok());
    }

    #[test]
    fn scan_pages_through_every_document_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = EdgeStore::open(dir.path(), &model("m", 2)).unwrap();
        let docs: Vec<StoredDoc> = (0..23)
            .map(|i| doc(&format!("s{i}"), &[1.0, i as f32], 37.0, 127.0))
            .collect();
        store.upsert(Collection::Seekers, docs).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let (page, next) = store.scan(Collection::Seekers, cursor, 5).unwrap();
            assert!(page.len() <= 5);
            for d in page {
                assert_eq!(d.vector.len(), 2);
                assert!(seen.insert(d.id), "a document came twice");
            }
            pages += 1;
            match next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 23);
        assert_eq!(pages, 5);
        let (empty, next) = store.scan(Collection::Postings, None, 5).unwrap();
        assert!(empty.is_empty() && next.is_none());
    }
}
