//! Accountable matching through a real server: the exposure audit over a hand-made store, one
//! access record per personal-data call (a table over every RPC), erasure from the access log on
//! disk, and proposals that name the counsellor who made them.

use jobmatch::api::pb;
use jobmatch::auth::{allowed, Role, Rpc};
use jobmatch::store::access_log::{AccessRecord, FILE_NAME as ACCESS_FILE};
use tonic::Code;

use crate::common::*;
use crate::security::{tokens_file, ADMIN, COUNSELLOR, PLATFORM};

async fn server_with_tokens(dir: &std::path::Path) -> TestServer {
    let mut config = plain_config(&dir.join("data"));
    config.auth = jobmatch::config::AuthConfig::TokensFile(tokens_file(dir));
    TestServer::start_with(config).await
}

/// The access records on disk, in order.
fn access_records(dir: &std::path::Path) -> Vec<AccessRecord> {
    jobmatch::store::event_log::read_events(&dir.join("data").join(ACCESS_FILE)).unwrap()
}

fn welder(id: &str, home: &str) -> pb::Seeker {
    pb::Seeker {
        skills: vec!["welding".into()],
        max_commute_km: 60.0,
        ..seeker(
            id,
            "CO2 welder",
            "CO2 and TIG welding of steel structures; welding craftsman certificate.",
            region(home),
        )
    }
}

fn welding_posting(id: &str) -> pb::Posting {
    pb::Posting {
        skills: vec!["welding".into()],
        ..posting(
            id,
            "Welder",
            "We hire a CO2 welder for steel structures.",
            region("경기도 평택시"),
        )
    }
}

/// Eight qualified seekers live where the postings are (평택, capital region) and eight as
/// qualified live about 25 km away in 아산 (충남, elsewhere), all with the same text: a top 5 shows
/// only the near ones, so the far group's exposure is 0 and its impact ratio is flagged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_of_a_hand_made_store_flags_the_group_placed_far_from_the_postings() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_tokens(dir.path()).await;
    let mut platform = authed(&server, Some(PLATFORM)).await;
    platform
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: (1..=4).map(|i| welding_posting(&format!("p{i}"))).collect(),
        })
        .await
        .unwrap();
    let near = (1..=8).map(|i| welder(&format!("near{i}"), "경기도 평택시"));
    let far = (1..=8).map(|i| welder(&format!("far{i}"), "충청남도 아산시"));
    platform
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: near.chain(far).collect(),
        })
        .await
        .unwrap();
    for (seeker, stage) in [
        ("near1", pb::OutcomeStage::Hired),
        ("far1", pb::OutcomeStage::Proposed),
    ] {
        platform
            .record_outcome(pb::RecordOutcomeRequest {
                posting_id: "p1".into(),
                seeker_id: seeker.into(),
                stage: stage as i32,
                ..Default::default()
            })
            .await
            .unwrap();
    }

    let audit = platform
        .exposure_audit(pb::ExposureAuditRequest {
            k: 5,
            include_plan: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((audit.postings_audited, audit.postings_total), (4, 4));
    assert_eq!(audit.seekers, 16);
    assert!(audit.qualified.contains("skill"), "{}", audit.qualified);
    let table = |source: &str| {
        audit
            .tables
            .iter()
            .find(|t| t.source == source)
            .unwrap_or_else(|| panic!("no {source} table in {:?}", audit.tables))
    };
    let group = |source: &str, dimension: &str, group: &str| {
        table(source)
            .groups
            .iter()
            .find(|g| g.dimension == dimension && g.group == group)
            .unwrap_or_else(|| panic!("no {dimension}/{group} in the {source} table"))
            .clone()
    };
    let capital = group("ranking", "home_region", "capital_region");
    let elsewhere = group("ranking", "home_region", "elsewhere");
    assert_eq!(
        (capital.seekers, capital.pairs, capital.exposed),
        (8, 32, 20)
    );
    assert_eq!(
        (elsewhere.seekers, elsewhere.pairs, elsewhere.exposed),
        (8, 32, 0)
    );
    assert!((capital.impact_ratio - 1.0).abs() < 1e-9 && !capital.flagged);
    assert!(elsewhere.impact_ratio < 0.8 && elsewhere.flagged);
    assert!(
        elsewhere.rate_high > 0.0 && elsewhere.rate_high < 0.2,
        "{elsewhere:?}"
    );
    assert!(elsewhere.impact_ratio_high < 0.8, "{elsewhere:?}");
    assert!(!capital.suppressed && !elsewhere.suppressed);
    // Everyone shares the other groups: one group per dimension, ratio 1, nothing flagged.
    let age = group("ranking", "age_band", "34_or_younger");
    assert_eq!((age.seekers, age.pairs, age.exposed), (16, 64, 20));
    assert!(!age.flagged);
    // The plan (3 per opening, 2 lists per seeker) fills its 12 places with near seekers too.
    let planned_far = group("plan", "home_region", "elsewhere");
    assert_eq!(planned_far.exposed, 0);
    assert!(planned_far.flagged);
    assert_eq!(group("plan", "home_region", "capital_region").exposed, 12);
    // Outcomes: one pair per group, too few seekers for a rate.
    let hired_near = group("outcomes", "home_region", "capital_region");
    assert_eq!((hired_near.pairs, hired_near.exposed), (1, 1));
    assert!(hired_near.suppressed && hired_near.rate == 0.0);

    // A counsellor of 경기 audits 경기 only, and is refused 충남.
    let mut counsellor = authed(&server, Some(COUNSELLOR)).await;
    let theirs = counsellor
        .exposure_audit(pb::ExposureAuditRequest {
            k: 5,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(theirs.seekers, 8);
    let ranking = theirs
        .tables
        .iter()
        .find(|t| t.source == "ranking")
        .unwrap();
    assert!(ranking.groups.iter().all(|g| g.group != "elsewhere"));
    let refused = counsellor
        .exposure_audit(pb::ExposureAuditRequest {
            regions: vec!["충청남도".into()],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    assert!(
        refused.message().contains("regions[0]"),
        "{}",
        refused.message()
    );
    let bad = platform
        .exposure_audit(pb::ExposureAuditRequest {
            max_postings: 1_000_000,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("max_postings"), "{}", bad.message());
    // The field and a stable reason come as google.rpc details too.
    let details = tonic_types::StatusExt::get_error_details(&bad);
    let violations = &details
        .bad_request()
        .expect("BadRequest details")
        .field_violations;
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].field, "max_postings");
    assert!(violations[0].description.contains("over the limit"));
    let info = details.error_info().expect("ErrorInfo details");
    assert_eq!(
        (info.reason.as_str(), info.domain.as_str()),
        ("INVALID_FIELD", "jobmatch.v1")
    );
    // The audit itself names nobody: no access record for it.
    assert!(access_records(dir.path())
        .iter()
        .all(|r| r.rpc != "ExposureAudit"));
    server.stop().await;
}

/// What one call is expected to leave in the access log: how many records, and of the one it
/// leaves, the action and fields.
struct Expected {
    records: usize,
    action: &'static str,
    fields: &'static [&'static str],
}

const NONE: Expected = Expected {
    records: 0,
    action: "",
    fields: &[],
};

const fn one(action: &'static str, fields: &'static [&'static str]) -> Expected {
    Expected {
        records: 1,
        action,
        fields,
    }
}

fn expected(rpc: Rpc) -> Expected {
    match rpc {
        Rpc::UpsertSeekers => one("write", &["profile", "resume"]),
        Rpc::GetSeeker => one("read", &["profile", "resume"]),
        Rpc::DeleteSeeker => one("delete", &["all"]),
        Rpc::RecommendCandidates | Rpc::RecommendPostings | Rpc::MatchRegion => {
            one("read", &["profile"])
        }
        Rpc::RecordOutcome => one("write", &["outcomes"]),
        Rpc::AdviseSeeker => one("read", &["profile", "advice", "interests"]),
        Rpc::AssessInterests => one("write", &["interests"]),
        Rpc::PlaceCohort => one("read", &["profile"]),
        Rpc::ListAccessRecords => one("read", &["access_records"]),
        Rpc::ListOutcomes => one("read", &["outcomes"]),
        // FindRecords as `call` makes it looks for postings: it returns nobody's data.
        Rpc::FindRecords
        | Rpc::UpsertPostings
        | Rpc::GetPosting
        | Rpc::DeletePosting
        | Rpc::Embed
        | Rpc::ModelInfo
        | Rpc::Reindex
        | Rpc::AdvisePosting
        | Rpc::WhoAmI
        | Rpc::CentreFigures
        | Rpc::ExposureAudit => NONE,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_personal_data_rpc_writes_one_access_record_and_an_erased_seeker_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_tokens(dir.path()).await;
    let mut platform = authed(&server, Some(PLATFORM)).await;
    let mut admin = authed(&server, Some(ADMIN)).await;
    crate::security::store_the_table_records(&mut platform).await;
    let setup = access_records(dir.path()).len();
    assert_eq!(setup, 1, "the seekers' upsert is recorded");

    // The table: every RPC, called by a role allowed it, leaves exactly what it should.
    for rpc in Rpc::ALL {
        let client = if allowed(Role::Platform, rpc) {
            &mut platform
        } else {
            &mut admin
        };
        let before = access_records(dir.path()).len();
        let _ = crate::security::call(client, rpc).await;
        let after = access_records(dir.path());
        let want = expected(rpc);
        assert_eq!(after.len() - before, want.records, "{rpc:?}");
        if let Some(record) = after.get(before) {
            assert_eq!(record.rpc, rpc.name());
            assert_eq!(record.action.name(), want.action, "{rpc:?}");
            assert_eq!(record.fields, want.fields, "{rpc:?}");
            assert_eq!(record.resume, want.fields.contains(&"resume"), "{rpc:?}");
            let role = if rpc == Rpc::ListAccessRecords {
                ("ops", "admin")
            } else {
                ("web", "platform")
            };
            assert_eq!((record.caller.as_str(), record.role.as_str()), role);
            assert_eq!(record.via, "grpc");
            assert!(!record.request_id.is_empty() && record.at.ends_with('Z'));
            assert!(!record.seeker_ids.is_empty(), "{rpc:?}");
        }
    }
    // Health names nobody.
    let before = access_records(dir.path()).len();
    assert_eq!(server.health().await, 1);
    assert_eq!(access_records(dir.path()).len(), before);

    // A read names the seekers it returned, and carries the client's request id.
    let mut request = tonic::Request::new(pb::GetRequest { id: "s-gg".into() });
    request
        .metadata_mut()
        .insert("x-request-id", "audit-req-7".parse().unwrap());
    platform.get_seeker(request).await.unwrap();
    let found = platform
        .find_records(pb::FindRecordsRequest {
            kind: pb::RecordKind::Seeker as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let records = access_records(dir.path());
    let get = &records[records.len() - 2];
    assert_eq!(
        (get.seeker_ids.as_slice(), get.request_id.as_str()),
        (&["s-gg".to_string()][..], "audit-req-7")
    );
    let find = records.last().unwrap();
    assert_eq!(find.rpc, "FindRecords");
    assert_eq!(find.seeker_ids.len(), found.records.len());

    // Only the admin reads the log; it lists every record naming the seeker.
    let listed = admin
        .list_access_records(pb::ListAccessRecordsRequest {
            seeker_id: "s-gg".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(listed.records.len() >= 6, "{:?}", listed.records);
    assert!(listed
        .records
        .iter()
        .all(|r| r.seeker_ids.contains(&"s-gg".to_string())));
    let mut counsellor = authed(&server, Some(COUNSELLOR)).await;
    let denied = counsellor
        .list_access_records(pb::ListAccessRecordsRequest {
            seeker_id: "s-gg".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let bad = admin
        .list_access_records(pb::ListAccessRecordsRequest {
            seeker_id: "s-gg".into(),
            from: "yesterday".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("from"), "{}", bad.message());

    // Erasure: the seeker's id leaves the file on disk, and the records stay counted.
    let count = access_records(dir.path()).len();
    platform
        .delete_seeker(pb::DeleteRequest { id: "s-gg".into() })
        .await
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("data").join(ACCESS_FILE)).unwrap();
    assert!(
        !text.contains("\"s-gg\""),
        "the id is still in the access log"
    );
    assert!(
        text.contains("\"s-gg2\""),
        "other seekers' records are untouched"
    );
    assert_eq!(
        access_records(dir.path()).len(),
        count + 1,
        "the delete is recorded too"
    );
    let after = admin
        .list_access_records(pb::ListAccessRecordsRequest {
            seeker_id: "s-gg".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(after.records.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_names_the_counsellor_and_the_figures_set_it_beside_the_rankings_they_viewed() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_tokens(dir.path()).await;
    let mut platform = authed(&server, Some(PLATFORM)).await;
    platform
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![welding_posting("p1")],
        })
        .await
        .unwrap();
    platform
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![welder("s1", "경기도 평택시"), welder("s2", "경기도 화성시")],
        })
        .await
        .unwrap();
    let mut counsellor = authed(&server, Some(COUNSELLOR)).await;
    for _ in 0..2 {
        counsellor
            .recommend_candidates(pb::RecommendCandidatesRequest {
                posting_id: "p1".into(),
                options: options(5),
                filter: None,
            })
            .await
            .unwrap();
    }
    counsellor
        .record_outcome(pb::RecordOutcomeRequest {
            posting_id: "p1".into(),
            seeker_id: "s2".into(),
            stage: pb::OutcomeStage::Proposed as i32,
            ..Default::default()
        })
        .await
        .unwrap();
    platform
        .record_outcome(pb::RecordOutcomeRequest {
            posting_id: "p1".into(),
            seeker_id: "s2".into(),
            stage: pb::OutcomeStage::Contacted as i32,
            ..Default::default()
        })
        .await
        .unwrap();

    let outcomes = counsellor
        .list_outcomes(pb::ListOutcomesRequest {
            posting_id: "p1".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .outcomes;
    assert_eq!(outcomes.len(), 2);
    assert_eq!(
        outcomes[0].stage,
        pb::OutcomeStage::Contacted as i32,
        "newest first"
    );
    let proposal = &outcomes[1];
    assert_eq!(
        (
            proposal.seeker_id.as_str(),
            proposal.display_name.as_str(),
            proposal.recorded_by.as_str(),
            proposal.recorded_by_role.as_str()
        ),
        ("s2", "Seeker s2", "gyeonggi", "counsellor")
    );

    let mine = counsellor
        .centre_figures(pb::CentreFiguresRequest::default())
        .await
        .unwrap()
        .into_inner()
        .people;
    assert_eq!(mine.len(), 1, "a counsellor sees their own line: {mine:?}");
    assert_eq!(
        (
            mine[0].name.as_str(),
            mine[0].rankings_viewed,
            mine[0].proposals
        ),
        ("gyeonggi", 2, 1)
    );
    assert_eq!(
        mine[0].seekers_shown, 4,
        "two seekers in each of two rankings"
    );
    let everyone = platform
        .centre_figures(pb::CentreFiguresRequest::default())
        .await
        .unwrap()
        .into_inner()
        .people;
    assert_eq!(
        everyone.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["gyeonggi"],
        "the platform only recorded a contact: contacting is not proposing"
    );

    // Outside the counsellor's regions the posting does not exist for them.
    let unknown = counsellor
        .list_outcomes(pb::ListOutcomesRequest {
            posting_id: "nope".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    // Deleting the seeker leaves a pseudonym without a name on the posting's list.
    platform
        .delete_seeker(pb::DeleteRequest { id: "s2".into() })
        .await
        .unwrap();
    let after = platform
        .list_outcomes(pb::ListOutcomesRequest {
            posting_id: "p1".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .outcomes;
    assert!(after
        .iter()
        .all(|o| o.seeker_id.starts_with("erased:") && o.display_name.is_empty()));
    assert_eq!(after[1].recorded_by, "gyeonggi", "who proposed stays");
    server.stop().await;
}
