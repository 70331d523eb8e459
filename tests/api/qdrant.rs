//! jobmatch on a real Qdrant server (`serve --qdrant-url`): the same rankings as the embedded
//! store, two replicas sharing one Qdrant, clear errors when Qdrant is away, a re-index that
//! switches aliases under traffic, and a three-node cluster that loses a node.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jobmatch::api::pb;
use jobmatch::config::ServeConfig;
use jobmatch::outcomes::EventLog;
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
async fn two_replicas_on_one_qdrant_see_each_others_writes_at_once_and_take_every_call() {
    if !qdrant::available(
        "two_replicas_on_one_qdrant_see_each_others_writes_at_once_and_take_every_call",
    ) {
        return;
    }
    let node = QdrantNode::start();
    let options = node.options();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let writer = TestServer::start_with(on_qdrant(dir_a.path(), options.clone())).await;
    let reader = TestServer::start_with(on_qdrant(dir_b.path(), options.clone())).await;
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

    // No writer flag and no special routing: writes, outcomes, deletes and recommendations go
    // round-robin over both replicas.
    let mut replicas = [a, b];
    let (mut kept, mut deleted) = (Vec::new(), Vec::new());
    for i in 0..8 {
        let id = format!("s-rr-{i}");
        let text = format!("용접 생산직 경력 {i}년, 연락처 010-5555-{i:04}");
        replicas[i % 2]
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: vec![seeker(&id, "용접 생산직", &text, region("경기도 화성시"))],
            })
            .await
            .unwrap();
        replicas[(i + 1) % 2]
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: postings[i].id.clone(),
                seeker_id: id.clone(),
                stage: pb::OutcomeStage::Contacted as i32,
                reason: format!("{id} 본인과 통화"),
                date: String::new(),
            })
            .await
            .unwrap();
        assert!(!candidates(&mut replicas[i % 2], &postings[i].id)
            .await
            .is_empty());
        if i % 2 == 0 {
            replicas[(i + 1) % 2]
                .delete_seeker(pb::DeleteRequest { id: id.clone() })
                .await
                .unwrap();
            deleted.push((id, text));
        } else {
            kept.push(id);
        }
    }
    for replica in &mut replicas {
        for id in &kept {
            let got = replica
                .get_seeker(pb::GetRequest { id: id.clone() })
                .await
                .unwrap();
            assert_eq!(&got.into_inner().id, id);
        }
        for (id, _) in &deleted {
            let gone = replica
                .get_seeker(pb::GetRequest { id: id.clone() })
                .await
                .unwrap_err();
            assert_eq!(gone.code(), Code::NotFound, "{id}");
        }
        for posting in &postings[..8] {
            let answer = candidates(replica, &posting.id).await;
            for (id, _) in &deleted {
                assert!(
                    answer.iter().all(|c| &c.seeker_id != id),
                    "{id} still recommended"
                );
            }
        }
        // Both replicas read the one shared log: 8 contacted pairs, 4 of them erased.
        let figures = replica
            .centre_figures(pb::CentreFiguresRequest::default())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(figures.events, 8);
    }
    let outcomes = node.points_json(&format!("{}outcomes", options.collection_prefix));
    assert_eq!(outcomes.matches("\"stage\"").count(), 8, "{outcomes}");
    for (id, text) in &deleted {
        assert!(
            !outcomes.contains(id.as_str()),
            "{id} is in the outcome collection"
        );
        let phone = text.split("연락처 ").nth(1).unwrap();
        assert!(
            !outcomes.contains(phone),
            "{id}'s text is in the outcome collection"
        );
    }
    for id in &kept {
        assert!(outcomes.contains(id.as_str()), "{id}'s event is kept");
    }
    // `jobmatch stats` reads the same shared log.
    let stats = jobmatch_command()
        .args(["stats", "--json", "--qdrant-url", &node.grpc_url])
        .args(["--qdrant-collection-prefix", &options.collection_prefix])
        .output()
        .unwrap();
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["events"], 8, "{stats}");
    let [a, b] = replicas;
    drop((a, b));
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
        urls: vec![format!("http://127.0.0.1:{port}")],
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
/// (The outcome log's collection, `{prefix}outcomes_v1`, is not a generation: the re-index
/// test leaves it out.)
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
        // The record generations, not the outcome and access logs' collections.
        .filter(|s| s.starts_with(&prefix) && (s.contains("_postings_") || s.contains("_seekers_")))
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

/// What a mixed load had acknowledged.
#[derive(Default)]
struct Acknowledged {
    upserted: Vec<String>,
    deleted: Vec<String>,
    outcomes: Vec<String>,
}

/// One round of the mixed load through `client`: an upsert, an outcome for a seeker written
/// earlier, a recommendation and, every third round, a delete; what was acknowledged is noted.
async fn mixed_round(
    client: &mut Client,
    round: usize,
    postings: &[pb::Posting],
    acked: &mut Acknowledged,
) {
    let id = format!("s-mixed-{round}");
    let written = client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker(
                &id,
                "용접 생산직",
                &format!("용접기능사, 생산직 경력 {round}년"),
                region("경기도 화성시"),
            )],
        })
        .await;
    if written.is_ok() {
        acked.upserted.push(id.clone());
    }
    if let Some(earlier) = acked
        .upserted
        .iter()
        .rev()
        .find(|s| !acked.deleted.contains(s))
        .cloned()
    {
        let recorded = client
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: postings[round % 16].id.clone(),
                seeker_id: earlier.clone(),
                stage: pb::OutcomeStage::Contacted as i32,
                reason: String::new(),
                date: String::new(),
            })
            .await;
        if recorded.is_ok() {
            acked.outcomes.push(earlier);
        }
    }
    let _ = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: postings[round % 16].id.clone(),
            options: options(5),
            filter: None,
        })
        .await;
    if round % 3 == 2 {
        if let Some(victim) = acked
            .upserted
            .iter()
            .find(|s| !acked.deleted.contains(s))
            .cloned()
        {
            if client
                .delete_seeker(pb::DeleteRequest { id: victim.clone() })
                .await
                .is_ok()
            {
                acked.deleted.push(victim);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_three_node_cluster_loses_a_node_and_a_jobmatch_replica_under_load_and_no_acknowledged_write(
) {
    if std::env::var_os("JOBMATCH_QDRANT_URL").is_some() && qdrant::qdrant_binary().is_none() {
        eprintln!(
            "cluster test: NOT RUN: it starts its own three nodes and needs the Qdrant binary"
        );
        return;
    }
    if !qdrant::available(
        "a_three_node_cluster_loses_a_node_and_a_jobmatch_replica_under_load_and_no_acknowledged_write",
    ) {
        return;
    }
    let mut first = QdrantNode::spawn(Cluster::First);
    let second = QdrantNode::spawn(Cluster::Join(&first));
    let third = QdrantNode::spawn(Cluster::Join(&first));
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
    // Every node's address, the first in use: the replicas fail over when it dies.
    options.urls = vec![
        first.grpc_url.clone(),
        second.grpc_url.clone(),
        third.grpc_url.clone(),
    ];
    options.shard_number = 3;
    options.replication_factor = 2;
    options.write_consistency_factor = 1;
    options.timeout = Duration::from_secs(3);
    // Replica A a child process (killed with SIGKILL), replica B in this process.
    let dir_a = tempfile::tempdir().unwrap();
    let args = vec![
        "--qdrant-url".to_string(),
        options.urls.join(","),
        "--qdrant-collection-prefix".to_string(),
        options.collection_prefix.clone(),
        "--qdrant-shards".to_string(),
        "3".to_string(),
        "--qdrant-replication-factor".to_string(),
        "2".to_string(),
        "--qdrant-timeout-secs".to_string(),
        "3".to_string(),
    ];
    let dir_b = tempfile::tempdir().unwrap();
    let replica_b = TestServer::start_with(on_qdrant(dir_b.path(), options.clone())).await;
    let replica_a = ChildServer::start_with_args(dir_a.path(), &model_dir(), &args).await;
    let (mut a, mut b) = (replica_a.client().await, replica_b.client().await);
    load_some(&mut b).await;
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let before = candidates(&mut a, &postings[0].id).await;
    assert!(!before.is_empty());

    let mut acked = Acknowledged::default();
    let mut replica_a = Some(replica_a);
    for round in 0..18 {
        if round == 6 {
            first.kill(); // the node both replicas use
        }
        if round == 10 {
            replica_a.take().unwrap().kill();
        }
        if replica_a.is_some() && round % 2 == 0 {
            mixed_round(&mut a, round, &postings, &mut acked).await;
        } else {
            mixed_round(&mut b, round, &postings, &mut acked).await;
        }
    }
    assert!(
        acked.upserted.len() >= 12,
        "writes are acknowledged with a node down: {}",
        acked.upserted.len()
    );
    assert!(!acked.deleted.is_empty() && !acked.outcomes.is_empty());
    // The replica left keeps answering: the seekers ranked before keep their order among the
    // load's new ones.
    let after = candidates(&mut b, &postings[0].id).await;
    let old: Vec<&str> = ids(&after)
        .into_iter()
        .filter(|id| !id.starts_with("s-mixed"))
        .collect();
    assert_eq!(
        old,
        ids(&before),
        "the same ranking with a node and a replica down"
    );

    first.launch();
    // Every acknowledged write is there, and no erased record came back (nor its events).
    for id in acked
        .upserted
        .iter()
        .filter(|id| !acked.deleted.contains(id))
    {
        let got = b
            .get_seeker(pb::GetRequest { id: id.clone() })
            .await
            .unwrap();
        assert_eq!(&got.into_inner().id, id);
    }
    let log = jobmatch::store::server::QdrantServer::connect(options.clone())
        .unwrap()
        .outcome_log(0)
        .unwrap();
    let events = log.events().unwrap();
    for id in &acked.deleted {
        let gone = b
            .get_seeker(pb::GetRequest { id: id.clone() })
            .await
            .unwrap_err();
        assert_eq!(gone.code(), Code::NotFound, "{id} came back");
        assert!(
            events.iter().all(|e| &e.seeker_id != id),
            "{id}'s events were not erased"
        );
    }
    for id in acked
        .outcomes
        .iter()
        .filter(|id| !acked.deleted.contains(id))
    {
        assert!(
            events.iter().any(|e| &e.seeker_id == id),
            "the outcome of {id} was lost"
        );
    }
    eprintln!(
        "cluster: 3 nodes, 3 shards × 2 replicas, 2 jobmatch replicas; node and replica killed; \
         acknowledged {} upserts, {} outcomes, {} deletes: none lost, none resurrected",
        acked.upserted.len(),
        acked.outcomes.len(),
        acked.deleted.len()
    );
    replica_b.stop().await;
    drop((second, third));
}
