//! Words, for the lexical half of hybrid retrieval: a Korean-aware analyser and the BM25 sparse
//! vectors it makes.
//!
//! Korean attaches particles and endings to words: a seeker writes "용접기능사를 취득했습니다"
//! where a posting writes "용접기능사 우대". Splitting on spaces would make those different
//! words. Text is normalised (NFKC, lower case) and cut into runs of Hangul and runs of other
//! letters and digits ("Python으로" → "python", "으로"); Latin words and numbers are tokens as they
//! are, and a Hangul run becomes tokens by one of three [`Analyser`]s (compared on the labelled
//! set in `BENCHMARKS.md`):
//! - [`Analyser::Bigrams`]: overlapping syllable bigrams ("용접기능사를" → 용접 접기 기능 능사 사를),
//!   so a particle costs one bigram and compounds match in part;
//! - [`Analyser::Stems`]: the run with a known particle or ending stripped ("용접기능사를" →
//!   "용접기능사", "취득했습니다" → "취득"), a light rule-based stemmer;
//! - both at once, [`Analyser::StemsAndBigrams`].
//!
//! A morphological analyser with a dictionary was the other candidate; `lindera-ko-dic` (the one
//! Korean dictionary crate for Rust) downloads mecab-ko-dic in its build script, which these machines
//! cannot do, so it could not be compared.
//!
//! Documents get BM25 term-frequency weights; queries their saturated term frequency. The store
//! multiplies both by the term's IDF over the stored collection (Qdrant's `Idf` modifier), so IDF
//! follows the corpus as documents arrive and leave.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

/// BM25's term-frequency saturation.
pub const BM25_K1: f64 = 1.2;
/// BM25's length normalisation (0: none, 1: full).
pub const BM25_B: f64 = 0.75;
/// Typical document length in tokens, for BM25's length normalisation. A constant, not the live
/// average, so a stored weight never needs rewriting when the corpus changes; the IDF part does
/// follow the corpus.
pub const AVERAGE_DOCUMENT_TOKENS: f64 = 120.0;

/// Particles (josa) and endings (eomi, copulas, 하다-forms) stripped by [`Analyser::Stems`], longest
/// first so "에서는" wins over "는".
const SUFFIXES: &[&str] = &[
    "하였습니다",
    "했었습니다",
    "되었습니다",
    "하겠습니다",
    "했습니다",
    "합니다",
    "입니다",
    "습니다",
    "됩니다",
    "있습니다",
    "없습니다",
    "였습니다",
    "으로써",
    "으로서",
    "에서는",
    "에게서",
    "으로는",
    "이라고",
    "이라는",
    "까지는",
    "부터는",
    "에서도",
    "하였고",
    "했으며",
    "하면서",
    "했으나",
    "하였으며",
    "이었고",
    "이었으며",
    "에서",
    "에게",
    "한테",
    "께서",
    "까지",
    "부터",
    "으로",
    "처럼",
    "보다",
    "이나",
    "이랑",
    "라는",
    "라고",
    "하고",
    "하며",
    "해서",
    "했고",
    "했던",
    "하는",
    "하여",
    "되는",
    "되어",
    "이며",
    "이고",
    "이다",
    "했음",
    "하기",
    "에는",
    "에도",
    "과는",
    "와는",
    "으로의",
    "에의",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "함",
    "임",
    "한",
    "할",
    "된",
    "됨",
    "며",
    "고",
];

/// Syllables a stem keeps at least: "기사" must not lose its "사", nor "경력" anything.
const MIN_STEM_SYLLABLES: usize = 2;

/// How Hangul runs become tokens (Latin words and numbers are the same in all). Its names
/// (`--analyser`, and recorded with the stored vectors) are [`Analyser::name`]'s; clap parses
/// them, and `value_variants()` lists every analyser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Analyser {
    #[value(name = Analyser::Bigrams.name())]
    Bigrams,
    #[value(name = Analyser::Stems.name())]
    Stems,
    #[value(name = Analyser::StemsAndBigrams.name())]
    StemsAndBigrams,
}

impl Analyser {
    pub const fn name(self) -> &'static str {
        match self {
            Analyser::Bigrams => "bigrams",
            Analyser::Stems => "stems",
            Analyser::StemsAndBigrams => "stems+bigrams",
        }
    }

    /// The tokens of `text`, in order, repeats kept (they are term frequencies).
    pub fn tokens(self, text: &str) -> Vec<String> {
        let normalised: String = text.nfkc().flat_map(char::to_lowercase).collect();
        let mut tokens = Vec::new();
        for run in runs(&normalised) {
            match run {
                Run::Hangul(syllables) => self.hangul_tokens(&syllables, &mut tokens),
                Run::Word(word) => tokens.push(word),
            }
        }
        tokens
    }

    fn hangul_tokens(self, syllables: &[char], out: &mut Vec<String>) {
        if matches!(self, Analyser::Stems | Analyser::StemsAndBigrams) {
            out.push(stem(syllables).iter().collect());
        }
        if matches!(self, Analyser::Bigrams | Analyser::StemsAndBigrams) {
            if syllables.len() == 1 {
                if self == Analyser::Bigrams {
                    out.push(syllables[0].to_string());
                }
            } else {
                out.extend(syllables.windows(2).map(|pair| pair.iter().collect()));
            }
        }
    }

    /// A document's sparse vector: BM25 term-frequency weights (the store adds IDF).
    pub fn document_vector(self, text: &str) -> SparseTerms {
        let tokens = self.tokens(text);
        let length = tokens.len() as f64;
        let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
        for token in &tokens {
            *counts.entry(term_id(token)).or_insert(0.0) += 1.0;
        }
        let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * length / AVERAGE_DOCUMENT_TOKENS);
        let (indices, values) = counts
            .into_iter()
            .map(|(id, tf)| (id, (tf * (BM25_K1 + 1.0) / (tf + norm)) as f32))
            .unzip();
        SparseTerms { indices, values }
    }

    /// A query's sparse vector: each distinct term once, weighted by its saturated frequency in
    /// the text (`tf · (k1 + 1) / (tf + k1)`: 1 for a word said once, up to 2.2 for one a long
    /// resume keeps repeating); the store adds IDF. A long text's subject is what it repeats, so
    /// its repeated words count for more than its one-off ones.
    pub fn query_vector(self, text: &str) -> SparseTerms {
        let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
        for token in self.tokens(text) {
            *counts.entry(term_id(&token)).or_insert(0.0) += 1.0;
        }
        let (indices, values) = counts
            .into_iter()
            .map(|(id, tf)| (id, query_term_weight(tf) as f32))
            .unzip();
        SparseTerms { indices, values }
    }
}

/// A query term's weight for `tf` occurrences: BM25's saturation without length normalisation.
pub fn query_term_weight(tf: f64) -> f64 {
    tf * (BM25_K1 + 1.0) / (tf + BM25_K1)
}

impl Default for Analyser {
    /// The analyser that ranked best on the project's labelled set (see `BENCHMARKS.md`).
    fn default() -> Self {
        Analyser::StemsAndBigrams
    }
}

impl std::fmt::Display for Analyser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A sparse vector: sorted, distinct term ids and their weights.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseTerms {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl SparseTerms {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// Σ over shared terms of `self · other · idf(term)`; `idf` of an unknown term is 0.
    pub fn weighted_dot(&self, other: &SparseTerms, idf: impl Fn(u32) -> f64) -> f64 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.indices.len() && j < other.indices.len() {
            match self.indices[i].cmp(&other.indices[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += f64::from(self.values[i])
                        * f64::from(other.values[j])
                        * idf(self.indices[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// A token's id: 32-bit FNV-1a of its UTF-8 bytes. Stable across versions and machines (stored
/// vectors depend on it); collisions among a collection's few hundred thousand terms are rare
/// and only merge two terms' counts.
pub fn term_id(token: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in token.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

enum Run {
    Hangul(Vec<char>),
    Word(String),
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Splits normalised text into Hangul runs and runs of other letters or digits.
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut hangul: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_hangul = |hangul: &mut Vec<char>, out: &mut Vec<Run>| {
        if !hangul.is_empty() {
            out.push(Run::Hangul(std::mem::take(hangul)));
        }
    };
    let flush_word = |word: &mut String, out: &mut Vec<Run>| {
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if is_hangul_syllable(c) {
            flush_word(&mut word, &mut out);
            hangul.push(c);
        } else if c.is_alphanumeric() {
            flush_hangul(&mut hangul, &mut out);
            word.push(c);
        } else {
            flush_hangul(&mut hangul, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_hangul(&mut hangul, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// Whether `rest` is a known particle or ending (josa, eomi), e.g. "를" after "용접기능사".
pub fn is_particle_or_ending(rest: &str) -> bool {
    SUFFIXES.contains(&rest)
}

/// The run without its longest known particle or ending, if at least [`MIN_STEM_SYLLABLES`] remain.
fn stem(syllables: &[char]) -> &[char] {
    for suffix in SUFFIXES {
        let n = suffix.chars().count();
        if syllables.len() >= n + MIN_STEM_SYLLABLES
            && syllables[syllables.len() - n..]
                .iter()
                .copied()
                .eq(suffix.chars())
        {
            return &syllables[..syllables.len() - n];
        }
    }
    syllables
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;
    use proptest::prelude::*;

    fn shared(a: &SparseTerms, b: &SparseTerms) -> usize {
        a.indices.iter().filter(|i| b.indices.contains(i)).count()
    }

    #[test]
    fn each_analyser_is_known_by_its_one_name() {
        let named: Vec<(&str, Analyser)> = ["bigrams", "stems", "stems+bigrams"]
            .into_iter()
            .map(|name| (name, Analyser::from_str(name, false).unwrap()))
            .collect();
        assert_eq!(
            named,
            [
                ("bigrams", Analyser::Bigrams),
                ("stems", Analyser::Stems),
                ("stems+bigrams", Analyser::StemsAndBigrams)
            ]
        );
        for (name, analyser) in named {
            assert_eq!(analyser.name(), name);
            assert_eq!(analyser.to_string(), name);
        }
        assert!(Analyser::from_str("stems-and-bigrams", false).is_err());
        assert_eq!(Analyser::value_variants().len(), 3);
    }

    #[test]
    fn particles_do_not_split_a_certificate_name() {
        for &analyser in Analyser::value_variants() {
            let query = analyser.query_vector("용접기능사");
            for written in [
                "용접기능사를 취득했습니다",
                "용접기능사 우대",
                "용접기능사가 필요",
            ] {
                let doc = analyser.document_vector(written);
                assert_eq!(
                    shared(&query, &doc),
                    query.indices.len(),
                    "{analyser}: every term of the query is in '{written}'"
                );
            }
        }
        assert_eq!(
            Analyser::Stems.tokens("용접기능사를 취득했습니다"),
            ["용접기능사", "취득"]
        );
        assert_eq!(
            Analyser::Bigrams.tokens("용접기능사를"),
            ["용접", "접기", "기능", "능사", "사를"]
        );
    }

    #[test]
    fn latin_words_numbers_and_full_width_forms_are_normalised() {
        let tokens = Analyser::Stems.tokens("Python으로 ＣＮＣ 2교대, MCT-3축");
        assert_eq!(
            tokens,
            ["python", "으로", "cnc", "2", "교대", "mct", "3", "축"]
        );
    }

    #[test]
    fn short_words_keep_their_last_syllable() {
        // "기사" ends like the particle "사"-less list, "경력" must stay whole.
        assert_eq!(
            Analyser::Stems.tokens("기사 경력 회사는"),
            ["기사", "경력", "회사"]
        );
    }

    #[test]
    fn bm25_weights_saturate_and_queries_weigh_repeated_terms_more_but_bounded() {
        let once = Analyser::Stems.document_vector("용접");
        let thrice = Analyser::Stems.document_vector("용접 용접 용접");
        assert!(thrice.values[0] > once.values[0]);
        assert!(f64::from(thrice.values[0]) < BM25_K1 + 1.0);
        let query = Analyser::Stems.query_vector("용접 용접 cnc");
        assert_eq!(query.indices.len(), 2);
        let weight_of = |word: &str| {
            let id = term_id(word);
            let at = query.indices.iter().position(|&i| i == id).unwrap();
            f64::from(query.values[at])
        };
        assert!(
            (weight_of("cnc") - 1.0).abs() < 1e-6,
            "a word said once weighs 1"
        );
        assert!((weight_of("용접") - query_term_weight(2.0)).abs() < 1e-6);
        assert!(weight_of("용접") > 1.0 && query_term_weight(1e6) < BM25_K1 + 1.0 + 1e-9);
    }

    #[test]
    fn weighted_dot_counts_shared_terms_only() {
        let a = SparseTerms {
            indices: vec![1, 3, 5],
            values: vec![1.0, 1.0, 1.0],
        };
        let b = SparseTerms {
            indices: vec![3, 4, 5],
            values: vec![0.5, 9.0, 2.0],
        };
        let dot = a.weighted_dot(&b, |id| if id == 5 { 2.0 } else { 1.0 });
        assert!((dot - (0.5 + 4.0)).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn vectors_are_sorted_distinct_and_positive(text in "\\PC{0,200}") {
            for &analyser in Analyser::value_variants() {
                for vector in [analyser.document_vector(&text), analyser.query_vector(&text)] {
                    prop_assert_eq!(vector.indices.len(), vector.values.len());
                    prop_assert!(vector.indices.windows(2).all(|w| w[0] < w[1]));
                    prop_assert!(vector.values.iter().all(|v| v.is_finite() && *v > 0.0));
                }
            }
        }

        #[test]
        fn a_particle_changes_at_most_one_stem(stem in "[가-힣]{2,6}", particle in "(을|를|이|가|은|는|에서|으로)") {
            let bare = Analyser::StemsAndBigrams.query_vector(&stem);
            let attached = Analyser::StemsAndBigrams.document_vector(&format!("{stem}{particle}"));
            // The bigrams of the bare word all survive the particle.
            let bigrams = Analyser::Bigrams.query_vector(&stem);
            prop_assert_eq!(shared(&bigrams, &attached), bigrams.indices.len());
            prop_assert!(shared(&bare, &attached) >= bigrams.indices.len());
        }
    }
}
