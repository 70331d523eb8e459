//! The wire types (generated from `proto/jobmatch/v1/jobmatch.proto`) and their conversion to and
//! from the domain. Conversion is where requests are validated, so the gRPC handlers and the
//! file-based `ingest` command accept and refuse exactly the same input.

use crate::domain::{self, EducationTrack, EmploymentType, GeoPoint, Limits, LocationInput, Place};
use crate::error::{Error, Result};
use crate::geo::Gazetteer;
use crate::lookup::FoundRecord;
use crate::matching::{Explanation, Scored};
use crate::outcomes::Stage;
use crate::ranking::FusionParams;
use crate::region_match::PlanStats;
use crate::reindex::ReindexProgress;
use crate::store::FieldFilter;

/// Generated protobuf messages, gRPC stubs and proto-JSON (serde) impls.
#[allow(clippy::all, missing_docs)]
pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/jobmatch.v1.rs"));
    include!(concat!(env!("OUT_DIR"), "/jobmatch.v1.serde.rs"));

    /// Descriptor set for gRPC server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/jobmatch_descriptor.bin"));
}

/// `jobmatch.v2`'s generated messages, stubs and proto-JSON impls, with the `google.type.Date`
/// they use, nested by package as prost's generated paths expect (`super::super::google`).
#[allow(clippy::all, missing_docs)]
pub mod proto {
    pub mod jobmatch {
        pub mod v2 {
            include!(concat!(env!("OUT_DIR"), "/jobmatch.v2.rs"));
            include!(concat!(env!("OUT_DIR"), "/jobmatch.v2.serde.rs"));
        }
    }
    pub mod google {
        pub mod r#type {
            include!(concat!(env!("OUT_DIR"), "/google.r#type.rs"));
            include!(concat!(env!("OUT_DIR"), "/google.r#type.serde.rs"));
        }
    }
}

/// The v2 messages (see [`proto`]).
pub use proto::jobmatch::v2 as pb2;

fn location_from_proto(location: Option<pb::Location>, gazetteer: &Gazetteer) -> Result<Place> {
    let kind = location
        .and_then(|l| l.kind)
        .ok_or_else(|| Error::invalid("", "is required: coordinates or a region name/code"))?;
    let input = match kind {
        pb::location::Kind::Coordinates(c) => LocationInput::Coordinates(
            GeoPoint::new(c.lat, c.lon).map_err(|e| e.in_field("coordinates"))?,
        ),
        pb::location::Kind::Region(name) => {
            if name.trim().is_empty() {
                return Err(Error::invalid("region", "must not be empty"));
            }
            LocationInput::Region(name)
        }
    };
    gazetteer.resolve(input)
}

fn location_to_proto(place: &Place) -> pb::Location {
    let kind = match &place.input {
        LocationInput::Coordinates(p) => pb::location::Kind::Coordinates(pb::LatLon {
            lat: p.lat,
            lon: p.lon,
        }),
        LocationInput::Region(name) => pb::location::Kind::Region(name.clone()),
    };
    pb::Location { kind: Some(kind) }
}

/// Prefixes the path of a nested field error ("" becomes the prefix itself).
fn at(prefix: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::InvalidArgument { field, reason } if field.is_empty() => Error::InvalidArgument {
            field: prefix.into(),
            reason,
        },
        other => other.in_field(prefix),
    }
}

fn skills(values: Vec<String>, limits: &Limits) -> Result<Vec<String>> {
    values
        .into_iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .map(|(i, s)| {
            limits
                .optional_text(&format!("skills[{i}]"), &s)
                .map(|_| s.trim().to_string())
        })
        .collect()
}

fn employment_type_from_proto(value: i32, field: &str) -> Result<EmploymentType> {
    Ok(
        match pb::EmploymentType::try_from(value)
            .map_err(|_| Error::invalid(field, format!("unknown value {value}")))?
        {
            pb::EmploymentType::Unspecified => EmploymentType::Unspecified,
            pb::EmploymentType::FullTime => EmploymentType::FullTime,
            pb::EmploymentType::PartTime => EmploymentType::PartTime,
            pb::EmploymentType::Contract => EmploymentType::Contract,
            pb::EmploymentType::Internship => EmploymentType::Internship,
        },
    )
}

fn employment_type_to_proto(value: EmploymentType) -> pb::EmploymentType {
    match value {
        EmploymentType::Unspecified => pb::EmploymentType::Unspecified,
        EmploymentType::FullTime => pb::EmploymentType::FullTime,
        EmploymentType::PartTime => pb::EmploymentType::PartTime,
        EmploymentType::Contract => pb::EmploymentType::Contract,
        EmploymentType::Internship => pb::EmploymentType::Internship,
    }
}

fn education_track_from_proto(value: i32, field: &str) -> Result<EducationTrack> {
    Ok(
        match pb::EducationTrack::try_from(value)
            .map_err(|_| Error::invalid(field, format!("unknown value {value}")))?
        {
            pb::EducationTrack::Unspecified => EducationTrack::Unspecified,
            pb::EducationTrack::SpecialisedHighSchool => EducationTrack::SpecialisedHighSchool,
            pb::EducationTrack::JuniorCollege => EducationTrack::JuniorCollege,
            pb::EducationTrack::VocationalSchool => EducationTrack::VocationalSchool,
            pb::EducationTrack::University => EducationTrack::University,
            pb::EducationTrack::MilitaryService => EducationTrack::MilitaryService,
        },
    )
}

fn education_track_to_proto(value: EducationTrack) -> pb::EducationTrack {
    match value {
        EducationTrack::Unspecified => pb::EducationTrack::Unspecified,
        EducationTrack::SpecialisedHighSchool => pb::EducationTrack::SpecialisedHighSchool,
        EducationTrack::JuniorCollege => pb::EducationTrack::JuniorCollege,
        EducationTrack::VocationalSchool => pb::EducationTrack::VocationalSchool,
        EducationTrack::University => pb::EducationTrack::University,
        EducationTrack::MilitaryService => pb::EducationTrack::MilitaryService,
    }
}

/// Validates a posting; field names in errors are relative to the posting.
pub fn posting_from_proto(
    p: pb::Posting,
    limits: &Limits,
    gazetteer: &Gazetteer,
) -> Result<domain::Posting> {
    limits.id("id", &p.id)?;
    limits.required_text("company_name", &p.company_name)?;
    limits.required_text("title", &p.title)?;
    limits.required_text("description", &p.description)?;
    if p.location.as_ref().and_then(|l| l.kind.as_ref()).is_none() {
        return Err(Error::invalid(
            "location",
            "is required: coordinates or a region name/code",
        ));
    }
    // What is left is validated as for a draft, which now has every required field.
    Ok(draft_from_proto(p, limits, gazetteer)?.posting)
}

/// Validates a draft posting for advice: what is given must be valid (as for an upsert), what is
/// missing is left for the advice to report. Field names are relative to the draft.
pub fn draft_from_proto(
    p: pb::Posting,
    limits: &Limits,
    gazetteer: &Gazetteer,
) -> Result<crate::advice::Draft> {
    if !p.id.is_empty() {
        limits.id("id", &p.id)?;
    }
    for (field, value) in [
        ("company_id", &p.company_id),
        ("company_name", &p.company_name),
        ("title", &p.title),
        ("description", &p.description),
        ("sector", &p.sector),
    ] {
        limits.optional_text(field, value)?;
    }
    let has_location = p.location.as_ref().is_some_and(|l| l.kind.is_some());
    let place = if has_location {
        location_from_proto(p.location, gazetteer).map_err(at("location"))?
    } else {
        Place {
            input: LocationInput::Region(String::new()),
            point: GeoPoint { lat: 0.0, lon: 0.0 },
            region_code: String::new(),
            sido_code: String::new(),
            region_name: String::new(),
        }
    };
    Ok(crate::advice::Draft {
        posting: domain::Posting {
            place,
            employment_type: employment_type_from_proto(p.employment_type, "employment_type")?,
            skills: skills(p.skills, limits)?,
            id: p.id,
            company_id: p.company_id,
            company_name: p.company_name,
            title: p.title,
            description: p.description,
            openings: p.openings.max(1),
            sector: p.sector.trim().to_string(),
            certified_company: p.certified_company,
        },
        has_location,
    })
}

/// A programme fit as the API shows it.
pub fn programme_to_proto(fit: &crate::programmes::ProgrammeFit) -> pb::ProgrammeMatch {
    let p = &fit.programme;
    pb::ProgrammeMatch {
        id: p.id.clone(),
        name: p.name.clone(),
        name_en: p.name_en.clone(),
        kind: p.kind.clone(),
        summary: p.summary.clone(),
        source: p.source.clone(),
        rules_read: p.rules_read,
        verify_before_use: p.verify_before_use,
        eligible: fit.eligible(),
        failed_condition: fit.failed_condition.clone().unwrap_or_default(),
    }
}

fn field_advice_to_proto(f: &crate::advice::FieldAdvice) -> pb::FieldAdvice {
    pb::FieldAdvice {
        field: f.field.clone(),
        advice: f.advice.clone(),
    }
}

/// An exposure audit as the wire carries it.
pub fn audit_to_proto(a: &crate::audit::ExposureAudit) -> pb::ExposureAuditResponse {
    pb::ExposureAuditResponse {
        postings_audited: a.postings_audited as u32,
        postings_total: a.postings_total as u32,
        seekers: a.seekers as u32,
        k: a.k as u32,
        qualified: crate::audit::QUALIFIED.to_string(),
        min_group_seekers: crate::audit::MIN_GROUP_SEEKERS as u32,
        tables: a
            .tables
            .iter()
            .map(|t| pb::ExposureTable {
                source: t.source.to_string(),
                postings: t.postings as u32,
                groups: t
                    .groups
                    .iter()
                    .map(|g| pb::GroupExposure {
                        dimension: g.dimension.to_string(),
                        group: g.group.clone(),
                        seekers: g.seekers as u32,
                        pairs: g.pairs as u32,
                        exposed: g.exposed as u32,
                        expected: g.expected,
                        rate: g.rate,
                        rate_low: g.rate_interval.0,
                        rate_high: g.rate_interval.1,
                        impact_ratio: g.impact_ratio,
                        impact_ratio_low: g.ratio_interval.0,
                        impact_ratio_high: g.ratio_interval.1,
                        flagged: g.flagged,
                        suppressed: g.suppressed,
                    })
                    .collect(),
            })
            .collect(),
        notes: a.notes.clone(),
    }
}

/// An access record as the wire carries it.
pub fn access_record_to_proto(r: &crate::store::access_log::AccessRecord) -> pb::AccessRecord {
    pb::AccessRecord {
        at: r.at.clone(),
        caller: r.caller.clone(),
        role: r.role.clone(),
        rpc: r.rpc.clone(),
        action: r.action.name().to_string(),
        seeker_ids: r.seeker_ids.clone(),
        fields: r.fields.clone(),
        resume: r.resume,
        request_id: r.request_id.clone(),
        via: r.via.clone(),
        role_kind: role_to_proto(&r.role) as i32,
        action_kind: match r.action {
            crate::store::access_log::Action::Read => pb::AccessAction::Read,
            crate::store::access_log::Action::Write => pb::AccessAction::Write,
            crate::store::access_log::Action::Delete => pb::AccessAction::Delete,
        } as i32,
    }
}

/// A role as the logs keep it ("platform", …), as the enum; UNSPECIFIED for any other text
/// (events recorded before roles were kept).
pub fn role_to_proto(name: &str) -> pb::Role {
    match name {
        "platform" => pb::Role::Platform,
        "counsellor" => pb::Role::Counsellor,
        "admin" => pb::Role::Admin,
        _ => pb::Role::Unspecified,
    }
}

pub fn posting_advice_to_proto(a: &crate::advice::PostingAdvice) -> pb::AdvisePostingResponse {
    pb::AdvisePostingResponse {
        similar: a
            .similar
            .iter()
            .map(|s| pb::SimilarPosting {
                posting_id: s.posting.id.clone(),
                title: s.posting.title.clone(),
                company_name: s.posting.company_name.clone(),
                similarity: s.similarity,
                distance_km: s.distance_km,
            })
            .collect(),
        skills_to_add: a
            .skills_to_add
            .iter()
            .map(|s| pb::SkillSuggestion {
                skill: s.skill.clone(),
                asked_by: s.asked_by as u32,
                out_of: s.out_of as u32,
                posting_ids: s.posting_ids.clone(),
            })
            .collect(),
        market: a.market.as_ref().map(|m| pb::Market {
            seekers_matching: m.seekers_matching as u32,
            seekers_with_all_skills: m.seekers_with_all_skills as u32,
            if_dropped: m
                .if_dropped
                .iter()
                .map(|(skill, n)| pb::RequirementDrop {
                    skill: skill.clone(),
                    seekers_with_all_others: *n as u32,
                })
                .collect(),
            seekers_considered: m.seekers_considered as u32,
        }),
        completeness: a.completeness.iter().map(field_advice_to_proto).collect(),
        programmes: a.programmes.iter().map(programme_to_proto).collect(),
    }
}

pub fn seeker_advice_to_proto(
    a: &crate::advice::SeekerAdvice,
    language: crate::domain::Language,
) -> pb::AdviseSeekerResponse {
    pb::AdviseSeekerResponse {
        skill_gaps: a
            .skill_gaps
            .iter()
            .map(|g| pb::SkillGap {
                skill: g.skill.clone(),
                opens_posting_ids: g.opens.clone(),
                asked_by: g.asked_by as u32,
            })
            .collect(),
        postings_considered: a.postings_considered as u32,
        completeness: a.completeness.iter().map(field_advice_to_proto).collect(),
        interview: a
            .interview
            .iter()
            .map(|prep| pb::InterviewPrep {
                posting_id: prep.posting.id.clone(),
                title: prep.posting.title.clone(),
                questions: prep
                    .questions
                    .iter()
                    .map(|q| pb::InterviewQuestion {
                        question: q.question.text.clone(),
                        family: q.question.family.clone(),
                        skill: q.question.skill.clone(),
                        score: q.score,
                    })
                    .collect(),
            })
            .collect(),
        programmes: a.programmes.iter().map(programme_to_proto).collect(),
        interests: a
            .interests
            .as_ref()
            .map(|i| interest_advice_to_proto(i, language)),
    }
}

/// A seeker's interest profile and its families, names in `language`.
pub fn interest_advice_to_proto(
    advice: &crate::advice::assess::InterestAdvice,
    language: crate::domain::Language,
) -> pb::InterestAdvice {
    use crate::advice::interests::Kind;
    let english = language == crate::domain::Language::English;
    let profile = &advice.profile;
    pb::InterestAdvice {
        profile: Some(pb::InterestProfile {
            scores: Kind::ALL
                .iter()
                .map(|&kind| pb::InterestScore {
                    r#type: kind.index() as i32 + 1,
                    score: profile.score(kind),
                    name: if english {
                        kind.name_en()
                    } else {
                        kind.name_ko()
                    }
                    .to_string(),
                })
                .collect(),
            code: profile.code.clone(),
            ambiguous: profile.ambiguous,
            flat: profile.flat,
        }),
        families: advice
            .families
            .iter()
            .map(|f| pb::InterestFamily {
                name: crate::advice::assess::family_name(&f.fit.family, language).to_string(),
                family: f.fit.family.clone(),
                fit: f.fit.similarity,
                suggested: f.fit.suggested,
                weak: f.fit.weak,
                postings_in_reach: f.postings_in_reach as u32,
            })
            .collect(),
    }
}

/// A cohort's plan, its reasons for the unplaced in `language`.
pub fn cohort_plan_to_proto(
    plan: &crate::matching::cohort::CohortPlan,
    fusion: &FusionParams,
    language: crate::domain::Language,
) -> pb::PlaceCohortResponse {
    use crate::region_match::Unplaced;
    let placements = |placements: &[crate::matching::cohort::Placement]| {
        placements
            .iter()
            .map(|p| pb::CohortPlacement {
                posting_id: p.posting.id.clone(),
                title: p.posting.title.clone(),
                company_name: p.posting.company_name.clone(),
                openings: p.posting.openings.max(1),
                seekers: p
                    .seekers
                    .iter()
                    .map(|s| candidate_to_proto(s, fusion))
                    .collect(),
            })
            .collect()
    };
    let english = language == crate::domain::Language::English;
    pb::PlaceCohortResponse {
        placements: placements(&plan.placements),
        unplaced: plan
            .unplaced
            .iter()
            .map(|(seeker, why)| {
                let (reason, text) = match (why, english) {
                    (Unplaced::NoPostingInReach, false) => (
                        pb::UnplacedReason::NoPostingInReach,
                        "기준 이상으로 맞는 공고가 통근 거리 안에 없음",
                    ),
                    (Unplaced::NoPostingInReach, true) => (
                        pb::UnplacedReason::NoPostingInReach,
                        "no posting above the relevance floor within reach",
                    ),
                    (Unplaced::Outcompeted, false) => (
                        pb::UnplacedReason::Outcompeted,
                        "맞는 공고가 있었지만 더 잘 맞는 다른 구직자로 모두 채워짐",
                    ),
                    (Unplaced::Outcompeted, true) => (
                        pb::UnplacedReason::Outcompeted,
                        "outcompeted: every posting in reach was filled by better matches",
                    ),
                };
                pb::UnplacedSeeker {
                    seeker_id: seeker.id.clone(),
                    display_name: seeker.display_name.clone(),
                    reason: reason as i32,
                    reason_text: text.to_string(),
                }
            })
            .collect(),
        plan: Some(plan_summary(&plan.plan)),
        greedy: Some(plan_summary(&plan.greedy)),
        greedy_placements: placements(&plan.greedy_placements),
        parameters: Some(parameters_to_proto(fusion)),
    }
}

/// An inventory answer as the use case takes it.
pub fn interest_answers_from_proto(answers: Vec<pb::InterestAnswer>) -> Vec<(String, u32)> {
    answers.into_iter().map(|a| (a.item_id, a.value)).collect()
}

/// Validates a seeker; field names in errors are relative to the seeker.
pub fn seeker_from_proto(
    s: pb::Seeker,
    limits: &Limits,
    gazetteer: &Gazetteer,
    this_year: i32,
) -> Result<domain::Seeker> {
    limits.id("id", &s.id)?;
    limits.required_text("display_name", &s.display_name)?;
    limits.optional_text("headline", &s.headline)?;
    limits.optional_text("resume", &s.resume)?;
    if (s.headline.clone() + &s.resume)
        .chars()
        .all(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            "resume",
            "headline and resume are both empty: there is nothing to match on",
        ));
    }
    if !s.max_commute_km.is_finite() || s.max_commute_km < 0.0 {
        return Err(Error::invalid(
            "max_commute_km",
            format!("must be a non-negative distance, got {}", s.max_commute_km),
        ));
    }
    if s.birth_year != 0 && (s.birth_year < 1900 || s.birth_year as i32 > this_year) {
        return Err(Error::invalid(
            "birth_year",
            format!("{} is not a plausible birth year", s.birth_year),
        ));
    }
    let available_from = if s.available_from.trim().is_empty() {
        None
    } else {
        domain::date_key(s.available_from.trim())
            .map_err(|e| e.in_field("available_from").strip_leaf())?;
        Some(s.available_from.trim().to_string())
    };
    let discharge_date = if s.discharge_date.trim().is_empty() {
        None
    } else {
        domain::date_key(s.discharge_date.trim())
            .map_err(|e| e.in_field("discharge_date").strip_leaf())?;
        Some(s.discharge_date.trim().to_string())
    };
    Ok(domain::Seeker {
        discharge_date,
        home: location_from_proto(s.home, gazetteer).map_err(at("home"))?,
        education_track: education_track_from_proto(s.education_track, "education_track")?,
        skills: skills(s.skills, limits)?,
        max_commute_km: (s.max_commute_km > 0.0).then_some(s.max_commute_km),
        birth_year: (s.birth_year != 0).then_some(s.birth_year),
        available_from,
        id: s.id,
        display_name: s.display_name,
        headline: s.headline,
        resume: s.resume,
        interests: None,
    })
}

impl Error {
    /// `available_from.date` → `available_from`: the leaf added by a shared validator adds nothing.
    fn strip_leaf(self) -> Self {
        match self {
            Error::InvalidArgument { field, reason } => Error::InvalidArgument {
                field: field
                    .rsplit_once('.')
                    .map(|(head, _)| head.to_string())
                    .unwrap_or(field),
                reason,
            },
            other => other,
        }
    }
}

pub fn posting_to_proto(p: &domain::Posting) -> pb::Posting {
    pb::Posting {
        id: p.id.clone(),
        company_id: p.company_id.clone(),
        company_name: p.company_name.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        skills: p.skills.clone(),
        location: Some(location_to_proto(&p.place)),
        openings: p.openings,
        sector: p.sector.clone(),
        employment_type: employment_type_to_proto(p.employment_type) as i32,
        certified_company: p.certified_company,
    }
}

pub fn seeker_to_proto(s: &domain::Seeker) -> pb::Seeker {
    pb::Seeker {
        id: s.id.clone(),
        display_name: s.display_name.clone(),
        headline: s.headline.clone(),
        resume: s.resume.clone(),
        skills: s.skills.clone(),
        home: Some(location_to_proto(&s.home)),
        max_commute_km: s.max_commute_km.unwrap_or(0.0),
        education_track: education_track_to_proto(s.education_track) as i32,
        birth_year: s.birth_year.unwrap_or(0),
        available_from: s.available_from.clone().unwrap_or_default(),
        discharge_date: s.discharge_date.clone().unwrap_or_default(),
    }
}

pub use crate::matching::RankingRequest;

fn non_negative(field: &str, value: Option<f64>) -> Result<Option<f64>> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => Err(Error::invalid(
            field,
            format!("must be a finite number ≥ 0, got {v}"),
        )),
        other => Ok(other),
    }
}

fn finite(field: &str, value: Option<f64>) -> Result<Option<f64>> {
    match value {
        Some(v) if !v.is_finite() => Err(Error::invalid(
            field,
            format!("must be a finite number, got {v}"),
        )),
        other => Ok(other),
    }
}

fn positive(field: &str, value: Option<f64>) -> Result<Option<f64>> {
    match value {
        Some(v) if !v.is_finite() || v <= 0.0 => Err(Error::invalid(
            field,
            format!("must be a finite number > 0, got {v}"),
        )),
        other => Ok(other),
    }
}

pub fn ranking_from_proto(
    options: Option<pb::RankingOptions>,
    limits: &Limits,
) -> Result<RankingRequest> {
    let o =
        options.ok_or_else(|| Error::invalid("options", "is required (at least options.top_k)"))?;
    let fusion = crate::ranking::FusionOverrides {
        semantic_weight: non_negative("options.semantic_weight", o.semantic_weight)?,
        lexical_weight: non_negative("options.lexical_weight", o.lexical_weight)?,
        geo_weight: non_negative("options.geo_weight", o.geo_weight)?,
        decay_scale_km: positive("options.decay_scale_km", o.decay_scale_km)?,
        mode: match pb::Fusion::try_from(o.fusion) {
            Ok(pb::Fusion::Unspecified) => None,
            Ok(pb::Fusion::Scores) => Some(crate::ranking::FusionMode::Scores),
            Ok(pb::Fusion::Rrf) => Some(crate::ranking::FusionMode::Rrf),
            Ok(pb::Fusion::Band) => Some(crate::ranking::FusionMode::Band),
            Err(_) => {
                return Err(Error::invalid(
                    "options.fusion",
                    format!("unknown value {}", o.fusion),
                ))
            }
        },
        semantic_floor: finite("options.semantic_floor", o.semantic_floor)?,
        semantic_ceiling: finite("options.semantic_ceiling", o.semantic_ceiling)?,
        lexical_saturation: positive("options.lexical_saturation", o.lexical_saturation)?,
        skills_weight: non_negative("options.skills_weight", o.skills_weight)?,
        relevance_floor: finite("options.relevance_floor", o.relevance_floor)?,
        distance_scale: match pb::DistanceScale::try_from(o.distance_scale) {
            Ok(pb::DistanceScale::Unspecified) => None,
            Ok(pb::DistanceScale::Absolute) => Some(crate::ranking::DistanceScale::Absolute),
            Ok(pb::DistanceScale::Commute) => Some(crate::ranking::DistanceScale::Commute),
            Err(_) => {
                return Err(Error::invalid(
                    "options.distance_scale",
                    format!("unknown value {}", o.distance_scale),
                ))
            }
        },
        commute: match pb::CommutePolicy::try_from(o.seeker_commute) {
            Ok(pb::CommutePolicy::Unspecified) => None,
            Ok(pb::CommutePolicy::Penalty) => Some(crate::ranking::CommutePolicy::Penalty),
            Ok(pb::CommutePolicy::Filter) => Some(crate::ranking::CommutePolicy::Filter),
            Err(_) => {
                return Err(Error::invalid(
                    "options.seeker_commute",
                    format!("unknown value {}", o.seeker_commute),
                ))
            }
        },
    };
    Ok(RankingRequest {
        top_k: limits.top_k(o.top_k)?,
        fusion,
        beyond_commute: o.beyond_commute,
        max_distance_km: positive("options.max_distance_km", o.max_distance_km)?,
        ignore_seeker_commute: o.ignore_seeker_commute,
        boosts: boosts_from_proto(o.boosts)?,
        scope: Default::default(),
        language: crate::domain::Language::parse(&o.language, "options.language")?,
    })
}

fn boosts_from_proto(boosts: Option<pb::Boosts>) -> Result<crate::ranking::Boosts> {
    let Some(b) = boosts else {
        return Ok(Default::default());
    };
    let amount = |field: &str, v: f64| {
        non_negative(&format!("options.boosts.{field}"), Some(v)).map(|v| v.unwrap_or(0.0))
    };
    Ok(crate::ranking::Boosts {
        certified_company: amount("certified_company", b.certified_company)?,
        same_sido: amount("same_sido", b.same_sido)?,
        manufacturing: amount("manufacturing", b.manufacturing)?,
    })
}

/// Seeker filters as store conditions.
pub fn seeker_filter_from_proto(
    filter: Option<pb::SeekerFilter>,
    this_year: i32,
) -> Result<Vec<FieldFilter>> {
    use domain::fields;
    let Some(f) = filter else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if !f.education_tracks.is_empty() {
        let values = f
            .education_tracks
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                education_track_from_proto(t, &format!("filter.education_tracks[{i}]"))
                    .map(|t| t.as_key().to_string())
            })
            .collect::<Result<_>>()?;
        out.push(FieldFilter::AnyOf {
            field: fields::EDUCATION_TRACK,
            values,
        });
    }
    if f.min_birth_year != 0 || f.max_birth_year != 0 {
        if f.max_birth_year != 0 && f.min_birth_year > f.max_birth_year {
            return Err(Error::invalid(
                "filter.min_birth_year",
                "is after filter.max_birth_year",
            ));
        }
        // Seekers who did not state a birth year are stored as 0 and fall outside any birth-year range.
        out.push(FieldFilter::IntRange {
            field: fields::BIRTH_YEAR,
            min: Some(i64::from(f.min_birth_year.max(1))),
            max: (f.max_birth_year != 0).then_some(i64::from(f.max_birth_year)),
        });
    }
    if !f.available_by.trim().is_empty() {
        let day = domain::date_key(f.available_by.trim())
            .map_err(|e| e.in_field("filter.available_by").strip_leaf())?;
        out.push(FieldFilter::IntRange {
            field: fields::AVAILABLE_DAY,
            min: None,
            max: Some(day),
        });
    }
    if f.max_age != 0 {
        // Age counted by birth year (this year − birth year), as the youth programmes count it.
        out.push(FieldFilter::IntRange {
            field: fields::BIRTH_YEAR,
            min: Some(i64::from(this_year) - i64::from(f.max_age)),
            max: None,
        });
    }
    if !f.discharged_by.trim().is_empty() {
        let day = domain::date_key(f.discharged_by.trim())
            .map_err(|e| e.in_field("filter.discharged_by").strip_leaf())?;
        out.push(FieldFilter::IntRange {
            field: fields::DISCHARGE_DAY,
            min: None,
            max: Some(day),
        });
    }
    Ok(out)
}

/// Posting filters as store conditions.
pub fn posting_filter_from_proto(filter: Option<pb::PostingFilter>) -> Result<Vec<FieldFilter>> {
    use domain::fields;
    let Some(f) = filter else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let sectors: Vec<String> = f
        .sectors
        .iter()
        .map(|s| domain::normalise_key(s))
        .filter(|s| !s.is_empty())
        .collect();
    if !sectors.is_empty() {
        out.push(FieldFilter::AnyOf {
            field: fields::SECTOR,
            values: sectors,
        });
    }
    if !f.employment_types.is_empty() {
        let values = f
            .employment_types
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                employment_type_from_proto(t, &format!("filter.employment_types[{i}]"))
                    .map(|t| t.as_key().to_string())
            })
            .collect::<Result<_>>()?;
        out.push(FieldFilter::AnyOf {
            field: fields::EMPLOYMENT_TYPE,
            values,
        });
    }
    if f.certified_only {
        out.push(FieldFilter::Is {
            field: fields::CERTIFIED,
            value: true,
        });
    }
    Ok(out)
}

// The answers of the recommendation, plan, outcome and lookup RPCs.

pub fn score_to_proto(
    scored_breakdown: &crate::ranking::ScoreBreakdown,
    fusion: &FusionParams,
) -> pb::ScoreBreakdown {
    pb::ScoreBreakdown {
        final_score: scored_breakdown.final_score,
        semantic_similarity: scored_breakdown.semantic_similarity,
        lexical_score: scored_breakdown.lexical_score,
        relevance: scored_breakdown.relevance,
        geo_score: scored_breakdown.geo_score,
        distance_km: scored_breakdown.distance_km,
        semantic_weight: fusion.semantic_weight,
        lexical_weight: fusion.lexical_weight,
        geo_weight: fusion.geo_weight,
        decay_scale_km: fusion.decay_scale_km,
        fusion: fusion.mode.name().to_string(),
        semantic_floor: fusion.semantic_floor,
        semantic_ceiling: fusion.semantic_ceiling,
        lexical_saturation: fusion.lexical_saturation,
        skills_share: scored_breakdown.skills_share,
        skills_weight: fusion.skills_weight,
        skills_score: scored_breakdown.skills_score,
        boost: scored_breakdown.boost,
        boosts_applied: scored_breakdown
            .boosts_applied
            .iter()
            .map(|name| name.to_string())
            .collect(),
        semantic_part: scored_breakdown.semantic_part,
        lexical_part: scored_breakdown.lexical_part,
        geo_scale_km: scored_breakdown.geo_scale_km,
        match_strength: scored_breakdown.match_strength,
        relevance_floor: fusion.relevance_floor,
        distance_scale: fusion.distance_scale.name().to_string(),
        seeker_commute: fusion.commute.name().to_string(),
        distance_part: scored_breakdown.distance_part,
        fusion_mode: fusion_to_proto(fusion.mode) as i32,
        distance_scale_mode: distance_scale_to_proto(fusion.distance_scale) as i32,
        seeker_commute_policy: commute_to_proto(fusion.commute) as i32,
    }
}

/// The parameters a response's scores were computed with, given once per response.
pub fn parameters_to_proto(fusion: &FusionParams) -> pb::RankingParameters {
    pb::RankingParameters {
        semantic_weight: fusion.semantic_weight,
        lexical_weight: fusion.lexical_weight,
        geo_weight: fusion.geo_weight,
        decay_scale_km: fusion.decay_scale_km,
        fusion: fusion_to_proto(fusion.mode) as i32,
        semantic_floor: fusion.semantic_floor,
        semantic_ceiling: fusion.semantic_ceiling,
        lexical_saturation: fusion.lexical_saturation,
        skills_weight: fusion.skills_weight,
        relevance_floor: fusion.relevance_floor,
        distance_scale: distance_scale_to_proto(fusion.distance_scale) as i32,
        seeker_commute: commute_to_proto(fusion.commute) as i32,
    }
}

pub fn explanation_to_proto(e: &Explanation) -> pb::Explanation {
    pb::Explanation {
        skills_matched: e.skills.matched.clone(),
        skills_missing: e.skills.missing.clone(),
        posting_region_name: e.posting_region.clone(),
        seeker_region_name: e.seeker_region.clone(),
        reason: e.reason.clone(),
        facts: e.reasons.iter().map(reason_to_proto).collect(),
    }
}

fn reason_to_proto(reason: &crate::matching::Reason) -> pb::ReasonFact {
    use crate::matching::{Reason, Strength};
    let fact = |code: pb::ReasonCode| pb::ReasonFact {
        code: code as i32,
        ..Default::default()
    };
    match reason {
        Reason::Skills { matched, missing } => pb::ReasonFact {
            skills_matched: matched.clone(),
            skills_missing: missing.clone(),
            ..fact(pb::ReasonCode::Skills)
        },
        Reason::Distance {
            km,
            seeker_region,
            posting_region,
        } => pb::ReasonFact {
            distance_km: *km,
            seeker_region: seeker_region.clone(),
            posting_region: posting_region.clone(),
            ..fact(pb::ReasonCode::Distance)
        },
        Reason::Meaning(strength) => pb::ReasonFact {
            strength: match strength {
                Strength::Weak => pb::MatchStrength::Weak,
                Strength::Moderate => pb::MatchStrength::Moderate,
                Strength::Strong => pb::MatchStrength::Strong,
            } as i32,
            ..fact(pb::ReasonCode::Meaning)
        },
        Reason::SharedWords => fact(pb::ReasonCode::SharedWords),
        Reason::Boosts(names) => pb::ReasonFact {
            boosts: names.clone(),
            ..fact(pb::ReasonCode::Boosts)
        },
        Reason::BeyondCommute => fact(pb::ReasonCode::BeyondCommute),
    }
}

pub fn candidate_to_proto(s: &Scored<domain::Seeker>, fusion: &FusionParams) -> pb::CandidateMatch {
    pb::CandidateMatch {
        seeker_id: s.item.id.clone(),
        display_name: s.item.display_name.clone(),
        headline: s.item.headline.clone(),
        region_name: s.item.home.region_name.clone(),
        score: Some(score_to_proto(&s.breakdown, fusion)),
        explanation: Some(explanation_to_proto(&s.explanation)),
        beyond_commute: s.beyond_commute,
        programmes: s.programmes.iter().map(programme_to_proto).collect(),
        home: Some(lat_lon(&s.item.home)),
        max_commute_km: s.item.max_commute_km.unwrap_or(0.0),
    }
}

pub fn lat_lon(place: &crate::domain::Place) -> pb::LatLon {
    pb::LatLon {
        lat: place.point.lat,
        lon: place.point.lon,
    }
}

pub fn posting_match_to_proto(
    p: &Scored<domain::Posting>,
    fusion: &FusionParams,
) -> pb::PostingMatch {
    pb::PostingMatch {
        posting_id: p.item.id.clone(),
        title: p.item.title.clone(),
        company_name: p.item.company_name.clone(),
        region_name: p.item.place.region_name.clone(),
        score: Some(score_to_proto(&p.breakdown, fusion)),
        explanation: Some(explanation_to_proto(&p.explanation)),
        beyond_commute: p.beyond_commute,
        programmes: p.programmes.iter().map(programme_to_proto).collect(),
        workplace: Some(lat_lon(&p.item.place)),
    }
}

pub fn progress_to_proto(p: ReindexProgress) -> pb::ReindexProgress {
    pb::ReindexProgress {
        phase: p.phase.into(),
        collection: p.collection.into(),
        done: p.done,
        total: p.total,
        model: p.model,
    }
}

pub fn plan_summary(stats: &PlanStats) -> pb::PlanSummary {
    pb::PlanSummary {
        total_score: stats.total_score,
        distinct_seekers: stats.distinct_seekers as u32,
        empty_lists: stats.empty_lists as u32,
        short_lists: stats.short_lists as u32,
    }
}

pub fn stage_from_proto(stage: i32) -> Result<Stage> {
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

pub fn summary_to_proto(record: &FoundRecord) -> pb::RecordSummary {
    let (id, title, subtitle, place) = match record {
        FoundRecord::Posting(p) => (&p.id, &p.title, &p.company_name, &p.place),
        FoundRecord::Seeker(s) => (&s.id, &s.display_name, &s.headline, &s.home),
    };
    pb::RecordSummary {
        id: id.clone(),
        title: title.clone(),
        subtitle: subtitle.clone(),
        region_name: place.region_name.clone(),
        location: Some(lat_lon(place)),
    }
}

pub fn stage_to_proto(stage: Stage) -> pb::OutcomeStage {
    use pb::OutcomeStage as S;
    match stage {
        Stage::Proposed => S::Proposed,
        Stage::Contacted => S::Contacted,
        Stage::Interviewed => S::Interviewed,
        Stage::Hired => S::Hired,
        Stage::Rejected => S::Rejected,
    }
}

/// The ranking's enums as the answers carry them beside their names (the requests' enums).
fn fusion_to_proto(mode: crate::ranking::FusionMode) -> pb::Fusion {
    use crate::ranking::FusionMode as M;
    match mode {
        M::Scores => pb::Fusion::Scores,
        M::Rrf => pb::Fusion::Rrf,
        M::Band => pb::Fusion::Band,
    }
}

fn distance_scale_to_proto(scale: crate::ranking::DistanceScale) -> pb::DistanceScale {
    use crate::ranking::DistanceScale as D;
    match scale {
        D::Absolute => pb::DistanceScale::Absolute,
        D::Commute => pb::DistanceScale::Commute,
    }
}

fn commute_to_proto(policy: crate::ranking::CommutePolicy) -> pb::CommutePolicy {
    use crate::ranking::CommutePolicy as C;
    match policy {
        C::Penalty => pb::CommutePolicy::Penalty,
        C::Filter => pb::CommutePolicy::Filter,
    }
}
