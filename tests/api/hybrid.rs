//! Words and meaning together: the lexical signal finds certificate names whatever particle is
//! attached, and a posting that matches in both words and meaning ranks above one that matches
//! in only one.

use jobmatch::api::pb;

use crate::common::*;

type Client = pb::matching_client::MatchingClient<tonic::transport::Channel>;

async fn postings_for(
    client: &mut Client,
    seeker: &str,
    options: pb::RankingOptions,
) -> Vec<pb::PostingMatch> {
    client
        .recommend_postings(pb::RecommendPostingsRequest {
            seeker_id: seeker.into(),
            options: Some(options),
            filter: None,
        })
        .await
        .unwrap()
        .into_inner()
        .postings
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_name_finds_postings_whatever_particle_is_attached() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let here = || region("경기도 화성시");
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![
                posting(
                    "p-rul",
                    "생산직 모집",
                    "용접기능사를 취득하신 분을 우대합니다.",
                    here(),
                ),
                posting("p-bare", "생산직 모집", "자격: 용접기능사 필수.", here()),
                posting(
                    "p-ga",
                    "생산직 모집",
                    "용접기능사가 있으면 좋습니다.",
                    here(),
                ),
                posting(
                    "p-none",
                    "사무직 모집",
                    "전산회계 1급 소지자, 더존 사용 가능자.",
                    here(),
                ),
                posting(
                    "p-other",
                    "물류 모집",
                    "지게차 운전기능사 보유자 우대.",
                    here(),
                ),
            ],
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker("s", "용접기능사", "용접기능사", here())],
        })
        .await
        .unwrap();
    let words_only = pb::RankingOptions {
        top_k: 5,
        semantic_weight: Some(0.0),
        lexical_weight: Some(1.0),
        geo_weight: Some(0.0),
        fusion: pb::Fusion::Scores as i32,
        ..Default::default()
    };
    let found = postings_for(&mut client, "s", words_only).await;
    let top3: std::collections::HashSet<&str> = found
        .iter()
        .take(3)
        .map(|m| m.posting_id.as_str())
        .collect();
    assert_eq!(
        top3,
        ["p-rul", "p-bare", "p-ga"].into_iter().collect(),
        "{found:#?}"
    );
    for m in found.iter().take(3) {
        assert!(m.score.as_ref().unwrap().lexical_score > 0.0, "{m:?}");
    }
    let none = found.iter().find(|m| m.posting_id == "p-none").unwrap();
    assert_eq!(none.score.as_ref().unwrap().lexical_score, 0.0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matching_in_words_and_meaning_beats_matching_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    let here = || region("경기도 화성시");
    client
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![
                // Words and meaning.
                posting(
                    "both",
                    "CNC 선반 가공원",
                    "CNC 선반으로 자동차 부품을 가공합니다.",
                    here(),
                ),
                // Words only: the same words, another trade.
                posting(
                    "words",
                    "광고 디자이너",
                    "CNC 선반 간판 광고물 디자인 사무직, 포토샵 필수.",
                    here(),
                ),
                // Meaning only: the trade without its usual words.
                posting(
                    "meaning",
                    "금속 절삭 기계 조작원",
                    "금속 부품을 깎는 공작기계를 다룹니다.",
                    here(),
                ),
            ],
        })
        .await
        .unwrap();
    client
        .upsert_seekers(pb::UpsertSeekersRequest {
            seekers: vec![seeker(
                "s",
                "CNC 선반 가공",
                "CNC 선반 가공 경력 2년입니다.",
                here(),
            )],
        })
        .await
        .unwrap();
    let hybrid = pb::RankingOptions {
        top_k: 3,
        geo_weight: Some(0.0),
        ..Default::default()
    };
    let found = postings_for(&mut client, "s", hybrid).await;
    assert_eq!(found[0].posting_id, "both", "{found:#?}");
    let s = found[0].score.as_ref().unwrap();
    assert!(s.lexical_weight > 0.0 && s.semantic_weight > 0.0, "{s:?}");
    assert!(s.lexical_score > 0.0 && s.relevance > 0.0, "{s:?}");
    server.stop().await;
}
