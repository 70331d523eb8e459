//! Ranking maths as pure functions: great-circle distance, distance decay and score fusion.
//!
//! The store evaluates the same formula inside its query (see `store::edge`); these functions
//! are the reference it is checked against and the source of the score breakdown.
//!
//! The final score of a candidate, in [`FusionMode::Scores`] (the default):
//!
//! ```text
//! w_sem · clamp01((cosine − floor) / (ceiling − floor))      semantic, normalised
//! + w_lex · bm25 / (bm25 + saturation)                        lexical (BM25 · IDF), normalised
//! + w_geo · gauss_decay(distance, scale)                       distance
//! + w_skills · share of the posting's required skills the seeker has   skills, bounded by w_skills
//! + boosts
//! ```
//!
//! Normalising matters: a model's cosine similarities sit in a narrow band (multilingual-e5-small:
//! about 0.80–0.96), so a raw cosine added to a decay in [0, 1] would be drowned by distance.
//! In [`FusionMode::Rrf`] the first two lines are replaced by reciprocal-rank fusion of the
//! semantic and the lexical candidate lists, scaled so that first place in both scores
//! `w_sem + w_lex`.

use crate::domain::GeoPoint;

/// Mean Earth radius in km (IUGG), the same constant Qdrant's haversine uses.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The geo score at `decay_scale_km`: distance decays to one half there.
pub const DECAY_MIDPOINT: f64 = 0.5;

/// Great-circle distance between two WGS84 points, in km.
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Gaussian decay: 1 at distance 0, [`DECAY_MIDPOINT`] at `scale_km`, towards 0 beyond.
/// `scale_km` must be positive (validated where requests are read).
pub fn gauss_decay(distance_km: f64, scale_km: f64) -> f64 {
    let lambda = DECAY_MIDPOINT.ln() / (scale_km * scale_km);
    (lambda * distance_km * distance_km).exp()
}

/// How the semantic and the lexical signal are combined (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FusionMode {
    /// Normalised scores, weighted and summed.
    Scores,
    /// Reciprocal-rank fusion of the two candidate lists.
    Rrf,
}

impl FusionMode {
    pub fn name(self) -> &'static str {
        match self {
            FusionMode::Scores => "scores",
            FusionMode::Rrf => "rrf",
        }
    }
}

impl std::str::FromStr for FusionMode {
    type Err = String;
    fn from_str(name: &str) -> std::result::Result<Self, String> {
        match name {
            "scores" => Ok(FusionMode::Scores),
            "rrf" => Ok(FusionMode::Rrf),
            other => Err(format!("unknown fusion '{other}' (known: scores, rrf)")),
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
}

impl Default for FusionParams {
    /// The settings `jobmatch eval --tune` found best for the default model on `samples/eval`
    /// (BENCHMARKS.md). The cosine band here is the neutral [0, 1]: a model directory states its
    /// own (`similarity_floor` / `similarity_ceiling` in `jobmatch-model.toml`), which the
    /// server uses unless `--semantic-floor` / `--semantic-ceiling` are given.
    fn default() -> Self {
        Self {
            semantic_weight: 0.4,
            lexical_weight: 0.3,
            geo_weight: 0.3,
            decay_scale_km: 50.0,
            mode: FusionMode::Scores,
            semantic_floor: 0.0,
            semantic_ceiling: 1.0,
            lexical_saturation: 4.0,
            skills_weight: 0.05,
        }
    }
}

/// The skills term: `skills_weight · share`, the share clamped to [0, 1], so the boost never
/// exceeds `skills_weight`.
pub fn skills_boost(share: f64, params: &FusionParams) -> f64 {
    params.skills_weight * share.clamp(0.0, 1.0)
}

/// The breakdown with the skills term added to its final score.
pub fn with_skills(
    mut breakdown: ScoreBreakdown,
    share: f64,
    params: &FusionParams,
) -> ScoreBreakdown {
    breakdown.skills_share = share;
    breakdown.skills_score = skills_boost(share, params);
    breakdown.final_score += breakdown.skills_score;
    breakdown
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

/// The parts of a final score, as shown to a counsellor.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBreakdown {
    pub final_score: f64,
    /// Raw cosine similarity of the two texts' embeddings.
    pub semantic_similarity: f64,
    /// BM25 · IDF score of the shared words (0: none shared).
    pub lexical_score: f64,
    /// The weighted relevance part of the final score (semantic and lexical, fused).
    pub relevance: f64,
    pub geo_score: f64,
    pub distance_km: f64,
    /// Share of the posting's required skills the seeker has (0 when it requires none).
    pub skills_share: f64,
    /// The skills term of the final score (`skills_weight · skills_share`).
    pub skills_score: f64,
    /// Sum of the boosts that applied (included in `final_score`).
    pub boost: f64,
    pub boosts_applied: Vec<&'static str>,
}

/// The final score without boosts, in [`FusionMode::Scores`]. For [`FusionMode::Rrf`] the
/// relevance needs the candidates' list positions: see [`with_relevance`].
pub fn fuse(
    similarity: f64,
    lexical_score: f64,
    distance_km: f64,
    params: &FusionParams,
) -> ScoreBreakdown {
    let relevance = params.semantic_weight * normalised_semantic(similarity, params)
        + params.lexical_weight * normalised_lexical(lexical_score, params);
    let geo_score = gauss_decay(distance_km, params.decay_scale_km);
    ScoreBreakdown {
        final_score: relevance + params.geo_weight * geo_score,
        semantic_similarity: similarity,
        lexical_score,
        relevance,
        geo_score,
        distance_km,
        skills_share: 0.0,
        skills_score: 0.0,
        boost: 0.0,
        boosts_applied: Vec::new(),
    }
}

/// The breakdown with its relevance part replaced (an RRF score from the store), final score recomputed.
pub fn with_relevance(
    mut breakdown: ScoreBreakdown,
    relevance: f64,
    params: &FusionParams,
) -> ScoreBreakdown {
    breakdown.relevance = relevance;
    breakdown.final_score = relevance
        + params.geo_weight * breakdown.geo_score
        + breakdown.skills_score
        + breakdown.boost;
    breakdown
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
    use proptest::prelude::*;

    fn point(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint { lat, lon }
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
        fn fused_score_is_bounded_by_the_weights_and_never_rises_with_distance(
            sim in -1.0f64..=1.0, lex in 0.0f64..50.0, d1 in 0.0f64..1000.0, d2 in 0.0f64..1000.0,
            w_sem in 0.0f64..=1.0, w_lex in 0.0f64..=1.0, w_geo in 0.0f64..=1.0, scale in 0.5f64..200.0,
            floor in -1.0f64..0.9, width in 0.01f64..1.0, saturation in 0.01f64..20.0,
        ) {
            let params = FusionParams {
                semantic_weight: w_sem, lexical_weight: w_lex, geo_weight: w_geo, decay_scale_km: scale,
                mode: FusionMode::Scores, semantic_floor: floor, semantic_ceiling: floor + width,
                lexical_saturation: saturation, skills_weight: 0.0,
            };
            let (near, far) = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
            let a = fuse(sim, lex, near, &params);
            let b = fuse(sim, lex, far, &params);
            prop_assert!(b.final_score <= a.final_score + 1e-12);
            prop_assert!(a.final_score <= w_sem + w_lex + w_geo + 1e-12);
            prop_assert!(a.final_score >= -1e-12);
        }

        #[test]
        fn more_similarity_or_more_shared_words_never_lower_the_score(
            s1 in -1.0f64..=1.0, s2 in -1.0f64..=1.0, l1 in 0.0f64..50.0, l2 in 0.0f64..50.0, d in 0.0f64..500.0,
        ) {
            let params = FusionParams { lexical_weight: 0.3, ..FusionParams::default() };
            let (s_lo, s_hi) = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
            let (l_lo, l_hi) = if l1 <= l2 { (l1, l2) } else { (l2, l1) };
            prop_assert!(fuse(s_hi, l_lo, d, &params).final_score >= fuse(s_lo, l_lo, d, &params).final_score - 1e-12);
            prop_assert!(fuse(s_lo, l_hi, d, &params).final_score >= fuse(s_lo, l_lo, d, &params).final_score - 1e-12);
        }

        #[test]
        fn the_skills_boost_is_bounded_by_its_weight_and_grows_with_the_share(
            s1 in -1.0f64..2.0, s2 in -1.0f64..2.0, weight in 0.0f64..=1.0, sim in -1.0f64..=1.0, d in 0.0f64..500.0,
        ) {
            let params = FusionParams { skills_weight: weight, ..FusionParams::default() };
            let (lo, hi) = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
            let (b_lo, b_hi) = (skills_boost(lo, &params), skills_boost(hi, &params));
            prop_assert!((0.0..=weight + 1e-12).contains(&b_lo));
            prop_assert!((0.0..=weight + 1e-12).contains(&b_hi));
            prop_assert!(b_lo <= b_hi + 1e-12);
            let plain = fuse(sim, 0.0, d, &params);
            let with = with_skills(plain.clone(), hi, &params);
            prop_assert!((with.final_score - plain.final_score - b_hi).abs() < 1e-12);
            prop_assert!((with.skills_score - b_hi).abs() < 1e-12);
        }

        #[test]
        fn unit_band_and_no_other_weight_leave_the_cosine(sim in 0.0f64..=1.0, d in 0.0f64..1000.0, scale in 0.5f64..200.0) {
            let params = FusionParams { semantic_weight: 1.0, lexical_weight: 0.0, geo_weight: 0.0, decay_scale_km: scale, ..FusionParams::default() };
            prop_assert!((fuse(sim, 3.0, d, &params).final_score - sim).abs() < 1e-12);
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
            prop_assert!(c <= 1.0 + 1e-9 && c >= -1.0 - 1e-9);
            if v.iter().any(|x| *x != 0.0) {
                prop_assert!((c - 1.0).abs() < 1e-5);
            }
        }
    }
}
