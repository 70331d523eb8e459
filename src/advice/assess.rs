//! AssessInterests and the interest part of AdviseSeeker: a seeker's answers to the interest
//! inventory ([`super::interests`]) scored and kept with their record (so a delete erases them),
//! and the job families that fit those interests, each with how many postings within the
//! seeker's reach belong to it. A posting's family is the one whose interview questions its
//! text is closest to ([`super::interests::nearest_family`]). The scores are a conversation
//! starter for a counsellor, not a diagnosis; they never change a ranking.

use std::collections::HashMap;

use super::interests::{family_centroids, fit, nearest_family, FamilyFit, FamilyProfiles};
use super::interests::{InterestProfile, Inventory};
use super::Advisor;
use crate::domain::Posting;
use crate::error::Result;
use crate::matching::{blocking, Matcher, RankingRequest, Scored};
use crate::store::Collection;

/// A fitting family and the postings of it within the seeker's reach.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyInReach {
    pub fit: FamilyFit,
    pub postings_in_reach: usize,
}

/// A seeker's interest profile and the families it fits, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct InterestAdvice {
    pub profile: InterestProfile,
    pub families: Vec<FamilyInReach>,
}

impl Advisor {
    /// Scores `answers` (item id, 1–5; every item once), stores the scores with the seeker
    /// (within the caller's scope, else `NOT_FOUND`) and returns the profile with its families.
    pub async fn assess_interests(
        &self,
        matcher: &Matcher,
        seeker_id: &str,
        answers: &[(String, u32)],
        request: &RankingRequest,
    ) -> Result<InterestAdvice> {
        let profile = Inventory::builtin().score(answers)?;
        let mut seeker = matcher.read_seeker(seeker_id, &request.scope).await?;
        seeker.interests = Some(profile.scores);
        matcher.upsert_seekers(vec![seeker]).await?;
        let rec = self.postings_weighed(matcher, seeker_id, request).await?;
        let within: Vec<&Scored<Posting>> =
            rec.results.iter().filter(|p| !p.beyond_commute).collect();
        self.interest_advice(matcher, profile, &within).await
    }

    /// The families `profile` fits, each with its postings among `within` (a flat profile fits
    /// none).
    pub(crate) async fn interest_advice(
        &self,
        matcher: &Matcher,
        profile: InterestProfile,
        within: &[&Scored<Posting>],
    ) -> Result<InterestAdvice> {
        let fits = fit(&profile, FamilyProfiles::builtin());
        let counts = if fits.is_empty() {
            HashMap::new()
        } else {
            self.families_of(matcher, within).await?
        };
        let families = fits
            .into_iter()
            .map(|fit| FamilyInReach {
                postings_in_reach: counts.get(&fit.family).copied().unwrap_or(0),
                fit,
            })
            .collect();
        Ok(InterestAdvice { profile, families })
    }

    /// How many of `postings` belong to each family, by their stored vectors.
    async fn families_of(
        &self,
        matcher: &Matcher,
        postings: &[&Scored<Posting>],
    ) -> Result<HashMap<String, usize>> {
        let bank = self.question_vectors(matcher).await?;
        let by_question: Vec<(String, Vec<f32>)> = self
            .questions
            .questions
            .iter()
            .map(|q| q.family.clone())
            .zip(bank.iter().cloned())
            .collect();
        let centroids = family_centroids(&by_question);
        let store = matcher.engine().store.clone();
        let ids: Vec<String> = postings.iter().map(|p| p.item.id.clone()).collect();
        let docs = blocking(move || store.get_records(Collection::Postings, &ids)).await?;
        let mut counts = HashMap::new();
        for doc in &docs {
            if let Some((family, _)) = nearest_family(&doc.vector, &centroids) {
                *counts.entry(family).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }
}

/// A family's name for people, in `language` (the key itself when unknown).
pub fn family_name(family: &str, language: crate::domain::Language) -> &str {
    const NAMES: [(&str, &str, &str); 12] = [
        ("welding", "용접", "welding"),
        ("machining", "기계 가공", "machining"),
        ("electrical", "전기", "electrical work"),
        ("electronics", "전자", "electronics"),
        ("software", "소프트웨어", "software"),
        ("accounting", "회계·사무", "accounting and office"),
        ("nursing_care", "요양·간호", "nursing and care"),
        ("logistics", "물류", "logistics"),
        ("food_production", "식품 생산", "food production"),
        ("sales_service", "판매·서비스", "sales and service"),
        ("design_cad", "설계·CAD", "design and CAD"),
        ("quality_control", "품질 관리", "quality control"),
    ];
    NAMES
        .iter()
        .find(|(key, _, _)| *key == family)
        .map(|(_, korean, english)| match language {
            crate::domain::Language::Korean => *korean,
            crate::domain::Language::English => *english,
        })
        .unwrap_or(family)
}
