//! A sample of each collection's stored vectors, kept in memory: the model's own similarity
//! distribution over the corpus, against which a result's cosine is judged a match or not
//! (see [`crate::ranking::match_strength`]).
//!
//! Point ids are UUIDv5 hashes of record ids, so the first page of a scan is an unbiased sample.
//! The sample is taken again after writes: at once while the collection is smaller than the
//! sample, and at most every [`REFRESH_AFTER`] once it is larger (a sample of 256 moves little).
//! A delete drops it at once, so no deleted record's vector stays behind in memory.

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

    /// Records that `collection` changed (an upsert).
    pub fn touched(&self, collection: Collection) {
        self.slot(collection).writes.fetch_add(1, Ordering::Relaxed);
    }

    /// Drops the sample of `collection` at once (a delete): a deleted record's vector is personal
    /// data and must not outlive it here, so the next request takes a new sample.
    pub fn forget(&self, collection: Collection) {
        let slot = self.slot(collection);
        slot.writes.fetch_add(1, Ordering::Relaxed);
        *slot
            .sample
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
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
        let (docs, _) = store.scan(collection, &[], None, SAMPLE_SIZE)?;
        let vectors = Arc::new(docs.into_iter().map(|d| d.vector).collect::<Vec<_>>());
        *guard = Some(Sample {
            vectors: vectors.clone(),
            writes_seen: writes,
            taken: Instant::now(),
        });
        Ok(vectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::ModelInfo;
    use crate::lexical::Analyser;
    use crate::store::edge::EdgeStore;
    use crate::store::StoredDoc;

    fn doc(id: &str, vector: [f32; 2]) -> StoredDoc {
        let mut payload = serde_json::Map::new();
        payload.insert(
            crate::domain::fields::GEO.into(),
            serde_json::json!({"lat": 37.0, "lon": 127.0}),
        );
        StoredDoc {
            id: id.into(),
            vector: vector.to_vec(),
            lexical: Default::default(),
            payload,
        }
    }

    #[test]
    fn a_delete_drops_the_sample_and_an_upsert_refreshes_a_small_one() {
        let dir = tempfile::tempdir().unwrap();
        let model = ModelInfo::plain("m", 2, 8);
        let store = EdgeStore::open(dir.path(), &model, Analyser::default()).unwrap();
        let samples = CorpusSamples::default();
        store
            .upsert(
                Collection::Seekers,
                vec![doc("a", [1.0, 0.0]), doc("b", [0.0, 1.0])],
            )
            .unwrap();
        samples.touched(Collection::Seekers);
        assert_eq!(
            samples.vectors(&store, Collection::Seekers).unwrap().len(),
            2
        );
        store
            .upsert(Collection::Seekers, vec![doc("c", [0.6, 0.8])])
            .unwrap();
        samples.touched(Collection::Seekers);
        assert_eq!(
            samples.vectors(&store, Collection::Seekers).unwrap().len(),
            3
        );
        assert!(store.delete(Collection::Seekers, "a").unwrap());
        samples.forget(Collection::Seekers);
        let left = samples.vectors(&store, Collection::Seekers).unwrap();
        assert_eq!(left.len(), 2);
        assert!(
            !left.iter().any(|v| v == &vec![1.0, 0.0]),
            "a's vector is gone"
        );
        assert!(samples
            .vectors(&store, Collection::Postings)
            .unwrap()
            .is_empty());
    }
}
