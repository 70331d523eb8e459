//! The Qdrant server backend (`qdrant-client` over gRPC): one Qdrant node or a distributed
//! cluster that several jobmatch replicas share.
//!
//! It lowers the same plan as the embedded store ([`super::plan`]): the same vector names, point
//! ids, payload indexes, filters and candidate lists, sparse vectors with Qdrant's IDF modifier.
//! What the embedded store keeps in the process lives in Qdrant, so replicas hold no state:
//!
//! - **the model's identity** is the collection's metadata (`jobmatch_model`);
//! - **the word counts** used to choose query words are counts of an indexed integer payload
//!   field (`words`: the point's term ids), asked of Qdrant per query term;
//! - **generations** are collections (`{prefix}postings_{generation}`) behind one alias per
//!   kind (`{prefix}postings`). A re-index builds new collections and switches both aliases in one
//!   atomic request; a crash before the switch leaves the old aliases serving.
//!
//! Each replica pins the generation it opened: after another replica re-indexes and drops the
//! old collections, its calls fail with FAILED_PRECONDITION saying to restart with the new model.
//!
//! The [`VectorStore`] contract is blocking; the client is async. Calls run on a small runtime
//! owned by the store (never on the caller's), so they work from `spawn_blocking` and from plain
//! threads alike.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use qdrant_client::qdrant::{
    alias_operations, collections_client::CollectionsClient, point_id::PointIdOptions,
    vector_output, AliasOperations, ChangeAliases, Condition, CountPointsBuilder, CreateAlias,
    CreateCollectionBuilder, CreateFieldIndexCollectionBuilder, DeleteAlias,
    DeleteCollectionBuilder, DeletePointsBuilder, Distance, FieldType, Filter,
    GeoPoint as QGeoPoint, GeoRadius, GetPointsBuilder, Modifier, NamedVectors, PointId,
    PointStruct, PointsIdsList, QueryBatchPointsBuilder, QueryPoints, QueryPointsBuilder, Range,
    ScrollPointsBuilder, SparseVectorParamsBuilder, SparseVectorsConfigBuilder,
    UpsertPointsBuilder, Vector, VectorInput, VectorParamsBuilder, VectorsConfigBuilder,
    VectorsOutput, WriteOrdering, WriteOrderingType,
};
use qdrant_client::qdrant::{with_payload_selector::SelectorOptions, PayloadIncludeSelector};
use qdrant_client::{Payload, Qdrant, QdrantError};
use serde_json::{Map, Value};
use uuid::Uuid;

pub mod logs;
mod word_counts;

use super::plan::{
    candidate_lists, indexed_fields, lower_filters, point_uuid, scan_cursor, scan_start, Clause,
    Found, IndexKind, Signal, StoredModel, TermCounts, DENSE, ID_FIELD, LEXICAL, RANKING_FIELDS,
};
use super::{
    Candidate, CandidatePayload, CandidateQuery, Collection, FieldFilter, GenerationId,
    Generations, ScanCursor, StoredDoc, VectorStore,
};
use crate::domain::{fields, CandidateFacts};
use crate::error::{Error, Result};
use crate::lexical::SparseTerms;

/// The oldest Qdrant with everything used here (collection metadata: 1.16; query API, IDF: 1.10).
const MIN_VERSION: (u64, u64) = (1, 16);
/// Collection metadata key holding the [`StoredModel`] as JSON.
const MODEL_KEY: &str = "jobmatch_model";
/// Payload field of a point's term ids (indexed): Qdrant counts the documents holding a word.
const WORDS_FIELD: &str = "words";
/// Name of the generation made when Qdrant holds none.
const FIRST_GENERATION: &str = "g1";
/// Query terms counted at once when choosing query words.
const COUNTS_IN_FLIGHT: usize = 16;

/// How to reach and lay out the Qdrant server (see `jobmatch serve --help`).
#[derive(Clone)]
pub struct QdrantOptions {
    /// gRPC addresses, `http://HOST:6334` or `https://…` (TLS): one server, or nodes of one
    /// cluster used in turn when the current one stops answering.
    pub urls: Vec<String>,
    /// Never logged or printed.
    pub api_key: Option<String>,
    /// A file holding the API key (read at connect), instead of `api_key`.
    pub api_key_file: Option<std::path::PathBuf>,
    /// Prefix of jobmatch's collections and aliases, so several deployments share one Qdrant.
    pub collection_prefix: String,
    pub shard_number: u32,
    pub replication_factor: u32,
    pub write_consistency_factor: u32,
    /// Deadline of each Qdrant call.
    pub timeout: Duration,
    /// How long word counts read from Qdrant are used again (see `word_counts`; zero: never).
    pub word_count_max_age: Duration,
}

impl Default for QdrantOptions {
    fn default() -> Self {
        Self {
            urls: vec!["http://127.0.0.1:6334".into()],
            api_key: None,
            collection_prefix: "jobmatch_".into(),
            shard_number: 1,
            replication_factor: 1,
            write_consistency_factor: 1,
            timeout: Duration::from_secs(10),
            api_key_file: None,
            word_count_max_age: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for QdrantOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QdrantOptions")
            .field("urls", &self.urls)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("collection_prefix", &self.collection_prefix)
            .field("shard_number", &self.shard_number)
            .field("replication_factor", &self.replication_factor)
            .field("write_consistency_factor", &self.write_consistency_factor)
            .field("timeout", &self.timeout)
            .field("word_count_max_age", &self.word_count_max_age)
            .field("api_key_file", &self.api_key_file)
            .finish()
    }
}

/// The runtime the client's calls run on; shut down without blocking (it may be dropped from
/// async code).
struct Background(Option<tokio::runtime::Runtime>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// A connection to a Qdrant server: its generations (see the module docs).
#[derive(Clone)]
pub struct QdrantServer {
    /// One client per address of `options.urls`, in that order.
    clients: Arc<Vec<Qdrant>>,
    /// The address calls go to first: the last one that answered.
    current: Arc<AtomicUsize>,
    runtime: Arc<Background>,
    options: QdrantOptions,
    /// The server's version, as it reports it.
    version: String,
}

/// Maps a Qdrant call's failure: unreachable or timed out is UNAVAILABLE, a missing collection
/// means another replica replaced this generation, the rest is an internal store error.
fn server_err(context: &str) -> impl Fn(QdrantError) -> Error + '_ {
    move |e| match &e {
        // The client reports a refused connection as INTERNAL "Failed to connect to …".
        QdrantError::ResponseError { status }
            if status.code() == tonic::Code::Internal
                && status.message().starts_with("Failed to connect") =>
        {
            Error::Unavailable(format!(
                "{context}: Qdrant is unreachable: {}",
                status.message()
            ))
        }
        QdrantError::ResponseError { status } => match status.code() {
            tonic::Code::Unavailable | tonic::Code::DeadlineExceeded | tonic::Code::Cancelled => {
                Error::Unavailable(format!(
                    "{context}: Qdrant is unreachable: {}",
                    status.message()
                ))
            }
            tonic::Code::NotFound => Error::FailedPrecondition(format!(
                "{context}: {}; the collections this replica opened are gone (a re-index on \
                 another replica?): restart it with the serving model",
                status.message()
            )),
            tonic::Code::Unauthenticated | tonic::Code::PermissionDenied => {
                Error::FailedPrecondition(format!(
                    "{context}: Qdrant refused the API key ({}); check --qdrant-api-key-file",
                    status.message()
                ))
            }
            _ => Error::Store(format!("{context}: {}", status.message())),
        },
        QdrantError::ResourceExhaustedError { status, .. } => Error::ResourceExhausted(format!(
            "{context}: Qdrant is overloaded: {}",
            status.message()
        )),
        _ => Error::Store(format!("{context}: {e}")),
    }
}

/// `major.minor` of a version string like `1.19.0`.
fn major_minor(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

impl QdrantServer {
    /// Connects, and refuses a server older than the features jobmatch needs. Blocking.
    pub fn connect(mut options: QdrantOptions) -> Result<Self> {
        if let Some(path) = &options.api_key_file {
            let key = std::fs::read_to_string(path).map_err(|e| {
                Error::FailedPrecondition(format!(
                    "--qdrant-api-key-file {}: cannot read it: {e}",
                    path.display()
                ))
            })?;
            options.api_key = Some(key.trim().to_string());
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("qdrant-client")
            .enable_all()
            .build()
            .map_err(|e| Error::Io(format!("cannot start the Qdrant client's runtime: {e}")))?;
        let runtime = Arc::new(Background(Some(runtime)));
        if options.urls.is_empty() {
            return Err(Error::FailedPrecondition(
                "--qdrant-url: no address given".into(),
            ));
        }
        let clients = options
            .urls
            .iter()
            .map(|url| {
                Qdrant::from_url(url)
                    .api_key(options.api_key.clone())
                    .timeout(options.timeout)
                    .connect_timeout(options.timeout)
                    .skip_compatibility_check()
                    .build()
                    .map_err(|e| Error::FailedPrecondition(format!("--qdrant-url '{url}': {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut server = Self {
            clients: Arc::new(clients),
            current: Arc::new(AtomicUsize::new(0)),
            runtime,
            options,
            version: String::new(),
        };
        let url = server.options.urls.join(", ");
        let health = server
            .run((), |client, ()| async move { client.health_check().await })
            .map_err(|e| match e {
                Error::Store(message) | Error::Unavailable(message) => {
                    Error::Unavailable(format!("cannot reach Qdrant at {url}: {message}"))
                }
                other => other,
            })?;
        match major_minor(&health.version) {
            Some(version) if version >= MIN_VERSION => {}
            _ => {
                return Err(Error::FailedPrecondition(format!(
                    "Qdrant at {url} is version '{}'; jobmatch needs {}.{} or newer \
                     (collection metadata, the query API, sparse IDF)",
                    health.version, MIN_VERSION.0, MIN_VERSION.1
                )))
            }
        }
        server.version = health.version;
        Ok(server)
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Runs one client call with `request` on the store's runtime and waits for it (from any
    /// thread). When the address in use is unreachable, the same request goes to the next
    /// address, and the first that answers is used from then on. Every request jobmatch sends
    /// is safe to repeat: points have fixed ids, and creations check what exists.
    fn run<R, T, F, Fut>(&self, request: R, call: F) -> Result<T>
    where
        R: Clone + Send + 'static,
        T: Send + 'static,
        F: Fn(Qdrant, R) -> Fut + Send + 'static,
        Fut: Future<Output = std::result::Result<T, QdrantError>> + Send + 'static,
    {
        let clients = self.clients.clone();
        let current = self.current.clone();
        let urls = self.options.urls.clone();
        self.run_async(async move {
            let first = current.load(Ordering::Relaxed);
            let mut unreachable = Vec::new();
            for step in 0..clients.len() {
                let at = (first + step) % clients.len();
                match call(clients[at].clone(), request.clone())
                    .await
                    .map_err(server_err("Qdrant call failed"))
                {
                    Err(Error::Unavailable(message)) => unreachable.push(message),
                    answer => {
                        if step > 0 {
                            current.store(at, Ordering::Relaxed);
                            tracing::warn!(
                                url = %urls[at],
                                unreachable = %urls[first],
                                "Qdrant: failed over to another address"
                            );
                        }
                        return answer;
                    }
                }
            }
            Err(Error::Unavailable(unreachable.join("; ")))
        })?
    }

    /// The address calls go to first.
    fn current_url(&self) -> &str {
        &self.options.urls[self.current.load(Ordering::Relaxed) % self.options.urls.len()]
    }

    /// Runs `future` on the store's runtime and waits for its output.
    fn run_async<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> Result<T> {
        let runtime = self
            .runtime
            .0
            .as_ref()
            .ok_or_else(|| Error::Store("the Qdrant client is shut down".into()))?;
        let (done, answer) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = done.send(future.await);
        });
        answer
            .recv()
            .map_err(|_| Error::Store("a Qdrant call was dropped".into()))
    }

    fn alias(&self, collection: Collection) -> String {
        format!("{}{}", self.options.collection_prefix, collection.name())
    }

    fn collection_name(&self, collection: Collection, generation: &str) -> String {
        format!("{}_{generation}", self.alias(collection))
    }

    /// The generation both aliases point at, if they exist (and agree).
    fn serving_generation(&self) -> Result<Option<String>> {
        let aliases = self.run((), |client, ()| async move { client.list_aliases().await })?;
        let mut found = Vec::new();
        for collection in [Collection::Postings, Collection::Seekers] {
            let alias = self.alias(collection);
            let target = aliases
                .aliases
                .iter()
                .find(|a| a.alias_name == alias)
                .map(|a| a.collection_name.clone());
            let generation = target.map(|name| {
                name.strip_prefix(&format!("{alias}_"))
                    .map(str::to_string)
                    .ok_or_else(|| {
                        Error::FailedPrecondition(format!(
                            "Qdrant alias '{alias}' points at '{name}', which jobmatch did not make"
                        ))
                    })
            });
            found.push(generation.transpose()?);
        }
        match (found[0].take(), found[1].take()) {
            (None, None) => Ok(None),
            (Some(p), Some(s)) if p == s => Ok(Some(p)),
            (p, s) => Err(Error::FailedPrecondition(format!(
                "Qdrant aliases disagree: postings → {p:?}, seekers → {s:?}; fix them by hand \
                 (jobmatch switches both in one request, so this was not jobmatch)"
            ))),
        }
    }

    /// The model recorded on a generation's postings collection.
    fn generation_model(&self, generation: &str) -> Result<StoredModel> {
        let name = self.collection_name(Collection::Postings, generation);
        let info = {
            let name = name.clone();
            self.run(name, |client, name| async move {
                client.collection_info(name).await
            })?
        };
        let metadata = info
            .result
            .and_then(|i| i.config)
            .map(|c| c.metadata)
            .unwrap_or_default();
        let text = metadata
            .get(MODEL_KEY)
            .and_then(|v| v.as_str().map(|s| s.to_string()))
            .ok_or_else(|| {
                Error::FailedPrecondition(format!(
                    "Qdrant collection '{name}' has no '{MODEL_KEY}' metadata: not made by jobmatch"
                ))
            })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::FailedPrecondition(format!("'{MODEL_KEY}' of '{name}' is not valid: {e}"))
        })
    }

    /// Creates the collection `create` describes unless `name` exists; another replica may
    /// create it at the same moment, so a failed creation is fine when the collection is there.
    fn create_collection_once(&self, name: &str, create: CreateCollectionBuilder) -> Result<()> {
        let exists = |server: &Self| {
            server.run(name.to_string(), |client, name| async move {
                client.collection_exists(name).await
            })
        };
        if exists(self)? {
            return Ok(());
        }
        match self.run(create, |client, create| async move {
            client.create_collection(create).await
        }) {
            Err(e) if !exists(self)? => Err(e),
            _ => Ok(()),
        }
    }

    /// Creates one generation's collections (if missing) with their indexes.
    fn create_collections(&self, generation: &str, model: &StoredModel) -> Result<()> {
        let model_json = serde_json::to_string(model).map_err(|e| Error::Store(e.to_string()))?;
        for collection in [Collection::Postings, Collection::Seekers] {
            let name = self.collection_name(collection, generation);
            // The indexes below are made either way (idempotent), whoever created it.
            self.create_collection_once(&name, {
                let mut vectors = VectorsConfigBuilder::default();
                vectors.add_named_vector_params(
                    DENSE,
                    VectorParamsBuilder::new(model.dimension as u64, Distance::Cosine),
                );
                let mut sparse = SparseVectorsConfigBuilder::default();
                sparse.add_named_vector_params(
                    LEXICAL,
                    SparseVectorParamsBuilder::default().modifier(Modifier::Idf),
                );
                let metadata =
                    HashMap::from([(MODEL_KEY.to_string(), Value::String(model_json.clone()))]);
                CreateCollectionBuilder::new(name.clone())
                    .vectors_config(vectors)
                    .sparse_vectors_config(sparse)
                    .shard_number(self.options.shard_number)
                    .replication_factor(self.options.replication_factor)
                    .write_consistency_factor(self.options.write_consistency_factor)
                    .metadata(metadata)
            })?;
            let mut indexes = indexed_fields(collection);
            indexes.push((WORDS_FIELD, IndexKind::Integer));
            for (field, kind) in indexes {
                let index =
                    CreateFieldIndexCollectionBuilder::new(name.clone(), field, field_type(kind))
                        .wait(true);
                self.run(index, |client, index| async move {
                    client.create_field_index(index).await
                })?;
            }
        }
        Ok(())
    }

    /// Points both aliases at `generation` in one request (atomic in Qdrant).
    fn point_aliases_at(&self, generation: &str) -> Result<()> {
        let mut actions = Vec::new();
        let serving = self.serving_generation()?;
        for collection in [Collection::Postings, Collection::Seekers] {
            let alias = self.alias(collection);
            if serving.is_some() {
                actions.push(AliasOperations {
                    action: Some(alias_operations::Action::DeleteAlias(DeleteAlias {
                        alias_name: alias.clone(),
                    })),
                });
            }
            actions.push(AliasOperations {
                action: Some(alias_operations::Action::CreateAlias(CreateAlias {
                    collection_name: self.collection_name(collection, generation),
                    alias_name: alias,
                })),
            });
        }
        let url = self.current_url().to_string();
        let api_key = self.options.api_key.clone();
        let timeout = self.options.timeout;
        let change = ChangeAliases {
            actions,
            timeout: Some(timeout.as_secs().max(1)),
        };
        // The high-level client sends one alias action per request; the switch needs both in one.
        self.run_async(async move {
            let channel = tonic::transport::Endpoint::from_shared(url.clone())
                .map_err(|e| Error::FailedPrecondition(format!("--qdrant-url '{url}': {e}")))?
                .timeout(timeout)
                .connect_timeout(timeout)
                .connect()
                .await
                .map_err(|e| Error::Unavailable(format!("cannot reach Qdrant at {url}: {e}")))?;
            let mut client = CollectionsClient::with_interceptor(
                channel,
                move |mut request: tonic::Request<()>| {
                    if let Some(key) = &api_key {
                        let value = key.parse().map_err(|_| {
                            tonic::Status::invalid_argument("the Qdrant API key is not ASCII")
                        })?;
                        request.metadata_mut().insert("api-key", value);
                    }
                    Ok(request)
                },
            );
            client
                .update_aliases(change)
                .await
                .map(|_| ())
                .map_err(|status| {
                    server_err("switching the aliases failed")(QdrantError::ResponseError {
                        status,
                    })
                })
        })?
    }

    fn store(&self, generation: &str) -> ServerStore {
        ServerStore {
            server: self.clone(),
            names: [Collection::Postings, Collection::Seekers]
                .into_iter()
                .map(|c| (c, self.collection_name(c, generation)))
                .collect(),
            word_counts: word_counts::WordCounts::new(self.options.word_count_max_age),
        }
    }

    /// A new generation's collections, not serving (no alias points at them).
    pub fn create_unaliased(&self, model: &StoredModel) -> Result<(GenerationId, ServerStore)> {
        let generation = Self::new_generation_name();
        self.create_collections(&generation, model)?;
        let store = self.store(&generation);
        Ok((GenerationId(generation), store))
    }

    /// Waits until Qdrant reports a generation's collections green: its optimisers (vector index,
    /// segment merges) have finished. For benchmarks, which should time a settled store.
    pub fn wait_optimised(&self, generation: &GenerationId, limit: Duration) -> Result<()> {
        let deadline = std::time::Instant::now() + limit;
        for collection in [Collection::Postings, Collection::Seekers] {
            let name = self.collection_name(collection, &generation.0);
            loop {
                let info = {
                    let name = name.clone();
                    self.run(name, |client, name| async move {
                        client.collection_info(name).await
                    })?
                };
                let status = info.result.map(|r| r.status).unwrap_or_default();
                if status == qdrant_client::qdrant::CollectionStatus::Green as i32 {
                    break;
                }
                if std::time::Instant::now() > deadline {
                    return Err(Error::DeadlineExceeded(format!(
                        "Qdrant collection '{name}' still optimising after {limit:?}"
                    )));
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        }
        Ok(())
    }

    /// A fresh generation name, ordered by time of creation.
    fn new_generation_name() -> String {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        format!("g{millis}")
    }
}

fn field_type(kind: IndexKind) -> FieldType {
    match kind {
        IndexKind::Geo => FieldType::Geo,
        IndexKind::Keyword => FieldType::Keyword,
        IndexKind::Integer => FieldType::Integer,
        IndexKind::Bool => FieldType::Bool,
    }
}

impl Generations for QdrantServer {
    fn open_serving(&self, model: &StoredModel) -> Result<(GenerationId, Arc<dyn VectorStore>)> {
        let generation = match self.serving_generation()? {
            Some(generation) => {
                let stored = self.generation_model(&generation)?;
                let place = format!("Qdrant at {}, generation {generation}", self.current_url());
                stored.check_serves(model, &place)?;
                generation
            }
            None => {
                // The first generation has a fixed name: replicas starting at once on an empty
                // Qdrant create the same collections and point the aliases at the same place.
                let generation = FIRST_GENERATION.to_string();
                self.create_collections(&generation, model)?;
                let place = format!("Qdrant at {}, generation {generation}", self.current_url());
                self.generation_model(&generation)?
                    .check_serves(model, &place)?;
                self.point_aliases_at(&generation)?;
                generation
            }
        };
        let store = self.store(&generation);
        Ok((GenerationId(generation), Arc::new(store)))
    }

    fn open_current(&self) -> Result<(GenerationId, Arc<dyn VectorStore>, StoredModel)> {
        let generation = self.serving_generation()?.ok_or_else(|| {
            Error::FailedPrecondition(format!(
                "Qdrant at {} holds no jobmatch collections (prefix '{}') yet",
                self.current_url(),
                self.options.collection_prefix
            ))
        })?;
        let model = self.generation_model(&generation)?;
        let store = self.store(&generation);
        Ok((GenerationId(generation), Arc::new(store), model))
    }

    fn create(&self, model: &StoredModel) -> Result<(GenerationId, Arc<dyn VectorStore>)> {
        let (generation, store) = self.create_unaliased(model)?;
        Ok((generation, Arc::new(store)))
    }

    fn switch_to(&self, generation: &GenerationId) -> Result<()> {
        self.point_aliases_at(&generation.0)
    }

    fn remove(&self, generation: &GenerationId) -> Result<()> {
        if self.serving_generation()?.as_deref() == Some(generation.0.as_str()) {
            return Err(Error::FailedPrecondition(format!(
                "generation {} is serving; switch away from it first",
                generation.0
            )));
        }
        for collection in [Collection::Postings, Collection::Seekers] {
            let name = self.collection_name(collection, &generation.0);
            self.run(name, |client, name| async move {
                client
                    .delete_collection(DeleteCollectionBuilder::new(name))
                    .await
            })?;
        }
        Ok(())
    }
}

/// One generation's collections on a Qdrant server.
pub struct ServerStore {
    server: QdrantServer,
    names: HashMap<Collection, String>,
    /// Word counts recently read from Qdrant (see [`word_counts`]).
    word_counts: word_counts::WordCounts,
}

fn to_point_id(uuid: Uuid) -> PointId {
    PointId::from(uuid.to_string())
}

fn uuid_of(point: Option<PointId>) -> Result<Uuid> {
    match point.and_then(|p| p.point_id_options) {
        Some(PointIdOptions::Uuid(text)) => Uuid::parse_str(&text)
            .map_err(|e| Error::Store(format!("Qdrant returned a bad point id '{text}': {e}"))),
        other => Err(Error::Store(format!("unexpected point id {other:?}"))),
    }
}

/// Lowers one neutral clause (see [`super::plan`]) to the client's condition.
fn to_condition(clause: &Clause) -> Condition {
    match clause {
        Clause::KeywordIn { field, values } => Condition::matches(*field, values.clone()),
        Clause::IntegerIs { field, value } => Condition::matches(*field, *value),
        Clause::IntegerRange { field, min, max } => Condition::range(
            *field,
            Range {
                gte: min.map(|v| v as f64),
                lte: max.map(|v| v as f64),
                ..Range::default()
            },
        ),
        Clause::BoolIs { field, value } => Condition::matches(*field, *value),
        Clause::GeoRadius { center, meters } => Condition::geo_radius(
            fields::GEO,
            GeoRadius {
                center: Some(QGeoPoint {
                    lat: center.lat,
                    lon: center.lon,
                }),
                radius: *meters as f32,
            },
        ),
        Clause::HasPoint(points) => Condition::has_id(points.iter().copied().map(to_point_id)),
        Clause::AnyGroup(groups) => Filter::should(
            groups
                .iter()
                .map(|group| Condition::from(Filter::must(group.iter().map(to_condition)))),
        )
        .into(),
    }
}

fn to_filter(clauses: &[Clause]) -> Option<Filter> {
    (!clauses.is_empty()).then(|| Filter::must(clauses.iter().map(to_condition)))
}

/// The dense and the sparse vector of a returned point.
fn split_vectors(vectors: Option<VectorsOutput>) -> (Vec<f32>, SparseTerms) {
    let Some(vectors) = vectors else {
        return (Vec::new(), SparseTerms::default());
    };
    let dense = match vectors.get_vector_by_name(DENSE) {
        Some(vector_output::Vector::Dense(v)) => v.data,
        _ => Vec::new(),
    };
    let lexical = match vectors.get_vector_by_name(LEXICAL) {
        Some(vector_output::Vector::Sparse(v)) => SparseTerms {
            indices: v.indices,
            values: v.values,
        },
        _ => SparseTerms::default(),
    };
    (dense, lexical)
}

fn to_doc(
    payload: HashMap<String, qdrant_client::qdrant::Value>,
    vectors: Option<VectorsOutput>,
) -> Result<StoredDoc> {
    let mut payload: Map<String, Value> = Payload::from(payload).into();
    payload.remove(WORDS_FIELD);
    let (vector, lexical) = split_vectors(vectors);
    StoredDoc::from_point(payload, vector, lexical)
}

/// Every payload field but the word ids (stored for Qdrant to count, never read back).
fn payload_without_words() -> qdrant_client::qdrant::with_payload_selector::SelectorOptions {
    qdrant_client::qdrant::with_payload_selector::SelectorOptions::Exclude(
        qdrant_client::qdrant::PayloadExcludeSelector {
            fields: vec![WORDS_FIELD.to_string()],
        },
    )
}

/// The query vector of `signal`: the dense vector for meaning, the sparse terms for words.
fn signal_input(signal: Signal, query: &CandidateQuery) -> VectorInput {
    match signal {
        Signal::Meaning => VectorInput::new_dense(query.vector.clone()),
        Signal::Words => {
            VectorInput::new_sparse(query.lexical.indices.clone(), query.lexical.values.clone())
        }
    }
}

/// Acknowledged only once applied; ordered through the shard's leader, so replicas agree on the
/// order of concurrent writes to one record.
fn write_ordering() -> WriteOrdering {
    WriteOrdering {
        r#type: WriteOrderingType::Medium as i32,
    }
}

impl ServerStore {
    fn name(&self, collection: Collection) -> String {
        self.names[&collection].clone()
    }

    /// The stored documents of those of `ids` that exist, with their whole payloads (but the
    /// word ids), and their vectors when `vectors`.
    fn read_docs(
        &self,
        collection: Collection,
        ids: &[String],
        vectors: bool,
    ) -> Result<Vec<StoredDoc>> {
        let points: Vec<_> = ids
            .iter()
            .map(|id| to_point_id(point_uuid(collection, id)))
            .collect();
        let request = GetPointsBuilder::new(self.name(collection), points)
            .with_payload(payload_without_words())
            .with_vectors(vectors);
        let answer = self.server.run(request, |client, request| async move {
            client.get_points(request).await
        })?;
        answer
            .result
            .into_iter()
            .map(|p| to_doc(p.payload, p.vectors))
            .collect()
    }
}

impl VectorStore for ServerStore {
    fn upsert(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let points = docs
            .into_iter()
            .map(|doc| {
                let mut payload = doc.payload;
                payload.insert(ID_FIELD.into(), Value::String(doc.id.clone()));
                payload.insert(
                    WORDS_FIELD.into(),
                    Value::Array(doc.lexical.indices.iter().map(|&t| t.into()).collect()),
                );
                let mut vectors =
                    NamedVectors::default().add_vector(DENSE, Vector::new_dense(doc.vector));
                if !doc.lexical.is_empty() {
                    vectors = vectors.add_vector(
                        LEXICAL,
                        Vector::new_sparse(doc.lexical.indices, doc.lexical.values),
                    );
                }
                PointStruct::new(
                    to_point_id(point_uuid(collection, &doc.id)),
                    vectors,
                    Payload::from(payload),
                )
            })
            .collect::<Vec<_>>();
        // One request: Qdrant applies a batch to a shard as one operation.
        let request = UpsertPointsBuilder::new(self.name(collection), points)
            .wait(true)
            .ordering(write_ordering());
        self.server.run(request, |client, request| async move {
            client.upsert_points(request).await
        })?;
        self.word_counts.forget(collection);
        Ok(())
    }

    fn get(&self, collection: Collection, id: &str) -> Result<Option<StoredDoc>> {
        let docs = self.read_docs(collection, &[id.to_string()], true)?;
        Ok(docs.into_iter().next())
    }

    fn get_records(&self, collection: Collection, ids: &[String]) -> Result<Vec<StoredDoc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read_docs(collection, ids, false)
    }

    fn delete(&self, collection: Collection, id: &str) -> Result<bool> {
        let point = to_point_id(point_uuid(collection, id));
        let check = GetPointsBuilder::new(self.name(collection), vec![point.clone()])
            .with_payload(false)
            .with_vectors(false);
        let existed = !self
            .server
            .run(check, |client, check| async move {
                client.get_points(check).await
            })?
            .result
            .is_empty();
        if existed {
            let request = DeletePointsBuilder::new(self.name(collection))
                .points(PointsIdsList { ids: vec![point] })
                .wait(true)
                .ordering(write_ordering());
            self.server.run(request, |client, request| async move {
                client.delete_points(request).await
            })?;
            self.word_counts.forget(collection);
        }
        Ok(existed)
    }

    /// Qdrant's own optimisers and vacuum run inside the server: nothing to do here.
    fn purge_deleted(&self) -> Result<usize> {
        Ok(0)
    }

    /// As [`ServerStore::purge_deleted`]: the server optimises its segments itself.
    fn optimize(&self) -> Result<bool> {
        Ok(false)
    }

    fn count(&self, collection: Collection) -> Result<usize> {
        let request = CountPointsBuilder::new(self.name(collection)).exact(true);
        let answer = self.server.run(request, |client, request| async move {
            client.count(request).await
        })?;
        Ok(answer.result.map(|r| r.count as usize).unwrap_or(0))
    }

    /// Two round trips, and no vectors on the wire: the lists come back with their scores and
    /// the payload fields the ranking reads (the whole payload only for
    /// [`CandidatePayload::Full`]); then one batch scores the candidates one signal missed (the
    /// words of those found by meaning only, the meaning of those found by words only) by
    /// restricting the query to their ids.
    fn candidates(&self, collection: Collection, query: &CandidateQuery) -> Result<Vec<Candidate>> {
        let name = self.name(collection);
        let lists = candidate_lists(collection, query);
        let payload = match query.payload {
            CandidatePayload::Full => payload_without_words(),
            CandidatePayload::Ranking => SelectorOptions::Include(PayloadIncludeSelector {
                fields: RANKING_FIELDS.iter().map(|f| f.to_string()).collect(),
            }),
        };
        let requests: Vec<QueryPoints> = lists
            .iter()
            .map(|list| {
                let mut request = QueryPointsBuilder::new(name.clone())
                    .query(signal_input(list.signal, query))
                    .using(list.signal.vector_name())
                    .limit(list.limit as u64)
                    .with_payload(payload.clone())
                    .with_vectors(false);
                if let Some(filter) = to_filter(&list.clauses) {
                    request = request.filter(filter);
                }
                request.build()
            })
            .collect();
        let batch = QueryBatchPointsBuilder::new(name.clone(), requests);
        let answer = self.server.run(batch, |client, batch| async move {
            client.query_batch(batch).await
        })?;
        let mut payloads = HashMap::new();
        let answers = answer
            .result
            .into_iter()
            .map(|list| {
                list.result
                    .into_iter()
                    .map(|p| {
                        let point = uuid_of(p.id)?;
                        payloads.entry(point).or_insert(p.payload);
                        Ok((point, p.score))
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let mut found = Found::merge(&lists, answers);
        if found.points.is_empty() {
            return Ok(Vec::new());
        }
        let missing = found.unscored(query, &[Signal::Words, Signal::Meaning]);
        if !missing.is_empty() {
            let requests: Vec<QueryPoints> = missing
                .iter()
                .map(|(signal, points)| {
                    QueryPointsBuilder::new(name.clone())
                        .query(signal_input(*signal, query))
                        .using(signal.vector_name())
                        .filter(Filter::must([Condition::has_id(
                            points.iter().copied().map(to_point_id),
                        )]))
                        .limit(points.len() as u64)
                        .with_payload(false)
                        .with_vectors(false)
                        .build()
                })
                .collect();
            let batch = QueryBatchPointsBuilder::new(name, requests);
            let answer = self.server.run(batch, |client, batch| async move {
                client.query_batch(batch).await
            })?;
            for ((signal, _), list) in missing.iter().zip(answer.result) {
                let scores = list
                    .result
                    .into_iter()
                    .map(|p| Ok((uuid_of(p.id)?, f64::from(p.score))))
                    .collect::<Result<Vec<_>>>()?;
                found.add_scores(*signal, scores);
            }
        }
        let mut candidates = Vec::with_capacity(found.points.len());
        for point in &found.points {
            // A point deleted between the two round trips has no similarity: left out.
            let (Some(payload), true) = (
                payloads.remove(point),
                found.similarities.contains_key(point),
            ) else {
                continue;
            };
            let mut doc = to_doc(payload, None)?;
            let facts = match query.payload {
                CandidatePayload::Full => None,
                CandidatePayload::Ranking => {
                    let facts = CandidateFacts::of(&doc.payload)?;
                    // As on the embedded store: the facts, not the fields they came from.
                    doc.payload = Map::new();
                    Some(Arc::new(facts))
                }
            };
            candidates.push(found.candidate(*point, doc, facts));
        }
        Ok(candidates)
    }

    /// Counts, in Qdrant, the documents holding each query term (the indexed `words` field),
    /// a few terms at a time: no replica keeps a table of its own.
    fn term_counts(&self, collection: Collection, terms: &[u32]) -> Result<TermCounts> {
        // Counts read within the last seconds are used again (see [`word_counts`]).
        let asked_at = std::time::Instant::now();
        let remembered = self.word_counts.recall(collection, terms, asked_at);
        let name = self.name(collection);
        let need_documents = remembered.documents.is_none();
        let (fresh_documents, read) = self.server.run(
            (name, remembered.missing, need_documents),
            |client, (name, wanted, need_documents)| async move {
                // The collection's size is asked beside the terms' counts, not before them.
                let documents = need_documents.then(|| {
                    let request = CountPointsBuilder::new(name.clone()).exact(true);
                    let client = client.clone();
                    tokio::spawn(async move { client.count(request).await })
                });
                let mut counts = HashMap::new();
                for chunk in wanted.chunks(COUNTS_IN_FLIGHT) {
                    let calls = chunk.iter().map(|&term| {
                        let request = CountPointsBuilder::new(name.clone())
                            .filter(Filter::must([Condition::matches(
                                WORDS_FIELD,
                                i64::from(term),
                            )]))
                            // A single condition on an indexed field: Qdrant's "estimate" is the
                            // index's posting count, exact and O(1); an exact count scans the
                            // points (160 ms a query at 100,000 seekers). The conformance suite
                            // checks the counts against the documents after replaces and deletes.
                            .exact(false);
                        let client = client.clone();
                        async move { (term, client.count(request).await) }
                    });
                    for (term, answer) in futures_join_all(calls).await {
                        counts.insert(term, answer?.result.map(|r| r.count as u32).unwrap_or(0));
                    }
                }
                let documents = match documents {
                    Some(task) => {
                        let answer = match task.await {
                            Ok(answer) => answer?,
                            Err(e) => std::panic::resume_unwind(e.into_panic()),
                        };
                        Some(answer.result.map(|r| r.count as usize).unwrap_or(0))
                    }
                    None => None,
                };
                Ok((documents, counts))
            },
        )?;
        let documents = remembered.documents.or(fresh_documents).unwrap_or(0);
        self.word_counts
            .remember(collection, fresh_documents, &read, asked_at);
        let mut holding = remembered.known;
        holding.extend(read);
        Ok(TermCounts { documents, holding })
    }

    fn scan(
        &self,
        collection: Collection,
        filters: &[FieldFilter],
        cursor: Option<ScanCursor>,
        limit: usize,
    ) -> Result<(Vec<StoredDoc>, Option<ScanCursor>)> {
        let mut request = ScrollPointsBuilder::new(self.name(collection))
            .limit(limit.max(1) as u32)
            .with_payload(payload_without_words())
            .with_vectors(true);
        if let Some(start) = scan_start(cursor.as_ref())? {
            request = request.offset(to_point_id(start));
        }
        if let Some(filter) = to_filter(&lower_filters(collection, filters)) {
            request = request.filter(filter);
        }
        let answer = self.server.run(request, |client, request| async move {
            client.scroll(request).await
        })?;
        let docs = answer
            .result
            .into_iter()
            .map(|p| to_doc(p.payload, p.vectors))
            .collect::<Result<Vec<_>>>()?;
        let next = answer
            .next_page_offset
            .map(|id| uuid_of(Some(id)).map(scan_cursor))
            .transpose()?;
        Ok((docs, next))
    }
}

/// Awaits every future, concurrently, keeping their order (tokio has no `join_all`).
async fn futures_join_all<T: Send + 'static>(
    futures: impl Iterator<Item = impl Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(value) => out.push(value),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_before_the_needed_features_are_refused() {
        assert_eq!(major_minor("1.19.0"), Some((1, 19)));
        assert_eq!(major_minor("v1.16.2"), Some((1, 16)));
        assert!(major_minor("1.15.9").unwrap() < MIN_VERSION);
        assert!(major_minor("2.0.0").unwrap() >= MIN_VERSION);
        assert_eq!(major_minor("dev"), None);
    }

    #[test]
    fn the_api_key_never_appears_in_debug_output() {
        let options = QdrantOptions {
            api_key: Some("s3cret-key".into()),
            ..QdrantOptions::default()
        };
        let shown = format!("{options:?}");
        assert!(!shown.contains("s3cret-key"), "{shown}");
        assert!(shown.contains("<set>"));
    }

    #[test]
    fn an_unreachable_server_is_unavailable_and_a_missing_collection_a_failed_precondition() {
        let unreachable = server_err("x")(QdrantError::ResponseError {
            status: tonic::Status::unavailable("connection refused"),
        });
        assert!(
            matches!(unreachable, Error::Unavailable(_)),
            "{unreachable:?}"
        );
        let gone = server_err("x")(QdrantError::ResponseError {
            status: tonic::Status::not_found("Collection `a` doesn't exist!"),
        });
        assert!(matches!(gone, Error::FailedPrecondition(_)), "{gone:?}");
        let refused = server_err("x")(QdrantError::ResponseError {
            status: tonic::Status::internal("Failed to connect to http://127.0.0.1:1/: refused"),
        });
        assert!(matches!(refused, Error::Unavailable(_)), "{refused:?}");
    }
}
