//! Every replica equal: the outcome log's contract on both lowerings (the data directory's file
//! and a real Qdrant server's collection), and a delete killed between its two steps that
//! completes on retry.

use std::time::Duration;

use jobmatch::api::pb;
use jobmatch::outcomes::{
    placement_stats, EventLog, FileOutcomeLog, OutcomeEvent, OutcomeLog, Stage, Subject,
    ERASED_PREFIX,
};
use jobmatch::store::access_log::{AccessLog, AccessRecord, Action, FileAccessLog};
use jobmatch::store::event_log::LogEvent;
use jobmatch::store::server::logs::QdrantLog;
use jobmatch::store::server::QdrantServer;
use tonic::Code;

use crate::common::qdrant::{self, QdrantNode};
use crate::common::*;

fn event(posting: &str, seeker: &str, stage: Stage, date: &str) -> OutcomeEvent {
    OutcomeEvent {
        sequence: 0,
        posting_id: posting.into(),
        seeker_id: seeker.into(),
        stage,
        reason: String::new(),
        date: date.into(),
        company_id: format!("c-{posting}"),
        seeker_birth_year: Some(2000),
        aged_34_or_younger: None,
        manufacturing: true,
        certified_company: false,
        distance_km: 10.0,
        sido_code: "41".into(),
        recorded_by: "gyeonggi".into(),
        recorded_by_role: "counsellor".into(),
    }
}

/// The contract every lowering keeps. `log` and `other` are two handles on one log (two
/// replicas on a Qdrant server; the same file twice is not allowed, so the file passes itself);
/// `raw` reads what the log holds as its backend keeps it (file text, or Qdrant's JSON).
fn outcome_log_contract(log: &dyn OutcomeLog, other: &dyn OutcomeLog, raw: &dyn Fn() -> String) {
    // Appends come back in order, each pair's later events with larger sequences.
    let mut young = event("p1", "s-kim", Stage::Proposed, "2026-05-01");
    young.reason = "김 씨가 직접 전화함".into();
    let first = log.append(young.clone()).unwrap();
    let second = other
        .append(OutcomeEvent {
            stage: Stage::Hired,
            ..young.clone()
        })
        .unwrap();
    assert!(second > first, "sequences grow: {first} then {second}");
    let mut older = event("p2", "s-lee", Stage::Hired, "2026-05-02");
    older.seeker_birth_year = Some(1980);
    log.append(older).unwrap();
    log.append(event("p1", "s-park", Stage::Hired, "2026-05-03"))
        .unwrap();
    // Two replicas recording the same pair at once: neither is lost.
    std::thread::scope(|scope| {
        let a = scope.spawn(|| log.append(event("p3", "s-choi", Stage::Contacted, "2026-05-04")));
        let b = scope.spawn(|| other.append(event("p3", "s-choi", Stage::Contacted, "2026-05-04")));
        a.join().unwrap().unwrap();
        b.join().unwrap().unwrap();
    });
    let events = other.events().unwrap();
    assert_eq!(
        events.len(),
        6,
        "every acknowledged event, read through either handle"
    );
    assert!(events.windows(2).all(|w| w[0].sequence < w[1].sequence));
    assert_eq!(
        events[1].stage,
        Stage::Hired,
        "the pair's later event comes later"
    );
    let before = placement_stats(&events);
    assert_eq!(before.placements, 3);

    // Erasure: pseudonyms, no birth year, no reasons; the figures unchanged; idempotent.
    assert_eq!(log.erase(Subject::Seeker("s-kim")).unwrap(), 2);
    assert_eq!(other.erase(Subject::Seeker("s-lee")).unwrap(), 1);
    assert_eq!(
        other.erase(Subject::Seeker("s-kim")).unwrap(),
        0,
        "erased twice"
    );
    assert_eq!(log.erase(Subject::Posting("p1")).unwrap(), 3);
    let text = raw();
    for gone in ["s-kim", "s-lee", "김 씨", "1980", "\"p1\""] {
        assert!(!text.contains(gone), "{gone} is still in the log:\n{text}");
    }
    let events = log.events().unwrap();
    assert_eq!(events.len(), 6);
    assert_eq!(
        events[0].seeker_id, events[1].seeker_id,
        "one pseudonym per subject"
    );
    assert_ne!(events[0].seeker_id, events[2].seeker_id);
    assert!(events[0].seeker_id.starts_with(ERASED_PREFIX));
    assert_eq!(
        placement_stats(&events),
        before,
        "erasure changed the figures"
    );

    // Expiry drops what is older than the retention (365 days in both lowerings here).
    log.append(event("p4", "s-old", Stage::Hired, "2020-01-01"))
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(other.expire(today).unwrap(), 1);
    assert_eq!(log.expire(today).unwrap(), 0);
    assert_eq!(log.events().unwrap().len(), 6);
    assert!(!raw().contains("s-old"));
}

#[test]
fn the_outcome_log_contract_holds_on_the_data_directory_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = FileOutcomeLog::open(dir.path(), 365).unwrap();
    let path = log.path().to_path_buf();
    outcome_log_contract(&log, &log, &|| std::fs::read_to_string(&path).unwrap());
}

#[test]
fn the_outcome_log_contract_holds_on_a_qdrant_server_shared_by_two_replicas() {
    if !qdrant::available(
        "the_outcome_log_contract_holds_on_a_qdrant_server_shared_by_two_replicas",
    ) {
        return;
    }
    let node = QdrantNode::start();
    let (a, b, raw) = two_replicas_of::<OutcomeEvent>(&node);
    outcome_log_contract(&a, &b, &raw);
}

/// Two handles on one node's log of `E`, as two replicas hold them (retention 365 days), and
/// a reader of its raw points.
fn two_replicas_of<E: LogEvent>(
    node: &QdrantNode,
) -> (QdrantLog<E>, QdrantLog<E>, impl Fn() -> String + '_) {
    let options = node.options();
    let alias = format!("{}{}", options.collection_prefix, E::COLLECTION);
    let open = || {
        QdrantServer::connect(options.clone())
            .unwrap()
            .event_log::<E>(365)
            .unwrap()
    };
    (open(), open(), move || node.points_json(&alias))
}

fn access(at: &str, ids: &[&str]) -> AccessRecord {
    AccessRecord {
        sequence: 0,
        at: at.into(),
        caller: "gyeonggi".into(),
        role: "counsellor".into(),
        rpc: "RecommendCandidates".into(),
        action: Action::Read,
        seeker_ids: ids.iter().map(|id| id.to_string()).collect(),
        fields: vec!["profile".into()],
        resume: false,
        request_id: "r-1".into(),
        via: "grpc".into(),
    }
}

/// The access log keeps the same contract (two handles, erasure inside lists of ids, expiry by
/// the records' timestamps).
fn access_log_contract(log: &dyn AccessLog, other: &dyn AccessLog, raw: &dyn Fn() -> String) {
    log.append(access("2026-05-01T09:00:00.000Z", &["s-kim", "s-lee"]))
        .unwrap();
    std::thread::scope(|scope| {
        let a = scope.spawn(|| log.append(access("2026-05-02T09:00:00.000Z", &["s-kim"])));
        let b = scope.spawn(|| other.append(access("2026-05-02T09:00:00.001Z", &["s-park"])));
        a.join().unwrap().unwrap();
        b.join().unwrap().unwrap();
    });
    assert_eq!(other.events().unwrap().len(), 3);
    assert_eq!(other.erase(Subject::Seeker("s-kim")).unwrap(), 2);
    assert_eq!(
        log.erase(Subject::Seeker("s-kim")).unwrap(),
        0,
        "erased twice"
    );
    assert_eq!(
        log.erase(Subject::Posting("s-lee")).unwrap(),
        0,
        "no postings here"
    );
    let text = raw();
    assert!(!text.contains("s-kim"), "{text}");
    assert!(text.contains("s-lee") && text.contains("s-park"), "{text}");
    let records = log.events().unwrap();
    let kim: Vec<&String> = records
        .iter()
        .flat_map(|r| &r.seeker_ids)
        .filter(|id| id.starts_with(ERASED_PREFIX))
        .collect();
    assert_eq!(kim.len(), 2);
    assert_eq!(kim[0], kim[1], "one pseudonym per erasure");
    log.append(access("2024-01-01T00:00:00.000Z", &["s-old"]))
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(other.expire(today).unwrap(), 1);
    assert!(!raw().contains("s-old"));
    assert_eq!(log.events().unwrap().len(), 3);
}

#[test]
fn the_access_log_contract_holds_on_the_data_directory_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = FileAccessLog::open(dir.path(), 365).unwrap();
    let path = log.path().to_path_buf();
    access_log_contract(&log, &log, &|| std::fs::read_to_string(&path).unwrap());
}

#[test]
fn the_access_log_contract_holds_on_a_qdrant_server_shared_by_two_replicas() {
    if !qdrant::available("the_access_log_contract_holds_on_a_qdrant_server_shared_by_two_replicas")
    {
        return;
    }
    let node = QdrantNode::start();
    let (a, b, raw) = two_replicas_of::<AccessRecord>(&node);
    access_log_contract(&a, &b, &raw);
}

/// A replica on `node` as a child process, optionally crashing at `failpoint`.
async fn replica(node: &QdrantNode, prefix: &str, failpoint: Option<&str>) -> ChildServer {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut args = vec![
        "--qdrant-url".to_string(),
        node.grpc_url.clone(),
        "--qdrant-collection-prefix".to_string(),
        prefix.to_string(),
    ];
    if let Some(point) = failpoint {
        args.extend(["--failpoint".to_string(), point.to_string()]);
    }
    ChildServer::start_with_args(&dir, &model_dir(), &args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_killed_between_its_two_steps_completes_on_retry_through_another_replica() {
    if !qdrant::available(
        "a_delete_killed_between_its_two_steps_completes_on_retry_through_another_replica",
    ) {
        return;
    }
    let node = QdrantNode::start();
    let prefix = qdrant::unique_prefix();
    let mut crashing = replica(&node, &prefix, Some("delete.between_steps")).await;
    let mut client = crashing.client().await;
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: postings[..2].to_vec(),
        })
        .await
        .unwrap();
    let kim = seeker(
        "s-kim",
        "CNC 선반 가공",
        "CNC 선반 가공 3년, 김민수의 자기소개",
        region("경기도 화성시"),
    );
    client
        .upsert_seekers(pb::UpsertSeekersRequest { seekers: vec![kim] })
        .await
        .unwrap();
    client
        .record_outcome(pb::RecordOutcomeRequest {
            posting_id: postings[0].id.clone(),
            seeker_id: "s-kim".into(),
            stage: pb::OutcomeStage::Contacted as i32,
            reason: "김민수 씨와 통화".into(),
            date: String::new(),
        })
        .await
        .unwrap();
    // The replica dies after removing the record and before erasing its events.
    let died = client
        .delete_seeker(pb::DeleteRequest { id: "s-kim".into() })
        .await
        .unwrap_err();
    assert!(
        matches!(
            died.code(),
            Code::Unavailable | Code::Unknown | Code::Internal
        ),
        "{died:?}"
    );
    assert!(
        crashing.wait_exit(Duration::from_secs(10)).is_some(),
        "the failpoint aborts the replica"
    );
    let events_before = QdrantServer::connect(qdrant_options(&node, &prefix))
        .unwrap()
        .outcome_log(0)
        .unwrap()
        .events()
        .unwrap();
    assert!(
        events_before.iter().any(|e| e.seeker_id == "s-kim"),
        "the kill came between the steps: the event still names the seeker"
    );

    // The retry, through another replica, completes the erasure.
    let other = replica(&node, &prefix, None).await;
    let mut client = other.client().await;
    client
        .delete_seeker(pb::DeleteRequest { id: "s-kim".into() })
        .await
        .expect("the retried delete completes");
    let again = client
        .delete_seeker(pb::DeleteRequest { id: "s-kim".into() })
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::NotFound, "nothing is left to delete");
    let events = QdrantServer::connect(qdrant_options(&node, &prefix))
        .unwrap()
        .outcome_log(0)
        .unwrap()
        .events()
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(events[0].seeker_id.starts_with(ERASED_PREFIX), "{events:?}");
    assert!(events[0].reason.is_empty());
    let raw = node.points_json(&format!("{prefix}outcomes"));
    assert!(!raw.contains("s-kim") && !raw.contains("김민수"), "{raw}");
}

fn qdrant_options(node: &QdrantNode, prefix: &str) -> jobmatch::store::server::QdrantOptions {
    jobmatch::store::server::QdrantOptions {
        collection_prefix: prefix.to_string(),
        ..node.options()
    }
}

#[test]
fn a_replica_given_several_addresses_goes_on_through_the_one_that_answers() {
    if !qdrant::available("a_replica_given_several_addresses_goes_on_through_the_one_that_answers")
    {
        return;
    }
    let node = QdrantNode::start();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let mut options = node.options();
    options.urls = vec![dead.clone(), node.grpc_url.clone()];
    options.timeout = Duration::from_secs(2);
    let log = QdrantServer::connect(options.clone())
        .expect("the second address answers")
        .outcome_log(0)
        .unwrap();
    log.append(event("p1", "s1", Stage::Hired, "2026-05-01"))
        .unwrap();
    assert_eq!(log.events().unwrap().len(), 1);
    // Only dead addresses: UNAVAILABLE, naming them.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let also_dead = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    options.urls = vec![dead.clone(), also_dead.clone()];
    match QdrantServer::connect(options) {
        Err(jobmatch::Error::Unavailable(message)) => {
            assert!(
                message.contains(&dead) && message.contains(&also_dead),
                "{message}"
            )
        }
        other => panic!("expected UNAVAILABLE, got {:?}", other.map(|_| ())),
    }
}
