//! The ranking facts of the embedded store's points, kept in memory.
//!
//! Qdrant reads a payload by decompressing and parsing the whole stored JSON, the record with
//! its résumé included, even when only a few fields are asked for: that was a third of a
//! recommendation's CPU time. The embedded store is the only writer of its data directory, so
//! it can keep each point's [`CandidateFacts`] (a few hundred bytes) once read, and forget them
//! when the point is written or deleted.
//!
//! A read that began before a write must not put what it read back after the write forgot it:
//! writes move an epoch forward, and a read's facts are kept only if the epoch has not moved
//! since the read began.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

use crate::domain::CandidateFacts;

#[derive(Default)]
pub(crate) struct FactsCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    epoch: u64,
    facts: HashMap<Uuid, Arc<CandidateFacts>>,
}

/// What a lookup found: the facts it holds, and the epoch to hand back to [`FactsCache::keep`].
pub(crate) struct Lookup {
    pub epoch: u64,
    pub found: Vec<Option<Arc<CandidateFacts>>>,
}

impl FactsCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The map holds no invariant a panic could break half-way: recover it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The facts held for each point (None: not held), and the current epoch.
    pub fn lookup(&self, points: &[Uuid]) -> Lookup {
        let inner = self.lock();
        Lookup {
            epoch: inner.epoch,
            found: points.iter().map(|p| inner.facts.get(p).cloned()).collect(),
        }
    }

    /// Keeps facts read since [`Self::lookup`] returned `epoch`, unless a write came in between.
    pub fn keep(&self, epoch: u64, read: impl IntoIterator<Item = (Uuid, Arc<CandidateFacts>)>) {
        let mut inner = self.lock();
        if inner.epoch == epoch {
            inner.facts.extend(read);
        }
    }

    /// Forgets the points a write changed; call after the write is applied.
    pub fn forget(&self, points: impl IntoIterator<Item = Uuid>) {
        let mut inner = self.lock();
        inner.epoch += 1;
        for point in points {
            inner.facts.remove(&point);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().facts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GeoPoint;

    fn facts(id: &str) -> Arc<CandidateFacts> {
        Arc::new(CandidateFacts {
            id: id.into(),
            point: GeoPoint {
                lat: 37.0,
                lon: 127.0,
            },
            sido_code: "41".into(),
            skill_keys: vec![],
            sector_key: String::new(),
            certified_company: false,
            max_commute_km: None,
        })
    }

    #[test]
    fn a_read_that_overlapped_a_write_is_not_kept() {
        let cache = FactsCache::default();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let before = cache.lookup(&[a]);
        assert!(before.found[0].is_none());
        cache.forget([a]); // a write lands while the read runs
        cache.keep(before.epoch, [(a, facts("old"))]);
        assert_eq!(cache.len(), 0, "facts read before the write were kept");

        let fresh = cache.lookup(&[a, b]);
        cache.keep(fresh.epoch, [(a, facts("a")), (b, facts("b"))]);
        let again = cache.lookup(&[a, b]);
        assert_eq!(again.found[0].as_ref().unwrap().id, "a");
        assert_eq!(again.found[1].as_ref().unwrap().id, "b");
        cache.forget([b]);
        let after = cache.lookup(&[a, b]);
        assert!(after.found[0].is_some() && after.found[1].is_none());
    }
}
