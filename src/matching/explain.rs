//! Why a pair was proposed: the facts a counsellor can check (skills matched and missing, both
//! regions) and the one-line reason built from them and the score breakdown.

use super::*;

/// Why a pair was proposed: facts a counsellor can check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explanation {
    pub skills: SkillMatch,
    pub posting_region: String,
    pub seeker_region: String,
    /// One line built from the facts (no generated prose).
    pub reason: String,
}

fn region_label(place: &Place) -> String {
    if place.region_name.is_empty() {
        format!("{:.3}, {:.3}", place.point.lat, place.point.lon)
    } else {
        place.region_name.clone()
    }
}

/// Builds the explanation of one posting–seeker pair.
pub fn explain(
    vocabulary: &Vocabulary,
    posting: &Posting,
    seeker: &Seeker,
    seeker_keys: &[String],
    breakdown: &ScoreBreakdown,
) -> Explanation {
    let skills = vocabulary.compare_keys(posting, seeker_keys);
    let mut parts = Vec::new();
    let required = skills.matched.len() + skills.missing.len();
    if required > 0 {
        let mut text = format!("skills {}/{required}", skills.matched.len());
        if !skills.matched.is_empty() {
            text.push_str(&format!(" ({})", skills.matched.join(", ")));
        }
        if !skills.missing.is_empty() {
            text.push_str(&format!(", missing {}", skills.missing.join(", ")));
        }
        parts.push(text);
    }
    let posting_region = region_label(&posting.place);
    let seeker_region = region_label(&seeker.home);
    parts.push(format!(
        "{:.1} km ({seeker_region} → {posting_region})",
        breakdown.distance_km
    ));
    match breakdown.match_strength {
        Some(z) => parts.push(format!(
            "similarity {:.3} ({z:+.1}σ)",
            breakdown.semantic_similarity
        )),
        None => parts.push(format!("similarity {:.3}", breakdown.semantic_similarity)),
    }
    if breakdown.lexical_score > 0.0 {
        parts.push(format!("shared words {:.2}", breakdown.lexical_score));
    }
    if !breakdown.boosts_applied.is_empty() {
        parts.push(format!(
            "boost +{:.2} ({})",
            breakdown.boost,
            breakdown.boosts_applied.join(", ")
        ));
    }
    Explanation {
        skills,
        posting_region,
        seeker_region,
        reason: parts.join(" · "),
    }
}
