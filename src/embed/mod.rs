//! Text embedding: the [`Embedder`] contract, its backends, and the inference thread that runs them.
//!
//! - [`bert`]: a candle BERT model loaded from a model directory (the real backend).
//! - [`hashing`]: a deterministic bag-of-words embedder for unit tests (no model files).
//! - [`EmbeddingService`]: owns an embedder on a dedicated OS thread, so candle's CPU work never
//!   blocks the async runtime; requests queued at the same time are run as one batch.

pub mod bert;
#[cfg(test)]
pub mod hashing;
pub mod import;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::error::{Error, Result};

/// Which side of an asymmetric model a text is on.
///
/// Models such as e5 expect `query: ` / `passage: ` prefixes. jobmatch embeds postings as
/// passages and seekers as queries: both recommendation directions compare a seeker vector with a
/// posting vector, so each kind must always get the same prefix or the two stored collections
/// would not be comparable. The prefixes come from the model directory's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Query,
    Passage,
}

/// How token vectors become one text vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pooling {
    Mean,
    Cls,
}

/// What a loaded model is, for checks against stored vectors and for clients.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    pub name: String,
    pub dimension: usize,
    pub max_tokens: usize,
    pub pooling: Pooling,
    pub query_prefix: String,
    pub passage_prefix: String,
    /// SHA-256 of the weight file, hex (empty for embedders without one).
    pub weights_sha256: String,
    /// The cosine similarities this model gives unrelated and closely related texts (floor,
    /// ceiling), from its `jobmatch-model.toml`: the normalisation of `--fusion band` (the default
    /// fusion needs none).
    pub similarity_band: Option<(f64, f64)>,
}

/// A blocking text embedder. Implementations return one L2-normalised vector per input text.
pub trait Embedder: Send + 'static {
    fn info(&self) -> &ModelInfo;
    fn embed(&mut self, texts: &[String], kind: TextKind) -> Result<Vec<Vec<f32>>>;
}

struct Job {
    texts: Vec<String>,
    kind: TextKind,
    reply: oneshot::Sender<Result<Vec<Vec<f32>>>>,
}

/// How the inference thread gathers concurrent requests into one model call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchingConfig {
    /// Requests that may wait for the inference thread; beyond it callers get `RESOURCE_EXHAUSTED`.
    pub queue_capacity: usize,
    /// How long the thread waits for more requests after the first one.
    pub max_wait: Duration,
    /// Stop gathering once this many bytes of text are in the batch (a proxy for tokens).
    pub max_batch_bytes: usize,
}

impl Default for BatchingConfig {
    fn default() -> Self {
        Self {
            queue_capacity: 256,
            max_wait: Duration::from_millis(2),
            max_batch_bytes: 64 * 1024,
        }
    }
}

/// Upper bounds of the batch-size histogram buckets (texts per model call).
pub const BATCH_SIZE_BUCKETS: [u64; 8] = [1, 2, 4, 8, 16, 32, 64, 128];

/// Counters of the inference thread, for metrics.
#[derive(Debug, Default)]
pub struct InferenceStats {
    /// Model calls.
    pub batches: AtomicU64,
    /// Texts embedded (the sum of batch sizes).
    pub texts: AtomicU64,
    /// Requests answered (several may share one batch).
    pub requests: AtomicU64,
    /// Requests waiting in the queue now.
    pub queued: AtomicU64,
    /// Batches of at most `BATCH_SIZE_BUCKETS[i]` texts (cumulative, as Prometheus expects).
    pub batch_size_buckets: [AtomicU64; BATCH_SIZE_BUCKETS.len()],
}

impl InferenceStats {
    fn record_batch(&self, requests: usize, texts: usize) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.requests.fetch_add(requests as u64, Ordering::Relaxed);
        self.texts.fetch_add(texts as u64, Ordering::Relaxed);
        for (bound, bucket) in BATCH_SIZE_BUCKETS.iter().zip(&self.batch_size_buckets) {
            if texts as u64 <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Async handle to an embedder running on its own thread. Cheap to clone.
#[derive(Clone)]
pub struct EmbeddingService {
    jobs: mpsc::SyncSender<Job>,
    info: ModelInfo,
    stats: Arc<InferenceStats>,
}

impl EmbeddingService {
    /// Moves `embedder` onto a new thread fed by a bounded queue.
    pub fn start(embedder: Box<dyn Embedder>, batching: BatchingConfig) -> Result<Self> {
        let info = embedder.info().clone();
        let (jobs, receiver) = mpsc::sync_channel(batching.queue_capacity.max(1));
        let stats = Arc::new(InferenceStats::default());
        let thread_stats = stats.clone();
        thread::Builder::new()
            .name("jobmatch-inference".into())
            .spawn(move || run_inference(embedder, receiver, batching, &thread_stats))
            .map_err(|e| Error::Embedding(format!("cannot start the inference thread: {e}")))?;
        Ok(Self { jobs, info, stats })
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    pub fn stats(&self) -> &InferenceStats {
        &self.stats
    }

    /// Embeds `texts`. A full queue answers `RESOURCE_EXHAUSTED` at once instead of queueing
    /// without bound.
    pub async fn embed(&self, texts: Vec<String>, kind: TextKind) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, answer) = oneshot::channel();
        // Counted before the send: the worker may take the job (and count it out) before
        // `try_send` returns, and the gauge must never wrap below zero.
        self.stats.queued.fetch_add(1, Ordering::Relaxed);
        if let Err(refused) = self.jobs.try_send(Job { texts, kind, reply }) {
            self.stats.queued.fetch_sub(1, Ordering::Relaxed);
            return Err(match refused {
                mpsc::TrySendError::Full(_) => {
                    Error::ResourceExhausted("the embedding queue is full; retry later".into())
                }
                mpsc::TrySendError::Disconnected(_) => {
                    Error::Embedding("the inference thread has stopped".into())
                }
            });
        }
        answer
            .await
            .map_err(|_| Error::Embedding("the inference thread dropped a request".into()))?
    }
}

/// The inference loop: takes a job, gathers the jobs of the same kind that arrive within
/// `max_wait` (up to `max_batch_bytes` of text), runs them as one call (the embedder sorts by
/// length) and answers each with its own vectors.
fn run_inference(
    mut embedder: Box<dyn Embedder>,
    receiver: mpsc::Receiver<Job>,
    batching: BatchingConfig,
    stats: &InferenceStats,
) {
    let mut pending: Option<Job> = None;
    loop {
        let first = match pending.take() {
            Some(job) => job,
            None => match receiver.recv() {
                Ok(job) => {
                    stats.queued.fetch_sub(1, Ordering::Relaxed);
                    job
                }
                Err(_) => return,
            },
        };
        let kind = first.kind;
        let deadline = Instant::now() + batching.max_wait;
        let mut bytes: usize = first.texts.iter().map(String::len).sum();
        let mut batch = vec![first];
        while bytes < batching.max_batch_bytes {
            let now = Instant::now();
            let next = if now >= deadline {
                receiver.try_recv().ok()
            } else {
                receiver.recv_timeout(deadline - now).ok()
            };
            if next.is_some() {
                stats.queued.fetch_sub(1, Ordering::Relaxed);
            }
            match next {
                Some(job) if job.kind == kind => {
                    bytes += job.texts.iter().map(String::len).sum::<usize>();
                    batch.push(job);
                }
                Some(job) => {
                    pending = Some(job);
                    break;
                }
                None => break,
            }
        }
        let texts: Vec<String> = batch
            .iter()
            .flat_map(|job| job.texts.iter().cloned())
            .collect();
        stats.record_batch(batch.len(), texts.len());
        match embedder.embed(&texts, kind) {
            Ok(mut vectors) => {
                for job in batch {
                    let rest = vectors.split_off(job.texts.len().min(vectors.len()));
                    let _ = job.reply.send(Ok(std::mem::replace(&mut vectors, rest)));
                }
            }
            Err(error) => {
                let message = error.to_string();
                for job in batch {
                    let _ = job.reply.send(Err(Error::Embedding(message.clone())));
                }
            }
        }
    }
}

/// L2-normalises in place; leaves an all-zero vector as it is.
pub fn normalise(vector: &mut [f32]) {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn concurrent_requests_each_get_their_own_vectors() {
        let service = EmbeddingService::start(
            Box::new(hashing::HashingEmbedder::new(32)),
            BatchingConfig::default(),
        )
        .unwrap();
        let mut handles = Vec::new();
        for i in 0..20 {
            let service = service.clone();
            handles.push(tokio::spawn(async move {
                let texts = vec![format!("welder {i}"), format!("cnc operator {i}")];
                (i, service.embed(texts, TextKind::Query).await.unwrap())
            }));
        }
        let mut direct = hashing::HashingEmbedder::new(32);
        for handle in handles {
            let (i, vectors) = handle.await.unwrap();
            let expected = direct
                .embed(
                    &[format!("welder {i}"), format!("cnc operator {i}")],
                    TextKind::Query,
                )
                .unwrap();
            assert_eq!(vectors.len(), 2);
            for (got, want) in vectors.iter().zip(&expected) {
                assert!(crate::ranking::cosine(got, want) > 0.999_999);
            }
        }
    }
}
