//! How many stored documents hold each word (term id), so a query can keep the words that weigh
//! most in it (their IDF).
//!
//! A sparse search costs the summed length of its terms' posting lists. A posting's whole text
//! has dozens of terms, and the common ones ("근무", "우대") have the longest lists while adding
//! the least (lowest IDF). Qdrant keeps these counts for its IDF but does not expose them, so
//! the store keeps its own, updated under the same write lock as the points.

use std::collections::HashMap;

use crate::lexical::SparseTerms;

#[derive(Debug, Clone, Default)]
pub struct DocumentFrequencies {
    counts: HashMap<u32, u32>,
}

impl DocumentFrequencies {
    /// Counts a stored document's terms.
    pub fn add(&mut self, terms: &SparseTerms) {
        for term in &terms.indices {
            *self.counts.entry(*term).or_insert(0) += 1;
        }
    }

    /// Forgets a document that was replaced or deleted.
    pub fn remove(&mut self, terms: &SparseTerms) {
        for term in &terms.indices {
            if let Some(count) = self.counts.get_mut(term) {
                *count -= 1;
                if *count == 0 {
                    self.counts.remove(term);
                }
            }
        }
    }

    /// How many stored documents hold `term` (what [`super::plan::weightiest_by`] chooses by).
    pub fn of(&self, term: u32) -> u32 {
        self.counts.get(&term).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl DocumentFrequencies {
        /// The query's terms that weigh most by these counts, among `documents` documents.
        fn weightiest(&self, query: &SparseTerms, max: usize, documents: usize) -> SparseTerms {
            crate::store::plan::weightiest_by(query, max, documents, |term| self.of(term))
        }
    }

    fn terms(ids: &[u32]) -> SparseTerms {
        SparseTerms {
            indices: ids.to_vec(),
            values: ids.iter().map(|&i| i as f32).collect(),
        }
    }

    #[test]
    fn the_weightiest_known_terms_are_kept_with_their_weights() {
        let mut df = DocumentFrequencies::default();
        df.add(&terms(&[1, 2, 3]));
        df.add(&terms(&[1, 2]));
        df.add(&terms(&[1]));
        // 1 in three documents, 2 in two, 3 in one, 9 in none; query weights are the ids.
        // Weights × IDF among 3 documents: 1 → 0.25, 2 → 1.02, 3 → 2.94.
        assert_eq!(df.weightiest(&terms(&[1, 2, 3, 9]), 2, 3), terms(&[2, 3]));
        assert_eq!(
            df.weightiest(&terms(&[1, 2, 3, 9]), 0, 3),
            terms(&[1, 2, 3, 9]),
            "0: every word, as it is"
        );
        df.remove(&terms(&[1, 2, 3]));
        assert_eq!(df.of(3), 0);
        assert_eq!(df.of(1), 2);
        assert_eq!(df.weightiest(&terms(&[1, 2, 3]), 1, 2), terms(&[2]));
    }

    proptest! {
        #[test]
        fn the_choice_is_a_bounded_sorted_subset_and_adding_then_removing_restores_counts(
            docs in proptest::collection::vec(proptest::collection::btree_set(0u32..50, 0..20), 1..30),
            query in proptest::collection::btree_set(1u32..60, 0..40),
            max in 1usize..10,
        ) {
            let mut df = DocumentFrequencies::default();
            let docs: Vec<SparseTerms> = docs.iter().map(|d| terms(&d.iter().copied().collect::<Vec<_>>())).collect();
            for d in &docs { df.add(d); }
            let n = docs.len();
            let query = terms(&query.into_iter().collect::<Vec<_>>());
            let kept = df.weightiest(&query, max, n);
            prop_assert!(kept.indices.len() <= max.max(query.indices.len().min(max)));
            prop_assert!(kept.indices.windows(2).all(|w| w[0] < w[1]));
            if query.indices.len() > max {
                let weight = |t: u32| t as f64 * crate::store::plan::idf(n, df.of(t));
                for (t, v) in kept.indices.iter().zip(&kept.values) {
                    prop_assert!(df.of(*t) > 0);
                    prop_assert!(query.indices.contains(t));
                    prop_assert_eq!(*v, *t as f32);
                }
                // No dropped known term weighs more than a kept one.
                let lightest_kept = kept.indices.iter().map(|t| weight(*t)).fold(f64::INFINITY, f64::min);
                for t in query.indices.iter().filter(|t| !kept.indices.contains(t) && df.of(**t) > 0) {
                    prop_assert!(weight(*t) <= lightest_kept + 1e-12);
                }
            } else {
                prop_assert_eq!(&kept, &query);
            }
            let extra = terms(&[1, 2, 3]);
            let before: Vec<u32> = (0..60).map(|t| df.of(t)).collect();
            df.add(&extra);
            df.remove(&extra);
            prop_assert_eq!(before, (0..60).map(|t| df.of(t)).collect::<Vec<_>>());
        }
    }
}
