//! Cohort placement through a real server: a cohort of 6 seekers and 3 postings of 2 openings;
//! each placeable seeker placed once, no posting over its openings, the one who cannot be placed
//! reported with the reason, the greedy plan beside it, and bad requests refused by field.

use jobmatch::api::pb;
use tonic::Code;

use crate::common::*;

fn welding_posting(id: &str) -> pb::Posting {
    pb::Posting {
        skills: vec!["용접기능사".into(), "CO2 용접".into()],
        openings: 2,
        ..posting(
            id,
            "용접 생산직",
            "선박 블록과 철골 구조물을 CO2 용접으로 제작합니다. 용접기능사 자격증 우대, 현장 교육.",
            region("경기도 평택시"),
        )
    }
}

fn welder(id: &str, home: &str) -> pb::Seeker {
    pb::Seeker {
        skills: vec!["용접기능사".into(), "CO2 용접".into()],
        max_commute_km: 40.0,
        ..seeker(
            id,
            "용접과 졸업, 용접기능사",
            "특성화고 용접과를 졸업했고 CO2 용접과 TIG 용접을 현장 실습에서 익혔습니다. 용접기능사 자격증이 있습니다.",
            region(home),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cohort_is_placed_once_each_within_openings_and_the_unplaceable_seeker_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: ["w1", "w2", "w3"].map(welding_posting).to_vec(),
        })
        .await
        .unwrap();
    let mut seekers: Vec<pb::Seeker> = [
        "경기도 평택시",
        "경기도 평택시",
        "경기도 안성시",
        "경기도 오산시",
        "충청남도 아산시",
    ]
    .iter()
    .enumerate()
    .map(|(i, home)| welder(&format!("c{i}"), home))
    .collect();
    // A nurse far away: nothing of the request is near her meaning or her commute.
    seekers.push(pb::Seeker {
        max_commute_km: 10.0,
        ..seeker(
            "nurse",
            "간호조무사, 요양병원 근무 희망",
            "간호조무사 자격증을 취득했고 요양병원에서 환자 돌봄과 투약 보조 실습을 했습니다.",
            region("부산광역시 해운대구"),
        )
    });
    client
        .upsert_seekers(pb::UpsertSeekersRequest { seekers })
        .await
        .unwrap();
    let cohort: Vec<String> = ["c0", "c1", "c2", "c3", "c4", "nurse"]
        .map(String::from)
        .to_vec();
    let postings: Vec<String> = ["w1", "w2", "w3"].map(String::from).to_vec();
    let plan = client
        .place_cohort(pb::PlaceCohortRequest {
            seeker_ids: cohort.clone(),
            posting_ids: postings.clone(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        plan.placements
            .iter()
            .map(|p| p.posting_id.as_str())
            .collect::<Vec<_>>(),
        ["w1", "w2", "w3"]
    );
    let mut placed: Vec<&str> = Vec::new();
    for placement in &plan.placements {
        assert_eq!(placement.openings, 2);
        assert!(placement.seekers.len() <= 2, "{placement:?}");
        placed.extend(placement.seekers.iter().map(|s| s.seeker_id.as_str()));
    }
    placed.sort();
    assert_eq!(
        placed,
        ["c0", "c1", "c2", "c3", "c4"],
        "each welder placed once"
    );
    assert_eq!(plan.unplaced.len(), 1, "{:?}", plan.unplaced);
    let nurse = &plan.unplaced[0];
    assert_eq!(nurse.seeker_id, "nurse");
    assert_eq!(nurse.reason, pb::UnplacedReason::NoPostingInReach as i32);
    assert!(nurse.reason_text.contains("통근"), "{}", nurse.reason_text);
    let (optimal, greedy) = (plan.plan.unwrap(), plan.greedy.unwrap());
    assert!(optimal.total_score >= greedy.total_score - 1e-9);
    assert_eq!(optimal.distinct_seekers, 5);
    let reason = plan.placements[0].seekers[0].explanation.as_ref().unwrap();
    assert!(reason.reason.contains("보유 기술"), "{}", reason.reason);

    // Bad requests name the field; an unknown id is NOT_FOUND.
    let twice = client
        .place_cohort(pb::PlaceCohortRequest {
            seeker_ids: vec!["c0".into(), "c0".into()],
            posting_ids: postings.clone(),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(twice.code(), Code::InvalidArgument);
    assert!(twice.message().contains("seeker_ids[1]"), "{twice:?}");
    let none = client
        .place_cohort(pb::PlaceCohortRequest {
            seeker_ids: cohort.clone(),
            posting_ids: vec![],
            options: None,
        })
        .await
        .unwrap_err();
    assert!(none.message().contains("posting_ids"), "{none:?}");
    let unknown = client
        .place_cohort(pb::PlaceCohortRequest {
            seeker_ids: vec!["ghost".into()],
            posting_ids: postings,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    server.stop().await;
}
