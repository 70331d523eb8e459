//! Ranking maths as pure functions: great-circle distance, distance decay and score fusion.
//!
//! The store finds the candidates (dense, sparse and near-origin prefetches, with the filters);
//! [`rank`] scores them here, so every number of a result's breakdown is the one that ranked it.
//!
//! The final score of a candidate:
//!
//! ```text
//! relevance = w_sem · norm(cosine) + w_lex · norm(bm25)   meaning (dense) and shared words (BM25 · IDF)
//! reach     = 1 − w_geo · (1 − 0.5^((distance / scale)²))  in [1 − w_geo, 1]; scale: the seeker's
//!                                                           commute, or decay_scale_km
//! final     = relevance · reach + w_skills · share of the posting's required skills + boosts
//! ```
//!
//! Distance *modulates* relevance instead of adding to it: a near posting that is not about the
//! seeker's work gains nothing for being near, and within the commute (where `reach ≥ 1 − w_geo/2`)
//! a posting more relevant by more than that factor is never overtaken for a few kilometres.
//! Beyond the commute relevance falls gently towards `1 − w_geo`, so a 40 km posting for a 30 km
//! commuter stays a conversation. The breakdown shows distance as `distance_part =
//! relevance · (reach − 1)` (≤ 0), so its parts still add up to the final score. With no relevance
//! signal at all (both relevance weights 0) distance alone ranks: `distance_part = w_geo · geo`.
//!
//! `norm` needs no labels and no per-model constant. In [`FusionMode::Scores`] (the default) it
//! is distribution-based, as Qdrant's DBSF fusion: each signal's scores over this query's
//! candidates are mapped from `mean − 3σ … mean + 3σ` to `0 … 1`, so a model whose similarities
//! sit in a narrow band (multilingual-e5: 0.8–0.9) weighs the same as one that spreads them.
//! [`FusionMode::Band`] keeps the older fixed cosine band and BM25 saturation; in
//! [`FusionMode::Rrf`] the two parts are reciprocal-rank terms of the candidate's positions.
//!
//! Whether a candidate is a *match* at all is a separate, absolute question: its cosine against
//! the origin's similarity distribution ([`match_strength`], in standard deviations above the
//! mean), taken from the model's reference corpus while the store is small and from the stored
//! records as they grow ([`SimilarityReference`]). Results below `relevance_floor` are not
//! offered as matches, from the first stored record on.

pub mod exposure;
pub mod lexical;
pub mod region_match;
pub mod skills;

// Distance is the domain's (the gazetteer needs it too); ranking's maths uses it from here.
pub use crate::domain::{haversine_km, EARTH_RADIUS_KM};

/// The geo score at `decay_scale_km`: distance decays to one half there.
pub const DECAY_MIDPOINT: f64 = 0.5;

/// Gaussian decay: 1 at distance 0, [`DECAY_MIDPOINT`] at `scale_km`, towards 0 beyond.
/// `scale_km` must be positive (validated where requests are read).
pub fn gauss_decay(distance_km: f64, scale_km: f64) -> f64 {
    let lambda = DECAY_MIDPOINT.ln() / (scale_km * scale_km);
    (lambda * distance_km * distance_km).exp()
}

/// How the signals are combined (see the module documentation). Its names (`--fusion`, a
/// breakdown's `fusion`) are [`FusionMode::name`]'s; clap parses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FusionMode {
    /// Scores normalised by their distribution over the query's candidates, weighted and summed.
    #[value(name = FusionMode::Scores.name())]
    Scores,
    /// Reciprocal-rank fusion of the candidates' semantic and lexical positions.
    #[value(name = FusionMode::Rrf.name())]
    Rrf,
    /// The fixed cosine band `[semantic_floor, semantic_ceiling]` and BM25 saturation.
    #[value(name = FusionMode::Band.name())]
    Band,
}

impl FusionMode {
    pub const fn name(self) -> &'static str {
        match self {
            FusionMode::Scores => "scores",
            FusionMode::Rrf => "rrf",
            FusionMode::Band => "band",
        }
    }
}

/// How a seeker's own `max_commute_km` shapes a ranking that respects it (`--seeker-commute`,
/// by [`CommutePolicy::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CommutePolicy {
    /// Candidates beyond the commute are ranked too, with the distance term (at the seeker's own
    /// scale with the commute distance scale) pulling them down, and marked.
    #[value(name = CommutePolicy::Penalty.name())]
    Penalty,
    /// Candidates beyond the commute are left out; when too few within it clear the relevance
    /// floor, the best beyond it follow them, marked.
    #[value(name = CommutePolicy::Filter.name())]
    Filter,
}

impl CommutePolicy {
    pub const fn name(self) -> &'static str {
        match self {
            CommutePolicy::Penalty => "penalty",
            CommutePolicy::Filter => "filter",
        }
    }
}

/// The distance at which the geo score falls to one half (`--distance-scale`, by
/// [`DistanceScale::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DistanceScale {
    /// `decay_scale_km` for everyone.
    #[value(name = DistanceScale::Absolute.name())]
    Absolute,
    /// The seeker's own `max_commute_km` (`decay_scale_km` when they stated none).
    #[value(name = DistanceScale::Commute.name())]
    Commute,
}

impl DistanceScale {
    pub const fn name(self) -> &'static str {
        match self {
            DistanceScale::Absolute => "absolute",
            DistanceScale::Commute => "commute",
        }
    }
}

/// Qdrant's reciprocal-rank constant `k` (the usual 60).
pub const RRF_K: usize = 60;

/// How the signals are combined for one request. The one place the formula's parameters live.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusionParams {
    pub semantic_weight: f64,
    pub lexical_weight: f64,
    pub geo_weight: f64,
    pub decay_scale_km: f64,
    pub mode: FusionMode,
    /// Cosine similarity that counts as no semantic match (normalised to 0).
    pub semantic_floor: f64,
    /// Cosine similarity that counts as a full semantic match (normalised to 1).
    pub semantic_ceiling: f64,
    /// BM25 score that normalises to 0.5 (`bm25 / (bm25 + saturation)`).
    pub lexical_saturation: f64,
    /// The most the skills signal adds: this times the share of the posting's required skills
    /// the seeker has, listed or named in the text (see [`crate::skills`]); 0 turns it off.
    pub skills_weight: f64,
    /// Where the geo score's half-way point lies.
    pub distance_scale: DistanceScale,
    /// How a seeker's own commute shapes the ranking (when the request respects it).
    pub commute: CommutePolicy,
    /// Results whose [`match_strength`] is below this many standard deviations are not offered
    /// as matches (a very low value: no floor).
    pub relevance_floor: f64,
}

impl Default for FusionParams {
    /// The settings chosen with `jobmatch eval --tune` on the training split of
    /// `samples/occupations` and checked on every held-out split (BENCHMARKS.md). They hold no
    /// model constant: the normalisation follows each query's candidates.
    fn default() -> Self {
        Self {
            semantic_weight: 0.3,
            lexical_weight: 0.3,
            geo_weight: 0.4,
            decay_scale_km: 50.0,
            mode: FusionMode::Scores,
            semantic_floor: 0.0,
            semantic_ceiling: 1.0,
            lexical_saturation: 4.0,
            skills_weight: 0.1,
            distance_scale: DistanceScale::Commute,
            commute: CommutePolicy::Penalty,
            relevance_floor: 0.5,
        }
    }
}

impl FusionParams {
    /// The checks every source of settings shares (flags, a request, `jobmatch eval`), naming
    /// the parameter as `name` spells it for that source (`--semantic-weight`,
    /// `options.semantic_weight`).
    pub fn validate(&self, name: impl Fn(&str) -> String) -> crate::error::Result<()> {
        use crate::error::Error;
        for (param, value) in [
            ("semantic_weight", self.semantic_weight),
            ("lexical_weight", self.lexical_weight),
            ("geo_weight", self.geo_weight),
            ("skills_weight", self.skills_weight),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(Error::invalid(
                    name(param),
                    format!("must be ≥ 0, got {value}"),
                ));
            }
        }
        if self.semantic_weight == 0.0 && self.lexical_weight == 0.0 && self.geo_weight == 0.0 {
            return Err(Error::invalid(
                name("semantic_weight"),
                "semantic, lexical and geo weights are all 0: nothing to rank by",
            ));
        }
        for (param, value) in [
            ("decay_scale_km", self.decay_scale_km),
            ("lexical_saturation", self.lexical_saturation),
        ] {
            if !value.is_finite() || value <= 0.0 {
                return Err(Error::invalid(
                    name(param),
                    format!("must be > 0, got {value}"),
                ));
            }
        }
        let (floor, ceiling) = (self.semantic_floor, self.semantic_ceiling);
        if !(floor.is_finite() && ceiling.is_finite()) || ceiling <= floor {
            return Err(Error::invalid(
                name("semantic_ceiling"),
                format!(
                    "must be above {} ({ceiling} ≤ {floor})",
                    name("semantic_floor")
                ),
            ));
        }
        if !self.relevance_floor.is_finite() {
            return Err(Error::invalid(
                name("relevance_floor"),
                format!("must be a finite number, got {}", self.relevance_floor),
            ));
        }
        Ok(())
    }
}

/// A request's own values for some fusion parameters (`None`: the server's default); the one
/// place a new parameter is added besides [`FusionParams`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FusionOverrides {
    pub semantic_weight: Option<f64>,
    pub lexical_weight: Option<f64>,
    pub geo_weight: Option<f64>,
    pub decay_scale_km: Option<f64>,
    pub mode: Option<FusionMode>,
    pub semantic_floor: Option<f64>,
    pub semantic_ceiling: Option<f64>,
    pub lexical_saturation: Option<f64>,
    pub skills_weight: Option<f64>,
    pub distance_scale: Option<DistanceScale>,
    pub commute: Option<CommutePolicy>,
    pub relevance_floor: Option<f64>,
}

impl FusionOverrides {
    /// Every parameter set to `p`'s (what `jobmatch eval` ranks with).
    pub fn all(p: FusionParams) -> Self {
        Self {
            semantic_weight: Some(p.semantic_weight),
            lexical_weight: Some(p.lexical_weight),
            geo_weight: Some(p.geo_weight),
            decay_scale_km: Some(p.decay_scale_km),
            mode: Some(p.mode),
            semantic_floor: Some(p.semantic_floor),
            semantic_ceiling: Some(p.semantic_ceiling),
            lexical_saturation: Some(p.lexical_saturation),
            skills_weight: Some(p.skills_weight),
            distance_scale: Some(p.distance_scale),
            commute: Some(p.commute),
            relevance_floor: Some(p.relevance_floor),
        }
    }

    /// `defaults` with the values set here in their place.
    pub fn over(&self, d: FusionParams) -> FusionParams {
        FusionParams {
            semantic_weight: self.semantic_weight.unwrap_or(d.semantic_weight),
            lexical_weight: self.lexical_weight.unwrap_or(d.lexical_weight),
            geo_weight: self.geo_weight.unwrap_or(d.geo_weight),
            decay_scale_km: self.decay_scale_km.unwrap_or(d.decay_scale_km),
            mode: self.mode.unwrap_or(d.mode),
            semantic_floor: self.semantic_floor.unwrap_or(d.semantic_floor),
            semantic_ceiling: self.semantic_ceiling.unwrap_or(d.semantic_ceiling),
            lexical_saturation: self.lexical_saturation.unwrap_or(d.lexical_saturation),
            skills_weight: self.skills_weight.unwrap_or(d.skills_weight),
            distance_scale: self.distance_scale.unwrap_or(d.distance_scale),
            commute: self.commute.unwrap_or(d.commute),
            relevance_floor: self.relevance_floor.unwrap_or(d.relevance_floor),
        }
    }
}

/// A flag's name for a parameter (`semantic_weight` → `--semantic-weight`).
pub fn flag_name(param: &str) -> String {
    format!("--{}", param.replace('_', "-"))
}

/// A request field's name for a parameter (`semantic_weight` → `options.semantic_weight`).
pub fn option_name(param: &str) -> String {
    format!("options.{param}")
}

/// The skills term: `skills_weight · share`, the share clamped to [0, 1], so the boost never
/// exceeds `skills_weight`.
pub fn skills_boost(share: f64, params: &FusionParams) -> f64 {
    params.skills_weight * share.clamp(0.0, 1.0)
}

/// Cosine similarity mapped to [0, 1] between the floor and the ceiling.
pub fn normalised_semantic(cosine: f64, params: &FusionParams) -> f64 {
    ((cosine - params.semantic_floor) / (params.semantic_ceiling - params.semantic_floor))
        .clamp(0.0, 1.0)
}

/// A BM25 score mapped to [0, 1): 0.5 at the saturation score.
pub fn normalised_lexical(score: f64, params: &FusionParams) -> f64 {
    if score <= 0.0 {
        0.0
    } else {
        score / (score + params.lexical_saturation)
    }
}

/// Qdrant's weighted reciprocal-rank term for a 0-based list position.
pub fn rrf_term(position: usize, weight: f64) -> f64 {
    if weight <= 0.0 {
        0.0
    } else {
        1.0 / ((position + 1) as f64 / weight + RRF_K as f64 - 1.0)
    }
}

/// Factor that scales an RRF score so first place in both lists gives `w_sem + w_lex`.
pub fn rrf_scale(params: &FusionParams) -> f64 {
    let top = rrf_term(0, params.semantic_weight) + rrf_term(0, params.lexical_weight);
    if top > 0.0 {
        (params.semantic_weight + params.lexical_weight) / top
    } else {
        0.0
    }
}

/// Amounts added to the final score when a condition holds (0: off).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Boosts {
    /// The posting's company is government-certified.
    pub certified_company: f64,
    /// Posting and seeker are in the same sido.
    pub same_sido: f64,
    /// The posting is in manufacturing.
    pub manufacturing: f64,
}

/// Facts of one posting–seeker pair that boosts look at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoostFacts {
    pub certified_company: bool,
    pub same_sido: bool,
    pub manufacturing: bool,
}

/// The boosts that apply to a pair: their sum and names.
pub fn applied_boosts(boosts: &Boosts, facts: &BoostFacts) -> (f64, Vec<&'static str>) {
    let mut total = 0.0;
    let mut names = Vec::new();
    for (name, amount, holds) in [
        (
            "certified_company",
            boosts.certified_company,
            facts.certified_company,
        ),
        ("same_sido", boosts.same_sido, facts.same_sido),
        ("manufacturing", boosts.manufacturing, facts.manufacturing),
    ] {
        if holds && amount > 0.0 {
            total += amount;
            names.push(name);
        }
    }
    (total, names)
}

/// Mean and standard deviation of one signal's scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub std_dev: f64,
}

impl Spread {
    /// The spread of `values` (population standard deviation); `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let (mut n, mut sum, mut squares) = (0usize, 0.0, 0.0);
        for v in values {
            n += 1;
            sum += v;
            squares += v * v;
        }
        if n == 0 {
            return None;
        }
        let mean = sum / n as f64;
        let variance = (squares / n as f64 - mean * mean).max(0.0);
        Some(Spread {
            mean,
            std_dev: variance.sqrt(),
        })
    }
}

impl Spread {
    /// The spread of a mixture: `a` with weight `1 − share_b`, `b` with weight `share_b`.
    pub fn mixture(a: Spread, b: Spread, share_b: f64) -> Spread {
        let wb = share_b.clamp(0.0, 1.0);
        let wa = 1.0 - wb;
        let mean = wa * a.mean + wb * b.mean;
        let variance = wa * (a.std_dev.powi(2) + (a.mean - mean).powi(2))
            + wb * (b.std_dev.powi(2) + (b.mean - mean).powi(2));
        Spread {
            mean,
            std_dev: variance.max(0.0).sqrt(),
        }
    }
}

/// How many standard deviations span the distribution-based normalisation on each side.
pub const SPREAD_SIGMAS: f64 = 3.0;

/// Distribution-based normalisation (Qdrant's DBSF): `mean − 3σ → 0`, `mean + 3σ → 1`, clamped;
/// 0.5 when all scores are equal.
pub fn normalised_by_spread(score: f64, spread: Spread) -> f64 {
    if spread.std_dev <= 1e-12 {
        return 0.5;
    }
    let low = spread.mean - SPREAD_SIGMAS * spread.std_dev;
    ((score - low) / (2.0 * SPREAD_SIGMAS * spread.std_dev)).clamp(0.0, 1.0)
}

/// Fewest stored records whose similarities make a usable corpus distribution on their own (no
/// reference corpus): with fewer, a standard deviation is too noisy to judge a match by.
pub const MIN_CORPUS_SAMPLE: usize = 20;

/// The least standard deviation of a corpus's similarities that says anything (see
/// [`match_strength`]); real corpora spread by 0.02 (multilingual-e5) to 0.1 and more.
pub const MIN_CORPUS_SPREAD: f64 = 1e-3;

/// Stored records whose sample weighs as much as the model's reference corpus: the store's own
/// distribution takes over as it grows (a sample of 50 counts half, 450 counts 90 %).
pub const STORE_SAMPLE_HALF_WEIGHT: f64 = 50.0;

/// The origin's cosines to the two corpora a match is judged against: a sample of the stored
/// records of the other side, and the model's reference corpus of generic texts of that side
/// (empty when the model directory has none).
#[derive(Debug, Clone, Copy)]
pub struct SimilarityReference<'a> {
    pub stored: &'a [f64],
    pub reference: &'a [f64],
}

impl SimilarityReference<'_> {
    /// The blended distribution: a mixture of the reference's and the store's, the store's share
    /// `n / (n + STORE_SAMPLE_HALF_WEIGHT)`. Without a reference, the store's alone once it has
    /// [`MIN_CORPUS_SAMPLE`] records; `None` when neither can say.
    pub fn spread(&self) -> Option<Spread> {
        let stored = Spread::of(self.stored.iter().copied());
        let reference = Spread::of(self.reference.iter().copied());
        match (reference, stored) {
            (None, Some(s)) if self.stored.len() >= MIN_CORPUS_SAMPLE => Some(s),
            (None, _) => None,
            (Some(r), None) => Some(r),
            (Some(r), Some(s)) => {
                let n = self.stored.len() as f64;
                let share = n / (n + STORE_SAMPLE_HALF_WEIGHT);
                Some(Spread::mixture(r, s, share))
            }
        }
    }
}

/// How far a cosine stands above the origin's similarity distribution ([`SimilarityReference`]),
/// in standard deviations. `None` when there is no distribution, or it is flat.
pub fn match_strength(cosine: f64, against: SimilarityReference<'_>) -> Option<f64> {
    strength_over(cosine, against.spread())
}

/// [`match_strength`] against the distribution's spread, computed once for a request's
/// candidates.
pub fn strength_over(cosine: f64, spread: Option<Spread>) -> Option<f64> {
    let spread = spread?;
    // Below this the records are (near) copies of one text: their differences are float noise.
    (spread.std_dev > MIN_CORPUS_SPREAD).then(|| (cosine - spread.mean) / spread.std_dev)
}

/// What is known of one candidate before it is scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    /// Cosine similarity of the two texts' embeddings.
    pub cosine: f64,
    /// BM25 · IDF score of the shared words (0: none shared).
    pub bm25: f64,
    pub distance_km: f64,
    /// The seeker's stated max commute (the geo scale in [`DistanceScale::Commute`]).
    pub commute_km: Option<f64>,
    /// Share of the posting's required skills the seeker has (0 when it requires none).
    pub skills_share: f64,
    /// Sum of the boosts that apply, and their names.
    pub boost: f64,
    pub boosts_applied: Vec<&'static str>,
    /// See [`match_strength`].
    pub match_strength: Option<f64>,
}

/// The parts of a final score, as shown to a counsellor. `final_score` is exactly
/// `semantic_part + lexical_part + distance_part + skills_score + boost`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBreakdown {
    pub final_score: f64,
    /// Raw cosine similarity of the two texts' embeddings.
    pub semantic_similarity: f64,
    /// BM25 · IDF score of the shared words (0: none shared).
    pub lexical_score: f64,
    /// The meaning's share of the final score (weighted, normalised).
    pub semantic_part: f64,
    /// The words' share of the final score (weighted, normalised).
    pub lexical_part: f64,
    /// `semantic_part + lexical_part`.
    pub relevance: f64,
    /// What distance changes: `relevance · (reach − 1)`, at most 0 (see the module documentation).
    pub distance_part: f64,
    pub geo_score: f64,
    /// The distance at which the geo score is one half, as used for this candidate.
    pub geo_scale_km: f64,
    pub distance_km: f64,
    /// Share of the posting's required skills the seeker has (0 when it requires none).
    pub skills_share: f64,
    /// The skills term of the final score (`skills_weight · skills_share`).
    pub skills_score: f64,
    /// Sum of the boosts that applied (included in `final_score`).
    pub boost: f64,
    pub boosts_applied: Vec<&'static str>,
    /// See [`match_strength`].
    pub match_strength: Option<f64>,
}

impl ScoreBreakdown {
    /// Whether this result clears the relevance floor (unknown strength: it does).
    pub fn clears(&self, floor: f64) -> bool {
        self.match_strength.is_none_or(|z| z >= floor)
    }
}

/// The geo score of a distance, and the scale it used.
pub fn geo_score(distance_km: f64, commute_km: Option<f64>, params: &FusionParams) -> (f64, f64) {
    let scale = match (params.distance_scale, commute_km) {
        (DistanceScale::Commute, Some(km)) if km > 0.0 => km,
        _ => params.decay_scale_km,
    };
    (gauss_decay(distance_km, scale), scale)
}

/// The share of relevance a candidate keeps at geo score `geo`: `1 − w_geo · (1 − geo)`, in
/// [0, 1] (a geo weight above 1 can take it all).
pub fn reach(geo: f64, params: &FusionParams) -> f64 {
    (1.0 - params.geo_weight * (1.0 - geo)).clamp(0.0, 1.0)
}

/// What distance adds to a candidate of this relevance (see the module documentation).
pub fn distance_part(relevance: f64, geo: f64, params: &FusionParams) -> f64 {
    if params.semantic_weight + params.lexical_weight > 0.0 {
        relevance * (reach(geo, params) - 1.0)
    } else {
        params.geo_weight * geo
    }
}

/// Where a result stands in the list offered: matches within reach, then (when the commute
/// groups them) matches beyond it, then results that do not clear the floor; by final score
/// within each tier.
pub fn offer_order(
    a: (&ScoreBreakdown, bool),
    b: (&ScoreBreakdown, bool),
    floor: f64,
    grouped: bool,
) -> std::cmp::Ordering {
    let tier = |(s, beyond): (&ScoreBreakdown, bool)| (!s.clears(floor), grouped && beyond);
    tier(a)
        .cmp(&tier(b))
        .then(b.0.final_score.total_cmp(&a.0.final_score))
}

/// Scores a query's candidates (in any order); returns their breakdowns in the same order.
/// The normalisation of [`FusionMode::Scores`] and the positions of [`FusionMode::Rrf`] are
/// taken over `candidates`, so score them all at once.
pub fn rank(candidates: &[Signals], params: &FusionParams) -> Vec<ScoreBreakdown> {
    let semantic_spread = Spread::of(candidates.iter().map(|c| c.cosine));
    let lexical_spread = Spread::of(candidates.iter().map(|c| c.bm25).filter(|b| *b > 0.0));
    let semantic_positions = positions(candidates.iter().map(|c| c.cosine).collect());
    let lexical_positions = positions(candidates.iter().map(|c| c.bm25).collect());
    let rrf = rrf_scale(params);
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (semantic_part, lexical_part) = match params.mode {
                FusionMode::Scores => (
                    params.semantic_weight
                        * semantic_spread.map_or(0.5, |s| normalised_by_spread(c.cosine, s)),
                    match lexical_spread {
                        Some(s) if c.bm25 > 0.0 => {
                            params.lexical_weight * normalised_by_spread(c.bm25, s)
                        }
                        _ => 0.0,
                    },
                ),
                FusionMode::Band => (
                    params.semantic_weight * normalised_semantic(c.cosine, params),
                    params.lexical_weight * normalised_lexical(c.bm25, params),
                ),
                FusionMode::Rrf => (
                    rrf * rrf_term(semantic_positions[i], params.semantic_weight),
                    if c.bm25 > 0.0 {
                        rrf * rrf_term(lexical_positions[i], params.lexical_weight)
                    } else {
                        0.0
                    },
                ),
            };
            let (geo, geo_scale_km) = geo_score(c.distance_km, c.commute_km, params);
            let skills_score = skills_boost(c.skills_share, params);
            let relevance = semantic_part + lexical_part;
            let distance_part = distance_part(relevance, geo, params);
            ScoreBreakdown {
                final_score: relevance + distance_part + skills_score + c.boost,
                semantic_similarity: c.cosine,
                lexical_score: c.bm25,
                semantic_part,
                lexical_part,
                relevance,
                distance_part,
                geo_score: geo,
                geo_scale_km,
                distance_km: c.distance_km,
                skills_share: c.skills_share,
                skills_score,
                boost: c.boost,
                boosts_applied: c.boosts_applied.clone(),
                match_strength: c.match_strength,
            }
        })
        .collect()
}

/// Each value's 0-based position when sorted from highest to lowest (ties: the earlier first).
fn positions(values: Vec<f64>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let mut position = vec![0; values.len()];
    for (rank, i) in order.into_iter().enumerate() {
        position[i] = rank;
    }
    position
}

/// Cosine similarity of two vectors (0 when either is all zeros).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GeoPoint;
    use proptest::prelude::*;

    #[test]
    fn one_validation_names_the_field_as_each_source_spells_it() {
        let ok = FusionParams::default();
        assert!(ok.validate(flag_name).is_ok());
        let all_zero = FusionParams {
            semantic_weight: 0.0,
            lexical_weight: 0.0,
            geo_weight: 0.0,
            ..ok
        };
        let flag = all_zero.validate(flag_name).unwrap_err().to_string();
        assert!(flag.contains("--semantic-weight"), "{flag}");
        let option = all_zero.validate(option_name).unwrap_err().to_string();
        assert!(option.contains("options.semantic_weight"), "{option}");
        let inverted = FusionParams {
            semantic_floor: 0.9,
            semantic_ceiling: 0.8,
            ..ok
        };
        let err = inverted.validate(flag_name).unwrap_err().to_string();
        assert!(
            err.contains("--semantic-ceiling") && err.contains("--semantic-floor"),
            "{err}"
        );
        for bad in [
            FusionParams {
                geo_weight: -0.1,
                ..ok
            },
            FusionParams {
                decay_scale_km: 0.0,
                ..ok
            },
            FusionParams {
                lexical_saturation: f64::NAN,
                ..ok
            },
            FusionParams {
                relevance_floor: f64::INFINITY,
                ..ok
            },
        ] {
            assert!(bad.validate(option_name).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn overrides_replace_only_what_they_set() {
        let defaults = FusionParams::default();
        assert_eq!(FusionOverrides::default().over(defaults), defaults);
        let some = FusionOverrides {
            geo_weight: Some(0.9),
            mode: Some(FusionMode::Rrf),
            ..Default::default()
        };
        let merged = some.over(defaults);
        assert_eq!(merged.geo_weight, 0.9);
        assert_eq!(merged.mode, FusionMode::Rrf);
        assert_eq!(merged.semantic_weight, defaults.semantic_weight);
        let other = FusionParams {
            skills_weight: 0.7,
            ..defaults
        };
        assert_eq!(FusionOverrides::all(other).over(defaults), other);
    }

    fn point(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
    }

    fn signals(
        cosine: f64,
        bm25: f64,
        distance_km: f64,
        commute_km: Option<f64>,
        skills_share: f64,
    ) -> Signals {
        Signals {
            cosine,
            bm25,
            distance_km,
            commute_km,
            skills_share,
            boost: 0.0,
            boosts_applied: Vec::new(),
            match_strength: None,
        }
    }

    #[test]
    fn the_spread_maps_three_sigmas_to_the_ends_and_a_flat_list_to_the_middle() {
        let spread = Spread {
            mean: 0.8,
            std_dev: 0.02,
        };
        assert!((normalised_by_spread(0.8, spread) - 0.5).abs() < 1e-12);
        assert!((normalised_by_spread(0.86, spread) - 1.0).abs() < 1e-12);
        assert!((normalised_by_spread(0.74, spread) - 0.0).abs() < 1e-12);
        assert_eq!(normalised_by_spread(0.99, spread), 1.0, "clamped above");
        assert_eq!(normalised_by_spread(0.1, spread), 0.0, "clamped below");
        let flat = Spread::of([0.5, 0.5, 0.5]).unwrap();
        assert_eq!(normalised_by_spread(0.5, flat), 0.5);
        assert!(Spread::of(std::iter::empty()).is_none());
    }

    #[test]
    fn the_commute_scale_halves_the_geo_score_at_the_seekers_own_limit() {
        let params = FusionParams {
            distance_scale: DistanceScale::Commute,
            ..FusionParams::default()
        };
        let (g, scale) = geo_score(10.0, Some(10.0), &params);
        assert!((g - 0.5).abs() < 1e-12 && (scale - 10.0).abs() < 1e-12);
        let (_, fallback) = geo_score(10.0, None, &params);
        assert!(
            (fallback - params.decay_scale_km).abs() < 1e-12,
            "no stated commute: decay scale"
        );
        let absolute = FusionParams {
            distance_scale: DistanceScale::Absolute,
            ..params
        };
        assert!((geo_score(50.0, Some(10.0), &absolute).0 - gauss_decay(50.0, 50.0)).abs() < 1e-12);
    }

    #[test]
    fn a_small_or_flat_corpus_gives_no_match_strength_and_clears_any_floor() {
        fn stored_only(stored: &[f64]) -> SimilarityReference<'_> {
            SimilarityReference {
                stored,
                reference: &[],
            }
        }
        assert!(match_strength(0.9, stored_only(&[0.1, 0.2, 0.3])).is_none());
        let copies: Vec<f64> = (0..20).map(|i| 0.8 + 1e-7 * f64::from(i)).collect();
        assert!(
            match_strength(0.8, stored_only(&copies)).is_none(),
            "float noise is no spread"
        );
        let mut b = rank(
            &[signals(0.9, 0.0, 1.0, None, 0.0)],
            &FusionParams::default(),
        )
        .remove(0);
        assert!(b.clears(5.0));
        b.match_strength = Some(0.4);
        assert!(!b.clears(1.0) && b.clears(0.4));
    }

    #[test]
    fn known_distances() {
        // Seoul City Hall to Busan City Hall: about 325 km.
        let seoul = point(37.5663, 126.9779);
        let busan = point(35.1798, 129.0750);
        let d = haversine_km(seoul, busan);
        assert!((d - 325.0).abs() < 5.0, "{d}");
        // One degree of latitude is about 111.2 km.
        assert!((haversine_km(point(0.0, 0.0), point(1.0, 0.0)) - 111.19).abs() < 0.05);
    }

    #[test]
    fn decay_is_one_at_zero_and_half_at_scale() {
        assert!((gauss_decay(0.0, 30.0) - 1.0).abs() < 1e-12);
        assert!((gauss_decay(30.0, 30.0) - 0.5).abs() < 1e-12);
        assert!((gauss_decay(60.0, 30.0) - 0.0625).abs() < 1e-12);
    }

    fn coords() -> impl Strategy<Value = GeoPoint> {
        (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(lat, lon)| point(lat, lon))
    }

    proptest! {
        #[test]
        fn distance_is_a_symmetric_bounded_metric(a in coords(), b in coords()) {
            let d = haversine_km(a, b);
            prop_assert!(d >= 0.0);
            prop_assert!(d <= std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6);
            prop_assert!((d - haversine_km(b, a)).abs() < 1e-9);
            prop_assert!(haversine_km(a, a) < 1e-9);
        }

        #[test]
        fn decay_stays_in_unit_range_and_never_rises(d1 in 0.0f64..2000.0, d2 in 0.0f64..2000.0, scale in 0.1f64..500.0) {
            let (near, far) = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
            let (g_near, g_far) = (gauss_decay(near, scale), gauss_decay(far, scale));
            prop_assert!((0.0..=1.0).contains(&g_near));
            prop_assert!((0.0..=1.0).contains(&g_far));
            prop_assert!(g_far <= g_near);
        }

        #[test]
        fn every_breakdown_adds_up_to_its_final_score_and_stays_within_the_weights(
            raw in proptest::collection::vec((-1.0f64..=1.0, 0.0f64..30.0, 0.0f64..400.0, proptest::option::of(1.0f64..100.0), 0.0f64..=1.0), 1..40),
            w_sem in 0.0f64..=1.0, w_lex in 0.0f64..=1.0, w_geo in 0.0f64..=1.0, w_skills in 0.0f64..=0.5,
            mode in prop_oneof![Just(FusionMode::Scores), Just(FusionMode::Rrf), Just(FusionMode::Band)],
            commute_scale in proptest::bool::ANY,
        ) {
            let params = FusionParams {
                semantic_weight: w_sem, lexical_weight: w_lex, geo_weight: w_geo, skills_weight: w_skills, mode,
                distance_scale: if commute_scale { DistanceScale::Commute } else { DistanceScale::Absolute },
                ..FusionParams::default()
            };
            let candidates: Vec<Signals> = raw.iter().map(|&(cosine, bm25, distance_km, commute_km, share)| {
                signals(cosine, bm25, distance_km, commute_km, share)
            }).collect();
            for b in rank(&candidates, &params) {
                let sum = b.semantic_part + b.lexical_part + b.distance_part + b.skills_score + b.boost;
                prop_assert!((b.final_score - sum).abs() < 1e-9);
                prop_assert!((b.relevance - b.semantic_part - b.lexical_part).abs() < 1e-12);
                prop_assert!(b.semantic_part >= -1e-12 && b.lexical_part >= -1e-12);
                prop_assert!(b.relevance <= w_sem + w_lex + 1e-9);
                if mode != FusionMode::Rrf {
                    // Rank fusion scales its terms so that first place in both lists scores
                    // w_sem + w_lex; each part alone is bounded by its weight otherwise.
                    prop_assert!(b.semantic_part <= w_sem + 1e-9);
                    prop_assert!(b.lexical_part <= w_lex + 1e-9);
                }
                prop_assert!((0.0..=1.0).contains(&b.geo_score));
                prop_assert!(b.final_score <= w_sem + w_lex + w_geo + w_skills + 1e-9);
                if b.lexical_score == 0.0 {
                    prop_assert_eq!(b.lexical_part, 0.0);
                }
            }
        }

        #[test]
        fn within_one_query_more_meaning_more_words_or_less_distance_never_rank_lower(
            raw in proptest::collection::vec((-1.0f64..=1.0, 0.0f64..30.0, 0.0f64..400.0), 2..30),
            mode in prop_oneof![Just(FusionMode::Scores), Just(FusionMode::Rrf), Just(FusionMode::Band)],
        ) {
            let params = FusionParams { mode, distance_scale: DistanceScale::Absolute, ..FusionParams::default() };
            let candidates: Vec<Signals> = raw.iter().map(|&(c, l, d)| signals(c, l, d, None, 0.0)).collect();
            let scored = rank(&candidates, &params);
            for (i, a) in candidates.iter().enumerate() {
                for (j, b) in candidates.iter().enumerate() {
                    // Ties take the earlier position in rank fusion, so dominance there counts from the earlier.
                    let at_least = |x: f64, y: f64| x > y || (x == y && i <= j);
                    if at_least(a.cosine, b.cosine) && at_least(a.bm25, b.bm25) && a.distance_km <= b.distance_km {
                        prop_assert!(scored[i].final_score >= scored[j].final_score - 1e-9, "{i} dominates {j}");
                    }
                }
            }
        }

        #[test]
        fn the_spread_normalisation_is_bounded_monotone_and_ignores_the_models_band(
            values in proptest::collection::vec(-1.0f64..=1.0, 2..50), shift in -0.5f64..0.5, stretch in 0.05f64..5.0,
        ) {
            let spread = Spread::of(values.iter().copied()).unwrap();
            let moved: Vec<f64> = values.iter().map(|v| v * stretch + shift).collect();
            let moved_spread = Spread::of(moved.iter().copied()).unwrap();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mut last = -1.0;
            for v in sorted {
                let n = normalised_by_spread(v, spread);
                prop_assert!((0.0..=1.0).contains(&n));
                prop_assert!(n >= last - 1e-12);
                last = n;
                // A model whose similarities are an affine map of another's normalises alike.
                prop_assert!((normalised_by_spread(v * stretch + shift, moved_spread) - n).abs() < 1e-6);
            }
        }

        #[test]
        fn the_skills_boost_is_bounded_by_its_weight_and_grows_with_the_share(
            s1 in -1.0f64..2.0, s2 in -1.0f64..2.0, weight in 0.0f64..=1.0,
        ) {
            let params = FusionParams { skills_weight: weight, ..FusionParams::default() };
            let (lo, hi) = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
            let (b_lo, b_hi) = (skills_boost(lo, &params), skills_boost(hi, &params));
            prop_assert!((0.0..=weight + 1e-12).contains(&b_lo));
            prop_assert!((0.0..=weight + 1e-12).contains(&b_hi));
            prop_assert!(b_lo <= b_hi + 1e-12);
        }

        #[test]
        fn the_match_strength_counts_standard_deviations_above_the_corpus(
            corpus in proptest::collection::vec(-1.0f64..=1.0, MIN_CORPUS_SAMPLE..64), k in -3.0f64..6.0,
        ) {
            let spread = Spread::of(corpus.iter().copied()).unwrap();
            prop_assume!(spread.std_dev > MIN_CORPUS_SPREAD);
            let against = SimilarityReference { stored: &corpus, reference: &[] };
            let z = match_strength(spread.mean + k * spread.std_dev, against).unwrap();
            prop_assert!((z - k).abs() < 1e-6);
            // The model's reference alone judges from the first record, and the store's own
            // sample takes over as it grows.
            let reference: Vec<f64> = corpus.iter().map(|c| c * 0.5 + 0.2).collect();
            let r = Spread::of(reference.iter().copied()).unwrap();
            let first = SimilarityReference { stored: &corpus[..1], reference: &reference };
            let z_first = match_strength(r.mean + k * r.std_dev, first).unwrap();
            prop_assert!((z_first - k).abs() < 0.25 * (1.0 + k.abs()), "{z_first} vs {k}");
            let big: Vec<f64> = corpus.iter().cycle().take(5000).copied().collect();
            let grown = SimilarityReference { stored: &big, reference: &reference };
            let z_grown = match_strength(spread.mean + k * spread.std_dev, grown).unwrap();
            prop_assert!((z_grown - k).abs() < 0.1 * (1.0 + k.abs()), "{z_grown} vs {k}");
        }

        #[test]
        fn the_mixture_of_two_spreads_interpolates_its_mean_and_covers_both(
            m1 in -1.0f64..1.0, s1 in 0.0f64..0.5, m2 in -1.0f64..1.0, s2 in 0.0f64..0.5, share in 0.0f64..=1.0,
        ) {
            let a = Spread { mean: m1, std_dev: s1 };
            let b = Spread { mean: m2, std_dev: s2 };
            let m = Spread::mixture(a, b, share);
            prop_assert!((m.mean - ((1.0 - share) * m1 + share * m2)).abs() < 1e-9);
            // A mixture is at least as wide as the weighted spreads of its parts.
            prop_assert!(m.std_dev.powi(2) + 1e-12 >= (1.0 - share) * s1 * s1 + share * s2 * s2);
            prop_assert!((Spread::mixture(a, b, 0.0).std_dev - s1).abs() < 1e-9);
            prop_assert!((Spread::mixture(a, b, 1.0).std_dev - s2).abs() < 1e-9);
        }

        #[test]
        fn within_reach_a_clearly_more_relevant_candidate_is_never_overtaken_by_a_nearer_one(
            raw in proptest::collection::vec((-1.0f64..=1.0, 0.0f64..30.0, 0.0f64..=1.0), 2..30),
            commute in 1.0f64..100.0, w_geo in 0.0f64..=1.0, w_sem in 0.05f64..=1.0, w_lex in 0.0f64..=1.0,
        ) {
            let params = FusionParams { semantic_weight: w_sem, lexical_weight: w_lex, geo_weight: w_geo, skills_weight: 0.0, ..FusionParams::default() };
            // Every candidate within the seeker's commute (`at` is the share of it).
            let candidates: Vec<Signals> = raw.iter().map(|&(c, l, at)| signals(c, l, at * commute, Some(commute), 0.0)).collect();
            let scored = rank(&candidates, &params);
            let margin = 1.0 - w_geo / 2.0;
            for a in &scored {
                for b in &scored {
                    if a.relevance * margin > b.relevance + 1e-12 {
                        prop_assert!(a.final_score > b.final_score, "{a:?} lost to {b:?}");
                    }
                }
            }
        }

        #[test]
        fn distance_never_lifts_a_candidate_and_beyond_the_commute_relevance_falls_gently(
            cosine in -1.0f64..=1.0, bm25 in 0.0f64..30.0, commute in 1.0f64..100.0, beyond in 1.0f64..1.5, w_geo in 0.0f64..=1.0,
        ) {
            let params = FusionParams { geo_weight: w_geo, ..FusionParams::default() };
            let s = rank(&[signals(cosine, bm25, beyond * commute, Some(commute), 0.0), signals(0.0, 0.0, 0.0, None, 0.0)], &params);
            let b = &s[0];
            prop_assert!(b.distance_part <= 1e-12);
            prop_assert!(b.relevance + b.distance_part >= -1e-12, "relevance is never negated");
            // Up to half as far again beyond the commute, at least 1 − w_geo · 0.9 of relevance stays.
            prop_assert!(b.relevance + b.distance_part >= b.relevance * (1.0 - 0.9 * w_geo) - 1e-9);
        }

        #[test]
        fn a_result_below_the_floor_is_never_offered_before_a_match_nor_beyond_before_within(
            raw in proptest::collection::vec((0.0f64..1.0, proptest::option::of(-3.0f64..3.0), proptest::bool::ANY), 2..30),
            floor in -1.0f64..2.0, grouped in proptest::bool::ANY,
        ) {
            let results: Vec<(ScoreBreakdown, bool)> = raw.iter().map(|&(score, strength, beyond)| {
                let mut b = rank(&[signals(0.5, 0.0, 1.0, None, 0.0)], &FusionParams::default()).remove(0);
                b.final_score = score;
                b.match_strength = strength;
                (b, beyond)
            }).collect();
            let mut order: Vec<usize> = (0..results.len()).collect();
            order.sort_by(|&i, &j| offer_order((&results[i].0, results[i].1), (&results[j].0, results[j].1), floor, grouped));
            for pair in order.windows(2) {
                let (a, b) = (&results[pair[0]], &results[pair[1]]);
                prop_assert!(a.0.clears(floor) || !b.0.clears(floor), "a weak result before a match");
                if grouped && a.0.clears(floor) == b.0.clears(floor) {
                    prop_assert!(!a.1 || b.1, "beyond the commute before within it");
                }
            }
        }

        #[test]
        fn rrf_first_place_in_both_lists_scores_the_two_weights(w_sem in 0.0f64..=1.0, w_lex in 0.0f64..=1.0) {
            let params = FusionParams { semantic_weight: w_sem, lexical_weight: w_lex, mode: FusionMode::Rrf, ..FusionParams::default() };
            let top = (rrf_term(0, w_sem) + rrf_term(0, w_lex)) * rrf_scale(&params);
            if w_sem + w_lex > 0.0 {
                prop_assert!((top - (w_sem + w_lex)).abs() < 1e-9);
                prop_assert!(rrf_term(1, w_sem) <= rrf_term(0, w_sem));
            }
        }

        #[test]
        fn cosine_is_bounded_and_scale_invariant(v in proptest::collection::vec(-1.0f32..1.0, 8), k in 0.1f32..10.0) {
            let w: Vec<f32> = v.iter().map(|x| x * k).collect();
            let c = cosine(&v, &w);
            prop_assert!((-1.0 - 1e-9..=1.0 + 1e-9).contains(&c));
            if v.iter().any(|x| *x != 0.0) {
                prop_assert!((c - 1.0).abs() < 1e-5);
            }
        }
    }
}
