//! Typed, validated settings of the server, built from the command line (`tools/cli.rs`) and
//! read by the server (`transport/server.rs`): here, beside its users, not among the
//! cross-cutting modules it would otherwise import from above.

use std::path::PathBuf;

use crate::domain::Limits;
use crate::embed::BatchingConfig;
use crate::error::{Error, Result};
use crate::matching::RankingSettings;

/// Where the data and the model are.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub data_dir: PathBuf,
    pub model_dir: PathBuf,
    /// Extra skill synonyms (added to `assets/skills_vocabulary.tsv`).
    pub skills_vocabulary: Option<PathBuf>,
    /// How texts become words for the lexical signal (recorded with the stored vectors).
    pub analyser: crate::lexical::Analyser,
    /// Outcome events older than this many days are dropped from the log (0: kept for ever).
    pub outcome_retention_days: u32,
    /// Access records older than this many days are dropped (0: kept for ever).
    pub access_retention_days: u32,
    /// A Qdrant server to keep the vectors in (None: embedded in `data_dir`).
    pub qdrant: Option<crate::store::server::QdrantOptions>,
    /// A crash point for recovery tests (see [`crate::failpoint`]); `None` in production.
    pub failpoint: Option<String>,
}

/// How callers prove who they are.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthConfig {
    /// `--no-auth`: no tokens; the server logs a warning.
    Disabled,
    /// Bearer tokens whose SHA-256 hashes, roles and regions are in this TOML file.
    TokensFile(PathBuf),
}

/// Everything `serve` needs besides its listener.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub store: StoreConfig,
    pub ranking: RankingSettings,
    pub limits: Limits,
    /// How the inference thread batches concurrent requests.
    pub batching: BatchingConfig,
    pub auth: AuthConfig,
    /// Requests served at once; beyond it, `RESOURCE_EXHAUSTED` at once.
    pub max_in_flight: usize,
    /// Serve TLS with this certificate chain and key (PEM); `None`: plaintext.
    pub tls: Option<TlsFiles>,
    /// Largest request message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Server-side limit on any request's time (clients' own `grpc-timeout` deadlines also apply).
    pub request_timeout: Option<std::time::Duration>,
    /// How often deleted records are erased from disk (see [`crate::store::purge`]) and the
    /// store's optimisers run.
    pub maintenance_interval: std::time::Duration,
    /// Lock the process's pages in RAM (`mlockall`; the server does it before loading the model).
    pub lock_memory: bool,
    /// The programmes and interview questions of the advice services (the shipped ones by default).
    pub advice: crate::advice::AdviceFiles,
}

/// PEM files of the server's certificate chain and private key.
#[derive(Debug, Clone, PartialEq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl ServeConfig {
    /// Checks the settings a typo could make nonsensical, naming the flag.
    pub fn validate(&self) -> Result<()> {
        self.ranking.defaults.validate(crate::ranking::flag_name)?;
        for (flag, value) in [
            ("--max-text-bytes", self.limits.max_text_bytes),
            ("--max-batch", self.limits.max_batch),
            ("--max-top-k", self.limits.max_top_k),
            ("--max-region-postings", self.limits.max_region_postings),
            ("--prefetch", self.ranking.prefetch),
            ("--inference-queue", self.batching.queue_texts),
            ("--batch-max-bytes", self.batching.max_batch_bytes),
            ("--max-in-flight", self.max_in_flight),
            ("--max-message-bytes", self.max_message_bytes),
            (
                "--maintenance-interval-secs",
                self.maintenance_interval.as_secs() as usize,
            ),
        ] {
            if value == 0 {
                return Err(Error::invalid(flag, "must be at least 1"));
            }
        }
        if self.batching.queue_texts < self.limits.max_batch {
            return Err(Error::invalid(
                "--inference-queue",
                format!(
                    "must hold at least one full upsert (--max-batch {}), got {}",
                    self.limits.max_batch, self.batching.queue_texts
                ),
            ));
        }
        let near = self.ranking.near_radius;
        if !near.is_finite() || near < 0.0 {
            return Err(Error::invalid(
                "--near-radius",
                format!("must be ≥ 0 (0: off), got {near}"),
            ));
        }
        Ok(())
    }
}
