//! A replica's short memory of Qdrant's word counts: how many documents a collection holds and
//! how many hold each query term, as [`super::ServerStore`]'s `term_counts` asked them.
//!
//! Choosing a query's words needs these counts, and asking Qdrant for them costs two round trips
//! per query (the collection's size, then the terms, 16 in flight). A count only ranks a query's
//! words against each other, and a job market's vocabulary moves slowly, so a count a few
//! seconds old (`--qdrant-word-count-max-age-secs`, 30 by default; 0: always ask) chooses the
//! same words. This replica's own writes to the collection forget its counts at once; other
//! replicas' writes reach it within the maximum age. The memory is bounded: past [`MAX_TERMS`]
//! entries it starts again empty.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::store::Collection;

/// Terms remembered per collection at most (about 40 bytes each).
pub const MAX_TERMS: usize = 200_000;

#[derive(Default)]
struct Counts {
    documents: Option<(usize, Instant)>,
    terms: HashMap<u32, (u32, Instant)>,
}

/// Per collection: the document count and the term counts, each with when it was read.
pub struct WordCounts {
    /// How long a count is used before it is asked again (zero: never used again).
    max_age: Duration,
    by_collection: Mutex<HashMap<Collection, Counts>>,
}

/// What the memory holds for one query: the document count if fresh, the fresh term counts,
/// and the terms still to ask.
pub struct Remembered {
    pub documents: Option<usize>,
    pub known: HashMap<u32, u32>,
    pub missing: Vec<u32>,
}

impl WordCounts {
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            by_collection: Mutex::default(),
        }
    }

    /// The fresh counts of `terms` in `collection` at `now`.
    pub fn recall(&self, collection: Collection, terms: &[u32], now: Instant) -> Remembered {
        let fresh = |at: Instant| now.saturating_duration_since(at) < self.max_age;
        let guard = self.by_collection.lock().unwrap_or_else(|p| p.into_inner());
        let counts = guard.get(&collection);
        let documents = counts
            .and_then(|c| c.documents)
            .filter(|(_, at)| fresh(*at))
            .map(|(n, _)| n);
        let mut known = HashMap::new();
        let mut missing = Vec::new();
        for &term in terms {
            match counts.and_then(|c| c.terms.get(&term)) {
                Some(&(count, at)) if fresh(at) => {
                    known.insert(term, count);
                }
                _ => missing.push(term),
            }
        }
        Remembered {
            documents,
            known,
            missing,
        }
    }

    /// Remembers counts read from Qdrant at `at`.
    pub fn remember(
        &self,
        collection: Collection,
        documents: Option<usize>,
        terms: &HashMap<u32, u32>,
        at: Instant,
    ) {
        let mut guard = self.by_collection.lock().unwrap_or_else(|p| p.into_inner());
        let counts = guard.entry(collection).or_default();
        if let Some(documents) = documents {
            counts.documents = Some((documents, at));
        }
        if counts.terms.len() + terms.len() > MAX_TERMS {
            counts.terms.clear();
        }
        counts
            .terms
            .extend(terms.iter().map(|(&term, &count)| (term, (count, at))));
    }

    /// Forgets `collection`'s counts (this replica wrote to it).
    pub fn forget(&self, collection: Collection) {
        let mut guard = self.by_collection.lock().unwrap_or_else(|p| p.into_inner());
        guard.remove(&collection);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_used_while_fresh_and_forgotten_on_a_write() {
        const MAX_AGE: Duration = Duration::from_secs(30);
        let memory = WordCounts::new(MAX_AGE);
        let t0 = Instant::now();
        let none = memory.recall(Collection::Seekers, &[1, 2], t0);
        assert_eq!((none.documents, none.missing), (None, vec![1, 2]));
        memory.remember(Collection::Seekers, Some(100), &HashMap::from([(1, 7)]), t0);
        let some = memory.recall(Collection::Seekers, &[1, 2], t0 + Duration::from_secs(1));
        assert_eq!(some.documents, Some(100));
        assert_eq!(some.known, HashMap::from([(1, 7)]));
        assert_eq!(some.missing, vec![2]);
        let other = memory.recall(Collection::Postings, &[1], t0);
        assert_eq!(
            (other.documents, other.missing),
            (None, vec![1]),
            "per collection"
        );
        let stale = memory.recall(Collection::Seekers, &[1], t0 + MAX_AGE);
        assert_eq!((stale.documents, stale.missing), (None, vec![1]), "too old");
        memory.forget(Collection::Seekers);
        let forgotten = memory.recall(Collection::Seekers, &[1], t0);
        assert_eq!((forgotten.documents, forgotten.missing), (None, vec![1]));
        let never = WordCounts::new(Duration::ZERO);
        never.remember(Collection::Seekers, Some(1), &HashMap::from([(1, 1)]), t0);
        let asked = never.recall(Collection::Seekers, &[1], t0);
        assert_eq!(
            (asked.documents, asked.missing),
            (None, vec![1]),
            "a zero age keeps nothing"
        );
    }
}
