//! The counsellors' web console: its JSON gateway (every route's auth and bad input, answered
//! with gRPC's status codes as HTTP statuses, and the same answers as gRPC) and the whole
//! counsellor's flow in a real headless Chromium.

use std::path::Path;
use std::time::{Duration, Instant};

use jobmatch::api::pb;
use jobmatch::auth::hash_token;
use jobmatch::config::AuthConfig;
use serde_json::{json, Value};

use crate::common::browser::{self, Browser};
use crate::common::http::{request, rpc};
use crate::common::*;

const PLATFORM: &str = "console-platform-token";
const COUNSELLOR: &str = "console-gyeonggi-token";
const ADMIN: &str = "console-admin-token";

/// A server with tokens (a platform, a counsellor of 경기 (41), an admin), the console on port 0
/// and the demo data.
async fn console_server(dir: &Path) -> TestServer {
    let tokens = dir.join("tokens.toml");
    std::fs::write(
        &tokens,
        format!(
            "[[tokens]]\nname = \"web\"\nrole = \"platform\"\nsha256 = \"{}\"\n\n\
             [[tokens]]\nname = \"gyeonggi-centre\"\nrole = \"counsellor\"\nregions = [\"41\"]\n\
             sha256 = \"{}\"\n\n[[tokens]]\nname = \"ops\"\nrole = \"admin\"\nsha256 = \"{}\"\n",
            hash_token(PLATFORM),
            hash_token(COUNSELLOR),
            hash_token(ADMIN)
        ),
    )
    .unwrap();
    let mut config = plain_config(&dir.join("data"));
    config.auth = AuthConfig::TokensFile(tokens);
    let server = TestServer::start_with_console(config).await;
    load_demo(&mut authed(&server, Some(PLATFORM)).await).await;
    server
}

/// Every RPC the console uses, with a valid body for a 경기 counsellor.
fn console_calls() -> Vec<(&'static str, Value)> {
    vec![
        ("WhoAmI", json!({})),
        (
            "FindRecords",
            json!({ "kind": "RECORD_KIND_POSTING", "text": "용접" }),
        ),
        ("GetPosting", json!({ "id": "p001" })),
        ("GetSeeker", json!({ "id": "s001" })),
        (
            "RecommendCandidates",
            json!({ "postingId": "p001", "options": { "topK": 5 } }),
        ),
        (
            "RecommendPostings",
            json!({ "seekerId": "s001", "options": { "topK": 5 } }),
        ),
        (
            "MatchRegion",
            json!({ "regions": ["경기도"], "k": 1, "maxListsPerSeeker": 1 }),
        ),
        (
            "RecordOutcome",
            json!({ "postingId": "p001", "seekerId": "s001", "stage": "OUTCOME_STAGE_PROPOSED" }),
        ),
        ("CentreFigures", json!({})),
        (
            "AdvisePosting",
            json!({ "draft": { "title": "용접 생산직", "description": "TIG 용접",
                               "location": { "region": "경기도 화성시" } } }),
        ),
        ("AdviseSeeker", json!({ "seekerId": "s001" })),
        ("ListOutcomes", json!({ "postingId": "p001" })),
        ("ExposureAudit", json!({ "k": 5, "maxPostings": 20 })),
    ]
}

fn assert_refused(
    answer: &crate::common::http::HttpResponse,
    status: u16,
    code: &str,
    field: &str,
) {
    assert_eq!(answer.status, status, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains(field),
        "the message should name `{field}`: {body}"
    );
}

#[tokio::test]
async fn the_console_gateway_checks_every_call_as_grpc_does_and_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let server = console_server(dir.path()).await;
    let base = server.console_url.clone().unwrap();

    // Auth on every route: no token or a wrong one is 401, a role without the RPC is 403.
    for (method, body) in console_calls() {
        for token in [None, Some("not-a-token")] {
            let answer = rpc(&base, method, token, &body).await;
            assert_refused(&answer, 401, "UNAUTHENTICATED", "");
            assert!(!answer.text().contains("not-a-token"), "never echo a token");
        }
        let admin = rpc(&base, method, Some(ADMIN), &body).await;
        // The admin may audit (an auditor's task) and ask who they are; nothing else here.
        let expected = if matches!(method, "WhoAmI" | "ExposureAudit") {
            200
        } else {
            403
        };
        assert_eq!(admin.status, expected, "admin {method}: {}", admin.text());
        let counsellor = rpc(&base, method, Some(COUNSELLOR), &body).await;
        assert_eq!(
            counsellor.status,
            200,
            "counsellor {method}: {}",
            counsellor.text()
        );
    }
    let me = rpc(&base, "WhoAmI", Some(COUNSELLOR), &json!({}))
        .await
        .json();
    assert_eq!(me["name"], "gyeonggi-centre");
    assert_eq!(me["role"], "counsellor");
    assert_eq!(me["regions"], json!(["41"]));
    assert_eq!(me["regionNames"], json!(["경기도"]));

    // Another region's posting reads exactly as an unknown one.
    let outside = rpc(
        &base,
        "GetPosting",
        Some(COUNSELLOR),
        &json!({ "id": "p002" }),
    )
    .await;
    let unknown = rpc(
        &base,
        "GetPosting",
        Some(COUNSELLOR),
        &json!({ "id": "p-zz" }),
    )
    .await;
    assert_eq!((outside.status, unknown.status), (404, 404));
    assert_eq!(
        outside.json()["message"]
            .as_str()
            .unwrap()
            .replace("p002", "ID"),
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .replace("p-zz", "ID")
    );
    let shortlist_elsewhere = rpc(
        &base,
        "RecommendCandidates",
        Some(COUNSELLOR),
        &json!({ "postingId": "p002", "options": { "topK": 5 } }),
    )
    .await;
    assert_eq!(
        shortlist_elsewhere.status,
        404,
        "{}",
        shortlist_elsewhere.text()
    );

    // Bad input: 400 naming the field, as INVALID_ARGUMENT over gRPC.
    for (method, body, field) in [
        (
            "RecommendCandidates",
            json!({ "postingId": "" }),
            "posting_id",
        ),
        (
            "RecommendCandidates",
            json!({ "postingId": "p001", "options": { "topK": 500 } }),
            "top_k",
        ),
        (
            "RecordOutcome",
            json!({ "postingId": "p001", "seekerId": "s001", "stage": "OUTCOME_STAGE_REJECTED" }),
            "reason",
        ),
        ("FindRecords", json!({ "text": "용접" }), "kind"),
        (
            "FindRecords",
            json!({ "kind": "RECORD_KIND_SEEKER", "limit": 1000 }),
            "limit",
        ),
        (
            "FindRecords",
            json!({ "kind": "RECORD_KIND_SEEKER", "pageToken": "../x" }),
            "page_token",
        ),
        (
            "FindRecords",
            json!({ "kind": "RECORD_KIND_SEEKER", "regions": ["없는곳"] }),
            "regions[0]",
        ),
        ("CentreFigures", json!({ "from": "2026-13-01" }), "from"),
        (
            "CentreFigures",
            json!({ "from": "2026-05-01", "to": "2026-01-01" }),
            "to",
        ),
        ("GetPosting", json!({ "id": 5 }), "request body"),
    ] {
        let answer = rpc(&base, method, Some(COUNSELLOR), &body).await;
        assert_refused(&answer, 400, "INVALID_ARGUMENT", field);
    }
    let not_json = request(
        &base,
        "POST",
        "/api/v1/GetPosting",
        Some(COUNSELLOR),
        b"{id:",
    )
    .await;
    assert_refused(&not_json, 400, "INVALID_ARGUMENT", "request body");
    let no_such = rpc(
        &base,
        "DeleteSeeker",
        Some(PLATFORM),
        &json!({ "id": "s001" }),
    )
    .await;
    assert_refused(&no_such, 404, "NOT_FOUND", "DeleteSeeker");
    let huge = vec![b' '; 5 * 1024 * 1024];
    let too_big = request(&base, "POST", "/api/v1/WhoAmI", Some(COUNSELLOR), &huge).await;
    assert_eq!(too_big.status, 413);

    // The same answer as gRPC with the same token.
    let mut grpc = authed(&server, Some(COUNSELLOR)).await;
    let over_grpc = pb::RecommendCandidatesResponse {
        candidates: candidates(&mut grpc, "p001", options(10).unwrap(), None).await,
        ..Default::default()
    };
    let over_http: pb::RecommendCandidatesResponse = serde_json::from_value(
        rpc(
            &base,
            "RecommendCandidates",
            Some(COUNSELLOR),
            &json!({ "postingId": "p001", "options": { "topK": 10 } }),
        )
        .await
        .json(),
    )
    .unwrap();
    assert!(!over_grpc.candidates.is_empty());
    assert_eq!(ids(&over_http.candidates), ids(&over_grpc.candidates));
    for (a, b) in over_http.candidates.iter().zip(&over_grpc.candidates) {
        let (a, b) = (a.score.as_ref().unwrap(), b.score.as_ref().unwrap());
        assert!((a.final_score - b.final_score).abs() < 1e-9);
    }
    let home = over_grpc.candidates[0]
        .home
        .as_ref()
        .expect("a candidate's home for the map");
    assert!((33.0..39.0).contains(&home.lat) && (124.0..132.0).contains(&home.lon));

    find_records_pages_within_the_counsellors_regions(&base).await;
    the_shortlist_exports_as_csv(&base, &over_grpc).await;
    figures_follow_recorded_outcomes_in_the_callers_regions(&base, &server).await;

    // The page and its files, with a policy that allows this origin only.
    let page = request(&base, "GET", "/", None, b"").await;
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"].starts_with("text/html"));
    assert!(page.headers["content-security-policy"].contains("default-src 'self'"));
    for path in [
        "/console/app.js",
        "/console/app.css",
        "/console/regions.json",
    ] {
        assert_eq!(
            request(&base, "GET", path, None, b"").await.status,
            200,
            "{path}"
        );
    }
    let regions = request(&base, "GET", "/console/regions.json", None, b"")
        .await
        .json();
    assert!(regions["regions"].as_array().unwrap().len() > 250);
    assert_eq!(
        request(&base, "GET", "/nothing-here", None, b"")
            .await
            .status,
        404
    );
    server.stop().await;
}

async fn find_records_pages_within_the_counsellors_regions(base: &str) {
    let find = |token: &'static str, body: Value| async move {
        let answer = rpc(base, "FindRecords", Some(token), &body).await;
        assert_eq!(answer.status, 200, "{}", answer.text());
        answer.json()
    };
    let all = find(
        COUNSELLOR,
        json!({ "kind": "RECORD_KIND_SEEKER", "limit": 100 }),
    )
    .await;
    let all_ids: Vec<String> = all["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let platform_in_gyeonggi = find(
        PLATFORM,
        json!({ "kind": "RECORD_KIND_SEEKER", "regions": ["41"], "limit": 100 }),
    )
    .await;
    assert_eq!(
        all["records"], platform_in_gyeonggi["records"],
        "the counsellor's scope is 경기"
    );
    let everyone = find(
        PLATFORM,
        json!({ "kind": "RECORD_KIND_SEEKER", "limit": 100 }),
    )
    .await;
    assert!(everyone["records"].as_array().unwrap().len() > all_ids.len());
    assert!(!all_ids.is_empty());
    // Pages of 7 give the same records once each, in the same order.
    let mut paged = Vec::new();
    let mut token = String::new();
    loop {
        let page = find(
            COUNSELLOR,
            json!({ "kind": "RECORD_KIND_SEEKER", "limit": 7, "pageToken": token }),
        )
        .await;
        let records = page["records"].as_array().unwrap();
        assert!(records.len() <= 7);
        paged.extend(
            records
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string()),
        );
        match page["nextPageToken"].as_str() {
            Some(next) if !next.is_empty() => token = next.to_string(),
            _ => break,
        }
    }
    assert_eq!(paged, all_ids);
    // By a part of the title or company, case-insensitively.
    let welders = find(
        COUNSELLOR,
        json!({ "kind": "RECORD_KIND_POSTING", "text": "WELDER" }),
    )
    .await;
    let titles: Vec<&str> = welders["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Welder for steel structures"),
        "{titles:?}"
    );
    assert!(
        titles.iter().all(|t| t.to_lowercase().contains("welder")),
        "{titles:?}"
    );
    // A region outside the scope finds nothing rather than leaking.
    let busan = find(
        COUNSELLOR,
        json!({ "kind": "RECORD_KIND_POSTING", "regions": ["울산광역시"] }),
    )
    .await;
    assert_eq!(busan["records"].as_array().map_or(0, Vec::len), 0);
}

async fn the_shortlist_exports_as_csv(base: &str, expected: &pb::RecommendCandidatesResponse) {
    let body = json!({ "postingId": "p001", "options": { "topK": 10 } }).to_string();
    let export = |resume: &'static str| {
        let body = body.clone();
        async move {
            let path = format!("/api/v1/export/shortlist.csv?include_resume={resume}");
            request(base, "POST", &path, Some(COUNSELLOR), body.as_bytes()).await
        }
    };
    let plain = export("false").await;
    assert_eq!(plain.status, 200, "{}", plain.text());
    assert!(plain.headers["content-type"].starts_with("text/csv"));
    assert!(plain.headers["content-disposition"].contains("shortlist-p001.csv"));
    let mut reader = csv::Reader::from_reader(plain.body.as_slice());
    assert!(!reader.headers().unwrap().iter().any(|h| h == "resume"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), expected.candidates.len());
    for (row, candidate) in rows.iter().zip(&expected.candidates) {
        assert_eq!(&row[1], candidate.seeker_id);
        assert_eq!(&row[11], candidate.explanation.as_ref().unwrap().reason);
    }
    let with_resume = export("true").await;
    let mut reader = csv::Reader::from_reader(with_resume.body.as_slice());
    assert_eq!(reader.headers().unwrap().iter().next_back(), Some("resume"));
    let first = reader.records().next().unwrap().unwrap();
    let seeker = rpc(
        base,
        "GetSeeker",
        Some(COUNSELLOR),
        &json!({ "id": &first[1] }),
    )
    .await
    .json();
    assert_eq!(first.iter().next_back(), seeker["resume"].as_str());
    assert_refused(
        &export("maybe").await,
        400,
        "INVALID_ARGUMENT",
        "include_resume",
    );
}

async fn figures_follow_recorded_outcomes_in_the_callers_regions(base: &str, server: &TestServer) {
    let figures = |token: &'static str| async move {
        rpc(base, "CentreFigures", Some(token), &json!({}))
            .await
            .json()
    };
    let count = |figures: &Value, key: &str| figures[key].as_u64().unwrap_or(0);
    let (before, platform_before) = (figures(COUNSELLOR).await, figures(PLATFORM).await);
    let hired = rpc(
        base,
        "RecordOutcome",
        Some(COUNSELLOR),
        &json!({ "postingId": "p001", "seekerId": "s001", "stage": "OUTCOME_STAGE_HIRED" }),
    )
    .await;
    assert_eq!(hired.status, 200, "{}", hired.text());
    // A hiring in 울산 (p002), recorded by the platform: not the 경기 centre's.
    let mut platform = authed(server, Some(PLATFORM)).await;
    platform
        .record_outcome(pb::RecordOutcomeRequest {
            posting_id: "p002".into(),
            seeker_id: "s002".into(),
            stage: pb::OutcomeStage::Hired as i32,
            ..Default::default()
        })
        .await
        .unwrap();
    let (after, platform_after) = (figures(COUNSELLOR).await, figures(PLATFORM).await);
    assert_eq!(
        count(&after, "placements"),
        count(&before, "placements") + 1
    );
    assert_eq!(
        count(&platform_after, "placements"),
        count(&platform_before, "placements") + 2
    );
    let month = chrono_month();
    let months = after["placementsByMonth"].as_array().unwrap();
    assert!(
        months.iter().any(|m| m["month"] == month.as_str()),
        "{months:?}"
    );
    let stages = after["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 5, "{stages:?}");
}

/// This month as "YYYY-MM" (outcomes recorded without a date are dated today, UTC).
fn chrono_month() -> String {
    chrono::Utc::now().format("%Y-%m").to_string()
}

/// The ranking a 경기 counsellor gets over gRPC for p001 (what the page must show).
async fn expected_shortlist(
    server: &TestServer,
    options: pb::RankingOptions,
) -> Vec<(String, String)> {
    let mut grpc = authed(server, Some(COUNSELLOR)).await;
    candidates(&mut grpc, "p001", options, None)
        .await
        .into_iter()
        .map(|c| (c.seeker_id, c.explanation.unwrap_or_default().reason))
        .collect()
}

#[tokio::test]
async fn a_counsellor_works_through_the_console_in_a_real_browser() {
    let Some(chromium) =
        browser::available("console::a_counsellor_works_through_the_console_in_a_real_browser")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = console_server(dir.path()).await;
    let base = server.console_url.clone().unwrap();
    let top10 = pb::RankingOptions {
        top_k: 10,
        ..Default::default()
    };
    let expected = expected_shortlist(&server, top10.clone()).await;
    let within_8km = expected_shortlist(
        &server,
        pb::RankingOptions {
            max_distance_km: Some(8.0),
            ..top10.clone()
        },
    )
    .await;
    let in_english = expected_shortlist(
        &server,
        pb::RankingOptions {
            language: "en".into(),
            ..top10
        },
    )
    .await;
    assert!(expected[0].1.contains("보유 기술"), "{expected:?}");
    assert!(in_english[0].1.contains("skills"), "{in_english:?}");
    assert!(expected.len() >= 3, "{expected:?}");
    assert_ne!(expected, within_8km, "the filter must change this list");
    let shots = browser::screenshots_dir();
    let started = Instant::now();
    // The browser blocks: it runs beside the runtime that serves the console.
    tokio::task::spawn_blocking(move || {
        let mut page = Console::open(&chromium, &base);
        page.sign_in();
        page.find_by_keyboard();
        page.shortlist_matches_grpc(&expected, &within_8km, &shots);
        page.reasons_follow_the_language(&in_english);
        page.outcome_changes_the_figures(&shots);
        page.other_regions_are_refused();
        page.seeker_and_region_pages(&shots);
    })
    .await
    .unwrap();
    eprintln!(
        "console browser flow: {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        browser::screenshots_dir().display()
    );
    server.stop().await;
}

const WAIT: Duration = Duration::from_secs(30);

/// The console in a browser, with the steps a counsellor takes.
struct Console {
    browser: Browser,
}

impl Console {
    fn open(chromium: &Path, base: &str) -> Self {
        let mut browser = Browser::launch(chromium, 1280, 800);
        browser.goto(&format!("{base}/"));
        Self { browser }
    }

    fn eval(&mut self, js: &str) -> Value {
        self.browser.eval(js)
    }

    /// Goes to a route and waits until its view has rendered.
    fn route(&mut self, hash: &str) {
        // Setting the hash it already has re-renders nothing: then the view is what we want.
        if self.eval(&format!("location.hash !== {}", json!(hash))) == json!(true) {
            self.eval("document.querySelector('#view').dataset.ready = 'stale'");
            self.eval(&format!("location.hash = {}", json!(hash)));
        }
        self.ready(hash);
    }

    /// Waits until the view has rendered what it was asked.
    fn ready(&mut self, what: &str) {
        self.browser.wait_for(
            "document.querySelector('#view').dataset.ready === 'true'",
            what,
            WAIT,
        );
    }

    /// Changes a control as a user would (value, then the input and change events).
    fn set(&mut self, selector: &str, value: &str) {
        self.eval("document.querySelector('#view').dataset.ready = 'stale'");
        self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); e.focus();
               if (e.type === 'checkbox') e.checked = {value} === 'true'; else e.value = {value};
               e.dispatchEvent(new Event('input', {{ bubbles: true }}));
               e.dispatchEvent(new Event('change', {{ bubbles: true }})); }})()",
            sel = json!(selector),
            value = json!(value)
        ));
    }

    fn click(&mut self, selector: &str) {
        self.eval(&format!(
            "document.querySelector({}).click()",
            json!(selector)
        ));
    }

    fn text(&mut self, selector: &str) -> String {
        let js = format!(
            "(document.querySelector({}) || {{ textContent: '' }}).textContent.trim()",
            json!(selector)
        );
        self.eval(&js).as_str().unwrap_or_default().to_string()
    }

    fn shot(&mut self, dir: &Path, name: &str) {
        self.browser.screenshot(&dir.join(name));
    }

    fn sign_in(&mut self) {
        self.browser
            .wait_for("document.querySelector('#token')", "the sign-in form", WAIT);
        self.eval("document.querySelector('#token').value = 'wrong-token'");
        self.click("#sign-in");
        self.browser.wait_for(
            "!document.querySelector('#error').hidden && document.querySelector('#error').textContent.length > 0",
            "the refusal of a wrong token",
            WAIT,
        );
        assert!(self
            .eval("sessionStorage.getItem('jobmatch.token')")
            .is_null());
        self.eval(&format!(
            "document.querySelector('#token').value = {}",
            json!(COUNSELLOR)
        ));
        self.click("#sign-in");
        self.browser.wait_for(
            "!document.querySelector('#whoami').hidden && document.querySelector('#whoami').textContent.includes('경기')",
            "the counsellor's name and region",
            WAIT,
        );
        assert_eq!(
            self.eval("localStorage.getItem('jobmatch.token')"),
            Value::Null
        );
        assert_eq!(
            self.eval("sessionStorage.getItem('jobmatch.token')"),
            json!(COUNSELLOR)
        );
    }

    /// Typing a search and pressing Enter finds the welder posting.
    fn find_by_keyboard(&mut self) {
        self.route("#/find");
        self.eval("document.querySelector('#find-kind').value = 'posting'");
        self.eval("document.querySelector('#view').dataset.ready = 'stale'");
        self.eval("document.querySelector('#find-text').value = 'welder'");
        self.eval("document.querySelector('#find-text').focus()");
        self.browser.press("Enter", "Enter", 13);
        self.browser.wait_for(
            "document.querySelector('#find-results a[data-id=\"p001\"]')",
            "p001 among the results",
            WAIT,
        );
        self.ready("the search results");
    }

    /// The reason lines follow the console's language: English when switched (the gRPC answer
    /// with options.language "en"), Korean again after.
    fn reasons_follow_the_language(&mut self, english: &[(String, String)]) {
        self.route("#/posting/p001");
        self.set("#lang", "en");
        self.ready("the shortlist in English");
        assert_eq!(self.shortlist_rows(), english, "the English reason lines");
        self.set("#lang", "ko");
        self.ready("the shortlist in Korean again");
    }

    fn shortlist_rows(&mut self) -> Vec<(String, String)> {
        let rows = self.eval(
            "[...document.querySelectorAll('#shortlist tbody tr[data-seeker-id]')]
               .map(r => [r.dataset.seekerId, (r.querySelector('.reason') || {}).textContent || ''])",
        );
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_string(),
                    r[1].as_str().unwrap().trim().to_string(),
                )
            })
            .collect()
    }

    fn shortlist_matches_grpc(
        &mut self,
        expected: &[(String, String)],
        within_8km: &[(String, String)],
        shots: &Path,
    ) {
        self.route("#/posting/p001");
        assert_eq!(
            self.shortlist_rows(),
            expected,
            "the page's list is the gRPC ranking"
        );
        let markers = self.eval("document.querySelectorAll('#map circle.candidate').length");
        assert_eq!(markers, json!(expected.len()), "one marker per candidate");
        assert_eq!(
            self.eval("!!document.querySelector('#map .posting-marker')"),
            json!(true)
        );
        // The province outlines are drawn under the markers: the workplace lies inside one.
        self.browser.wait_for(
            "document.querySelectorAll('#map path.outline.sido').length > 0",
            "the province outlines",
            WAIT,
        );
        let under_workplace = self.eval(
            "(() => { const r = document.querySelector('#map .posting-marker').getBoundingClientRect(); \
             return document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2) \
               .filter(e => e.matches('path.outline.sido')).map(e => e.dataset.code); })()",
        );
        assert_eq!(
            under_workplace.as_array().map_or(0, Vec::len),
            1,
            "one province outline under the workplace: {under_workplace}"
        );
        // The centre's advice on the posting (AdvisePosting) loads under the list.
        self.browser.wait_for(
            "/\\d/.test((document.querySelector('#posting-market') || {}).textContent || '')",
            "the posting's market in its advice",
            WAIT,
        );
        self.shot(shots, "shortlist.png");
        self.browser.resize(768, 1024);
        self.shot(shots, "shortlist-tablet.png");
        self.browser.resize(1280, 800);

        self.set("#f-max-distance", "8");
        self.ready("the list within 8 km");
        assert_eq!(
            self.shortlist_rows(),
            within_8km,
            "the filter re-ranks live"
        );
        self.set("#f-max-distance", "");
        self.ready("the list without a distance limit");
        assert_eq!(self.shortlist_rows(), expected);
    }

    fn placements(&mut self) -> String {
        self.route("#/figures");
        self.text("[data-figure=\"placements\"] .value")
    }

    fn outcome_changes_the_figures(&mut self, shots: &Path) {
        let before = self.placements();
        assert_eq!(before, "0", "no placement yet");
        self.route("#/posting/p001");
        let first = self.shortlist_rows()[0].0.clone();
        let row = format!("#shortlist tr[data-seeker-id=\"{first}\"]");
        // A rejection needs its reason: refused in the page, nothing sent.
        self.click(&format!("{row} button[data-outcome=\"rejected\"]"));
        self.browser.wait_for(
            &format!(
                "document.querySelector({})",
                json!(format!("{row} .reject-confirm"))
            ),
            "the rejection form",
            WAIT,
        );
        self.click(&format!("{row} .reject-confirm"));
        self.browser.wait_for(
            "!document.querySelector('#error').hidden",
            "the missing reason said",
            WAIT,
        );
        self.click(&format!("{row} button[data-outcome=\"hired\"]"));
        self.browser.wait_for(
            &format!(
                "(document.querySelector({}) || {{}}).textContent",
                json!(format!("{row} .outcome-recorded"))
            ),
            "the hiring recorded",
            WAIT,
        );
        assert_eq!(
            self.placements(),
            "1",
            "the hiring counts in the centre's figures"
        );
        self.browser.wait_for(
            "document.querySelector('svg#fig-months rect')",
            "the months chart",
            WAIT,
        );
        self.shot(shots, "figures.png");
    }

    fn other_regions_are_refused(&mut self) {
        self.route("#/posting/p002");
        assert_eq!(
            self.eval("document.querySelector('#error').hidden"),
            json!(false)
        );
        let error = self.text("#error");
        assert!(!error.is_empty());
        assert!(
            self.shortlist_rows().is_empty(),
            "nothing of 울산's posting is shown"
        );
    }

    fn seeker_and_region_pages(&mut self, shots: &Path) {
        self.route("#/seeker/s001");
        let postings =
            self.eval("document.querySelectorAll('#postings tbody tr[data-posting-id]').length");
        assert!(postings.as_u64().unwrap() > 0, "the seeker's postings");
        assert_eq!(
            self.eval("document.body.innerText.includes('during my internship')"),
            json!(false),
            "the resume stays hidden until asked"
        );
        assert_eq!(
            self.eval("!!document.querySelector('#map .seeker-marker')"),
            json!(true)
        );
        // Interview preparation for the seeker's best postings (AdviseSeeker).
        self.browser.wait_for(
            "document.querySelectorAll('#interview-prep li').length > 0",
            "interview questions",
            WAIT,
        );
        self.shot(shots, "seeker.png");

        self.route("#/region");
        self.set("#region-input", "경기도");
        self.click("#region-run");
        self.browser.wait_for(
            "document.querySelectorAll('#region-plan section[data-posting-id]').length > 0",
            "the region's plan",
            WAIT,
        );
        self.ready("the region's plan");
        let seekers = self.eval(
            "[...document.querySelectorAll('#region-plan li[data-seeker-id]')].map(l => l.dataset.seekerId)",
        );
        let seekers: Vec<&str> = seekers
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let distinct: std::collections::BTreeSet<&str> = seekers.iter().copied().collect();
        assert!(!seekers.is_empty());
        assert_eq!(
            distinct.len(),
            seekers.len(),
            "no seeker on two lists (max 1)"
        );
        self.shot(shots, "region.png");
    }
}

const KIM: &str = "console-gyeonggi-kim-token";
const KIM_NAME: &str = "gyeonggi-kim";

impl Console {
    /// Signs in with `token` and waits until the header names `name`.
    fn sign_in_as(&mut self, token: &str, name: &str) {
        self.browser
            .wait_for("document.querySelector('#token')", "the sign-in form", WAIT);
        self.eval(&format!(
            "document.querySelector('#token').value = {}",
            json!(token)
        ));
        self.click("#sign-in");
        self.browser.wait_for(
            &format!(
                "!document.querySelector('#whoami').hidden && document.querySelector('#whoami').textContent.includes({})",
                json!(name)
            ),
            "the counsellor's name in the header",
            WAIT,
        );
    }
}

#[tokio::test]
async fn a_counsellor_proposal_shows_their_name_on_the_posting_page_and_the_audit_table_renders() {
    let Some(chromium) = browser::available(
        "console::a_counsellor_proposal_shows_their_name_on_the_posting_page_and_the_audit_table_renders",
    ) else {
        return;
    };
    // A platform token and one counsellor of 경기 (41), named as the outcome log will record them.
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.toml");
    std::fs::write(
        &tokens,
        format!(
            "[[tokens]]\nname = \"web\"\nrole = \"platform\"\nsha256 = \"{}\"\n\n\
             [[tokens]]\nname = \"{}\"\nrole = \"counsellor\"\nregions = [\"41\"]\n\
             sha256 = \"{}\"\n",
            hash_token(PLATFORM),
            KIM_NAME,
            hash_token(KIM)
        ),
    )
    .unwrap();
    let mut config = plain_config(&dir.path().join("data"));
    config.auth = AuthConfig::TokensFile(tokens);
    let server = TestServer::start_with_console(config).await;

    // One welding posting and five qualified seekers, all in 경기도 화성시.
    let mut platform = authed(&server, Some(PLATFORM)).await;
    let mut weld = posting(
        "p-gg-weld",
        "용접 생산직 사원 모집",
        "철 구조물 TIG 용접. 용접기능사 우대.",
        region("경기도 화성시"),
    );
    weld.skills = vec!["용접기능사".into()];
    platform
        .upsert_postings(pb::UpsertPostingsRequest {
            postings: vec![weld],
        })
        .await
        .unwrap();
    let seekers: Vec<pb::Seeker> = ["s-gg-1", "s-gg-2", "s-gg-3", "s-gg-4", "s-gg-5"]
        .into_iter()
        .map(|id| {
            let mut s = seeker(
                id,
                "용접기능사 보유",
                "특성화고 용접과를 졸업하고 TIG 용접을 실습했습니다.",
                region("경기도 화성시"),
            );
            s.skills = vec!["용접기능사".into()];
            s.max_commute_km = 30.0;
            s
        })
        .collect();
    platform
        .upsert_seekers(pb::UpsertSeekersRequest { seekers })
        .await
        .unwrap();

    let base = server.console_url.clone().unwrap();
    let shots = browser::screenshots_dir();
    // The browser blocks: it runs beside the runtime that serves the console.
    tokio::task::spawn_blocking(move || {
        let mut page = Console::open(&chromium, &base);
        page.sign_in_as(KIM, KIM_NAME);

        // The posting page: nothing recorded yet; then a proposal from the first row.
        page.route("#/posting/p-gg-weld");
        let rows = page.shortlist_rows();
        assert!(!rows.is_empty(), "the posting's shortlist");
        assert_eq!(
            page.eval("document.querySelectorAll('#posting-outcomes tbody tr').length"),
            json!(0),
            "no outcome recorded yet"
        );
        assert_eq!(
            page.eval("document.querySelector('#posting-outcomes-empty').hidden"),
            json!(false),
            "the empty state is said"
        );
        let first = rows[0].0.clone();
        page.click(&format!(
            "#shortlist tr[data-seeker-id=\"{first}\"] button[data-outcome=\"proposed\"]"
        ));
        let recorded_by = format!(
            "#posting-outcomes tbody tr[data-seeker-id=\"{first}\"][data-stage=\"OUTCOME_STAGE_PROPOSED\"] .recorded-by"
        );
        page.browser.wait_for(
            &format!(
                "((document.querySelector({}) || {{}}).textContent || '').includes({})",
                json!(recorded_by),
                json!(KIM_NAME)
            ),
            "the proposal among the posting's outcomes, with who made it",
            WAIT,
        );
        page.ready("the posting's outcomes");
        page.shot(&shots, "posting-outcomes.png");

        // The figures: the counsellor's own line counts the proposal.
        page.route("#/figures");
        let proposals = page.text(&format!(
            "#fig-people tr[data-person=\"{KIM_NAME}\"] .proposals"
        ));
        assert!(
            proposals.parse::<u64>().is_ok_and(|n| n >= 1),
            "the counsellor's proposals in #fig-people: {proposals:?}"
        );

        // The exposure audit: a table of groups, and no one in it by name or link.
        page.eval("document.querySelector('#view').dataset.ready = 'stale'");
        page.click("#audit-run");
        page.browser.wait_for(
            "document.querySelectorAll('#audit-ranking tbody tr[data-dimension]').length > 0",
            "the ranking's exposure table",
            WAIT * 4,
        );
        page.ready("the exposure audit");
        let audit = page.text("#audit-result");
        assert!(
            !audit.contains("s-gg-") && !audit.contains("Seeker "),
            "the audit shows aggregates only: {audit}"
        );
        assert_eq!(
            page.eval("document.querySelectorAll('#audit-result a').length"),
            json!(0)
        );
        page.shot(&shots, "figures-audit.png");
    })
    .await
    .unwrap();
    server.stop().await;
}

/// `GET path` over TLS, trusting only `ca_pem`.
async fn https_get(
    address: std::net::SocketAddr,
    ca_pem: &str,
    path: &str,
) -> std::io::Result<String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, ServerName};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let invalid = |e: &dyn std::fmt::Display| std::io::Error::other(e.to_string());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots
            .add(cert.map_err(|e| invalid(&e))?)
            .map_err(|e| invalid(&e))?;
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(&e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(address).await?;
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    // A server may close without TLS's close_notify once the answer is whole.
    let _ = tls.read_to_end(&mut answer).await;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn the_console_serves_https_with_the_servers_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (config, cert_pem) = tls_config(dir.path());
    let (other_ca, _) = self_signed("localhost");
    let bind = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap() };
    let console = bind().await;
    let address = console.local_addr().unwrap();
    let listeners = jobmatch::server::Listeners {
        grpc: bind().await,
        metrics: None,
        console: Some(console),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(jobmatch::server::serve_all(listeners, config, async {
        let _ = stopped.await;
    }));
    let page = https_get(address, &cert_pem, "/").await.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("/console/app.js"), "the console's page");
    assert!(
        https_get(address, &other_ca, "/").await.is_err(),
        "a certificate from another CA must fail"
    );
    let plaintext = request(&format!("http://{address}"), "GET", "/", None, b"").await;
    assert_ne!(plaintext.status, 200, "no plaintext beside TLS");
    let _ = stop.send(());
    served.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_counsellor_takes_the_interest_inventory_with_a_seeker() {
    let Some(chromium) =
        browser::available("console::a_counsellor_takes_the_interest_inventory_with_a_seeker")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = console_server(dir.path()).await;
    let base = server.console_url.clone().unwrap();
    let shots = browser::screenshots_dir();
    tokio::task::spawn_blocking(move || {
        let mut page = Console::open(&chromium, &base);
        page.sign_in_as(COUNSELLOR, "gyeonggi-centre");
        page.route("#/seeker/s001");
        page.click("#interests-start");
        page.browser.wait_for(
            "document.querySelectorAll('#interests-form fieldset[data-item-id]').length === 48",
            "the inventory's 48 items",
            WAIT,
        );
        let submit = "document.querySelector('#interests-submit').disabled";
        assert_eq!(page.eval(submit), json!(true), "nothing answered yet");
        // Every R item 5 (매우 좋다), every other item 2 (싫다), each with its change event.
        page.eval(
            r#"document.querySelectorAll('#interests-form fieldset[data-item-id]').forEach(f => {
                 const r = f.querySelector(`input[name="interest-${f.dataset.itemId}"][value="${f.dataset.type === 'R' ? 5 : 2}"]`);
                 r.checked = true; r.dispatchEvent(new Event('change', { bubbles: true })); })"#,
        );
        assert_eq!(page.eval(submit), json!(false), "every item answered");
        page.click("#interests-submit");
        let families = "[...document.querySelectorAll('#interests-result [data-family]')]
            .map(f => [f.dataset.family, f.dataset.suggested, f.querySelector('.postings-in-reach').textContent])";
        let shown = format!("({families}).length > 0");
        page.browser.wait_for(&shown, "the inventory's result", WAIT);
        page.ready("the assessment");
        let assessed = page.eval(families);
        let rows = assessed.as_array().unwrap();
        let suggested = |f: &&Value| f[1] == "true";
        assert!(
            rows.iter().filter(suggested).any(|f| ["welding", "machining", "electrical"]
                .contains(&f[0].as_str().unwrap())),
            "an R profile suggests a production family: {assessed}"
        );
        let count = |f: &Value| -> u64 {
            let text = f[2].as_str().unwrap();
            text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
        };
        assert!(
            rows.iter().filter(suggested).any(|f| count(f) > 0),
            "postings within reach for a suggested family: {assessed}"
        );
        // Loaded afresh, the page shows the same result, from AdviseSeeker.
        page.browser.goto(&format!("{base}/?again#/seeker/s001"));
        page.browser.wait_for(&shown, "the stored result after a reload", WAIT);
        assert_eq!(page.eval(families), assessed, "AdviseSeeker's interests");
        page.eval("document.querySelector('#interests').scrollIntoView()");
        page.shot(&shots, "interests.png");
    })
    .await
    .unwrap();
    server.stop().await;
}

#[tokio::test]
async fn a_cohort_is_placed_in_the_console_each_seeker_once_within_openings() {
    let Some(chromium) = browser::available(
        "console::a_cohort_is_placed_in_the_console_each_seeker_once_within_openings",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = console_server(dir.path()).await;
    let base = server.console_url.clone().unwrap();
    let shots = browser::screenshots_dir();
    tokio::task::spawn_blocking(move || {
        let mut page = Console::open(&chromium, &base);
        // The demo cohort lives in 서울, 경기 and 인천: the platform's token sees every region.
        page.sign_in_as(PLATFORM, "web");
        page.route("#/cohort");
        let cohort = [
            "s001", "s037", "s006", "s054", "s012", "s024", "s010", "s034", "s041", "s004",
        ];
        page.place_cohort(&cohort, &["p001", "p025", "p008", "p038", "p046"]);
        // Two openings for ten: at least eight are left out, each with the reason.
        assert!(page.place_cohort(&cohort, &["p001", "p046"]) >= 8);
        page.eval("document.querySelector('#cohort-summary').scrollIntoView()");
        page.shot(&shots, "cohort.png");
    })
    .await
    .unwrap();
    server.stop().await;
}

impl Console {
    /// Places `cohort` in `postings` on #/cohort and checks what is shown: no posting over its
    /// openings, each seeker placed once, the cohort's others unplaced with a reason (or said to
    /// be none). Returns how many are unplaced.
    fn place_cohort(&mut self, cohort: &[&str], postings: &[&str]) -> usize {
        self.set("#cohort-seekers", &cohort.join(", "));
        self.set("#cohort-postings", &postings.join("\n"));
        self.click("#cohort-run");
        let blocks = "[...document.querySelectorAll('#cohort-result [data-posting-id]')]";
        let count = format!("{blocks}.length === {}", postings.len());
        self.browser
            .wait_for(&count, "the cohort's placements", WAIT);
        self.ready("the cohort's placements");
        let shown: Vec<(usize, Vec<String>)> = serde_json::from_value(self.eval(&format!(
            "{blocks}.map(p => [Number(p.dataset.openings), [...p.querySelectorAll('[data-seeker-id]')].map(s => s.dataset.seekerId)])"
        )))
        .unwrap();
        let placed: Vec<&String> = shown.iter().flat_map(|(_, seekers)| seekers).collect();
        for (openings, seekers) in &shown {
            assert!(*openings >= 1 && seekers.len() <= *openings, "{shown:?}");
        }
        let distinct: std::collections::BTreeSet<&str> =
            placed.iter().map(|s| s.as_str()).collect();
        let of_cohort = distinct.iter().all(|s| cohort.contains(s));
        assert!(
            !placed.is_empty() && distinct.len() == placed.len() && of_cohort,
            "{shown:?}"
        );
        let unplaced: Vec<(String, String, String)> = serde_json::from_value(self.eval(
            "[...document.querySelectorAll('#cohort-unplaced [data-seeker-id]')]
               .map(u => [u.dataset.seekerId, u.dataset.reason, u.querySelector('.reason').textContent.trim()])",
        ))
        .unwrap();
        let reasons = ["no_posting_in_reach", "outcompeted"];
        for (_, reason, text) in &unplaced {
            assert!(
                reasons.contains(&reason.as_str()) && !text.is_empty(),
                "{unplaced:?}"
            );
        }
        // The cohort's others, in its order.
        let others = cohort.iter().filter(|s| !distinct.contains(**s));
        assert!(unplaced.iter().map(|u| &u.0).eq(others), "{unplaced:?}");
        let nobody_left = self.eval("!!document.querySelector('#cohort-unplaced .all-placed')");
        assert_eq!(nobody_left, json!(unplaced.is_empty()));
        unplaced.len()
    }
}
