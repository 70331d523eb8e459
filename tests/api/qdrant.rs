//! jobmatch on a real Qdrant server (`serve --qdrant-url`): the same rankings as the embedded
//! store, two replicas sharing one Qdrant, clear errors when Qdrant is away, a re-index that
//! switches aliases under traffic, and a three-node cluster that loses a node.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jobmatch::api::pb;
use jobmatch::config::ServeConfig;
use tonic::Code;

use crate::common::qdrant::{self, Cluster, QdrantNode};
use crate::common::*;

type Client = pb::matching_client::MatchingClient<tonic::transport::Channel>;

fn on_qdrant(
    data_dir: &std::path::Path,
    options: jobmatch::store::server::QdrantOptions,
) -> ServeConfig {
    let mut config = config(data_dir);
    config.store.qdrant = Some(options);
    config
}

/// A slice of the demo: 16 postings, 48 seekers (enough for rankings with ties broken by data).
async fn load_some(client: &mut Client) {
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let seekers: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: postings[..16].to_vec(),
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: seekers[..48].to_vec(),
        })
        .await
        .unwrap();
}

async fn candidates(client: &mut Client, posting: &str) -> Vec<pb::CandidateMatch> {
    crate::common::candidates(client, posting, options(10).unwrap(), None).await
}

async fn postings_for(client: &mut Client, seeker: &str) -> Vec<pb::PostingMatch> {
    client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: seeker.into(),
            options: options(10),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner()
        .postings
}

/// A ranked answer's id, scores and reason line, whichever side was ranked.
trait Ranked: std::fmt::Debug {
    fn id(&self) -> &str;
    fn score(&self) -> &pb::ScoreBreakdown;
    fn reason(&self) -> &str;
}

impl Ranked for pb::CandidateMatch {
    fn id(&self) -> &str {
        &self.seeker_id
    }
    fn score(&self) -> &pb::ScoreBreakdown {
        self.score.as_ref().expect("a score")
    }
    fn reason(&self) -> &str {
        &self.explanation.as_ref().expect("an explanation").reason
    }
}

impl Ranked for pb::PostingMatch {
    fn id(&self) -> &str {
        &self.posting_id
    }
    fn score(&self) -> &pb::ScoreBreakdown {
        self.score.as_ref().expect("a score")
    }
    fn reason(&self) -> &str {
        &self.explanation.as_ref().expect("an explanation").reason
    }
}

/// Same ids in the same order, scores within 1e-4, and the same reason lines.
fn assert_same_ranking<T: Ranked>(a: &[T], b: &[T], what: &str) {
    let ids = |list: &[T]| list.iter().map(|r| r.id().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(a), ids(b), "{what}");
    for (x, y) in a.iter().zip(b) {
        let (sx, sy) = (x.score(), y.score());
        assert!(
            (sx.final_score - sy.final_score).abs() < 1e-4
                && (sx.semantic_similarity - sy.semantic_similarity).abs() < 1e-4,
            "{what}: {sx:?} vs {sy:?}"
        );
        assert_eq!(x.reason(), y.reason(), "{what}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_backend_ranks_explains_and_scores_as_the_embedded_store_does() {
    if !qdrant::available("the_server_backend_ranks_explains_and_scores_as_the_embedded_store_does")
    {
        return;
    }
    let node = QdrantNode::start();
    let (embedded_dir, server_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let embedded = TestServer::start(embedded_dir.path()).await;
    let on_server = TestServer::start_with(on_qdrant(server_dir.path(), node.options())).await;
    let (mut a, mut b) = (embedded.client().await, on_server.client().await);
    load_some(&mut a).await;
    load_some(&mut b).await;
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let seekers: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
    let mut compared = 0;
    for posting in &postings[..16] {
        let (x, y) = (
            candidates(&mut a, &posting.id).await,
            candidates(&mut b, &posting.id).await,
        );
        assert!(!x.is_empty(), "posting {} has candidates", posting.id);
        assert_same_ranking(&x, &y, &format!("candidates of {}", posting.id));
        compared += 1;
    }
    for seeker in seekers[..48].iter().step_by(4) {
        let (x, y) = (
            postings_for(&mut a, &seeker.id).await,
            postings_for(&mut b, &seeker.id).await,
        );
        assert_same_ranking(&x, &y, &format!("postings for {}", seeker.id));
        compared += 1;
    }
    assert_eq!(compared, 16 + 12);
    embedded.stop().await;
    on_server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_qdrant_see_each_others_writes_at_once_and_rank_alike() {
    if !qdrant::available(
        "two_replicas_on_one_qdrant_see_each_others_writes_at_once_and_rank_alike",
    ) {
        return;
    }
    let node = QdrantNode::start();
    let options = node.options();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let writer = TestServer::start_with(on_qdrant(dir_a.path(), options.clone())).await;
    let reader_options = jobmatch::store::server::QdrantOptions {
        outcome_log_writer: false,
        ..options
    };
    let reader = TestServer::start_with(on_qdrant(dir_b.path(), reader_options)).await;
    let (mut a, mut b) = (writer.client().await, reader.client().await);
    load_some(&mut a).await;
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    // Written through one replica, read and ranked through the other at once.
    let fetched = b
        .get_posting(pb::GetRequest {
            id: postings[3].id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(fetched.title, postings[3].title);
    for posting in &postings[..6] {
        let (x, y) = (
            candidates(&mut a, &posting.id).await,
            candidates(&mut b, &posting.id).await,
        );
        assert_same_ranking(
            &x,
            &y,
            &format!("candidates of {} on two replicas", posting.id),
        );
    }
    // A seeker written through the reader appears in the writer's rankings.
    let new_seeker = seeker(
        "s-replica",
        "CNC 선반 가공 경력",
        "CNC 선반과 머시닝센터 가공 3년, 용접기능사 보유",
        region("경기도 화성시"),
    );
    b.upsert_seekers(pb::UpsertSeekersRequest {
        seekers: vec![new_seeker],
    })
    .await
    .unwrap();
    let everyone = a
        .get_seeker(pb::GetRequest {
            id: "s-replica".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(everyone.id, "s-replica");

    // The outcome log has one writer: the other replica refuses outcomes and deletes, naming it.
    let outcome = pb::RecordOutcomeRequest {
        posting_id: postings[0].id.clone(),
        seeker_id: "s-replica".into(),
        stage: pb::OutcomeStage::Contacted as i32,
        reason: String::new(),
        date: String::new(),
    };
    let refused = b.record_outcome(outcome.clone()).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(
        refused.message().contains("--outcome-log-writer"),
        "{refused:?}"
    );
    let refused = b
        .delete_seeker(pb::DeleteRequest {
            id: "s-replica".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    a.record_outcome(outcome).await.unwrap();
    a.delete_seeker(pb::DeleteRequest {
        id: "s-replica".into(),
    })
    .await
    .unwrap();
    let gone = b
        .get_seeker(pb::GetRequest {
            id: "s-replica".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
    writer.stop().await;
    reader.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qdrant_that_cannot_be_reached_is_unavailable_with_its_address() {
    if !qdrant::available("a_qdrant_that_cannot_be_reached_is_unavailable_with_its_address") {
        return;
    }
    // At start: serve stops with UNAVAILABLE naming the address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let unreachable = jobmatch::store::server::QdrantOptions {
        url: format!("http://127.0.0.1:{port}"),
        timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = on_qdrant(dir.path(), unreachable);
    let result = jobmatch::server::serve(listener, config, std::future::pending()).await;
    match result {
        Err(jobmatch::Error::Unavailable(message)) => {
            assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}")
        }
        other => panic!("expected UNAVAILABLE, got {other:?}"),
    }

    // While serving: Qdrant goes away, calls answer UNAVAILABLE (not INTERNAL, no panic), and
    // the server keeps running.
    let mut node = QdrantNode::spawn(Cluster::Single);
    let mut qdrant_options = node.options();
    qdrant_options.timeout = Duration::from_secs(2);
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(on_qdrant(dir.path(), qdrant_options)).await;
    let mut client = server.client().await;
    load_some(&mut client).await;
    node.kill();
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let status = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: postings[0].id.clone(),
            options: options(5),
            filter: None,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    let status = client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker("s-x", "용접", "용접 경력", region("경기도 화성시"))],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    // Back again: the same server answers.
    node.launch();
    let mut answered = false;
    for _ in 0..50 {
        if client
            .get_posting(pb::GetRequest {
                id: postings[0].id.clone(),
            })
            .await
            .is_ok()
        {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(answered, "the server answers once Qdrant is back");
    server.stop().await;
}

/// The Qdrant collections of a prefix (over REST).
fn collections(node: &QdrantNode) -> String {
    node.http_get("/collections").expect("Qdrant answers").1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reindex_switches_the_aliases_under_traffic_and_drops_the_old_collections() {
    if !qdrant::available(
        "a_reindex_switches_the_aliases_under_traffic_and_drops_the_old_collections",
    ) {
        return;
    }
    let node = QdrantNode::start();
    let qdrant_options = node.options();
    let prefix = qdrant_options.collection_prefix.clone();
    let dir = tempfile::tempdir().unwrap();
    let mut config = on_qdrant(dir.path(), qdrant_options);
    config.store.model_dir = minilm_model_dir();
    let server = TestServer::start_with(config).await;
    let mut client = server.client().await;
    load_some(&mut client).await;
    let before = collections(&node);
    let old: Vec<String> = before
        .split('"')
        .filter(|s| s.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    assert_eq!(
        old.len(),
        2,
        "one postings and one seekers collection: {before}"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let (served, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let traffic = {
        let (mut client, stop, served, failures) = (
            client.clone(),
            stop.clone(),
            served.clone(),
            failures.clone(),
        );
        let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let request = pb::RecommendCandidatesRequest {
                    posting_id: postings[i % 16].id.clone(),
                    options: options(5),
                    filter: None,
                };
                match client.recommend_candidates(request).await {
                    Ok(r) if !r.get_ref().candidates.is_empty() => {
                        served.fetch_add(1, Ordering::SeqCst)
                    }
                    _ => failures.fetch_add(1, Ordering::SeqCst),
                };
                i += 1;
            }
        })
    };
    let mut stream = client
        .reindex(pb::ReindexRequest {
            model_dir: e5_model_dir().display().to_string(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut last = None;
    while let Some(update) = stream.message().await.unwrap() {
        last = Some(update);
    }
    stop.store(true, Ordering::SeqCst);
    traffic.await.unwrap();
    let last = last.expect("progress was streamed");
    assert_eq!(last.phase, "switched");
    assert_eq!(
        failures.load(Ordering::SeqCst),
        0,
        "no request failed during the re-index"
    );
    assert!(served.load(Ordering::SeqCst) > 0);
    let info = client
        .model_info(pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(info.name.contains("e5"), "{info:?}");
    // The old generation's collections go once nothing reads them.
    let mut dropped = false;
    for _ in 0..100 {
        let now = collections(&node);
        if old.iter().all(|name| !now.contains(&format!("\"{name}\""))) {
            dropped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(dropped, "old collections dropped: {}", collections(&node));
    let after = candidates(
        &mut client,
        &read_jsonl::<pb::Posting>("demo/postings.jsonl")[0].id,
    )
    .await;
    assert!(!after.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_three_node_cluster_keeps_answering_with_a_node_killed_and_loses_no_acknowledged_write() {
    if std::env::var_os("JOBMATCH_QDRANT_URL").is_some() && qdrant::qdrant_binary().is_none() {
        eprintln!(
            "cluster test: NOT RUN: it starts its own three nodes and needs the Qdrant binary"
        );
        return;
    }
    if !qdrant::available(
        "a_three_node_cluster_keeps_answering_with_a_node_killed_and_loses_no_acknowledged_write",
    ) {
        return;
    }
    let first = QdrantNode::spawn(Cluster::First);
    let second = QdrantNode::spawn(Cluster::Join(&first));
    let mut third = QdrantNode::spawn(Cluster::Join(&first));
    // Wait until the first node lists three peers.
    let mut peers = 0;
    for _ in 0..100 {
        let body = first.http_get("/cluster").map(|r| r.1).unwrap_or_default();
        peers = body.matches("\"uri\"").count();
        if peers == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(peers, 3, "three peers in the cluster");
    let mut options = first.options();
    options.shard_number = 3;
    options.replication_factor = 2;
    options.write_consistency_factor = 1;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(on_qdrant(dir.path(), options)).await;
    let mut client = server.client().await;
    load_some(&mut client).await;
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let before = candidates(&mut client, &postings[0].id).await;
    assert!(!before.is_empty());

    third.kill();
    assert_same_ranking(
        &before,
        &candidates(&mut client, &postings[0].id).await,
        "the same ranking with a node down",
    );
    // Reads keep answering, and writes are acknowledged by the replicas left.
    let mut acknowledged = Vec::new();
    for i in 0..12 {
        let found = candidates(&mut client, &postings[i % 16].id).await;
        assert!(!found.is_empty(), "answers with a node down");
        let id = format!("s-down-{i}");
        let written = client
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: vec![seeker(
                    &id,
                    "용접 생산직",
                    "용접기능사, 생산직 경력 2년",
                    region("경기도 화성시"),
                )],
            })
            .await;
        if written.is_ok() {
            acknowledged.push(id);
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "writes are acknowledged with one node down"
    );

    third.launch();
    // Every acknowledged write is there once the node is back (and while it catches up).
    for id in &acknowledged {
        let got = client
            .get_seeker(pb::GetRequest { id: id.clone() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(&got.id, id);
    }
    eprintln!(
        "cluster: 3 nodes, 3 shards × 2 replicas; {} of 12 writes acknowledged with a node down, all present after it returned",
        acknowledged.len()
    );
    server.stop().await;
    drop((second, first));
}
