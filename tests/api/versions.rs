//! `jobmatch.v2` served beside `jobmatch.v1` on one port: the same records and rankings through
//! either, v2's dates, `optional` numbers, pages and once-per-response parameters, and v2's
//! refusals naming v2's fields.

use jobmatch::api::pb;
use jobmatch::api::pb2;
use jobmatch::api::proto::google::r#type::Date;
use tonic::Code;

use crate::common::*;

fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    Some(Date { year, month, day })
}

fn v2_region(name: &str) -> Option<pb2::Location> {
    Some(pb2::Location {
        kind: Some(pb2::location::Kind::Region(name.into())),
    })
}

fn v2_welder(id: &str) -> pb2::Seeker {
    pb2::Seeker {
        id: id.into(),
        display_name: format!("Seeker {id}"),
        headline: "CO2 welder".into(),
        resume: "CO2 and TIG welding of steel structures; welding craftsman certificate.".into(),
        skills: vec!["welding".into()],
        home: v2_region("경기도 평택시"),
        max_commute_km: Some(40.0),
        birth_year: Some(2003),
        discharge_date: date(2027, 3, 31),
        ..Default::default()
    }
}

fn field_violations(status: &tonic::Status) -> Vec<String> {
    tonic_types::StatusExt::get_error_details(status)
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_and_v1_answer_side_by_side_over_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut v1 = server.client().await;
    let mut v2 = pb2::matching_client::MatchingClient::new(server.channel().await);

    v1.upsert_postings(pb::UpsertPostingsRequest {
        postings: vec![pb::Posting {
            skills: vec!["welding".into()],
            ..posting(
                "p1",
                "Welder",
                "We hire a CO2 welder for steel structures.",
                region("경기도 평택시"),
            )
        }],
    })
    .await
    .unwrap();
    let unstated = pb2::Seeker {
        max_commute_km: None,
        birth_year: None,
        discharge_date: None,
        ..v2_welder("s2")
    };
    let written = v2
        .upsert_seekers(pb2::UpsertSeekersRequest {
            seekers: vec![v2_welder("s1"), unstated],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(written.upserted, 2);

    // The seeker written through v2 reads back the same through v2, and in v1's terms via v1.
    let back = v2
        .get_seeker(pb2::GetSeekerRequest { id: "s1".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(back.discharge_date, date(2027, 3, 31));
    assert_eq!(
        (back.max_commute_km, back.birth_year),
        (Some(40.0), Some(2003))
    );
    let back = v2
        .get_seeker(pb2::GetSeekerRequest { id: "s2".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((back.max_commute_km, back.birth_year), (None, None));
    assert_eq!(back.discharge_date, None);
    let v1_seeker = v1
        .get_seeker(pb::GetRequest { id: "s1".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(v1_seeker.discharge_date, "2027-03-31");
    assert_eq!(
        (v1_seeker.max_commute_km, v1_seeker.birth_year),
        (40.0, 2003)
    );

    // The same ranking either way; v2 gives the parameters once, v1 in every breakdown too.
    let ranked_v2 = v2
        .recommend_candidates(pb2::RecommendCandidatesRequest {
            posting_id: "p1".into(),
            options: Some(pb2::RankingOptions {
                top_k: 5,
                ..Default::default()
            }),
            filter: Some(pb2::SeekerFilter {
                discharged_by: date(2027, 12, 31),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    let v1_filter = pb::SeekerFilter {
        discharged_by: "2027-12-31".into(),
        ..Default::default()
    };
    let ranked_v1 = candidates(
        &mut v1,
        "p1",
        pb::RankingOptions {
            top_k: 5,
            ..Default::default()
        },
        Some(v1_filter),
    )
    .await;
    let v2_ids: Vec<&str> = ranked_v2
        .candidates
        .iter()
        .map(|c| c.seeker_id.as_str())
        .collect();
    let v1_ids: Vec<&str> = ranked_v1.iter().map(|c| c.seeker_id.as_str()).collect();
    assert_eq!(v2_ids, v1_ids);
    assert!(!ranked_v1.is_empty());
    for (a, b) in ranked_v2.candidates.iter().zip(&ranked_v1) {
        let (a, b) = (a.score.as_ref().unwrap(), b.score.as_ref().unwrap());
        assert!((a.final_score - b.final_score).abs() < 1e-9);
    }
    let parameters = ranked_v2.parameters.expect("parameters once per response");
    let breakdown = ranked_v1[0].score.as_ref().unwrap();
    assert!((parameters.semantic_weight - breakdown.semantic_weight).abs() < 1e-12);
    assert!((parameters.decay_scale_km - breakdown.decay_scale_km).abs() < 1e-12);
    assert_eq!(parameters.fusion, breakdown.fusion_mode);
    assert_ne!(parameters.fusion, pb2::Fusion::Unspecified as i32);

    // Outcomes page newest first with v2 dates; the tokens walk every event once.
    for (seeker, day) in [("s1", 3), ("s2", 4), ("s1", 5)] {
        v2.record_outcome(pb2::RecordOutcomeRequest {
            posting_id: "p1".into(),
            seeker_id: seeker.into(),
            stage: pb2::OutcomeStage::Proposed as i32,
            date: date(2026, 11, day),
            ..Default::default()
        })
        .await
        .unwrap();
    }
    let mut days = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = v2
            .list_outcomes(pb2::ListOutcomesRequest {
                posting_id: "p1".into(),
                page_size: 2,
                page_token: token,
            })
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        days.extend(page.outcomes.iter().map(|o| o.date.unwrap().day));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!((days, pages), (vec![5, 4, 3], 2));

    // CentreFigures' range and months as dates.
    let figures = v2
        .centre_figures(pb2::CentreFiguresRequest {
            start_date: date(2026, 11, 1),
            end_date: date(2026, 11, 30),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(figures.events, 3);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_refuses_impossible_dates_and_zero_optionals_naming_its_fields_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut v2 = pb2::matching_client::MatchingClient::new(server.channel().await);
    let cases = [
        (
            pb2::Seeker {
                discharge_date: date(2026, 2, 30),
                ..v2_welder("bad")
            },
            "seekers[1].discharge_date",
        ),
        (
            pb2::Seeker {
                birth_year: Some(0),
                ..v2_welder("bad")
            },
            "seekers[1].birth_year",
        ),
        (
            pb2::Seeker {
                max_commute_km: Some(0.0),
                ..v2_welder("bad")
            },
            "seekers[1].max_commute_km",
        ),
    ];
    for (bad, field) in cases {
        let refused = v2
            .upsert_seekers(pb2::UpsertSeekersRequest {
                seekers: vec![v2_welder("good"), bad],
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{refused:?}");
        assert_eq!(field_violations(&refused), vec![field.to_string()]);
    }
    // One bad seeker rejected the batch: the good one was not written either.
    let missing = v2
        .get_seeker(pb2::GetSeekerRequest { id: "good".into() })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    let refused = v2
        .centre_figures(pb2::CentreFiguresRequest {
            start_date: date(2026, 13, 1),
            end_date: None,
        })
        .await
        .unwrap_err();
    assert_eq!(field_violations(&refused), vec!["start_date".to_string()]);
    let refused = v2
        .exposure_audit(pb2::ExposureAuditRequest {
            k: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field_violations(&refused), vec!["k".to_string()]);
    let refused = v2
        .list_outcomes(pb2::ListOutcomesRequest {
            posting_id: "p1".into(),
            page_size: 5,
            page_token: "not-a-token".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    server.stop().await;
}
