//! Relevance that holds on data the defaults were not tuned on: the shipped defaults against the
//! reference rankers on every labelled set's held-out split, the relevance floor with the
//! "nothing within reach" answer, and breakdowns that add up with a small prefetch.

use super::common::*;
use jobmatch::api::pb;

type Client = pb::matching_client::MatchingClient<tonic::transport::Channel>;

/// The shipped defaults must beat every reference ranker (distance only, TF-IDF, TF-IDF ×
/// commute decay, dense only with the commute filter) on the held-out split of every set, and the
/// lexical side alone must beat plain TF-IDF. Where a set is large enough to tell, the margin's
/// interval must lie above zero.
#[test]
fn the_defaults_beat_every_reference_ranker_on_every_held_out_split() {
    let e5 = e5_model_dir();
    let (stdout, report) = run_eval(&["--model".as_ref(), e5.as_os_str()]);
    let sets = report["sets"].as_array().unwrap();
    let names: Vec<&str> = sets.iter().map(|s| s["set"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "./samples/eval",
            "./samples/occupations",
            "./samples/public"
        ],
        "every shipped set"
    );
    let ndcg = |row: &serde_json::Value| row["summary"]["ndcg_at_10"]["mean"].as_f64().unwrap();
    for set in sets {
        assert_eq!(set["split"], "held-out");
        assert_eq!(set["seeker_commute"], "respected");
        let model = &set["models"][0];
        let defaults = ndcg(model);
        let references = set["references"].as_array().unwrap();
        assert_eq!(references.len(), 4);
        for reference in references {
            assert!(
                defaults > ndcg(reference),
                "{}: defaults {defaults:.4} do not beat {} ({:.4})\n{stdout}",
                set["set"],
                reference["name"],
                ndcg(reference)
            );
        }
        let margin = &model["margin"]["ndcg_at_10"];
        let best = references
            .iter()
            .map(ndcg)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (margin["mean"].as_f64().unwrap() - (defaults - best)).abs() < 1e-9,
            "the margin is over the best reference: {margin}"
        );
        if set["seekers_evaluated"].as_u64().unwrap() >= MARGIN_INTERVAL_SEEKERS {
            assert!(
                margin["low"].as_f64().unwrap() > 0.0,
                "{}: the margin's interval reaches zero: {margin}\n{stdout}",
                set["set"]
            );
        }
        let words = &model["words_margin_over_tfidf"]["ndcg_at_10"];
        assert!(
            words["mean"].as_f64().unwrap() > 0.0,
            "{}: words alone lose to TF-IDF: {words}\n{stdout}",
            set["set"]
        );
    }
}

/// Held-out seekers from which a set's bootstrap interval is narrow enough to require a margin
/// whose interval excludes zero (below it, only its mean must be positive).
const MARGIN_INTERVAL_SEEKERS: u64 = 60;

/// Twenty postings around 성남시 that have nothing to do with mechanical design, and one CAD
/// posting 80 km away; a seeker who does CAD and commutes 10 km.
async fn cad_far_from_home(client: &mut Client) {
    let here = || region("경기도 성남시 분당구");
    let unrelated = [
        (
            "nurse1",
            "간호조무사 모집",
            "요양병원 병동에서 환자 투약 보조와 활력징후 측정을 합니다.",
        ),
        (
            "nurse2",
            "요양보호사 채용",
            "어르신 식사 보조, 목욕과 이동 도움, 말벗 서비스를 제공합니다.",
        ),
        (
            "nurse3",
            "병원 간호 보조",
            "외래 진료 접수와 검사실 안내, 환자 이송을 담당합니다.",
        ),
        (
            "bake",
            "제과 제빵 보조",
            "새벽에 빵 반죽과 성형, 오븐 관리, 매장 진열을 합니다.",
        ),
        (
            "cook",
            "단체급식 조리원",
            "학교 급식 조리와 식자재 손질, 배식과 위생 관리를 합니다.",
        ),
        (
            "cafe",
            "카페 바리스타",
            "에스프레소 추출과 음료 제조, 매장 청결 관리를 합니다.",
        ),
        (
            "clean",
            "건물 미화원",
            "사무실과 화장실 청소, 분리수거를 담당합니다.",
        ),
        (
            "hair",
            "미용실 스태프",
            "샴푸와 드라이, 예약 관리, 고객 응대를 합니다.",
        ),
        (
            "care",
            "어린이집 보조교사",
            "영유아 놀이 지도와 급식 보조, 낮잠 지도를 합니다.",
        ),
        (
            "shop",
            "편의점 판매원",
            "계산대 운영과 상품 진열, 재고 확인을 합니다.",
        ),
        (
            "call",
            "고객센터 상담원",
            "전화로 요금 문의와 불만 접수를 응대합니다.",
        ),
        (
            "drive",
            "택배 배송 기사",
            "정해진 구역에 택배를 배송하고 반품을 수거합니다.",
        ),
        (
            "hotel",
            "호텔 객실 관리",
            "객실 정리와 침구 교체, 비품 보충을 합니다.",
        ),
        (
            "park",
            "주차 관리원",
            "주차장 차량 안내와 정산을 담당합니다.",
        ),
        (
            "farm",
            "스마트팜 재배원",
            "온실에서 딸기 모종을 심고 수확과 포장을 합니다.",
        ),
        (
            "sales",
            "매장 판매 사원",
            "의류 매장에서 고객 응대와 상품 정리를 합니다.",
        ),
        (
            "kids",
            "방과후 돌봄 교사",
            "초등학생 숙제 지도와 간식 준비, 귀가 지도를 합니다.",
        ),
        (
            "guard",
            "아파트 경비원",
            "출입 관리와 순찰, 택배 보관을 합니다.",
        ),
        (
            "wash",
            "세탁 공장 보조",
            "세탁물 분류와 다림질, 포장을 합니다.",
        ),
        (
            "event",
            "행사 진행 스태프",
            "전시회 안내 데스크 운영과 관람객 안내를 합니다.",
        ),
    ];
    let mut postings: Vec<pb::Posting> = unrelated
        .iter()
        .map(|(id, title, text)| posting(id, title, text, here()))
        .collect();
    postings.push(posting(
        "cad-far",
        "기계 설계 CAD 엔지니어",
        "AutoCAD와 SolidWorks로 생산 설비 부품의 3D 모델링과 2D 도면 작성을 합니다. 기계설계 전공 우대.",
        region("충청남도 천안시 서북구"),
    ));
    client
        .upsert_postings(pb::UpsertPostingsRequest { postings })
        .await
        .unwrap();
    upsert_cad_seeker(client, here()).await;
}

/// A seeker who does mechanical CAD and commutes 10 km, living at `home`.
async fn upsert_cad_seeker(client: &mut Client, home: Option<pb::Location>) {
    let mut s = seeker(
        "cad",
        "기계설계 전공, CAD 가능",
        "전문대 기계설계과를 졸업했고 AutoCAD와 SolidWorks로 부품 도면과 3D 모델링을 했습니다.",
        home,
    );
    s.max_commute_km = 10.0;
    client
        .upsert_seekers(pb::UpsertSeekersRequest { seekers: vec![s] })
        .await
        .unwrap();
}

async fn recommend(
    client: &mut Client,
    options: pb::RankingOptions,
) -> pb::RecommendPostingsResponse {
    client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: "cad".into(),
            options: Some(options),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_matches_are_not_offered_and_nothing_within_reach_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    cad_far_from_home(&mut client).await;

    // Nothing nearby clears the floor, so the answer says so and offers the CAD posting beyond
    // the commute, marked: by the server's default (the commute as a penalty) and with the
    // commute as a filter (matches beyond it then follow those within it).
    for policy in [pb::CommutePolicy::Unspecified, pb::CommutePolicy::Filter] {
        let answer = recommend(
            &mut client,
            pb::RankingOptions {
                seeker_commute: policy as i32,
                ..options(5).unwrap()
            },
        )
        .await;
        assert!(answer.nothing_within_reach, "{policy:?}: {answer:?}");
        let ids: Vec<&str> = answer
            .postings
            .iter()
            .map(|p| p.posting_id.as_str())
            .collect();
        assert_eq!(ids.first(), Some(&"cad-far"), "{policy:?}: {answer:?}");
        for p in &answer.postings {
            assert!(p.beyond_commute, "only matches beyond the commute: {p:?}");
            let s = p.score.as_ref().unwrap();
            assert!(s.match_strength.unwrap() >= s.relevance_floor, "{p:?}");
            let reason = &p.explanation.as_ref().unwrap().reason;
            assert!(reason.contains("통근 거리 밖"), "{reason}");
        }
        assert!(
            !ids.iter().any(|id| id.starts_with("nurse")),
            "no nursing jobs: {ids:?}"
        );
    }

    // The commute as a filter, without matches beyond it: an empty list, and the flag.
    let strict = recommend(
        &mut client,
        pb::RankingOptions {
            seeker_commute: pb::CommutePolicy::Filter as i32,
            beyond_commute: Some(false),
            ..options(5).unwrap()
        },
    )
    .await;
    assert!(
        strict.nothing_within_reach && strict.postings.is_empty(),
        "{strict:?}"
    );

    // With the floor lowered out of the way, the nearby postings come back, within reach.
    let unfloored = recommend(
        &mut client,
        pb::RankingOptions {
            relevance_floor: Some(-100.0),
            ..options(5).unwrap()
        },
    )
    .await;
    assert!(!unfloored.nothing_within_reach);
    assert_eq!(unfloored.postings.len(), 5);
    let within = unfloored
        .postings
        .iter()
        .filter(|p| !p.beyond_commute)
        .count();
    assert!(
        within >= 4,
        "the nearby postings are offered: {unfloored:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_breakdown_adds_up_with_a_prefetch_smaller_than_the_collection() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ranking.prefetch = 2;
    let server = TestServer::start_with(config).await;
    let mut client = server.client().await;
    cad_far_from_home(&mut client).await;
    let mut found_by_words = 0;
    for (fusion, relevance_floor) in [
        (pb::Fusion::Scores, None),
        (pb::Fusion::Rrf, Some(-100.0)),
        (pb::Fusion::Band, Some(-100.0)),
        (pb::Fusion::Scores, Some(-100.0)),
    ] {
        let answer = recommend(
            &mut client,
            pb::RankingOptions {
                fusion: fusion as i32,
                relevance_floor,
                ignore_seeker_commute: true,
                ..options(10).unwrap()
            },
        )
        .await;
        assert!(!answer.postings.is_empty());
        for p in &answer.postings {
            let s = p.score.as_ref().unwrap();
            let rebuilt = pure_fusion(s).final_score + s.boost;
            assert!(
                (s.final_score - rebuilt).abs() < 1e-9,
                "{fusion:?}: {rebuilt} vs {s:?}"
            );
            assert!((s.relevance - s.semantic_part - s.lexical_part).abs() < 1e-12);
            if s.lexical_score > 0.0 {
                found_by_words += 1;
            }
        }
    }
    assert!(
        found_by_words > 0,
        "some results share words with the seeker"
    );
    server.stop().await;
}

/// A new centre: four stored postings. The seeker does mechanical CAD and commutes 10 km; two
/// nursing jobs and a welding job lie near, the CAD job 31 km away. Too few records for their own
/// similarity distribution, so the model's reference corpus judges: the near jobs are weak and not
/// offered, the CAD job is, marked beyond the commute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_four_stored_postings_weak_matches_are_judged_from_the_first_record() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let here = || region("경기도 성남시 분당구");
    let postings = vec![
        posting(
            "cad-31km",
            "기계 설계 CAD 엔지니어",
            "AutoCAD와 SolidWorks로 생산 설비 부품의 3D 모델링과 2D 도면 작성을 합니다. 기계설계 전공 우대.",
            region("경기도 화성시"),
        ),
        posting(
            "nurse1",
            "간호조무사 모집",
            "요양병원 병동에서 환자 투약 보조와 활력징후 측정을 합니다.",
            here(),
        ),
        posting(
            "nurse2",
            "병원 간호 보조",
            "외래 진료 접수와 검사실 안내, 환자 이송을 담당합니다.",
            here(),
        ),
        posting(
            "weld",
            "CO2 용접공 채용",
            "선박 블록 이음부의 CO2 용접과 그라인더 작업을 합니다. 용접기능사 우대.",
            here(),
        ),
    ];
    client
        .upsert_postings(pb::UpsertPostingsRequest { postings })
        .await
        .unwrap();
    upsert_cad_seeker(&mut client, here()).await;

    let answer = recommend(&mut client, options(5).unwrap()).await;
    let ids: Vec<&str> = answer
        .postings
        .iter()
        .map(|p| p.posting_id.as_str())
        .collect();
    assert_eq!(ids, ["cad-31km"], "only the CAD job is a match: {answer:?}");
    assert!(answer.nothing_within_reach && answer.postings[0].beyond_commute);

    // With the floor out of the way every posting comes back, each with a strength: the near
    // ones below the default floor, the CAD job above it.
    let all = recommend(
        &mut client,
        pb::RankingOptions {
            relevance_floor: Some(-100.0),
            ..options(5).unwrap()
        },
    )
    .await;
    assert_eq!(all.postings.len(), 4, "{all:?}");
    let default_floor = jobmatch::ranking::FusionParams::default().relevance_floor;
    for p in &all.postings {
        let strength = p.score.as_ref().unwrap().match_strength;
        let strength = strength.expect("judged from the first record");
        if p.posting_id == "cad-31km" {
            assert!(strength >= default_floor, "{p:?}");
        } else {
            assert!(
                strength < default_floor,
                "{} is a weak match: {p:?}",
                p.posting_id
            );
        }
    }
    server.stop().await;
}
