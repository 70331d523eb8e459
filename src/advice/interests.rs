//! A Holland (RIASEC) interest inventory: the 48 items, a seeker's answers scored into six type
//! means and a Holland code, and how close that profile is to each of our job families.
//!
//! The data is vendored (`assets/interest_inventory.README.md` has sources, licences and the rule):
//!
//! - `assets/interest_inventory.tsv`: the public-domain *RIASEC Markers* (Armstrong, Allison &
//!   Rounds 2008), English verbatim from the openpsychometrics.org codebook, with a Korean wording
//!   written for this project (not a validated adaptation).
//! - `assets/interest_families.tsv`: for each job family, one O\*NET occupation's six Occupational
//!   Interest (OI) values, 1–7 (O\*NET database, CC BY 4.0).
//!
//! A type's score is the mean of its answers (1–5); a family's fit is the cosine of the two
//! profiles, each centred on its own mean (Pearson r). The scores are a conversation starter for a
//! counsellor, not a diagnosis: they do not measure ability, are never shown to employers, and
//! never screen, rank or reject a seeker for a posting.
//!
//! [`family_centroids`] and [`nearest_family`] give a posting its job family: the family whose
//! interview questions' mean embedding is closest to the posting's.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::interview::GENERAL_FAMILY;
use crate::error::{Error, Result};
use crate::ranking::cosine;

const INVENTORY_FILE: &str = "assets/interest_inventory.tsv";
const INVENTORY_TSV: &str = include_str!("../../assets/interest_inventory.tsv");
const FAMILIES_FILE: &str = "assets/interest_families.tsv";
const FAMILIES_TSV: &str = include_str!("../../assets/interest_families.tsv");

/// The answer scale: 1 = 매우 싫다 (strongly dislike) … 5 = 매우 좋다 (strongly like).
pub const ANSWER_RANGE: std::ops::RangeInclusive<u32> = 1..=5;
/// O*NET's Occupational Interest scale.
pub const OI_RANGE: std::ops::RangeInclusive<f64> = 1.0..=7.0;

/// A profile whose highest type mean minus its lowest is below this is flat: no code, no
/// suggestion (README §4, "Flat profile"; the project's choice, four answer steps).
pub const FLAT_SPREAD: f64 = 0.50;
/// The best-ranked families suggested whenever their fit is positive (README §6).
pub const SUGGESTED_TOP: usize = 3;
/// A family with at least this fit is suggested at any rank (README §6; the project's choice).
pub const STRONG_FIT: f64 = 0.80;
/// A fit below this is weak, "약한 일치" (README §6; the project's choice).
pub const WEAK_FIT: f64 = 0.50;

/// Missing items named in the error for an incomplete answer sheet.
const MISSING_NAMED: usize = 5;

/// The six Holland types, in RIASEC order (the order of every score array here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Realistic,
    Investigative,
    Artistic,
    Social,
    Enterprising,
    Conventional,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Realistic,
        Kind::Investigative,
        Kind::Artistic,
        Kind::Social,
        Kind::Enterprising,
        Kind::Conventional,
    ];

    pub fn letter(self) -> char {
        ['R', 'I', 'A', 'S', 'E', 'C'][self.index()]
    }

    pub fn from_letter(letter: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| letter.len() == 1 && letter.starts_with(k.letter()))
    }

    /// The position in RIASEC order, 0..6.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name_en(self) -> &'static str {
        [
            "Realistic",
            "Investigative",
            "Artistic",
            "Social",
            "Enterprising",
            "Conventional",
        ][self.index()]
    }

    pub fn name_ko(self) -> &'static str {
        ["현장형", "탐구형", "예술형", "사회형", "진취형", "관습형"][self.index()]
    }
}

/// One activity the seeker rates.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `R1` … `C8`.
    pub id: String,
    pub kind: Kind,
    /// Verbatim from the source.
    pub en: String,
    /// This project's wording.
    pub ko: String,
}

/// The items, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    pub items: Vec<Item>,
}

/// A seeker's interests: stored with the seeker as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterestProfile {
    /// Each type's mean answer, 1.0–5.0, in RIASEC order.
    pub scores: [f64; 6],
    /// The three highest types' letters, ties in RIASEC order; empty when flat.
    pub code: String,
    /// A tie decided the code (another tie order would change it).
    pub ambiguous: bool,
    /// Highest minus lowest below [`FLAT_SPREAD`]: no code, no suggestion.
    pub flat: bool,
}

/// One family's interest profile (a representative O*NET occupation).
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyProfile {
    /// The job-family key, as in the interview-question bank.
    pub family: String,
    pub soc_code: String,
    pub soc_title: String,
    /// OI values 1–7, in RIASEC order.
    pub scores: [f64; 6],
}

#[derive(Debug, Clone, PartialEq)]
pub struct FamilyProfiles {
    pub families: Vec<FamilyProfile>,
}

/// How a seeker's profile fits one family.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyFit {
    pub family: String,
    /// Pearson r of the two profiles, -1..=1.
    pub similarity: f64,
    /// Shown as "관심사와 비슷한 직무".
    pub suggested: bool,
    /// Below [`WEAK_FIT`]: a suggested one is labelled "약한 일치".
    pub weak: bool,
}

/// The non-comment, non-header rows of a TSV file, with their line numbers, each with exactly
/// `header.len()` columns. The header line is optional.
fn tsv_rows<'a>(
    text: &'a str,
    source: &str,
    field: &str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
        if columns.len() != header.len() {
            return Err(Error::invalid(
                field,
                format!(
                    "{source}:{}: needs {} tab-separated columns ({}), has {}",
                    n + 1,
                    header.len(),
                    header.join(", "),
                    columns.len()
                ),
            ));
        }
        if rows.is_empty() && columns == header {
            continue;
        }
        rows.push((n + 1, columns));
    }
    if rows.is_empty() {
        return Err(Error::invalid(field, format!("{source} has no rows")));
    }
    Ok(rows)
}

impl Inventory {
    const FIELD: &'static str = "interest_inventory";

    /// The inventory shipped in `assets/`, parsed once.
    pub fn builtin() -> &'static Inventory {
        static BUILTIN: OnceLock<Inventory> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Self::parse(INVENTORY_TSV, INVENTORY_FILE)
                .expect("the shipped interest inventory parses (a test checks)")
        })
    }

    /// Four columns: id, type (one of R I A S E C), en, ko. Every type needs at least one item.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let rows = tsv_rows(text, source, Self::FIELD, &["id", "type", "en", "ko"])?;
        let mut items: Vec<Item> = Vec::with_capacity(rows.len());
        for (line, columns) in rows {
            let item = Self::item(&columns, &format!("{source}:{line}"))?;
            if items.iter().any(|i| i.id == item.id) {
                return Err(Self::error(
                    source,
                    line,
                    &format!("id '{}' appears twice", item.id),
                ));
            }
            items.push(item);
        }
        if let Some(kind) = Kind::ALL
            .into_iter()
            .find(|k| !items.iter().any(|i| i.kind == *k))
        {
            return Err(Error::invalid(
                Self::FIELD,
                format!("{source} has no item of type {}", kind.letter()),
            ));
        }
        Ok(Self { items })
    }

    fn item(columns: &[&str], at: &str) -> Result<Item> {
        let [id, kind, en, ko] = [columns[0], columns[1], columns[2], columns[3]];
        let kind = Kind::from_letter(kind).ok_or_else(|| {
            Error::invalid(
                Self::FIELD,
                format!("{at}: type '{kind}' is not one of R I A S E C"),
            )
        })?;
        if id.is_empty() || en.is_empty() || ko.is_empty() {
            return Err(Error::invalid(
                Self::FIELD,
                format!("{at}: the id, en and ko columns must not be empty"),
            ));
        }
        Ok(Item {
            id: id.to_string(),
            kind,
            en: en.to_string(),
            ko: ko.to_string(),
        })
    }

    fn error(source: &str, line: usize, reason: &str) -> Error {
        Error::invalid(Self::FIELD, format!("{source}:{line}: {reason}"))
    }

    /// The profile of a complete answer sheet: `(item id, value 1..=5)`, every item exactly once.
    pub fn score(&self, answers: &[(String, u32)]) -> Result<InterestProfile> {
        let values = self.values_by_item(answers)?;
        let mut sums = [0u32; 6];
        let mut counts = [0u32; 6];
        for (item, value) in self.items.iter().zip(values) {
            sums[item.kind.index()] += value;
            counts[item.kind.index()] += 1;
        }
        let scores = std::array::from_fn(|k| f64::from(sums[k]) / f64::from(counts[k]));
        Ok(InterestProfile::from_scores(scores))
    }

    /// Each item's answer, in item order, after checking the sheet.
    fn values_by_item(&self, answers: &[(String, u32)]) -> Result<Vec<u32>> {
        // For each item: the index of its answer and the value.
        let mut given: Vec<Option<(usize, u32)>> = vec![None; self.items.len()];
        for (i, (id, value)) in answers.iter().enumerate() {
            let item = self.position(id).ok_or_else(|| {
                Error::invalid(
                    format!("answers[{i}].item_id"),
                    format!("'{id}' is not an item of the inventory"),
                )
            })?;
            if let Some((first, _)) = given[item] {
                return Err(Error::invalid(
                    format!("answers[{i}].item_id"),
                    format!("'{id}' is answered twice (first at answers[{first}])"),
                ));
            }
            if !ANSWER_RANGE.contains(value) {
                return Err(Error::invalid(
                    format!("answers[{i}].value"),
                    format!("{value} is outside 1..=5 (1 = 매우 싫다 … 5 = 매우 좋다)"),
                ));
            }
            given[item] = Some((i, *value));
        }
        self.check_complete(&given)?;
        Ok(given.into_iter().flatten().map(|(_, v)| v).collect())
    }

    fn check_complete(&self, given: &[Option<(usize, u32)>]) -> Result<()> {
        let missing: Vec<&str> = self
            .items
            .iter()
            .zip(given)
            .filter(|(_, g)| g.is_none())
            .map(|(item, _)| item.id.as_str())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let more = if missing.len() > MISSING_NAMED {
            ", …"
        } else {
            ""
        };
        Err(Error::invalid(
            "answers",
            format!(
                "{} of the {} items have no answer: {}{more}",
                missing.len(),
                self.items.len(),
                missing[..missing.len().min(MISSING_NAMED)].join(", ")
            ),
        ))
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|item| item.id == id)
    }
}

impl InterestProfile {
    /// The profile of six type means (RIASEC order): the code, and whether it is ambiguous or
    /// flat. Ties are equal means (equal sums), broken in RIASEC order.
    pub fn from_scores(scores: [f64; 6]) -> Self {
        let ranked = ranked(&scores);
        let (max, min) = (scores[ranked[0].index()], scores[ranked[5].index()]);
        let flat = max - min < FLAT_SPREAD;
        if flat {
            return Self {
                scores,
                code: String::new(),
                ambiguous: false,
                flat,
            };
        }
        // A tie among positions 1–4 that reaches the top three changes the code.
        let ambiguous = (0..3).any(|p| scores[ranked[p].index()] == scores[ranked[p + 1].index()]);
        Self {
            scores,
            code: ranked[..3].iter().map(|k| k.letter()).collect(),
            ambiguous,
            flat,
        }
    }

    /// The six types, highest score first, ties in RIASEC order.
    pub fn ranked(&self) -> [Kind; 6] {
        ranked(&self.scores)
    }

    pub fn score(&self, kind: Kind) -> f64 {
        self.scores[kind.index()]
    }
}

fn ranked(scores: &[f64; 6]) -> [Kind; 6] {
    let mut kinds = Kind::ALL;
    // Stable: equal scores keep RIASEC order.
    kinds.sort_by(|a, b| scores[b.index()].total_cmp(&scores[a.index()]));
    kinds
}

impl FamilyProfiles {
    const FIELD: &'static str = "interest_families";

    /// The family profiles shipped in `assets/`, parsed once.
    pub fn builtin() -> &'static FamilyProfiles {
        static BUILTIN: OnceLock<FamilyProfiles> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Self::parse(FAMILIES_TSV, FAMILIES_FILE)
                .expect("the shipped family interest profiles parse (a test checks)")
        })
    }

    /// Nine columns: family, soc_code, soc_title, then the OI values R I A S E C (1–7, not all
    /// equal: a profile needs a shape).
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let header = [
            "family",
            "soc_code",
            "soc_title",
            "R",
            "I",
            "A",
            "S",
            "E",
            "C",
        ];
        let mut families: Vec<FamilyProfile> = Vec::new();
        for (line, columns) in tsv_rows(text, source, Self::FIELD, &header)? {
            let at = format!("{source}:{line}");
            let profile = Self::profile(&columns, &at)?;
            if families.iter().any(|f| f.family == profile.family) {
                return Err(Error::invalid(
                    Self::FIELD,
                    format!("{at}: family '{}' appears twice", profile.family),
                ));
            }
            families.push(profile);
        }
        Ok(Self { families })
    }

    fn profile(columns: &[&str], at: &str) -> Result<FamilyProfile> {
        let invalid = |reason: String| Error::invalid(Self::FIELD, format!("{at}: {reason}"));
        if columns[0].is_empty() {
            return Err(invalid("the family must not be empty".into()));
        }
        let mut scores = [0.0; 6];
        for (kind, (score, text)) in Kind::ALL.iter().zip(scores.iter_mut().zip(&columns[3..])) {
            *score = text
                .parse::<f64>()
                .ok()
                .filter(|v| OI_RANGE.contains(v))
                .ok_or_else(|| {
                    invalid(format!(
                        "{} is '{text}', not a number from 1 to 7",
                        kind.letter()
                    ))
                })?;
        }
        if scores.iter().all(|s| *s == scores[0]) {
            return Err(invalid("the six values are all equal: no profile".into()));
        }
        Ok(FamilyProfile {
            family: columns[0].to_string(),
            soc_code: columns[1].to_string(),
            soc_title: columns[2].to_string(),
            scores,
        })
    }

    /// A family's six OI values.
    pub fn scores(&self, family: &str) -> Option<[f64; 6]> {
        self.families
            .iter()
            .find(|f| f.family == family)
            .map(|f| f.scores)
    }
}

/// Every family's fit with a profile, best first (README §6): suggested when in the top
/// [`SUGGESTED_TOP`] with a positive fit, or at least [`STRONG_FIT`]; weak below [`WEAK_FIT`].
/// A flat profile gets nothing: its fit is undefined or unstable.
pub fn fit(profile: &InterestProfile, families: &FamilyProfiles) -> Vec<FamilyFit> {
    if profile.flat {
        return Vec::new();
    }
    let mut fits: Vec<FamilyFit> = families
        .families
        .iter()
        .map(|f| FamilyFit {
            family: f.family.clone(),
            similarity: centred_cosine(&profile.scores, &f.scores),
            suggested: false,
            weak: false,
        })
        .collect();
    // Stable: equal fits keep file order.
    fits.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    for (rank, f) in fits.iter_mut().enumerate() {
        f.suggested = (rank < SUGGESTED_TOP && f.similarity > 0.0) || f.similarity >= STRONG_FIT;
        f.weak = f.similarity < WEAK_FIT;
    }
    fits
}

/// The cosine of two profiles each centred on its own mean (Pearson r); 0 when either is flat.
fn centred_cosine(a: &[f64; 6], b: &[f64; 6]) -> f64 {
    let centred = |v: &[f64; 6]| {
        let mean = v.iter().sum::<f64>() / 6.0;
        v.map(|x| x - mean)
    };
    let (a, b) = (centred(a), centred(b));
    let dot: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let norms =
        a.iter().map(|x| x * x).sum::<f64>().sqrt() * b.iter().map(|y| y * y).sum::<f64>().sqrt();
    if norms == 0.0 {
        0.0
    } else {
        (dot / norms).clamp(-1.0, 1.0)
    }
}

/// Each job family's mean embedding, from `(family, vector)` per interview question, families
/// in order of first appearance; the general family is left out.
pub fn family_centroids(families_of_questions: &[(String, Vec<f32>)]) -> Vec<(String, Vec<f32>)> {
    let mut sums: Vec<(String, Vec<f64>, usize)> = Vec::new();
    for (family, vector) in families_of_questions {
        if family == GENERAL_FAMILY {
            continue;
        }
        let at = match sums.iter().position(|(f, _, _)| f == family) {
            Some(at) => at,
            None => {
                sums.push((family.clone(), vec![0.0; vector.len()], 0));
                sums.len() - 1
            }
        };
        let (_, sum, count) = &mut sums[at];
        for (s, x) in sum.iter_mut().zip(vector) {
            *s += f64::from(*x);
        }
        *count += 1;
    }
    sums.into_iter()
        .map(|(family, sum, count)| {
            let mean = sum.iter().map(|s| (s / count as f64) as f32).collect();
            (family, mean)
        })
        .collect()
}

/// The family whose centroid is nearest (cosine) to a posting's embedding, and that cosine;
/// `None` when there is no family other than the general one. Ties go to the first.
pub fn nearest_family(vector: &[f32], centroids: &[(String, Vec<f32>)]) -> Option<(String, f32)> {
    let mut best: Option<(&str, f64)> = None;
    for (family, centroid) in centroids {
        if family == GENERAL_FAMILY {
            continue;
        }
        let similarity = cosine(vector, centroid);
        if best.is_none_or(|(_, b)| similarity > b) {
            best = Some((family, similarity));
        }
    }
    best.map(|(family, similarity)| (family.to_string(), similarity as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every builtin item answered by its type: `by_kind` in RIASEC order.
    fn answers_by_kind(by_kind: [u32; 6]) -> Vec<(String, u32)> {
        answers_with(|item| by_kind[item.kind.index()])
    }

    fn answers_with(value: impl Fn(&Item) -> u32) -> Vec<(String, u32)> {
        Inventory::builtin()
            .items
            .iter()
            .map(|item| (item.id.clone(), value(item)))
            .collect()
    }

    fn profile_of(answers: &[(String, u32)]) -> InterestProfile {
        Inventory::builtin().score(answers).expect("valid answers")
    }

    fn fits_of(by_kind: [u32; 6]) -> Vec<FamilyFit> {
        fit(
            &profile_of(&answers_by_kind(by_kind)),
            FamilyProfiles::builtin(),
        )
    }

    fn suggested(fits: &[FamilyFit]) -> Vec<&str> {
        fits.iter()
            .filter(|f| f.suggested)
            .map(|f| f.family.as_str())
            .collect()
    }

    fn similarity_of(fits: &[FamilyFit], family: &str) -> f64 {
        fits.iter()
            .find(|f| f.family == family)
            .map(|f| f.similarity)
            .expect("family present")
    }

    /// The field an invalid-argument error names, and its message.
    fn invalid_field(error: Error) -> (String, String) {
        let message = error.to_string();
        match error {
            Error::InvalidArgument { field, .. } => (field, message),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn the_builtin_inventory_has_48_items_8_per_type() {
        let items = &Inventory::builtin().items;
        assert_eq!(items.len(), 48);
        for kind in Kind::ALL {
            let of_kind: Vec<&Item> = items.iter().filter(|i| i.kind == kind).collect();
            assert_eq!(of_kind.len(), 8, "{kind:?}");
            assert!(of_kind.iter().all(|i| i.id.starts_with(kind.letter())));
        }
        assert_eq!(items[0].id, "R1");
        assert_eq!(items[0].en, "Test the quality of parts before shipment");
        assert_eq!(items[47].id, "C8");
    }

    #[test]
    fn the_builtin_families_are_the_twelve_of_the_question_bank() {
        let families = &FamilyProfiles::builtin().families;
        assert_eq!(families.len(), 12);
        let bank = super::super::interview::QuestionBank::builtin();
        for f in families {
            assert!(
                bank.questions.iter().any(|q| q.family == f.family),
                "{} has no interview questions",
                f.family
            );
        }
        let welding = FamilyProfiles::builtin().scores("welding").unwrap();
        assert_eq!(welding, [7.00, 2.17, 1.50, 1.10, 1.63, 3.78]);
        assert_eq!(FamilyProfiles::builtin().scores("general"), None);
    }

    #[test]
    fn kinds_have_their_letters_and_names() {
        let letters: String = Kind::ALL.iter().map(|k| k.letter()).collect();
        assert_eq!(letters, "RIASEC");
        assert_eq!(Kind::Enterprising.name_ko(), "진취형");
        assert_eq!(Kind::Conventional.name_en(), "Conventional");
        assert_eq!(Kind::from_letter("S"), Some(Kind::Social));
        assert_eq!(Kind::from_letter("s"), None);
        assert_eq!(Kind::from_letter("RI"), None);
    }

    #[test]
    fn inventory_parse_errors_name_the_source_and_line() {
        let header = "# comment\nid\ttype\ten\tko\n";
        let cases = [
            ("R1\tX\tLay brick\t벽돌\n", "test.tsv:3", "type 'X'"),
            (
                "R1\tR\tLay brick\n",
                "test.tsv:3",
                "4 tab-separated columns",
            ),
            ("R1\tR\tLay brick\t\n", "test.tsv:3", "must not be empty"),
            (
                "R1\tR\ta\t가\nR1\tI\tb\t나\n",
                "test.tsv:4",
                "'R1' appears twice",
            ),
            ("R1\tR\ta\t가\n", "test.tsv", "no item of type I"),
            ("", "test.tsv", "no rows"),
        ];
        for (rows, at, says) in cases {
            let (field, message) = invalid_field(
                Inventory::parse(&format!("{header}{rows}"), "test.tsv").unwrap_err(),
            );
            assert_eq!(field, "interest_inventory");
            assert!(message.contains(at) && message.contains(says), "{message}");
        }
    }

    #[test]
    fn family_parse_errors_name_the_source_and_line() {
        let header = "family\tsoc_code\tsoc_title\tR\tI\tA\tS\tE\tC\n";
        let cases = [
            ("w\t1\tW\t7\t2\t1\t1\t1\tx\n", "f.tsv:2", "C is 'x'"),
            ("w\t1\tW\t7.5\t2\t1\t1\t1\t3\n", "f.tsv:2", "R is '7.5'"),
            ("w\t1\tW\t3\t3\t3\t3\t3\t3\n", "f.tsv:2", "all equal"),
            (
                "w\t1\tW\t7\t2\t1\t1\t1\t3\nw\t1\tW\t7\t2\t1\t1\t1\t3\n",
                "f.tsv:3",
                "twice",
            ),
            (
                "w\t1\tW\t7\t2\t1\t1\t1\n",
                "f.tsv:2",
                "9 tab-separated columns",
            ),
        ];
        for (rows, at, says) in cases {
            let (field, message) = invalid_field(
                FamilyProfiles::parse(&format!("{header}{rows}"), "f.tsv").unwrap_err(),
            );
            assert_eq!(field, "interest_families");
            assert!(message.contains(at) && message.contains(says), "{message}");
        }
    }

    #[test]
    fn an_unknown_or_repeated_item_names_its_item_id() {
        let mut answers = answers_by_kind([3; 6]);
        answers[3].0 = "Z9".into();
        let (field, message) = invalid_field(Inventory::builtin().score(&answers).unwrap_err());
        assert_eq!(field, "answers[3].item_id");
        assert!(message.contains("Z9"), "{message}");

        let mut answers = answers_by_kind([3; 6]);
        answers.push(("I2".into(), 4));
        let (field, message) = invalid_field(Inventory::builtin().score(&answers).unwrap_err());
        assert_eq!(field, "answers[48].item_id");
        assert!(message.contains("answers[9]"), "{message}");
    }

    #[test]
    fn a_value_outside_one_to_five_names_its_value() {
        for bad in [0, 6, 100] {
            let mut answers = answers_by_kind([3; 6]);
            answers[7].1 = bad;
            let (field, message) = invalid_field(Inventory::builtin().score(&answers).unwrap_err());
            assert_eq!(field, "answers[7].value");
            assert!(message.contains(&bad.to_string()), "{message}");
        }
    }

    #[test]
    fn missing_items_are_counted_and_the_first_named() {
        let answers = answers_by_kind([3; 6]);
        let (field, message) =
            invalid_field(Inventory::builtin().score(&answers[7..]).unwrap_err());
        assert_eq!(field, "answers");
        assert!(message.contains("7 of the 48"), "{message}");
        assert!(message.contains("R1, R2, R3, R4, R5, …"), "{message}");
        assert!(!message.contains("R6"), "{message}");

        let (field, message) = invalid_field(Inventory::builtin().score(&[]).unwrap_err());
        assert_eq!(field, "answers");
        assert!(message.contains("48 of the 48"), "{message}");
    }

    #[test]
    fn answers_in_any_order_give_the_same_profile() {
        let mut answers = answers_with(|item| if item.kind == Kind::Social { 5 } else { 2 });
        let forward = profile_of(&answers);
        answers.reverse();
        assert_eq!(profile_of(&answers), forward);
    }

    #[test]
    fn all_realistic_high_leads_to_the_production_trades() {
        let profile = profile_of(&answers_by_kind([5, 2, 2, 2, 2, 2]));
        assert_eq!(profile.scores, [5.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
        assert_eq!(profile.code, "RIA");
        assert!(profile.ambiguous && !profile.flat);

        let fits = fits_of([5, 2, 2, 2, 2, 2]);
        assert_eq!(fits[0].family, "welding");
        assert_close(fits[0].similarity, 0.9077, 1e-4);
        assert_eq!(
            suggested(&fits),
            ["welding", "electrical", "machining", "food_production"]
        );
        assert_eq!(fits.last().unwrap().family, "accounting");
        assert!(fits.iter().all(|f| f.weak == (f.similarity < 0.5)));
    }

    #[test]
    fn all_conventional_high_puts_accounting_first() {
        let fits = fits_of([2, 2, 2, 2, 2, 5]);
        assert_eq!(fits[0].family, "accounting");
        assert_close(fits[0].similarity, 0.9561, 1e-4);
        assert_eq!(
            suggested(&fits),
            ["accounting", "quality_control", "software"]
        );
        // quality_control (0.53) and software (0.52) are suggested and not weak; logistics (0.44) is weak.
        assert!(!fits[2].weak && fits[3].weak && !fits[3].suggested);
    }

    #[test]
    fn a_top_three_family_needs_a_positive_fit_and_low_ones_are_weak() {
        let fits = fits_of([2, 2, 2, 5, 5, 2]);
        assert_eq!(suggested(&fits), ["sales_service", "nursing_care"]);
        assert!(fits[..2].iter().all(|f| f.weak));
        assert_eq!(fits[2].family, "accounting");
        assert!(fits[2].similarity < 0.0 && !fits[2].suggested);
    }

    #[test]
    fn a_fit_of_at_least_0_80_is_suggested_at_any_rank() {
        // README §7 "mixed": food_production (0.7999) and welding (0.797) fall just short.
        let fits = fits_of([4, 3, 1, 2, 2, 4]);
        assert_eq!(
            suggested(&fits),
            [
                "quality_control",
                "electronics",
                "electrical",
                "machining",
                "logistics"
            ]
        );
        assert_close(similarity_of(&fits, "food_production"), 0.7999, 1e-4);
        assert!(similarity_of(&fits, "food_production") < STRONG_FIT);
    }

    #[test]
    fn all_threes_is_flat_and_suggests_nothing() {
        let profile = profile_of(&answers_by_kind([3; 6]));
        assert!(profile.flat && !profile.ambiguous);
        assert_eq!(profile.code, "");
        assert!(fit(&profile, FamilyProfiles::builtin()).is_empty());
    }

    #[test]
    fn a_spread_below_half_a_point_is_flat() {
        // README §7 "near-flat": R1 = 5, C8 = 4, the rest 3: R 3.25, C 3.125.
        let answers = answers_with(|item| match item.id.as_str() {
            "R1" => 5,
            "C8" => 4,
            _ => 3,
        });
        let profile = profile_of(&answers);
        assert_close(profile.score(Kind::Realistic), 3.25, 1e-12);
        assert!(profile.flat && profile.code.is_empty());
        // Four answer steps on one type make a spread of exactly 0.5: not flat.
        let answers = answers_with(|item| match item.id.as_str() {
            "R1" | "R2" | "R3" | "R4" => 4,
            _ => 3,
        });
        let profile = profile_of(&answers);
        assert!(!profile.flat);
        assert_eq!(profile.code, "RIA");
    }

    #[test]
    fn ties_follow_riasec_order_and_mark_the_code_ambiguous_only_when_it_matters() {
        let code = |scores: [f64; 6]| {
            let p = InterestProfile::from_scores(scores);
            (p.code, p.ambiguous)
        };
        assert_eq!(code([4.0, 3.0, 1.0, 2.0, 2.0, 4.0]), ("RCI".into(), true));
        assert_eq!(code([2.0, 2.0, 2.0, 5.0, 5.0, 2.0]), ("SER".into(), true));
        // Third and fourth tie: the third letter depends on the order.
        assert_eq!(code([5.0, 4.0, 3.0, 3.0, 2.0, 1.0]), ("RIA".into(), true));
        // Fourth and fifth tie: the code is the same under any order.
        assert_eq!(code([5.0, 4.0, 3.0, 2.0, 2.0, 1.0]), ("RIA".into(), false));
        assert_eq!(code([1.0, 2.0, 3.0, 4.0, 5.0, 4.5]), ("ECS".into(), false));
        let p = InterestProfile::from_scores([1.0, 2.0, 3.0, 4.0, 5.0, 4.5]);
        assert_eq!(p.ranked()[5], Kind::Realistic);
    }

    #[test]
    fn a_profile_survives_json() {
        let profile = profile_of(&answers_by_kind([4, 3, 1, 2, 2, 4]));
        let json = serde_json::to_string(&profile).unwrap();
        assert!(json.contains("\"code\":\"RCI\""), "{json}");
        let back: InterestProfile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, profile);
    }

    #[test]
    fn centroids_are_family_means_without_the_general_family() {
        let questions = vec![
            ("welding".to_string(), vec![1.0, 0.0]),
            ("general".to_string(), vec![0.0, 9.0]),
            ("software".to_string(), vec![0.0, 1.0]),
            ("welding".to_string(), vec![0.0, 1.0]),
        ];
        let centroids = family_centroids(&questions);
        assert_eq!(
            centroids,
            vec![
                ("welding".to_string(), vec![0.5, 0.5]),
                ("software".to_string(), vec![0.0, 1.0]),
            ]
        );
        let (family, similarity) = nearest_family(&[0.1, 1.0], &centroids).unwrap();
        assert_eq!(family, "software");
        assert!(similarity > 0.99 && similarity <= 1.0);
        assert_eq!(
            nearest_family(&[1.0, 0.9], &centroids).unwrap().0,
            "welding"
        );
    }

    #[test]
    fn the_general_family_is_never_nearest() {
        let centroids = vec![
            ("general".to_string(), vec![1.0, 0.0]),
            ("welding".to_string(), vec![0.0, 1.0]),
        ];
        assert_eq!(
            nearest_family(&[1.0, 0.0], &centroids).unwrap().0,
            "welding"
        );
        assert_eq!(nearest_family(&[1.0, 0.0], &centroids[..1]), None);
        assert_eq!(nearest_family(&[1.0, 0.0], &[]), None);
    }

    fn sheet(values: &[u32]) -> Vec<(String, u32)> {
        Inventory::builtin()
            .items
            .iter()
            .zip(values)
            .map(|(item, value)| (item.id.clone(), *value))
            .collect()
    }

    proptest! {
        #[test]
        fn scores_stay_within_one_and_five(values in prop::collection::vec(1u32..=5, 48)) {
            let profile = profile_of(&sheet(&values));
            for score in profile.scores {
                prop_assert!((1.0..=5.0).contains(&score), "{score}");
            }
            prop_assert_eq!(profile.code.len(), if profile.flat { 0 } else { 3 });
        }

        #[test]
        fn similarity_stays_within_minus_one_and_one(values in prop::collection::vec(1u32..=5, 48)) {
            let fits = fit(&profile_of(&sheet(&values)), FamilyProfiles::builtin());
            for f in &fits {
                prop_assert!(f.similarity.abs() <= 1.0 + 1e-9, "{}", f.similarity);
            }
            prop_assert!(fits.windows(2).all(|w| w[0].similarity >= w[1].similarity));
        }

        /// Centring: answering every item a constant higher changes no family's fit or rank.
        #[test]
        fn a_constant_shift_keeps_the_ranking(
            offsets in prop::collection::vec(0u32..=2, 48), low in 1u32..=3, high in 1u32..=3,
        ) {
            let at = |base: u32| {
                let values: Vec<u32> = offsets.iter().map(|o| o + base).collect();
                fit(&profile_of(&sheet(&values)), FamilyProfiles::builtin())
            };
            let (lower, higher) = (at(low), at(high));
            prop_assert_eq!(lower.len(), higher.len());
            for (a, b) in lower.iter().zip(&higher) {
                prop_assert!((a.similarity - similarity_of(&higher, &a.family)).abs() <= 1e-9);
                prop_assert!(a.family == b.family || (a.similarity - b.similarity).abs() <= 1e-9);
                prop_assert_eq!(a.suggested, b.suggested);
            }
        }
    }
}
