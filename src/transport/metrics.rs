//! Prometheus metrics on their own port (`--metrics-listen`): the inference queue and batch sizes,
//! and the store's sizes. Plain text exposition format; no personal data.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::embed::BATCH_SIZE_BUCKETS;
use crate::matching::Matcher;
use crate::store::Collection;

/// Upper bounds (seconds) of the RPC latency histogram buckets.
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct RpcStat {
    count: u64,
    seconds: f64,
    /// Cumulative, as Prometheus expects.
    buckets: [u64; LATENCY_BUCKETS.len()],
}

/// Requests and latency by RPC and status code.
#[derive(Debug, Default)]
pub struct RpcMetrics {
    by_rpc: Mutex<BTreeMap<(&'static str, &'static str), RpcStat>>,
}

impl RpcMetrics {
    pub fn record(&self, rpc: &'static str, code: tonic::Code, elapsed: Duration) {
        let code = code_name(code);
        let seconds = elapsed.as_secs_f64();
        let mut by_rpc = self.by_rpc.lock().unwrap_or_else(|p| p.into_inner());
        let stat = by_rpc.entry((rpc, code)).or_default();
        stat.count += 1;
        stat.seconds += seconds;
        for (bound, bucket) in LATENCY_BUCKETS.iter().zip(stat.buckets.iter_mut()) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
    }

    fn render(&self, out: &mut String) {
        let by_rpc = self
            .by_rpc
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let _ = writeln!(out, "# HELP jobmatch_rpc_requests_total Requests by RPC and gRPC status.\n# TYPE jobmatch_rpc_requests_total counter");
        for ((rpc, code), stat) in &by_rpc {
            let _ = writeln!(
                out,
                "jobmatch_rpc_requests_total{{rpc=\"{rpc}\",code=\"{code}\"}} {}",
                stat.count
            );
        }
        let _ = writeln!(out, "# HELP jobmatch_rpc_duration_seconds Request latency by RPC and gRPC status.\n# TYPE jobmatch_rpc_duration_seconds histogram");
        for ((rpc, code), stat) in &by_rpc {
            let labels = format!("rpc=\"{rpc}\",code=\"{code}\"");
            for (bound, bucket) in LATENCY_BUCKETS.iter().zip(&stat.buckets) {
                let _ = writeln!(
                    out,
                    "jobmatch_rpc_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {bucket}"
                );
            }
            let _ = writeln!(
                out,
                "jobmatch_rpc_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                stat.count
            );
            let _ = writeln!(
                out,
                "jobmatch_rpc_duration_seconds_sum{{{labels}}} {}",
                stat.seconds
            );
            let _ = writeln!(
                out,
                "jobmatch_rpc_duration_seconds_count{{{labels}}} {}",
                stat.count
            );
        }
    }
}

/// The canonical upper-case name of a gRPC status code.
pub fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "OK",
        Cancelled => "CANCELLED",
        Unknown => "UNKNOWN",
        InvalidArgument => "INVALID_ARGUMENT",
        DeadlineExceeded => "DEADLINE_EXCEEDED",
        NotFound => "NOT_FOUND",
        AlreadyExists => "ALREADY_EXISTS",
        PermissionDenied => "PERMISSION_DENIED",
        ResourceExhausted => "RESOURCE_EXHAUSTED",
        FailedPrecondition => "FAILED_PRECONDITION",
        Aborted => "ABORTED",
        OutOfRange => "OUT_OF_RANGE",
        Unimplemented => "UNIMPLEMENTED",
        Internal => "INTERNAL",
        Unavailable => "UNAVAILABLE",
        DataLoss => "DATA_LOSS",
        Unauthenticated => "UNAUTHENTICATED",
    }
}

/// Renders the current metrics; empty model and store families until they are ready.
pub async fn render(matcher: &OnceLock<Arc<Matcher>>, rpcs: &RpcMetrics) -> String {
    let mut out = String::new();
    rpcs.render(&mut out);
    let ready = matcher.get().is_some();
    let _ = writeln!(out, "# HELP jobmatch_ready 1 once the model is loaded and the store is open.\n# TYPE jobmatch_ready gauge\njobmatch_ready {}", u8::from(ready));
    let Some(matcher) = matcher.get() else {
        return out;
    };
    let embedder = matcher.embedder();
    let stats = embedder.stats();
    let load = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    let _ = writeln!(out, "# HELP jobmatch_inference_queue_depth Embedding requests waiting for the inference thread or running.\n# TYPE jobmatch_inference_queue_depth gauge\njobmatch_inference_queue_depth {}", load(&stats.queued));
    let _ = writeln!(out, "# HELP jobmatch_inference_queue_texts Texts of the embedding requests waiting or running (bounded by --inference-queue).\n# TYPE jobmatch_inference_queue_texts gauge\njobmatch_inference_queue_texts {}", load(&stats.queued_texts));
    let _ = writeln!(out, "# HELP jobmatch_inference_requests_total Embedding requests answered.\n# TYPE jobmatch_inference_requests_total counter\njobmatch_inference_requests_total {}", load(&stats.requests));
    let _ = writeln!(out, "# HELP jobmatch_inference_batch_size Texts per model call.\n# TYPE jobmatch_inference_batch_size histogram");
    for (bound, bucket) in BATCH_SIZE_BUCKETS.iter().zip(&stats.batch_size_buckets) {
        let _ = writeln!(
            out,
            "jobmatch_inference_batch_size_bucket{{le=\"{bound}\"}} {}",
            load(bucket)
        );
    }
    let _ = writeln!(
        out,
        "jobmatch_inference_batch_size_bucket{{le=\"+Inf\"}} {}",
        load(&stats.batches)
    );
    let _ = writeln!(
        out,
        "jobmatch_inference_batch_size_sum {}\njobmatch_inference_batch_size_count {}",
        load(&stats.texts),
        load(&stats.batches)
    );
    let _ = writeln!(out, "# HELP jobmatch_store_points Records stored per collection.\n# TYPE jobmatch_store_points gauge");
    for collection in [Collection::Postings, Collection::Seekers] {
        if let Ok(count) = matcher.count(collection).await {
            let _ = writeln!(
                out,
                "jobmatch_store_points{{collection=\"{}\"}} {count}",
                collection.name()
            );
        }
    }
    out
}

/// Answers every HTTP request on `listener` with the metrics until `shutdown` resolves.
/// (One GET per connection, as Prometheus scrapes; anything else gets the same text.)
pub async fn serve_metrics(
    listener: TcpListener,
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    rpcs: Arc<RpcMetrics>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let (mut socket, _) = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(_) => continue,
            },
        };
        let matcher = matcher.clone();
        let rpcs = rpcs.clone();
        tokio::spawn(async move {
            // Read (and ignore) the request head; bounded so a client cannot make us buffer much.
            let mut head = [0u8; 4096];
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut head))
                .await;
            let body = render(&matcher, &rpcs).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        });
    }
}
