//! The benchmark commands of the binary: run a benchmark of this folder and print its report.

use crate::cli::{BenchEmbedArgs, BenchHybridArgs, BenchMatchRegionArgs, BenchQueueArgs};
use crate::error::{Error, Result};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Io(e.to_string()))
}

/// `jobmatch bench-match-region`: the LP plan against greedy top-k on a random instance.
pub fn match_region(args: BenchMatchRegionArgs) -> Result<()> {
    use crate::region_match::{greedy_top_k, optimal, random_problem};
    let problem = random_problem(
        args.postings,
        args.seekers,
        args.candidates,
        args.list_size,
        args.max_lists_per_seeker,
        args.seed,
    );
    let started = std::time::Instant::now();
    let greedy = greedy_top_k(&problem).stats(&problem);
    let greedy_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = std::time::Instant::now();
    let plan = optimal(&problem)?.stats(&problem);
    let plan_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "{} postings × {} seekers, {} candidate pairs, lists of {}, ≤ {} lists per seeker",
        args.postings,
        args.seekers,
        problem.candidates.len(),
        args.list_size,
        args.max_lists_per_seeker
    );
    for (name, stats, ms) in [
        ("greedy top-k", greedy, greedy_ms),
        ("plan (LP)", plan, plan_ms),
    ] {
        println!(
            "{name:<13} total {:.2}  distinct seekers {}  empty lists {}  short lists {}  {ms:.0} ms",
            stats.total_score, stats.distinct_seekers, stats.empty_lists, stats.short_lists
        );
    }
    Ok(())
}

/// `jobmatch bench-hybrid`: store latency at scale, dense only against hybrid variants.
pub async fn hybrid(args: BenchHybridArgs) -> Result<()> {
    if args.lock_memory {
        crate::server::lock_memory()?;
        println!("memory locked (mlockall)");
    }
    let settings = super::HybridBenchSettings {
        seekers: args.seekers,
        queries: args.queries,
        prefetch: args.prefetch.clone(),
        top_k: args.top_k,
        optimize: args.optimize,
        max_query_words: args.max_query_words.clone(),
        near_radius: args.near_radius.clone(),
        seed: args.seed,
        qdrant: args.qdrant.to_options(),
        compare_shards: args.compare_shards,
    };
    let report = tokio::task::spawn_blocking(move || super::hybrid_benchmark(&settings))
        .await
        .map_err(|e| Error::Io(format!("the benchmark task failed: {e}")))??;
    println!(
        "{} synthetic seekers, {} queries per variant, top {}",
        report.seekers, report.queries, report.top_k
    );
    for (store, load, optimise) in &report.load_seconds {
        let optimised = if report.optimized {
            format!(", optimised in {optimise:.0} s")
        } else {
            String::new()
        };
        println!("{store}: loaded in {load:.0} s{optimised}");
    }
    let (agreed, compared) = report.query_words_agreed;
    if compared > 0 {
        println!("query words chosen alike by both backends: {agreed} of {compared} queries");
    }
    for row in &report.rows {
        let mut overlap = row
            .overlap_with_widest
            .map(|o| format!("  shared with the widest prefetch {o:.3}"))
            .unwrap_or_default();
        if let Some(recall) = row.exact_recall {
            overlap.push_str(&format!("  exact top-{} found {recall:.3}", report.top_k));
        }
        println!(
            "{:<60} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  mean {:>6.2} ms{overlap}",
            row.variant, row.p50_ms, row.p95_ms, row.p99_ms, row.mean_ms
        );
    }
    if !report.shard_agreement.is_empty() {
        println!(
            "{} shards against 1 (the same data and queries on the same Qdrant server):",
            args.compare_shards
        );
    }
    for row in &report.shard_agreement {
        let words = if row.word_scores_compared == 0 {
            "no word scores".to_string()
        } else {
            format!(
                "word scores: mean relative difference {:.4}, largest {:.4} ({} results compared)",
                row.word_score_mean_difference,
                row.word_score_max_difference,
                row.word_scores_compared
            )
        };
        println!(
            "{:<60} top-{k} shared {:.3}  identical lists {:.3}  {words}",
            row.variant,
            row.shared,
            row.identical,
            k = report.top_k,
        );
    }
    Ok(())
}

/// `jobmatch bench-queue`: query latency while a large upsert holds the inference thread.
pub async fn queue(args: BenchQueueArgs) -> Result<()> {
    let schedules = args
        .schedules
        .iter()
        .map(|s| {
            let (small, bulk) = s.split_once('/').unwrap_or((s, s));
            match (small.trim().parse(), bulk.trim().parse()) {
                (Ok(small), Ok(bulk)) => Ok((small, bulk)),
                _ => Err(Error::invalid(
                    "--schedules",
                    format!("'{s}' is not CHUNK/BULK (token counts) or 0"),
                )),
            }
        })
        .collect::<Result<Vec<(usize, usize)>>>()?;
    let rows = super::queue_benchmark(
        &args.model,
        &args.texts,
        &args.queries,
        args.upsert,
        &schedules,
    )
    .await?;
    for row in rows {
        println!("{}", json(&row)?);
    }
    Ok(())
}

/// `jobmatch bench-embed`: the engine's side of `scripts/bench-embed` (one JSON line).
pub async fn embed(args: BenchEmbedArgs) -> Result<()> {
    let report = tokio::task::spawn_blocking(move || {
        super::embed_benchmark(
            &args.model,
            &args.texts,
            &args.queries,
            args.batch_size,
            args.engine,
            args.int8_short_inputs,
            args.vectors_out.as_deref(),
        )
    })
    .await
    .map_err(|e| Error::Io(format!("the benchmark task failed: {e}")))??;
    println!("{}", json(&report)?);
    Ok(())
}
