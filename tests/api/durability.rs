//! Crash safety and graceful shutdown of the real binary: SIGKILL at random moments while
//! upserts stream in, and SIGTERM with a request in flight.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jobmatch::api::pb;

use crate::common::*;

const BATCH: usize = 5;

fn batch(round: usize, n: usize) -> Vec<pb::Seeker> {
    (0..BATCH)
        .map(|j| {
            seeker(
                &format!("r{round}-b{n}-{j}"),
                "용접 생산직 희망",
                &format!("용접기능사 보유, 배치 {n}의 {j}번째 지원자입니다."),
                region("경기도 화성시"),
            )
        })
        .collect()
}

async fn present(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
    id: &str,
) -> bool {
    match client.get_seeker(pb::GetRequest { id: id.into() }).await {
        Ok(_) => true,
        Err(status) if status.code() == tonic::Code::NotFound => false,
        Err(status) => panic!("get {id}: {status:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_upserts_survive_kill_9_and_no_batch_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for round in 0..3 {
        let server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
        let acked = Arc::new(Mutex::new(Vec::<usize>::new()));
        let writer = {
            let mut client = server.client().await;
            let acked = acked.clone();
            tokio::spawn(async move {
                for n in 0.. {
                    let request = pb::UpsertSeekersRequest {
                        seekers: batch(round, n),
                    };
                    match client.upsert_seekers(request).await {
                        Ok(_) => acked.lock().unwrap().push(n),
                        Err(_) => return n,
                    }
                }
                unreachable!()
            })
        };
        // A random moment 0–2 s after the first acknowledgement.
        for _ in 0..600 {
            if !acked.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let wait = seed.wrapping_mul(round as u64 + 7) % 2000;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill();
        let in_flight = writer.await.unwrap();
        let acked = acked.lock().unwrap().clone();
        assert!(!acked.is_empty(), "round {round}: nothing was acknowledged");

        let server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
        let mut client = server.client().await;
        for &n in &acked {
            for j in 0..BATCH {
                let id = format!("r{round}-b{n}-{j}");
                assert!(
                    present(&mut client, &id).await,
                    "round {round}: acknowledged {id} lost"
                );
            }
        }
        // The batch cut by the kill is all there or not at all.
        let mut found = 0;
        for j in 0..BATCH {
            found += usize::from(present(&mut client, &format!("r{round}-b{in_flight}-{j}")).await);
        }
        assert!(
            found == 0 || found == BATCH,
            "round {round}: batch {in_flight} half-written ({found}/{BATCH})"
        );
        server.kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_a_request_in_flight_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
    let mut client = server.client().await;
    // A batch big enough to still be embedding when the signal arrives.
    let seekers: Vec<pb::Seeker> = (0..12)
        .map(|i| {
            seeker(
                &format!("slow-{i}"),
                "용접 생산직 희망",
                &"특성화고 용접과를 졸업하고 현장실습으로 배관 용접을 했습니다. ".repeat(20),
                region("경기도 화성시"),
            )
        })
        .collect();
    let request = tokio::spawn(async move {
        client
            .upsert_seekers(pb::UpsertSeekersRequest { seekers })
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !request.is_finished(),
        "the request finished before the signal; make it bigger"
    );
    server.terminate();
    let answered = request.await.unwrap();
    assert!(
        answered.is_ok(),
        "the in-flight request was cut: {answered:?}"
    );
    let status = tokio::task::spawn_blocking(move || {
        let status = server.wait_exit(Duration::from_secs(30));
        (status, server)
    })
    .await
    .unwrap();
    assert!(
        status.0.is_some_and(|s| s.success()),
        "exit: {:?}",
        status.0
    );
    drop(status.1);

    let server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
    let mut client = server.client().await;
    assert!(present(&mut client, "slow-11").await);
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(path);
            }
        }
    }
    found
}

/// Segment directories of the serving generation's seekers shard.
fn seeker_segments(data_dir: &std::path::Path) -> Vec<String> {
    let current = std::fs::read_to_string(data_dir.join("CURRENT")).unwrap();
    let segments = data_dir.join(current.trim()).join("seekers/segments");
    std::fs::read_dir(segments)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_seekers_text_and_vector_leave_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(plain_config(dir.path())).await; // purges every second (tests/common)
    let mut client = server.client().await;
    let gone = seeker(
        "erase-me",
        "용접 생산직",
        "개인정보 ERASE-MARKER-7f3a 용접기능사를 취득했습니다.",
        region("경기도 화성시"),
    );
    let kept = seeker(
        "keep-me",
        "CNC 선반",
        "KEEP-MARKER-91c2 CNC 선반 가공 경력 2년.",
        region("경기도 화성시"),
    );
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![gone, kept.clone()],
        })
        .await
        .unwrap();
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![posting(
                "weld-job",
                "용접공",
                "CO2 용접",
                region("경기도 화성시"),
            )],
        })
        .await
        .unwrap();
    // Outcomes of both seekers: the erased one's must leave the log too, the figures stay.
    for (seeker_id, stage, reason) in [
        (
            "erase-me",
            pb::OutcomeStage::Contacted,
            "REASON-MARKER-55d1 통화함",
        ),
        ("erase-me", pb::OutcomeStage::Hired, ""),
        ("keep-me", pb::OutcomeStage::Hired, ""),
    ] {
        client
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: "weld-job".into(),
                seeker_id: seeker_id.into(),
                stage: stage.into(),
                reason: reason.into(),
                date: "2026-11-02".into(),
            })
            .await
            .unwrap();
    }
    let log = dir.path().join(jobmatch::outcomes::FILE_NAME);
    let figures =
        jobmatch::outcomes::placement_stats(&jobmatch::outcomes::read_events(&log).unwrap());
    assert_eq!((figures.placements, figures.seekers_placed), (2, 2));
    // The checks below can fail: the text, id and reason are on disk until the delete.
    assert!(!files_containing(dir.path(), "ERASE-MARKER-7f3a").is_empty());
    assert!(files_containing(dir.path(), "REASON-MARKER-55d1").contains(&log));
    let segments_before = seeker_segments(dir.path());

    client
        .delete_seeker(pb::DeleteRequest {
            id: "erase-me".into(),
        })
        .await
        .unwrap();
    // The outcome log is erased before the delete answers.
    let events = jobmatch::outcomes::read_events(&log).unwrap();
    assert!(files_containing(dir.path(), "REASON-MARKER-55d1").is_empty());
    assert!(!std::fs::read_to_string(&log).unwrap().contains("erase-me"));
    assert_eq!(jobmatch::outcomes::placement_stats(&events), figures);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !files_containing(dir.path(), "ERASE-MARKER-7f3a").is_empty()
        || !files_containing(dir.path(), "erase-me").is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the deleted text or id is still on disk after 30 s: {:?} {:?}",
            files_containing(dir.path(), "ERASE-MARKER-7f3a"),
            files_containing(dir.path(), "erase-me")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The vector went with the segment files that held it: none of them is left.
    let segments_after = seeker_segments(dir.path());
    assert!(
        segments_before.iter().all(|s| !segments_after.contains(s)),
        "{segments_before:?} vs {segments_after:?}"
    );
    assert!(!files_containing(dir.path(), "KEEP-MARKER-91c2").is_empty());
    assert_eq!(
        client
            .get_seeker(pb::GetRequest {
                id: "keep-me".into()
            })
            .await
            .unwrap()
            .into_inner(),
        kept
    );
    server.stop().await;

    let server = TestServer::start_with(plain_config(dir.path())).await;
    let mut client = server.client().await;
    assert!(present(&mut client, "keep-me").await);
    assert!(!present(&mut client, "erase-me").await);
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker(
                "after",
                "용접",
                "용접 경력",
                region("경기도 화성시"),
            )],
        })
        .await
        .unwrap();
    assert!(present(&mut client, "after").await);
    server.stop().await;
}
