//! Model swap: zero-downtime re-index under traffic, a crash in the middle, the mismatch refusal,
//! and `jobmatch eval` on the sample set.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jobmatch::api::pb;
use jobmatch::domain::Limits;
use jobmatch::geo::Gazetteer;
use tonic::Code;

use crate::common::*;

fn minilm_config(data_dir: &std::path::Path) -> jobmatch::config::ServeConfig {
    let mut config = config(data_dir);
    config.store.model_dir = minilm_model_dir();
    config
}

fn reindex_request(model: &std::path::Path) -> pb::ReindexRequest {
    pb::ReindexRequest {
        model_dir: model.display().to_string(),
    }
}

/// The similarity the new model gives a seeker and a posting, through the Embed RPC.
async fn similarity_by_embed(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
    posting: &pb::Posting,
    seeker: &pb::Seeker,
) -> f64 {
    let limits = Limits::default();
    let posting =
        jobmatch::api::posting_from_proto(posting.clone(), &limits, Gazetteer::builtin()).unwrap();
    let seeker =
        jobmatch::api::seeker_from_proto(seeker.clone(), &limits, Gazetteer::builtin(), 2026)
            .unwrap();
    let embed = |text: String, is_query: bool| {
        let mut client = client.clone();
        async move {
            client
                .embed(pb::EmbedRequest {
                    texts: vec![text],
                    is_query,
                })
                .await
                .unwrap()
                .into_inner()
                .vectors
                .remove(0)
                .values
        }
    };
    let p = embed(posting.embedding_text(), false).await;
    let s = embed(seeker.embedding_text(), true).await;
    jobmatch::ranking::cosine(&p, &s)
}

async fn semantic_similarity(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
    seeker_id: &str,
    posting_id: &str,
) -> f64 {
    let response = client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: seeker_id.into(),
            options: Some(weighted(50, 1.0, 0.0)),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    response
        .postings
        .iter()
        .find(|p| p.posting_id == posting_id)
        .map(|p| p.score.as_ref().unwrap().semantic_similarity)
        .expect("the posting is among the results")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reindex_under_traffic_fails_no_request_loses_no_write_and_switches_models() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(minilm_config(dir.path())).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;
    let old_model = client
        .model_info(pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner()
        .name;

    let mut stream = client
        .reindex(reindex_request(&e5_model_dir()))
        .await
        .unwrap()
        .into_inner();
    let first = stream.message().await.unwrap().unwrap();
    assert_eq!(first.phase, "loading");
    // A second re-index while this one runs.
    let second = match client.reindex(reindex_request(&e5_model_dir())).await {
        Err(status) => status,
        Ok(response) => response.into_inner().message().await.unwrap_err(),
    };
    assert_eq!(second.code(), Code::FailedPrecondition, "{second:?}");

    // Traffic while the re-index runs: recommendations, new seekers, deletes.
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let traffic = {
        let mut client = client.clone();
        let stop = stop.clone();
        let failures = failures.clone();
        tokio::spawn(async move {
            let template: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
            let mut written = Vec::new();
            let mut deleted = Vec::new();
            let mut round = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let recommended = client
                    .recommend_candidates(pb::RecommendCandidatesRequest {
                        posting_id: format!("p{:03}", round % 48 + 1),
                        options: Some(pb::RankingOptions {
                            top_k: 5,
                            ignore_seeker_commute: true,
                            ..Default::default()
                        }),
                        filter: None,
                    })
                    .await;
                if recommended.map(|r| r.into_inner().candidates.len()).ok() != Some(5) {
                    failures.fetch_add(1, Ordering::SeqCst);
                }
                let mut seeker = template[round % template.len()].clone();
                seeker.id = format!("live-{round}");
                seeker.resume = format!("{} (live write {round})", seeker.resume);
                match client
                    .upsert_seekers(pb::UpsertSeekersRequest {
                        seekers: vec![seeker],
                    })
                    .await
                {
                    Ok(_) => written.push(format!("live-{round}")),
                    Err(_) => {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                }
                if round.is_multiple_of(3) {
                    let id = format!("s{:03}", 160 - round / 3);
                    match client
                        .delete_seeker(pb::DeleteRequest { id: id.clone() })
                        .await
                    {
                        Ok(_) => deleted.push(id),
                        Err(_) => {
                            failures.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
                round += 1;
            }
            (written, deleted)
        })
    };

    let mut phases = vec![first.phase];
    let mut last = None;
    while let Some(update) = stream.message().await.unwrap() {
        phases.push(update.phase.clone());
        last = Some(update);
    }
    stop.store(true, Ordering::SeqCst);
    let (written, deleted) = traffic.await.unwrap();
    let last = last.unwrap();
    assert_eq!(last.phase, "switched", "{phases:?}");
    assert!(phases.iter().any(|p| p == "copying"));
    assert_eq!(
        failures.load(Ordering::SeqCst),
        0,
        "requests failed during the re-index"
    );
    assert!(!written.is_empty() && !deleted.is_empty());

    let info = client
        .model_info(pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_ne!(info.name, old_model);
    assert_eq!(info.name, "multilingual-e5-small");

    // Every acknowledged write is there; every delete stuck.
    for id in &written {
        client
            .get_seeker(pb::GetRequest { id: id.clone() })
            .await
            .unwrap_or_else(|e| panic!("{id} lost: {e}"));
    }
    for id in &deleted {
        let status = client
            .get_seeker(pb::GetRequest { id: id.clone() })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{id} came back");
    }

    // Stored vectors now come from the new model, for copied and for live-written records.
    let postings: Vec<pb::Posting> = read_jsonl("demo/postings.jsonl");
    let seekers: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
    let copied = &seekers[0];
    let mut live = seekers[0].clone();
    live.id = "live-0".into();
    live.resume = format!("{} (live write 0)", live.resume);
    for seeker in [copied, &live] {
        let stored = semantic_similarity(&mut client, &seeker.id, &postings[0].id).await;
        let expected = similarity_by_embed(&mut client, &postings[0], seeker).await;
        assert!(
            (stored - expected).abs() < 1e-3,
            "{}: stored {stored} vs new model {expected}",
            seeker.id
        );
    }

    // The old generation goes once nothing reads it.
    for _ in 0..100 {
        if generations(dir.path()).len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(generations(dir.path()), vec!["gen-000002".to_string()]);
    drop(client);
    server.stop().await;

    // Starting with the old model on the new vectors is refused, naming both.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = jobmatch::server::serve(listener, minilm_config(dir.path()), std::future::pending())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("'multilingual-e5-small'") && err.contains("'all-MiniLM-L6-v2'"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_reindex_restarts_on_the_old_model_and_clears_the_half_built_generation() {
    let dir = tempfile::tempdir().unwrap();
    let server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;
    let mut stream = client
        .reindex(reindex_request(&e5_model_dir()))
        .await
        .unwrap()
        .into_inner();
    // Kill once the seekers are being copied: postings done, seekers not.
    loop {
        let update = stream
            .message()
            .await
            .unwrap()
            .expect("the stream ended before the seekers were copied");
        assert_ne!(
            update.phase, "switched",
            "the re-index finished before the kill"
        );
        if update.phase == "copying" && update.collection == "seekers" && update.done > 0 {
            break;
        }
    }
    server.kill();
    assert_eq!(generations(dir.path()), vec!["gen-000001", "gen-000002"]);

    let server = ChildServer::start(dir.path(), &minilm_model_dir()).await;
    let mut client = server.client().await;
    let info = client
        .model_info(pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.name, "all-MiniLM-L6-v2");
    assert_eq!(generations(dir.path()), vec!["gen-000001"]);
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "p001".into(),
            options: options(10),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.candidates.len(), 10);
    client
        .get_seeker(pb::GetRequest { id: "s160".into() })
        .await
        .unwrap();
}

#[tokio::test]
async fn reindex_rejects_a_path_that_is_not_a_model_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(minilm_config(dir.path())).await;
    let mut client = server.client().await;
    let status = client
        .reindex(pb::ReindexRequest {
            model_dir: "/nonexistent/model".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("model_dir"), "{status:?}");
    // A directory without weights: the stream ends with the loader's reason, nothing switched.
    let empty = tempfile::tempdir().unwrap();
    let mut stream = client
        .reindex(reindex_request(empty.path()))
        .await
        .unwrap()
        .into_inner();
    let status = loop {
        match stream.message().await {
            Ok(Some(update)) => assert_ne!(update.phase, "switched"),
            Ok(None) => panic!("the stream ended without an error"),
            Err(status) => break status,
        }
    };
    assert!(status.message().contains("config.json"), "{status:?}");
    assert_eq!(generations(dir.path()), vec!["gen-000001"]);
    server.stop().await;
}

#[test]
fn eval_prints_metrics_for_two_models_and_writes_json() {
    let (minilm, e5) = (minilm_model_dir(), e5_model_dir());
    let (stdout, report) = run_eval(&[
        "--model".as_ref(),
        minilm.as_os_str(),
        "--compare".as_ref(),
        e5.as_os_str(),
        "--set".as_ref(),
        "samples/eval".as_ref(),
        "--split".as_ref(),
        "all".as_ref(),
        "--ablation".as_ref(),
        "--ignore-seeker-commute".as_ref(),
    ]);
    for label in [
        "nDCG@10",
        "Recall@10",
        "Recall@50",
        "MRR",
        "paired by seeker",
        "reference rankers",
        "TF-IDF char 2-3",
        "distance only",
        "dense only, commute filter",
        "sparse only",
        "hybrid + distance + skills",
        "seeker commutes ignored",
    ] {
        assert!(stdout.contains(label), "{label} missing:\n{stdout}");
    }
    let sets = report["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!(set["seekers_evaluated"], 144);
    assert_eq!(set["split"], "all");
    let models = set["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    for model in models {
        for metric in ["ndcg_at_10", "recall_at_10", "recall_at_50", "mrr"] {
            let e = &model["summary"][metric];
            let (mean, low, high) = (
                e["mean"].as_f64().unwrap(),
                e["low"].as_f64().unwrap(),
                e["high"].as_f64().unwrap(),
            );
            assert!((0.0..=1.0).contains(&mean), "{metric} {mean}");
            assert!(low <= mean + 1e-12 && mean <= high + 1e-12, "{metric}: {e}");
        }
    }
    // Three model-free references, and dense-only-with-commute for each model.
    assert_eq!(set["references"].as_array().unwrap().len(), 5);
    let diff = set["difference"]["ndcg_at_10"]["mean"].as_f64().unwrap();
    let a = models[0]["summary"]["ndcg_at_10"]["mean"].as_f64().unwrap();
    let b = models[1]["summary"]["ndcg_at_10"]["mean"].as_f64().unwrap();
    assert!((diff - (b - a)).abs() < 1e-9);
}

#[test]
fn eval_refuses_qrels_with_unknown_ids_naming_the_line() {
    let out = tempfile::tempdir().unwrap();
    let qrels = out.path().join("q.tsv");
    std::fs::write(&qrels, "e-s001\te-p001\t3\ne-s001\tnope\t2\n").unwrap();
    let output = crate::common::jobmatch_command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("eval")
        .arg("--model")
        .arg(minilm_model_dir())
        .arg("--qrels")
        .arg(&qrels)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("q.tsv:2") && stderr.contains("posting 'nope'"),
        "{stderr}"
    );
}
