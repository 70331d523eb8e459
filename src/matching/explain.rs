//! Why a pair was proposed: the facts a counsellor can check (skills matched and missing, both
//! regions, how strongly the texts match in meaning, shared words, boosts, beyond the commute),
//! kept as structured [`Reason`]s and rendered as one line in the caller's language. The line
//! holds no number a counsellor cannot read (no σ, no raw BM25): those stay in the breakdown.

use super::*;
use crate::domain::Language;

/// Why a pair was proposed: facts a counsellor can check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explanation {
    pub skills: SkillMatch,
    pub posting_region: String,
    pub seeker_region: String,
    /// The facts of the line, in its order.
    pub reasons: Vec<Reason>,
    /// `reasons` rendered in the request's language (no generated prose).
    pub reason: String,
}

/// How strongly two texts match in meaning, from the match strength (standard deviations of the
/// cosine above the origin's mean similarity to the stored corpus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    Weak,
    Moderate,
    Strong,
}

/// At or above: strong (two standard deviations above a typical pair).
pub const STRONG_MATCH_SIGMA: f64 = 2.0;
/// At or above: moderate.
pub const MODERATE_MATCH_SIGMA: f64 = 1.0;

impl Strength {
    pub fn of(match_strength: f64) -> Self {
        if match_strength >= STRONG_MATCH_SIGMA {
            Strength::Strong
        } else if match_strength >= MODERATE_MATCH_SIGMA {
            Strength::Moderate
        } else {
            Strength::Weak
        }
    }
}

/// One fact of a reason line.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The posting's required skills the seeker has and lacks, as the posting wrote them.
    Skills {
        matched: Vec<String>,
        missing: Vec<String>,
    },
    /// Great-circle km from home to workplace, with both regions.
    Distance {
        km: f64,
        seeker_region: String,
        posting_region: String,
    },
    /// How strongly the texts match in meaning (absent when the corpus is too small to say).
    Meaning(Strength),
    /// The texts share weighted words.
    SharedWords,
    /// Boosts that applied, by name ("certified_company", "same_sido", "manufacturing").
    Boosts(Vec<String>),
    /// Farther than the seeker's own max commute.
    BeyondCommute,
}

fn region_label(place: &Place) -> String {
    if place.region_name.is_empty() {
        format!("{:.3}, {:.3}", place.point.lat, place.point.lon)
    } else {
        place.region_name.clone()
    }
}

/// Builds the explanation of one posting–seeker pair, its line in `language`.
pub fn explain(
    vocabulary: &Vocabulary,
    posting: &Posting,
    seeker: &Seeker,
    seeker_keys: &[String],
    breakdown: &ScoreBreakdown,
    beyond_commute: bool,
    language: Language,
) -> Explanation {
    let skills = vocabulary.compare_keys(posting, seeker_keys);
    let posting_region = region_label(&posting.place);
    let seeker_region = region_label(&seeker.home);
    let mut reasons = Vec::new();
    if !skills.matched.is_empty() || !skills.missing.is_empty() {
        reasons.push(Reason::Skills {
            matched: skills.matched.clone(),
            missing: skills.missing.clone(),
        });
    }
    reasons.push(Reason::Distance {
        km: breakdown.distance_km,
        seeker_region: seeker_region.clone(),
        posting_region: posting_region.clone(),
    });
    if let Some(z) = breakdown.match_strength {
        reasons.push(Reason::Meaning(Strength::of(z)));
    }
    if breakdown.lexical_score > 0.0 {
        reasons.push(Reason::SharedWords);
    }
    if !breakdown.boosts_applied.is_empty() {
        reasons.push(Reason::Boosts(
            breakdown
                .boosts_applied
                .iter()
                .map(|b| b.to_string())
                .collect(),
        ));
    }
    if beyond_commute {
        reasons.push(Reason::BeyondCommute);
    }
    Explanation {
        skills,
        posting_region,
        seeker_region,
        reason: render(&reasons, language),
        reasons,
    }
}

/// The reasons as one line, " · " between facts.
pub fn render(reasons: &[Reason], language: Language) -> String {
    reasons
        .iter()
        .map(|r| render_one(r, language))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn render_one(reason: &Reason, language: Language) -> String {
    use Language::{English, Korean};
    match (reason, language) {
        (Reason::Skills { matched, missing }, _) => {
            let required = matched.len() + missing.len();
            let mut text = match language {
                Korean => format!("보유 기술 {}/{required}", matched.len()),
                English => format!("skills {}/{required}", matched.len()),
            };
            if !matched.is_empty() {
                text.push_str(&format!(" ({})", matched.join(", ")));
            }
            if !missing.is_empty() {
                let label = if language == Korean {
                    "부족"
                } else {
                    "missing"
                };
                text.push_str(&format!(", {label} {}", missing.join(", ")));
            }
            text
        }
        (
            Reason::Distance {
                km,
                seeker_region,
                posting_region,
            },
            _,
        ) => format!("{km:.1} km ({seeker_region} → {posting_region})"),
        (Reason::Meaning(strength), Korean) => format!(
            "의미 일치 {}",
            match strength {
                Strength::Strong => "강함",
                Strength::Moderate => "보통",
                Strength::Weak => "약함",
            }
        ),
        (Reason::Meaning(strength), English) => format!(
            "{} match in meaning",
            match strength {
                Strength::Strong => "strong",
                Strength::Moderate => "moderate",
                Strength::Weak => "weak",
            }
        ),
        (Reason::SharedWords, Korean) => "공통 단어 있음".into(),
        (Reason::SharedWords, English) => "shares words with the posting".into(),
        (Reason::Boosts(names), _) => {
            let names: Vec<&str> = names.iter().map(|n| boost_name(n, language)).collect();
            match language {
                Korean => format!("가산점: {}", names.join(", ")),
                English => format!("boosted: {}", names.join(", ")),
            }
        }
        (Reason::BeyondCommute, Korean) => "통근 거리 밖".into(),
        (Reason::BeyondCommute, English) => "beyond the seeker's commute".into(),
    }
}

fn boost_name(name: &str, language: Language) -> &str {
    match (name, language) {
        ("certified_company", Language::Korean) => "인증 기업",
        ("same_sido", Language::Korean) => "같은 시·도",
        ("manufacturing", Language::Korean) => "제조업",
        ("certified_company", Language::English) => "certified company",
        ("same_sido", Language::English) => "same province",
        ("manufacturing", Language::English) => "manufacturing",
        (other, _) => other,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn line() -> Vec<Reason> {
        vec![
            Reason::Skills {
                matched: vec!["TIG 용접".into(), "CO2 용접".into()],
                missing: vec!["도면 해독".into()],
            },
            Reason::Distance {
                km: 18.94,
                seeker_region: "경기도 안산시".into(),
                posting_region: "경기도 화성시".into(),
            },
            Reason::Meaning(Strength::Strong),
            Reason::SharedWords,
            Reason::Boosts(vec!["certified_company".into()]),
            Reason::BeyondCommute,
        ]
    }

    #[test]
    fn the_line_reads_in_korean_by_default_and_in_english_on_request() {
        assert_eq!(
            render(&line(), Language::default()),
            "보유 기술 2/3 (TIG 용접, CO2 용접), 부족 도면 해독 · 18.9 km (경기도 안산시 → \
             경기도 화성시) · 의미 일치 강함 · 공통 단어 있음 · 가산점: 인증 기업 · 통근 거리 밖"
        );
        assert_eq!(
            render(&line(), Language::English),
            "skills 2/3 (TIG 용접, CO2 용접), missing 도면 해독 · 18.9 km (경기도 안산시 → \
             경기도 화성시) · strong match in meaning · shares words with the posting · \
             boosted: certified company · beyond the seeker's commute"
        );
    }

    #[test]
    fn match_strength_bands() {
        assert_eq!(Strength::of(3.1), Strength::Strong);
        assert_eq!(Strength::of(STRONG_MATCH_SIGMA), Strength::Strong);
        assert_eq!(Strength::of(1.5), Strength::Moderate);
        assert_eq!(Strength::of(0.2), Strength::Weak);
        assert_eq!(Strength::of(-2.0), Strength::Weak);
    }

    proptest! {
        /// Whatever the numbers, the line shows no σ and no raw score: only the km, to 0.1.
        #[test]
        fn no_number_but_the_distance(z in -5.0f64..8.0, km in 0.0f64..500.0) {
            let reasons = vec![
                Reason::Distance { km, seeker_region: "a".into(), posting_region: "b".into() },
                Reason::Meaning(Strength::of(z)),
                Reason::SharedWords,
            ];
            for language in [Language::Korean, Language::English] {
                let text = render(&reasons, language);
                prop_assert!(!text.contains('σ'), "{}", text);
                let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
                prop_assert_eq!(digits, format!("{km:.1}"));
            }
        }
    }
}
