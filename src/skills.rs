//! Skills, normalised: the same skill written with other case, spacing, punctuation, full-width
//! forms or a Korean/English synonym compares equal. The vocabulary is `assets/skills_vocabulary.tsv`
//! plus any file given with `--skills-vocabulary` (lines: display name, then synonyms, tab-separated).
//!
//! A seeker "has" a posting's skill when one of the seeker's listed skills normalises to it, or
//! when any spelling of a vocabulary skill appears in the seeker's headline or resume. Korean
//! attaches particles to words ("용접기능사를"), so the text check is a substring test on the
//! normalised text. Both sides' keys are stored with the record (`skill_keys`), so the ranking's
//! bounded skills boost is computed inside the store query.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::domain::{Posting, Seeker};
use crate::error::{Error, Result};

const BUILTIN: &str = include_str!("../assets/skills_vocabulary.tsv");

/// Folds a skill or a text for comparison: NFKC, lower case, no spaces or punctuation.
pub fn fold(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Synonym classes: every folded spelling → the class's canonical (folded) key.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    canonical: HashMap<String, String>,
    spellings: HashMap<String, Vec<String>>,
}

impl Vocabulary {
    /// The vocabulary shipped in `assets/`.
    pub fn builtin() -> Self {
        let mut vocabulary = Self::default();
        vocabulary
            .add_lines(BUILTIN, "assets/skills_vocabulary.tsv")
            .expect("the shipped vocabulary parses (checked by a test)");
        vocabulary
    }

    /// The shipped vocabulary plus the lines of `path`.
    pub fn with_file(path: &Path) -> Result<Self> {
        let mut vocabulary = Self::builtin();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
        vocabulary.add_lines(&text, &path.display().to_string())?;
        Ok(vocabulary)
    }

    fn add_lines(&mut self, text: &str, source: &str) -> Result<()> {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let names: Vec<String> = line
                .split('\t')
                .map(fold)
                .filter(|s| !s.is_empty())
                .collect();
            let Some(first) = names.first() else {
                return Err(Error::invalid(
                    format!("{source}:{}", n + 1),
                    "a line needs at least one skill name",
                ));
            };
            // A spelling already known joins its class, so files can extend shipped classes.
            let key = names
                .iter()
                .find_map(|s| self.canonical.get(s).cloned())
                .unwrap_or_else(|| first.clone());
            for name in names {
                self.canonical.entry(name.clone()).or_insert(key.clone());
                let spellings = self.spellings.entry(key.clone()).or_default();
                if !spellings.contains(&name) {
                    spellings.push(name);
                }
            }
        }
        Ok(())
    }

    /// The class key of a skill (its own folded form when the vocabulary does not know it).
    pub fn key(&self, skill: &str) -> String {
        let folded = fold(skill);
        self.canonical.get(&folded).cloned().unwrap_or(folded)
    }

    /// The class keys of a posting's required skills, each once, in the posting's order.
    pub fn posting_keys(&self, posting: &Posting) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for key in posting.skills.iter().map(|s| self.key(s)) {
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// The class keys of the skills a seeker has: those listed, and every vocabulary skill one
    /// of whose spellings (two characters or more) appears in the headline or resume. Sorted.
    ///
    /// A skill outside the vocabulary counts only when listed: add it to the vocabulary file to
    /// have resumes count it too. Stored with the seeker, so the store can match on it.
    pub fn seeker_keys(&self, seeker: &Seeker) -> Vec<String> {
        let text = fold(&format!("{} {}", seeker.headline, seeker.resume));
        let mut keys: Vec<String> = seeker
            .skills
            .iter()
            .map(|s| self.key(s))
            .filter(|k| !k.is_empty())
            .collect();
        keys.extend(
            self.spellings
                .iter()
                .filter(|(_, spellings)| {
                    spellings
                        .iter()
                        .any(|s| s.chars().count() >= 2 && text.contains(s.as_str()))
                })
                .map(|(key, _)| key.clone()),
        );
        keys.sort();
        keys.dedup();
        keys
    }

    /// Which of the posting's skills the seeker has and lacks (display names as the posting wrote
    /// them), by the rule of [`Vocabulary::seeker_keys`].
    pub fn compare(&self, posting: &Posting, seeker: &Seeker) -> SkillMatch {
        let has = self.seeker_keys(seeker);
        let mut result = SkillMatch::default();
        for skill in &posting.skills {
            let key = self.key(skill);
            if key.is_empty() {
                continue;
            }
            if has.binary_search(&key).is_ok() {
                result.matched.push(skill.clone());
            } else {
                result.missing.push(skill.clone());
            }
        }
        result
    }
}

/// The share of `required` skill keys found in `has` (0 when nothing is required).
pub fn shared_share(required: &[String], has: &[String]) -> f64 {
    if required.is_empty() {
        return 0.0;
    }
    let found = required.iter().filter(|k| has.contains(k)).count();
    found as f64 / required.len() as f64
}

/// The outcome of [`Vocabulary::compare`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillMatch {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_vocabulary_parses() {
        let v = Vocabulary::builtin();
        assert_eq!(v.key("TIG welding"), v.key("TIG 용접"));
        assert_eq!(
            v.key("ＣＮＣ　선반"),
            v.key("cnc선반"),
            "full-width forms and spaces"
        );
        assert_eq!(v.key("React.js"), v.key("리액트"));
        assert_ne!(v.key("용접기능사"), v.key("전기기능사"));
    }

    #[test]
    fn fold_removes_case_space_and_punctuation() {
        assert_eq!(fold("HTML / CSS"), "htmlcss");
        assert_eq!(fold("전산회계 1급"), "전산회계1급");
        assert_eq!(fold("Ｐｙｔｈｏｎ"), "python");
    }

    fn seeker(skills: &[&str], resume: &str) -> Seeker {
        let point = crate::domain::GeoPoint {
            lat: 37.0,
            lon: 127.0,
        };
        Seeker {
            id: "s".into(),
            display_name: "s".into(),
            headline: String::new(),
            resume: resume.into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            home: crate::domain::Place {
                input: crate::domain::LocationInput::Coordinates(point),
                point,
                region_code: String::new(),
                sido_code: String::new(),
                region_name: String::new(),
            },
            max_commute_km: None,
            education_track: crate::domain::EducationTrack::Unspecified,
            birth_year: None,
            available_from: None,
            discharge_date: None,
        }
    }

    #[test]
    fn a_seeker_has_listed_skills_and_vocabulary_skills_named_in_the_text() {
        let v = Vocabulary::builtin();
        let s = seeker(
            &["MS Excel", "지게차 운전"],
            "용접기능사를 취득했습니다. TIG welding 실습.",
        );
        let keys = v.seeker_keys(&s);
        for skill in ["엑셀", "용접기능사", "TIG 용접", "지게차 운전"] {
            assert!(keys.contains(&v.key(skill)), "{skill} in {keys:?}");
        }
        assert!(!keys.contains(&v.key("전기기능사")));
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted, "sorted, each once");
    }

    #[test]
    fn the_shared_share_counts_each_required_key_once() {
        let required = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let has = vec!["b".to_string(), "c".to_string(), "z".to_string()];
        assert!((shared_share(&required, &has) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(shared_share(&[], &has), 0.0);
        assert_eq!(shared_share(&required, &[]), 0.0);
    }

    #[test]
    fn a_user_file_extends_a_shipped_class() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.tsv");
        std::fs::write(&path, "# mine\nTIG 용접\tGTAW\n새 기술\tnew skill\n").unwrap();
        let v = Vocabulary::with_file(&path).unwrap();
        assert_eq!(v.key("GTAW"), v.key("TIG welding"));
        assert_eq!(v.key("New Skill"), v.key("새기술"));
    }
}
