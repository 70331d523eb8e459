//! The gRPC adapter: validate, convert proto ↔ domain, call [`Matcher`]. Nothing else.

use std::sync::{Arc, OnceLock};

use tonic::{Request, Response, Status};

use crate::api::{self, pb};
use crate::domain::{Limits, Posting, Seeker};
use crate::embed::{BatchingConfig, Pooling, TextKind};
use crate::error::{Error, Result};
use crate::geo::Gazetteer;
use crate::matching::{Explanation, Matcher, Scored};
use crate::outcomes::Stage;
use crate::ranking::FusionParams;
use crate::region_match::PlanStats;
use crate::reindex::ReindexProgress;
use crate::shortlists::RegionRequest;
use crate::store::Collection;

/// The `jobmatch.v1.Matching` service. Answers `UNAVAILABLE` until the model and store are ready.
#[derive(Clone)]
pub struct MatchingApi {
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    limits: Limits,
    /// Batching of the inference thread a re-index starts for its new model.
    batching: BatchingConfig,
}

impl MatchingApi {
    pub fn new(
        matcher: Arc<OnceLock<Arc<Matcher>>>,
        limits: Limits,
        batching: BatchingConfig,
    ) -> Self {
        Self {
            matcher,
            limits,
            batching,
        }
    }

    fn matcher(&self) -> Result<&Arc<Matcher>> {
        self.matcher
            .get()
            .ok_or_else(|| Error::Unavailable("the model and store are still loading".into()))
    }

    fn check_batch(&self, len: usize, field: &str) -> Result<()> {
        if len == 0 {
            return Err(Error::invalid(field, "is empty"));
        }
        if len > self.limits.max_batch {
            return Err(Error::invalid(
                field,
                format!(
                    "holds {len} items, over the limit of {}",
                    self.limits.max_batch
                ),
            ));
        }
        Ok(())
    }
}

fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

fn score_to_proto(
    scored_breakdown: &crate::ranking::ScoreBreakdown,
    fusion: &FusionParams,
) -> pb::ScoreBreakdown {
    pb::ScoreBreakdown {
        final_score: scored_breakdown.final_score,
        semantic_similarity: scored_breakdown.semantic_similarity,
        geo_score: scored_breakdown.geo_score,
        distance_km: scored_breakdown.distance_km,
        semantic_weight: fusion.semantic_weight,
        geo_weight: fusion.geo_weight,
        decay_scale_km: fusion.decay_scale_km,
        boost: scored_breakdown.boost,
        boosts_applied: scored_breakdown
            .boosts_applied
            .iter()
            .map(|name| name.to_string())
            .collect(),
    }
}

fn explanation_to_proto(e: &Explanation) -> pb::Explanation {
    pb::Explanation {
        skills_matched: e.skills.matched.clone(),
        skills_missing: e.skills.missing.clone(),
        posting_region_name: e.posting_region.clone(),
        seeker_region_name: e.seeker_region.clone(),
        reason: e.reason.clone(),
    }
}

fn candidate_to_proto(s: &Scored<Seeker>, fusion: &FusionParams) -> pb::CandidateMatch {
    pb::CandidateMatch {
        seeker_id: s.item.id.clone(),
        display_name: s.item.display_name.clone(),
        headline: s.item.headline.clone(),
        region_name: s.item.home.region_name.clone(),
        score: Some(score_to_proto(&s.breakdown, fusion)),
        explanation: Some(explanation_to_proto(&s.explanation)),
    }
}

fn posting_match_to_proto(p: &Scored<Posting>, fusion: &FusionParams) -> pb::PostingMatch {
    pb::PostingMatch {
        posting_id: p.item.id.clone(),
        title: p.item.title.clone(),
        company_name: p.item.company_name.clone(),
        region_name: p.item.place.region_name.clone(),
        score: Some(score_to_proto(&p.breakdown, fusion)),
        explanation: Some(explanation_to_proto(&p.explanation)),
    }
}

fn id_field(value: &str, field: &str, limits: &Limits) -> Result<()> {
    limits.id(field, value)
}

fn progress_to_proto(p: ReindexProgress) -> pb::ReindexProgress {
    pb::ReindexProgress {
        phase: p.phase.into(),
        collection: p.collection.into(),
        done: p.done,
        total: p.total,
        model: p.model,
    }
}

type ProgressStream =
    std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::ReindexProgress, Status>> + Send>>;

fn plan_summary(stats: &PlanStats) -> pb::PlanSummary {
    pb::PlanSummary {
        total_score: stats.total_score,
        distinct_seekers: stats.distinct_seekers as u32,
        empty_lists: stats.empty_lists as u32,
        short_lists: stats.short_lists as u32,
    }
}

fn stage_from_proto(stage: i32) -> Result<Stage> {
    use pb::OutcomeStage as S;
    match S::try_from(stage) {
        Ok(S::Proposed) => Ok(Stage::Proposed),
        Ok(S::Contacted) => Ok(Stage::Contacted),
        Ok(S::Interviewed) => Ok(Stage::Interviewed),
        Ok(S::Hired) => Ok(Stage::Hired),
        Ok(S::Rejected) => Ok(Stage::Rejected),
        Ok(S::Unspecified) => Err(Error::invalid("stage", "is required")),
        Err(_) => Err(Error::invalid("stage", format!("{stage} is not a stage"))),
    }
}

#[tonic::async_trait]
impl pb::matching_server::Matching for MatchingApi {
    type ReindexStream = ProgressStream;

    async fn match_region(
        &self,
        request: Request<pb::MatchRegionRequest>,
    ) -> Result<Response<pb::MatchRegionResponse>, Status> {
        let r = request.into_inner();
        for (i, id) in r.posting_ids.iter().enumerate() {
            id_field(id, &format!("posting_ids[{i}]"), &self.limits)?;
        }
        let mut options = r.options.unwrap_or_default();
        if options.top_k == 0 {
            // Default: 5 × the largest list size this k allows per opening, within the limit.
            options.top_k =
                (r.k.saturating_mul(5).max(50) as usize).min(self.limits.max_top_k) as u32;
        }
        let ranking = api::ranking_from_proto(Some(options), &self.limits)?;
        let filters = api::seeker_filter_from_proto(r.filter, this_year())?;
        let request = RegionRequest {
            posting_ids: r.posting_ids,
            regions: r.regions,
            k: r.k as usize,
            max_lists_per_seeker: r.max_lists_per_seeker as usize,
            ranking,
            filters,
            max_postings: self.limits.max_region_postings,
        };
        let matcher = self.matcher()?;
        let plan = matcher.match_region(&request).await?;
        let fusion = matcher.fusion_for(&request.ranking)?;
        Ok(Response::new(pb::MatchRegionResponse {
            shortlists: plan
                .shortlists
                .iter()
                .map(|list| pb::Shortlist {
                    posting_id: list.posting.id.clone(),
                    title: list.posting.title.clone(),
                    size: list.size as u32,
                    candidates: list
                        .seekers
                        .iter()
                        .map(|s| candidate_to_proto(s, &fusion))
                        .collect(),
                })
                .collect(),
            plan: Some(plan_summary(&plan.plan)),
            greedy: Some(plan_summary(&plan.greedy)),
        }))
    }

    async fn record_outcome(
        &self,
        request: Request<pb::RecordOutcomeRequest>,
    ) -> Result<Response<pb::RecordOutcomeResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.posting_id, "posting_id", &self.limits)?;
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        self.limits.optional_text("reason", &r.reason)?;
        let stage = stage_from_proto(r.stage)?;
        let sequence = self
            .matcher()?
            .record_outcome(&r.posting_id, &r.seeker_id, stage, &r.reason, Some(&r.date))
            .await?;
        Ok(Response::new(pb::RecordOutcomeResponse { sequence }))
    }

    async fn reindex(
        &self,
        request: Request<pb::ReindexRequest>,
    ) -> Result<Response<Self::ReindexStream>, Status> {
        let model_dir = std::path::PathBuf::from(request.into_inner().model_dir);
        if model_dir.as_os_str().is_empty() {
            return Err(Error::invalid("model_dir", "is empty").into());
        }
        if !model_dir.is_dir() {
            return Err(Error::invalid(
                "model_dir",
                format!("{} is not a directory on the server", model_dir.display()),
            )
            .into());
        }
        let matcher = self.matcher()?.clone();
        if matcher.reindex_running() {
            return Err(Error::FailedPrecondition(
                "a re-index is already running; wait for it to finish".into(),
            )
            .into());
        }
        let (stream, answers) = tokio::sync::mpsc::unbounded_channel();
        let batching = self.batching;
        // Its own task: the re-index finishes even if the caller goes away.
        tokio::spawn(async move {
            let (progress, mut updates) = tokio::sync::mpsc::unbounded_channel();
            let forward = {
                let stream = stream.clone();
                tokio::spawn(async move {
                    while let Some(update) = updates.recv().await {
                        let _ = stream.send(Ok(progress_to_proto(update)));
                    }
                })
            };
            let result = matcher.reindex(&model_dir, batching, progress).await;
            let _ = forward.await;
            if let Err(e) = result {
                let _ = stream.send(Err(Status::from(e)));
            }
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::UnboundedReceiverStream::new(answers),
        )))
    }

    async fn embed(
        &self,
        request: Request<pb::EmbedRequest>,
    ) -> Result<Response<pb::EmbedResponse>, Status> {
        let r = request.into_inner();
        self.check_batch(r.texts.len(), "texts")?;
        for (i, text) in r.texts.iter().enumerate() {
            self.limits.required_text(&format!("texts[{i}]"), text)?;
        }
        let kind = if r.is_query {
            TextKind::Query
        } else {
            TextKind::Passage
        };
        let matcher = self.matcher()?;
        let vectors = matcher.embedder().embed(r.texts, kind).await?;
        Ok(Response::new(pb::EmbedResponse {
            vectors: vectors
                .into_iter()
                .map(|values| pb::Vector { values })
                .collect(),
            model: matcher.embedder().info().name.clone(),
        }))
    }

    async fn model_info(
        &self,
        _request: Request<pb::ModelInfoRequest>,
    ) -> Result<Response<pb::ModelInfoResponse>, Status> {
        let info = self.matcher()?.embedder().info().clone();
        Ok(Response::new(pb::ModelInfoResponse {
            name: info.name,
            dimension: info.dimension as u32,
            max_tokens: info.max_tokens as u32,
            pooling: match info.pooling {
                Pooling::Mean => "mean".into(),
                Pooling::Cls => "cls".into(),
            },
            query_prefix: info.query_prefix,
            passage_prefix: info.passage_prefix,
            weights_sha256: info.weights_sha256,
        }))
    }

    async fn upsert_postings(
        &self,
        request: Request<pb::UpsertPostingsRequest>,
    ) -> Result<Response<pb::UpsertResponse>, Status> {
        let postings = request.into_inner().postings;
        self.check_batch(postings.len(), "postings")?;
        let gazetteer = Gazetteer::builtin();
        let postings = postings
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                api::posting_from_proto(p, &self.limits, gazetteer)
                    .map_err(|e| e.in_field(&format!("postings[{i}]")))
            })
            .collect::<Result<Vec<_>>>()?;
        let upserted = self.matcher()?.upsert_postings(postings).await?;
        Ok(Response::new(pb::UpsertResponse {
            upserted: upserted as u32,
        }))
    }

    async fn upsert_seekers(
        &self,
        request: Request<pb::UpsertSeekersRequest>,
    ) -> Result<Response<pb::UpsertResponse>, Status> {
        let seekers = request.into_inner().seekers;
        self.check_batch(seekers.len(), "seekers")?;
        let gazetteer = Gazetteer::builtin();
        let year = this_year();
        let seekers = seekers
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                api::seeker_from_proto(s, &self.limits, gazetteer, year)
                    .map_err(|e| e.in_field(&format!("seekers[{i}]")))
            })
            .collect::<Result<Vec<_>>>()?;
        let upserted = self.matcher()?.upsert_seekers(seekers).await?;
        Ok(Response::new(pb::UpsertResponse {
            upserted: upserted as u32,
        }))
    }

    async fn get_posting(
        &self,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::Posting>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        let posting = self.matcher()?.get_posting(&id).await?;
        Ok(Response::new(api::posting_to_proto(&posting)))
    }

    async fn get_seeker(
        &self,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::Seeker>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        let seeker = self.matcher()?.get_seeker(&id).await?;
        Ok(Response::new(api::seeker_to_proto(&seeker)))
    }

    async fn delete_posting(
        &self,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        self.matcher()?.delete(Collection::Postings, &id).await?;
        Ok(Response::new(pb::DeleteResponse { deleted: true }))
    }

    async fn delete_seeker(
        &self,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        self.matcher()?.delete(Collection::Seekers, &id).await?;
        Ok(Response::new(pb::DeleteResponse { deleted: true }))
    }

    async fn recommend_candidates(
        &self,
        request: Request<pb::RecommendCandidatesRequest>,
    ) -> Result<Response<pb::RecommendCandidatesResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.posting_id, "posting_id", &self.limits)?;
        let ranking = api::ranking_from_proto(r.options, &self.limits)?;
        let filters = api::seeker_filter_from_proto(r.filter, this_year())?;
        let rec = self
            .matcher()?
            .recommend_candidates(&r.posting_id, &ranking, filters)
            .await?;
        Ok(Response::new(pb::RecommendCandidatesResponse {
            candidates: rec
                .results
                .iter()
                .map(|s| candidate_to_proto(s, &rec.fusion))
                .collect(),
            origin_region_name: rec.origin.place.region_name.clone(),
        }))
    }

    async fn recommend_postings(
        &self,
        request: Request<pb::RecommendPostingsRequest>,
    ) -> Result<Response<pb::RecommendPostingsResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        let ranking = api::ranking_from_proto(r.options, &self.limits)?;
        let filters = api::posting_filter_from_proto(r.filter)?;
        let rec = self
            .matcher()?
            .recommend_postings(&r.seeker_id, &ranking, filters)
            .await?;
        Ok(Response::new(pb::RecommendPostingsResponse {
            postings: rec
                .results
                .iter()
                .map(|p| posting_match_to_proto(p, &rec.fusion))
                .collect(),
            origin_region_name: rec.origin.home.region_name.clone(),
        }))
    }
}
