//! Text embedding: the [`Embedder`] contract, its backends, and the inference thread that runs them.
//!
//! - [`bert`]: a candle BERT model loaded from a model directory (the real backend).
//! - [`hashing`]: a deterministic bag-of-words embedder for unit tests (no model files).
//! - [`EmbeddingService`]: owns an embedder on a dedicated OS thread, so candle's CPU work never
//!   blocks the async runtime; requests queued at the same time are run as one batch.

pub mod bert;
#[cfg(test)]
pub mod hashing;

use std::thread;

use tokio::sync::{mpsc, oneshot};

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

/// Async handle to an embedder running on its own thread. Cheap to clone.
#[derive(Clone)]
pub struct EmbeddingService {
    jobs: mpsc::Sender<Job>,
    info: ModelInfo,
}

/// Most texts gathered from queued requests into one model call.
const MAX_GATHERED_TEXTS: usize = 64;

impl EmbeddingService {
    /// Moves `embedder` onto a new thread; `queue_capacity` bounds the requests waiting for it.
    pub fn start(embedder: Box<dyn Embedder>, queue_capacity: usize) -> Result<Self> {
        let info = embedder.info().clone();
        let (jobs, receiver) = mpsc::channel(queue_capacity.max(1));
        thread::Builder::new()
            .name("jobmatch-inference".into())
            .spawn(move || run_inference(embedder, receiver))
            .map_err(|e| Error::Embedding(format!("cannot start the inference thread: {e}")))?;
        Ok(Self { jobs, info })
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Embeds `texts`; waits for room in the queue.
    pub async fn embed(&self, texts: Vec<String>, kind: TextKind) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { texts, kind, reply })
            .await
            .map_err(|_| Error::Embedding("the inference thread has stopped".into()))?;
        answer.await.map_err(|_| Error::Embedding("the inference thread dropped a request".into()))?
    }

    pub async fn embed_one(&self, text: String, kind: TextKind) -> Result<Vec<f32>> {
        self.embed(vec![text], kind)
            .await?
            .pop()
            .ok_or_else(|| Error::Embedding("no vector returned".into()))
    }
}

/// The inference loop: takes a job, gathers the jobs of the same kind already queued behind it,
/// runs them as one call and answers each with its own vectors.
fn run_inference(mut embedder: Box<dyn Embedder>, mut receiver: mpsc::Receiver<Job>) {
    let mut pending: Option<Job> = None;
    loop {
        let first = match pending.take() {
            Some(job) => job,
            None => match receiver.blocking_recv() {
                Some(job) => job,
                None => return,
            },
        };
        let kind = first.kind;
        let mut batch = vec![first];
        let mut gathered = batch[0].texts.len();
        while gathered < MAX_GATHERED_TEXTS {
            match receiver.try_recv() {
                Ok(job) if job.kind == kind => {
                    gathered += job.texts.len();
                    batch.push(job);
                }
                Ok(job) => {
                    pending = Some(job);
                    break;
                }
                Err(_) => break,
            }
        }
        let texts: Vec<String> = batch.iter().flat_map(|job| job.texts.iter().cloned()).collect();
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
        let service = EmbeddingService::start(Box::new(hashing::HashingEmbedder::new(32)), 16).unwrap();
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
            let expected = direct.embed(&[format!("welder {i}"), format!("cnc operator {i}")], TextKind::Query).unwrap();
            assert_eq!(vectors.len(), 2);
            for (got, want) in vectors.iter().zip(&expected) {
                assert!(crate::ranking::cosine(got, want) > 0.999_999);
            }
        }
    }
}
