//! Authentication and roles through a real server: every role against every RPC, a counsellor
//! kept inside their regions, and no way in without a valid token.

use jobmatch::api::pb;
use jobmatch::auth::{allowed, hash_token, Role, Rpc};
use tonic::Code;

use crate::common::*;

pub(crate) const PLATFORM: &str = "platform-token-1";
pub(crate) const COUNSELLOR: &str = "counsellor-token-1";
pub(crate) const ADMIN: &str = "admin-token-1";

/// Tokens of a platform ("web"), a 경기 counsellor ("gyeonggi", sido 41) and an admin ("ops").
pub(crate) fn tokens_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("tokens.toml");
    std::fs::write(
        &path,
        format!(
            "[[tokens]]\nname = \"web\"\nrole = \"platform\"\nsha256 = \"{}\"\n\n\
             [[tokens]]\nname = \"gyeonggi\"\nrole = \"counsellor\"\nregions = [\"41\"]\nsha256 = \"{}\"\n\n\
             [[tokens]]\nname = \"ops\"\nrole = \"admin\"\nsha256 = \"{}\"\n",
            hash_token(PLATFORM),
            hash_token(COUNSELLOR),
            hash_token(ADMIN)
        ),
    )
    .unwrap();
    path
}

/// A minimal valid call of `rpc`; only its status code matters here.
pub(crate) async fn call(client: &mut Authed, rpc: Rpc) -> Result<(), tonic::Status> {
    match rpc {
        Rpc::UpsertPostings => client
            .upsert_postings(pb::UpsertPostingsRequest {
                postings: vec![posting(
                    "p-new",
                    "용접공",
                    "용접 생산직",
                    region("경기도 화성시"),
                )],
            })
            .await
            .map(drop),
        Rpc::UpsertSeekers => client
            .upsert_seekers(pb::UpsertSeekersRequest {
                seekers: vec![seeker(
                    "s-new",
                    "용접",
                    "용접기능사",
                    region("경기도 화성시"),
                )],
            })
            .await
            .map(drop),
        Rpc::GetPosting => client
            .get_posting(pb::GetRequest { id: "p-gg".into() })
            .await
            .map(drop),
        Rpc::GetSeeker => client
            .get_seeker(pb::GetRequest { id: "s-gg".into() })
            .await
            .map(drop),
        Rpc::DeletePosting => client
            .delete_posting(pb::DeleteRequest {
                id: "absent".into(),
            })
            .await
            .map(drop),
        Rpc::DeleteSeeker => client
            .delete_seeker(pb::DeleteRequest {
                id: "absent".into(),
            })
            .await
            .map(drop),
        Rpc::RecommendCandidates => client
            .recommend_candidates(pb::RecommendCandidatesRequest {
                posting_id: "p-gg".into(),
                options: options(3),
                filter: None,
            })
            .await
            .map(drop),
        Rpc::RecommendPostings => client
            .recommend_postings(pb::RecommendPostingsRequest {
                seeker_id: "s-gg".into(),
                options: options(3),
                filter: None,
            })
            .await
            .map(drop),
        Rpc::Embed => client
            .embed(pb::EmbedRequest {
                texts: vec!["용접".into()],
                is_query: true,
            })
            .await
            .map(drop),
        Rpc::ModelInfo => client.model_info(pb::ModelInfoRequest {}).await.map(drop),
        Rpc::Reindex => client
            .reindex(pb::ReindexRequest {
                model_dir: "/nonexistent/model".into(),
            })
            .await
            .map(drop),
        Rpc::MatchRegion => client
            .match_region(pb::MatchRegionRequest {
                posting_ids: vec![],
                regions: vec!["경기도".into()],
                k: 1,
                max_lists_per_seeker: 1,
                options: None,
                filter: None,
            })
            .await
            .map(drop),
        Rpc::RecordOutcome => client
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: "p-gg".into(),
                seeker_id: "s-gg".into(),
                stage: pb::OutcomeStage::Proposed as i32,
                reason: String::new(),
                date: String::new(),
            })
            .await
            .map(drop),
        Rpc::AdvisePosting => client
            .advise_posting(pb::AdvisePostingRequest {
                draft: Some(posting(
                    "",
                    "용접공",
                    "용접 생산직",
                    region("경기도 화성시"),
                )),
                options: None,
            })
            .await
            .map(drop),
        Rpc::AdviseSeeker => client
            .advise_seeker(pb::AdviseSeekerRequest {
                seeker_id: "s-gg".into(),
                options: None,
            })
            .await
            .map(drop),
        Rpc::AssessInterests => client
            .assess_interests(pb::AssessInterestsRequest {
                seeker_id: "s-gg".into(),
                answers: inventory_answers(|_| 3),
                options: None,
            })
            .await
            .map(drop),
        Rpc::PlaceCohort => client
            .place_cohort(pb::PlaceCohortRequest {
                seeker_ids: vec!["s-gg".into()],
                posting_ids: vec!["p-gg".into()],
                options: None,
            })
            .await
            .map(drop),
        Rpc::WhoAmI => client.who_am_i(pb::WhoAmIRequest {}).await.map(drop),
        Rpc::FindRecords => client
            .find_records(pb::FindRecordsRequest {
                kind: pb::RecordKind::Posting as i32,
                text: "용접".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        Rpc::CentreFigures => client
            .centre_figures(pb::CentreFiguresRequest::default())
            .await
            .map(drop),
        Rpc::ExposureAudit => client
            .exposure_audit(pb::ExposureAuditRequest {
                k: 3,
                ..Default::default()
            })
            .await
            .map(drop),
        Rpc::ListAccessRecords => client
            .list_access_records(pb::ListAccessRecordsRequest {
                seeker_id: "s-gg".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        Rpc::ListOutcomes => client
            .list_outcomes(pb::ListOutcomesRequest {
                posting_id: "p-gg".into(),
                ..Default::default()
            })
            .await
            .map(drop),
    }
}

/// The records [`call`] works on: postings p-gg (경기) and p-bs (부산), seekers s-gg, s-gg2 (경기)
/// and s-bs (부산).
pub(crate) async fn store_the_table_records(platform: &mut Authed) {
    platform
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![
                posting(
                    "p-gg",
                    "용접공 모집",
                    "용접 생산직",
                    region("경기도 평택시"),
                ),
                posting(
                    "p-bs",
                    "용접공 모집",
                    "용접 생산직",
                    region("부산광역시 강서구"),
                ),
            ],
        })
        .await
        .unwrap();
    platform
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![
                seeker("s-gg", "용접", "용접기능사 보유", region("경기도 평택시")),
                seeker("s-gg2", "용접", "용접기능사 보유", region("경기도 화성시")),
                seeker(
                    "s-bs",
                    "용접",
                    "용접기능사 보유",
                    region("부산광역시 강서구"),
                ),
            ],
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_against_every_rpc_and_a_counsellor_stays_in_their_regions() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = plain_config(&dir.path().join("data"));
    config.auth = jobmatch::config::AuthConfig::TokensFile(tokens_file(dir.path()));
    let server = TestServer::start_with(config).await;

    let mut platform = authed(&server, Some(PLATFORM)).await;
    store_the_table_records(&mut platform).await;

    // The table: each role, each RPC.
    for (role, token) in [
        (Role::Platform, PLATFORM),
        (Role::Counsellor, COUNSELLOR),
        (Role::Admin, ADMIN),
    ] {
        let mut client = authed(&server, Some(token)).await;
        for rpc in Rpc::ALL {
            let code = call(&mut client, rpc).await.err().map(|s| s.code());
            if allowed(role, rpc) {
                assert!(
                    !matches!(code, Some(Code::PermissionDenied | Code::Unauthenticated)),
                    "{role:?} should be allowed {rpc:?}, got {code:?}"
                );
            } else {
                assert_eq!(code, Some(Code::PermissionDenied), "{role:?} {rpc:?}");
            }
        }
    }
    // No token, a wrong token, a malformed header: UNAUTHENTICATED for every RPC.
    for token in [None, Some("wrong-token")] {
        let mut client = authed(&server, token).await;
        for rpc in Rpc::ALL {
            let status = call(&mut client, rpc).await.unwrap_err();
            assert_eq!(status.code(), Code::Unauthenticated, "{token:?} {rpc:?}");
            assert!(!status.message().contains("wrong-token"));
        }
    }

    // A counsellor bound to 경기 (41): nothing from Busan, in or out, and a record there reads
    // exactly as an unknown id does, so its existence does not leak.
    let mut counsellor = authed(&server, Some(COUNSELLOR)).await;
    let status_of = |r: Result<tonic::Response<pb::Posting>, tonic::Status>| r.unwrap_err();
    let outside = status_of(
        counsellor
            .get_posting(pb::GetRequest { id: "p-bs".into() })
            .await,
    );
    let unknown = status_of(
        counsellor
            .get_posting(pb::GetRequest { id: "p-zz".into() })
            .await,
    );
    assert_eq!(outside.code(), unknown.code());
    assert_eq!(
        outside.message().replace("p-bs", "ID"),
        unknown.message().replace("p-zz", "ID")
    );
    let denied = |r: Result<(), tonic::Status>| r.unwrap_err().code();
    assert_eq!(
        denied(
            counsellor
                .get_posting(pb::GetRequest { id: "p-bs".into() })
                .await
                .map(drop)
        ),
        Code::NotFound
    );
    assert_eq!(
        denied(
            counsellor
                .get_seeker(pb::GetRequest { id: "s-bs".into() })
                .await
                .map(drop)
        ),
        Code::NotFound
    );
    // Advice: a stored seeker elsewhere reads as unknown; a draft elsewhere (not a record, so
    // nothing leaks) is refused as outside the counsellor's regions.
    assert_eq!(
        denied(
            counsellor
                .advise_seeker(pb::AdviseSeekerRequest {
                    seeker_id: "s-bs".into(),
                    options: None,
                })
                .await
                .map(drop)
        ),
        Code::NotFound
    );
    assert_eq!(
        denied(
            counsellor
                .advise_posting(pb::AdvisePostingRequest {
                    draft: Some(posting("", "용접공", "용접", region("부산광역시 강서구"))),
                    options: None,
                })
                .await
                .map(drop)
        ),
        Code::PermissionDenied
    );
    let listed = counsellor
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "p-gg".into(),
            options: Some(pb::RankingOptions {
                top_k: 10,
                ignore_seeker_commute: true,
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner()
        .candidates;
    assert!(ids(&listed).contains(&"s-gg") && ids(&listed).contains(&"s-gg2"));
    assert!(
        listed.iter().all(|c| c.region_name.starts_with("경기도")),
        "a seeker outside 경기 leaked: {:?}",
        ids(&listed)
    );
    assert_eq!(
        denied(
            counsellor
                .recommend_postings(pb::RecommendPostingsRequest {
                    seeker_id: "s-bs".into(),
                    options: options(3),
                    filter: None,
                })
                .await
                .map(drop)
        ),
        Code::NotFound
    );
    assert_eq!(
        denied(
            counsellor
                .match_region(pb::MatchRegionRequest {
                    posting_ids: vec!["p-bs".into()],
                    regions: vec![],
                    k: 1,
                    max_lists_per_seeker: 1,
                    options: None,
                    filter: None,
                })
                .await
                .map(drop)
        ),
        // As for an id that is not stored (`posting_ids[0]`); it was NOT_FOUND, which told a
        // Busan posting from an unknown one (the scope table below checks every RPC so).
        Code::InvalidArgument
    );
    assert_eq!(
        denied(
            counsellor
                .record_outcome(pb::RecordOutcomeRequest {
                    posting_id: "p-gg".into(),
                    seeker_id: "s-bs".into(),
                    stage: pb::OutcomeStage::Contacted as i32,
                    reason: String::new(),
                    date: String::new(),
                })
                .await
                .map(drop)
        ),
        Code::NotFound
    );
    drop((platform, counsellor));
    server.stop().await;
}

/// Health over a channel to `localhost:port`, TLS with `ca` when given; an error as text.
async fn health_over(port: u16, ca: Option<&str>) -> Result<i32, String> {
    use tonic::transport::{Certificate, ClientTlsConfig};
    let scheme = if ca.is_some() { "https" } else { "http" };
    let mut endpoint =
        tonic::transport::Channel::from_shared(format!("{scheme}://localhost:{port}")).unwrap();
    if let Some(ca) = ca {
        endpoint = endpoint
            .tls_config(
                ClientTlsConfig::new()
                    .ca_certificate(Certificate::from_pem(ca))
                    .domain_name("localhost"),
            )
            .unwrap();
    }
    let channel = endpoint.connect().await.map_err(|e| format!("{e:?}"))?;
    tonic_health::pb::health_client::HealthClient::new(channel)
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .map(|r| r.into_inner().status)
        .map_err(|e| format!("{e:?}"))
}

/// A server on 127.0.0.1:0 with TLS from a certificate made now for "localhost".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_handshakes_with_the_right_ca_and_fails_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let (config, cert_pem) = tls_config(dir.path());
    let (other_ca, _) = self_signed("localhost");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(jobmatch::server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
    let mut status = Err(String::new());
    for _ in 0..600 {
        status = health_over(port, Some(&cert_pem)).await;
        if status == Ok(serving) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, Ok(serving), "TLS with the right CA");
    assert!(
        health_over(port, Some(&other_ca)).await.is_err(),
        "an unknown CA must fail"
    );
    assert!(
        health_over(port, None).await.is_err(),
        "plaintext must fail"
    );

    let _ = stop.send(());
    served.await.unwrap().unwrap();
}

/// What one probe of the scope table saw: the answer's debug text, or the refusal.
type Seen = Result<String, tonic::Status>;

fn seen<T: std::fmt::Debug>(answer: Result<tonic::Response<T>, tonic::Status>) -> Seen {
    answer.map(|r| format!("{:?}", r.into_inner()))
}

/// What a counsellor of 경기 sees of the Busan records: `Twin` probes ask for a Busan record
/// (`target` "bs") and for an unknown one ("zz"), which must read alike; `Single` probes must
/// be refused or answer without any Busan record.
enum Probe {
    Twin(Seen, Seen),
    Single(Seen),
}

async fn probe(client: &mut Authed, rpc: Rpc) -> Probe {
    macro_rules! twin {
        (|$t:ident| $call:expr) => {{
            let bs = {
                let $t = "bs";
                seen($call)
            };
            let zz = {
                let $t = "zz";
                seen($call)
            };
            Probe::Twin(bs, zz)
        }};
    }
    match rpc {
        Rpc::GetPosting => twin!(|t| client
            .get_posting(pb::GetRequest {
                id: format!("p-{t}")
            })
            .await),
        Rpc::GetSeeker => twin!(|t| client
            .get_seeker(pb::GetRequest {
                id: format!("s-{t}")
            })
            .await),
        Rpc::RecommendCandidates => twin!(|t| client
            .recommend_candidates(pb::RecommendCandidatesRequest {
                posting_id: format!("p-{t}"),
                options: options(5),
                filter: None,
            })
            .await),
        Rpc::RecommendPostings => twin!(|t| client
            .recommend_postings(pb::RecommendPostingsRequest {
                seeker_id: format!("s-{t}"),
                options: options(5),
                filter: None,
            })
            .await),
        Rpc::MatchRegion => twin!(|t| client
            .match_region(pb::MatchRegionRequest {
                posting_ids: vec![format!("p-{t}")],
                k: 1,
                max_lists_per_seeker: 1,
                ..Default::default()
            })
            .await),
        Rpc::RecordOutcome => twin!(|t| client
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: "p-gg".into(),
                seeker_id: format!("s-{t}"),
                stage: pb::OutcomeStage::Contacted as i32,
                ..Default::default()
            })
            .await),
        Rpc::AdviseSeeker => twin!(|t| client
            .advise_seeker(pb::AdviseSeekerRequest {
                seeker_id: format!("s-{t}"),
                options: None,
            })
            .await),
        Rpc::AssessInterests => twin!(|t| client
            .assess_interests(pb::AssessInterestsRequest {
                seeker_id: format!("s-{t}"),
                answers: inventory_answers(|_| 3),
                options: None,
            })
            .await),
        Rpc::PlaceCohort => twin!(|t| client
            .place_cohort(pb::PlaceCohortRequest {
                seeker_ids: vec![format!("s-{t}")],
                posting_ids: vec![format!("p-{t}")],
                options: None,
            })
            .await),
        Rpc::FindRecords => twin!(|t| client
            .find_records(pb::FindRecordsRequest {
                kind: pb::RecordKind::Seeker as i32,
                text: format!("s-{t}"),
                ..Default::default()
            })
            .await),
        Rpc::ListOutcomes => twin!(|t| client
            .list_outcomes(pb::ListOutcomesRequest {
                posting_id: format!("p-{t}"),
                ..Default::default()
            })
            .await),
        // Requests that name a region or a draft there: refused, or answered without Busan.
        Rpc::AdvisePosting => Probe::Single(seen(
            client
                .advise_posting(pb::AdvisePostingRequest {
                    draft: Some(posting(
                        "",
                        "용접공",
                        "용접 생산직",
                        region("부산광역시 강서구"),
                    )),
                    options: None,
                })
                .await,
        )),
        Rpc::ExposureAudit => Probe::Single(seen(
            client
                .exposure_audit(pb::ExposureAuditRequest {
                    regions: vec!["부산광역시".into()],
                    ..Default::default()
                })
                .await,
        )),
        Rpc::CentreFigures => Probe::Single(seen(
            client
                .centre_figures(pb::CentreFiguresRequest::default())
                .await,
        )),
        Rpc::WhoAmI => Probe::Single(seen(client.who_am_i(pb::WhoAmIRequest {}).await)),
        // Not a counsellor's: the permission table refuses them (tested above).
        Rpc::UpsertPostings
        | Rpc::UpsertSeekers
        | Rpc::DeletePosting
        | Rpc::DeleteSeeker
        | Rpc::Embed
        | Rpc::ModelInfo
        | Rpc::Reindex
        | Rpc::ListAccessRecords => unreachable!("{rpc:?} is not a counsellor's"),
    }
}

/// The Busan records' traces in an answer: their ids, names and region.
fn busan_traces(text: &str) -> Vec<&'static str> {
    ["p-bs", "s-bs", "Seeker s-bs", "부산광역시 강서구"]
        .into_iter()
        .filter(|trace| text.contains(trace))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counsellor_can_neither_read_nor_infer_another_regions_records_through_any_rpc() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = plain_config(&dir.path().join("data"));
    config.auth = jobmatch::config::AuthConfig::TokensFile(tokens_file(dir.path()));
    let server = TestServer::start_with(config).await;
    let mut platform = authed(&server, Some(PLATFORM)).await;
    store_the_table_records(&mut platform).await;
    // Traces a careless answer could carry: a Busan placement, and a Busan seeker proposed for
    // the 경기 posting.
    for (posting, seeker, stage) in [
        ("p-bs", "s-bs", pb::OutcomeStage::Hired),
        ("p-gg", "s-bs", pb::OutcomeStage::Proposed),
    ] {
        platform
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: posting.into(),
                seeker_id: seeker.into(),
                stage: stage as i32,
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let mut counsellor = authed(&server, Some(COUNSELLOR)).await;
    for rpc in Rpc::ALL
        .into_iter()
        .filter(|rpc| allowed(Role::Counsellor, *rpc))
    {
        match probe(&mut counsellor, rpc).await {
            Probe::Twin(Err(busan), Err(unknown)) => {
                assert_eq!(busan.code(), unknown.code(), "{rpc:?}");
                assert_eq!(
                    busan.message().replace("bs", "ID"),
                    unknown.message().replace("zz", "ID"),
                    "{rpc:?}: a Busan record must read as an unknown one"
                );
            }
            Probe::Twin(Ok(busan), Ok(unknown)) => {
                assert_eq!(busan_traces(&busan), Vec::<&str>::new(), "{rpc:?}: {busan}");
                assert_eq!(
                    busan.replace("bs", "ID"),
                    unknown.replace("zz", "ID"),
                    "{rpc:?}: a Busan record must answer as an unknown one"
                );
            }
            Probe::Twin(busan, unknown) => {
                panic!("{rpc:?}: Busan {busan:?} against unknown {unknown:?}")
            }
            Probe::Single(Ok(answer)) => {
                assert_eq!(
                    busan_traces(&answer),
                    Vec::<&str>::new(),
                    "{rpc:?}: {answer}"
                )
            }
            Probe::Single(Err(refused)) => {
                assert_eq!(
                    refused.code(),
                    Code::PermissionDenied,
                    "{rpc:?}: {refused:?}"
                );
            }
        }
    }
    // Through its own records: no Busan record among the answers, and no Busan figure counted.
    let answers = [
        seen(
            counsellor
                .recommend_candidates(pb::RecommendCandidatesRequest {
                    posting_id: "p-gg".into(),
                    options: options(10),
                    filter: None,
                })
                .await,
        ),
        seen(
            counsellor
                .recommend_postings(pb::RecommendPostingsRequest {
                    seeker_id: "s-gg".into(),
                    options: options(10),
                    filter: None,
                })
                .await,
        ),
        seen(
            counsellor
                .match_region(pb::MatchRegionRequest {
                    regions: vec!["경기도".into()],
                    k: 3,
                    max_lists_per_seeker: 1,
                    ..Default::default()
                })
                .await,
        ),
        seen(
            counsellor
                .find_records(pb::FindRecordsRequest {
                    kind: pb::RecordKind::Seeker as i32,
                    ..Default::default()
                })
                .await,
        ),
        seen(
            counsellor
                .list_outcomes(pb::ListOutcomesRequest {
                    posting_id: "p-gg".into(),
                    ..Default::default()
                })
                .await,
        ),
        seen(
            counsellor
                .advise_seeker(pb::AdviseSeekerRequest {
                    seeker_id: "s-gg".into(),
                    options: None,
                })
                .await,
        ),
        seen(
            counsellor
                .exposure_audit(pb::ExposureAuditRequest::default())
                .await,
        ),
    ];
    for answer in answers {
        let answer = answer.unwrap();
        assert_eq!(busan_traces(&answer), Vec::<&str>::new(), "{answer}");
    }
    let figures = counsellor
        .centre_figures(pb::CentreFiguresRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(figures.placements, 0, "the Busan hiring is not theirs");
    let market = counsellor
        .advise_posting(pb::AdvisePostingRequest {
            draft: Some(posting(
                "",
                "용접공",
                "용접 생산직",
                region("경기도 평택시"),
            )),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(busan_traces(&format!("{market:?}")).is_empty());
    let audit = counsellor
        .exposure_audit(pb::ExposureAuditRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (audit.postings_total, audit.seekers),
        (1, 2),
        "경기's records only"
    );
    server.stop().await;
}
