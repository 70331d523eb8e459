//! What counsellors rely on: explanations, the programmes' hard filters, the seeker's own
//! commute, and boosts.

use jobmatch::api::pb;

use crate::common::*;

fn person(id: &str, resume: &str, place: &str) -> pb::Seeker {
    seeker(id, "용접 생산직 희망", resume, region(place))
}

fn top(k: u32) -> pb::RankingOptions {
    pb::RankingOptions {
        top_k: k,
        ..Default::default()
    }
}

#[tokio::test]
async fn explanations_filters_commute_and_boosts_behave_as_counsellors_expect() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;

    let mut weld = posting(
        "weld",
        "용접 생산직 사원 모집",
        "철 구조물 용접. 용접기능사 우대.",
        region("경기도 평택시"),
    );
    weld.skills = vec!["용접기능사".into(), "TIG 용접".into(), "도면 해독".into()];
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![weld],
        })
        .await
        .unwrap();

    // a: one skill listed in English, one named in the resume with a particle attached.
    let mut a = person(
        "a",
        "특성화고 졸업 후 용접기능사를 취득했습니다.",
        "경기도 평택시",
    );
    a.skills = vec!["TIG welding".into()];
    a.max_commute_km = 30.0;
    // b: none of the skills.
    let b = person("b", "성실하게 일하겠습니다.", "경기도 평택시");
    // c: far away with a short commute.
    let mut c = person("c", "용접기능사 보유", "부산광역시 강서구");
    c.max_commute_km = 20.0;
    // d: 41 years old.
    let mut d = person("d", "용접기능사 보유", "경기도 평택시");
    d.birth_year = 1985;
    // e, f: military service, discharged late and early.
    let mut e = person("e", "용접기능사 보유, 전역 예정", "경기도 평택시");
    e.education_track = pb::EducationTrack::MilitaryService as i32;
    e.discharge_date = "2027-09-01".into();
    let mut f = person("f", "용접기능사 보유, 전역 예정", "경기도 평택시");
    f.education_track = pb::EducationTrack::MilitaryService as i32;
    f.discharge_date = "2027-03-01".into();
    // g: across the sido border (충남 아산, next to 평택), closer than h in the same sido.
    let g = person("g", "용접기능사 보유", "충청남도 아산시");
    let h = person("h", "용접기능사 보유", "경기도 안성시");
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![a, b, c, d, e, f, g, h],
        })
        .await
        .unwrap();

    // Explanations: exact skills matched and missing, regions, a reason line.
    let all = candidates(&mut client, "weld", top(10), None).await;
    let explained = |id: &str| {
        all.iter()
            .find(|m| m.seeker_id == id)
            .unwrap_or_else(|| panic!("{id} missing from {:?}", ids(&all)))
            .explanation
            .clone()
            .unwrap()
    };
    let ea = explained("a");
    assert_eq!(ea.skills_matched, vec!["용접기능사", "TIG 용접"]);
    assert_eq!(ea.skills_missing, vec!["도면 해독"]);
    assert_eq!(ea.posting_region_name, "경기도 평택시");
    // The reason line is Korean by default, its facts structured beside it; σ and raw word
    // scores stay in the breakdown.
    assert!(
        ea.reason.contains("보유 기술 2/3") && ea.reason.contains("부족 도면 해독"),
        "{}",
        ea.reason
    );
    assert!(!ea.reason.contains('σ'), "{}", ea.reason);
    let codes: Vec<i32> = ea.facts.iter().map(|f| f.code).collect();
    assert_eq!(
        codes[..2],
        [
            pb::ReasonCode::Skills as i32,
            pb::ReasonCode::Distance as i32
        ]
    );
    assert_eq!(ea.facts[0].skills_missing, vec!["도면 해독"]);
    // English on request, from the same facts.
    let english = candidates(
        &mut client,
        "weld",
        pb::RankingOptions {
            language: "en".into(),
            ..top(10)
        },
        None,
    )
    .await;
    let line = &english.iter().find(|m| m.seeker_id == "a").unwrap();
    let line = &line.explanation.as_ref().unwrap();
    assert!(
        line.reason.contains("skills 2/3") && line.reason.contains("missing 도면 해독"),
        "{}",
        line.reason
    );
    assert_eq!(line.facts, ea.facts);
    let refused = client
        .recommend_candidates(pb::RecommendCandidatesRequest {
            posting_id: "weld".into(),
            options: Some(pb::RankingOptions {
                language: "fr".into(),
                ..top(10)
            }),
            filter: None,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    assert!(
        refused.message().contains("options.language"),
        "{refused:?}"
    );
    let eb = explained("b");
    assert!(eb.skills_matched.is_empty());
    assert_eq!(eb.skills_missing.len(), 3);

    // The seeker's own commute: c (Busan, 20 km) is marked beyond it by default (a penalty), left
    // out with the commute as a filter, and neither when the request ignores it.
    if let Some(c) = all.iter().find(|m| m.seeker_id == "c") {
        assert!(c.beyond_commute, "{c:?}");
        let reason = &c.explanation.as_ref().unwrap().reason;
        assert!(reason.contains("통근 거리 밖"), "{reason}");
    }
    assert!(all.iter().all(|m| m.beyond_commute == (m.seeker_id == "c")));
    let filtered = candidates(
        &mut client,
        "weld",
        pb::RankingOptions {
            top_k: 10,
            seeker_commute: pb::CommutePolicy::Filter as i32,
            beyond_commute: Some(false),
            ..Default::default()
        },
        None,
    )
    .await;
    assert!(!ids(&filtered).contains(&"c"));
    let ignoring = candidates(
        &mut client,
        "weld",
        pb::RankingOptions {
            top_k: 10,
            ignore_seeker_commute: true,
            ..Default::default()
        },
        None,
    )
    .await;
    assert!(ids(&ignoring).contains(&"c"));
    assert!(ignoring.iter().all(|m| !m.beyond_commute));

    // Youth programmes: 34 or younger at the request date.
    let young = candidates(
        &mut client,
        "weld",
        top(10),
        Some(pb::SeekerFilter {
            max_age: 34,
            ..Default::default()
        }),
    )
    .await;
    assert!(ids(&all).contains(&"d") && !ids(&young).contains(&"d"));
    assert_eq!(
        young.len(),
        all.len() - 1,
        "top_k is filled from the qualifying seekers"
    );

    // Military service discharged by a date.
    let discharged = candidates(
        &mut client,
        "weld",
        top(10),
        Some(pb::SeekerFilter {
            education_tracks: vec![pb::EducationTrack::MilitaryService as i32],
            discharged_by: "2027-06-30".into(),
            ..Default::default()
        }),
    )
    .await;
    assert_eq!(ids(&discharged), vec!["f"]);

    // Same-sido boost: h (경기, farther) overtakes g (충남, closer) and the breakdown shows it.
    let only_gh = |list: &[pb::CandidateMatch]| {
        list.iter()
            .filter(|m| m.seeker_id == "g" || m.seeker_id == "h")
            .map(|m| m.seeker_id.clone())
            .collect::<Vec<_>>()
    };
    let geo_only = pb::RankingOptions {
        top_k: 10,
        semantic_weight: Some(0.0),
        geo_weight: Some(1.0),
        ..Default::default()
    };
    let plain = candidates(&mut client, "weld", geo_only.clone(), None).await;
    assert_eq!(only_gh(&plain), vec!["g", "h"]);
    let boosted = candidates(
        &mut client,
        "weld",
        pb::RankingOptions {
            boosts: Some(pb::Boosts {
                same_sido: 1.0,
                ..Default::default()
            }),
            ..geo_only
        },
        None,
    )
    .await;
    assert_eq!(only_gh(&boosted), vec!["h", "g"]);
    for m in &boosted {
        let s = m.score.as_ref().unwrap();
        let fused = pure_fusion(s).final_score;
        // Everyone lives in 경기도 but g (충남) and c (부산, beyond its commute but listed).
        let outside = m.seeker_id == "g" || m.seeker_id == "c";
        let expected_boost = if outside { 0.0 } else { 1.0 };
        assert!(
            (s.boost - expected_boost).abs() < 1e-9,
            "{}: {s:?}",
            m.seeker_id
        );
        assert!(
            (s.final_score - (fused + s.boost)).abs() < 1e-4,
            "{}: {s:?}",
            m.seeker_id
        );
        assert_eq!(s.boosts_applied.is_empty(), outside);
    }
    server.stop().await;
}

#[tokio::test]
async fn certified_and_manufacturing_boosts_reorder_postings_for_a_seeker() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let text = "CNC 선반 가공 생산직";
    let mut plain = posting("plain", text, text, region("경기도 평택시"));
    plain.sector = "services".into();
    let mut certified = plain.clone();
    certified.id = "certified".into();
    certified.certified_company = true;
    let mut factory = plain.clone();
    factory.id = "factory".into();
    factory.sector = "Manufacturing".into();
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![plain, certified, factory],
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![person("s", "CNC 선반 가공 경험", "경기도 평택시")],
        })
        .await
        .unwrap();
    let ranked = |boosts: pb::Boosts| {
        let mut client = client.clone();
        async move {
            client
                .recommend_postings(pb::RecommendPostingsRequest {
                    seeker_id: "s".into(),
                    options: Some(pb::RankingOptions {
                        top_k: 3,
                        boosts: Some(boosts),
                        ..Default::default()
                    }),
                    filter: None,
                })
                .await
                .unwrap()
                .into_inner()
                .postings
        }
    };
    let by_certified = ranked(pb::Boosts {
        certified_company: 0.5,
        ..Default::default()
    })
    .await;
    assert_eq!(by_certified[0].posting_id, "certified");
    assert_eq!(
        by_certified[0].score.as_ref().unwrap().boosts_applied,
        vec!["certified_company"]
    );
    let by_sector = ranked(pb::Boosts {
        manufacturing: 0.5,
        ..Default::default()
    })
    .await;
    assert_eq!(by_sector[0].posting_id, "factory");
    let invalid = client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: "s".into(),
            options: Some(pb::RankingOptions {
                top_k: 3,
                boosts: Some(pb::Boosts {
                    same_sido: -1.0,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .unwrap_err();
    assert_eq!(invalid.code(), tonic::Code::InvalidArgument);
    assert!(invalid.message().contains("options.boosts.same_sido"));
    server.stop().await;
}

fn region_request(regions: &[&str], k: u32, max_lists: u32) -> pb::MatchRegionRequest {
    pb::MatchRegionRequest {
        posting_ids: vec![],
        regions: regions.iter().map(|r| r.to_string()).collect(),
        k,
        max_lists_per_seeker: max_lists,
        options: Some(pb::RankingOptions {
            ignore_seeker_commute: true,
            ..Default::default()
        }),
        filter: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_region_respects_the_caps_and_covers_more_seekers_than_greedy() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.limits.max_region_postings = 20;
    let server = TestServer::start_with(config).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;

    let response = client
        .match_region(region_request(&["경기도"], 2, 1))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        response.shortlists.len(),
        8,
        "the demo has 8 postings in 경기도"
    );
    let mut seen = std::collections::HashSet::new();
    for list in &response.shortlists {
        assert!(list.candidates.len() <= list.size as usize);
        for c in &list.candidates {
            assert!(
                seen.insert(c.seeker_id.clone()),
                "{} is on two lists",
                c.seeker_id
            );
            assert!(c.explanation.as_ref().is_some_and(|e| !e.reason.is_empty()));
        }
    }
    let plan = response.plan.unwrap();
    let greedy = response.greedy.unwrap();
    assert_eq!(plan.distinct_seekers as usize, seen.len());
    assert!(
        plan.distinct_seekers >= greedy.distinct_seekers,
        "{plan:?} vs {greedy:?}"
    );
    // Greedy ignores the cap, so its total bounds the plan's from above.
    assert!(plan.total_score <= greedy.total_score + 1e-6);
    assert!(plan.total_score > 0.0);

    // Bad input.
    let code = |r: Result<tonic::Response<pb::MatchRegionResponse>, tonic::Status>| {
        let status = r.unwrap_err();
        (status.code(), status.message().to_string())
    };
    let (c, m) = code(client.match_region(region_request(&["경기도"], 0, 1)).await);
    assert_eq!(c, tonic::Code::InvalidArgument);
    assert!(m.contains("k"), "{m}");
    let (c, m) = code(client.match_region(region_request(&["경기도"], 2, 0)).await);
    assert_eq!(c, tonic::Code::InvalidArgument);
    assert!(m.contains("max_lists_per_seeker"), "{m}");
    let (c, _) = code(
        client
            .match_region(region_request(&["경상북도 울릉군"], 2, 1))
            .await,
    );
    assert_eq!(c, tonic::Code::NotFound);
    let (c, m) = code(
        client
            .match_region(region_request(&["no such place"], 2, 1))
            .await,
    );
    assert_eq!(c, tonic::Code::InvalidArgument);
    assert!(m.contains("regions[0]"), "{m}");
    let mut everything = region_request(&[], 2, 1);
    everything.posting_ids = (1..=48).map(|i| format!("p{i:03}")).collect();
    let (c, m) = code(client.match_region(everything).await);
    assert_eq!(c, tonic::Code::ResourceExhausted, "{m}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcomes_are_recorded_durably_and_stats_and_exports_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;
    let record = |posting: &str, seeker: &str, stage: pb::OutcomeStage, reason: &str| {
        let mut client = client.clone();
        let request = pb::RecordOutcomeRequest {
            posting_id: posting.into(),
            seeker_id: seeker.into(),
            stage: stage as i32,
            reason: reason.into(),
            date: "2026-11-01".into(),
        };
        async move { client.record_outcome(request).await }
    };
    use pb::OutcomeStage as S;
    record("p001", "s001", S::Proposed, "").await.unwrap();
    record("p001", "s001", S::Hired, "").await.unwrap();
    record("p002", "s002", S::Hired, "").await.unwrap();
    let last = record("p003", "s003", S::Rejected, "근무 시간이 맞지 않음")
        .await
        .unwrap()
        .into_inner();
    assert_eq!(last.sequence, 4);
    let unknown = record("p001", "nobody", S::Hired, "").await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);
    assert!(unknown.message().contains("nobody"));
    let no_reason = record("p001", "s001", S::Rejected, "").await.unwrap_err();
    assert_eq!(no_reason.code(), tonic::Code::InvalidArgument);
    assert!(no_reason.message().contains("reason"));

    let run = |args: &[&str]| {
        let output = crate::common::jobmatch_command()
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let stats: serde_json::Value = serde_json::from_str(&run(&[
        "stats",
        "--json",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(stats["events"], 4);
    assert_eq!(stats["placements"], 2);
    assert_eq!(stats["seekers_placed"], 2);

    // The shortlist export: explanation columns, resume text only when asked.
    let csv = run(&[
        "shortlist",
        "--server",
        &server.url,
        "--posting",
        "p002",
        "--top-k",
        "3",
    ]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("skills_matched") && header.contains("reason"),
        "{header}"
    );
    assert!(!header.contains("resume"), "{header}");
    assert_eq!(csv.lines().count(), 4);
    let json = run(&[
        "shortlist",
        "--server",
        &server.url,
        "--posting",
        "p002",
        "--top-k",
        "3",
        "--format",
        "json",
        "--include-resume",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| r["resume"].as_str().is_some_and(|t| !t.is_empty())));
    server.stop().await;
}

/// A semiconductor posting with two places: three seekers live next to it without any of its
/// skills, two live 38 km away (within their 50 km commute) with every one. The plan takes the two
/// with the skills: distance modulates relevance, it does not outweigh it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regional_plan_prefers_every_skill_38_km_away_to_none_next_door() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let mut chip = posting(
        "chip",
        "반도체 장비 유지보수 기술원",
        "반도체 전공정 장비의 예방 정비와 고장 대응, 진공 펌프 점검을 합니다. 설비보전기사 우대.",
        region("경기도 평택시"),
    );
    chip.skills = vec!["반도체 장비".into(), "PLC".into(), "설비보전기사".into()];
    chip.openings = 1;
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![chip],
        })
        .await
        .unwrap();
    let mut seekers = Vec::new();
    for (id, headline, resume) in [
        (
            "near1",
            "생산직 신입",
            "공장에서 포장과 검수 아르바이트를 했습니다. 성실하게 일하겠습니다.",
        ),
        (
            "near2",
            "제조 현장 지원",
            "식품 공장 라인에서 제품 포장을 했습니다. 교대 근무 가능합니다.",
        ),
        (
            "near3",
            "물류 센터 경험",
            "물류 센터에서 상품 분류와 상차를 했습니다. 체력에 자신 있습니다.",
        ),
    ] {
        let mut s = seeker(id, headline, resume, region("경기도 평택시"));
        s.max_commute_km = 10.0;
        seekers.push(s);
    }
    for id in ["far1", "far2"] {
        let mut s = seeker(
            id,
            "반도체 장비 정비 교육 수료",
            "반도체 장비 유지보수 과정을 수료했고 PLC 제어와 진공 펌프 점검을 실습했습니다. 설비보전기사를 취득했습니다.",
            region("경기도 안산시 단원구"),
        );
        s.skills = vec!["반도체 장비".into(), "PLC".into(), "설비보전기사".into()];
        s.max_commute_km = 50.0;
        seekers.push(s);
    }
    client
        .upsert_seekers(pb::UpsertSeekersRequest { seekers })
        .await
        .unwrap();
    let plan = client
        .match_region(pb::MatchRegionRequest {
            posting_ids: vec!["chip".into()],
            regions: vec![],
            k: 2,
            max_lists_per_seeker: 1,
            options: Some(pb::RankingOptions {
                relevance_floor: Some(-100.0),
                ..Default::default()
            }),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner();
    let mut chosen: Vec<&str> = plan.shortlists[0]
        .candidates
        .iter()
        .map(|c| c.seeker_id.as_str())
        .collect();
    chosen.sort_unstable();
    assert_eq!(chosen, ["far1", "far2"], "{plan:?}");
    for c in &plan.shortlists[0].candidates {
        let km = c.score.as_ref().unwrap().distance_km;
        assert!((35.0..41.0).contains(&km), "{km} km: {c:?}");
    }
    server.stop().await;
}
