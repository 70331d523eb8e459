//! The limits the README promises, each over a real channel: the in-flight cap and a full
//! inference queue answer `RESOURCE_EXHAUSTED` at once, an oversized message `OUT_OF_RANGE`
//! (tonic's decoding limit), the server's time limit `DEADLINE_EXCEEDED`; and the server keeps
//! serving after each.

use std::time::{Duration, Instant};

use jobmatch::api::pb;
use tonic::Code;

use crate::common::*;

/// Long enough that embedding `count` of them holds the inference thread for many seconds.
fn long_texts(count: usize, bytes: usize) -> Vec<String> {
    let sentence = "특성화고 기계과를 졸업하고 CNC 선반과 밀링으로 자동차 부품을 가공했습니다. ";
    (0..count)
        .map(|i| {
            let mut text = format!("{i}번 지원자. ");
            while text.len() + sentence.len() <= bytes {
                text.push_str(sentence);
            }
            text
        })
        .collect()
}

fn embed(texts: Vec<String>) -> pb::EmbedRequest {
    pb::EmbedRequest {
        texts,
        is_query: false,
    }
}

/// Waits until the server's inference queue holds `texts` texts.
async fn until_queued(server: &TestServer, texts: f64) {
    for _ in 0..300 {
        if server.metric("jobmatch_inference_queue_texts").await >= texts {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the inference queue never held {texts} texts");
}

async fn still_serving(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
) {
    let answer = client
        .embed(embed(vec!["용접 기능사".into()]))
        .await
        .expect("the server stopped serving");
    assert_eq!(answer.into_inner().vectors.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_flight_cap_refuses_at_once_and_the_time_limit_answers_deadline_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = plain_config(dir.path());
    config.max_in_flight = 1;
    config.request_timeout = Some(Duration::from_secs(2));
    let server = TestServer::start_with_config_and_metrics(config).await;
    let mut holder = server.client().await;
    let slow = tokio::spawn(async move {
        let started = Instant::now();
        (
            holder.embed(embed(long_texts(100, 2000))).await,
            started.elapsed(),
        )
    });
    until_queued(&server, 100.0).await;

    let mut client = server.client().await;
    let started = Instant::now();
    let refused = client
        .get_posting(pb::GetRequest { id: "p1".into() })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(
        refused.message().contains("in flight"),
        "{}",
        refused.message()
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the refusal waited"
    );

    let (answer, took) = slow.await.unwrap();
    let status = answer.unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(
        status.message().contains("--request-timeout-secs"),
        "{}",
        status.message()
    );
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    // The abandoned request stops using the model within one chunk; then the server serves.
    for _ in 0..500 {
        if server.metric("jobmatch_inference_queue_texts").await == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.metric("jobmatch_inference_queue_texts").await, 0.0);
    still_serving(&mut client).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_inference_queue_and_an_oversized_message_are_refused_and_serving_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = plain_config(dir.path());
    config.limits.max_batch = 100;
    config.batching.queue_texts = 100;
    config.max_message_bytes = 256 * 1024;
    let server = TestServer::start_with_config_and_metrics(config).await;

    // 100 × 4,000 bytes: over the 256 KiB message limit (each text is within --max-text-bytes).
    let mut client = server.client().await;
    let oversized = client
        .embed(embed(long_texts(100, 4000)))
        .await
        .unwrap_err();
    assert_eq!(oversized.code(), Code::OutOfRange, "{oversized:?}");
    assert!(
        oversized.message().contains("too large"),
        "{}",
        oversized.message()
    );
    still_serving(&mut client).await;

    let mut holder = server.client().await;
    let slow = tokio::spawn(async move { holder.embed(embed(long_texts(100, 2000))).await });
    until_queued(&server, 100.0).await;
    let started = Instant::now();
    let refused = client
        .embed(embed(vec!["CNC 선반".into()]))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(
        refused.message().contains("embedding queue is full"),
        "{}",
        refused.message()
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the refusal waited"
    );
    // A refused request changes nothing: the queue still holds exactly the first request.
    assert_eq!(server.metric("jobmatch_inference_queue_texts").await, 100.0);
    slow.abort();
    for _ in 0..500 {
        if server.metric("jobmatch_inference_queue_texts").await == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    still_serving(&mut client).await;
    server.stop().await;
}
