//! Regional batch matching: shortlists for many postings at once, where no seeker appears on
//! more than `max_lists_per_seeker` lists, chosen to maximise the total fused score.
//!
//! This is a bipartite b-matching. Solved as a linear program with `good_lp` on its pure-Rust
//! `microlp` backend (a maintained simplex solver; no C toolchain or system library needed):
//! maximise Σ score·x over candidate pairs, 0 ≤ x ≤ 1, Σ x ≤ capacity per posting, Σ x ≤ cap per
//! seeker. The constraint matrix is an incidence matrix of a bipartite graph, hence totally
//! unimodular: the simplex optimum is integral, so rounding x at 0.5 is exact, not a heuristic.

use std::collections::HashSet;

use good_lp::{variable, variables, Expression, Solution, SolverModel, Variable};

use crate::error::{Error, Result};

/// A candidate pair: posting `posting` could list seeker `seeker` with this fused score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub posting: usize,
    pub seeker: usize,
    pub score: f64,
}

/// The instance: list sizes per posting, a cap per seeker, and the candidate pairs.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Shortlist length per posting (openings × k).
    pub list_sizes: Vec<usize>,
    pub max_lists_per_seeker: usize,
    pub candidates: Vec<Candidate>,
}

/// Chosen pairs per posting (indices into `Problem::candidates`), best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub lists: Vec<Vec<usize>>,
}

/// Figures a counsellor compares plans by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanStats {
    pub total_score: f64,
    pub distinct_seekers: usize,
    /// Postings with no seeker at all.
    pub empty_lists: usize,
    /// Postings with fewer seekers than their list size (empty ones included).
    pub short_lists: usize,
}

impl Plan {
    fn sorted(problem: &Problem, mut lists: Vec<Vec<usize>>) -> Self {
        for list in &mut lists {
            list.sort_by(|&a, &b| {
                problem.candidates[b]
                    .score
                    .total_cmp(&problem.candidates[a].score)
            });
        }
        Self { lists }
    }

    pub fn stats(&self, problem: &Problem) -> PlanStats {
        let mut seekers = HashSet::new();
        let mut total = 0.0;
        for list in &self.lists {
            for &c in list {
                seekers.insert(problem.candidates[c].seeker);
                total += problem.candidates[c].score;
            }
        }
        PlanStats {
            total_score: total,
            distinct_seekers: seekers.len(),
            empty_lists: self.lists.iter().filter(|l| l.is_empty()).count(),
            short_lists: self
                .lists
                .iter()
                .zip(&problem.list_sizes)
                .filter(|(l, &size)| l.len() < size)
                .count(),
        }
    }
}

/// What counsellors get today: each posting's own top list, with no cap across postings.
pub fn greedy_top_k(problem: &Problem) -> Plan {
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); problem.list_sizes.len()];
    for (i, c) in problem.candidates.iter().enumerate() {
        lists[c.posting].push(i);
    }
    let mut plan = Plan::sorted(problem, lists);
    for (list, &size) in plan.lists.iter_mut().zip(&problem.list_sizes) {
        list.truncate(size);
    }
    plan
}

/// The plan of maximum total score under both caps.
pub fn optimal(problem: &Problem) -> Result<Plan> {
    let postings = problem.list_sizes.len();
    if problem.candidates.is_empty() {
        return Ok(Plan {
            lists: vec![Vec::new(); postings],
        });
    }
    let seekers = problem
        .candidates
        .iter()
        .map(|c| c.seeker + 1)
        .max()
        .unwrap_or(0);
    let mut vars = variables!();
    let x: Vec<Variable> = problem
        .candidates
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let objective: Expression = problem
        .candidates
        .iter()
        .zip(&x)
        .map(|(c, &v)| c.score * v)
        .sum();
    let mut by_posting: Vec<Expression> = vec![Expression::from(0.0); postings];
    let mut by_seeker: Vec<Expression> = vec![Expression::from(0.0); seekers];
    for (c, &v) in problem.candidates.iter().zip(&x) {
        by_posting[c.posting] += v;
        by_seeker[c.seeker] += v;
    }
    let mut model = vars.maximise(objective).using(good_lp::microlp);
    for (sum, &size) in by_posting.into_iter().zip(&problem.list_sizes) {
        model = model.with(sum.leq(size as f64));
    }
    for sum in by_seeker {
        model = model.with(sum.leq(problem.max_lists_per_seeker as f64));
    }
    let solution = model
        .solve()
        .map_err(|e| Error::Store(format!("the matching solver failed: {e}")))?;
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); postings];
    for (i, (c, &v)) in problem.candidates.iter().zip(&x).enumerate() {
        if solution.value(v) > 0.5 {
            lists[c.posting].push(i);
        }
    }
    Ok(Plan::sorted(problem, lists))
}

/// A reproducible random instance (for the benchmark and tests): `postings` × `seekers`, each
/// posting with `per_posting` distinct candidates of score in [0.3, 1).
pub fn random_problem(
    postings: usize,
    seekers: usize,
    per_posting: usize,
    list_size: usize,
    max_lists_per_seeker: usize,
    seed: u64,
) -> Problem {
    let mut rng = crate::rng::SplitMix(seed);
    let mut next = move || rng.next_u64();
    let mut candidates = Vec::new();
    for posting in 0..postings {
        let mut chosen = HashSet::new();
        while chosen.len() < per_posting.min(seekers) {
            chosen.insert((next() % seekers as u64) as usize);
        }
        let mut chosen: Vec<usize> = chosen.into_iter().collect();
        chosen.sort_unstable();
        for seeker in chosen {
            let score = 0.3 + 0.7 * (next() % 1_000_000) as f64 / 1_000_000.0;
            candidates.push(Candidate {
                posting,
                seeker,
                score,
            });
        }
    }
    Problem {
        list_sizes: vec![list_size; postings],
        max_lists_per_seeker,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The best feasible total by trying every subset of candidate pairs.
    fn brute_force(problem: &Problem) -> f64 {
        let n = problem.candidates.len();
        let mut best = 0.0f64;
        for mask in 0u32..(1 << n) {
            let mut per_posting = vec![0usize; problem.list_sizes.len()];
            let mut per_seeker = std::collections::HashMap::new();
            let mut total = 0.0;
            let mut feasible = true;
            for (i, c) in problem.candidates.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    per_posting[c.posting] += 1;
                    *per_seeker.entry(c.seeker).or_insert(0usize) += 1;
                    total += c.score;
                }
            }
            feasible &= per_posting
                .iter()
                .zip(&problem.list_sizes)
                .all(|(n, &size)| *n <= size);
            feasible &= per_seeker
                .values()
                .all(|&n| n <= problem.max_lists_per_seeker);
            if feasible {
                best = best.max(total);
            }
        }
        best
    }

    fn check_caps(problem: &Problem, plan: &Plan) {
        let mut per_seeker = std::collections::HashMap::new();
        for (p, list) in plan.lists.iter().enumerate() {
            assert!(list.len() <= problem.list_sizes[p]);
            for &c in list {
                assert_eq!(problem.candidates[c].posting, p);
                *per_seeker.entry(problem.candidates[c].seeker).or_insert(0) += 1;
            }
        }
        assert!(per_seeker
            .values()
            .all(|&n| n <= problem.max_lists_per_seeker));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn the_plan_equals_the_brute_force_optimum(
            postings in 1usize..4,
            seekers in 1usize..5,
            per_posting in 1usize..4,
            list_size in 1usize..3,
            cap in 1usize..3,
            seed in any::<u64>(),
        ) {
            let problem = random_problem(postings, seekers, per_posting, list_size, cap, seed);
            prop_assume!(problem.candidates.len() <= 12);
            let plan = optimal(&problem).unwrap();
            check_caps(&problem, &plan);
            let got = plan.stats(&problem).total_score;
            let best = brute_force(&problem);
            prop_assert!((got - best).abs() < 1e-6, "plan {got} vs optimum {best}");
        }
    }

    #[test]
    fn one_strong_seeker_is_not_on_every_list() {
        // Seeker 0 is everyone's best; the cap spreads the lists.
        let problem = Problem {
            list_sizes: vec![1, 1, 1],
            max_lists_per_seeker: 1,
            candidates: vec![
                Candidate {
                    posting: 0,
                    seeker: 0,
                    score: 0.9,
                },
                Candidate {
                    posting: 1,
                    seeker: 0,
                    score: 0.9,
                },
                Candidate {
                    posting: 2,
                    seeker: 0,
                    score: 0.9,
                },
                Candidate {
                    posting: 0,
                    seeker: 1,
                    score: 0.8,
                },
                Candidate {
                    posting: 1,
                    seeker: 2,
                    score: 0.7,
                },
            ],
        };
        let greedy = greedy_top_k(&problem).stats(&problem);
        assert_eq!(greedy.distinct_seekers, 1);
        let plan = optimal(&problem).unwrap();
        check_caps(&problem, &plan);
        let stats = plan.stats(&problem);
        assert_eq!(stats.distinct_seekers, 3);
        assert!((stats.total_score - 2.4).abs() < 1e-9);
        assert_eq!(stats.empty_lists, 0);
    }
}
