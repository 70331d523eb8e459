//! Skills, normalised: the same skill written with other case, spacing, punctuation, full-width
//! forms or a Korean/English synonym compares equal. The vocabulary is `assets/skills_vocabulary.tsv`
//! plus any file given with `--skills-vocabulary` (lines: display name, then synonyms, tab-separated).
//!
//! A seeker "has" a posting's skill when one of the seeker's listed skills normalises to it, or
//! when a spelling of a vocabulary skill is *mentioned* in the headline or resume (see
//! [`mentions`]): on word boundaries ("excellent" is not Excel, "할지라도" is not Jira, "재고용" is
//! not 재고 관리), with a Korean particle or ending allowed after it ("용접기능사를"), and not negated
//! in its clause ("용접기능사 미취득", "취득 예정", "no Excel"). Both sides' keys are stored with
//! the record (`skill_keys`), so the ranking's bounded skills term reads them from the payload.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::domain::{Posting, Seeker};
use crate::error::{io_err, Error, Result};

const BUILTIN: &str = include_str!("../../assets/skills_vocabulary.tsv");

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
        let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
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
        let words = text_words(&format!("{}\n{}", seeker.headline, seeker.resume));
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
                        .any(|s| s.chars().count() >= 2 && mentions(&words, s))
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
        self.compare_keys(posting, &self.seeker_keys(seeker))
    }

    /// [`Vocabulary::compare`] with the seeker's class keys in hand (sorted, as
    /// [`Vocabulary::seeker_keys`] returns and the store keeps them): no scan of the resume.
    pub fn compare_keys(&self, posting: &Posting, has: &[String]) -> SkillMatch {
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

/// A text cut into words for skill matching: NFKC, lower case, split at spaces and punctuation
/// and between Hangul and other letters or digits ("excel을" → "excel", "을"). `None` marks the
/// end of a clause (`,` `.` `;` `!` `?` `·` a line break or a bracket): negation does not cross it.
pub fn text_words(text: &str) -> Vec<Option<String>> {
    let mut words: Vec<Option<String>> = Vec::new();
    let mut word = String::new();
    let mut word_is_hangul = false;
    let flush = |word: &mut String, words: &mut Vec<Option<String>>| {
        if !word.is_empty() {
            words.push(Some(std::mem::take(word)));
        }
    };
    for c in text.nfkc().flat_map(char::to_lowercase) {
        let hangul = ('\u{AC00}'..='\u{D7A3}').contains(&c);
        if c.is_alphanumeric() {
            if !word.is_empty() && hangul != word_is_hangul {
                flush(&mut word, &mut words);
            }
            word_is_hangul = hangul;
            word.push(c);
        } else {
            flush(&mut word, &mut words);
            if CLAUSE_ENDS.contains(&c) && words.last().is_some_and(Option::is_some) {
                words.push(None);
            }
        }
    }
    flush(&mut word, &mut words);
    words
}

const CLAUSE_ENDS: [char; 12] = [',', '.', ';', '!', '?', '·', '\n', '(', ')', '[', ']', '/'];

/// Words after a skill, in its clause, that say the seeker does not have it (yet).
const NEGATION_PREFIXES: [&str; 9] = [
    "미취득",
    "미보유",
    "미소지",
    "없",
    "않",
    "예정",
    "준비",
    "아직",
    "without",
];
/// The same as whole words only ("안전" is not "안").
const NEGATION_WORDS: [&str; 5] = ["안", "못", "no", "not", "never"];
/// How many words after a mention are read for a negation.
const NEGATION_WINDOW: usize = 4;

fn negates(word: &str) -> bool {
    NEGATION_WORDS.contains(&word) || NEGATION_PREFIXES.iter().any(|p| word.starts_with(p))
}

/// Whether `words` (from [`text_words`]) mention the folded `spelling` and do not negate it.
///
/// A mention starts at a word's start and spans whole words whose letters, joined, are the
/// spelling; the last word may continue with a Korean particle or ending only. A word before it
/// ("no", "not", "without") or one of the next [`NEGATION_WINDOW`] words of its clause ("미취득",
/// "없음", "예정", "아직", "not") negates it.
pub fn mentions(words: &[Option<String>], spelling: &str) -> bool {
    (0..words.len()).any(|start| {
        let Some(end) = mention_end(words, start, spelling) else {
            return false;
        };
        let before = start
            .checked_sub(1)
            .and_then(|i| words[i].as_deref())
            .is_some_and(|w| NEGATION_WORDS.contains(&w) || w == "without");
        let after = words[end..]
            .iter()
            .take(NEGATION_WINDOW)
            .map_while(|w| w.as_deref())
            .any(negates);
        !before && !after
    })
}

/// The index after the last word of a mention of `spelling` starting at `start`, if any.
fn mention_end(words: &[Option<String>], start: usize, spelling: &str) -> Option<usize> {
    let mut rest = spelling;
    for (i, word) in words.iter().enumerate().skip(start) {
        let word = word.as_deref()?;
        if let Some(after) = rest.strip_prefix(word) {
            if after.is_empty() {
                return Some(i + 1);
            }
            rest = after;
        } else if let Some(tail) = word.strip_prefix(rest) {
            let hangul_tail = tail.chars().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
            return (hangul_tail && crate::lexical::is_particle_or_ending(tail)).then_some(i + 1);
        } else {
            return None;
        }
    }
    None
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
            interests: None,
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

    fn has(v: &Vocabulary, resume: &str, skill: &str) -> bool {
        v.seeker_keys(&seeker(&[], resume)).contains(&v.key(skill))
    }

    #[test]
    fn a_skill_is_matched_on_word_boundaries_only() {
        let v = Vocabulary::builtin();
        assert!(
            !has(&v, "excellent communication skills", "엑셀"),
            "excellent is not Excel"
        );
        assert!(has(&v, "I use Excel daily", "엑셀"));
        assert!(
            has(&v, "엑셀을 잘 다룹니다", "엑셀"),
            "a particle may follow"
        );
        assert!(!has(&v, "힘들지라도 끝까지 합니다", "Jira"));
        assert!(
            !has(&v, "무슨 일을 할지라도 성실합니다", "Jira"),
            "할지라도 is not Jira"
        );
        assert!(has(&v, "지라로 이슈를 관리했습니다", "Jira"));
        assert!(
            !has(&v, "재고용 지원 제도를 알아봤습니다", "재고 관리"),
            "재고용 is not 재고 관리"
        );
        assert!(has(&v, "재고 관리 업무를 했습니다", "재고 관리"));
        assert!(
            has(&v, "재고관리를 담당", "재고 관리"),
            "written without the space"
        );
        assert!(
            has(&v, "CO2용접 가능", "CO2 용접"),
            "script change splits words"
        );
    }

    #[test]
    fn a_negated_skill_does_not_count() {
        let v = Vocabulary::builtin();
        assert!(!has(&v, "용접기능사 미취득", "용접기능사"));
        assert!(!has(&v, "용접기능사 자격증 없음", "용접기능사"));
        assert!(!has(&v, "전기기능사 취득 예정입니다", "전기기능사"));
        assert!(!has(&v, "용접기능사는 아직 준비 중입니다", "용접기능사"));
        assert!(!has(&v, "no Excel experience", "엑셀"));
        assert!(!has(&v, "자격증 없음", "용접기능사"));
        // Negation stays in its clause: the second skill's "예정" does not touch the first.
        assert!(has(
            &v,
            "용접기능사 취득, 전기기능사 취득 예정",
            "용접기능사"
        ));
        assert!(!has(
            &v,
            "용접기능사 취득, 전기기능사 취득 예정",
            "전기기능사"
        ));
        // A listed skill counts whatever the text says.
        let listed = seeker(&["용접기능사"], "용접기능사 미취득");
        assert!(v.seeker_keys(&listed).contains(&v.key("용접기능사")));
    }

    #[test]
    fn text_words_split_scripts_and_mark_clause_ends() {
        let words = text_words("Excel을 씁니다, TIG용접.");
        let words: Vec<&str> = words.iter().map(|w| w.as_deref().unwrap_or("|")).collect();
        assert_eq!(words, ["excel", "을", "씁니다", "|", "tig", "용접", "|"]);
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
