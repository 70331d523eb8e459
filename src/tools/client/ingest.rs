//! `jobmatch ingest`: files of records, to a server or straight into a data directory.

use super::*;

fn progress(len: usize, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    bar
}

/// Where ingested records go: a running server, or the data directory itself.
enum Sink {
    Server(Client),
    Direct(Box<Matcher>, Limits),
}

impl Sink {
    async fn postings(&mut self, batch: Vec<pb::Posting>, offset: usize) -> Result<()> {
        match self {
            Sink::Server(client) => {
                client
                    .upsert_postings(pb::UpsertPostingsRequest { postings: batch })
                    .await
                    .map_err(status_error)?;
            }
            Sink::Direct(matcher, limits) => {
                let postings = batch
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        api::posting_from_proto(p, limits, Gazetteer::builtin())
                            .map_err(|e| e.in_field(&format!("line {}", offset + i + 1)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                matcher.upsert_postings(postings).await?;
            }
        }
        Ok(())
    }

    async fn seekers(&mut self, batch: Vec<pb::Seeker>, offset: usize) -> Result<()> {
        match self {
            Sink::Server(client) => {
                client
                    .upsert_seekers(pb::UpsertSeekersRequest { seekers: batch })
                    .await
                    .map_err(status_error)?;
            }
            Sink::Direct(matcher, limits) => {
                use chrono::Datelike;
                let year = chrono::Utc::now().year();
                let seekers = batch
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        api::seeker_from_proto(s, limits, Gazetteer::builtin(), year)
                            .map_err(|e| e.in_field(&format!("line {}", offset + i + 1)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                matcher.upsert_seekers(seekers).await?;
            }
        }
        Ok(())
    }
}

/// `jobmatch ingest`: sends the files in batches, with a progress bar.
pub async fn ingest(args: IngestArgs, client: &ClientOptions) -> Result<()> {
    if args.batch_size == 0 {
        return Err(Error::invalid("--batch-size", "must be at least 1"));
    }
    // Parse everything first: a bad line stops the run before anything is written.
    let postings: Vec<pb::Posting> = args
        .postings
        .as_deref()
        .map(read_lines)
        .transpose()?
        .unwrap_or_default();
    let seekers: Vec<pb::Seeker> = args
        .seekers
        .as_deref()
        .map(read_lines)
        .transpose()?
        .unwrap_or_default();

    let mut sink = match &args.server {
        Some(server) => Sink::Server(client.matching(server).await?),
        None => {
            let ranking = RankingSettings {
                defaults: Default::default(),
                band_from_model: true,
                prefetch: 1,
                max_query_words: 0,
                near_radius: 0.0,
                beyond_commute: false,
            };
            Sink::Direct(
                Box::new(open_matcher(&args.store.to_config(), ranking, Default::default()).await?),
                args.limits.to_limits(),
            )
        }
    };
    if !postings.is_empty() {
        let bar = progress(postings.len(), "postings");
        for (n, batch) in postings.chunks(args.batch_size).enumerate() {
            sink.postings(batch.to_vec(), n * args.batch_size).await?;
            bar.inc(batch.len() as u64);
        }
        bar.finish();
    }
    if !seekers.is_empty() {
        let bar = progress(seekers.len(), "seekers");
        for (n, batch) in seekers.chunks(args.batch_size).enumerate() {
            sink.seekers(batch.to_vec(), n * args.batch_size).await?;
            bar.inc(batch.len() as u64);
        }
        bar.finish();
    }
    println!(
        "ingested {} postings and {} seekers",
        postings.len(),
        seekers.len()
    );
    Ok(())
}
