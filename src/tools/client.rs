//! The command-line client side: ingest files, print recommendations, wait for health.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::service::Interceptor;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

use crate::api::{self, pb};
use crate::cli::{
    EvalArgs, ExportFormat, HealthArgs, IngestArgs, MatchRegionArgs, RecommendArgs, ReindexArgs,
    ShortlistArgs, StatsArgs,
};
use crate::domain::this_year;
use crate::domain::Limits;
use crate::error::{Error, Result};
use crate::export::{write_csv, ShortlistRow};
use crate::geo::Gazetteer;
use crate::matching::{Matcher, RankingSettings};
use crate::server::open_matcher;

/// How the client commands reach a server: the bearer token they send (`--token` /
/// `JOBMATCH_TOKEN`) and the CA that signed an https:// server's certificate (`--tls-ca`). Made
/// once by `main` and handed to each command.
#[derive(Clone, Default)]
pub struct ClientOptions {
    token: Option<MetadataValue<Ascii>>,
    tls_ca: Option<Vec<u8>>,
}

impl ClientOptions {
    /// Checks the token (an unprintable one is refused here, not on the wire) and reads the CA.
    pub fn new(token: Option<&str>, tls_ca: Option<&Path>) -> Result<Self> {
        let token = token
            .map(|t| {
                format!("Bearer {t}")
                    .parse::<MetadataValue<Ascii>>()
                    .map_err(|_| Error::invalid("--token", "must be printable ASCII"))
            })
            .transpose()?;
        let tls_ca = tls_ca
            .map(|p| {
                std::fs::read(p).map_err(|e| Error::Io(format!("cannot read {}: {e}", p.display())))
            })
            .transpose()?;
        Ok(Self { token, tls_ca })
    }

    async fn connect(&self, server: &str) -> Result<Channel> {
        let mut endpoint = Channel::from_shared(server.to_string())
            .map_err(|e| Error::invalid("--server", format!("'{server}' is not a URL: {e}")))?;
        if server.starts_with("https://") {
            let ca = self.tls_ca.clone().ok_or_else(|| {
                Error::invalid(
                    "--tls-ca",
                    "an https:// server needs the CA certificate that signed it",
                )
            })?;
            endpoint = endpoint
                .tls_config(ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca)))
                .map_err(|e| Error::invalid("--tls-ca", e.to_string()))?;
        }
        endpoint
            .connect()
            .await
            .map_err(|e| Error::Unavailable(format!("cannot connect to {server}: {e}")))
    }

    /// A `jobmatch.v1.Matching` client of `server` carrying the token.
    pub async fn matching(&self, server: &str) -> Result<Client> {
        Ok(pb::matching_client::MatchingClient::with_interceptor(
            self.connect(server).await?,
            BearerToken(self.token.clone()),
        ))
    }
}

/// Adds `authorization: Bearer …` to every call when there is a token.
#[derive(Clone)]
pub struct BearerToken(Option<MetadataValue<Ascii>>);

impl Interceptor for BearerToken {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> std::result::Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

pub type Client = pb::matching_client::MatchingClient<InterceptedService<Channel, BearerToken>>;

pub(crate) fn status_error(status: tonic::Status) -> Error {
    Error::Io(format!(
        "server answered {:?}: {}",
        status.code(),
        status.message()
    ))
}

/// Reads a JSON-lines file of proto-JSON messages; an error names the file and line.
pub fn read_lines<T: for<'de> serde::Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Io(format!("cannot open {}: {e}", path.display())))?;
    let mut records = Vec::new();
    for (n, line) in BufReader::new(file).split(b'\n').enumerate() {
        let bytes = line.map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            Error::invalid(
                format!("{}:{}", path.display(), n + 1),
                format!("not valid UTF-8 ({e})"),
            )
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("{}:{}", path.display(), n + 1), e.to_string()))?;
        records.push(record);
    }
    Ok(records)
}

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

fn options(args: &RecommendArgs) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k: args.top_k,
        semantic_weight: args.semantic_weight,
        geo_weight: args.geo_weight,
        decay_scale_km: args.decay_scale_km,
        max_distance_km: args.max_distance_km,
        ignore_seeker_commute: args.ignore_seeker_commute,
        lexical_weight: args.lexical_weight,
        ..Default::default()
    }
}

/// Columns on a terminal: Hangul and other wide characters take two cells.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `text` cut to at most `width` cells and padded to exactly `width`.
fn cell(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

fn print_row(
    rank: usize,
    id: &str,
    label: &str,
    region: &str,
    s: &pb::ScoreBreakdown,
    explanation: Option<&pb::Explanation>,
) {
    println!(
        "{rank:>3}  {} {} {} {:>8.1} {:>8.3} {:>6.2} {:>6.3} {:>7.3}",
        cell(id, 10),
        cell(label, 40),
        cell(region, 24),
        s.distance_km,
        s.semantic_similarity,
        s.lexical_score,
        s.geo_score,
        s.final_score
    );
    if let Some(e) = explanation {
        println!("     why: {}", e.reason);
    }
}

/// The support programmes a recommended pair meets, by name (`jobmatch programmes` and `--json`
/// give the conditions, near misses and sources).
fn print_programmes(programmes: &[pb::ProgrammeMatch]) {
    let met: Vec<&str> = programmes
        .iter()
        .filter(|p| p.eligible)
        .map(|p| p.name.as_str())
        .collect();
    if !met.is_empty() {
        println!("     programmes (verify before use): {}", met.join(", "));
    }
}

/// Says when nothing within the seekers' commutes is a match (the list, if any, lies beyond).
fn print_reach(nothing_within_reach: bool, empty: bool, noun: &str) {
    let commute = if noun == "posting" {
        "the seeker's commute"
    } else {
        "the seekers' commutes"
    };
    match (nothing_within_reach, empty) {
        (true, false) => println!(
            "No {noun} within {commute} clears the relevance floor; the matches below lie beyond it."
        ),
        (true, true) => println!("No {noun} within {commute} clears the relevance floor."),
        (false, true) => println!("No {noun} clears the relevance floor."),
        (false, false) => {}
    }
}

fn print_header(first: &str) {
    println!(
        "{:>3}  {} {} {} {:>8} {:>8} {:>6} {:>6} {:>7}",
        "#",
        cell("id", 10),
        cell(first, 40),
        cell("region", 24),
        "km",
        "semantic",
        "words",
        "geo",
        "final"
    );
}

/// `jobmatch recommend`: prints the ranked list as a table (or proto-JSON).
pub async fn recommend(args: RecommendArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    if let Some(posting_id) = &args.posting {
        candidates_for_posting(&mut client, posting_id, &args).await
    } else if let Some(seeker_id) = &args.seeker {
        postings_for_seeker(&mut client, seeker_id, &args).await
    } else {
        Ok(())
    }
}

fn print_json<T: serde::Serialize>(response: &T) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(response).map_err(|e| Error::Io(e.to_string()))?
    );
    Ok(())
}

async fn candidates_for_posting(
    client: &mut Client,
    posting_id: &str,
    args: &RecommendArgs,
) -> Result<()> {
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: posting_id.to_string(),
            options: Some(options(args)),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&response);
    }
    let posting = client
        .get_posting(pb::GetRequest {
            id: posting_id.to_string(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    println!(
        "Candidates for posting {} — {} ({}, {})",
        posting.id, posting.title, posting.company_name, response.origin_region_name
    );
    print_reach(
        response.nothing_within_reach,
        response.candidates.is_empty(),
        "seeker",
    );
    print_header("seeker");
    for (i, c) in response.candidates.iter().enumerate() {
        print_row(
            i + 1,
            &c.seeker_id,
            &format!("{} · {}", c.display_name, c.headline),
            &c.region_name,
            &c.score.clone().unwrap_or_default(),
            c.explanation.as_ref(),
        );
        print_programmes(&c.programmes);
    }
    Ok(())
}

async fn postings_for_seeker(
    client: &mut Client,
    seeker_id: &str,
    args: &RecommendArgs,
) -> Result<()> {
    let response = client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: seeker_id.to_string(),
            options: Some(options(args)),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        return print_json(&response);
    }
    println!(
        "Postings for seeker {seeker_id} ({})",
        response.origin_region_name
    );
    print_reach(
        response.nothing_within_reach,
        response.postings.is_empty(),
        "posting",
    );
    print_header("posting");
    for (i, p) in response.postings.iter().enumerate() {
        print_row(
            i + 1,
            &p.posting_id,
            &format!("{} · {}", p.title, p.company_name),
            &p.region_name,
            &p.score.clone().unwrap_or_default(),
            p.explanation.as_ref(),
        );
        print_programmes(&p.programmes);
    }
    Ok(())
}

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

/// Reads and validates a JSON-lines file of postings.
pub fn read_postings(path: &Path, limits: &Limits) -> Result<Vec<crate::domain::Posting>> {
    read_lines::<pb::Posting>(path)?
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            api::posting_from_proto(p, limits, Gazetteer::builtin())
                .map_err(|e| e.in_field(&format!("{}:{}", path.display(), i + 1)))
        })
        .collect()
}

/// Reads and validates a JSON-lines file of seekers.
pub fn read_seekers(path: &Path, limits: &Limits) -> Result<Vec<crate::domain::Seeker>> {
    let year = this_year();
    read_lines::<pb::Seeker>(path)?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            api::seeker_from_proto(s, limits, Gazetteer::builtin(), year)
                .map_err(|e| e.in_field(&format!("{}:{}", path.display(), i + 1)))
        })
        .collect()
}

/// `jobmatch eval`: one or two models on every labelled set, beside the reference rankers,
/// optionally with a weight search on each set's train split.
pub async fn eval(args: EvalArgs) -> Result<()> {
    use crate::eval;
    let limits = args.limits.to_limits();
    let settings = args.ranking.to_settings();
    let fusion = settings.defaults;
    fusion.validate(crate::ranking::flag_name)?;
    let mut reports = Vec::new();
    for (name, postings, seekers, qrels) in eval_sets(&args) {
        let postings = read_postings(&postings, &limits)?;
        let seekers = read_seekers(&seekers, &limits)?;
        let qrels = {
            let seeker_ids = seekers.iter().map(|s| s.id.as_str()).collect();
            let posting_ids = postings.iter().map(|p| p.id.as_str()).collect();
            eval::read_qrels(&qrels, &seeker_ids, &posting_ids)?
        };
        let set = eval::EvalSet {
            postings,
            seekers,
            qrels,
        };
        let report = eval_set(&args, &name, &set, settings).await?;
        println!("{}", eval::render(&report));
        reports.push(report);
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&serde_json::json!({ "sets": reports }))
            .map_err(|e| Error::Io(e.to_string()))?;
        std::fs::write(path, text)
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The sets `eval` runs on: (name, postings, seekers, qrels).
fn eval_sets(args: &EvalArgs) -> Vec<(String, PathBuf, PathBuf, PathBuf)> {
    let files = |dir: &Path| {
        (
            dir.display().to_string(),
            dir.join("postings.jsonl"),
            dir.join("seekers.jsonl"),
            dir.join("qrels.tsv"),
        )
    };
    if args.postings.is_some() || args.seekers.is_some() || args.qrels.is_some() {
        let default = Path::new("./samples/eval");
        let qrels = args.qrels.clone().unwrap_or(default.join("qrels.tsv"));
        return vec![(
            qrels.display().to_string(),
            args.postings
                .clone()
                .unwrap_or(default.join("postings.jsonl")),
            args.seekers
                .clone()
                .unwrap_or(default.join("seekers.jsonl")),
            qrels,
        )];
    }
    if args.sets.is_empty() {
        ["./samples/eval", "./samples/occupations"]
            .into_iter()
            .map(|d| files(Path::new(d)))
            .collect()
    } else {
        args.sets.iter().map(|d| files(d)).collect()
    }
}

/// Each signal or setting taken away in turn, on the reported split.
async fn ablation_rows(
    indexed: &crate::eval::Indexed,
    reported: &crate::eval::Qrels,
    fusion: crate::ranking::FusionParams,
) -> Result<Vec<crate::eval::AblationRow>> {
    let mut rows = Vec::new();
    for (name, setting) in crate::eval::ablation_settings(fusion) {
        let per_seeker = indexed.evaluate(reported, setting).await?;
        rows.push(crate::eval::AblationRow {
            name: name.to_string(),
            fusion: setting.into(),
            summary: crate::eval::summarise(&per_seeker),
        });
    }
    Ok(rows)
}

/// Tunes on the train split; the best setting is then measured on the reported split.
async fn tune_report(
    indexed: &crate::eval::Indexed,
    train: &crate::eval::Qrels,
    reported: &crate::eval::Qrels,
    fusion: crate::ranking::FusionParams,
) -> Result<crate::eval::TuneReport> {
    use crate::eval;
    eprintln!(
        "tuning {} on the train split (coordinate search, {} settings a round)",
        indexed.model,
        eval::tune_neighbours(fusion).len()
    );
    let points = eval::tune(indexed, train, fusion, 4).await?;
    let given_ndcg = eval::summarise(&indexed.evaluate(train, fusion).await?);
    let best_reported = eval::summarise(&indexed.evaluate(reported, points[0].params).await?);
    Ok(eval::TuneReport {
        model: indexed.model.clone(),
        best: points[0],
        given_ndcg_at_10: given_ndcg.ndcg_at_10.mean,
        reported_ndcg_at_10: best_reported.ndcg_at_10.mean,
        top: points.into_iter().take(10).collect(),
    })
}

/// Every figure of one set: references, each model, and the optional ablation and tuning.
async fn eval_set(
    args: &EvalArgs,
    name: &str,
    set: &crate::eval::EvalSet,
    settings: crate::matching::RankingSettings,
) -> Result<crate::eval::Report> {
    use crate::eval;
    let reported = set.qrels.split(args.split);
    let train = set.qrels.split(eval::Split::Train);
    if reported.relevant_seekers().next().is_none() {
        return Err(Error::invalid(
            name,
            format!(
                "no labelled seeker falls in the {} split",
                args.split.name()
            ),
        ));
    }
    let mut references: Vec<eval::ReferenceRow> = eval::reference_rankers(set, &reported)
        .into_iter()
        .map(|(name, per_seeker)| eval::ReferenceRow {
            name: name.to_string(),
            summary: eval::summarise(&per_seeker),
        })
        .collect();
    let mut model_dirs = vec![args.model.clone()];
    model_dirs.extend(args.compare.clone());
    let (mut models, mut per_model, mut tuning, mut ablation) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut given = None;
    for dir in &model_dirs {
        eprintln!(
            "{name}: indexing {} postings and {} seekers with {}",
            set.postings.len(),
            set.seekers.len(),
            dir.display()
        );
        let mut indexed = eval::index(dir, set, settings, args.analyser).await?;
        // As the server ranks: the flags' settings, with the model's band unless flags set one.
        let fusion = indexed.matcher.default_fusion();
        given.get_or_insert(fusion);
        // The reference "dense only, commute filter" always respects the commute.
        let dense = indexed
            .evaluate_with(&reported, eval::dense_reference(fusion), Some(false))
            .await?;
        references.push(eval::ReferenceRow {
            name: format!("dense only, commute filter ({})", indexed.model),
            summary: eval::summarise(&dense),
        });
        indexed.ignore_seeker_commute = args.ignore_seeker_commute;
        let per_seeker = indexed.evaluate(&reported, fusion).await?;
        models.push(eval::ModelReport {
            model: indexed.model.clone(),
            model_dir: dir.clone(),
            summary: eval::summarise(&per_seeker),
        });
        if args.ablation {
            let rows = ablation_rows(&indexed, &reported, fusion).await?;
            ablation.push((indexed.model.clone(), rows));
        }
        if args.tune {
            tuning.push(tune_report(&indexed, &train, &reported, fusion).await?);
        }
        per_model.push(per_seeker);
    }
    let difference = match &per_model[..] {
        [a, b] => Some(eval::compare(a, b)),
        _ => None,
    };
    Ok(eval::Report {
        set: name.to_string(),
        split: args.split.name(),
        seeker_commute: if args.ignore_seeker_commute {
            "ignored"
        } else {
            "respected"
        },
        seekers_evaluated: per_model[0].len(),
        references,
        analyser: args.analyser.name().to_string(),
        fusion: given.unwrap_or(settings.defaults).into(),
        models,
        difference,
        tuning,
        ablation,
    })
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

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Io(e.to_string()))
}

/// `jobmatch match-region`: plan shortlists for a region and compare with greedy top-k.
pub async fn match_region(args: MatchRegionArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let response = client
        .match_region(pb::MatchRegionRequest {
            posting_ids: args.postings.clone(),
            regions: args.regions.clone(),
            k: args.k,
            max_lists_per_seeker: args.max_lists,
            options: Some(pb::RankingOptions {
                top_k: args.candidates,
                ignore_seeker_commute: args.ignore_seeker_commute,
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        println!("{}", to_json(&response)?);
        return Ok(());
    }
    println!(
        "{:<22} {:>11} {:>16} {:>12} {:>12}",
        "", "total score", "distinct seekers", "empty lists", "short lists"
    );
    for (name, summary) in [
        ("plan (capped)", &response.plan),
        ("greedy top-k", &response.greedy),
    ] {
        let s = summary.unwrap_or_default();
        println!(
            "{name:<22} {:>11.3} {:>16} {:>12} {:>12}",
            s.total_score, s.distinct_seekers, s.empty_lists, s.short_lists
        );
    }
    for list in &response.shortlists {
        println!(
            "\n{} {} ({} of {})",
            list.posting_id,
            list.title,
            list.candidates.len(),
            list.size
        );
        for c in &list.candidates {
            let score = c.score.clone().unwrap_or_default();
            let reason = c
                .explanation
                .as_ref()
                .map(|e| e.reason.as_str())
                .unwrap_or("");
            println!("  {:<10} {:.3}  {reason}", c.seeker_id, score.final_score);
        }
    }
    Ok(())
}

/// `jobmatch shortlist`: a posting's candidates with explanations, as CSV or JSON on stdout.
pub async fn shortlist(args: ShortlistArgs, client: &ClientOptions) -> Result<()> {
    let mut client = client.matching(&args.server).await?;
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: args.posting.clone(),
            options: Some(pb::RankingOptions {
                top_k: args.top_k,
                ignore_seeker_commute: args.ignore_seeker_commute,
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .map_err(status_error)?
        .into_inner();
    let mut rows = Vec::new();
    for (i, candidate) in response.candidates.into_iter().enumerate() {
        let resume = if args.include_resume {
            let seeker = client
                .get_seeker(pb::GetRequest {
                    id: candidate.seeker_id.clone(),
                })
                .await
                .map_err(status_error)?
                .into_inner();
            Some(seeker.resume)
        } else {
            None
        };
        rows.push(ShortlistRow::new(i + 1, candidate, resume));
    }
    match args.format {
        ExportFormat::Json => println!("{}", to_json(&rows)?),
        ExportFormat::Csv => write_csv(&rows, std::io::stdout())?,
    }
    Ok(())
}

/// `jobmatch stats`: the placement figures of the outcome log.
pub fn stats(args: StatsArgs) -> Result<()> {
    let path = args.data_dir.join(crate::outcomes::FILE_NAME);
    let events = crate::outcomes::read_events(&path)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_hangul_as_two_columns() {
        assert_eq!(display_width("용접 CO2"), 8);
        assert_eq!(cell("용접기능사", 5), "용접 ");
        assert_eq!(display_width(&cell("경기도 화성시", 24)), 24);
        assert_eq!(cell("abc", 5), "abc  ");
    }
}
