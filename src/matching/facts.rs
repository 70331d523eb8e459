//! A recommendation's origin paired with a candidate's [`CandidateFacts`]: what the score of
//! the pair needs, without the candidate's record.

use crate::domain::{is_manufacturing, is_manufacturing_key, CandidateFacts, Posting, Seeker};
use crate::ranking::BoostFacts;

/// What a pair's score needs of the posting and the seeker together.
pub(crate) struct PairFacts {
    pub boosts: BoostFacts,
    /// The seeker's stated max commute.
    pub commute_km: Option<f64>,
}

/// The origin of a recommendation, paired with a candidate of the other side.
pub(crate) trait Origin {
    fn pair_facts(&self, candidate: &CandidateFacts) -> PairFacts;
}

impl Origin for Posting {
    fn pair_facts(&self, seeker: &CandidateFacts) -> PairFacts {
        PairFacts {
            boosts: BoostFacts {
                certified_company: self.certified_company,
                same_sido: !self.place.sido_code.is_empty()
                    && self.place.sido_code == seeker.sido_code,
                manufacturing: is_manufacturing(&self.sector),
            },
            commute_km: seeker.max_commute_km,
        }
    }
}

impl Origin for Seeker {
    fn pair_facts(&self, posting: &CandidateFacts) -> PairFacts {
        PairFacts {
            boosts: BoostFacts {
                certified_company: posting.certified_company,
                same_sido: !posting.sido_code.is_empty()
                    && posting.sido_code == self.home.sido_code,
                manufacturing: is_manufacturing_key(&posting.sector_key),
            },
            commute_km: self.max_commute_km,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EmploymentType, GeoPoint, LocationInput, Place};
    use serde_json::Map;

    fn place(sido: &str) -> Place {
        let point = GeoPoint {
            lat: 37.2,
            lon: 126.9,
        };
        Place {
            input: LocationInput::Coordinates(point),
            point,
            region_code: String::new(),
            sido_code: sido.into(),
            region_name: String::new(),
        }
    }

    fn posting() -> Posting {
        Posting {
            id: "p".into(),
            company_id: "c".into(),
            company_name: "c".into(),
            title: "용접".into(),
            description: "d".into(),
            skills: vec![],
            place: place("41"),
            openings: 1,
            sector: "Manufacturing ".into(),
            employment_type: EmploymentType::FullTime,
            certified_company: true,
        }
    }

    fn seeker() -> Seeker {
        Seeker {
            id: "s".into(),
            display_name: "n".into(),
            headline: "h".into(),
            resume: "r".into(),
            skills: vec!["용접".into()],
            home: place("41"),
            max_commute_km: Some(25.0),
            education_track: Default::default(),
            birth_year: Some(2003),
            available_from: None,
            discharge_date: None,
            interests: None,
        }
    }

    /// The facts read from the ranking fields alone equal those read from the whole payload,
    /// and pair up as the full records would.
    #[test]
    fn facts_from_the_ranking_fields_equal_those_of_the_whole_record() {
        let with_id = |mut payload: Map<String, serde_json::Value>, id: &str| {
            payload.insert(crate::domain::fields::RECORD_ID.into(), id.into());
            payload
        };
        let cases = [
            (with_id(posting().payload().unwrap(), "p"), true),
            (with_id(seeker().payload().unwrap(), "s"), false),
        ];
        for (payload, from_posting) in cases {
            let whole = CandidateFacts::of(&payload).unwrap();
            let mut selected = Map::new();
            for field in crate::store::plan::RANKING_FIELDS {
                match field.split_once('.') {
                    Some((outer, inner)) => {
                        if let Some(v) = payload.get(outer).and_then(|o| o.get(inner)) {
                            selected.insert(outer.into(), serde_json::json!({ inner: v }));
                        }
                    }
                    None => {
                        if let Some(v) = payload.get(field) {
                            selected.insert(field.into(), v.clone());
                        }
                    }
                }
            }
            let ranking = CandidateFacts::of(&selected).unwrap();
            assert_eq!(whole, ranking);
            if from_posting {
                assert!(ranking.certified_company);
                assert_eq!(ranking.sector_key, "manufacturing");
                let pair = seeker().pair_facts(&ranking);
                assert!(pair.boosts.certified_company && pair.boosts.manufacturing);
                assert!(pair.boosts.same_sido);
                assert_eq!(pair.commute_km, Some(25.0));
            } else {
                assert_eq!(ranking.max_commute_km, Some(25.0));
                let pair = posting().pair_facts(&ranking);
                assert!(pair.boosts.certified_company && pair.boosts.manufacturing);
                assert_eq!(pair.commute_km, Some(25.0));
            }
        }
        assert!(CandidateFacts::of(&Map::new()).is_err(), "no location");
    }
}
