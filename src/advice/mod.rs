//! The centres' services beside ranking, built on what the engine already knows (stored postings
//! and seekers, meaning, words, skills, distance), so they improve as the data grows:
//!
//! - [`Advisor::advise_posting`]: for a draft posting (not stored), the stored postings most like
//!   it in its region and the skills they ask for that it does not; the market of seekers within
//!   reach who would match it, and how that changes if one requirement is dropped; missing or
//!   vague fields.
//! - [`Advisor::advise_seeker`]: the skills that would open the most nearby postings to a seeker,
//!   resume completeness, and interview questions for their best postings ([`interview`]).
//! - the public support programmes a record or a pair meets, or misses by one condition, are
//!   [`crate::programmes`], below the matcher: recommendations carry them too.

pub mod assess;
pub mod interests;
pub mod interview;

use std::path::PathBuf;
use std::sync::Arc;

use crate::domain::{fields, EmploymentType, Language, Posting, Seeker};
use crate::embed::TextKind;
use crate::error::{Error, Result};
use crate::matching::RankingRequest;
use crate::matching::{blocking, Matcher, Scored};
use crate::programmes::{ProgrammeFit, Programmes, Today};
use crate::ranking::{cosine, haversine_km};
use crate::skills::{text_words, Vocabulary};
use crate::store::{CandidatePayload, CandidateQuery, Collection, FieldFilter};
use interview::{ChosenQuestion, QuestionBank};

/// Postings AdviseSeeker weighs (its ranking's top k) when the request leaves it 0.
pub const DEFAULT_SEEKER_POSTINGS: u32 = 10;

/// Stored postings compared with a draft.
const SIMILAR_POSTINGS: usize = 10;
/// Postings whose interview questions an advice prepares.
const INTERVIEW_POSTINGS: usize = 3;
/// Job-specific questions per posting (a general one is added).
const QUESTIONS_PER_POSTING: usize = 3;
/// Postings an advice to a seeker weighs (the best within reach).
const SEEKER_POSTINGS: usize = 50;
/// A description shorter than this tells a seeker too little about the work.
const SHORT_DESCRIPTION_CHARS: usize = 50;
/// A resume shorter than this gives the ranking little to go on.
const SHORT_RESUME_CHARS: usize = 50;

/// Words that say nothing about the work: a title made only of them is vague.
const GENERIC_TITLE_WORDS: &[&str] = &[
    "모집",
    "채용",
    "구인",
    "구함",
    "급구",
    "직원",
    "사원",
    "신입",
    "경력",
    "우대",
    "정규직",
    "계약직",
    "알바",
    "아르바이트",
    "인력",
    "공고",
    "staff",
    "worker",
    "workers",
    "wanted",
    "hiring",
    "hire",
    "job",
    "jobs",
    "employee",
    "recruit",
    "recruiting",
    "recruitment",
    "position",
    "opening",
    "new",
    "urgent",
    "full",
    "time",
    "part",
];

/// Where the advice services' data comes from: the shipped files unless a centre gives its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdviceFiles {
    pub programmes: Option<PathBuf>,
    pub interview_questions: Option<PathBuf>,
}

/// The advice use cases, above [`Matcher`]: the question bank, with its embeddings once computed.
/// (The support programmes are the matcher's: every recommendation reports them.)
pub struct Advisor {
    pub questions: QuestionBank,
    /// The bank's vectors under one model (its weights' hash), computed on first use.
    question_vectors: tokio::sync::Mutex<Option<ModelVectors>>,
}

/// Vectors, and the model (weights hash and name) that made them.
type ModelVectors = (String, Arc<Vec<Vec<f32>>>);

impl Advisor {
    pub fn new(questions: QuestionBank) -> Self {
        Self {
            questions,
            question_vectors: tokio::sync::Mutex::new(None),
        }
    }
}

impl AdviceFiles {
    /// The programmes file a configuration names, else the shipped one.
    pub fn programmes(&self) -> Result<Programmes> {
        match &self.programmes {
            Some(path) => Programmes::from_file(path),
            None => Ok(Programmes::builtin()),
        }
    }

    /// The question bank a configuration names, else the shipped one.
    pub fn questions(&self) -> Result<QuestionBank> {
        match &self.interview_questions {
            Some(path) => QuestionBank::from_file(path),
            None => Ok(QuestionBank::builtin()),
        }
    }
}

/// A missing or vague field, by its path in the request.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAdvice {
    pub field: String,
    pub advice: String,
}

#[derive(Debug, Clone)]
pub struct SimilarPosting {
    pub posting: Posting,
    pub similarity: f64,
    pub distance_km: f64,
}

/// A skill the draft's neighbours ask for and the draft does not.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillSuggestion {
    /// As the first neighbour asking for it wrote it.
    pub skill: String,
    pub asked_by: usize,
    pub out_of: usize,
    pub posting_ids: Vec<String>,
}

/// Seekers within reach who would match a draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Market {
    /// Above the relevance floor and within their own commute.
    pub seekers_matching: usize,
    /// Of those, the ones with every skill the draft asks for.
    pub seekers_with_all_skills: usize,
    /// For each required skill: matching seekers with all the other required skills.
    pub if_dropped: Vec<(String, usize)>,
    /// Candidates examined (the counts are "at least" when it reaches the prefetch).
    pub seekers_considered: usize,
}

#[derive(Debug, Clone)]
pub struct PostingAdvice {
    pub similar: Vec<SimilarPosting>,
    pub skills_to_add: Vec<SkillSuggestion>,
    /// `None` when the draft has no location (nothing is within reach of nowhere).
    pub market: Option<Market>,
    pub completeness: Vec<FieldAdvice>,
    pub programmes: Vec<ProgrammeFit>,
}

/// A skill a seeker lacks, and the postings within reach it would open.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillGap {
    pub skill: String,
    /// Postings for which it is the only required skill missing.
    pub opens: Vec<String>,
    /// Postings that ask for it.
    pub asked_by: usize,
}

#[derive(Debug, Clone)]
pub struct InterviewPrep {
    pub posting: Posting,
    pub questions: Vec<ChosenQuestion>,
}

#[derive(Debug, Clone)]
pub struct SeekerAdvice {
    pub seeker: Seeker,
    /// The seeker's interest profile and the families it fits, when they took the inventory.
    pub interests: Option<assess::InterestAdvice>,
    pub skill_gaps: Vec<SkillGap>,
    pub postings_considered: usize,
    pub completeness: Vec<FieldAdvice>,
    pub interview: Vec<InterviewPrep>,
    pub programmes: Vec<ProgrammeFit>,
}

/// A draft as the advice reads it: the posting, and whether its location was given.
#[derive(Debug, Clone)]
pub struct Draft {
    pub posting: Posting,
    pub has_location: bool,
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// One line of completeness advice: the field, and what to do about it in `language`.
fn advice(field: &str, language: Language, korean: &str, english: &str) -> FieldAdvice {
    FieldAdvice {
        field: field.to_string(),
        advice: match language {
            Language::Korean => korean,
            Language::English => english,
        }
        .to_string(),
    }
}

/// Missing or vague fields of a draft posting (pure), in `language`.
pub fn posting_completeness(draft: &Draft, language: Language) -> Vec<FieldAdvice> {
    let p = &draft.posting;
    let line = |field: &str, korean: &str, english: &str| advice(field, language, korean, english);
    let mut found = Vec::new();
    if p.skills.is_empty() {
        found.push(line(
            "skills",
            "요구 기술·자격증이 없습니다: 구직자도 추천도 기술 이름으로 찾습니다",
            "no skills or certificates listed: seekers and the ranking match on them",
        ));
    }
    if !draft.has_location {
        found.push(line(
            "location",
            "근무지가 없습니다: 청년 구직자는 통근할 수 있는 일자리를 고릅니다",
            "no workplace location: young seekers choose jobs they can commute to",
        ));
    }
    let title_words: Vec<String> = text_words(&p.title).into_iter().flatten().collect();
    if title_words
        .iter()
        .all(|w| GENERIC_TITLE_WORDS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()))
    {
        found.push(line(
            "title",
            "제목에 하는 일이 드러나지 않습니다: 직무를 적어 주세요 (예: \"CNC 선반 가공원\")",
            "the title says nothing about the work: name the job (e.g. \"CNC 선반 가공원\")",
        ));
    }
    if p.employment_type == EmploymentType::Unspecified {
        found.push(line(
            "employment_type",
            "고용 형태가 없습니다: 정규직·시간제·계약직·인턴 (지원 사업이 이에 따라 다릅니다)",
            "not given: full-time, part-time, contract or internship (support programmes depend on it)",
        ));
    }
    let chars = p.description.trim().chars().count();
    if chars < SHORT_DESCRIPTION_CHARS {
        found.push(line(
            "description",
            &format!("{chars}자뿐입니다: 하는 일, 쓰는 장비, 근무 형태(교대), 교육을 적어 주세요"),
            &format!("only {chars} characters: describe the duties, tools, shifts and training"),
        ));
    }
    if p.sector.trim().is_empty() {
        found.push(line(
            "sector",
            "업종이 없습니다: 예) manufacturing, it, healthcare",
            "not given: e.g. manufacturing, it, healthcare",
        ));
    }
    found
}

/// Missing fields of a stored seeker (pure), in `language`.
pub fn seeker_completeness(s: &Seeker, language: Language) -> Vec<FieldAdvice> {
    let line = |field: &str, korean: &str, english: &str| advice(field, language, korean, english);
    let mut found = Vec::new();
    if s.skills.is_empty() {
        found.push(line(
            "skills",
            "보유 기술·자격증이 없습니다: 채용 공고는 기술 이름으로 찾습니다",
            "no skills or certificates listed: list them, postings ask by name",
        ));
    }
    if s.max_commute_km.is_none() {
        found.push(line(
            "max_commute_km",
            "통근 가능 거리가 없습니다: 모든 거리를 받아들이는 것으로 봅니다",
            "no commute given: every distance is treated as acceptable",
        ));
    }
    if s.available_from.is_none() {
        found.push(line(
            "available_from",
            "근무 가능일이 없습니다: 기업은 언제부터 일할 수 있는지 묻습니다",
            "no availability date: employers ask when you can start",
        ));
    }
    if s.birth_year.is_none() {
        found.push(line(
            "birth_year",
            "출생 연도가 없습니다: 청년 지원 사업은 나이를 봅니다",
            "not recorded: youth programmes check age",
        ));
    }
    if s.education_track == crate::domain::EducationTrack::Unspecified {
        found.push(line(
            "education_track",
            "학력·경로가 없습니다: 여러 지원 사업이 이에 따라 다릅니다",
            "not given: several programmes depend on it",
        ));
    }
    let chars = s.resume.trim().chars().count();
    if chars < SHORT_RESUME_CHARS {
        found.push(line(
            "resume",
            &format!("{chars}자뿐입니다: 교육, 현장 실습, 자격증을 적어 주세요"),
            &format!("only {chars} characters: describe training, field practice and certificates"),
        ));
    }
    found
}

/// Skills the `neighbours` ask for and the draft does not, most asked first (pure).
pub fn skills_to_add(
    draft: &Posting,
    neighbours: &[Posting],
    vocabulary: &Vocabulary,
) -> Vec<SkillSuggestion> {
    let has = vocabulary.posting_keys(draft);
    let mut by_key: Vec<(String, SkillSuggestion)> = Vec::new();
    for neighbour in neighbours {
        for (key, skill) in neighbour.skills.iter().map(|s| (vocabulary.key(s), s)) {
            if key.is_empty() || has.contains(&key) {
                continue;
            }
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some((_, s)) if !s.posting_ids.contains(&neighbour.id) => {
                    s.asked_by += 1;
                    s.posting_ids.push(neighbour.id.clone());
                }
                Some(_) => {}
                None => by_key.push((
                    key,
                    SkillSuggestion {
                        skill: skill.clone(),
                        asked_by: 1,
                        out_of: neighbours.len(),
                        posting_ids: vec![neighbour.id.clone()],
                    },
                )),
            }
        }
    }
    let mut suggestions: Vec<SkillSuggestion> = by_key.into_iter().map(|(_, s)| s).collect();
    // Stable: ties keep the order of the most similar neighbour asking.
    suggestions.sort_by_key(|s| std::cmp::Reverse(s.asked_by));
    suggestions
}

/// The market of a draft from its scored seekers (pure): `missing` is each match's list of the
/// draft's skills it lacks.
pub fn market(
    draft_skills: &[String],
    matches: &[(bool, Vec<String>)],
    considered: usize,
) -> Market {
    let within: Vec<&Vec<String>> = matches
        .iter()
        .filter(|(beyond, _)| !beyond)
        .map(|(_, missing)| missing)
        .collect();
    Market {
        seekers_matching: within.len(),
        seekers_with_all_skills: if draft_skills.is_empty() {
            0
        } else {
            within.iter().filter(|m| m.is_empty()).count()
        },
        if_dropped: draft_skills
            .iter()
            .map(|skill| {
                let count = within
                    .iter()
                    .filter(|missing| missing.iter().all(|m| m == skill))
                    .count();
                (skill.clone(), count)
            })
            .collect(),
        seekers_considered: considered,
    }
}

/// Skill gaps of a seeker from the postings within reach (pure): each posting's id and the
/// skills it asks that the seeker lacks; ranked by the postings each would open, then by how
/// many ask for it.
pub fn skill_gaps(postings: &[(String, Vec<String>)], vocabulary: &Vocabulary) -> Vec<SkillGap> {
    let mut gaps: Vec<(String, SkillGap)> = Vec::new();
    for (posting_id, missing) in postings {
        let keys: Vec<String> = missing.iter().map(|s| vocabulary.key(s)).collect();
        for (skill, key) in missing.iter().zip(&keys) {
            let only_one = keys.iter().all(|k| k == key);
            let gap = match gaps.iter_mut().find(|(k, _)| k == key) {
                Some((_, gap)) => gap,
                None => {
                    gaps.push((
                        key.clone(),
                        SkillGap {
                            skill: skill.clone(),
                            opens: Vec::new(),
                            asked_by: 0,
                        },
                    ));
                    &mut gaps.last_mut().expect("just pushed").1
                }
            };
            gap.asked_by += 1;
            if only_one && !gap.opens.contains(posting_id) {
                gap.opens.push(posting_id.clone());
            }
        }
    }
    let mut gaps: Vec<SkillGap> = gaps.into_iter().map(|(_, g)| g).collect();
    gaps.sort_by(|a, b| {
        b.opens
            .len()
            .cmp(&a.opens.len())
            .then(b.asked_by.cmp(&a.asked_by))
    });
    gaps
}

impl Advisor {
    /// Advice for a draft posting; nothing is stored. A counsellor may only advise on drafts
    /// whose workplace is in their regions.
    pub async fn advise_posting(
        &self,
        matcher: &Matcher,
        draft: Draft,
        request: &RankingRequest,
    ) -> Result<PostingAdvice> {
        let engine = matcher.engine();
        let posting = &draft.posting;
        // A draft is not stored: refusing it reveals nothing, so it is refused plainly.
        if draft.has_location && !request.scope.allows(&posting.place.sido_code) {
            return Err(Error::PermissionDenied(format!(
                "the draft's workplace ({}) is outside your regions",
                posting.place.region_name
            )));
        }
        let today = today();
        let programmes =
            matcher
                .programmes()
                .fits(None, Some(posting), Today::of(&today), request.language);
        let completeness = posting_completeness(&draft, request.language);
        if !draft.has_location {
            return Ok(PostingAdvice {
                similar: Vec::new(),
                skills_to_add: Vec::new(),
                market: None,
                completeness,
                programmes,
            });
        }
        let vector = engine
            .embedder
            .embed(vec![posting.embedding_text()], TextKind::Passage)
            .await?
            .pop()
            .ok_or_else(|| Error::Embedding("no vector for the draft".into()))?;

        let similar = self
            .similar_postings(matcher, posting, &vector, request)
            .await?;
        let neighbours: Vec<Posting> = similar.iter().map(|s| s.posting.clone()).collect();
        let skills_to_add = skills_to_add(posting, &neighbours, &engine.vocabulary);

        let wide = RankingRequest {
            top_k: matcher.ranking_prefetch(),
            ..request.clone()
        };
        let scored: crate::matching::Recommendation<Posting, Seeker> = matcher
            .recommend_from(&engine, posting.clone(), vector, &wide, Vec::new())
            .await?;
        let matches: Vec<(bool, Vec<String>)> = scored
            .results
            .iter()
            .map(|s: &Scored<Seeker>| (s.beyond_commute, s.explanation.skills.missing.clone()))
            .collect();
        Ok(PostingAdvice {
            similar,
            skills_to_add,
            market: Some(market(&posting.skills, &matches, matches.len())),
            completeness,
            programmes,
        })
    }

    /// The stored postings nearest in meaning to `posting` in its sido (and the caller's regions).
    async fn similar_postings(
        &self,
        matcher: &Matcher,
        posting: &Posting,
        vector: &[f32],
        request: &RankingRequest,
    ) -> Result<Vec<SimilarPosting>> {
        let engine = matcher.engine();
        let mut filters = Vec::new();
        if posting.place.sido_code.is_empty() {
            filters.push(FieldFilter::WithinKm {
                center: posting.place.point,
                km: 50.0,
            });
        } else {
            filters.push(FieldFilter::AnyOf {
                field: fields::SIDO_CODE,
                values: vec![posting.place.sido_code.clone()],
            });
        }
        filters.extend(request.scope.filter());
        let plan = CandidateQuery {
            vector: vector.to_vec(),
            origin: posting.place.point,
            filters,
            lexical: Default::default(),
            prefetch: SIMILAR_POSTINGS + 1,
            near_km: None,
            payload: CandidatePayload::Full,
        };
        let store = engine.store.clone();
        let candidates = blocking(move || store.candidates(Collection::Postings, &plan)).await?;
        let mut similar = Vec::new();
        for candidate in candidates {
            let stored: Posting = crate::domain::from_payload(&candidate.doc.payload)?;
            if stored.id == posting.id {
                continue; // a draft of a stored posting is not its own neighbour
            }
            similar.push(SimilarPosting {
                similarity: candidate
                    .similarity
                    .unwrap_or_else(|| cosine(vector, &candidate.doc.vector)),
                distance_km: haversine_km(posting.place.point, stored.place.point),
                posting: stored,
            });
        }
        similar.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        similar.truncate(SIMILAR_POSTINGS);
        Ok(similar)
    }

    /// Advice for a stored seeker: skill gaps over the best postings within reach, completeness,
    /// interview questions for the best postings, and the programmes the seeker meets.
    pub async fn advise_seeker(
        &self,
        matcher: &Matcher,
        seeker_id: &str,
        request: &RankingRequest,
    ) -> Result<SeekerAdvice> {
        let rec = self.postings_weighed(matcher, seeker_id, request).await?;
        let within: Vec<&Scored<Posting>> =
            rec.results.iter().filter(|p| !p.beyond_commute).collect();
        let engine = matcher.engine();
        let gaps_input: Vec<(String, Vec<String>)> = within
            .iter()
            .map(|p| (p.item.id.clone(), p.explanation.skills.missing.clone()))
            .collect();
        let skill_gaps = skill_gaps(&gaps_input, &engine.vocabulary);

        let mut interview = Vec::new();
        let best: Vec<&Scored<Posting>> = within
            .iter()
            .copied()
            .chain(rec.results.iter().filter(|p| p.beyond_commute))
            .take(INTERVIEW_POSTINGS)
            .collect();
        if !best.is_empty() {
            let bank = self.question_vectors(matcher).await?;
            for scored in best {
                let store = engine.store.clone();
                let id = scored.item.id.clone();
                let Some(doc) = blocking(move || store.get(Collection::Postings, &id)).await?
                else {
                    continue; // deleted meanwhile
                };
                let keys = engine.vocabulary.posting_keys(&scored.item);
                interview.push(InterviewPrep {
                    posting: scored.item.clone(),
                    questions: self.questions.choose(
                        &bank,
                        &doc.vector,
                        &keys,
                        &engine.vocabulary,
                        QUESTIONS_PER_POSTING,
                    ),
                });
            }
        }
        let interests = match rec.origin.interests {
            Some(scores) => {
                let profile = interests::InterestProfile::from_scores(scores);
                Some(self.interest_advice(matcher, profile, &within).await?)
            }
            None => None,
        };
        let today = today();
        Ok(SeekerAdvice {
            interests,
            programmes: matcher.programmes().fits(
                Some(&rec.origin),
                None,
                Today::of(&today),
                request.language,
            ),
            completeness: seeker_completeness(&rec.origin, request.language),
            postings_considered: within.len(),
            skill_gaps,
            interview,
            seeker: rec.origin,
        })
    }

    /// The postings a seeker's advice weighs: their best [`SEEKER_POSTINGS`] (at least), those
    /// within their commute first.
    pub(crate) async fn postings_weighed(
        &self,
        matcher: &Matcher,
        seeker_id: &str,
        request: &RankingRequest,
    ) -> Result<crate::matching::Recommendation<Seeker, Posting>> {
        let wide = RankingRequest {
            top_k: SEEKER_POSTINGS.max(request.top_k),
            ..request.clone()
        };
        matcher
            .recommend_postings(seeker_id, &wide, Vec::new())
            .await
    }

    /// The question bank's vectors under the serving model, embedded once per model (as queries,
    /// compared with stored postings like a seeker is).
    pub async fn question_vectors(&self, matcher: &Matcher) -> Result<Arc<Vec<Vec<f32>>>> {
        let engine = matcher.engine();
        let model = engine.embedder.info().weights_sha256.clone() + &engine.embedder.info().name;
        let mut cached = self.question_vectors.lock().await;
        if let Some((for_model, vectors)) = cached.as_ref() {
            if *for_model == model {
                return Ok(vectors.clone());
            }
        }
        let vectors = Arc::new(
            engine
                .embedder
                .embed(self.questions.texts(), TextKind::Query)
                .await?,
        );
        *cached = Some((model, vectors.clone()));
        Ok(vectors)
    }
}

#[cfg(test)]
mod tests;
