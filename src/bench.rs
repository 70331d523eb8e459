//! `jobmatch bench-embed`: times the embedding engine on a file of texts (batch throughput) and a
//! file of short queries (single-query latency), for comparison with the Python reference in
//! `scripts/bench-embed`. Prints one JSON line.

use std::path::Path;
use std::time::Instant;

use crate::embed::bert::BertEmbedder;
use crate::embed::{Embedder, TextKind};
use crate::error::{Error, Result};

#[derive(Debug, serde::Serialize)]
pub struct EmbedBenchReport {
    pub engine: String,
    pub model: String,
    pub batch: usize,
    pub texts: usize,
    pub texts_per_s: f64,
    pub query_p50_ms: f64,
    pub query_p95_ms: f64,
    pub peak_rss_mb: f64,
    /// Model FLOP per second over the batch run, from the token count (2 × parameters per token + attention).
    pub gflops: f64,
}

fn lines(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
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

pub fn embed_benchmark(
    model_dir: &Path,
    texts: &Path,
    queries: &Path,
    batch: usize,
) -> Result<EmbedBenchReport> {
    if batch == 0 {
        return Err(Error::invalid("--batch-size", "must be at least 1"));
    }
    let texts = lines(texts)?;
    let queries = lines(queries)?;
    let mut embedder = BertEmbedder::load(model_dir)?;
    let info = embedder.info().clone();

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
            "jobmatch candle {} threads",
            candle_core::utils::get_num_threads()
        ),
        model: info.name,
        batch,
        texts: texts.len(),
        texts_per_s: texts.len() as f64 / batch_seconds,
        query_p50_ms: percentile(&latencies, 0.5),
        query_p95_ms: percentile(&latencies, 0.95),
        peak_rss_mb: peak_rss_mb(),
        gflops: embedder.flops_per_token() * tokens as f64 / batch_seconds / 1e9,
    })
}
