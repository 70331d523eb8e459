//! Cohort placement as a use case: a counsellor places a cohort of trainees (say 20 graduating
//! seekers) into the postings of partner SMEs (say 12), each seeker at most once and each posting
//! up to its openings, maximising the total fused score with the same LP as MatchRegion
//! ([`crate::region_match::optimal`]). The plan lists the seekers it leaves out, with the reason,
//! and comes with the greedy placement beside it ([`crate::region_match::greedy_placement`]).
//!
//! Each posting's pairs are its RecommendCandidates answer (reasons, commute, relevance floor and
//! filters as there; a pair beyond the seeker's own commute is offered, marked, exactly when
//! RecommendCandidates would offer it), restricted in the store query to the cohort's seekers
//! ([`FieldFilter::Ids`]); the records are read within the caller's scope, so a counsellor places
//! only seekers and postings of their own regions (any other id answers NotFound, as an unknown
//! one does).

use std::collections::{HashMap, HashSet};

use crate::domain::{Posting, Seeker};
use crate::error::{Error, Result};
use crate::matching::{blocking, Matcher, RankingRequest, Scored};
use crate::region_match::{
    greedy_placement, optimal, unplaced, Candidate, Plan, PlanStats, Problem, Unplaced,
};
use crate::store::FieldFilter;

/// What a counsellor asks for.
#[derive(Debug, Clone)]
pub struct CohortRequest {
    /// The cohort, each once.
    pub seeker_ids: Vec<String>,
    /// The postings to place them in, each once; the plan lists them in this order.
    pub posting_ids: Vec<String>,
    /// Weights, boosts, commute, scope and language; `top_k` is ignored (every seeker of the
    /// cohort who clears the relevance floor is a candidate).
    pub ranking: RankingRequest,
    /// Most seekers one request may place.
    pub max_seekers: usize,
    /// Most postings one request may fill.
    pub max_postings: usize,
}

/// The seekers placed in one posting (at most its openings), best first.
#[derive(Debug, Clone)]
pub struct Placement {
    pub posting: Posting,
    pub seekers: Vec<Scored<Seeker>>,
}

/// A cohort's placement: the optimal plan, who it leaves out and why, and the greedy plan's.
#[derive(Debug, Clone)]
pub struct CohortPlan {
    /// One per requested posting, in request order.
    pub placements: Vec<Placement>,
    /// The seekers the plan places nowhere, in request order.
    pub unplaced: Vec<(Seeker, Unplaced)>,
    pub plan: PlanStats,
    /// The greedy placement's figures (best pair first while seeker and posting are free).
    pub greedy: PlanStats,
    /// The greedy placement itself, one per requested posting, in request order.
    pub greedy_placements: Vec<Placement>,
}

impl CohortRequest {
    /// The request's own checks, before any record is read: both lists given, within their
    /// limits, no id blank or twice.
    pub fn check(&self) -> Result<()> {
        check_ids(&self.seeker_ids, "seeker_ids", "seekers", self.max_seekers)?;
        check_ids(
            &self.posting_ids,
            "posting_ids",
            "postings",
            self.max_postings,
        )
    }
}

/// `ids` (the request's `field`, of `noun`): non-empty, at most `limit`, none blank or repeated.
fn check_ids(ids: &[String], field: &str, noun: &str, limit: usize) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::invalid(
            field,
            format!("give at least one of the {noun}"),
        ));
    }
    if ids.len() > limit {
        return Err(Error::ResourceExhausted(format!(
            "{} {noun} in the request, over the limit of {limit} per request; split the cohort",
            ids.len()
        )));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if id.trim().is_empty() {
            return Err(Error::invalid(format!("{field}[{i}]"), "is empty"));
        }
        if !seen.insert(id.as_str()) {
            return Err(Error::invalid(
                format!("{field}[{i}]"),
                format!("'{id}' appears twice in this request"),
            ));
        }
    }
    Ok(())
}

impl Matcher {
    /// Places the cohort: each seeker in at most one posting, each posting up to its openings,
    /// maximising the total fused score; reports who is left out and why, beside the greedy plan.
    pub async fn place_cohort(&self, request: &CohortRequest) -> Result<CohortPlan> {
        request.check()?;
        let seekers = self.cohort_seekers(request).await?;
        let postings = self.cohort_postings(request).await?;
        let (problem, pairs) = self.cohort_pairs(&postings, request).await?;
        let solved = problem.clone();
        let plan = blocking(move || optimal(&solved)).await?;
        let greedy = greedy_placement(&problem);
        Ok(CohortPlan {
            unplaced: unplaced(&problem, &plan, seekers.len())
                .into_iter()
                .map(|(s, reason)| (seekers[s].clone(), reason))
                .collect(),
            plan: plan.stats(&problem),
            greedy: greedy.stats(&problem),
            placements: placements(&postings, &plan, &pairs),
            greedy_placements: placements(&postings, &greedy, &pairs),
        })
    }

    /// The cohort's seekers, in request order, as the caller may see them (else NotFound).
    async fn cohort_seekers(&self, request: &CohortRequest) -> Result<Vec<Seeker>> {
        let mut seekers = Vec::with_capacity(request.seeker_ids.len());
        for id in &request.seeker_ids {
            seekers.push(self.read_seeker(id, &request.ranking.scope).await?);
        }
        Ok(seekers)
    }

    /// The requested postings, in request order, as the caller may see them (else NotFound).
    async fn cohort_postings(&self, request: &CohortRequest) -> Result<Vec<Posting>> {
        let mut postings = Vec::with_capacity(request.posting_ids.len());
        for id in &request.posting_ids {
            postings.push(self.read_posting(id, &request.ranking.scope).await?);
        }
        Ok(postings)
    }

    /// Each posting's candidates among the cohort, as RecommendCandidates ranks them, as the
    /// placement problem and its scored pairs (`pairs[i]` is `problem.candidates[i]`).
    async fn cohort_pairs(
        &self,
        postings: &[Posting],
        request: &CohortRequest,
    ) -> Result<(Problem, Vec<Scored<Seeker>>)> {
        let ranking = RankingRequest {
            top_k: request.seeker_ids.len(),
            ..request.ranking.clone()
        };
        let cohort = FieldFilter::Ids(request.seeker_ids.clone());
        let mut found = Vec::with_capacity(postings.len());
        for posting in postings {
            let recommended = self
                .recommend_candidates(&posting.id, &ranking, vec![cohort.clone()])
                .await?;
            found.push(recommended.results);
        }
        let openings: Vec<u32> = postings.iter().map(|p| p.openings).collect();
        Ok(placement_problem(
            &openings,
            &request.seeker_ids,
            found,
            |s| (s.item.id.as_str(), s.breakdown.final_score),
        ))
    }
}

/// The placement problem of each posting's scored `found` list (posting `p` has `openings[p]`,
/// at least 1): seekers by their index in `seeker_ids`, each in at most one posting. Returns the
/// pairs beside it, `pairs[i]` being `problem.candidates[i]`; a pair of a seeker outside
/// `seeker_ids` is left out.
fn placement_problem<T>(
    openings: &[u32],
    seeker_ids: &[String],
    found: Vec<Vec<T>>,
    id_and_score: impl Fn(&T) -> (&str, f64),
) -> (Problem, Vec<T>) {
    let index: HashMap<&str, usize> = seeker_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut candidates = Vec::new();
    let mut pairs = Vec::new();
    for (posting, list) in found.into_iter().enumerate() {
        for pair in list {
            let (id, score) = id_and_score(&pair);
            let Some(&seeker) = index.get(id) else {
                continue;
            };
            candidates.push(Candidate {
                posting,
                seeker,
                score,
            });
            pairs.push(pair);
        }
    }
    let problem = Problem {
        list_sizes: openings.iter().map(|&n| n.max(1) as usize).collect(),
        max_lists_per_seeker: 1,
        candidates,
    };
    (problem, pairs)
}

/// The seekers `plan` places in each of `postings`, best first.
fn placements(postings: &[Posting], plan: &Plan, pairs: &[Scored<Seeker>]) -> Vec<Placement> {
    postings
        .iter()
        .zip(chosen(plan, pairs))
        .map(|(posting, seekers)| Placement {
            posting: posting.clone(),
            seekers,
        })
        .collect()
}

/// The pairs `plan` chooses, per posting (`pairs[i]` is the problem's candidate `i`).
fn chosen<T: Clone>(plan: &Plan, pairs: &[T]) -> Vec<Vec<T>> {
    plan.lists
        .iter()
        .map(|list| list.iter().map(|&c| pairs[c].clone()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn request(seekers: &[&str], postings: &[&str]) -> CohortRequest {
        CohortRequest {
            seeker_ids: ids(seekers),
            posting_ids: ids(postings),
            ranking: RankingRequest::default(),
            max_seekers: 4,
            max_postings: 2,
        }
    }

    fn invalid_field(error: Error) -> String {
        match error {
            Error::InvalidArgument { field, .. } => field,
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn a_request_names_the_field_it_breaks() {
        assert!(request(&["s1", "s2"], &["p1"]).check().is_ok());
        let field = |r: CohortRequest| invalid_field(r.check().unwrap_err());
        assert_eq!(field(request(&[], &["p1"])), "seeker_ids");
        assert_eq!(field(request(&["s1"], &[])), "posting_ids");
        assert_eq!(
            field(request(&["s1", "s2", "s1"], &["p1"])),
            "seeker_ids[2]"
        );
        assert_eq!(field(request(&["s1"], &["p1", "p1"])), "posting_ids[1]");
        assert_eq!(field(request(&["s1", " "], &["p1"])), "seeker_ids[1]");
        assert_eq!(field(request(&["s1"], &[""])), "posting_ids[0]");
    }

    #[test]
    fn a_cohort_over_the_limits_is_refused_as_exhausted() {
        for over in [
            request(&["a", "b", "c", "d", "e"], &["p1"]),
            request(&["a"], &["p1", "p2", "p3"]),
        ] {
            let error = over.check().unwrap_err();
            assert!(matches!(error, Error::ResourceExhausted(_)), "{error:?}");
            assert!(error.to_string().contains("over the limit"), "{error}");
        }
    }

    #[test]
    fn pairs_become_candidates_by_request_order_and_strangers_are_left_out() {
        let cohort = ids(&["s1", "s2", "s3"]);
        let found = vec![
            vec![("s2", 0.9), ("stranger", 0.95), ("s1", 0.7)],
            vec![("s1", 0.8)],
        ];
        let (problem, pairs) =
            placement_problem(&[2, 0], &cohort, found, |&(id, score)| (id, score));
        assert_eq!(problem.list_sizes, [2, 1], "at least one opening each");
        assert_eq!(problem.max_lists_per_seeker, 1);
        let got: Vec<(usize, usize, f64)> = problem
            .candidates
            .iter()
            .map(|c| (c.posting, c.seeker, c.score))
            .collect();
        assert_eq!(got, [(0, 1, 0.9), (0, 0, 0.7), (1, 0, 0.8)]);
        assert_eq!(pairs, [("s2", 0.9), ("s1", 0.7), ("s1", 0.8)]);
        let plan = optimal(&problem).unwrap();
        assert_eq!(
            chosen(&plan, &pairs),
            [vec![("s2", 0.9)], vec![("s1", 0.8)]]
        );
        assert_eq!(
            unplaced(&problem, &plan, cohort.len()),
            [(2, Unplaced::NoPostingInReach)]
        );
    }
}
