//! Zero-downtime re-index: every stored posting and seeker is embedded again with a new model
//! into a new generation of the store while the current one keeps serving; then one pointer
//! switches (the data directory's, see [`crate::store::layout`], or the Qdrant server's aliases,
//! see [`crate::store::server`]) and the old generation is removed once no request reads it.
//!
//! Writes that arrive meanwhile go to the serving generation and are mirrored into the new one.
//! The copier reads records from the serving generation page by page; a record written by live
//! traffic since the re-index began is "touched", and the copier never overwrites it with the
//! older text it read (both sides check and write under one lock, so either order ends with the
//! newest record). If a mirrored write fails, the re-index is abandoned, never the write.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tracing::{info, warn};

use crate::domain::{from_payload, Posting, Seeker};
use crate::embed::{load_model, BatchingConfig, EmbeddingService};
use crate::error::{Error, Result};
use crate::lexical::Analyser;
use crate::matching::{blocking, embed_records, Engine, Matcher, Mirrored, Record, WriteMirror};
use crate::skills::Vocabulary;
use crate::store::layout::DataDir;
use crate::store::plan::StoredModel;
use crate::store::{Collection, GenerationId, Generations, ScanCursor, VectorStore};

/// Records re-embedded per model call.
const PAGE: usize = 64;

/// Where a re-index stands, streamed to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct ReindexProgress {
    /// "loading", "copying", "switched".
    pub phase: &'static str,
    /// The collection being copied (empty outside "copying").
    pub collection: &'static str,
    pub done: u64,
    pub total: u64,
    /// The new model's name.
    pub model: String,
}

/// What a finished re-index did.
#[derive(Debug, Clone)]
pub struct ReindexSummary {
    pub model: String,
    pub postings: u64,
    pub seekers: u64,
    pub generation: GenerationId,
    pub elapsed: Duration,
}

type Touched = Arc<Mutex<HashSet<(Collection, String)>>>;

/// The generation being built, with the new model.
pub struct Shadow {
    engine: Engine,
    generation: GenerationId,
    touched: Touched,
    failure: Mutex<Option<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shadow {
    fn fail(&self, error: Error) {
        warn!(%error, "a write could not be mirrored into the new generation; the re-index will stop");
        lock(&self.failure).get_or_insert(error.to_string());
    }

    fn failure(&self) -> Option<String> {
        lock(&self.failure).clone()
    }

    /// Writes live records into the new generation and marks them touched.
    pub(crate) async fn mirror_upsert<R: Record>(&self, records: &[R]) {
        let result = async {
            let docs = embed_records(&self.engine, records).await?;
            let store = self.engine.store.clone();
            let touched = self.touched.clone();
            blocking(move || {
                let mut touched = lock(&touched);
                let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
                store.upsert(R::COLLECTION, docs)?;
                touched.extend(ids.into_iter().map(|id| (R::COLLECTION, id)));
                Ok(())
            })
            .await
        }
        .await;
        if let Err(e) = result {
            self.fail(e);
        }
    }

    /// Removes a live-deleted record from the new generation and marks it touched.
    pub(crate) async fn mirror_delete(&self, collection: Collection, id: &str) {
        let store = self.engine.store.clone();
        let touched = self.touched.clone();
        let id = id.to_string();
        let result = blocking(move || {
            let mut touched = lock(&touched);
            store.delete(collection, &id)?;
            touched.insert((collection, id));
            Ok(())
        })
        .await;
        if let Err(e) = result {
            self.fail(e);
        }
    }
}

/// Clears the "re-index running" flag however the re-index ends.
struct RunningFlag<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for RunningFlag<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

fn report(progress: &mpsc::UnboundedSender<ReindexProgress>, update: ReindexProgress) {
    // The caller may have gone away; the re-index goes on.
    let _ = progress.send(update);
}

/// Opens a fresh generation for `embedder`'s vectors.
async fn new_shadow(
    generations: &Arc<dyn Generations>,
    embedder: EmbeddingService,
    analyser: Analyser,
    vocabulary: Arc<Vocabulary>,
) -> Result<Shadow> {
    let generations = generations.clone();
    let model = StoredModel::of(embedder.info(), analyser);
    let (generation, store) = blocking(move || generations.create(&model)).await?;
    Ok(Shadow {
        engine: Engine {
            embedder,
            analyser,
            vocabulary,
            store,
            generation: Some(generation.clone()),
            samples: Default::default(),
        },
        generation,
        touched: Arc::new(Mutex::new(HashSet::new())),
        failure: Mutex::new(None),
    })
}

impl WriteMirror for Shadow {
    fn upsert_postings<'a>(&'a self, postings: &'a [Posting]) -> Mirrored<'a> {
        Box::pin(self.mirror_upsert(postings))
    }
    fn upsert_seekers<'a>(&'a self, seekers: &'a [Seeker]) -> Mirrored<'a> {
        Box::pin(self.mirror_upsert(seekers))
    }
    fn delete<'a>(&'a self, collection: Collection, id: &'a str) -> Mirrored<'a> {
        Box::pin(self.mirror_delete(collection, id))
    }
}

/// Copies one collection from `source` into the shadow, re-embedding each record's text.
async fn copy_collection<R: Record>(
    source: &Arc<dyn VectorStore>,
    shadow: &Shadow,
    progress: &mpsc::UnboundedSender<ReindexProgress>,
) -> Result<u64> {
    let collection = R::COLLECTION;
    let total = {
        let source = source.clone();
        blocking(move || source.count(collection)).await? as u64
    };
    let model = shadow.engine.embedder.info().name.clone();
    let update = |done| ReindexProgress {
        phase: "copying",
        collection: collection.name(),
        done,
        total,
        model: model.clone(),
    };
    report(progress, update(0));
    let mut cursor: Option<ScanCursor> = None;
    let mut done = 0u64;
    loop {
        if let Some(failure) = shadow.failure() {
            return Err(Error::Store(format!("re-index stopped: {failure}")));
        }
        let (page, next) = {
            let source = source.clone();
            blocking(move || source.scan(collection, &[], cursor, PAGE)).await?
        };
        let records = page
            .iter()
            .map(|doc| from_payload::<R>(&doc.payload))
            .collect::<Result<Vec<R>>>()?;
        let docs = embed_records(&shadow.engine, &records).await?;
        let store = shadow.engine.store.clone();
        let touched = shadow.touched.clone();
        blocking(move || {
            let touched = lock(&touched);
            let fresh: Vec<_> = docs
                .into_iter()
                .filter(|d| !touched.contains(&(collection, d.id.clone())))
                .collect();
            if fresh.is_empty() {
                return Ok(());
            }
            store.upsert(collection, fresh)
        })
        .await?;
        done += records.len() as u64;
        report(progress, update(done));
        match next {
            Some(c) => cursor = Some(c),
            None => return Ok(done),
        }
    }
}

/// Copies postings then seekers.
async fn copy_all(
    source: &Arc<dyn VectorStore>,
    shadow: &Shadow,
    progress: &mpsc::UnboundedSender<ReindexProgress>,
) -> Result<(u64, u64)> {
    let postings = copy_collection::<Posting>(source, shadow, progress).await?;
    let seekers = copy_collection::<Seeker>(source, shadow, progress).await?;
    Ok((postings, seekers))
}

/// Closes `engine`'s store once nobody else holds it, then removes its generation.
async fn retire(generations: Arc<dyn Generations>, engine: Arc<Engine>) {
    let deadline = Instant::now() + Duration::from_secs(600);
    // In-flight requests hold clones; the shard must be closed before its files go.
    while (Arc::strong_count(&engine) > 1 || Arc::strong_count(&engine.store) > 1)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if Arc::strong_count(&engine) > 1 || Arc::strong_count(&engine.store) > 1 {
        warn!("an old generation is still in use after 10 minutes; it will be removed at the next start");
        return;
    }
    let generation = engine.generation.clone();
    let result = blocking(move || {
        drop(engine);
        match generation {
            Some(generation) => generations.remove(&generation).map(|_| Some(generation)),
            None => Ok(None),
        }
    })
    .await;
    match result {
        Ok(Some(generation)) => info!(%generation, "removed the old generation"),
        Ok(None) => {}
        Err(e) => {
            warn!(error = %e, "could not remove the old generation; it will be removed at the next start")
        }
    }
}

impl Matcher {
    pub fn reindex_running(&self) -> bool {
        self.reindexing.load(Ordering::SeqCst)
    }

    /// Mirrors every write into `shadow`, copies the serving generation into it, then stops the
    /// mirror; returns the counts copied and the write gate, held so that no write lands
    /// between here and the switch (or the abandon).
    async fn fill(
        &self,
        shadow: &Arc<Shadow>,
        progress: &mpsc::UnboundedSender<ReindexProgress>,
    ) -> (Result<(u64, u64)>, tokio::sync::RwLockWriteGuard<'_, ()>) {
        {
            // No write is in flight while the shadow is installed: every later write reaches it.
            let _gate = self.write_gate.write().await;
            *lock(&self.mirror) = Some(shadow.clone());
        }
        let source = self.engine().store.clone();
        let copied = copy_all(&source, shadow, progress).await;
        drop(source);
        let gate = self.write_gate.write().await;
        *lock(&self.mirror) = None;
        let outcome = copied.and_then(|counts| match shadow.failure() {
            Some(failure) => Err(Error::Store(format!("re-index stopped: {failure}"))),
            None => Ok(counts),
        });
        (outcome, gate)
    }

    /// Re-indexes everything with the model in `model_dir` while serving, then switches to it.
    ///
    /// `FAILED_PRECONDITION` when another re-index is running or the store has no data
    /// directory. On any failure the current model keeps serving and the new generation is removed.
    pub async fn reindex(
        &self,
        model_dir: &Path,
        batching: BatchingConfig,
        progress: mpsc::UnboundedSender<ReindexProgress>,
    ) -> Result<ReindexSummary> {
        let generations = self.claim_reindex()?;
        let _running = RunningFlag(&self.reindexing);
        self.reindex_claimed(generations, model_dir, batching, progress)
            .await
    }

    /// [`Self::reindex`] in its own task, so it goes on if the caller goes away. A second one is
    /// refused here, at once; progress, then the error if it fails, arrive on the channel.
    pub fn start_reindex(
        self: &Arc<Self>,
        model_dir: std::path::PathBuf,
        batching: BatchingConfig,
    ) -> Result<mpsc::UnboundedReceiver<Result<ReindexProgress>>> {
        let generations = self.claim_reindex()?;
        let (answers, received) = mpsc::unbounded_channel();
        let matcher = self.clone();
        tokio::spawn(async move {
            let _running = RunningFlag(&matcher.reindexing);
            let (progress, mut updates) = mpsc::unbounded_channel();
            let forward = {
                let answers = answers.clone();
                tokio::spawn(async move {
                    while let Some(update) = updates.recv().await {
                        let _ = answers.send(Ok(update));
                    }
                })
            };
            let result = matcher
                .reindex_claimed(generations, &model_dir, batching, progress)
                .await;
            let _ = forward.await;
            if let Err(e) = result {
                let _ = answers.send(Err(e));
            }
        });
        Ok(received)
    }

    /// Takes the one re-index slot (released by a [`RunningFlag`]): FAILED_PRECONDITION when
    /// the store has no generations or another re-index runs.
    fn claim_reindex(&self) -> Result<Arc<dyn Generations>> {
        let generations = self.generations.clone().ok_or_else(|| {
            Error::FailedPrecondition("this store has no generations to re-index into".into())
        })?;
        if self
            .reindexing
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return Err(Error::FailedPrecondition(
                "a re-index is already running; wait for it to finish".into(),
            ));
        }
        Ok(generations)
    }

    async fn reindex_claimed(
        &self,
        generations: Arc<dyn Generations>,
        model_dir: &Path,
        batching: BatchingConfig,
        progress: mpsc::UnboundedSender<ReindexProgress>,
    ) -> Result<ReindexSummary> {
        let started = Instant::now();
        report(
            &progress,
            ReindexProgress {
                phase: "loading",
                collection: "",
                done: 0,
                total: 0,
                model: String::new(),
            },
        );
        let embedder = load_model(model_dir, batching).await?;
        let model = embedder.info().name.clone();
        info!(model = %model, "re-index started");
        let (analyser, vocabulary) = {
            let engine = self.engine();
            (engine.analyser, engine.vocabulary.clone())
        };
        let shadow = Arc::new(new_shadow(&generations, embedder, analyser, vocabulary).await?);
        let (outcome, gate) = self.fill(&shadow, &progress).await;
        let shadow = Arc::try_unwrap(shadow)
            .map_err(|_| Error::Store("the new generation is still in use".into()))?;
        let (postings, seekers) = match outcome {
            Ok(counts) => counts,
            Err(e) => {
                drop(gate);
                let generation = shadow.generation.clone();
                drop(shadow);
                let generations = generations.clone();
                let _ = blocking(move || generations.remove(&generation)).await;
                warn!(error = %e, "re-index abandoned; the current model keeps serving");
                return Err(e);
            }
        };
        let generation = shadow.generation.clone();
        {
            let generations = generations.clone();
            let generation = generation.clone();
            blocking(move || generations.switch_to(&generation)).await?;
        }
        let old = self.replace_engine(Arc::new(shadow.engine));
        drop(gate);
        tokio::spawn(retire(generations, old));
        let summary = ReindexSummary {
            model: model.clone(),
            postings,
            seekers,
            generation,
            elapsed: started.elapsed(),
        };
        info!(model = %model, postings, seekers, seconds = summary.elapsed.as_secs_f64(), "re-index finished: switched");
        report(
            &progress,
            ReindexProgress {
                phase: "switched",
                collection: "",
                done: postings + seekers,
                total: postings + seekers,
                model,
            },
        );
        Ok(summary)
    }
}

/// Re-indexes a data directory that no server has open (`jobmatch reindex` without `--server`).
pub async fn reindex_offline(
    data_dir: &Path,
    model_dir: &Path,
    analyser: Analyser,
    vocabulary: Vocabulary,
    progress: mpsc::UnboundedSender<ReindexProgress>,
) -> Result<ReindexSummary> {
    let started = Instant::now();
    let root = data_dir.to_path_buf();
    let generations: Arc<dyn Generations> = Arc::new(blocking(move || DataDir::open(&root)).await?);
    let (old_generation, source, _) = {
        let generations = generations.clone();
        blocking(move || generations.open_current()).await?
    };
    let embedder = load_model(model_dir, BatchingConfig::default()).await?;
    let model = embedder.info().name.clone();
    let shadow = new_shadow(&generations, embedder, analyser, Arc::new(vocabulary)).await?;
    let copied = copy_all(&source, &shadow, &progress).await;
    let generation = shadow.generation.clone();
    // Close both generations' stores before removing either.
    drop(shadow);
    drop(source);
    let (postings, seekers) = match copied {
        Ok(counts) => counts,
        Err(e) => {
            let _ = generations.remove(&generation);
            return Err(e);
        }
    };
    generations.switch_to(&generation)?;
    generations.remove(&old_generation)?;
    Ok(ReindexSummary {
        model,
        postings,
        seekers,
        generation,
        elapsed: started.elapsed(),
    })
}
