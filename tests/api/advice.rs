//! The advice services through a real server: a draft's missing skill with the count of its
//! neighbours asking for it, the certificate that opens the most nearby postings, interview
//! questions from the right job family, programmes on recommended pairs, and bad input.

use jobmatch::api::pb;
use tonic::Code;

use crate::common::*;

fn with_skills(mut p: pb::Posting, skills: &[&str]) -> pb::Posting {
    p.skills = skills.iter().map(|s| s.to_string()).collect();
    p
}

const CNC: &str = "자동차 부품을 CNC 선반으로 가공합니다. 도면을 보고 프로그램을 수정하며 측정기로 치수를 확인합니다. 주간 근무, 기숙사 제공.";
const WELD: &str = "선박 블록과 철골 구조물을 CO2 용접으로 제작합니다. 용접기능사 자격증이 필요하며 현장 교육을 합니다.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_gets_the_skill_its_neighbours_ask_for_with_the_count_and_its_market() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let mut postings = Vec::new();
    for i in 0..4 {
        let skills: &[&str] = if i < 3 {
            &["CNC 선반", "도면 해독", "측정기 사용"]
        } else {
            &["CNC lathe", "blueprint reading"] // the same two skills, spelt in English
        };
        postings.push(with_skills(
            posting(
                &format!("cnc-{i}"),
                "CNC 선반 가공원",
                CNC,
                region("경기도 화성시"),
            ),
            skills,
        ));
    }
    // Elsewhere: not a neighbour of a draft in 경기도.
    postings.push(with_skills(
        posting(
            "cnc-busan",
            "CNC 선반 가공원",
            CNC,
            region("부산광역시 강서구"),
        ),
        &["MCT"],
    ));
    client
        .upsert_postings(pb::UpsertPostingsRequest { postings })
        .await
        .unwrap();
    let mut skilled = seeker(
        "s-cnc",
        "CNC 선반 가공",
        "특성화고 기계과를 졸업하고 CNC 선반으로 자동차 부품을 가공했으며 도면을 읽을 수 있습니다.",
        region("경기도 오산시"),
    );
    skilled.skills = vec!["CNC 선반".into(), "도면 해독".into()];
    skilled.max_commute_km = 40.0;
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![skilled],
        })
        .await
        .unwrap();

    let mut draft = with_skills(
        posting("", "CNC 선반 가공원", CNC, region("경기도 평택시")),
        &["CNC 선반"],
    );
    draft.employment_type = pb::EmploymentType::Unspecified as i32;
    let advice = client
        .advise_posting(pb::AdvisePostingRequest {
            draft: Some(draft),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let similar: Vec<&str> = advice
        .similar
        .iter()
        .map(|s| s.posting_id.as_str())
        .collect();
    assert_eq!(similar.len(), 4, "{similar:?}");
    assert!(!similar.contains(&"cnc-busan"));
    let first = &advice.skills_to_add[0];
    assert_eq!(first.skill, "도면 해독", "{:?}", advice.skills_to_add);
    assert_eq!((first.asked_by, first.out_of), (4, 4));
    let measuring = advice
        .skills_to_add
        .iter()
        .find(|s| s.skill == "측정기 사용")
        .unwrap();
    assert_eq!(measuring.asked_by, 3);
    assert!(advice
        .skills_to_add
        .iter()
        .all(|s| s.skill != "CNC 선반" && s.skill != "CNC lathe"));

    let market = advice.market.expect("a draft with a location has a market");
    assert_eq!(market.seekers_matching, 1, "{market:?}");
    assert_eq!(market.seekers_with_all_skills, 1);
    assert_eq!(market.if_dropped[0].skill, "CNC 선반");
    assert_eq!(market.if_dropped[0].seekers_with_all_others, 1);
    let fields: Vec<&str> = advice
        .completeness
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["employment_type"], "{:?}", advice.completeness);
    // Full-time is unknown, so the youth hiring incentive is one condition short.
    let leap = advice
        .programmes
        .iter()
        .find(|p| p.id == "youth-job-leap")
        .expect("a near miss");
    assert!(
        !leap.eligible && leap.failed_condition.contains("고용 형태"),
        "{leap:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeker_one_certificate_away_gets_it_first_with_the_postings_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let mut postings: Vec<pb::Posting> = (0..3)
        .map(|i| {
            with_skills(
                posting(
                    &format!("weld-{i}"),
                    "CO2 용접공",
                    WELD,
                    region("경기도 화성시"),
                ),
                &["CO2 용접", "용접기능사"],
            )
        })
        .collect();
    postings.push(with_skills(
        posting("weld-tig", "TIG 특수용접공", WELD, region("경기도 화성시")),
        &["TIG 용접", "특수용접", "도면 해독"],
    ));
    postings.push(with_skills(
        posting(
            "nurse",
            "간호조무사",
            "재활병원 병동에서 환자 간호를 돕는 간호조무사를 모집합니다. 3교대 근무.",
            region("경기도 화성시"),
        ),
        &["간호조무사"],
    ));
    client
        .upsert_postings(pb::UpsertPostingsRequest { postings })
        .await
        .unwrap();
    let mut welder = seeker(
        "welder",
        "CO2 용접 생산직",
        "특성화고 용접과를 졸업했고 현장실습에서 철골 구조물을 CO2 용접으로 제작했습니다. 자격증은 아직 없습니다.",
        region("경기도 화성시"),
    );
    welder.skills = vec!["CO2 용접".into()];
    welder.max_commute_km = 30.0;
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![welder],
        })
        .await
        .unwrap();

    let advice = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: "welder".into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    let gap = &advice.skill_gaps[0];
    assert_eq!(gap.skill, "용접기능사", "{:?}", advice.skill_gaps);
    let mut opens = gap.opens_posting_ids.clone();
    opens.sort();
    assert_eq!(opens, ["weld-0", "weld-1", "weld-2"]);
    // Every other gap opens at most one posting (간호조무사 may open the nursing job).
    assert!(
        advice
            .skill_gaps
            .iter()
            .skip(1)
            .all(|g| g.opens_posting_ids.len() <= 1),
        "{:?}",
        advice.skill_gaps
    );

    // Interview questions for the best postings: welding ones, then one general question.
    assert!(!advice.interview.is_empty());
    for prep in &advice.interview {
        if prep.posting_id == "nurse" {
            continue;
        }
        let (general, specific) = prep.questions.split_last().unwrap();
        assert_eq!(general.family, "general", "{prep:?}");
        let welding = specific.iter().filter(|q| q.family == "welding").count();
        assert!(
            welding * 2 > specific.len(),
            "{}: {:?}",
            prep.posting_id,
            specific
        );
    }
    let fields: Vec<&str> = advice
        .completeness
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert!(fields.contains(&"available_from"), "{fields:?}");
    assert!(!fields.contains(&"max_commute_km"));
    // 22 years old, specialised high school: the youth programmes are met on the seeker's side.
    assert!(advice
        .programmes
        .iter()
        .any(|p| p.id == "youth-job-leap" && p.eligible));

    // A recommended pair carries its programmes: full-time, so the incentive is met outright.
    let recommended = client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: "welder".into(),
            options: options(5),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    let pair = &recommended.postings[0];
    assert!(
        pair.programmes
            .iter()
            .any(|p| p.id == "youth-job-leap" && p.eligible && p.verify_before_use),
        "{:?}",
        pair.programmes
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_advice_requests_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let unknown = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: "nobody".into(),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound, "{unknown:?}");
    let empty = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: String::new(),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(empty.code(), Code::InvalidArgument);
    assert!(empty.message().contains("seeker_id"), "{}", empty.message());
    let missing = client
        .advise_posting(pb::AdvisePostingRequest {
            draft: None,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::InvalidArgument);
    assert!(missing.message().contains("draft"), "{}", missing.message());
    let nowhere = client
        .advise_posting(pb::AdvisePostingRequest {
            draft: Some(posting("", "용접공", WELD, region("아틀란티스"))),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(nowhere.code(), Code::InvalidArgument);
    assert!(
        nowhere.message().contains("draft.location"),
        "{}",
        nowhere.message()
    );
    // A draft without a location is advised, not refused: the gap is named.
    let advice = client
        .advise_posting(pb::AdvisePostingRequest {
            draft: Some(posting("", "직원 모집", "열심히 일할 분", None)),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(advice.market.is_none());
    let fields: Vec<&str> = advice
        .completeness
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["skills", "location", "title", "description"]);
    server.stop().await;
}

/// The interest inventory through a real server: a Realistic-high answer pattern stored with the
/// seeker, families that fit it with their postings within reach (in AdviseSeeker too, kept when
/// the platform rewrites the record), erased with the seeker, and bad answers refused by field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interest_inventory_names_fitting_families_with_postings_in_reach_and_goes_with_the_seeker(
) {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;
    let realistic = inventory_answers(|item| if item.id.starts_with('R') { 5 } else { 2 });
    let assessed = client
        .assess_interests(pb::AssessInterestsRequest {
            seeker_id: "s001".into(),
            answers: realistic.clone(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner()
        .interests
        .unwrap();
    let profile = assessed.profile.clone().unwrap();
    assert!(profile.code.starts_with('R'), "{profile:?}");
    assert!(!profile.flat);
    let realistic_score = profile.scores[0].score;
    assert!((realistic_score - 5.0).abs() < 1e-9, "{profile:?}");
    assert_eq!(profile.scores[0].name, "현장형");
    let suggested: Vec<&pb::InterestFamily> =
        assessed.families.iter().filter(|f| f.suggested).collect();
    assert!(
        suggested
            .iter()
            .any(|f| ["welding", "machining", "electrical"].contains(&f.family.as_str())),
        "{suggested:?}"
    );
    // s001, a welder near 화성, has welding postings within reach in the demo data.
    let in_reach: u32 = suggested.iter().map(|f| f.postings_in_reach).sum();
    assert!(in_reach > 0, "{suggested:?}");

    // AdviseSeeker names the same families, and keeps them when the platform rewrites the
    // seeker's record without them.
    let seekers: Vec<pb::Seeker> = read_jsonl("demo/seekers.jsonl");
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seekers[0].clone()],
        })
        .await
        .unwrap();
    let advice = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: "s001".into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(advice.interests.as_ref(), Some(&assessed));

    // Bad answers are refused naming the answer; nothing is stored for them.
    let mut out_of_range = realistic.clone();
    out_of_range[3].value = 6;
    let refused = client
        .assess_interests(pb::AssessInterestsRequest {
            seeker_id: "s002".into(),
            answers: out_of_range,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert!(
        refused.message().contains("answers[3].value"),
        "{refused:?}"
    );
    let refused = client
        .assess_interests(pb::AssessInterestsRequest {
            seeker_id: "s002".into(),
            answers: realistic[..10].to_vec(),
            options: None,
        })
        .await
        .unwrap_err();
    assert!(refused.message().contains("answers"), "{refused:?}");
    let untouched = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: "s002".into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(untouched.interests, None);
    let unknown = client
        .assess_interests(pb::AssessInterestsRequest {
            seeker_id: "nobody".into(),
            answers: realistic.clone(),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    // A delete erases the scores with the record.
    client
        .delete_seeker(pb::DeleteRequest { id: "s001".into() })
        .await
        .unwrap();
    let gone = client
        .advise_seeker(pb::AdviseSeekerRequest {
            seeker_id: "s001".into(),
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
    server.stop().await;
}
