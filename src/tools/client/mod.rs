//! The command-line client commands, one file per group: [`ingest`](ingest()), the ranked lists
//! (`recommend`, `match-region`, `shortlist`), the operator's (`health`, `reindex`, `stats`) and
//! `eval`. Here: how they reach a server ([`ClientOptions`]) and the readers they share.

mod accountability;
mod admin;
mod evaluate;
mod ingest;
mod recommend;

pub use accountability::{access_log, audit, print_audit};
pub use admin::{health, reindex, stats};
pub use evaluate::eval;
pub use ingest::ingest;
pub use recommend::{match_region, place_cohort, recommend, shortlist};

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
use crate::error::{io_err, Error, Result};
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
            .map(|p| std::fs::read(p).map_err(io_err("read", p)))
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
    let file = std::fs::File::open(path).map_err(io_err("open", path))?;
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

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Io(e.to_string()))
}
