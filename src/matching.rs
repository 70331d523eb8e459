//! The use cases: ingest, read, delete and recommend. No transport types here: the gRPC adapter
//! and the command line both call these.

use std::collections::HashSet;
use std::sync::Arc;

use tracing::instrument;

use crate::api::RankingRequest;
use crate::domain::{from_payload, Posting, Seeker};
use crate::embed::{EmbeddingService, TextKind};
use crate::error::{Error, Result};
use crate::ranking::{cosine, fuse, haversine_km, FusionParams, ScoreBreakdown};
use crate::store::{Collection, FieldFilter, RankedQuery, StoredDoc, VectorStore};

/// A recommended record with the numbers behind its rank.
#[derive(Debug, Clone)]
pub struct Scored<T> {
    pub item: T,
    pub breakdown: ScoreBreakdown,
}

/// A ranked list and the parameters that produced it.
#[derive(Debug, Clone)]
pub struct Recommendation<O, T> {
    pub origin: O,
    pub fusion: FusionParams,
    pub results: Vec<Scored<T>>,
}

/// Defaults and bounds for ranking.
#[derive(Debug, Clone, Copy)]
pub struct RankingSettings {
    pub defaults: FusionParams,
    /// Semantic candidates considered before distance rescoring (at least `top_k`).
    pub prefetch: usize,
}

pub struct Matcher {
    embedder: EmbeddingService,
    store: Arc<dyn VectorStore>,
    ranking: RankingSettings,
}

/// Runs blocking store work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Store(format!("store task failed: {e}")))?
}

fn reject_duplicate_ids<'a>(ids: impl Iterator<Item = &'a str>, list: &str) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(Error::invalid(
                format!("{list}[{i}].id"),
                format!("'{id}' appears twice in this batch"),
            ));
        }
    }
    Ok(())
}

impl Matcher {
    pub fn new(
        embedder: EmbeddingService,
        store: Arc<dyn VectorStore>,
        ranking: RankingSettings,
    ) -> Self {
        Self {
            embedder,
            store,
            ranking,
        }
    }

    pub fn embedder(&self) -> &EmbeddingService {
        &self.embedder
    }

    /// Embeds and stores postings; the batch is written whole or not at all.
    #[instrument(skip_all, fields(count = postings.len()))]
    pub async fn upsert_postings(&self, postings: Vec<Posting>) -> Result<usize> {
        reject_duplicate_ids(postings.iter().map(|p| p.id.as_str()), "postings")?;
        let texts = postings.iter().map(Posting::embedding_text).collect();
        let vectors = self.embedder.embed(texts, TextKind::Passage).await?;
        let docs = postings
            .iter()
            .zip(vectors)
            .map(|(p, vector)| {
                Ok(StoredDoc {
                    id: p.id.clone(),
                    vector,
                    payload: p.payload()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.write(Collection::Postings, docs).await
    }

    /// Embeds and stores seekers; the batch is written whole or not at all.
    #[instrument(skip_all, fields(count = seekers.len()))]
    pub async fn upsert_seekers(&self, seekers: Vec<Seeker>) -> Result<usize> {
        reject_duplicate_ids(seekers.iter().map(|s| s.id.as_str()), "seekers")?;
        let texts = seekers.iter().map(Seeker::embedding_text).collect();
        let vectors = self.embedder.embed(texts, TextKind::Query).await?;
        let docs = seekers
            .iter()
            .zip(vectors)
            .map(|(s, vector)| {
                Ok(StoredDoc {
                    id: s.id.clone(),
                    vector,
                    payload: s.payload()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.write(Collection::Seekers, docs).await
    }

    async fn write(&self, collection: Collection, docs: Vec<StoredDoc>) -> Result<usize> {
        let count = docs.len();
        if count == 0 {
            return Ok(0);
        }
        let store = self.store.clone();
        blocking(move || store.upsert(collection, docs)).await?;
        Ok(count)
    }

    async fn fetch(&self, collection: Collection, id: &str) -> Result<StoredDoc> {
        let store = self.store.clone();
        let key = id.to_string();
        blocking(move || store.get(collection, &key))
            .await?
            .ok_or_else(|| Error::NotFound {
                kind: collection.noun(),
                id: id.to_string(),
            })
    }

    pub async fn get_posting(&self, id: &str) -> Result<Posting> {
        from_payload(&self.fetch(Collection::Postings, id).await?.payload)
    }

    pub async fn get_seeker(&self, id: &str) -> Result<Seeker> {
        from_payload(&self.fetch(Collection::Seekers, id).await?.payload)
    }

    /// Deletes a record with its vector; `NotFound` when there is none.
    pub async fn delete(&self, collection: Collection, id: &str) -> Result<()> {
        let store = self.store.clone();
        let key = id.to_string();
        if blocking(move || store.delete(collection, &key)).await? {
            Ok(())
        } else {
            Err(Error::NotFound {
                kind: collection.noun(),
                id: id.to_string(),
            })
        }
    }

    pub async fn count(&self, collection: Collection) -> Result<usize> {
        let store = self.store.clone();
        blocking(move || store.count(collection)).await
    }

    fn fusion(&self, request: &RankingRequest) -> Result<FusionParams> {
        let d = self.ranking.defaults;
        let fusion = FusionParams {
            semantic_weight: request.semantic_weight.unwrap_or(d.semantic_weight),
            geo_weight: request.geo_weight.unwrap_or(d.geo_weight),
            decay_scale_km: request.decay_scale_km.unwrap_or(d.decay_scale_km),
        };
        if fusion.semantic_weight == 0.0 && fusion.geo_weight == 0.0 {
            return Err(Error::invalid(
                "options.semantic_weight",
                "semantic and geo weights are both 0: nothing to rank by",
            ));
        }
        Ok(fusion)
    }

    /// Ranks `target` records against a stored origin record.
    async fn recommend<O, T>(
        &self,
        origin: Collection,
        origin_id: &str,
        target: Collection,
        request: &RankingRequest,
        mut filters: Vec<FieldFilter>,
        location: impl Fn(&O) -> crate::domain::GeoPoint,
        target_location: impl Fn(&T) -> crate::domain::GeoPoint,
    ) -> Result<Recommendation<O, T>>
    where
        O: for<'de> serde::Deserialize<'de>,
        T: for<'de> serde::Deserialize<'de>,
    {
        let fusion = self.fusion(request)?;
        let origin_doc = self.fetch(origin, origin_id).await?;
        let origin_record: O = from_payload(&origin_doc.payload)?;
        let origin_point = location(&origin_record);
        if let Some(km) = request.max_distance_km {
            filters.push(FieldFilter::WithinKm {
                center: origin_point,
                km,
            });
        }
        let query = RankedQuery {
            vector: origin_doc.vector.clone(),
            origin: origin_point,
            fusion,
            filters,
            prefetch: self.ranking.prefetch.max(request.top_k),
            limit: request.top_k,
        };
        let store = self.store.clone();
        let hits = blocking(move || store.search(target, &query)).await?;
        let results = hits
            .into_iter()
            .map(|hit| {
                let item: T = from_payload(&hit.doc.payload)?;
                let distance = haversine_km(origin_point, target_location(&item));
                let mut breakdown = fuse(
                    cosine(&origin_doc.vector, &hit.doc.vector),
                    distance,
                    &fusion,
                );
                // The store's score ranked the list; report it (the pure formula agrees within float error).
                breakdown.final_score = hit.score;
                Ok(Scored { item, breakdown })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Recommendation {
            origin: origin_record,
            fusion,
            results,
        })
    }

    /// Seekers for a stored posting, best first.
    #[instrument(skip_all, fields(posting_id = %posting_id, top_k = request.top_k))]
    pub async fn recommend_candidates(
        &self,
        posting_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<Posting, Seeker>> {
        self.recommend(
            Collection::Postings,
            posting_id,
            Collection::Seekers,
            request,
            filters,
            |p: &Posting| p.place.point,
            |s: &Seeker| s.home.point,
        )
        .await
    }

    /// Postings for a stored seeker, best first.
    #[instrument(skip_all, fields(seeker_id = %seeker_id, top_k = request.top_k))]
    pub async fn recommend_postings(
        &self,
        seeker_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<Seeker, Posting>> {
        self.recommend(
            Collection::Seekers,
            seeker_id,
            Collection::Postings,
            request,
            filters,
            |s: &Seeker| s.home.point,
            |p: &Posting| p.place.point,
        )
        .await
    }
}
