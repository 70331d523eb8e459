//! Regional batch matching: shortlists for many postings at once, where no seeker appears on
//! more than `max_lists_per_seeker` lists, chosen to maximise the total fused score.
//!
//! This is a bipartite b-matching. Solved as a linear program with `good_lp` on its pure-Rust
//! `microlp` backend (a maintained simplex solver; no C toolchain or system library needed):
//! maximise Σ score·x over candidate pairs, 0 ≤ x ≤ 1, Σ x ≤ capacity per posting, Σ x ≤ cap per
//! seeker. The constraint matrix is an incidence matrix of a bipartite graph, hence totally
//! unimodular: the simplex optimum is integral, so rounding x at 0.5 is exact, not a heuristic.
//!
//! Placing a cohort (each seeker in at most one job, each posting up to its openings) is the
//! same problem with list size = openings and a cap of 1: [`optimal`] solves it,
//! [`greedy_placement`] is the greedy plan beside it, and [`unplaced`] says why each seeker
//! left out is.

use std::collections::{HashMap, HashSet};

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

/// A valid plan the greedy way: pairs by score, best first (ties: the earlier candidate), each
/// taken when its seeker is on fewer than `max_lists_per_seeker` lists and its posting has room.
/// Unlike [`greedy_top_k`] it respects both caps; its total is at least half the optimum.
pub fn greedy_placement(problem: &Problem) -> Plan {
    let mut order: Vec<usize> = (0..problem.candidates.len()).collect();
    order.sort_by(|&a, &b| {
        problem.candidates[b]
            .score
            .total_cmp(&problem.candidates[a].score)
    });
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); problem.list_sizes.len()];
    let mut lists_of_seeker: HashMap<usize, usize> = HashMap::new();
    for c in order {
        let Candidate {
            posting, seeker, ..
        } = problem.candidates[c];
        let taken = lists_of_seeker.entry(seeker).or_insert(0);
        if *taken < problem.max_lists_per_seeker
            && lists[posting].len() < problem.list_sizes[posting]
        {
            *taken += 1;
            lists[posting].push(c);
        }
    }
    Plan::sorted(problem, lists)
}

/// Why a seeker has no place in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplaced {
    /// No candidate pair at all: no posting scored them above the relevance floor within their
    /// reach.
    NoPostingInReach,
    /// They had candidate pairs, but every such posting was filled by others.
    Outcompeted,
}

/// The seekers `0..n_seekers` that `plan` places nowhere, in index order, each with the reason.
pub fn unplaced(problem: &Problem, plan: &Plan, n_seekers: usize) -> Vec<(usize, Unplaced)> {
    let placed: HashSet<usize> = plan
        .lists
        .iter()
        .flatten()
        .map(|&c| problem.candidates[c].seeker)
        .collect();
    let with_candidates: HashSet<usize> = problem.candidates.iter().map(|c| c.seeker).collect();
    (0..n_seekers)
        .filter(|s| !placed.contains(s))
        .map(|s| match with_candidates.contains(&s) {
            true => (s, Unplaced::Outcompeted),
            false => (s, Unplaced::NoPostingInReach),
        })
        .collect()
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

    /// Every seeker `0..n` placed or listed unplaced, never both; the reasons true: no candidate
    /// pair at all, or every posting of their pairs full.
    fn check_unplaced(problem: &Problem, plan: &Plan, n: usize) {
        let placed: HashSet<usize> = plan
            .lists
            .iter()
            .flatten()
            .map(|&c| problem.candidates[c].seeker)
            .collect();
        let left = unplaced(problem, plan, n);
        let listed: HashSet<usize> = left.iter().map(|&(s, _)| s).collect();
        assert_eq!(listed.len(), left.len(), "each unplaced seeker once");
        assert!(placed.is_disjoint(&listed), "placed and unplaced: {left:?}");
        assert_eq!(placed.len() + listed.len(), n);
        for (seeker, reason) in left {
            let mut postings = problem
                .candidates
                .iter()
                .filter(|c| c.seeker == seeker)
                .map(|c| c.posting)
                .peekable();
            match reason {
                Unplaced::NoPostingInReach => assert!(postings.peek().is_none()),
                Unplaced::Outcompeted => {
                    assert!(postings.peek().is_some());
                    for p in postings {
                        assert_eq!(
                            plan.lists[p].len(),
                            problem.list_sizes[p],
                            "posting {p} had room"
                        );
                    }
                }
            }
        }
    }

    /// A cohort instance: `postings` with 1–3 openings each, seekers each in at most one job.
    fn cohort(
        postings: usize,
        seekers: usize,
        per_posting: usize,
        openings: &[usize],
        seed: u64,
    ) -> Problem {
        let mut problem = random_problem(postings, seekers, per_posting, 1, 1, seed);
        problem.list_sizes = openings.iter().copied().cycle().take(postings).collect();
        problem
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn both_placements_respect_the_caps_and_the_optimum_is_never_below_greedy(
            postings in 1usize..8,
            seekers in 1usize..16,
            per_posting in 0usize..6,
            openings in proptest::collection::vec(1usize..4, 1..8),
            seed in any::<u64>(),
        ) {
            let problem = cohort(postings, seekers, per_posting, &openings, seed);
            let greedy = greedy_placement(&problem);
            let plan = optimal(&problem).unwrap();
            for placed in [&greedy, &plan] {
                check_caps(&problem, placed);
                check_unplaced(&problem, placed, seekers);
            }
            let (lp, greedy) = (plan.stats(&problem).total_score, greedy.stats(&problem).total_score);
            prop_assert!(lp >= greedy - 1e-9, "LP {lp} below greedy {greedy}");
            prop_assert!(2.0 * greedy >= lp - 1e-9, "greedy {greedy} under half the optimum {lp}");
        }

        #[test]
        fn greedy_placement_respects_any_cap_per_seeker(
            postings in 1usize..5,
            seekers in 1usize..8,
            per_posting in 1usize..5,
            list_size in 1usize..4,
            cap in 1usize..4,
            seed in any::<u64>(),
        ) {
            let problem = random_problem(postings, seekers, per_posting, list_size, cap, seed);
            let greedy = greedy_placement(&problem);
            check_caps(&problem, &greedy);
            prop_assert!(optimal(&problem).unwrap().stats(&problem).total_score
                >= greedy.stats(&problem).total_score - 1e-9);
        }
    }

    fn pair(posting: usize, seeker: usize, score: f64) -> Candidate {
        Candidate {
            posting,
            seeker,
            score,
        }
    }

    #[test]
    fn greedy_takes_the_best_pair_first_and_the_optimum_moves_it() {
        // Seeker 0 is best at posting 0 (0.9) and good at 1 (0.8); seeker 1 fits posting 0 only;
        // seeker 2 has no pair at all.
        let problem = Problem {
            list_sizes: vec![1, 1],
            max_lists_per_seeker: 1,
            candidates: vec![pair(0, 0, 0.9), pair(1, 0, 0.8), pair(0, 1, 0.85)],
        };
        let greedy = greedy_placement(&problem);
        assert_eq!(greedy.lists, [vec![0], vec![]]);
        assert_eq!(
            unplaced(&problem, &greedy, 3),
            [(1, Unplaced::Outcompeted), (2, Unplaced::NoPostingInReach)]
        );
        let plan = optimal(&problem).unwrap();
        assert_eq!(plan.lists, [vec![2], vec![1]]);
        assert_eq!(
            unplaced(&problem, &plan, 3),
            [(2, Unplaced::NoPostingInReach)]
        );
        let (lp, gr) = (plan.stats(&problem), greedy.stats(&problem));
        assert!((lp.total_score - 1.65).abs() < 1e-9 && (gr.total_score - 0.9).abs() < 1e-9);
        assert_eq!((lp.short_lists, gr.short_lists, gr.empty_lists), (0, 1, 1));
    }

    #[test]
    fn a_posting_fills_up_to_its_openings_and_each_seeker_is_placed_once() {
        // Posting 0 has two openings, posting 1 one; every seeker prefers posting 0. The best
        // plan (2.15) beats moving seeker 1 to posting 1 (2.1).
        let problem = Problem {
            list_sizes: vec![2, 1],
            max_lists_per_seeker: 1,
            candidates: vec![
                pair(0, 0, 0.9),
                pair(0, 1, 0.8),
                pair(0, 2, 0.7),
                pair(1, 0, 0.6),
                pair(1, 1, 0.5),
                pair(1, 2, 0.45),
            ],
        };
        for plan in [greedy_placement(&problem), optimal(&problem).unwrap()] {
            check_caps(&problem, &plan);
            assert_eq!(
                plan.lists[0],
                [0, 1],
                "the two best in posting 0, best first"
            );
            assert_eq!(plan.lists[1], [5], "the third in posting 1");
            assert!(unplaced(&problem, &plan, 3).is_empty());
        }
    }

    #[test]
    fn nobody_to_place_leaves_every_seeker_without_a_posting_in_reach() {
        let problem = Problem {
            list_sizes: vec![2],
            max_lists_per_seeker: 1,
            candidates: Vec::new(),
        };
        let plan = optimal(&problem).unwrap();
        assert_eq!(plan, greedy_placement(&problem));
        assert_eq!(
            unplaced(&problem, &plan, 2),
            [
                (0, Unplaced::NoPostingInReach),
                (1, Unplaced::NoPostingInReach)
            ]
        );
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
