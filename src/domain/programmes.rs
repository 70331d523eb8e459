//! Public employment-support programmes and who meets them.
//!
//! The programmes come from a TOML file (`assets/programmes.toml`, or `--programmes FILE`), each
//! with its conditions on seeker and posting fields, its public source and the year its rules were
//! read. Rules change every year, so every answer carries "verify before use". Evaluation is a
//! pure function of the file, the records and today's date: a programme is met when every
//! condition holds, and a near miss when exactly one fails (that one is named).

use std::path::Path;

use serde::Deserialize;

use crate::domain::{EducationTrack, EmploymentType, Language, Posting, Seeker};
use crate::error::{io_err, Error, Result};

const BUILTIN: &str = include_str!("../../assets/programmes.toml");

/// Conditions on the seeker; each one present must hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeekerConditions {
    /// Age this year (current year − birth year), inclusive.
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// Any of these education tracks (`EducationTrack` keys).
    pub education_tracks: Option<Vec<String>>,
    /// `serving` (discharge date in the future) or `discharged` (in the past).
    pub military: Option<Military>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Military {
    Serving,
    Discharged,
}

/// Conditions on the posting; each one present must hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PostingConditions {
    /// Any of these employment types (`EmploymentType` keys).
    pub employment_types: Option<Vec<String>>,
    pub certified_company: Option<bool>,
    pub manufacturing: Option<bool>,
    /// The workplace's two-digit sido code is one of these.
    pub sido: Option<Vec<String>>,
    /// The workplace's sido code is none of these.
    pub excluded_sido: Option<Vec<String>>,
}

/// One programme of the file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: String,
    pub summary: String,
    pub source: String,
    pub rules_read: u32,
    #[serde(default = "always")]
    pub verify_before_use: bool,
    #[serde(default)]
    pub seeker: SeekerConditions,
    #[serde(default)]
    pub posting: PostingConditions,
}

fn always() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammesFile {
    programme: Vec<Programme>,
}

/// The programmes a server evaluates.
#[derive(Debug, Clone, Default)]
pub struct Programmes {
    pub list: Vec<Programme>,
}

/// How a record or pair stands against one programme.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeFit {
    pub programme: Programme,
    /// `None`: every condition holds. `Some(reason)`: all but this one hold.
    pub failed_condition: Option<String>,
}

impl ProgrammeFit {
    pub fn eligible(&self) -> bool {
        self.failed_condition.is_none()
    }
}

/// The facts the conditions read, with the date they are read on.
#[derive(Debug, Clone, Copy)]
pub struct Today<'a> {
    pub year: i32,
    /// ISO date.
    pub date: &'a str,
}

impl<'a> Today<'a> {
    /// Today as an ISO date (`YYYY-MM-DD`); its year is read from the first four characters.
    pub fn of(date: &'a str) -> Self {
        Self {
            year: date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0),
            date,
        }
    }
}

impl Programmes {
    /// The file shipped in `assets/`.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN, "assets/programmes.toml")
            .expect("the shipped programmes parse (a test checks)")
    }

    /// A centre's own file instead of the shipped one.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let file: ProgrammesFile = toml::from_str(text)
            .map_err(|e| Error::invalid("--programmes", format!("{source} is not valid: {e}")))?;
        let mut seen = std::collections::HashSet::new();
        for p in &file.programme {
            if !seen.insert(p.id.clone()) {
                return Err(Error::invalid(
                    "--programmes",
                    format!("{source}: programme id '{}' appears twice", p.id),
                ));
            }
            for track in p.seeker.education_tracks.iter().flatten() {
                if education_track(track).is_none() {
                    return Err(Error::invalid(
                        "--programmes",
                        format!(
                            "{source}: programme '{}': '{track}' is not an education track",
                            p.id
                        ),
                    ));
                }
            }
            for kind in p.posting.employment_types.iter().flatten() {
                if employment_type(kind).is_none() {
                    return Err(Error::invalid(
                        "--programmes",
                        format!(
                            "{source}: programme '{}': '{kind}' is not an employment type",
                            p.id
                        ),
                    ));
                }
            }
        }
        Ok(Self {
            list: file.programme,
        })
    }

    /// Programmes met or missed by one condition, for whichever sides are given: a programme's
    /// conditions on an absent side are not evaluated. Met ones first, in file order.
    pub fn fits(
        &self,
        seeker: Option<&Seeker>,
        posting: Option<&Posting>,
        today: Today,
        language: Language,
    ) -> Vec<ProgrammeFit> {
        let mut fits: Vec<ProgrammeFit> = self
            .list
            .iter()
            .filter_map(|programme| {
                let mut failed = Vec::new();
                if let Some(seeker) = seeker {
                    failed.extend(seeker_failures(&programme.seeker, seeker, today, language));
                }
                if let Some(posting) = posting {
                    failed.extend(posting_failures(&programme.posting, posting, language));
                }
                (failed.len() <= 1).then(|| ProgrammeFit {
                    programme: programme.clone(),
                    failed_condition: failed.pop(),
                })
            })
            .collect();
        fits.sort_by_key(|f| !f.eligible());
        fits
    }
}

fn education_track(key: &str) -> Option<EducationTrack> {
    use EducationTrack::*;
    [
        SpecialisedHighSchool,
        JuniorCollege,
        VocationalSchool,
        University,
        MilitaryService,
    ]
    .into_iter()
    .find(|t| t.as_key() == key)
}

fn employment_type(key: &str) -> Option<EmploymentType> {
    use EmploymentType::*;
    [FullTime, PartTime, Contract, Internship]
        .into_iter()
        .find(|t| t.as_key() == key)
}

/// The seeker conditions that do not hold (an unrecorded fact fails its condition, saying so).
pub fn seeker_failures(
    conditions: &SeekerConditions,
    seeker: &Seeker,
    today: Today,
    language: Language,
) -> Vec<String> {
    let say = |korean: String, english: String| match language {
        Language::Korean => korean,
        Language::English => english,
    };
    let mut failed = Vec::new();
    if conditions.min_age.is_some() || conditions.max_age.is_some() {
        match seeker.birth_year {
            None => failed.push(say(
                "나이: 출생 연도가 기록되지 않음".into(),
                "age: the seeker's birth year is not recorded".into(),
            )),
            Some(born) => {
                let age = i64::from(today.year) - i64::from(born);
                let (low, high) = (
                    conditions.min_age.unwrap_or(0),
                    conditions.max_age.unwrap_or(u32::MAX),
                );
                if age < i64::from(low) || age > i64::from(high) {
                    let max = conditions
                        .max_age
                        .map(|m| m.to_string())
                        .unwrap_or_default();
                    failed.push(say(
                        format!("나이: 올해 {age}세, 대상은 {low}–{max}세"),
                        format!("age: {age} this year, the programme takes {low}–{max}"),
                    ));
                }
            }
        }
    }
    if let Some(tracks) = &conditions.education_tracks {
        if !tracks.iter().any(|t| t == seeker.education_track.as_key()) {
            let (track, wanted) = (seeker.education_track.as_key(), tracks.join(", "));
            failed.push(say(
                format!("학력·경로: {track} (대상: {wanted})"),
                format!("education track: {track} (the programme takes {wanted})"),
            ));
        }
    }
    if let Some(military) = conditions.military {
        let state = seeker.discharge_date.as_deref().map(|d| {
            if d > today.date {
                Military::Serving
            } else {
                Military::Discharged
            }
        });
        match (military, state) {
            (_, None) => failed.push(say(
                "병역: 전역(예정)일이 기록되지 않음".into(),
                "military service: no discharge date recorded".into(),
            )),
            (wanted, Some(state)) if wanted != state => failed.push(match wanted {
                Military::Serving => say(
                    "병역: 이미 전역함 (복무 중인 사람이 대상)".into(),
                    "military service: already discharged (the programme is for those still serving)"
                        .into(),
                ),
                Military::Discharged => say(
                    "병역: 아직 전역 전".into(),
                    "military service: not yet discharged".into(),
                ),
            }),
            _ => {}
        }
    }
    failed
}

/// The posting conditions that do not hold.
pub fn posting_failures(
    conditions: &PostingConditions,
    posting: &Posting,
    language: Language,
) -> Vec<String> {
    let say = |korean: String, english: String| match language {
        Language::Korean => korean,
        Language::English => english,
    };
    let mut failed = Vec::new();
    if let Some(kinds) = &conditions.employment_types {
        if !kinds.iter().any(|k| k == posting.employment_type.as_key()) {
            let (kind, wanted) = (posting.employment_type.as_key(), kinds.join(", "));
            failed.push(say(
                format!("고용 형태: {kind} (대상: {wanted})"),
                format!("employment type: {kind} (the programme takes {wanted})"),
            ));
        }
    }
    if let Some(wanted) = conditions.certified_company {
        if posting.certified_company != wanted {
            failed.push(if wanted {
                say(
                    "기업: 인증 기업이 아님".into(),
                    "company: not a certified company".into(),
                )
            } else {
                say(
                    "기업: 인증 기업은 제외".into(),
                    "company: a certified company is excluded".into(),
                )
            });
        }
    }
    if let Some(wanted) = conditions.manufacturing {
        if crate::domain::is_manufacturing(&posting.sector) != wanted {
            let sector = &posting.sector;
            failed.push(if wanted {
                say(
                    format!("업종: '{sector}' (제조업이 대상)"),
                    format!("sector: '{sector}' (the programme is for manufacturing)"),
                )
            } else {
                say(
                    format!("업종: '{sector}' (제조업 제외)"),
                    format!("sector: '{sector}' (manufacturing is excluded)"),
                )
            });
        }
    }
    let sido = posting.place.sido_code.as_str();
    if let Some(allowed) = &conditions.sido {
        if !allowed.iter().any(|s| s == sido) {
            let allowed = allowed.join(", ");
            failed.push(say(
                format!("근무지: 시·도 {sido}는 대상({allowed})이 아님"),
                format!("workplace region: sido {sido} is not among {allowed}"),
            ));
        }
    }
    if let Some(excluded) = &conditions.excluded_sido {
        if excluded.iter().any(|s| s == sido) {
            failed.push(say(
                format!("근무지: 시·도 {sido} 제외"),
                format!("workplace region: sido {sido} is excluded"),
            ));
        }
    }
    failed
}
