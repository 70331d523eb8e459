//! Exposure by group, the maths of the audit ([`crate::matching::audit`]): pure functions over
//! counts, property-tested.
//!
//! The unit is a posting (a *cluster*): for each group of seekers it holds how many qualified
//! pairs the posting has with that group and how many of those the ranking exposed. A group's
//! rate is exposed / pairs over every posting, with a Wilson 95 % interval.
//!
//! Its impact ratio compares groups *competing for the same postings*: a posting with 40
//! qualified seekers and a top 10 exposes a quarter of them, one with 10 exposes all, so pooled
//! rates would flag whoever lives where qualified seekers are many (Simpson's paradox). Each
//! group's exposures are set against the exposures it would get if every posting shared its own
//! exposures equally among its qualified seekers (`expected` = Σ pairs × the posting's rate), and
//! the ratio observed / expected of each group is divided by the best of its dimension. The
//! four-fifths rule flags an impact ratio under 0.8, as New York City's Local Law 144 bias
//! audits report. Ratios get percentile bootstrap intervals with postings resampled, because one
//! seeker's pairs with several postings, and one posting's pairs with several seekers, are not
//! independent draws.

use std::collections::{BTreeMap, BTreeSet};

use crate::rng::SplitMix;

/// The four-fifths rule: an impact ratio under this is flagged.
pub const FOUR_FIFTHS: f64 = 0.8;
/// z for two-sided 95 % intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// A group within one dimension ("age_band", "34_or_younger").
pub type GroupKey = (&'static str, String);

/// One posting's counts per group: (qualified pairs, of which exposed).
pub type Cluster = BTreeMap<GroupKey, (u32, u32)>;

/// One group's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigure {
    pub dimension: &'static str,
    pub group: String,
    /// Distinct seekers behind the figure.
    pub seekers: usize,
    pub pairs: u64,
    pub exposed: u64,
    /// Exposures an equal share within each posting would have given the group.
    pub expected: f64,
    pub rate: f64,
    pub rate_interval: (f64, f64),
    pub impact_ratio: f64,
    pub ratio_interval: (f64, f64),
    pub flagged: bool,
    /// Too few seekers to show a rate: counts only.
    pub suppressed: bool,
}

/// Wilson score interval (95 %) of `successes` out of `trials`; (0, 1) when there are none.
pub fn wilson(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Per group: pairs, exposed, and the exposures an equal share within each posting would give,
/// summed over `clusters` taken with `weights` (how many times each cluster is drawn).
fn totals<'a>(
    clusters: impl Iterator<Item = (&'a Cluster, u32)>,
) -> BTreeMap<&'a GroupKey, (u64, u64, f64)> {
    let mut sums: BTreeMap<&GroupKey, (u64, u64, f64)> = BTreeMap::new();
    for (cluster, weight) in clusters {
        // The posting's own rate within each dimension (its groups partition its pairs).
        let mut posting: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for ((dimension, _), &(pairs, exposed)) in cluster {
            let entry = posting.entry(dimension).or_default();
            entry.0 += pairs;
            entry.1 += exposed;
        }
        for (key, &(pairs, exposed)) in cluster {
            let (all, shown) = posting[key.0];
            let share = if all == 0 {
                0.0
            } else {
                f64::from(shown) / f64::from(all)
            };
            let entry = sums.entry(key).or_default();
            entry.0 += u64::from(pairs) * u64::from(weight);
            entry.1 += u64::from(exposed) * u64::from(weight);
            entry.2 += f64::from(pairs) * share * f64::from(weight);
        }
    }
    sums
}

/// Each shown group's impact ratio: its observed / expected exposures over the best of the shown
/// groups of its dimension (`None` where the group was expected no exposure, or the best is 0).
fn impact_ratios<'a>(
    sums: &BTreeMap<&'a GroupKey, (u64, u64, f64)>,
    shown: &BTreeSet<&GroupKey>,
) -> BTreeMap<&'a GroupKey, f64> {
    let standing = |&(_, exposed, expected): &(u64, u64, f64)| {
        (expected > 0.0).then(|| exposed as f64 / expected)
    };
    let mut best: BTreeMap<&str, f64> = BTreeMap::new();
    for (key, counts) in sums.iter().filter(|(k, _)| shown.contains(*k)) {
        if let Some(r) = standing(counts) {
            let b = best.entry(key.0).or_insert(0.0);
            *b = b.max(r);
        }
    }
    sums.iter()
        .filter(|(k, _)| shown.contains(*k))
        .filter_map(|(key, counts)| {
            let best = *best.get(key.0)?;
            let r = standing(counts)?;
            (best > 0.0).then_some((*key, r / best))
        })
        .collect()
}

/// The figures of every group in `clusters`. `seekers` gives each group's distinct seekers;
/// groups with fewer than `min_seekers` are suppressed (counts only, no rate, not compared).
/// The ratio intervals come from `resamples` bootstrap draws of the clusters, seeded.
pub fn group_figures(
    clusters: &[Cluster],
    seekers: &BTreeMap<GroupKey, usize>,
    min_seekers: usize,
    resamples: usize,
    seed: u64,
) -> Vec<GroupFigure> {
    let sums = totals(clusters.iter().map(|c| (c, 1)));
    let shown: BTreeSet<&GroupKey> = sums
        .keys()
        .copied()
        .filter(|k| seekers.get(*k).copied().unwrap_or(0) >= min_seekers)
        .collect();
    let ratios = impact_ratios(&sums, &shown);
    let mut draws: BTreeMap<&GroupKey, Vec<f64>> = BTreeMap::new();
    if !clusters.is_empty() {
        let mut rng = SplitMix(seed);
        let mut weights = vec![0u32; clusters.len()];
        for _ in 0..resamples {
            weights.iter_mut().for_each(|w| *w = 0);
            for _ in 0..clusters.len() {
                weights[rng.below(clusters.len())] += 1;
            }
            let drawn = totals(clusters.iter().zip(weights.iter().copied()));
            for (key, ratio) in impact_ratios(&drawn, &shown) {
                draws.entry(key).or_default().push(ratio);
            }
        }
    }
    sums.iter()
        .map(|(key, &(pairs, exposed, expected))| {
            let suppressed = !shown.contains(*key);
            let rate = if pairs == 0 || suppressed {
                0.0
            } else {
                exposed as f64 / pairs as f64
            };
            let ratio = if suppressed {
                None
            } else {
                ratios.get(*key).copied()
            };
            let ratio_interval = draws
                .get_mut(*key)
                .filter(|_| ratio.is_some())
                .map(|d| percentile_interval(d))
                .unwrap_or((0.0, 0.0));
            GroupFigure {
                dimension: key.0,
                group: key.1.clone(),
                seekers: seekers.get(*key).copied().unwrap_or(0),
                pairs,
                exposed,
                expected,
                rate,
                rate_interval: if suppressed {
                    (0.0, 0.0)
                } else {
                    wilson(exposed, pairs)
                },
                impact_ratio: ratio.unwrap_or(0.0),
                ratio_interval,
                flagged: ratio.is_some_and(|r| r < FOUR_FIFTHS),
                suppressed,
            }
        })
        .collect()
}

/// The 2.5th and 97.5th percentiles of `draws` (sorted in place).
fn percentile_interval(draws: &mut [f64]) -> (f64, f64) {
    if draws.is_empty() {
        return (0.0, 0.0);
    }
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| draws[((draws.len() - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(dimension: &'static str, group: &str) -> GroupKey {
        (dimension, group.to_string())
    }

    #[test]
    fn wilson_matches_a_worked_example() {
        // 8 of 10: the textbook Wilson 95 % interval is (0.490, 0.943).
        let (lo, hi) = wilson(8, 10);
        assert!((lo - 0.4902).abs() < 1e-3, "{lo}");
        assert!((hi - 0.9433).abs() < 1e-3, "{hi}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn a_group_exposed_half_as_often_is_flagged_and_a_small_one_is_suppressed() {
        let near = key("home_region", "capital_region");
        let far = key("home_region", "elsewhere");
        let tiny = key("age_band", "unknown");
        let clusters: Vec<Cluster> = (0..20)
            .map(|i| {
                Cluster::from([
                    (near.clone(), (10, 8)),
                    (far.clone(), (10, if i % 2 == 0 { 3 } else { 5 })),
                    (tiny.clone(), (1, 1)),
                ])
            })
            .collect();
        let seekers = BTreeMap::from([(near.clone(), 30), (far.clone(), 30), (tiny.clone(), 2)]);
        let figures = group_figures(&clusters, &seekers, 5, 200, 7);
        let get = |k: &GroupKey| figures.iter().find(|f| f.group == k.1).unwrap().clone();
        let (n, f, t) = (get(&near), get(&far), get(&tiny));
        assert!((n.rate - 0.8).abs() < 1e-12 && (n.impact_ratio - 1.0).abs() < 1e-12);
        assert!((f.rate - 0.4).abs() < 1e-12 && (f.impact_ratio - 0.5).abs() < 1e-12);
        assert!(f.flagged && !n.flagged);
        assert!(f.ratio_interval.0 <= 0.5 + 1e-12 && 0.5 <= f.ratio_interval.1 + 1e-12);
        assert_eq!((f.pairs, f.exposed, f.seekers), (200, 80, 30));
        assert!(t.suppressed && !t.flagged);
        assert_eq!((t.rate, t.impact_ratio), (0.0, 0.0));
        assert_eq!(t.pairs, 20, "counts are still shown");
    }

    /// Groups that never compete for the same postings, each exposed as often as its postings
    /// allow, are not flagged, though their pooled rates differ fourfold.
    #[test]
    fn exposure_is_compared_within_postings_not_pooled() {
        let dense = key("home_region", "capital_region");
        let sparse = key("home_region", "elsewhere");
        let mut clusters: Vec<Cluster> = Vec::new();
        for _ in 0..10 {
            clusters.push(Cluster::from([(dense.clone(), (40, 10))]));
            clusters.push(Cluster::from([(sparse.clone(), (10, 10))]));
        }
        let seekers = BTreeMap::from([(dense.clone(), 400), (sparse.clone(), 100)]);
        let figures = group_figures(&clusters, &seekers, 5, 100, 3);
        let (d, s) = (&figures[0], &figures[1]);
        assert_eq!(
            (d.group.as_str(), s.group.as_str()),
            ("capital_region", "elsewhere")
        );
        assert!((d.rate - 0.25).abs() < 1e-12 && (s.rate - 1.0).abs() < 1e-12);
        assert!((d.impact_ratio - 1.0).abs() < 1e-12 && (s.impact_ratio - 1.0).abs() < 1e-12);
        assert!(!d.flagged && !s.flagged);
        assert!((d.expected - 100.0).abs() < 1e-9);
    }

    fn clusters_strategy() -> impl Strategy<Value = Vec<Cluster>> {
        let groups = ["a", "b", "c"];
        prop::collection::vec(
            prop::collection::vec((0u32..6, 0u32..6), 3).prop_map(move |counts| {
                counts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (pairs, exposed))| {
                        (("dim", groups[i].to_string()), (pairs, exposed.min(pairs)))
                    })
                    .collect::<Cluster>()
            }),
            1..12,
        )
    }

    proptest! {
        #[test]
        fn ratios_are_at_most_one_and_the_best_group_has_one(clusters in clusters_strategy(), seed in 0u64..1000) {
            let seekers: BTreeMap<GroupKey, usize> =
                ["a", "b", "c"].iter().map(|g| (("dim", g.to_string()), 10)).collect();
            let figures = group_figures(&clusters, &seekers, 5, 50, seed);
            for f in &figures {
                prop_assert!(f.impact_ratio <= 1.0 + 1e-12);
                prop_assert!(f.rate_interval.0 <= f.rate + 1e-12 && f.rate <= f.rate_interval.1 + 1e-12);
                prop_assert!(f.exposed <= f.pairs);
                prop_assert!(f.expected <= f.pairs as f64 + 1e-9);
                prop_assert!(!f.flagged || (f.expected > 0.0 && f.impact_ratio < FOUR_FIFTHS));
            }
            // Exposures are shared, never made: observed and expected totals agree.
            let observed: u64 = figures.iter().map(|f| f.exposed).sum();
            let expected: f64 = figures.iter().map(|f| f.expected).sum();
            prop_assert!((observed as f64 - expected).abs() < 1e-6 * (1.0 + expected));
            if figures.iter().any(|f| f.exposed > 0) {
                prop_assert!(figures.iter().any(|f| (f.impact_ratio - 1.0).abs() < 1e-12));
            }
        }

        #[test]
        fn wilson_brackets_the_rate_within_zero_and_one(successes in 0u64..500, extra in 0u64..500) {
            let trials = successes + extra;
            let (lo, hi) = wilson(successes, trials);
            prop_assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo <= hi);
            if trials > 0 {
                let p = successes as f64 / trials as f64;
                prop_assert!(lo <= p + 1e-12 && p <= hi + 1e-12);
            }
        }
    }
}
