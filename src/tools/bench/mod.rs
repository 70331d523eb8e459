//! `jobmatch bench-embed`: times the embedding engine on a file of texts (batch throughput) and a
//! file of short queries (single-query latency), for comparison with the Python reference in
//! `scripts/bench-embed`. Prints one JSON line.

pub mod commands;

use std::path::Path;
use std::time::Instant;

use crate::embed::bert::{BertEmbedder, EngineKind};
use crate::embed::{Embedder, TextKind};
use crate::error::{io_err, Error, Result};

#[derive(Debug, serde::Serialize)]
pub struct EmbedBenchReport {
    pub engine: String,
    /// Arithmetic precision (the fused engine keeps an exact f16 copy of f16 checkpoints' weights
    /// for short inputs, but computes in f32).
    pub dtype: &'static str,
    pub model: String,
    pub batch: usize,
    pub texts: usize,
    pub texts_per_s: f64,
    /// Tokens the model saw per second (prefixes and special tokens included), over the batch run.
    pub tokens_per_s: f64,
    pub query_p50_ms: f64,
    pub query_p95_ms: f64,
    pub peak_rss_mb: f64,
    /// Model FLOP per second over the batch run, from the token count (2 × parameters per token + attention).
    pub gflops: f64,
}

fn lines(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(io_err("read", path))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect())
}

/// Peak resident set size of this process, from /proc (0 where unavailable).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// Texts and queries whose vectors `--vectors-out` writes.
const AGREEMENT_TEXTS: usize = 64;
const AGREEMENT_QUERIES: usize = 20;

pub fn embed_benchmark(
    model_dir: &Path,
    texts: &Path,
    queries: &Path,
    batch: usize,
    engine: Option<EngineKind>,
    int8_short_inputs: Option<bool>,
    vectors_out: Option<&Path>,
) -> Result<EmbedBenchReport> {
    if batch == 0 {
        return Err(Error::invalid("--batch-size", "must be at least 1"));
    }
    let texts = lines(texts)?;
    let queries = lines(queries)?;
    let mut embedder = BertEmbedder::load_tuned(model_dir, engine, int8_short_inputs)?;
    let info = embedder.info().clone();
    if let Some(path) = vectors_out {
        let vectors = serde_json::json!({
            "texts": embedder.embed(&texts[..AGREEMENT_TEXTS.min(texts.len())], TextKind::Passage)?,
            // One at a time, as they are timed (and as a search embeds them: the short-input path).
            "queries": queries[..AGREEMENT_QUERIES.min(queries.len())]
                .iter()
                .map(|q| Ok(embedder.embed(std::slice::from_ref(q), TextKind::Query)?.remove(0)))
                .collect::<Result<Vec<_>>>()?,
        });
        std::fs::write(path, vectors.to_string()).map_err(io_err("write", path))?;
    }

    embedder.embed(&texts[..batch.min(texts.len())], TextKind::Passage)?; // warm-up
    let tokens: usize = texts
        .iter()
        .map(|t| embedder.count_tokens(t, TextKind::Passage))
        .sum::<Result<usize>>()?;
    let start = Instant::now();
    for chunk in texts.chunks(batch) {
        embedder.embed(chunk, TextKind::Passage)?;
    }
    let batch_seconds = start.elapsed().as_secs_f64();

    let mut latencies = Vec::with_capacity(queries.len());
    for query in &queries {
        let start = Instant::now();
        embedder.embed(std::slice::from_ref(query), TextKind::Query)?;
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    Ok(EmbedBenchReport {
        engine: format!(
            "jobmatch {:?} engine{}, {} threads",
            embedder.engine(),
            if int8_short_inputs == Some(true) {
                " (int8 short inputs)"
            } else {
                ""
            },
            candle_core::utils::get_num_threads()
        )
        .to_lowercase(),
        dtype: "float32",
        model: info.name,
        batch,
        texts: texts.len(),
        texts_per_s: texts.len() as f64 / batch_seconds,
        tokens_per_s: tokens as f64 / batch_seconds,
        query_p50_ms: percentile(&latencies, 0.5),
        query_p95_ms: percentile(&latencies, 0.95),
        peak_rss_mb: peak_rss_mb(),
        gflops: embedder.flops_per_token() * tokens as f64 / batch_seconds / 1e9,
    })
}

/// Settings of `jobmatch bench-hybrid`.
#[derive(Debug, Clone)]
pub struct HybridBenchSettings {
    pub seekers: usize,
    pub queries: usize,
    /// Candidates per signal; each value is timed as its own set of variants.
    pub prefetch: Vec<usize>,
    pub top_k: usize,
    /// Run Qdrant's optimisers (HNSW index, segment merges) after loading, as a maintained store would be.
    pub optimize: bool,
    /// Query-word limits (the server's --max-query-words; 0: all words) timed for the hybrid variants.
    pub max_query_words: Vec<usize>,
    /// Near-origin prefetch radii in decay scales (the server's --near-radius; 0: none).
    pub near_radius: Vec<f64>,
    pub seed: u64,
    /// Also time a Qdrant server (same data, same queries, interleaved with the embedded store).
    pub qdrant: Option<crate::store::server::QdrantOptions>,
    /// With `qdrant`: also collections of this many shards, compared with the one-shard ones
    /// (0: none).
    pub compare_shards: u32,
}

/// How a variant's answers on the sharded collections differ from the one-shard ones'.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShardAgreement {
    pub variant: String,
    /// Mean share of the one-shard top results the sharded collections also return.
    pub shared: f64,
    /// Share of queries whose top results are the same, in the same order.
    pub identical: f64,
    /// Over results both return with a word score: mean and largest |sharded − one| / one.
    pub word_score_mean_difference: f64,
    pub word_score_max_difference: f64,
    pub word_scores_compared: usize,
}

/// Latency of one ranking variant over the queries, in milliseconds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LatencyRow {
    pub variant: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Mean share of the top results that the same variant with the widest prefetch also returns
    /// (None for the widest itself): what a smaller prefetch costs in results.
    pub overlap_with_widest: Option<f64>,
    /// Dense-only variants: mean share of the exact top results (the formula over every seeker the
    /// commute filter lets through) that the variant returns, over the first [`EXACT_QUERIES`].
    pub exact_recall: Option<f64>,
}

/// Queries whose exact dense-only ranking `bench-hybrid` computes by brute force.
pub const EXACT_QUERIES: usize = 100;

/// The exact top `k` ids under the dense-only formula among seekers whose commute reaches `origin`.
/// The exact dense-only top `k` within each seeker's commute, by brute force: what the dense
/// candidate list should find.
fn exact_top(
    corpus: &[(Vec<f32>, crate::domain::GeoPoint, u32)],
    vector: &[f32],
    origin: crate::domain::GeoPoint,
    k: usize,
) -> Vec<String> {
    let mut scored: Vec<(f64, usize)> = corpus
        .iter()
        .enumerate()
        .filter_map(|(i, (v, home, commute))| {
            let distance = crate::ranking::haversine_km(origin, *home);
            if *commute != 0 && distance > f64::from(*commute) {
                return None;
            }
            Some((crate::ranking::cosine(v, vector), i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(k)
        .map(|(_, i)| format!("s{i}"))
        .collect()
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HybridBenchReport {
    pub seekers: usize,
    pub queries: usize,
    pub top_k: usize,
    pub optimized: bool,
    /// Per backend ("embedded", "qdrant server"): seconds to load, then to optimise (0 without
    /// `optimize`; the server's: until its collection reports its optimisers done).
    pub load_seconds: LoadTimes,
    /// With a server: the queries on which both backends chose the same query words, of all.
    pub query_words_agreed: (usize, usize),
    pub rows: Vec<LatencyRow>,
    /// With `compare_shards`: per variant, the sharded collections against the one-shard ones.
    pub shard_agreement: Vec<ShardAgreement>,
}

use crate::rng::SplitMix;

/// Words of job postings and resumes, for synthetic texts with a realistic word distribution.
const BENCH_WORDS: &[&str] = &[
    "용접",
    "용접기능사",
    "특수용접",
    "CO2",
    "TIG",
    "생산직",
    "제조",
    "조립",
    "검사",
    "품질",
    "CNC",
    "선반",
    "밀링",
    "머시닝센터",
    "가공",
    "금형",
    "사출",
    "프레스",
    "도장",
    "설비",
    "보전",
    "전기",
    "전기기능사",
    "자동화",
    "PLC",
    "로봇",
    "반도체",
    "전자",
    "부품",
    "자동차",
    "기계",
    "정비",
    "지게차",
    "운전기능사",
    "물류",
    "창고",
    "포장",
    "출하",
    "회계",
    "전산회계",
    "세무",
    "사무",
    "경리",
    "엑셀",
    "간호조무사",
    "요양병원",
    "간병",
    "요양보호사",
    "소프트웨어",
    "테스트",
    "QA",
    "Python",
    "Java",
    "웹",
    "개발",
    "디자인",
    "CAD",
    "캐드",
    "도면",
    "설계",
    "주간",
    "야간",
    "2교대",
    "3교대",
    "기숙사",
    "통근버스",
    "경력",
    "신입",
    "우대",
    "필수",
    "자격증",
    "취득",
    "근무",
    "성실",
    "책임감",
    "특성화고",
    "마이스터고",
    "전문대",
    "졸업",
    "전역",
    "예정",
    "군",
    "제대",
    "실습",
    "현장",
    "교육",
    "수료",
    "프로젝트",
    "팀",
];
const BENCH_PARTICLES: &[&str] = &[
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에서",
    "으로",
    "했습니다",
    "합니다",
];

fn bench_text(rng: &mut SplitMix, words: usize) -> String {
    (0..words)
        .map(|_| {
            // Skewed towards the first words, as real vocabularies are.
            let u = rng.unit();
            let word =
                BENCH_WORDS[((u * u) * BENCH_WORDS.len() as f64) as usize % BENCH_WORDS.len()];
            if rng.unit() < 0.3 {
                format!(
                    "{word}{}",
                    BENCH_PARTICLES[rng.below(BENCH_PARTICLES.len())]
                )
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench_vector(rng: &mut SplitMix, centroids: &[Vec<f32>]) -> Vec<f32> {
    let centre = &centroids[rng.below(centroids.len())];
    let mut v: Vec<f32> = centre
        .iter()
        .map(|c| c + 0.6 * rng.normal() as f32 / (centre.len() as f32).sqrt())
        .collect();
    crate::embed::normalise(&mut v);
    v
}

/// Times the store side of a recommendation (the fused query, plus the words' share for the
/// breakdown) at `seekers` synthetic seekers: dense only against hybrid, interleaved per query.
/// The seekers have 384-dimensional clustered unit vectors, Korean-like texts analysed as the
/// server does, places across South Korea and stated commutes; queries carry the commute filter
/// every candidate search has.
pub fn hybrid_benchmark(settings: &HybridBenchSettings) -> Result<HybridBenchReport> {
    use crate::lexical::Analyser;
    use crate::store::Collection;

    const DIMENSION: usize = 384;
    let analyser = Analyser::default();
    let mut rng = SplitMix(settings.seed);
    let centroids: Vec<Vec<f32>> = (0..64)
        .map(|_| {
            let mut v: Vec<f32> = (0..DIMENSION).map(|_| rng.normal() as f32).collect();
            crate::embed::normalise(&mut v);
            v
        })
        .collect();
    let model = crate::embed::ModelInfo::plain("synthetic", DIMENSION, 512);
    let bench = BenchStores::open(settings, &model, analyser)?;
    let (corpus, timings_of_load) = bench.load(settings, &mut rng, &centroids, analyser)?;
    let stores = &bench.stores;
    let names: Vec<&str> = stores.iter().map(|(name, _)| *name).collect();
    let variants = hybrid_variants(settings, &names);
    let mut timings: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let (mut words_compared, mut words_agreed) = (0usize, 0usize);
    // Per variant, per counted query: the ids returned, and their word scores.
    let mut results: Vec<Vec<Vec<String>>> = vec![Vec::new(); variants.len()];
    let mut word_scores: Vec<Vec<Vec<f64>>> = vec![Vec::new(); variants.len()];
    // Per counted query (the first EXACT_QUERIES): the exact dense-only top results.
    let mut exact: Vec<Vec<String>> = Vec::new();
    for q in 0..settings.queries + 5 {
        let words = 30 + rng.below(60);
        let text = bench_text(&mut rng, words);
        let origin = synthetic_place(&mut rng);
        let vector = bench_vector(&mut rng, &centroids);
        if q >= 5 && exact.len() < EXACT_QUERIES {
            exact.push(exact_top(&corpus, &vector, origin, settings.top_k));
        }
        if stores.len() > 1 {
            // Do the backends choose the same query words (the server from Qdrant's counts)?
            let terms = analyser.query_vector(&text);
            let limit = settings.max_query_words.first().copied().unwrap_or(0);
            let mut chosen = stores
                .iter()
                .map(|(_, store)| store.weightiest_terms(Collection::Seekers, &terms, limit));
            let first = chosen.next().transpose()?;
            for other in chosen {
                words_compared += 1;
                if other? == first.clone().unwrap_or_default() {
                    words_agreed += 1;
                }
            }
        }
        for (v, variant) in variants.iter().enumerate() {
            let store = stores[variant.store].1.as_ref();
            let start = Instant::now();
            let query = SyntheticQuery {
                text: &text,
                vector: &vector,
                origin,
            };
            let hits = rank_one(store, variant, &query, analyser, settings.top_k)?;
            if q >= 5 {
                // The first few queries warm caches and are not counted.
                timings[v].push(start.elapsed().as_secs_f64() * 1000.0);
                let (ids, scores) = hits.into_iter().unzip();
                results[v].push(ids);
                word_scores[v].push(scores);
            }
        }
    }
    let rows = latency_rows(&variants, timings, &results, &exact);
    let shard_agreement = names
        .iter()
        .position(|name| *name == SHARDED)
        .map(|sharded| shard_agreement(&variants, sharded, &results, &word_scores))
        .unwrap_or_default();
    Ok(HybridBenchReport {
        shard_agreement,
        seekers: settings.seekers,
        queries: settings.queries,
        top_k: settings.top_k,
        optimized: settings.optimize,
        load_seconds: timings_of_load,
        query_words_agreed: (words_agreed, words_compared),
        rows,
    })
}

/// The store name of the sharded collections (`compare_shards`); the one-shard ones are
/// [`SERVER`].
const SHARDED: &str = "qdrant server, sharded";
const SERVER: &str = "qdrant server";

/// Each variant on the sharded collections (store `sharded`) against the same variant on the
/// one-shard ones (the store before it).
fn shard_agreement(
    variants: &[HybridVariant],
    sharded: usize,
    results: &[Vec<Vec<String>>],
    word_scores: &[Vec<Vec<f64>>],
) -> Vec<ShardAgreement> {
    let mut rows = Vec::new();
    for (s, on_shards) in variants
        .iter()
        .enumerate()
        .filter(|(_, v)| v.store == sharded)
    {
        let Some(o) = variants.iter().position(|v| {
            v.store == sharded - 1 && v.kind % 1_000_000_000 == on_shards.kind % 1_000_000_000
        }) else {
            continue;
        };
        let (mut shared, mut identical, mut differences) = (0.0, 0usize, Vec::new());
        let queries = results[o].len().min(results[s].len());
        for q in 0..queries {
            let (one, many) = (&results[o][q], &results[s][q]);
            identical += usize::from(one == many);
            if !one.is_empty() {
                shared +=
                    one.iter().filter(|id| many.contains(id)).count() as f64 / one.len() as f64;
            }
            for (i, id) in one.iter().enumerate() {
                let base = word_scores[o][q][i];
                if let Some(j) = many.iter().position(|m| m == id).filter(|_| base > 0.0) {
                    differences.push((word_scores[s][q][j] - base).abs() / base);
                }
            }
        }
        rows.push(ShardAgreement {
            variant: on_shards.name.clone(),
            shared: shared / queries.max(1) as f64,
            identical: identical as f64 / queries.max(1) as f64,
            word_score_mean_difference: differences.iter().sum::<f64>()
                / differences.len().max(1) as f64,
            word_score_max_difference: differences.iter().copied().fold(0.0, f64::max),
            word_scores_compared: differences.len(),
        });
    }
    rows
}

/// A query of `bench-hybrid`: its text, vector and place.
struct SyntheticQuery<'a> {
    text: &'a str,
    vector: &'a [f32],
    origin: crate::domain::GeoPoint,
}

/// The store side of one recommendation, as the server does it: the weightiest words of the text,
/// the candidate lists under the commute filter, then the pure ranking over them. Returns the top
/// `top_k` ids, each with its word score.
fn rank_one(
    store: &dyn crate::store::VectorStore,
    variant: &HybridVariant,
    query: &SyntheticQuery<'_>,
    analyser: crate::lexical::Analyser,
    top_k: usize,
) -> Result<Vec<(String, f64)>> {
    use crate::ranking::{cosine, haversine_km, rank, Signals};
    use crate::store::{CandidatePayload, CandidateQuery, Collection, FieldFilter};
    let origin = query.origin;
    let lexical = if variant.fusion.lexical_weight > 0.0 {
        let terms = analyser.query_vector(query.text);
        store.weightiest_terms(Collection::Seekers, &terms, variant.words)?
    } else {
        Default::default()
    };
    let request = CandidateQuery {
        vector: query.vector.to_vec(),
        origin,
        filters: vec![FieldFilter::CommuteReaches { center: origin }],
        lexical,
        prefetch: variant.prefetch.max(top_k),
        near_km: (variant.near > 0.0).then_some(variant.near * variant.fusion.decay_scale_km),
        payload: CandidatePayload::Ranking,
    };
    let found = store.candidates(Collection::Seekers, &request)?;
    let signals: Vec<Signals> = found
        .iter()
        .map(|c| {
            let home = c.facts.as_ref().map_or(origin, |facts| facts.point);
            Signals {
                cosine: c
                    .similarity
                    .unwrap_or_else(|| cosine(query.vector, &c.doc.vector)),
                bm25: c.lexical_score,
                distance_km: haversine_km(origin, home),
                commute_km: None,
                skills_share: 0.0,
                boost: 0.0,
                boosts_applied: Vec::new(),
                match_strength: None,
            }
        })
        .collect();
    let scores = rank(&signals, &variant.fusion);
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|&a, &b| scores[b].final_score.total_cmp(&scores[a].final_score));
    order.truncate(top_k);
    Ok(order
        .iter()
        .map(|&i| (found[i].doc.id.clone(), found[i].lexical_score))
        .collect())
}

/// The latency rows: per variant its percentiles, the share of its results the same variant with
/// the widest prefetch also returns, and (dense only) the share of the exact top results found.
fn latency_rows(
    variants: &[HybridVariant],
    timings: Vec<Vec<f64>>,
    results: &[Vec<Vec<String>>],
    exact: &[Vec<String>],
) -> Vec<LatencyRow> {
    let shared = |mine: &[Vec<String>], reference: &[Vec<String>]| {
        let shares: Vec<f64> = mine
            .iter()
            .zip(reference)
            .filter(|(_, wide)| !wide.is_empty())
            .map(|(mine, wide)| {
                let found = wide.iter().filter(|id| mine.contains(id)).count();
                found as f64 / wide.len() as f64
            })
            .collect();
        shares.iter().sum::<f64>() / shares.len().max(1) as f64
    };
    let widest = |kind: usize| {
        (0..variants.len())
            .filter(|&v| variants[v].kind == kind)
            .max_by_key(|&v| variants[v].prefetch)
    };
    variants
        .iter()
        .enumerate()
        .zip(timings)
        .map(|((v, variant), mut ms)| {
            ms.sort_by(f64::total_cmp);
            let overlap_with_widest = widest(variant.kind)
                .filter(|&w| variants[w].prefetch > variant.prefetch)
                .map(|w| shared(&results[v], &results[w]));
            let dense_only = variant.kind % 1_000_000_000 < 1_000_000;
            let exact_recall = dense_only.then(|| shared(&results[v], exact));
            LatencyRow {
                overlap_with_widest,
                exact_recall,
                variant: variant.name.clone(),
                p50_ms: percentile(&ms, 0.5),
                p95_ms: percentile(&ms, 0.95),
                p99_ms: percentile(&ms, 0.99),
                mean_ms: ms.iter().sum::<f64>() / ms.len().max(1) as f64,
            }
        })
        .collect()
}

/// One timed variant of `bench-hybrid`: a fusion, a prefetch, a query-word limit and a near radius,
/// on one store.
struct HybridVariant {
    name: String,
    fusion: crate::ranking::FusionParams,
    prefetch: usize,
    words: usize,
    near: f64,
    /// The same kind at another prefetch (on the same store) shares it.
    kind: usize,
    /// Index into `stores`.
    store: usize,
}

/// Every variant the settings ask for, on every store (named by store when there are several).
/// Long because it is a table: three fusions, each crossed with the prefetch, query-word and
/// near-radius values that apply to it; splitting it would scatter one cross product.
fn hybrid_variants(settings: &HybridBenchSettings, stores: &[&str]) -> Vec<HybridVariant> {
    use crate::ranking::{FusionMode, FusionParams};
    let base = FusionParams::default();
    let kinds = [
        (
            "dense only",
            FusionParams {
                lexical_weight: 0.0,
                semantic_weight: 1.0,
                geo_weight: 0.0,
                ..base
            },
        ),
        (
            "hybrid, scores",
            FusionParams {
                semantic_weight: 0.5,
                lexical_weight: 0.3,
                mode: FusionMode::Scores,
                ..base
            },
        ),
        (
            "hybrid, rrf",
            FusionParams {
                semantic_weight: 0.5,
                lexical_weight: 0.3,
                mode: FusionMode::Rrf,
                ..base
            },
        ),
    ];
    let mut variants: Vec<HybridVariant> = Vec::new();
    for &prefetch in &settings.prefetch {
        let (dense_name, dense) = kinds[0];
        for (n, &near) in settings.near_radius.iter().enumerate() {
            variants.push(HybridVariant {
                name: format!("{dense_name}, near {near}, prefetch {prefetch}"),
                fusion: dense,
                prefetch,
                words: 0,
                near,
                kind: n,
                store: 0,
            });
        }
        for &words in &settings.max_query_words {
            let limit = if words == 0 {
                "all words".to_string()
            } else {
                format!("{words} words")
            };
            for (k, (name, fusion)) in kinds.iter().enumerate().skip(1) {
                // The near-origin prefetch applies to score fusion only.
                let nears: Vec<f64> = if fusion.mode == FusionMode::Scores {
                    settings.near_radius.clone()
                } else {
                    vec![0.0]
                };
                for (n, near) in nears.into_iter().enumerate() {
                    let near_label = if fusion.mode == FusionMode::Scores {
                        format!(", near {near}")
                    } else {
                        String::new()
                    };
                    variants.push(HybridVariant {
                        name: format!("{name}, {limit}{near_label}, prefetch {prefetch}"),
                        fusion: *fusion,
                        prefetch,
                        words,
                        near,
                        kind: k * 1_000_000 + words * 100 + n,
                        store: 0,
                    });
                }
            }
        }
    }
    // Every variant on every store, interleaved per query (the same queries, the same machine
    // state), named by store when there are several.
    let base_variants = variants;
    let mut variants = Vec::new();
    for (s, store_name) in stores.iter().enumerate() {
        for v in &base_variants {
            variants.push(HybridVariant {
                name: if stores.len() > 1 {
                    format!("{store_name}: {}", v.name)
                } else {
                    v.name.clone()
                },
                kind: v.kind + s * 1_000_000_000,
                store: s,
                ..*v
            });
        }
    }
    variants
}

/// A place across South Korea's mainland box.
fn synthetic_place(rng: &mut SplitMix) -> crate::domain::GeoPoint {
    crate::domain::GeoPoint {
        lat: 34.6 + 3.3 * rng.unit(),
        lon: 126.4 + 3.0 * rng.unit(),
    }
}

/// One synthetic seeker: its stored document, and its (vector, home, commute bucket) for the
/// exact reference.
fn synthetic_seeker(
    rng: &mut SplitMix,
    centroids: &[Vec<f32>],
    analyser: crate::lexical::Analyser,
    i: usize,
) -> (
    crate::store::StoredDoc,
    (Vec<f32>, crate::domain::GeoPoint, u32),
) {
    use crate::domain::fields;
    use serde_json::json;
    let words = 40 + rng.below(120);
    let text = bench_text(rng, words);
    let home = synthetic_place(rng);
    let commute = if rng.unit() < 0.3 {
        0
    } else {
        crate::domain::COMMUTE_BUCKETS_KM[5 + rng.below(13)]
    };
    let mut payload = serde_json::Map::new();
    payload.insert(
        fields::GEO.into(),
        json!({ "lat": home.lat, "lon": home.lon }),
    );
    payload.insert(
        fields::SIDO_CODE.into(),
        json!(format!("{}", 11 + rng.below(40))),
    );
    payload.insert(fields::BIRTH_YEAR.into(), json!(1995 + rng.below(12)));
    payload.insert(fields::COMMUTE_BUCKET.into(), json!(commute));
    payload.insert(fields::RECORD.into(), json!({ "resume": text }));
    let vector = bench_vector(rng, centroids);
    let doc = crate::store::StoredDoc {
        id: format!("s{i}"),
        vector: vector.clone(),
        lexical: analyser.document_vector(&text),
        payload,
    };
    (doc, (vector, home, commute))
}

/// The stores `bench-hybrid` times: the embedded one in a scratch directory and, with a Qdrant
/// URL, scratch collections on that server (dropped with it, also on failure).
struct BenchStores {
    stores: Vec<(&'static str, std::sync::Arc<dyn crate::store::VectorStore>)>,
    /// The server's scratch generations, by store name.
    servers: Vec<(&'static str, ScratchGeneration)>,
    _scratch: tempfile::TempDir,
}

/// Per synthetic seeker: (vector, home, commute bucket), for the exact reference.
type SyntheticFacts = Vec<(Vec<f32>, crate::domain::GeoPoint, u32)>;

/// Per store: (name, seconds to load, seconds to optimise).
pub type LoadTimes = Vec<(&'static str, f64, f64)>;

impl BenchStores {
    fn open(
        settings: &HybridBenchSettings,
        model: &crate::embed::ModelInfo,
        analyser: crate::lexical::Analyser,
    ) -> Result<Self> {
        use crate::store::plan::StoredModel;
        use crate::store::server::QdrantServer;
        let scratch = tempfile::Builder::new()
            .prefix("jobmatch-bench-hybrid-")
            .tempdir()
            .map_err(|e| Error::Io(format!("cannot create a scratch directory: {e}")))?;
        let edge = crate::store::edge::EdgeStore::open(scratch.path(), model, analyser)?;
        let mut stores: Vec<(&'static str, std::sync::Arc<dyn crate::store::VectorStore>)> =
            vec![("embedded", std::sync::Arc::new(edge))];
        let mut servers = Vec::new();
        if let Some(options) = &settings.qdrant {
            let mut layouts = vec![(SERVER, options.clone())];
            if settings.compare_shards > 0 {
                let mut sharded = options.clone();
                sharded.shard_number = settings.compare_shards;
                layouts.push((SHARDED, sharded));
            }
            for (name, options) in layouts {
                let server = QdrantServer::connect(options)?;
                let (generation, store) =
                    server.create_unaliased(&StoredModel::of(model, analyser))?;
                stores.push((name, std::sync::Arc::new(store)));
                servers.push((name, ScratchGeneration { server, generation }));
            }
        }
        Ok(Self {
            stores,
            servers,
            _scratch: scratch,
        })
    }

    /// Stores the synthetic seekers in every store, in batches of 2,000, then optimises each
    /// (the server: until its collection is green). Returns the seekers' facts and, per store,
    /// (name, load seconds, optimise seconds).
    fn load(
        &self,
        settings: &HybridBenchSettings,
        rng: &mut SplitMix,
        centroids: &[Vec<f32>],
        analyser: crate::lexical::Analyser,
    ) -> Result<(SyntheticFacts, LoadTimes)> {
        use crate::store::Collection;
        let mut load_seconds = vec![0.0; self.stores.len()];
        let mut load = |batch: Vec<crate::store::StoredDoc>| -> Result<()> {
            for (i, (_, store)) in self.stores.iter().enumerate() {
                let started = Instant::now();
                store.upsert(Collection::Seekers, batch.clone())?;
                load_seconds[i] += started.elapsed().as_secs_f64();
            }
            Ok(())
        };
        let mut corpus = Vec::with_capacity(settings.seekers);
        let mut batch = Vec::new();
        for i in 0..settings.seekers {
            let (doc, facts) = synthetic_seeker(rng, centroids, analyser, i);
            corpus.push(facts);
            batch.push(doc);
            if batch.len() == 2000 {
                load(std::mem::take(&mut batch))?;
            }
        }
        if !batch.is_empty() {
            load(batch)?;
        }
        let mut timings = Vec::new();
        for (i, (name, store)) in self.stores.iter().enumerate() {
            let started = Instant::now();
            if settings.optimize {
                store.optimize()?;
                if let Some((_, scratch)) = self.servers.iter().find(|(n, _)| n == name) {
                    let limit = std::time::Duration::from_secs(3600);
                    scratch.server.wait_optimised(&scratch.generation, limit)?;
                }
            }
            timings.push((*name, load_seconds[i], started.elapsed().as_secs_f64()));
        }
        Ok((corpus, timings))
    }
}

/// A Qdrant generation made for one benchmark run; dropped with it.
struct ScratchGeneration {
    server: crate::store::server::QdrantServer,
    generation: crate::store::GenerationId,
}

impl Drop for ScratchGeneration {
    fn drop(&mut self) {
        use crate::store::Generations;
        if let Err(e) = self.server.remove(&self.generation) {
            eprintln!(
                "could not drop the benchmark's Qdrant collections ({}): {e}",
                self.generation
            );
        }
    }
}

/// One scheduling setting of `jobmatch bench-queue`: how long single queries take while one large
/// upsert runs on the inference thread, next to their latency on an idle thread.
#[derive(Debug, serde::Serialize)]
pub struct QueueBenchRow {
    pub model: String,
    /// `--inference-chunk-tokens` of this row (0: every request in one model call).
    pub chunk_tokens: usize,
    /// `--inference-bulk-chunk-tokens` of this row.
    pub bulk_chunk_tokens: usize,
    pub upsert_texts: usize,
    /// The upsert on its own, no query beside it.
    pub alone_texts_per_s: f64,
    pub idle_p50_ms: f64,
    /// Queries sent while the upsert ran, and their latency.
    pub queries_during: usize,
    pub during_p50_ms: f64,
    pub during_p95_ms: f64,
    pub during_max_ms: f64,
    pub upsert_seconds: f64,
    pub upsert_texts_per_s: f64,
}

/// For each schedule (chunk tokens, bulk chunk tokens): the idle latency of single queries, the
/// `upsert`-text passage request alone, then again with a query sent every 100 ms (each after the
/// previous answer) until it finishes. Long because the three measurements of a schedule share
/// its embedder and are easier to check as one sequence than spread over helpers.
pub async fn queue_benchmark(
    model_dir: &Path,
    texts: &Path,
    queries: &Path,
    upsert: usize,
    schedules: &[(usize, usize)],
) -> Result<Vec<QueueBenchRow>> {
    use crate::embed::{BatchingConfig, EmbeddingService};
    let pool = lines(texts)?;
    let queries = lines(queries)?;
    if pool.is_empty() || queries.is_empty() || upsert == 0 {
        return Err(Error::invalid(
            "--texts",
            "needs texts, queries and --upsert ≥ 1",
        ));
    }
    let bulk: Vec<String> = pool.iter().cycle().take(upsert).cloned().collect();
    let mut rows = Vec::new();
    for &(chunk_tokens, bulk_chunk_tokens) in schedules {
        let dir = model_dir.to_path_buf();
        let embedder = tokio::task::spawn_blocking(move || BertEmbedder::load(&dir))
            .await
            .map_err(|e| Error::Embedding(e.to_string()))??;
        let batching = BatchingConfig {
            chunk_tokens,
            bulk_chunk_tokens,
            queue_texts: upsert.max(BatchingConfig::default().queue_texts),
            ..BatchingConfig::default()
        };
        let service = EmbeddingService::start(Box::new(embedder), batching)?;
        let time_query = |i: usize| {
            let (service, text) = (service.clone(), queries[i % queries.len()].clone());
            async move {
                let start = Instant::now();
                service.embed(vec![text], TextKind::Query).await?;
                Ok::<f64, Error>(start.elapsed().as_secs_f64() * 1000.0)
            }
        };
        let mut idle = Vec::new();
        for i in 0..20 {
            idle.push(time_query(i).await?);
        }
        idle.sort_by(f64::total_cmp);
        let alone = Instant::now();
        service.embed(bulk.clone(), TextKind::Passage).await?;
        let alone_seconds = alone.elapsed().as_secs_f64();

        let started = Instant::now();
        let mut upsert_task = tokio::spawn({
            let (service, bulk) = (service.clone(), bulk.clone());
            async move {
                service
                    .embed(bulk, TextKind::Passage)
                    .await
                    .map(|_| Instant::now())
            }
        });
        let mut during = Vec::new();
        let finished = loop {
            tokio::select! {
                done = &mut upsert_task => break done.map_err(|e| Error::Embedding(e.to_string()))??,
                _ = tokio::time::sleep(std::time::Duration::from_millis(100)) => {
                    during.push(time_query(during.len()).await?);
                }
            }
        };
        during.sort_by(f64::total_cmp);
        let upsert_seconds = (finished - started).as_secs_f64();
        rows.push(QueueBenchRow {
            model: service.info().name.clone(),
            chunk_tokens,
            bulk_chunk_tokens,
            upsert_texts: upsert,
            alone_texts_per_s: upsert as f64 / alone_seconds,
            idle_p50_ms: percentile(&idle, 0.5),
            queries_during: during.len(),
            during_p50_ms: percentile(&during, 0.5),
            during_p95_ms: percentile(&during, 0.95),
            during_max_ms: during.last().copied().unwrap_or(0.0),
            upsert_seconds,
            upsert_texts_per_s: upsert as f64 / upsert_seconds,
        });
    }
    Ok(rows)
}
