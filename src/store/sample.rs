//! A sample of each collection's stored vectors, kept in memory: the model's own similarity
//! distribution over the corpus, against which a result's cosine is judged a match or not
//! (see [`crate::ranking::match_strength`]).
//!
//! Point ids are UUIDv5 hashes of record ids, so the first page of a scan is an unbiased sample.
//! The sample is taken again after writes: at once while the collection is smaller than the
//! sample, and at most every [`REFRESH_AFTER`] once it is larger (a sample of 256 moves little).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Collection, VectorStore};
use crate::error::Result;

/// Vectors per collection in the sample.
pub const SAMPLE_SIZE: usize = 256;
/// How old a sample of a full-size collection may grow while writes arrive.
pub const REFRESH_AFTER: Duration = Duration::from_secs(30);

struct Sample {
    vectors: Arc<Vec<Vec<f32>>>,
    writes_seen: u64,
    taken: Instant,
}

/// The samples of both collections, and a count of writes to each.
#[derive(Default)]
pub struct CorpusSamples {
    postings: Slot,
    seekers: Slot,
}

#[derive(Default)]
struct Slot {
    sample: Mutex<Option<Sample>>,
    writes: AtomicU64,
}

impl CorpusSamples {
    fn slot(&self, collection: Collection) -> &Slot {
        match collection {
            Collection::Postings => &self.postings,
            Collection::Seekers => &self.seekers,
        }
    }

    /// Records that `collection` changed (an upsert or a delete).
    pub fn touched(&self, collection: Collection) {
        self.slot(collection).writes.fetch_add(1, Ordering::Relaxed);
    }

    /// The sample of `collection`, taken again first when it is stale. Blocks (a store scan).
    pub fn vectors(
        &self,
        store: &dyn VectorStore,
        collection: Collection,
    ) -> Result<Arc<Vec<Vec<f32>>>> {
        let slot = self.slot(collection);
        let writes = slot.writes.load(Ordering::Relaxed);
        let mut guard = slot
            .sample
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(sample) = guard.as_ref() {
            let fresh = sample.writes_seen == writes
                || (sample.vectors.len() >= SAMPLE_SIZE && sample.taken.elapsed() < REFRESH_AFTER);
            if fresh {
                return Ok(sample.vectors.clone());
            }
        }
        let (docs, _) = store.scan(collection, None, SAMPLE_SIZE)?;
        let vectors = Arc::new(docs.into_iter().map(|d| d.vector).collect::<Vec<_>>());
        *guard = Some(Sample {
            vectors: vectors.clone(),
            writes_seen: writes,
            taken: Instant::now(),
        });
        Ok(vectors)
    }
}
