//! Regional batch matching as a use case: pick the postings of a region, gather each one's best
//! candidates from the store (filters inside the query), and plan shortlists with
//! [`crate::region_match`], reporting greedy top-k beside the plan.

use std::collections::HashMap;

use crate::domain::{from_payload, Posting, Seeker};
use crate::error::{Error, Result};
use crate::geo::Gazetteer;
use crate::matching::RankingRequest;
use crate::matching::{blocking, Matcher, Scored};
use crate::region_match::{greedy_top_k, optimal, Candidate, PlanStats, Problem};
use crate::store::{Collection, FieldFilter, ScanCursor};

/// What a counsellor asks for.
#[derive(Debug, Clone)]
pub struct RegionRequest {
    pub posting_ids: Vec<String>,
    /// Region names or codes (sido or sigungu); all their postings are included.
    pub regions: Vec<String>,
    /// Seekers per opening on each shortlist.
    pub k: usize,
    pub max_lists_per_seeker: usize,
    /// Weights, boosts, commute; `top_k` is the number of candidates considered per posting.
    pub ranking: RankingRequest,
    pub filters: Vec<FieldFilter>,
    /// Most postings one request may plan.
    pub max_postings: usize,
}

/// One posting's planned shortlist.
#[derive(Debug, Clone)]
pub struct Shortlist {
    pub posting: Posting,
    /// openings × k.
    pub size: usize,
    pub seekers: Vec<Scored<Seeker>>,
}

#[derive(Debug, Clone)]
pub struct RegionPlan {
    pub shortlists: Vec<Shortlist>,
    pub plan: PlanStats,
    pub greedy: PlanStats,
}

/// Seekers per opening a plan proposes when nobody says (`jobmatch match-region --k`'s default).
pub const DEFAULT_K: usize = 3;
/// Lists one seeker may be on when nobody says (`--max-lists-per-seeker`'s default).
pub const DEFAULT_MAX_LISTS: usize = 2;

/// Candidates weighed per posting when the request leaves it 0: 5 × `k` (at least 50), within the
/// server's `max_top_k`.
pub fn default_candidates(k: usize, max_top_k: usize) -> usize {
    k.saturating_mul(5).max(50).min(max_top_k)
}

impl Matcher {
    /// All stored postings (a full scan: regions hold hundreds, not millions, of postings).
    async fn all_postings(&self) -> Result<Vec<Posting>> {
        let store = self.engine().store.clone();
        let mut postings = Vec::new();
        let mut cursor: Option<ScanCursor> = None;
        loop {
            let (page, next) = {
                let store = store.clone();
                blocking(move || store.scan(Collection::Postings, &[], cursor, 256)).await?
            };
            for doc in &page {
                postings.push(from_payload::<Posting>(&doc.payload)?);
            }
            match next {
                Some(c) => cursor = Some(c),
                None => return Ok(postings),
            }
        }
    }

    async fn region_postings(&self, request: &RegionRequest) -> Result<Vec<Posting>> {
        let mut chosen: Vec<Posting> = Vec::new();
        // Within the caller's scope: a posting elsewhere answers as an unknown id, and a
        // region's postings elsewhere are not there.
        let scope = &request.ranking.scope;
        for (i, id) in request.posting_ids.iter().enumerate() {
            match self.read_posting(id, scope).await {
                Ok(p) => chosen.push(p),
                Err(Error::NotFound { .. }) => {
                    return Err(Error::invalid(
                        format!("posting_ids[{i}]"),
                        format!("posting '{id}' is not stored"),
                    ))
                }
                Err(e) => return Err(e),
            }
        }
        if !request.regions.is_empty() {
            let regions = Gazetteer::builtin().lookup_all(&request.regions)?;
            let found: Vec<Posting> = self
                .all_postings()
                .await?
                .into_iter()
                .filter(|p| regions.iter().any(|r| r.contains(&p.place)))
                .filter(|p| scope.allows(&p.place.sido_code))
                .collect();
            if found.is_empty() {
                return Err(Error::NotFound {
                    kind: "postings in region",
                    id: request.regions.join(", "),
                });
            }
            chosen.extend(found);
        }
        chosen.sort_by(|a, b| a.id.cmp(&b.id));
        chosen.dedup_by(|a, b| a.id == b.id);
        Ok(chosen)
    }

    /// Shortlists for every posting of the request, no seeker on more than
    /// `max_lists_per_seeker` of them, maximising the total fused score.
    pub async fn match_region(&self, request: &RegionRequest) -> Result<RegionPlan> {
        let postings = self.checked_postings(request).await?;
        let (problem, pairs) = self.region_problem(&postings, request).await?;
        let greedy = greedy_top_k(&problem).stats(&problem);
        let problem_for_solver = problem.clone();
        let plan = blocking(move || optimal(&problem_for_solver)).await?;
        let stats = plan.stats(&problem);
        let shortlists = postings
            .into_iter()
            .zip(plan.lists)
            .zip(problem.list_sizes.iter())
            .map(|((posting, list), &size)| Shortlist {
                posting,
                size,
                seekers: list
                    .into_iter()
                    .map(|c| {
                        let pair = &problem.candidates[c];
                        pairs[&(pair.posting, pair.seeker)].clone()
                    })
                    .collect(),
            })
            .collect();
        Ok(RegionPlan {
            shortlists,
            plan: stats,
            greedy,
        })
    }

    /// The request's postings, after its own checks: within the caller's regions (else as
    /// unknown) and within the per-request limit.
    async fn checked_postings(&self, request: &RegionRequest) -> Result<Vec<Posting>> {
        if request.k == 0 {
            return Err(Error::invalid("k", "must be at least 1"));
        }
        if request.max_lists_per_seeker == 0 {
            return Err(Error::invalid("max_lists_per_seeker", "must be at least 1"));
        }
        if request.posting_ids.is_empty() && request.regions.is_empty() {
            return Err(Error::invalid(
                "posting_ids",
                "give posting ids or regions (or both)",
            ));
        }
        let postings = self.region_postings(request).await?;
        if postings.len() > request.max_postings {
            return Err(Error::ResourceExhausted(format!(
                "{} postings selected, over the limit of {} per request; split the region",
                postings.len(),
                request.max_postings
            )));
        }
        Ok(postings)
    }

    /// The plan's problem: each posting's candidates, ranked by the store with the filters
    /// inside the query, and the scored pair behind each candidate.
    async fn region_problem(
        &self,
        postings: &[Posting],
        request: &RegionRequest,
    ) -> Result<(Problem, HashMap<(usize, usize), Scored<Seeker>>)> {
        let mut seeker_index: HashMap<String, usize> = HashMap::new();
        let mut candidates = Vec::new();
        let mut pairs = HashMap::new();
        let mut list_sizes = Vec::new();
        for (p, posting) in postings.iter().enumerate() {
            let size = (posting.openings.max(1) as usize) * request.k;
            list_sizes.push(size);
            let ranking = RankingRequest {
                top_k: request.ranking.top_k.max(size),
                ..request.ranking.clone()
            };
            let found = self
                .recommend_candidates(&posting.id, &ranking, request.filters.clone())
                .await?;
            for scored in found.results {
                let next = seeker_index.len();
                let s = *seeker_index.entry(scored.item.id.clone()).or_insert(next);
                candidates.push(Candidate {
                    posting: p,
                    seeker: s,
                    score: scored.breakdown.final_score,
                });
                pairs.insert((p, s), scored);
            }
        }
        let problem = Problem {
            list_sizes,
            max_lists_per_seeker: request.max_lists_per_seeker,
            candidates,
        };
        Ok((problem, pairs))
    }
}
