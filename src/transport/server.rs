//! Starting and stopping the server: `serve(listener, config, shutdown)` takes its listener and its
//! shutdown signal, so tests bind `127.0.0.1:0` and stop it cleanly.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_stream::StreamExt;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic_health::ServingStatus;
use tracing::{debug, error, info, warn};

use crate::api::pb;
use crate::auth::Authenticator;
use crate::config::{AuthConfig, ServeConfig, StoreConfig};
use crate::embed::load_model;
use crate::embed::BatchingConfig;
use crate::error::{io_err, Error, Result};
use crate::grpc::{MatchingApi, MatchingApiV2};
use crate::matching::{Engine, Matcher, RankingSettings};
use crate::metrics::RpcMetrics;
use crate::outcomes::{FileOutcomeLog, OutcomeLog};
use crate::store::access_log::{AccessLog, FileAccessLog};
use crate::store::layout::DataDir;
use crate::store::plan::StoredModel;
use crate::store::server::QdrantServer;
use crate::store::Generations;

/// Loads the model (on its inference thread) and opens the store's serving generation (the
/// data directory's, or the Qdrant server's with `--qdrant-url`): the slow part of start-up.
pub async fn open_matcher(
    store: &StoreConfig,
    ranking: RankingSettings,
    batching: BatchingConfig,
) -> Result<Matcher> {
    let vocabulary = match &store.skills_vocabulary {
        Some(path) => crate::skills::Vocabulary::with_file(path)?,
        None => crate::skills::Vocabulary::builtin(),
    };
    let embedder = load_model(&store.model_dir, batching).await?;
    let model = StoredModel::of(embedder.info(), store.analyser);
    let analyser = store.analyser;
    let config = store.clone();
    let (generations, generation, opened, (outcomes, access)) = tokio::task::spawn_blocking(move || {
        // The outcome and access logs live where the records do: in the data directory, or in
        // collections of the Qdrant server that every replica shares.
        type Logs = (Arc<dyn OutcomeLog>, Arc<dyn AccessLog>);
        let (generations, logs): (Arc<dyn Generations>, Logs) = match &config.qdrant {
            None => {
                let data_dir = DataDir::open(&config.data_dir)?;
                let outcomes =
                    FileOutcomeLog::open(&config.data_dir, config.outcome_retention_days)?;
                let access = FileAccessLog::open(&config.data_dir, config.access_retention_days)?;
                (Arc::new(data_dir), (Arc::new(outcomes), Arc::new(access)))
            }
            Some(options) => {
                let server = QdrantServer::connect(options.clone())?;
                info!(url = %options.urls.join(", "), version = server.version(), "store: Qdrant server");
                let outcomes = server.outcome_log(config.outcome_retention_days)?;
                let access = server.access_log(config.access_retention_days)?;
                (Arc::new(server), (Arc::new(outcomes), Arc::new(access)))
            }
        };
        let (generation, opened) = generations.open_serving(&model)?;
        Ok::<_, Error>((generations, generation, opened, logs))
    })
    .await
    .map_err(|e| Error::Store(format!("store opening panicked: {e}")))??;
    let engine = Engine {
        embedder,
        analyser,
        vocabulary: Arc::new(vocabulary),
        store: opened,
        generation: Some(generation),
        samples: Default::default(),
    };
    Ok(Matcher::new(engine, ranking, Some(generations))
        .with_outcome_log(outcomes)
        .with_access_log(access)
        .with_shared_store(store.qdrant.is_some())
        .with_failpoint(store.failpoint.clone()))
}

/// Locks every page the process has touched or will touch in RAM (`mlockall` with
/// `MCL_ONFAULT`: pages are locked as they are first used, so large mappings are not read in
/// whole). Memory-mapped vectors, index and payloads then never go back to disk under memory
/// pressure or idle-page reclaim.
pub fn lock_memory() -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: mlockall takes flags only and changes no memory the program sees.
        let status =
            unsafe { libc::mlockall(libc::MCL_CURRENT | libc::MCL_FUTURE | libc::MCL_ONFAULT) };
        if status == 0 {
            return Ok(());
        }
        Err(Error::FailedPrecondition(format!(
            "--lock-memory: mlockall failed ({}); grant CAP_IPC_LOCK or raise `ulimit -l`",
            std::io::Error::last_os_error()
        )))
    }
    #[cfg(not(target_os = "linux"))]
    Err(Error::FailedPrecondition(
        "--lock-memory is supported on Linux only".into(),
    ))
}

/// Every `every` (once the matcher is ready) until `stop`: erases deleted records from disk, then
/// runs the store's optimisers, so a grown collection gets its vector index.
async fn maintenance_loop(
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    every: std::time::Duration,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            _ = tick.tick() => {}
        }
        let Some(matcher) = matcher.get().cloned() else {
            continue;
        };
        let expirer = matcher.clone();
        match tokio::task::spawn_blocking(move || expirer.expire_outcomes()).await {
            Ok(Ok(0)) => {}
            Ok(Ok(events)) => info!(
                events,
                "outcome events and access records past their retention dropped"
            ),
            Ok(Err(e)) => warn!(error = %e, "dropping old outcome events failed; retried later"),
            Err(e) => warn!(error = %e, "the outcome retention task failed"),
        }
        let purger = matcher.clone();
        match tokio::task::spawn_blocking(move || purger.purge_deleted()).await {
            Ok(Ok(0)) => {}
            Ok(Ok(collections)) => info!(collections, "deleted records erased from disk"),
            Ok(Err(e)) => {
                warn!(error = %e, "erasing deleted records failed; retried at the next interval")
            }
            Err(e) => warn!(error = %e, "the purge task failed"),
        }
        let started = std::time::Instant::now();
        match tokio::task::spawn_blocking(move || matcher.optimize()).await {
            Ok(Ok(false)) => debug!("store maintenance: nothing to optimise"),
            Ok(Ok(true)) => info!(
                seconds = started.elapsed().as_secs_f64(),
                "store optimised (vector index, segment merges)"
            ),
            Ok(Err(e)) => {
                warn!(error = %e, "optimising the store failed; retried at the next interval")
            }
            Err(e) => warn!(error = %e, "the optimiser task failed"),
        }
    }
}

/// Serves `jobmatch.v1.Matching` and `jobmatch.v2.Matching`, `grpc.health.v1` and reflection on `listener` until `shutdown`
/// resolves. Health is NOT_SERVING until the model is loaded and warmed and the store is open;
/// if either fails, the server stops and the error is returned.
pub async fn serve(
    listener: TcpListener,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    serve_with_metrics(listener, None, config, shutdown).await
}

/// [`serve`], plus Prometheus metrics over HTTP on `metrics_listener` when given.
pub async fn serve_with_metrics(
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let listeners = Listeners {
        grpc: listener,
        metrics: metrics_listener,
        console: None,
    };
    serve_all(listeners, config, shutdown).await
}

/// Where the server listens: gRPC, and optionally metrics and the counsellors' console.
pub struct Listeners {
    pub grpc: TcpListener,
    /// Prometheus metrics over HTTP (`--metrics-listen`).
    pub metrics: Option<TcpListener>,
    /// The web console and its JSON gateway (`--console-listen`), TLS when gRPC is.
    pub console: Option<TcpListener>,
}

/// A side server (metrics, console) and the sender that stops it.
struct SideServer {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<()>>,
}

impl SideServer {
    fn spawn<F: Future<Output = Result<()>> + Send + 'static>(
        serve: impl FnOnce(tokio::sync::oneshot::Receiver<()>) -> F,
    ) -> Self {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        Self {
            stop,
            task: tokio::spawn(serve(stopped)),
        }
    }

    async fn stop(self, name: &str) {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => warn!(error = %e, "the {name} server failed"),
            Err(e) => warn!(error = %e, "the {name} server task failed"),
        }
    }
}

/// The console on `listener`, over the same service `api` gRPC serves.
fn start_console(
    listener: TcpListener,
    api: MatchingApi,
    config: &ServeConfig,
) -> Result<SideServer> {
    let tls = config
        .tls
        .as_ref()
        .map(crate::console::tls_acceptor)
        .transpose()?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Io(e.to_string()))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    info!(address = %format!("{scheme}://{address}/"), "console listening");
    let app = crate::console::router(api, config.max_message_bytes);
    Ok(SideServer::spawn(move |stopped| {
        crate::console::serve_console(listener, app, tls, async {
            let _ = stopped.await;
        })
    }))
}

type Health = tonic_health::server::HealthReporter;
type MatchingService = pb::matching_server::MatchingServer<MatchingApi>;
type MatchingServiceV2 = crate::api::pb2::matching_server::MatchingServer<MatchingApiV2>;

/// The health service, NOT_SERVING until start-up is done.
async fn not_serving_yet() -> (
    Health,
    tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health>,
) {
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    reporter.set_not_serving::<MatchingService>().await;
    reporter.set_not_serving::<MatchingServiceV2>().await;
    (reporter, service)
}

fn authenticator(config: &AuthConfig) -> Result<Authenticator> {
    Ok(match config {
        AuthConfig::Disabled => {
            warn!("authentication is OFF (--no-auth): every caller may call every RPC");
            Authenticator::Disabled
        }
        AuthConfig::TokensFile(path) => Authenticator::from_file(path)?,
    })
}

/// tonic's server, with the certificate when TLS is configured.
fn grpc_server(config: &ServeConfig) -> Result<Server> {
    let mut builder = Server::builder();
    if let Some(tls) = &config.tls {
        let read = |path: &std::path::Path| std::fs::read(path).map_err(io_err("read", path));
        let identity = Identity::from_pem(read(&tls.cert)?, read(&tls.key)?);
        builder = builder
            .tls_config(ServerTlsConfig::new().identity(identity))
            .map_err(|e| {
                Error::invalid("--tls-cert", format!("unusable certificate or key: {e}"))
            })?;
    }
    Ok(builder)
}

/// Loads the model and opens the store in the background; on success sets `matcher` and
/// reports SERVING, on failure sends the error to `failed`.
fn start_up(
    config: &ServeConfig,
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    programmes: crate::programmes::Programmes,
    health: Health,
    failed: tokio::sync::oneshot::Sender<Error>,
) -> tokio::task::JoinHandle<()> {
    let config = config.clone();
    tokio::spawn(async move {
        match open_matcher(&config.store, config.ranking, config.batching).await {
            Ok(ready) => {
                let info = ready.embedder().info().clone();
                let _ = matcher.set(Arc::new(ready.with_programmes(programmes)));
                health.set_service_status("", ServingStatus::Serving).await;
                health.set_serving::<MatchingService>().await;
                health.set_serving::<MatchingServiceV2>().await;
                info!(model = %info.name, dimension = info.dimension, "ready: SERVING");
            }
            Err(e) => {
                error!(error = %e, "start-up failed");
                let _ = failed.send(e);
            }
        }
    })
}

fn start_metrics(
    listener: TcpListener,
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    rpcs: Arc<RpcMetrics>,
) -> SideServer {
    SideServer::spawn(move |stopped| async move {
        crate::metrics::serve_metrics(listener, matcher, rpcs, async {
            let _ = stopped.await;
        })
        .await;
        Ok(())
    })
}

/// gRPC reflection for the matching and health services, so grpcurl needs no .proto files.
fn reflection_service() -> Result<
    tonic_reflection::server::v1::ServerReflectionServer<
        impl tonic_reflection::server::v1::ServerReflection,
    >,
> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|e| Error::Io(format!("reflection: {e}")))
}

/// [`serve`] on every listener of `listeners`.
pub async fn serve_all(
    listeners: Listeners,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    config.validate()?;
    // Read before listening: a centre's broken file stops the start, not the first advice.
    let programmes = config.advice.programmes()?;
    let advisor = crate::advice::Advisor::new(config.advice.questions()?);
    if config.lock_memory {
        lock_memory()?;
        info!("memory locked: pages the server touches stay in RAM");
    }
    let (health, health_service) = not_serving_yet().await;
    let reflection = reflection_service()?;
    let mut builder = grpc_server(&config)?;

    let rpcs = Arc::new(RpcMetrics::default());
    let matcher = Arc::new(OnceLock::new());
    let auth = authenticator(&config.auth)?;
    let api = MatchingApi::new(matcher.clone(), &config, auth, advisor, rpcs.clone());
    let console = (listeners.console)
        .map(|listener| start_console(listener, api.clone(), &config))
        .transpose()?;
    let metrics = (listeners.metrics).map(|l| start_metrics(l, matcher.clone(), rpcs));
    let (maintenance_stop, maintenance_stopped) = tokio::sync::oneshot::channel::<()>();
    let maintenance = tokio::spawn(maintenance_loop(
        matcher.clone(),
        config.maintenance_interval,
        maintenance_stopped,
    ));
    let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<Error>();
    let startup = start_up(&config, matcher, programmes, health, failed_tx);

    let address = listeners
        .grpc
        .local_addr()
        .map_err(|e| Error::Io(e.to_string()))?;
    info!(%address, "listening");
    let mut failure = None;
    let stop = async {
        tokio::pin!(shutdown);
        tokio::select! {
            _ = &mut shutdown => {}
            result = failed_rx => match result {
                Ok(e) => failure = Some(e),
                // Start-up succeeded (its sender is gone): serve until asked to stop.
                Err(_) => shutdown.await,
            },
        }
    };
    let matching_v2 = MatchingServiceV2::new(MatchingApiV2(api.clone()))
        .max_decoding_message_size(config.max_message_bytes);
    let matching = MatchingService::new(api).max_decoding_message_size(config.max_message_bytes);
    let incoming = without_nagle(TcpListenerStream::new(listeners.grpc));
    let served = builder
        .add_service(health_service)
        .add_service(reflection)
        .add_service(matching)
        .add_service(matching_v2)
        .serve_with_incoming_shutdown(incoming, stop)
        .await;
    startup.abort();
    // Let a purge in progress finish: the store must be closed before the process (or a test) goes on.
    let _ = maintenance_stop.send(());
    let _ = maintenance.await;
    for (name, side) in [("metrics", metrics), ("console", console)] {
        if let Some(side) = side {
            side.stop(name).await;
        }
    }
    served.map_err(|e| Error::Io(format!("server error: {e}")))?;
    match failure {
        Some(e) => Err(e),
        None => {
            info!("stopped");
            Ok(())
        }
    }
}

/// Accepted connections with `TCP_NODELAY`: a response written in several segments (an `Embed`
/// answer, 1.5 KB of vector after its headers) otherwise waited for the client's delayed ACK,
/// about 40 ms, under Nagle's algorithm.
fn without_nagle(
    incoming: TcpListenerStream,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    incoming.map(|accepted| {
        let stream = accepted?;
        if let Err(e) = stream.set_nodelay(true) {
            // Only slower, never wrong: serve the connection anyway.
            tracing::debug!(error = %e, "TCP_NODELAY could not be set");
        }
        Ok(stream)
    })
}
