//! Prometheus metrics on their own port (`--metrics-listen`): the inference queue and batch sizes,
//! and the store's sizes. Plain text exposition format; no personal data.

use std::fmt::Write;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::embed::BATCH_SIZE_BUCKETS;
use crate::matching::Matcher;
use crate::store::Collection;

/// Renders the current metrics; empty families until the model and store are ready.
pub async fn render(matcher: &OnceLock<Arc<Matcher>>) -> String {
    let mut out = String::new();
    let ready = matcher.get().is_some();
    let _ = writeln!(out, "# HELP jobmatch_ready 1 once the model is loaded and the store is open.\n# TYPE jobmatch_ready gauge\njobmatch_ready {}", u8::from(ready));
    let Some(matcher) = matcher.get() else {
        return out;
    };
    let embedder = matcher.embedder();
    let stats = embedder.stats();
    let load = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    let _ = writeln!(out, "# HELP jobmatch_inference_queue_depth Embedding requests waiting for the inference thread.\n# TYPE jobmatch_inference_queue_depth gauge\njobmatch_inference_queue_depth {}", load(&stats.queued));
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
        tokio::spawn(async move {
            // Read (and ignore) the request head; bounded so a client cannot make us buffer much.
            let mut head = [0u8; 4096];
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut head))
                .await;
            let body = render(&matcher).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        });
    }
}
