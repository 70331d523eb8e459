//! Offline evaluation: how well a model (with given fusion weights) ranks postings for seekers,
//! on labelled pairs, through the same path the server uses (embedding, store query, geo fusion).
//!
//! Qrels are `seeker_id<TAB>posting_id<TAB>grade` (0–3; unlisted pairs are 0). Metrics per
//! seeker with at least one relevant posting (grade ≥ 1), then averaged:
//! - nDCG@10 with gain `2^grade − 1` and discount `log2(rank + 1)`, ideal from all the seeker's labels;
//! - Recall@10 / Recall@50: the share of the seeker's relevant postings in the top 10 / 50;
//! - MRR: `1 / rank` of the first relevant posting in the top 50 (0 when none).
//!
//! Intervals are percentile bootstraps over seekers (1,000 resamples, fixed seed, so a run is
//! repeatable); `--compare` bootstraps the per-seeker differences (paired).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::StoreConfig;
use crate::domain::{Posting, Seeker};
use crate::embed::BatchingConfig;
use crate::error::{io_err, Error, Result};
use crate::lexical::Analyser;
use crate::matching::RankingRequest;
use crate::matching::{Matcher, RankingSettings};
use crate::ranking::{CommutePolicy, DistanceScale, FusionMode, FusionParams};
use crate::server::open_matcher;

/// Deepest rank any metric looks at.
pub const DEPTH: usize = 50;
const RESAMPLES: usize = 1000;
const SEED: u64 = 0x6a6f_626d_6174_6368;

/// Graded labels by seeker, then posting.
#[derive(Debug, Clone, Default)]
pub struct Qrels {
    pub by_seeker: BTreeMap<String, HashMap<String, u8>>,
}

/// Reads a qrels file; every id must name a record of the evaluated files.
pub fn read_qrels(
    path: &Path,
    seeker_ids: &HashSet<&str>,
    posting_ids: &HashSet<&str>,
) -> Result<Qrels> {
    let text = std::fs::read(path).map_err(io_err("read", path))?;
    let text = String::from_utf8(text).map_err(|e| {
        Error::invalid(path.display().to_string(), format!("not valid UTF-8 ({e})"))
    })?;
    parse_qrels(&text, &path.display().to_string(), seeker_ids, posting_ids)
}

fn parse_qrels(
    text: &str,
    source: &str,
    seeker_ids: &HashSet<&str>,
    posting_ids: &HashSet<&str>,
) -> Result<Qrels> {
    let mut qrels = Qrels::default();
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{source}:{}", n + 1);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let [seeker, posting, grade] = columns[..] else {
            return Err(Error::invalid(
                at(),
                format!(
                    "expected seeker_id<TAB>posting_id<TAB>grade, got {} column(s)",
                    columns.len()
                ),
            ));
        };
        if !seeker_ids.contains(seeker) {
            return Err(Error::invalid(
                at(),
                format!("seeker '{seeker}' is not in the seekers file"),
            ));
        }
        if !posting_ids.contains(posting) {
            return Err(Error::invalid(
                at(),
                format!("posting '{posting}' is not in the postings file"),
            ));
        }
        let grade: u8 = match grade.trim().parse() {
            Ok(g) if g <= 3 => g,
            _ => {
                return Err(Error::invalid(
                    at(),
                    format!("grade '{grade}' is not an integer from 0 to 3"),
                ))
            }
        };
        let previous = qrels
            .by_seeker
            .entry(seeker.to_string())
            .or_default()
            .insert(posting.to_string(), grade);
        if previous.is_some() {
            return Err(Error::invalid(
                at(),
                format!("the pair ({seeker}, {posting}) is labelled twice"),
            ));
        }
    }
    if qrels.relevant_seekers().next().is_none() {
        return Err(Error::invalid(
            source,
            "no seeker has a posting of grade ≥ 1: nothing to evaluate",
        ));
    }
    Ok(qrels)
}

impl Qrels {
    /// Seekers with at least one relevant posting: the ones metrics are averaged over.
    pub fn relevant_seekers(&self) -> impl Iterator<Item = (&String, &HashMap<String, u8>)> {
        self.by_seeker
            .iter()
            .filter(|(_, labels)| labels.values().any(|&g| g > 0))
    }
}

/// Which labelled seekers an evaluation averages over. Seekers fall into two fixed halves by a
/// hash of their id, so tuning (on `train`) never sees the seekers it is reported on
/// (`held-out`). Its names (`--split`, the report's `split`) are [`Split::name`]'s; clap parses
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    #[value(name = Split::Train.name())]
    Train,
    #[value(name = Split::HeldOut.name())]
    HeldOut,
    #[value(name = Split::All.name())]
    All,
}

impl Split {
    pub const fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::HeldOut => "held-out",
            Split::All => "all",
        }
    }

    /// Whether `seeker_id` belongs to this split.
    pub fn contains(self, seeker_id: &str) -> bool {
        let train = crate::lexical::term_id(seeker_id).is_multiple_of(2);
        match self {
            Split::Train => train,
            Split::HeldOut => !train,
            Split::All => true,
        }
    }
}

impl Qrels {
    /// The labels of the seekers in `split`.
    pub fn split(&self, split: Split) -> Qrels {
        Qrels {
            by_seeker: self
                .by_seeker
                .iter()
                .filter(|(seeker, _)| split.contains(seeker))
                .map(|(seeker, labels)| (seeker.clone(), labels.clone()))
                .collect(),
        }
    }
}

/// TF-IDF over character 2- and 3-grams (sklearn's `TfidfVectorizer(analyzer="char",
/// ngram_range=(2, 3))`: smooth IDF, L2-normalised): a reference ranker that needs no model.
pub struct CharTfIdf {
    idf: HashMap<String, f64>,
    postings: Vec<HashMap<String, f64>>,
}

fn char_grams(text: &str) -> HashMap<String, f64> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let mut counts = HashMap::new();
    for n in 2..=3 {
        for gram in chars.windows(n) {
            *counts.entry(gram.iter().collect::<String>()).or_insert(0.0) += 1.0;
        }
    }
    counts
}

impl CharTfIdf {
    /// Fits the IDF on `postings` (the documents ranked).
    pub fn fit(postings: &[String]) -> Self {
        let grams: Vec<HashMap<String, f64>> = postings.iter().map(|t| char_grams(t)).collect();
        let mut df: HashMap<String, f64> = HashMap::new();
        for doc in &grams {
            for gram in doc.keys() {
                *df.entry(gram.clone()).or_insert(0.0) += 1.0;
            }
        }
        let n = grams.len() as f64;
        let idf: HashMap<String, f64> = df
            .into_iter()
            .map(|(gram, df)| (gram, ((1.0 + n) / (1.0 + df)).ln() + 1.0))
            .collect();
        let mut model = CharTfIdf {
            idf,
            postings: Vec::new(),
        };
        model.postings = grams.into_iter().map(|g| model.weigh(g)).collect();
        model
    }

    fn weigh(&self, counts: HashMap<String, f64>) -> HashMap<String, f64> {
        let mut weighted: HashMap<String, f64> = counts
            .into_iter()
            .filter_map(|(gram, tf)| self.idf.get(&gram).map(|idf| (gram, tf * idf)))
            .collect();
        let norm = weighted.values().map(|w| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            weighted.values_mut().for_each(|w| *w /= norm);
        }
        weighted
    }

    /// Cosine of `query` with every posting, in the order given to [`CharTfIdf::fit`].
    pub fn scores(&self, query: &str) -> Vec<f64> {
        let q = self.weigh(char_grams(query));
        self.postings
            .iter()
            .map(|doc| {
                q.iter()
                    .map(|(g, w)| w * doc.get(g).copied().unwrap_or(0.0))
                    .sum()
            })
            .collect()
    }
}

/// The reference rankers that need no model, scored on `qrels`: distance only; TF-IDF
/// character 2–3-grams; and TF-IDF × `exp(−0.5 · km / max_commute_km)`. None filters by commute.
pub fn reference_rankers(set: &EvalSet, qrels: &Qrels) -> Vec<(&'static str, Vec<QueryMetrics>)> {
    let texts: Vec<String> = set.postings.iter().map(|p| p.embedding_text()).collect();
    let tfidf = CharTfIdf::fit(&texts);
    let seekers: HashMap<&str, &Seeker> = set.seekers.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut rows: Vec<(&'static str, Vec<QueryMetrics>)> = vec![
        ("distance only", Vec::new()),
        ("TF-IDF char 2-3", Vec::new()),
        ("TF-IDF char 2-3 × commute decay", Vec::new()),
    ];
    for (seeker_id, labels) in qrels.relevant_seekers() {
        let Some(seeker) = seekers.get(seeker_id.as_str()) else {
            continue;
        };
        let distances: Vec<f64> = set
            .postings
            .iter()
            .map(|p| crate::ranking::haversine_km(seeker.home.point, p.place.point))
            .collect();
        let words = tfidf.scores(&seeker.embedding_text());
        let commute = seeker.max_commute_km.filter(|km| *km > 0.0).unwrap_or(50.0);
        let ranked = |score: &dyn Fn(usize) -> f64| {
            let mut order: Vec<usize> = (0..set.postings.len()).collect();
            order.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
            let ids: Vec<String> = order
                .into_iter()
                .take(DEPTH)
                .map(|i| set.postings[i].id.clone())
                .collect();
            score_ranking(&ids, labels)
        };
        rows[0].1.push(ranked(&|i| -distances[i]));
        rows[1].1.push(ranked(&|i| words[i]));
        rows[2].1.push(ranked(&|i| {
            words[i] * (-0.5 * distances[i] / commute).exp()
        }));
    }
    rows
}

/// One seeker's metrics.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct QueryMetrics {
    pub ndcg_at_10: f64,
    pub recall_at_10: f64,
    pub recall_at_50: f64,
    pub mrr: f64,
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades
        .enumerate()
        .map(|(i, g)| gain(g) / ((i + 2) as f64).log2())
        .sum()
}

/// Metrics of one ranked list (best first) against one seeker's labels.
pub fn score_ranking(ranked: &[String], labels: &HashMap<String, u8>) -> QueryMetrics {
    let grade_of = |id: &String| labels.get(id).copied().unwrap_or(0);
    let mut ideal: Vec<u8> = labels.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg = dcg(ideal.iter().copied().take(10));
    let ndcg = if ideal_dcg > 0.0 {
        dcg(ranked.iter().take(10).map(grade_of)) / ideal_dcg
    } else {
        0.0
    };
    let relevant = ideal.len();
    let found = |k: usize| ranked.iter().take(k).filter(|id| grade_of(id) > 0).count();
    let recall = |k: usize| {
        if relevant == 0 {
            0.0
        } else {
            found(k) as f64 / relevant as f64
        }
    };
    let mrr = ranked
        .iter()
        .take(DEPTH)
        .position(|id| grade_of(id) > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    QueryMetrics {
        ndcg_at_10: ndcg,
        recall_at_10: recall(10),
        recall_at_50: recall(DEPTH),
        mrr,
    }
}

/// A mean with its bootstrap 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

use crate::rng::SplitMix;

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// The mean of `values` and the 2.5th / 97.5th percentiles of resampled means.
pub fn bootstrap(values: &[f64]) -> Estimate {
    let m = mean(values);
    if values.len() < 2 {
        return Estimate {
            mean: m,
            low: m,
            high: m,
        };
    }
    let mut rng = SplitMix(SEED);
    let mut means: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            (0..values.len())
                .map(|_| values[rng.below(values.len())])
                .sum::<f64>()
                / values.len() as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    Estimate {
        mean: m,
        low: at(0.025),
        high: at(0.975),
    }
}

/// Averages of every metric with intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub ndcg_at_10: Estimate,
    pub recall_at_10: Estimate,
    pub recall_at_50: Estimate,
    pub mrr: Estimate,
}

fn column(per_seeker: &[QueryMetrics], metric: fn(&QueryMetrics) -> f64) -> Vec<f64> {
    per_seeker.iter().map(metric).collect()
}

/// A metric's name and how to read it from one query's figures.
type Metric = (&'static str, fn(&QueryMetrics) -> f64);

const METRICS: [Metric; 4] = [
    ("nDCG@10", |m| m.ndcg_at_10),
    ("Recall@10", |m| m.recall_at_10),
    ("Recall@50", |m| m.recall_at_50),
    ("MRR", |m| m.mrr),
];

pub fn summarise(per_seeker: &[QueryMetrics]) -> Summary {
    let [n, r10, r50, mrr] = METRICS.map(|(_, f)| bootstrap(&column(per_seeker, f)));
    Summary {
        ndcg_at_10: n,
        recall_at_10: r10,
        recall_at_50: r50,
        mrr,
    }
}

/// Paired differences `b − a`, seeker by seeker (both lists in the same seeker order).
pub fn compare(a: &[QueryMetrics], b: &[QueryMetrics]) -> Summary {
    let diffs: Vec<QueryMetrics> = a
        .iter()
        .zip(b)
        .map(|(x, y)| QueryMetrics {
            ndcg_at_10: y.ndcg_at_10 - x.ndcg_at_10,
            recall_at_10: y.recall_at_10 - x.recall_at_10,
            recall_at_50: y.recall_at_50 - x.recall_at_50,
            mrr: y.mrr - x.mrr,
        })
        .collect();
    summarise(&diffs)
}

/// The labelled data an evaluation runs on.
pub struct EvalSet {
    pub postings: Vec<Posting>,
    pub seekers: Vec<Seeker>,
    pub qrels: Qrels,
}

/// A model loaded with the evaluation records stored in a scratch data directory.
pub struct Indexed {
    pub matcher: Matcher,
    pub model: String,
    /// Rank beyond each seeker's own max commute (the server's default is to respect it).
    pub ignore_seeker_commute: bool,
    /// Removed when dropped (after the matcher has closed its shards).
    _scratch: tempfile::TempDir,
}

/// Loads `model_dir` and stores the set's postings and seekers in a scratch directory.
pub async fn index(
    model_dir: &Path,
    set: &EvalSet,
    settings: RankingSettings,
    analyser: Analyser,
) -> Result<Indexed> {
    let scratch = tempfile::Builder::new()
        .prefix("jobmatch-eval-")
        .tempdir()
        .map_err(|e| Error::Io(format!("cannot create a scratch directory: {e}")))?;
    let config = StoreConfig {
        data_dir: scratch.path().to_path_buf(),
        model_dir: model_dir.to_path_buf(),
        skills_vocabulary: None,
        analyser,
        outcome_retention_days: 0,
        access_retention_days: 0,
        qdrant: None,
        failpoint: None,
    };
    // The request carries every fusion setting, so the model's own band does not apply.
    let ranking = RankingSettings {
        band_from_model: false,
        ..settings
    };
    let matcher = open_matcher(&config, ranking, BatchingConfig::default()).await?;
    for chunk in set.postings.chunks(64) {
        matcher.upsert_postings(chunk.to_vec()).await?;
    }
    for chunk in set.seekers.chunks(64) {
        matcher.upsert_seekers(chunk.to_vec()).await?;
    }
    let model = matcher.embedder().info().name.clone();
    Ok(Indexed {
        matcher,
        model,
        ignore_seeker_commute: false,
        _scratch: scratch,
    })
}

impl Indexed {
    /// Ranks postings for every labelled seeker with `fusion`, and scores each list.
    pub async fn evaluate(&self, qrels: &Qrels, fusion: FusionParams) -> Result<Vec<QueryMetrics>> {
        self.evaluate_with(qrels, fusion, None).await
    }

    /// [`Indexed::evaluate`], with the server's `beyond_commute` setting overridden.
    pub async fn evaluate_with(
        &self,
        qrels: &Qrels,
        fusion: FusionParams,
        beyond_commute: Option<bool>,
    ) -> Result<Vec<QueryMetrics>> {
        let request = RankingRequest {
            top_k: DEPTH,
            fusion: crate::ranking::FusionOverrides::all(fusion),
            beyond_commute,
            max_distance_km: None,
            ignore_seeker_commute: self.ignore_seeker_commute,
            boosts: Default::default(),
            scope: Default::default(),
            language: Default::default(),
        };
        let mut per_seeker = Vec::new();
        for (seeker, labels) in qrels.relevant_seekers() {
            let ranked: Vec<String> = self
                .matcher
                .recommend_postings(seeker, &request, Vec::new())
                .await?
                .results
                .into_iter()
                .map(|s| s.item.id)
                .collect();
            per_seeker.push(score_ranking(&ranked, labels));
        }
        Ok(per_seeker)
    }
}

/// One evaluated setting of `--tune`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TunePoint {
    pub fusion: FusionReport,
    #[serde(skip)]
    pub params: FusionParams,
    /// The worst set's nDCG@10 margin over its best reference, on the train splits.
    pub worst_margin: f64,
}

/// Weight triples (semantic, lexical, geo) on a 0.1 grid summing to 1: only ratios matter.
fn weight_simplex() -> Vec<(f64, f64, f64)> {
    let mut out = Vec::new();
    for s in 0..=10 {
        for l in 0..=(10 - s) {
            let g = 10 - s - l;
            out.push((
                f64::from(s) / 10.0,
                f64::from(l) / 10.0,
                f64::from(g) / 10.0,
            ));
        }
    }
    out
}

const TUNE_SCALES_KM: [f64; 8] = [2.0, 5.0, 10.0, 20.0, 30.0, 50.0, 100.0, 200.0];
const TUNE_FLOORS: [f64; 6] = [0.0, 0.6, 0.7, 0.75, 0.8, 0.85];
const TUNE_CEILINGS: [f64; 3] = [0.9, 0.95, 1.0];
const TUNE_SATURATIONS: [f64; 6] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
const TUNE_SKILLS: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5];
/// Relevance floors tried, in standard deviations (−10: none).
const TUNE_RELEVANCE_FLOORS: [f64; 7] = [-10.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5];

/// The settings one round of `--tune` tries around `at`: every weight triple, decay scale,
/// normalisation (floor, ceiling, saturation), skills weight and fusion mode, one parameter group
/// at a time.
pub fn tune_neighbours(at: FusionParams) -> Vec<FusionParams> {
    let mut out = Vec::new();
    for (s, l, g) in weight_simplex() {
        out.push(FusionParams {
            semantic_weight: s,
            lexical_weight: l,
            geo_weight: g,
            ..at
        });
    }
    out.extend(TUNE_SCALES_KM.map(|decay_scale_km| FusionParams {
        decay_scale_km,
        ..at
    }));
    if at.mode == FusionMode::Band {
        for floor in TUNE_FLOORS {
            for ceiling in TUNE_CEILINGS {
                out.push(FusionParams {
                    semantic_floor: floor,
                    semantic_ceiling: ceiling,
                    ..at
                });
            }
        }
        out.extend(TUNE_SATURATIONS.map(|lexical_saturation| FusionParams {
            lexical_saturation,
            ..at
        }));
    }
    out.extend(TUNE_RELEVANCE_FLOORS.map(|relevance_floor| FusionParams {
        relevance_floor,
        ..at
    }));
    out.extend(
        [DistanceScale::Absolute, DistanceScale::Commute].map(|distance_scale| FusionParams {
            distance_scale,
            ..at
        }),
    );
    out.extend(
        [CommutePolicy::Penalty, CommutePolicy::Filter]
            .map(|commute| FusionParams { commute, ..at }),
    );
    out.extend(TUNE_SKILLS.map(|skills_weight| FusionParams {
        skills_weight,
        ..at
    }));
    out.extend(
        [FusionMode::Scores, FusionMode::Rrf, FusionMode::Band]
            .map(|mode| FusionParams { mode, ..at }),
    );
    out.retain(|f| f.semantic_weight + f.lexical_weight + f.geo_weight > 0.0);
    out
}

/// One labelled set as `--tune` sees it: its train split, and the nDCG@10 there of its best
/// reference ranker (the bar the settings must clear).
pub struct TuneTarget<'a> {
    pub name: String,
    pub indexed: &'a Indexed,
    pub train: Qrels,
    pub best_reference_ndcg: f64,
}

/// The worst margin of `fusion` over the targets' best references (nDCG@10 on train splits).
async fn worst_margin(targets: &[TuneTarget<'_>], fusion: FusionParams) -> Result<f64> {
    let mut worst = f64::INFINITY;
    for target in targets {
        let per_seeker = target.indexed.evaluate(&target.train, fusion).await?;
        let ndcg = mean(&column(&per_seeker, |m| m.ndcg_at_10));
        worst = worst.min(ndcg - target.best_reference_ndcg);
    }
    Ok(worst)
}

/// Coordinate search from `start`, maximising the *worst* set's margin over its best reference
/// (not an average, so no set can carry another): each round tries [`tune_neighbours`] of the
/// best so far and keeps the best (ties: the earlier); stops after `rounds` or when a round finds
/// nothing better. Returns every setting tried with its worst margin, best first.
pub async fn tune(
    targets: &[TuneTarget<'_>],
    start: FusionParams,
    rounds: usize,
) -> Result<Vec<TunePoint>> {
    let mut seen: Vec<(FusionParams, f64)> = Vec::new();
    let start_margin = worst_margin(targets, start).await?;
    seen.push((start, start_margin));
    let (mut best, mut best_margin) = (start, start_margin);
    for round in 0..rounds {
        let before = best_margin;
        for candidate in tune_neighbours(best) {
            let known = seen.iter().find(|(f, _)| *f == candidate).map(|(_, n)| *n);
            let margin = match known {
                Some(n) => n,
                None => {
                    let n = worst_margin(targets, candidate).await?;
                    seen.push((candidate, n));
                    n
                }
            };
            if margin > best_margin + 1e-12 {
                best = candidate;
                best_margin = margin;
            }
        }
        eprintln!("tuning round {}: worst margin {best_margin:+.4}", round + 1);
        if best_margin <= before + 1e-12 {
            break;
        }
    }
    let mut points: Vec<TunePoint> = seen
        .into_iter()
        .map(|(fusion, worst_margin)| TunePoint {
            fusion: fusion.into(),
            params: fusion,
            worst_margin,
        })
        .collect();
    points.sort_by(|a, b| b.worst_margin.total_cmp(&a.worst_margin));
    Ok(points)
}

/// The reference with the highest mean nDCG@10 among `references`, and the paired margin of
/// `ours` over it, seeker by seeker (both in the labels' seeker order).
pub fn margin_over_best(
    references: &[(String, Vec<QueryMetrics>)],
    ours: &[QueryMetrics],
) -> Option<(String, Summary)> {
    let (name, best) = references.iter().max_by(|a, b| {
        mean(&column(&a.1, |m| m.ndcg_at_10)).total_cmp(&mean(&column(&b.1, |m| m.ndcg_at_10)))
    })?;
    Some((name.clone(), compare(best, ours)))
}

/// One row of `--ablation`: a signal combination and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct AblationRow {
    pub name: String,
    pub fusion: FusionReport,
    pub summary: Summary,
}

/// Dense only, sparse only, hybrid (no distance, no skills), and `fusion` itself (hybrid +
/// distance + skills: the defaults unless set), each with `fusion`'s floor and commute handling.
pub fn ablation_settings(fusion: FusionParams) -> Vec<(&'static str, FusionParams)> {
    let relevance = fusion.semantic_weight + fusion.lexical_weight;
    let (semantic_weight, lexical_weight) = if relevance > 0.0 {
        (fusion.semantic_weight, fusion.lexical_weight)
    } else {
        (0.5, 0.5)
    };
    let plain = FusionParams {
        geo_weight: 0.0,
        skills_weight: 0.0,
        ..fusion
    };
    vec![
        (
            "dense only",
            FusionParams {
                semantic_weight: 1.0,
                lexical_weight: 0.0,
                ..plain
            },
        ),
        (
            "sparse only",
            // Words alone: no floor either, since the floor reads the dense similarity.
            FusionParams {
                semantic_weight: 0.0,
                lexical_weight: 1.0,
                relevance_floor: -1e9,
                ..plain
            },
        ),
        (
            "hybrid",
            FusionParams {
                semantic_weight,
                lexical_weight,
                ..plain
            },
        ),
        ("hybrid + distance + skills", fusion),
    ]
}

/// The reference "dense only, commute filter": cosine order within each seeker's commute, no
/// floor, nothing added beyond it.
pub fn dense_reference(fusion: FusionParams) -> FusionParams {
    FusionParams {
        semantic_weight: 1.0,
        lexical_weight: 0.0,
        geo_weight: 0.0,
        skills_weight: 0.0,
        mode: FusionMode::Scores,
        commute: CommutePolicy::Filter,
        relevance_floor: -1e9,
        ..fusion
    }
}

/// Everything one `jobmatch eval` run found, as `--json` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The labelled set (its directory or qrels file) and the split of its seekers reported.
    pub set: String,
    pub split: &'static str,
    /// Whether the jobmatch rows respected each seeker's commute (the server's default).
    pub seeker_commute: &'static str,
    pub seekers_evaluated: usize,
    /// The reference rankers, computed in the same run on the same seekers.
    pub references: Vec<ReferenceRow>,
    pub analyser: String,
    pub fusion: FusionReport,
    pub models: Vec<ModelReport>,
    /// `models[1] − models[0]`, paired by seeker, when `--compare` was given.
    pub difference: Option<Summary>,
    /// Per model: `--ablation` rows.
    pub ablation: Vec<(String, Vec<AblationRow>)>,
}

/// A reference ranker's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceRow {
    pub name: String,
    pub summary: Summary,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct FusionReport {
    pub semantic_weight: f64,
    pub lexical_weight: f64,
    pub geo_weight: f64,
    pub decay_scale_km: f64,
    pub fusion: &'static str,
    pub semantic_floor: f64,
    pub semantic_ceiling: f64,
    pub lexical_saturation: f64,
    pub skills_weight: f64,
    pub distance_scale: &'static str,
    pub seeker_commute: &'static str,
    pub relevance_floor: f64,
}

impl From<FusionParams> for FusionReport {
    fn from(f: FusionParams) -> Self {
        Self {
            semantic_weight: f.semantic_weight,
            lexical_weight: f.lexical_weight,
            geo_weight: f.geo_weight,
            decay_scale_km: f.decay_scale_km,
            fusion: f.mode.name(),
            semantic_floor: f.semantic_floor,
            semantic_ceiling: f.semantic_ceiling,
            lexical_saturation: f.lexical_saturation,
            skills_weight: f.skills_weight,
            distance_scale: f.distance_scale.name(),
            seeker_commute: f.commute.name(),
            relevance_floor: f.relevance_floor,
        }
    }
}

impl FusionReport {
    /// Each setting as its `serve` flag's parameter name and value, in the order both
    /// renderings print them.
    fn settings(&self) -> [(&'static str, String); 12] {
        [
            ("semantic_weight", format!("{:.2}", self.semantic_weight)),
            ("lexical_weight", format!("{:.2}", self.lexical_weight)),
            ("geo_weight", format!("{:.2}", self.geo_weight)),
            ("decay_scale_km", self.decay_scale_km.to_string()),
            ("distance_scale", self.distance_scale.to_string()),
            ("seeker_commute", self.seeker_commute.to_string()),
            ("fusion", self.fusion.to_string()),
            ("semantic_floor", self.semantic_floor.to_string()),
            ("semantic_ceiling", self.semantic_ceiling.to_string()),
            ("lexical_saturation", self.lexical_saturation.to_string()),
            ("skills_weight", format!("{:.2}", self.skills_weight)),
            ("relevance_floor", self.relevance_floor.to_string()),
        ]
    }

    /// For reading: `semantic weight 0.50, lexical weight 0.20, ...`.
    fn describe(&self) -> String {
        let settings = self.settings();
        let parts: Vec<String> = settings
            .iter()
            .map(|(name, value)| format!("{} {value}", name.replace('_', " ")))
            .collect();
        parts.join(", ")
    }

    /// The `jobmatch serve` flags that select these settings.
    pub fn flags(&self) -> String {
        let settings = self.settings();
        let parts: Vec<String> = settings
            .iter()
            .map(|(name, value)| format!("{} {value}", crate::ranking::flag_name(name)))
            .collect();
        parts.join(" ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    pub model: String,
    pub model_dir: PathBuf,
    pub summary: Summary,
    /// The best reference ranker on this split (highest mean nDCG@10), and the defaults' paired
    /// margin over it: a default that loses to a reference is a bug.
    pub best_reference: String,
    pub margin: Summary,
    /// The lexical side alone (sparse only, no distance), and its paired margin over TF-IDF
    /// character 2–3-grams: words that lose to plain TF-IDF are a defect of the analyser or the
    /// query.
    pub words_only: Summary,
    pub words_margin_over_tfidf: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct TuneReport {
    pub model: String,
    pub best: TunePoint,
    /// The worst train margin of the settings the run was given (the defaults unless set).
    pub given_worst_margin: f64,
    /// Per set: the best setting's margin over the set's best reference on the reported split
    /// (held-out unless set).
    pub reported_margins: Vec<(String, Summary)>,
    /// The ten best settings tried.
    pub top: Vec<TunePoint>,
}

fn format_estimate(e: &Estimate, signed: bool) -> String {
    if signed {
        format!("{:+.4} [{:+.4}, {:+.4}]", e.mean, e.low, e.high)
    } else {
        format!("{:.4} [{:.4}, {:.4}]", e.mean, e.low, e.high)
    }
}

fn summary_rows(summary: &Summary) -> [(&'static str, &Estimate); 4] {
    [
        ("nDCG@10", &summary.ndcg_at_10),
        ("Recall@10", &summary.recall_at_10),
        ("Recall@50", &summary.recall_at_50),
        ("MRR", &summary.mrr),
    ]
}

/// One line of a reference ranker or signal combination: its nDCG@10 and Recall@10.
fn signal_row(out: &mut String, name: &str, summary: &Summary) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "  {name:<42} nDCG@10 {}  Recall@10 {}",
        format_estimate(&summary.ndcg_at_10, false),
        format_estimate(&summary.recall_at_10, false)
    );
}

/// The cross-set tuning as plain text.
pub fn render_tuning(tuning: &TuneReport, split: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let b = tuning.best;
    let _ = writeln!(
        out,
        "tuned {} for the worst set's margin over its best reference (train splits): {} → worst margin {:+.4} (given settings: {:+.4})",
        tuning.model,
        b.fusion.describe(),
        b.worst_margin,
        tuning.given_worst_margin
    );
    for (set, margin) in &tuning.reported_margins {
        let _ = writeln!(
            out,
            "  {set} ({split} split): margin {}",
            format_estimate(&margin.ndcg_at_10, true)
        );
    }
    let _ = writeln!(out, "  serve with: {}", b.fusion.flags());
    out
}

/// The report as a plain-text table.
pub fn render(report: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "== {} ({} split): {} seekers with relevant postings, seeker commutes {}; analyser {}; 95% bootstrap intervals",
        report.set,
        report.split,
        report.seekers_evaluated,
        report.seeker_commute,
        report.analyser
    );
    let _ = writeln!(out, "settings: {}", report.fusion.describe());
    let _ = writeln!(out, "\nreference rankers");
    for row in &report.references {
        signal_row(&mut out, &row.name, &row.summary);
    }
    for model in &report.models {
        let _ = writeln!(out, "\n{} ({})", model.model, model.model_dir.display());
        for (name, estimate) in summary_rows(&model.summary) {
            let _ = writeln!(out, "  {name:<10} {}", format_estimate(estimate, false));
        }
        let verdict = |e: &Estimate| {
            if e.low > 0.0 {
                "ahead"
            } else if e.mean > 0.0 {
                "ahead, within the interval"
            } else {
                "BEHIND"
            }
        };
        let _ = writeln!(
            out,
            "  margin over the best reference ({}): nDCG@10 {}  {}",
            model.best_reference,
            format_estimate(&model.margin.ndcg_at_10, true),
            verdict(&model.margin.ndcg_at_10)
        );
        let _ = writeln!(
            out,
            "  words alone nDCG@10 {}; over TF-IDF char 2-3 {}  {}",
            format_estimate(&model.words_only.ndcg_at_10, false),
            format_estimate(&model.words_margin_over_tfidf.ndcg_at_10, true),
            verdict(&model.words_margin_over_tfidf.ndcg_at_10)
        );
    }
    if let (Some(diff), [a, b]) = (&report.difference, &report.models[..]) {
        let _ = writeln!(out, "\n{} − {} (paired by seeker)", b.model, a.model);
        for (name, estimate) in summary_rows(diff) {
            let verdict = if estimate.low > 0.0 {
                "better"
            } else if estimate.high < 0.0 {
                "worse"
            } else {
                "no clear difference"
            };
            let _ = writeln!(
                out,
                "  {name:<10} {}  {verdict}",
                format_estimate(estimate, true)
            );
        }
    }
    for (model, rows) in &report.ablation {
        let _ = writeln!(out, "\nsignals, {model} (95% bootstrap intervals)");
        for row in rows {
            signal_row(&mut out, &row.name, &row.summary);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(id, g)| (id.to_string(), *g)).collect()
    }

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        // Relevant: a (3), b (1), c (2); x, y unlabelled.
        let judged = labels(&[("a", 3), ("b", 1), ("c", 2), ("z", 0)]);
        let m = score_ranking(&ranked(&["x", "a", "y", "b"]), &judged);
        // DCG = 7/log2(3) + 1/log2(5) = 4.41650 + 0.43068; ideal = 7 + 3/log2(3) + 1/2 = 9.39279.
        let expected = (7.0 / 3f64.log2() + 1.0 / 5f64.log2()) / (7.0 + 3.0 / 3f64.log2() + 0.5);
        assert!((m.ndcg_at_10 - expected).abs() < 1e-12);
        assert!((m.ndcg_at_10 - 0.516_054).abs() < 1e-5);
        assert!((m.recall_at_10 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.recall_at_50 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.mrr - 0.5).abs() < 1e-12);

        let perfect = score_ranking(&ranked(&["a", "c", "b"]), &judged);
        assert!((perfect.ndcg_at_10 - 1.0).abs() < 1e-12);
        assert!((perfect.mrr - 1.0).abs() < 1e-12);
        let none = score_ranking(&ranked(&["x", "y", "z"]), &judged);
        assert_eq!(none, QueryMetrics::default());
    }

    #[test]
    fn recall_at_10_stops_at_rank_10() {
        let judged = labels(&[("r", 1)]);
        let mut list: Vec<String> = (0..10).map(|i| format!("n{i}")).collect();
        list.push("r".into());
        let m = score_ranking(&list, &judged);
        assert_eq!(m.recall_at_10, 0.0);
        assert_eq!(m.recall_at_50, 1.0);
        assert!((m.mrr - 1.0 / 11.0).abs() < 1e-12);
        assert_eq!(m.ndcg_at_10, 0.0);
    }

    #[test]
    fn bootstrap_brackets_the_mean_and_is_repeatable() {
        let values: Vec<f64> = (0..40).map(|i| f64::from(i % 7) / 6.0).collect();
        let a = bootstrap(&values);
        let b = bootstrap(&values);
        assert_eq!(a, b);
        assert!(a.low < a.mean && a.mean < a.high, "{a:?}");
        assert!((a.mean - mean(&values)).abs() < 1e-12);
        let constant = bootstrap(&[0.5; 10]);
        assert!((constant.low - 0.5).abs() < 1e-12 && (constant.high - 0.5).abs() < 1e-12);
    }

    #[test]
    fn paired_comparison_sees_a_uniform_gain() {
        let a: Vec<QueryMetrics> = (0..30)
            .map(|i| QueryMetrics {
                ndcg_at_10: f64::from(i) / 30.0,
                ..Default::default()
            })
            .collect();
        let b: Vec<QueryMetrics> = a
            .iter()
            .map(|m| QueryMetrics {
                ndcg_at_10: m.ndcg_at_10 + 0.1,
                ..*m
            })
            .collect();
        let diff = compare(&a, &b);
        assert!((diff.ndcg_at_10.mean - 0.1).abs() < 1e-9);
        assert!((diff.ndcg_at_10.low - 0.1).abs() < 1e-9, "{diff:?}");
        assert!(diff.mrr.mean.abs() < 1e-12);
    }

    #[test]
    fn qrels_errors_name_the_line() {
        let seekers: HashSet<&str> = ["s1"].into();
        let postings: HashSet<&str> = ["p1"].into();
        let parse = |text: &str| {
            parse_qrels(text, "q.tsv", &seekers, &postings)
                .err()
                .map(|e| e.to_string())
        };
        assert!(parse("s1\tp1\t2\n").is_none());
        assert!(parse("s9\tp1\t2\n").unwrap().contains("q.tsv:1"));
        assert!(parse("# c\ns1\tp9\t2\n")
            .unwrap()
            .contains("posting 'p9' is not in the postings file"));
        assert!(parse("s1\tp1\t4\n").unwrap().contains("q.tsv:1"));
        assert!(parse("s1 p1 2\n").unwrap().contains("1 column"));
        assert!(parse("s1\tp1\t1\ns1\tp1\t2\n")
            .unwrap()
            .contains("labelled twice"));
        assert!(parse("s1\tp1\t0\n")
            .unwrap()
            .contains("nothing to evaluate"));
    }

    #[test]
    fn a_tuning_round_spans_every_weight_ratio_and_both_fusions() {
        let around = tune_neighbours(FusionParams::default());
        for (s, l, g) in [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)] {
            assert!(around
                .iter()
                .any(|f| f.semantic_weight == s && f.lexical_weight == l && f.geo_weight == g));
        }
        assert!(around.iter().any(|f| f.mode == FusionMode::Rrf));
        assert!(around
            .iter()
            .all(|f| f.semantic_weight + f.lexical_weight + f.geo_weight > 0.0));
        assert!(around.iter().all(|f| f.semantic_ceiling > f.semantic_floor));
    }
}
