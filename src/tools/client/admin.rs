//! `jobmatch health`, `reindex` and `stats`: the operator's commands.

use super::*;

/// `jobmatch health`: exits 0 once the server reports SERVING.
pub async fn health(args: HealthArgs, client: &ClientOptions) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(args.wait_secs);
    loop {
        let status = match client.connect(&args.server).await {
            Ok(channel) => HealthClient::new(channel)
                .check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .map(|r| r.into_inner().status())
                .map_err(status_error),
            Err(e) => Err(e),
        };
        match status {
            Ok(ServingStatus::Serving) => {
                println!("SERVING");
                return Ok(());
            }
            other if Instant::now() >= deadline => {
                return Err(Error::Unavailable(match other {
                    Ok(s) => format!("server reports {}", s.as_str_name()),
                    Err(e) => e.to_string(),
                }));
            }
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

fn print_progress(phase: &str, collection: &str, done: u64, total: u64, model: &str) {
    match phase {
        "copying" => eprintln!("copying {collection}: {done}/{total}"),
        "switched" => eprintln!("switched to {model} ({done} records)"),
        other => eprintln!("{other}"),
    }
}

/// `jobmatch reindex`: through a running server (streamed progress), or directly on a data directory.
pub async fn reindex(args: ReindexArgs, client: &ClientOptions) -> Result<()> {
    match &args.server {
        Some(server) => {
            let mut client = client.matching(server).await?;
            let mut stream = client
                .reindex(pb::ReindexRequest {
                    model_dir: args.model.display().to_string(),
                })
                .await
                .map_err(status_error)?
                .into_inner();
            let mut switched = false;
            while let Some(update) = stream.message().await.map_err(status_error)? {
                switched |= update.phase == "switched";
                print_progress(
                    &update.phase,
                    &update.collection,
                    update.done,
                    update.total,
                    &update.model,
                );
            }
            if !switched {
                return Err(Error::Io(
                    "the server ended the re-index without switching".into(),
                ));
            }
        }
        None => {
            let (progress, mut updates) = tokio::sync::mpsc::unbounded_channel();
            let printer = tokio::spawn(async move {
                while let Some(u) = updates.recv().await {
                    let u: crate::reindex::ReindexProgress = u;
                    print_progress(u.phase, u.collection, u.done, u.total, &u.model);
                }
            });
            let summary = crate::reindex::reindex_offline(
                &args.data_dir,
                &args.model,
                args.analyser,
                match &args.skills_vocabulary {
                    Some(path) => crate::skills::Vocabulary::with_file(path)?,
                    None => crate::skills::Vocabulary::builtin(),
                },
                progress,
            )
            .await?;
            let _ = printer.await;
            println!(
                "re-indexed {} postings and {} seekers with {} in {:.1} s; start the server with --model {}",
                summary.postings,
                summary.seekers,
                summary.model,
                summary.elapsed.as_secs_f64(),
                args.model.display()
            );
        }
    }
    Ok(())
}

/// `jobmatch stats`: the placement figures of the outcome log.
pub fn stats(args: StatsArgs) -> Result<()> {
    let events = match args.qdrant.to_options() {
        Some(options) => crate::store::server::QdrantServer::connect(options)?.outcome_events()?,
        None => crate::outcomes::read_events(&args.data_dir.join(crate::outcomes::FILE_NAME))?,
    };
    let stats = crate::outcomes::placement_stats(&events);
    if args.json {
        println!("{}", to_json(&stats)?);
        return Ok(());
    }
    println!("outcome events              {}", stats.events);
    println!("placements (latest: hired)  {}", stats.placements);
    println!("seekers placed              {}", stats.seekers_placed);
    println!("companies                   {}", stats.companies);
    println!(
        "aged 34 or younger          {:.1} %",
        100.0 * stats.share_aged_34_or_younger
    );
    println!(
        "in manufacturing            {:.1} %",
        100.0 * stats.share_manufacturing
    );
    println!(
        "in certified companies      {:.1} %",
        100.0 * stats.share_certified_company
    );
    println!(
        "median distance             {:.1} km",
        stats.median_distance_km
    );
    Ok(())
}
