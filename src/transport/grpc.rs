//! The gRPC adapter: validate, convert proto ↔ domain, call [`Matcher`]. Nothing else.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_stream::StreamExt;
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};
use tracing::Instrument;

use crate::access::{distinct_ids, personal_data, NamesSeekers};
use crate::advice::Advisor;
use crate::api::{
    self, candidate_to_proto, lat_lon, pb, plan_summary, posting_match_to_proto, progress_to_proto,
    stage_from_proto, stage_to_proto, summary_to_proto,
};
use crate::auth::{Authenticator, Caller, Rpc};
use crate::config::ServeConfig;
use crate::domain::this_year;
use crate::domain::Limits;
use crate::embed::{BatchingConfig, Pooling, TextKind};
use crate::error::{Error, Result};
use crate::geo::Gazetteer;
use crate::lookup::FindQuery;
use crate::matching::{Matcher, RankingRequest, Record};
use crate::metrics::RpcMetrics;
use crate::paging::LogPage;
use crate::shortlists::RegionRequest;
use crate::store::access_log::{now_stamp, AccessRecord, Action};
use crate::store::Collection;

/// The `jobmatch.v1.Matching` service (and, through [`v2`], `jobmatch.v2.Matching`). Answers `UNAVAILABLE` until the model and store are ready.
#[derive(Clone)]
pub struct MatchingApi {
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    limits: Limits,
    /// Batching of the inference thread a re-index starts for its new model.
    batching: BatchingConfig,
    auth: Arc<Authenticator>,
    /// Requests being served; when none is left, `RESOURCE_EXHAUSTED` at once.
    in_flight: Arc<Semaphore>,
    /// Longest a request may run (`--request-timeout-secs`); `None`: no server-side limit.
    request_timeout: Option<Duration>,
    /// The advice use cases (AdvisePosting, AdviseSeeker).
    advisor: Arc<Advisor>,
    rpcs: Arc<RpcMetrics>,
}

/// One request being served: who called, its permit, its log span, its clock.
struct Call {
    rpc: Rpc,
    caller: Caller,
    request_id: String,
    span: tracing::Span,
    started: Instant,
    _permit: OwnedSemaphorePermit,
}

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// What the envelope will record of a call on personal data once it is answered.
struct PendingAccess {
    /// Seeker deletes as they stood before the call read (see [`Matcher::record_access`]).
    since: Option<crate::matching::DeleteMark>,
    action: Action,
    fields: &'static [&'static str],
    /// The seekers the request names.
    asked: Vec<String>,
    via: &'static str,
}

/// The metadata the console's gateway adds to the calls it relays.
pub const VIA_HEADER: &str = "x-jobmatch-via";

/// How a call came, for the access log: "console" when the console's gateway relayed it.
fn via(metadata: &MetadataMap) -> &'static str {
    match metadata.get(VIA_HEADER).and_then(|v| v.to_str().ok()) {
        Some("console") => "console",
        _ => "grpc",
    }
}

/// The client's `x-request-id` (if printable and short), else a process-unique one.
fn request_id(metadata: &MetadataMap) -> String {
    metadata
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .map(str::to_string)
        .unwrap_or_else(|| format!("jm-{}", REQUEST_IDS.fetch_add(1, Ordering::Relaxed)))
}

impl MatchingApi {
    /// The service over `matcher` (set once the model and store are ready), with the limits,
    /// batching and time limit of `config`.
    pub fn new(
        matcher: Arc<OnceLock<Arc<Matcher>>>,
        config: &ServeConfig,
        auth: Authenticator,
        advisor: Advisor,
        rpcs: Arc<RpcMetrics>,
    ) -> Self {
        Self {
            advisor: Arc::new(advisor),
            matcher,
            limits: config.limits,
            batching: config.batching,
            auth: Arc::new(auth),
            in_flight: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            request_timeout: config.request_timeout,
            rpcs,
        }
    }

    /// Admits a request: a free slot, then a valid token allowed to call `rpc`. Refusals are
    /// counted and logged like any other outcome.
    fn begin(&self, rpc: Rpc, metadata: &MetadataMap) -> Result<Call, Status> {
        let started = Instant::now();
        let id = request_id(metadata);
        let span = tracing::info_span!("rpc", rpc = rpc.name(), request_id = %id);
        let admitted = self
            .in_flight
            .clone()
            .try_acquire_owned()
            .map_err(|_| {
                Error::ResourceExhausted("too many requests in flight; retry with backoff".into())
            })
            .and_then(|permit| Ok((permit, self.auth.authorize(metadata, rpc)?)));
        match admitted {
            Ok((permit, caller)) => Ok(Call {
                rpc,
                caller,
                request_id: id,
                span,
                started,
                _permit: permit,
            }),
            Err(e) => {
                let status = Status::from(e);
                self.record(rpc, &span, "-", status.code(), started);
                Err(status)
            }
        }
    }

    /// The envelope of every RPC: admission and authentication, the log span, the server's time
    /// limit (`DEADLINE_EXCEEDED` past it), the access record of a call on personal data (see
    /// [`crate::access`]: a delete's before it runs, so its erasure reaches it; any other's once
    /// answered, and an answer whose record cannot be written is not given), then the outcome
    /// counted and logged.
    async fn serve<Req, Resp, Answer>(
        &self,
        rpc: Rpc,
        request: Request<Req>,
        handler: impl FnOnce(Caller, Request<Req>) -> Answer,
    ) -> Result<Response<Resp>, Status>
    where
        Req: NamesSeekers,
        Resp: NamesSeekers,
        Answer: Future<Output = Result<Response<Resp>, Status>>,
    {
        let call = self.begin(rpc, request.metadata())?;
        let access = personal_data(rpc).map(|(action, fields)| PendingAccess {
            since: self.matcher.get().map(|m| m.access_mark()),
            action,
            fields,
            asked: request.get_ref().seeker_ids(),
            via: via(request.metadata()),
        });
        if let Some(pending) = access.as_ref().filter(|a| a.action == Action::Delete) {
            if let Err(e) = self.record_access(&call, pending, Vec::new()).await {
                return self.finish(call, Err(e.into()));
            }
        }
        let answer = handler(call.caller.clone(), request).instrument(call.span.clone());
        let result = match self.request_timeout {
            Some(limit) => tokio::time::timeout(limit, answer)
                .await
                .unwrap_or_else(|_| {
                    Err(Status::from(Error::DeadlineExceeded(format!(
                        "the request ran longer than the server's limit of {} s \
                         (--request-timeout-secs); a write may or may not have been applied, \
                         and retrying it is safe (upserts replace by id)",
                        limit.as_secs_f64()
                    ))))
                }),
            None => answer.await,
        };
        let result = match (result, access) {
            (Ok(response), Some(pending)) if pending.action != Action::Delete => {
                let answered = response.get_ref().seeker_ids();
                match self.record_access(&call, &pending, answered).await {
                    Ok(()) => Ok(response),
                    Err(e) => Err(Status::from(e)),
                }
            }
            (result, _) => result,
        };
        self.finish(call, result)
    }

    /// Appends the access record of `call` naming the seekers it asked about and `answered`;
    /// nothing when it names nobody.
    async fn record_access(
        &self,
        call: &Call,
        pending: &PendingAccess,
        answered: Vec<String>,
    ) -> Result<()> {
        let seeker_ids = distinct_ids(pending.asked.iter().cloned().chain(answered));
        if seeker_ids.is_empty() {
            return Ok(());
        }
        let record = AccessRecord {
            sequence: 0,
            at: now_stamp(),
            caller: call.caller.name.clone(),
            role: call.caller.role.name().to_string(),
            rpc: call.rpc.name().to_string(),
            action: pending.action,
            seeker_ids,
            fields: pending.fields.iter().map(|f| f.to_string()).collect(),
            resume: pending.fields.contains(&"resume"),
            request_id: call.request_id.clone(),
            via: pending.via.to_string(),
        };
        let matcher = self.matcher()?;
        // A call admitted before the matcher was ready read nothing: it failed with UNAVAILABLE.
        let since = pending.since.unwrap_or_else(|| matcher.access_mark());
        matcher.record_access(record, since).await
    }

    /// Counts and logs the outcome (code and latency; never request content).
    fn finish<T>(&self, call: Call, result: Result<T, Status>) -> Result<T, Status> {
        let code = match &result {
            Ok(_) => tonic::Code::Ok,
            Err(status) => status.code(),
        };
        self.record(call.rpc, &call.span, &call.caller.name, code, call.started);
        result
    }

    fn record(
        &self,
        rpc: Rpc,
        span: &tracing::Span,
        caller: &str,
        code: tonic::Code,
        started: Instant,
    ) {
        let elapsed = started.elapsed();
        self.rpcs.record(rpc.name(), code, elapsed);
        span.in_scope(|| {
            tracing::info!(
                caller,
                code = crate::metrics::code_name(code),
                ms = elapsed.as_secs_f64() * 1e3,
                "request"
            )
        });
    }

    /// The request's ranking options, checked, within the caller's scope.
    fn ranking(
        &self,
        caller: &Caller,
        options: Option<pb::RankingOptions>,
    ) -> Result<RankingRequest> {
        let mut ranking = api::ranking_from_proto(options, &self.limits)?;
        ranking.scope = caller.scope.clone();
        Ok(ranking)
    }

    fn matcher(&self) -> Result<&Arc<Matcher>> {
        self.matcher
            .get()
            .ok_or_else(|| Error::Unavailable("the model and store are still loading".into()))
    }

    /// Checks a batch's size, then converts every item, naming `field[i]` in the first error:
    /// one bad item rejects the whole batch.
    fn validate_batch<P, D>(
        &self,
        items: Vec<P>,
        field: &str,
        convert: impl Fn(P) -> Result<D>,
    ) -> Result<Vec<D>> {
        self.check_batch(items.len(), field)?;
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| convert(item).map_err(|e| e.in_field(&format!("{field}[{i}]"))))
            .collect()
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

fn id_field(value: &str, field: &str, limits: &Limits) -> Result<()> {
    limits.id(field, value)
}

mod v2;
pub use v2::{recommend_candidates_request_to_v1, MatchingApiV2, ProgressStreamV2};

pub type ProgressStream =
    std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::ReindexProgress, Status>> + Send>>;

impl MatchingApi {
    async fn match_region_inner(
        &self,
        caller: &Caller,
        request: Request<pb::MatchRegionRequest>,
    ) -> Result<Response<pb::MatchRegionResponse>, Status> {
        let r = request.into_inner();
        for (i, id) in r.posting_ids.iter().enumerate() {
            id_field(id, &format!("posting_ids[{i}]"), &self.limits)?;
        }
        let mut options = r.options.unwrap_or_default();
        if options.top_k == 0 {
            options.top_k =
                crate::shortlists::default_candidates(r.k as usize, self.limits.max_top_k) as u32;
        }
        let ranking = self.ranking(caller, Some(options))?;
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
        let fusion = matcher.fusion(&request.ranking)?;
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
            parameters: Some(api::parameters_to_proto(&fusion)),
        }))
    }

    async fn record_outcome_inner(
        &self,
        caller: &Caller,
        request: Request<pb::RecordOutcomeRequest>,
    ) -> Result<Response<pb::RecordOutcomeResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.posting_id, "posting_id", &self.limits)?;
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        self.limits.optional_text("reason", &r.reason)?;
        let stage = stage_from_proto(r.stage)?;
        let sequence = self
            .matcher()?
            .record_outcome(
                &r.posting_id,
                &r.seeker_id,
                stage,
                &r.reason,
                Some(&r.date),
                (&caller.name, caller.role.name()),
                &caller.scope,
            )
            .await?;
        Ok(Response::new(pb::RecordOutcomeResponse { sequence }))
    }

    async fn reindex_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::ReindexRequest>,
    ) -> Result<Response<ProgressStream>, Status> {
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
        let answers = self.matcher()?.start_reindex(model_dir, self.batching)?;
        let stream = tokio_stream::wrappers::UnboundedReceiverStream::new(answers)
            .map(|answer| answer.map(progress_to_proto).map_err(Status::from));
        Ok(Response::new(Box::pin(stream)))
    }

    async fn embed_inner(
        &self,
        _caller: &Caller,
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

    async fn model_info_inner(
        &self,
        _caller: &Caller,
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

    /// UpsertPostings and UpsertSeekers: the batch is checked whole (the first bad item names
    /// `field[i]`), then stored whole.
    async fn upsert_inner<P, R: Record>(
        &self,
        batch: Vec<P>,
        field: &str,
        convert: impl Fn(P) -> Result<R>,
    ) -> Result<Response<pb::UpsertResponse>, Status> {
        let records = self.validate_batch(batch, field, convert)?;
        let upserted = self.matcher()?.upsert(records).await?;
        Ok(Response::new(pb::UpsertResponse {
            upserted: upserted as u32,
        }))
    }

    /// GetPosting and GetSeeker: the same request, another kind of record.
    async fn get_inner<R: Record, P>(
        &self,
        caller: &Caller,
        request: Request<pb::GetRequest>,
        to_proto: fn(&R) -> P,
    ) -> Result<Response<P>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        let record: R = self.matcher()?.read(&id, &caller.scope).await?;
        Ok(Response::new(to_proto(&record)))
    }

    /// DeletePosting and DeleteSeeker: the same request, another collection.
    async fn delete_inner(
        &self,
        collection: Collection,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let id = request.into_inner().id;
        id_field(&id, "id", &self.limits)?;
        self.matcher()?.delete(collection, &id).await?;
        Ok(Response::new(pb::DeleteResponse { deleted: true }))
    }

    async fn recommend_candidates_inner(
        &self,
        caller: &Caller,
        request: Request<pb::RecommendCandidatesRequest>,
    ) -> Result<Response<pb::RecommendCandidatesResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.posting_id, "posting_id", &self.limits)?;
        let ranking = self.ranking(caller, r.options)?;
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
            nothing_within_reach: rec.nothing_within_reach,
            origin: Some(lat_lon(&rec.origin.place)),
            parameters: Some(api::parameters_to_proto(&rec.fusion)),
        }))
    }

    async fn recommend_postings_inner(
        &self,
        caller: &Caller,
        request: Request<pb::RecommendPostingsRequest>,
    ) -> Result<Response<pb::RecommendPostingsResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        let ranking = self.ranking(caller, r.options)?;
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
            nothing_within_reach: rec.nothing_within_reach,
            origin: Some(lat_lon(&rec.origin.home)),
            max_commute_km: rec.origin.max_commute_km.unwrap_or(0.0),
            parameters: Some(api::parameters_to_proto(&rec.fusion)),
        }))
    }
}

impl MatchingApi {
    async fn advise_posting_inner(
        &self,
        caller: &Caller,
        request: Request<pb::AdvisePostingRequest>,
    ) -> Result<Response<pb::AdvisePostingResponse>, Status> {
        let r = request.into_inner();
        let draft = r
            .draft
            .ok_or_else(|| Error::invalid("draft", "is required"))?;
        let draft = api::draft_from_proto(draft, &self.limits, Gazetteer::builtin())
            .map_err(|e| e.in_field("draft"))?;
        let mut options = r.options.unwrap_or_default();
        options.top_k = 1; // the market counts every match; top_k does not apply
        let ranking = self.ranking(caller, Some(options))?;
        let advice = self
            .advisor
            .advise_posting(self.matcher()?, draft, &ranking)
            .await?;
        Ok(Response::new(api::posting_advice_to_proto(&advice)))
    }

    async fn advise_seeker_inner(
        &self,
        caller: &Caller,
        request: Request<pb::AdviseSeekerRequest>,
    ) -> Result<Response<pb::AdviseSeekerResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        let mut options = r.options.unwrap_or_default();
        if options.top_k == 0 {
            options.top_k = crate::advice::DEFAULT_SEEKER_POSTINGS;
        }
        let ranking = self.ranking(caller, Some(options))?;
        let advice = self
            .advisor
            .advise_seeker(self.matcher()?, &r.seeker_id, &ranking)
            .await?;
        Ok(Response::new(api::seeker_advice_to_proto(
            &advice,
            ranking.language,
        )))
    }

    async fn place_cohort_inner(
        &self,
        caller: &Caller,
        request: Request<pb::PlaceCohortRequest>,
    ) -> Result<Response<pb::PlaceCohortResponse>, Status> {
        let r = request.into_inner();
        let mut options = r.options.unwrap_or_default();
        options.top_k = 1; // unused: every seeker of the cohort is a candidate
        let ranking = self.ranking(caller, Some(options))?;
        let language = ranking.language;
        let request = crate::matching::cohort::CohortRequest {
            seeker_ids: r.seeker_ids,
            posting_ids: r.posting_ids,
            ranking,
            max_seekers: self.limits.max_batch,
            max_postings: self.limits.max_region_postings,
        };
        let matcher = self.matcher()?;
        let plan = matcher.place_cohort(&request).await?;
        let fusion = matcher.fusion(&request.ranking)?;
        Ok(Response::new(api::cohort_plan_to_proto(
            &plan, &fusion, language,
        )))
    }

    async fn assess_interests_inner(
        &self,
        caller: &Caller,
        request: Request<pb::AssessInterestsRequest>,
    ) -> Result<Response<pb::AssessInterestsResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        let mut options = r.options.unwrap_or_default();
        options.top_k = crate::advice::DEFAULT_SEEKER_POSTINGS;
        let ranking = self.ranking(caller, Some(options))?;
        let answers = api::interest_answers_from_proto(r.answers);
        let advice = self
            .advisor
            .assess_interests(self.matcher()?, &r.seeker_id, &answers, &ranking)
            .await?;
        Ok(Response::new(pb::AssessInterestsResponse {
            interests: Some(api::interest_advice_to_proto(&advice, ranking.language)),
        }))
    }
}

/// A request's optional ISO date: empty is none.
fn optional_date(date: String) -> Option<String> {
    let date = date.trim().to_string();
    (!date.is_empty()).then_some(date)
}

impl MatchingApi {
    async fn who_am_i_inner(
        &self,
        caller: &Caller,
        _request: Request<pb::WhoAmIRequest>,
    ) -> Result<Response<pb::WhoAmIResponse>, Status> {
        let regions = caller
            .scope
            .codes()
            .map(<[String]>::to_vec)
            .unwrap_or_default();
        let gazetteer = Gazetteer::builtin();
        Ok(Response::new(pb::WhoAmIResponse {
            name: caller.name.clone(),
            role: caller.role.name().into(),
            role_kind: api::role_to_proto(caller.role.name()) as i32,
            region_names: regions
                .iter()
                .map(|code| {
                    gazetteer
                        .lookup(code)
                        .map(|r| r.full_name.clone())
                        .unwrap_or_else(|_| code.clone())
                })
                .collect(),
            regions,
        }))
    }

    async fn find_records_inner(
        &self,
        caller: &Caller,
        request: Request<pb::FindRecordsRequest>,
    ) -> Result<Response<pb::FindRecordsResponse>, Status> {
        let r = request.into_inner();
        let collection = match pb::RecordKind::try_from(r.kind) {
            Ok(pb::RecordKind::Posting) => Collection::Postings,
            Ok(pb::RecordKind::Seeker) => Collection::Seekers,
            _ => return Err(Error::invalid("kind", "is required (posting or seeker)").into()),
        };
        self.limits.optional_text("text", &r.text)?;
        if r.limit > crate::lookup::MAX_PAGE {
            return Err(Error::invalid(
                "limit",
                format!(
                    "{} is over the limit of {}",
                    r.limit,
                    crate::lookup::MAX_PAGE
                ),
            )
            .into());
        }
        let query = FindQuery {
            collection,
            text: r.text,
            regions: r.regions,
            limit: if r.limit == 0 {
                crate::lookup::DEFAULT_PAGE
            } else {
                r.limit
            } as usize,
            cursor: crate::lookup::parse_page_token(&r.page_token)?,
        };
        let page = crate::lookup::find_records(self.matcher()?, &query, &caller.scope).await?;
        Ok(Response::new(pb::FindRecordsResponse {
            records: page.records.iter().map(summary_to_proto).collect(),
            next_page_token: page.next.map(|c| c.0).unwrap_or_default(),
            kind: r.kind,
        }))
    }

    async fn centre_figures_inner(
        &self,
        caller: &Caller,
        request: Request<pb::CentreFiguresRequest>,
    ) -> Result<Response<pb::CentreFiguresResponse>, Status> {
        let r = request.into_inner();
        let person = (caller.role == crate::auth::Role::Counsellor).then(|| caller.name.clone());
        let figures = crate::lookup::figures(
            self.matcher()?,
            optional_date(r.from),
            optional_date(r.to),
            &caller.scope,
            person,
        )
        .await?;
        let p = &figures.placements;
        Ok(Response::new(pb::CentreFiguresResponse {
            events: p.events as u32,
            placements: p.placements as u32,
            seekers_placed: p.seekers_placed as u32,
            companies: p.companies as u32,
            share_aged_34_or_younger: p.share_aged_34_or_younger,
            share_manufacturing: p.share_manufacturing,
            share_certified_company: p.share_certified_company,
            median_distance_km: p.median_distance_km,
            stages: figures
                .stages
                .iter()
                .map(|&(stage, pairs)| pb::StageCount {
                    stage: stage_to_proto(stage) as i32,
                    pairs: pairs as u32,
                })
                .collect(),
            placements_by_month: figures
                .placements_by_month
                .iter()
                .map(|(month, placements)| pb::MonthCount {
                    month: month.clone(),
                    placements: *placements as u32,
                })
                .collect(),
            people: figures
                .people
                .iter()
                .map(|p| pb::PersonActivity {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    role_kind: api::role_to_proto(&p.role) as i32,
                    rankings_viewed: p.rankings_viewed as u32,
                    seekers_shown: p.seekers_shown as u32,
                    proposals: p.proposals as u32,
                })
                .collect(),
        }))
    }
}

/// The accountability RPCs: the exposure audit, the access log, a posting's outcomes.
impl MatchingApi {
    async fn exposure_audit_inner(
        &self,
        caller: &Caller,
        request: Request<pb::ExposureAuditRequest>,
    ) -> Result<Response<pb::ExposureAuditResponse>, Status> {
        let r = request.into_inner();
        let k = if r.k == 0 {
            crate::audit::DEFAULT_K
        } else {
            r.k
        };
        let max_postings = match r.max_postings {
            0 => crate::audit::DEFAULT_POSTINGS,
            n if n > crate::audit::MAX_POSTINGS => {
                return Err(Error::invalid(
                    "max_postings",
                    format!("{n} is over the limit of {}", crate::audit::MAX_POSTINGS),
                )
                .into())
            }
            n => n,
        };
        let ranking = self.ranking(
            caller,
            Some(pb::RankingOptions {
                top_k: k,
                ..Default::default()
            }),
        )?;
        let plan_k = crate::shortlists::DEFAULT_K;
        let request = crate::audit::AuditRequest {
            regions: r.regions,
            k: k as usize,
            max_postings: max_postings as usize,
            seed: if r.seed == 0 {
                crate::audit::DEFAULT_SEED
            } else {
                r.seed
            },
            ranking,
            plan: r.include_plan.then_some(crate::audit::PlanSettings {
                k: plan_k,
                max_lists_per_seeker: crate::shortlists::DEFAULT_MAX_LISTS,
                candidates: crate::shortlists::default_candidates(plan_k, self.limits.max_top_k),
                max_postings: self.limits.max_region_postings,
            }),
        };
        let audit =
            crate::audit::exposure_audit(self.matcher()?.clone(), &request, &caller.scope).await?;
        Ok(Response::new(api::audit_to_proto(&audit)))
    }

    async fn list_access_records_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::ListAccessRecordsRequest>,
    ) -> Result<Response<pb::ListAccessRecordsResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.seeker_id, "seeker_id", &self.limits)?;
        let (from, to) = (optional_date(r.from), optional_date(r.to));
        let page = LogPage::parse(r.page_size, &r.page_token)?;
        let records = self
            .matcher()?
            .access_records(Some(r.seeker_id), from, to)
            .await?;
        let (records, next) = page.take(records, |r| r.sequence, false);
        Ok(Response::new(pb::ListAccessRecordsResponse {
            records: records.iter().map(api::access_record_to_proto).collect(),
            next_page_token: next.unwrap_or_default(),
        }))
    }

    async fn list_outcomes_inner(
        &self,
        caller: &Caller,
        request: Request<pb::ListOutcomesRequest>,
    ) -> Result<Response<pb::ListOutcomesResponse>, Status> {
        let r = request.into_inner();
        id_field(&r.posting_id, "posting_id", &self.limits)?;
        let page = LogPage::parse(r.page_size, &r.page_token)?;
        let (outcomes, next) = self
            .matcher()?
            .posting_outcomes(&r.posting_id, &caller.scope, &page)
            .await?;
        Ok(Response::new(pb::ListOutcomesResponse {
            outcomes: outcomes
                .iter()
                .map(|(event, name)| pb::OutcomeRecord {
                    seeker_id: event.seeker_id.clone(),
                    display_name: name.clone().unwrap_or_default(),
                    stage: stage_to_proto(event.stage) as i32,
                    date: event.date.clone(),
                    recorded_by: event.recorded_by.clone(),
                    recorded_by_role: event.recorded_by_role.clone(),
                    reason: event.reason.clone(),
                    sequence: event.sequence,
                    recorded_by_role_kind: api::role_to_proto(&event.recorded_by_role) as i32,
                })
                .collect(),
            next_page_token: next.unwrap_or_default(),
        }))
    }
}

/// The records RPCs whose handlers share one generic body each (upsert, get, delete).
impl MatchingApi {
    async fn upsert_postings_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::UpsertPostingsRequest>,
    ) -> Result<Response<pb::UpsertResponse>, Status> {
        let convert = |p| api::posting_from_proto(p, &self.limits, Gazetteer::builtin());
        self.upsert_inner(request.into_inner().postings, "postings", convert)
            .await
    }

    async fn upsert_seekers_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::UpsertSeekersRequest>,
    ) -> Result<Response<pb::UpsertResponse>, Status> {
        let year = this_year();
        let convert = |s| api::seeker_from_proto(s, &self.limits, Gazetteer::builtin(), year);
        self.upsert_inner(request.into_inner().seekers, "seekers", convert)
            .await
    }

    async fn get_posting_inner(
        &self,
        caller: &Caller,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::Posting>, Status> {
        self.get_inner(caller, request, api::posting_to_proto).await
    }

    async fn get_seeker_inner(
        &self,
        caller: &Caller,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::Seeker>, Status> {
        self.get_inner(caller, request, api::seeker_to_proto).await
    }

    async fn delete_posting_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        self.delete_inner(Collection::Postings, request).await
    }

    async fn delete_seeker_inner(
        &self,
        _caller: &Caller,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        self.delete_inner(Collection::Seekers, request).await
    }
}

/// Makes the service's methods from the table's rows: each is its handler inside the envelope.
macro_rules! service_methods {
    ($( $name:ident $method:ident $handler:ident ($request:ty => $answer:ty
        | $request2:ty => $answer2:ty)
        [$($role:ident),*] $via:ident ($($personal:tt)*); )*) => {
        #[tonic::async_trait]
        impl pb::matching_server::Matching for MatchingApi {
            type ReindexStream = ProgressStream;

            $(
                async fn $method(
                    &self,
                    request: Request<$request>,
                ) -> Result<Response<$answer>, Status> {
                    self.serve(Rpc::$name, request, |caller, r| async move {
                        self.$handler(&caller, r).await
                    })
                    .await
                }
            )*
        }
    };
}

for_each_rpc!(service_methods);
