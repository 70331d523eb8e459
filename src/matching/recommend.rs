//! How one recommendation is ranked: the origin's candidates from the store (meaning, words and
//! nearness, the filters inside the query), scored by [`crate::ranking`], cut at the relevance
//! floor, with the seeker's commute respected; then explained, and the programmes of each pair.

use super::records::fetch_from;
use super::*;

/// A recommended record with the numbers behind its rank.
#[derive(Debug, Clone)]
pub struct Scored<T> {
    pub item: T,
    pub breakdown: ScoreBreakdown,
    pub explanation: Explanation,
    /// Farther than the seeker's own max commute: offered only because too few matches lie
    /// within reach (see [`RankingSettings::beyond_commute`]).
    pub beyond_commute: bool,
    /// Support programmes the pair meets, then those it misses by one condition.
    pub programmes: Vec<ProgrammeFit>,
}

/// A ranked list and the parameters that produced it.
#[derive(Debug, Clone)]
pub struct Recommendation<O, T> {
    pub origin: O,
    pub fusion: FusionParams,
    pub results: Vec<Scored<T>>,
    /// No candidate within the seekers' commutes cleared the relevance floor (the results, if
    /// any, all lie beyond it and say so).
    pub nothing_within_reach: bool,
}

/// What a recommendation request asks for, before defaults are applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RankingRequest {
    pub top_k: usize,
    /// The request's own fusion parameters, over the server's defaults.
    pub fusion: crate::ranking::FusionOverrides,
    /// Add marked matches beyond the seekers' commutes when too few lie within (None: server default).
    pub beyond_commute: Option<bool>,
    pub max_distance_km: Option<f64>,
    /// Propose seekers beyond their own stated max commute.
    pub ignore_seeker_commute: bool,
    pub boosts: crate::ranking::Boosts,
    /// Where both sides must lie (a counsellor's regions).
    pub scope: Scope,
    /// The language of the reason lines.
    pub language: crate::domain::Language,
}

/// The posting and the seeker of a recommendation's origin and one of its returned results,
/// whichever side each is on (borrowed). Scoring needs less: see [`Origin`].
pub(crate) trait Pair<T>: Origin {
    fn pair<'a>(&'a self, other: &'a T) -> (&'a Posting, &'a Seeker);
}

impl Pair<Seeker> for Posting {
    fn pair<'a>(&'a self, seeker: &'a Seeker) -> (&'a Posting, &'a Seeker) {
        (self, seeker)
    }
}

impl Pair<Posting> for Seeker {
    fn pair<'a>(&'a self, posting: &'a Posting) -> (&'a Posting, &'a Seeker) {
        (posting, self)
    }
}

/// What scoring a request's candidates needs, fixed for the request.
struct Scoring<'a, O> {
    engine: &'a Engine,
    origin: &'a O,
    origin_vector: &'a [f32],
    /// The origin's cosines to the stored records' sample and to the model's reference corpus
    /// (see [`match_strength`]).
    similarity: SimilarityReference<'a>,
    fusion: &'a FusionParams,
    boosts: &'a crate::ranking::Boosts,
}

/// The skill class keys stored with a record (sorted; empty when none were stored).
fn stored_skill_keys(payload: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut keys: Vec<String> = match payload.get(fields::SKILL_KEYS) {
        Some(serde_json::Value::Array(keys)) => keys
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    keys.sort();
    keys
}

/// A candidate scored, before its record is read (see [`Scoring::score`]).
struct Ranked {
    id: String,
    breakdown: ScoreBreakdown,
    beyond_commute: bool,
}

impl<O: Record + Origin> Scoring<'_, O> {
    /// Scores candidates together (see [`rank`]) from their ranking fields alone
    /// ([`CandidateFacts`]); marks those beyond the seeker's commute when `commute_applies`.
    /// Records, explanations and programmes wait for [`Self::describe`]: a request scores
    /// hundreds of candidates and returns a few.
    fn score(&self, candidates: &[Candidate], commute_applies: bool) -> Result<Vec<Ranked>> {
        let origin_keys = self.origin.skill_keys(&self.engine.vocabulary);
        let origin_is_posting = O::COLLECTION == Collection::Postings;
        let origin_point = self.origin.place().point;
        let spread = self.similarity.spread();
        let mut ids = Vec::with_capacity(candidates.len());
        let mut signals = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let decoded;
            let facts = match &candidate.facts {
                Some(facts) => facts.as_ref(),
                None => {
                    decoded = CandidateFacts::of(&candidate.doc.payload)?;
                    &decoded
                }
            };
            let pair = self.origin.pair_facts(facts);
            let distance_km = haversine_km(origin_point, facts.point);
            let (boost, boosts_applied) = applied_boosts(self.boosts, &pair.boosts);
            let skills_share = if origin_is_posting {
                shared_share(&origin_keys, &facts.skill_keys)
            } else {
                shared_share(&facts.skill_keys, &origin_keys)
            };
            let cosine = candidate
                .similarity
                .unwrap_or_else(|| cosine(self.origin_vector, &candidate.doc.vector));
            let beyond_commute = commute_applies
                && pair
                    .commute_km
                    .is_some_and(|km| distance_km > f64::from(commute_bucket(Some(km))));
            signals.push(Signals {
                cosine,
                bm25: candidate.lexical_score,
                distance_km,
                commute_km: pair.commute_km,
                skills_share,
                boost,
                boosts_applied,
                match_strength: strength_over(cosine, spread),
            });
            ids.push((candidate.doc.id.clone(), beyond_commute));
        }
        let breakdowns = rank(&signals, self.fusion);
        Ok(ids
            .into_iter()
            .zip(breakdowns)
            .map(|((id, beyond_commute), breakdown)| Ranked {
                id,
                breakdown,
                beyond_commute,
            })
            .collect())
    }

    /// Reads the records of the results a request returns (in their order) and fills in each
    /// one's explanation and support programmes. A record deleted since it was found is left out.
    async fn describe<T: Record>(
        &self,
        ranked: Vec<Ranked>,
        programmes: &Programmes,
        language: crate::domain::Language,
    ) -> Result<Vec<Scored<T>>>
    where
        O: Pair<T>,
    {
        let store = self.engine.store.clone();
        let ids: Vec<String> = ranked.iter().map(|r| r.id.clone()).collect();
        let mut records: HashMap<String, (T, Vec<String>)> =
            blocking(move || store.get_records(T::COLLECTION, &ids))
                .await?
                .iter()
                .map(|doc| {
                    let record = from_payload::<T>(&doc.payload)?;
                    Ok((doc.id.clone(), (record, stored_skill_keys(&doc.payload))))
                })
                .collect::<Result<_>>()?;
        // The seeker's skill keys as the score used them: stored with a candidate seeker,
        // computed once for an origin seeker.
        let origin_keys = match O::COLLECTION {
            Collection::Seekers => self.origin.skill_keys(&self.engine.vocabulary),
            Collection::Postings => Vec::new(),
        };
        let today = chrono::Utc::now().date_naive().to_string();
        let mut results = Vec::with_capacity(ranked.len());
        for Ranked {
            id,
            breakdown,
            beyond_commute,
        } in ranked
        {
            let Some((item, candidate_keys)) = records.remove(&id) else {
                continue;
            };
            let (posting, seeker) = self.origin.pair(&item);
            let seeker_keys = match O::COLLECTION {
                Collection::Seekers => &origin_keys,
                Collection::Postings => &candidate_keys,
            };
            let explanation = explain(
                &self.engine.vocabulary,
                posting,
                seeker,
                seeker_keys,
                &breakdown,
                beyond_commute,
                language,
            );
            let programmes =
                programmes.fits(Some(seeker), Some(posting), Today::of(&today), language);
            results.push(Scored {
                item,
                breakdown,
                explanation,
                beyond_commute,
                programmes,
            });
        }
        Ok(results)
    }
}

/// The origin's cosines to the corpora a match is judged against: a sample of the stored records
/// of the other side, and the model's reference corpus of that side.
pub(crate) struct OriginSimilarity {
    pub stored: Vec<f64>,
    pub reference: Vec<f64>,
}

impl OriginSimilarity {
    pub fn as_reference(&self) -> SimilarityReference<'_> {
        SimilarityReference {
            stored: &self.stored,
            reference: &self.reference,
        }
    }
}

/// Runs a recommendation's store query: its words cut to the `max_words` that weigh most (`None`:
/// no word list), the candidates, and the origin's similarity to the corpora (for match
/// strength).
async fn search<T: Record>(
    engine: Arc<Engine>,
    mut plan: CandidateQuery,
    max_words: Option<usize>,
) -> Result<(Vec<Candidate>, OriginSimilarity, CandidateQuery)> {
    blocking(move || {
        let store = engine.store.as_ref();
        plan.lexical = match max_words {
            Some(max) => store.weightiest_terms(T::COLLECTION, &plan.lexical, max)?,
            None => Default::default(),
        };
        let stored: Vec<f64> = engine
            .samples
            .vectors(store, T::COLLECTION)?
            .iter()
            .map(|v| cosine(&plan.vector, v))
            .collect();
        let reference_vectors = engine.embedder.reference();
        let reference = match T::COLLECTION {
            Collection::Postings => &reference_vectors.postings,
            Collection::Seekers => &reference_vectors.seekers,
        }
        .iter()
        .map(|v| cosine(&plan.vector, v))
        .collect();
        let within = store.candidates(T::COLLECTION, &plan)?;
        Ok((within, OriginSimilarity { stored, reference }, plan))
    })
    .await
}

/// The candidates of `wider` (the query without the commute condition) not already `within`.
async fn candidates_beyond<T: Record>(
    engine: &Arc<Engine>,
    wider: CandidateQuery,
    within: &[Candidate],
) -> Result<Vec<Candidate>> {
    let store = engine.store.clone();
    let beyond = blocking(move || store.candidates(T::COLLECTION, &wider)).await?;
    let within_ids: HashSet<&str> = within.iter().map(|c| c.doc.id.as_str()).collect();
    Ok(beyond
        .into_iter()
        .filter(|c| !within_ids.contains(c.doc.id.as_str()))
        .collect())
}

impl Matcher {
    /// The server's default fusion settings, with the serving model's similarity band unless the
    /// configuration set one.
    pub fn default_fusion(&self) -> FusionParams {
        let mut defaults = self.ranking.defaults;
        if self.ranking.band_from_model {
            if let Some((floor, ceiling)) = self.engine().embedder.info().similarity_band {
                defaults.semantic_floor = floor;
                defaults.semantic_ceiling = ceiling;
            }
        }
        defaults
    }

    /// The weights a request ends up with (its own, else the server's defaults).
    pub fn fusion(&self, request: &RankingRequest) -> Result<FusionParams> {
        let fusion = request.fusion.over(self.default_fusion());
        fusion.validate(crate::ranking::option_name)?;
        Ok(fusion)
    }

    /// Ranks `T` records against the stored origin record `origin_id` of kind `O`: the store
    /// finds candidates within the filters, [`rank`] scores them, and those below the relevance
    /// floor are left out. A seeker's commute is respected as `fusion.commute` says: by the
    /// distance term and a mark (penalty), or by a filter with the best matches beyond it added,
    /// marked, when too few within it clear the floor (filter).
    async fn recommend<O: Record + Pair<T>, T: Record>(
        &self,
        origin_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<O, T>> {
        // One engine for the whole request: a switch in between must not mix two models' vectors.
        let engine = self.engine();
        let origin_doc = fetch_from(engine.store.clone(), O::COLLECTION, origin_id).await?;
        let origin_record: O = from_payload(&origin_doc.payload)?;
        request.scope.check(
            &origin_record.place().sido_code,
            O::COLLECTION.noun(),
            origin_id,
        )?;
        self.recommend_from(&engine, origin_record, origin_doc.vector, request, filters)
            .await
    }

    /// [`Self::recommend`] for an origin record and vector in hand (stored or a draft),
    /// on `engine`.
    pub(crate) async fn recommend_from<O: Record + Pair<T>, T: Record>(
        &self,
        engine: &Arc<Engine>,
        origin_record: O,
        origin_vector: Vec<f32>,
        request: &RankingRequest,
        mut filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<O, T>> {
        let fusion = self.fusion(request)?;
        let origin_point = origin_record.place().point;
        filters.extend(request_filters(request, origin_point));
        let origin_commute = origin_record.commute_filter();
        let respect_commute = !request.ignore_seeker_commute && origin_commute.is_some();
        let commute =
            origin_commute.filter(|_| respect_commute && fusion.commute == CommutePolicy::Filter);
        let plan = CandidateQuery {
            vector: origin_vector.clone(),
            origin: origin_point,
            filters: filters.iter().cloned().chain(commute.clone()).collect(),
            lexical: engine
                .analyser
                .query_vector(&origin_record.embedding_text()),
            prefetch: self.ranking.prefetch.max(request.top_k),
            near_km: (self.ranking.near_radius > 0.0 && fusion.geo_weight > 0.0)
                .then_some(self.ranking.near_radius * fusion.decay_scale_km),
            payload: CandidatePayload::Ranking,
        };
        let fill = commute.is_some()
            && request
                .beyond_commute
                .unwrap_or(self.ranking.beyond_commute);
        let words = (fusion.lexical_weight > 0.0).then_some(self.ranking.max_query_words);
        let (within, similarity, plan) = search::<T>(engine.clone(), plan, words).await?;
        let scoring = Scoring {
            engine,
            origin: &origin_record,
            origin_vector: &origin_vector,
            similarity: similarity.as_reference(),
            fusion: &fusion,
            boosts: &request.boosts,
        };
        let clears = |r: &Ranked| r.breakdown.clears(fusion.relevance_floor);
        let mut ranked = scoring.score(&within, respect_commute)?;
        let matches_within = ranked
            .iter()
            .filter(|r| !r.beyond_commute && clears(r))
            .count();
        if fill && matches_within < request.top_k {
            // Scored apart, so the matches within reach keep the scores they have without them;
            // they are listed after those anyway.
            let wider = CandidateQuery { filters, ..plan };
            let farther = candidates_beyond::<T>(engine, wider, &within).await?;
            let extra = scoring.score(&farther, true)?;
            // Within reach but past the within-reach prefetch: not a "beyond" match.
            ranked.extend(extra.into_iter().filter(|r| r.beyond_commute));
        }
        let nothing_within_reach = respect_commute && matches_within == 0;
        ranked.retain(clears);
        let grouped = commute.is_some();
        let floor = fusion.relevance_floor;
        ranked.sort_by(|a, b| {
            offer_order(
                (&a.breakdown, a.beyond_commute),
                (&b.breakdown, b.beyond_commute),
                floor,
                grouped,
            )
        });
        ranked.truncate(request.top_k);
        let scored = scoring
            .describe(ranked, &self.programmes, request.language)
            .await?;
        Ok(Recommendation {
            origin: origin_record,
            fusion,
            results: scored,
            nothing_within_reach,
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
        self.recommend(posting_id, request, filters).await
    }

    /// Postings for a stored seeker, best first.
    #[instrument(skip_all, fields(seeker_id = %seeker_id, top_k = request.top_k))]
    pub async fn recommend_postings(
        &self,
        seeker_id: &str,
        request: &RankingRequest,
        filters: Vec<FieldFilter>,
    ) -> Result<Recommendation<Seeker, Posting>> {
        self.recommend(seeker_id, request, filters).await
    }
}

/// The hard filters a request adds to the caller's: the counsellor's regions and the maximum
/// distance from the origin.
fn request_filters(request: &RankingRequest, origin: GeoPoint) -> Vec<FieldFilter> {
    let scope = request.scope.filter();
    let distance = request
        .max_distance_km
        .map(|km| FieldFilter::WithinKm { center: origin, km });
    scope.into_iter().chain(distance).collect()
}
