//! Interview preparation: questions for a posting, retrieved from a question bank by meaning and
//! skills.
//!
//! The bank is data (`assets/interview_questions.tsv`, written for the project, or
//! `--interview-questions FILE`): one Korean question per line with its job family and, when it is
//! about one, a skill. A question's score for a posting is the cosine of their embeddings plus
//! [`SKILL_BONUS`] when its skill is one the posting asks for; the best job-specific ones come
//! first, then the best general one (attitude, commute, shifts).

use std::path::Path;

use crate::error::{io_err, Error, Result};
use crate::ranking::cosine;
use crate::skills::Vocabulary;

const BUILTIN: &str = include_str!("../../assets/interview_questions.tsv");

/// Added to a question's cosine when the posting asks for the question's skill: a question about
/// the very skill the job needs beats a merely similar one.
pub const SKILL_BONUS: f64 = 0.1;

/// The family of questions that fit any job.
pub const GENERAL_FAMILY: &str = "general";

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub family: String,
    /// A skill display name, or empty.
    pub skill: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct QuestionBank {
    pub questions: Vec<Question>,
}

/// A question chosen for a posting, with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct ChosenQuestion {
    pub question: Question,
    pub score: f64,
}

impl QuestionBank {
    /// The bank shipped in `assets/`.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN, "assets/interview_questions.tsv")
            .expect("the shipped question bank parses (a test checks)")
    }

    /// A centre's own bank instead of the shipped one.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let mut questions = Vec::new();
        let mut header_seen = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = || format!("{source}:{}", n + 1);
            let columns: Vec<&str> = line.split('\t').collect();
            if columns.len() != 3 {
                return Err(Error::invalid(
                    "--interview-questions",
                    format!(
                        "{}: needs 3 tab-separated columns (family, skill, question), has {}",
                        at(),
                        columns.len()
                    ),
                ));
            }
            if !header_seen {
                header_seen = true;
                if columns == ["family", "skill", "question"] {
                    continue;
                }
            }
            let (family, skill, question) =
                (columns[0].trim(), columns[1].trim(), columns[2].trim());
            if family.is_empty() || question.is_empty() {
                return Err(Error::invalid(
                    "--interview-questions",
                    format!("{}: the family and the question must not be empty", at()),
                ));
            }
            questions.push(Question {
                family: family.to_string(),
                skill: skill.to_string(),
                text: question.to_string(),
            });
        }
        if questions.is_empty() {
            return Err(Error::invalid(
                "--interview-questions",
                format!("{source} has no questions"),
            ));
        }
        Ok(Self { questions })
    }

    /// The texts to embed, in bank order.
    pub fn texts(&self) -> Vec<String> {
        self.questions.iter().map(|q| q.text.clone()).collect()
    }

    /// The `specific` best job-specific questions for a posting, then the best general one.
    /// `vectors` are the questions' embeddings in bank order; `posting_keys` the posting's skill
    /// class keys.
    pub fn choose(
        &self,
        vectors: &[Vec<f32>],
        posting_vector: &[f32],
        posting_keys: &[String],
        vocabulary: &Vocabulary,
        specific: usize,
    ) -> Vec<ChosenQuestion> {
        let mut scored: Vec<ChosenQuestion> = self
            .questions
            .iter()
            .zip(vectors)
            .map(|(question, vector)| {
                let asked = !question.skill.is_empty()
                    && posting_keys.contains(&vocabulary.key(&question.skill));
                ChosenQuestion {
                    question: question.clone(),
                    score: cosine(vector, posting_vector) + if asked { SKILL_BONUS } else { 0.0 },
                }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score));
        let general = scored
            .iter()
            .find(|c| c.question.family == GENERAL_FAMILY)
            .cloned();
        let mut chosen: Vec<ChosenQuestion> = scored
            .into_iter()
            .filter(|c| c.question.family != GENERAL_FAMILY)
            .take(specific)
            .collect();
        chosen.extend(general);
        chosen
    }
}
