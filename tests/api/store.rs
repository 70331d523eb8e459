//! One conformance suite for both store backends: the embedded store (qdrant-edge in a temporary
//! data directory) and a real Qdrant server (`../shared/bin/qdrant`, see `common::qdrant`).
//! Every property runs on each; `candidates_and_word_choice_agree_across_backends` runs the same
//! queries on both and compares the answers.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use jobmatch::domain::{fields, CandidateFacts, GeoPoint};
use jobmatch::embed::ModelInfo;
use jobmatch::error::Error;
use jobmatch::lexical::{Analyser, SparseTerms};
use jobmatch::store::layout::DataDir;
use jobmatch::store::plan::StoredModel;
use jobmatch::store::server::QdrantServer;
use jobmatch::store::{
    CandidatePayload, CandidateQuery, Collection, FieldFilter, GenerationId, Generations,
    StoredDoc, VectorStore,
};
use serde_json::{json, Map};

use crate::common::qdrant::{self, QdrantNode};

/// A backend's generations, with what keeps it alive (a data directory or a Qdrant process).
struct Backend {
    generations: Arc<dyn Generations>,
    _keep: Box<dyn std::any::Any>,
}

impl Backend {
    fn embedded() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            generations: Arc::new(DataDir::open(dir.path()).unwrap()),
            _keep: Box::new(dir),
        }
    }

    /// A fresh Qdrant (or `JOBMATCH_QDRANT_URL` with a prefix of its own); None: not run.
    fn server(test: &str) -> Option<Self> {
        if !qdrant::available(test) {
            return None;
        }
        let node = QdrantNode::start();
        let server = QdrantServer::connect(node.options()).unwrap();
        Some(Self {
            generations: Arc::new(server),
            _keep: Box::new(node),
        })
    }

    fn store(&self) -> Arc<dyn VectorStore> {
        self.generations.open_serving(&model("m", 3)).unwrap().1
    }
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn embedded() {
                super::$name(super::Backend::embedded());
            }
            #[test]
            fn qdrant_server() {
                if let Some(backend) = super::Backend::server(concat!(stringify!($name), "::qdrant_server")) {
                    super::$name(backend);
                }
            }
        }
    )*};
}

on_both_backends!(
    writes_reads_replaces_and_deletes,
    candidates_are_the_union_of_the_lists_each_once_with_their_word_scores,
    filters_and_radius_apply_inside_the_query,
    an_id_filter_keeps_exactly_those_records_of_its_collection,
    query_words_keep_the_weightiest_as_documents_arrive_change_and_leave,
    scan_pages_through_every_document_once,
    a_filtered_scan_pages_through_the_matching_documents_only,
    generations_switch_whole_and_refuse_another_model,
    other_weights_are_refused_naming_both,
    ranking_candidates_carry_current_facts_and_records_are_read_apart,
);

fn model(name: &str, dimension: usize) -> StoredModel {
    StoredModel::of(&ModelInfo::plain(name, dimension, 512), Analyser::default())
}

fn unit(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter().map(|x| x / norm).collect()
}

/// A seeker-like record at (lat, lon) with a commute bucket, a birth year and words.
fn doc(id: &str, vector: &[f32], lat: f64, lon: f64, commute_km: u32, text: &str) -> StoredDoc {
    let mut payload = Map::new();
    payload.insert(fields::GEO.into(), json!({ "lat": lat, "lon": lon }));
    payload.insert(fields::BIRTH_YEAR.into(), json!(1995 + id.len() as i64 * 2));
    payload.insert(fields::COMMUTE_BUCKET.into(), json!(commute_km));
    payload.insert(
        fields::SIDO_CODE.into(),
        json!(if lat > 36.0 { "41" } else { "26" }),
    );
    payload.insert(fields::CERTIFIED.into(), json!(lon > 127.0));
    payload.insert("headline".into(), json!(format!("{id}: {text}")));
    StoredDoc {
        id: id.into(),
        vector: unit(vector),
        lexical: Analyser::default().document_vector(text),
        payload,
    }
}

fn corpus() -> Vec<StoredDoc> {
    vec![
        doc(
            "a",
            &[1.0, 0.0, 0.0],
            37.20,
            126.90,
            10,
            "CNC 선반 가공, 용접기능사 우대, 기숙사 제공",
        ),
        doc(
            "bb",
            &[0.8, 0.6, 0.0],
            37.00,
            127.10,
            0,
            "용접기능사를 취득했습니다",
        ),
        doc(
            "ccc",
            &[0.0, 1.0, 0.0],
            37.16,
            126.87,
            5,
            "회계 사무 보조, 전산회계 1급",
        ),
        doc(
            "d",
            &[0.6, 0.0, 0.8],
            35.10,
            129.00,
            30,
            "용접 생산직, 용접 경력자",
        ),
        doc(
            "ee",
            &[0.9, 0.1, 0.4],
            37.10,
            127.00,
            20,
            "간호조무사 요양병원",
        ),
        doc(
            "f",
            &[0.2, 0.9, 0.3],
            35.15,
            129.05,
            5,
            "지게차 운전기능사, 물류 창고",
        ),
        doc("ggg", &[0.5, 0.5, 0.5], 37.50, 127.00, 50, "용접 CNC 물류"),
    ]
}

fn ids(docs: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    docs.into_iter().collect()
}

fn query(filters: Vec<FieldFilter>, lexical: SparseTerms, prefetch: usize) -> CandidateQuery {
    CandidateQuery {
        vector: unit(&[1.0, 0.2, 0.1]),
        origin: GeoPoint {
            lat: 37.165,
            lon: 126.875,
        },
        filters,
        lexical,
        prefetch,
        near_km: Some(5.0),
        payload: CandidatePayload::Full,
    }
}

fn found(store: &dyn VectorStore, query: &CandidateQuery) -> BTreeSet<String> {
    ids(store
        .candidates(Collection::Seekers, query)
        .unwrap()
        .into_iter()
        .map(|c| c.doc.id))
}

fn writes_reads_replaces_and_deletes(backend: Backend) {
    let store = backend.store();
    let docs = corpus();
    store.upsert(Collection::Seekers, docs.clone()).unwrap();
    assert_eq!(store.count(Collection::Seekers).unwrap(), docs.len());
    assert_eq!(store.count(Collection::Postings).unwrap(), 0);
    let read = store
        .get(Collection::Seekers, "ccc")
        .unwrap()
        .expect("stored");
    assert_eq!(read.id, "ccc");
    assert_eq!(
        read.payload.get("headline"),
        docs[2].payload.get("headline")
    );
    assert_eq!(read.payload.get(fields::COMMUTE_BUCKET), Some(&json!(5)));
    assert_eq!(read.lexical, docs[2].lexical);
    for (got, want) in read.vector.iter().zip(&docs[2].vector) {
        assert!(
            (got - want).abs() < 1e-5,
            "{:?} vs {:?}",
            read.vector,
            docs[2].vector
        );
    }
    // The same id in the other collection is another record.
    assert!(store.get(Collection::Postings, "ccc").unwrap().is_none());

    let mut replaced = docs[2].clone();
    replaced
        .payload
        .insert("headline".into(), json!("replaced"));
    store.upsert(Collection::Seekers, vec![replaced]).unwrap();
    assert_eq!(store.count(Collection::Seekers).unwrap(), docs.len());
    let read = store.get(Collection::Seekers, "ccc").unwrap().unwrap();
    assert_eq!(read.payload.get("headline"), Some(&json!("replaced")));

    assert!(store.delete(Collection::Seekers, "ccc").unwrap());
    assert!(!store.delete(Collection::Seekers, "ccc").unwrap());
    assert!(store.get(Collection::Seekers, "ccc").unwrap().is_none());
    assert_eq!(store.count(Collection::Seekers).unwrap(), docs.len() - 1);
    let everything = query(vec![], SparseTerms::default(), 100);
    assert!(!found(store.as_ref(), &everything).contains("ccc"));

    // Reopened (an embedded generation is open once per process: closed first), the writes and
    // the delete are still there.
    drop(store);
    let store = backend.store();
    assert_eq!(store.count(Collection::Seekers).unwrap(), docs.len() - 1);
    assert!(store.get(Collection::Seekers, "ccc").unwrap().is_none());
    let a = store.get(Collection::Seekers, "a").unwrap().expect("kept");
    assert!(jobmatch::ranking::cosine(&a.vector, &docs[0].vector) > 0.9999);
    assert_eq!(store.count(Collection::Postings).unwrap(), 0);
}

/// With one candidate per list: the nearest by meaning, the nearest by meaning within `near_km`
/// of the origin and the best by words, each once; every candidate's word score is the one the
/// words list gives it, whichever list found it (those found by meaning only are scored apart).
fn candidates_are_the_union_of_the_lists_each_once_with_their_word_scores(backend: Backend) {
    let store = backend.store();
    let docs = corpus();
    store.upsert(Collection::Seekers, docs.clone()).unwrap();
    let terms = Analyser::default().query_vector("용접기능사 자격");
    let narrow = CandidateQuery {
        vector: unit(&[0.6, 0.0, 0.8]),
        ..query(vec![], terms, 1)
    };
    let scores = |q: &CandidateQuery| -> Vec<(String, f64)> {
        store
            .candidates(Collection::Seekers, q)
            .unwrap()
            .into_iter()
            .map(|c| (c.doc.id, c.lexical_score))
            .collect()
    };
    // Every document, each once: the word scores to expect.
    let wide = scores(&CandidateQuery {
        prefetch: 100,
        ..narrow.clone()
    });
    assert_eq!(wide.len(), docs.len());
    let wide: HashMap<String, f64> = wide.into_iter().collect();
    assert_eq!(wide["ccc"], 0.0, "sharing no word scores 0");

    let nearest = |within_km: f64| {
        docs.iter()
            .filter(|d| {
                let at = &d.payload[fields::GEO];
                let place = GeoPoint {
                    lat: at["lat"].as_f64().unwrap(),
                    lon: at["lon"].as_f64().unwrap(),
                };
                jobmatch::ranking::haversine_km(narrow.origin, place) <= within_km
            })
            .max_by(|a, b| {
                let cos = |d: &StoredDoc| jobmatch::ranking::cosine(&narrow.vector, &d.vector);
                cos(a).total_cmp(&cos(b))
            })
            .map(|d| d.id.clone())
            .unwrap()
    };
    let best_by_words = wide
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(id, _)| id.clone())
        .unwrap();
    let want = ids([
        nearest(f64::INFINITY),
        nearest(narrow.near_km.unwrap()),
        best_by_words.clone(),
    ]);
    let got = scores(&narrow);
    assert_eq!(got.len(), want.len(), "each candidate once: {got:?}");
    assert_eq!(ids(got.iter().map(|(id, _)| id.clone())), want);
    for (id, score) in &got {
        let expected = wide[id];
        assert!(
            (score - expected).abs() <= 1e-4 * expected.abs().max(1.0),
            "word score of {id}: {score}, by the words list {expected}"
        );
    }
    // "d" (nearest by meaning) shares "용접" with the query but is not the best by words.
    assert_ne!(best_by_words, "d");
    assert!(
        got.iter().any(|(id, score)| id == "d" && *score > 0.0),
        "{got:?}"
    );
}

fn filters_and_radius_apply_inside_the_query(backend: Backend) {
    let store = backend.store();
    store.upsert(Collection::Seekers, corpus()).unwrap();
    let all = |filters| found(store.as_ref(), &query(filters, SparseTerms::default(), 100));
    let set = |names: &[&str]| ids(names.iter().map(|s| s.to_string()));
    assert_eq!(all(vec![]).len(), corpus().len());
    assert_eq!(
        all(vec![FieldFilter::AnyOf {
            field: fields::SIDO_CODE,
            values: vec!["26".into()]
        }]),
        set(&["d", "f"])
    );
    assert_eq!(
        all(vec![FieldFilter::Is {
            field: fields::CERTIFIED,
            value: true
        }]),
        set(&["bb", "d", "f"])
    );
    // Birth years: 1997 (one-letter ids), 1999 (two), 2001 (three).
    assert_eq!(
        all(vec![FieldFilter::IntRange {
            field: fields::BIRTH_YEAR,
            min: Some(1998),
            max: Some(2000)
        }]),
        set(&["bb", "ee"])
    );
    assert_eq!(
        all(vec![FieldFilter::IntRange {
            field: fields::BIRTH_YEAR,
            min: None,
            max: Some(1998)
        }]),
        set(&["a", "d", "f"])
    );
    assert_eq!(
        all(vec![FieldFilter::IntRange {
            field: fields::BIRTH_YEAR,
            min: Some(2000),
            max: None
        }]),
        set(&["ccc", "ggg"])
    );
    let busan = GeoPoint {
        lat: 35.12,
        lon: 129.02,
    };
    assert_eq!(
        all(vec![FieldFilter::WithinKm {
            center: busan,
            km: 10.0
        }]),
        set(&["d", "f"])
    );
    // Whose own commute reaches this workplace: "a" (10 km, 2 km away), "bb" (no commute
    // stated), "ccc" (5 km, 3.4 km away), "ee" (20 km, 15 km away), "ggg" (50 km, 36 km away);
    // not "d" or "f" in Busan.
    let hwaseong = GeoPoint {
        lat: 37.19,
        lon: 126.88,
    };
    let reach = all(vec![FieldFilter::CommuteReaches { center: hwaseong }]);
    assert_eq!(reach, set(&["a", "bb", "ccc", "ee", "ggg"]));
}

fn an_id_filter_keeps_exactly_those_records_of_its_collection(backend: Backend) {
    let store = backend.store();
    store.upsert(Collection::Seekers, corpus()).unwrap();
    // The same id in the other collection is another point: it must not stand in for "a".
    let posting = corpus().into_iter().find(|d| d.id == "ccc").unwrap();
    store
        .upsert(
            Collection::Postings,
            vec![StoredDoc {
                id: "a".into(),
                ..posting
            }],
        )
        .unwrap();
    let only = |names: &[&str]| FieldFilter::Ids(names.iter().map(|s| s.to_string()).collect());
    let set = |names: &[&str]| ids(names.iter().map(|s| s.to_string()));
    let words = Analyser::default().query_vector("용접 CNC 물류");
    // Every list (meaning, near the origin, words) keeps to the ids, and none is left out.
    let within =
        |filters: Vec<FieldFilter>| found(store.as_ref(), &query(filters, words.clone(), 100));
    assert_eq!(
        within(vec![only(&["a", "d", "ggg"])]),
        set(&["a", "d", "ggg"])
    );
    assert_eq!(
        within(vec![only(&["f"])]),
        set(&["f"]),
        "found by meaning alone"
    );
    assert_eq!(
        within(vec![only(&["bb", "nobody"])]),
        set(&["bb"]),
        "an unknown id: nothing"
    );
    assert_eq!(within(vec![only(&[])]), set(&[]), "no id: no record");
    assert_eq!(
        within(vec![
            only(&["a", "d", "f"]),
            FieldFilter::AnyOf {
                field: fields::SIDO_CODE,
                values: vec!["26".into()],
            },
        ]),
        set(&["d", "f"]),
        "AND-ed with the other filters"
    );
    let mut narrow = query(vec![only(&["a", "bb", "ccc", "ee"])], words.clone(), 2);
    narrow.payload = CandidatePayload::Ranking;
    let best_two = found(store.as_ref(), &narrow);
    assert!(
        best_two.is_subset(&set(&["a", "bb", "ccc", "ee"])),
        "{best_two:?}"
    );
    assert!(!best_two.is_empty());
    let postings = store
        .candidates(
            Collection::Postings,
            &query(vec![only(&["a", "bb"])], words, 100),
        )
        .unwrap();
    let headline: Vec<_> = postings
        .iter()
        .map(|c| (c.doc.id.as_str(), c.doc.payload["headline"].clone()))
        .collect();
    assert_eq!(
        headline,
        [("a", json!("ccc: 회계 사무 보조, 전산회계 1급"))]
    );
    // A scan keeps to them too.
    let (page, next) = store
        .scan(
            Collection::Seekers,
            &[only(&["ee", "ccc", "gone"])],
            None,
            10,
        )
        .unwrap();
    assert_eq!(ids(page.into_iter().map(|d| d.id)), set(&["ccc", "ee"]));
    assert!(next.is_none());
}

/// The documents holding each term, counted the slow way.
fn documents_with(docs: &[StoredDoc], term: u32) -> u32 {
    docs.iter()
        .filter(|d| d.lexical.indices.contains(&term))
        .count() as u32
}

fn query_words_keep_the_weightiest_as_documents_arrive_change_and_leave(backend: Backend) {
    let store = backend.store();
    let mut docs = corpus();
    store.upsert(Collection::Seekers, docs.clone()).unwrap();
    let terms = Analyser::default().query_vector("용접기능사 용접 CNC 물류 회계 없는말 용접");
    let check = |store: &dyn VectorStore, docs: &[StoredDoc], max: usize| {
        let kept = store
            .weightiest_terms(Collection::Seekers, &terms, max)
            .unwrap();
        if max == 0 || terms.indices.len() <= max {
            assert_eq!(kept, terms, "every word, as it is");
            return;
        }
        let n = docs.len();
        let weight = |t: u32| {
            let at = terms.indices.iter().position(|&x| x == t).unwrap();
            f64::from(terms.values[at]) * jobmatch::store::plan::idf(n, documents_with(docs, t))
        };
        let known: Vec<u32> = terms
            .indices
            .iter()
            .copied()
            .filter(|&t| documents_with(docs, t) > 0)
            .collect();
        assert!(
            kept.indices.iter().all(|t| known.contains(t)),
            "only stored words are kept"
        );
        assert_eq!(kept.indices.len(), max.min(known.len()));
        let lightest = kept
            .indices
            .iter()
            .map(|&t| weight(t))
            .fold(f64::INFINITY, f64::min);
        for t in known.iter().filter(|t| !kept.indices.contains(t)) {
            assert!(
                weight(*t) <= lightest + 1e-9,
                "a dropped word weighs more than a kept one"
            );
        }
    };
    check(store.as_ref(), &docs, 0);
    check(store.as_ref(), &docs, 2);
    // A replaced document's old words leave the counts; a deleted one's go.
    let replaced = doc("ggg", &[0.5, 0.5, 0.5], 37.5, 127.0, 50, "회계 사무");
    store
        .upsert(Collection::Seekers, vec![replaced.clone()])
        .unwrap();
    docs[6] = replaced;
    check(store.as_ref(), &docs, 2);
    assert!(store.delete(Collection::Seekers, "d").unwrap());
    docs.remove(3);
    check(store.as_ref(), &docs, 1);
    check(store.as_ref(), &docs, 3);
    // Reopened, the counts are those of the stored documents.
    drop(store);
    let store = backend.store();
    check(store.as_ref(), &docs, 1);
    check(store.as_ref(), &docs, 3);
}

fn scan_pages_through_every_document_once(backend: Backend) {
    let store = backend.store();
    store.upsert(Collection::Seekers, corpus()).unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let (page, next) = store.scan(Collection::Seekers, &[], cursor, 3).unwrap();
        assert!(page.len() <= 3);
        assert!(
            page.iter().all(|d| d.vector.len() == 3),
            "vectors come along"
        );
        seen.extend(page.into_iter().map(|d| d.id));
        pages += 1;
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let unique = ids(seen.clone());
    assert_eq!(unique.len(), seen.len(), "each document once: {seen:?}");
    assert_eq!(unique, ids(corpus().into_iter().map(|d| d.id)));
    let (empty, next) = store.scan(Collection::Postings, &[], None, 3).unwrap();
    assert!(
        empty.is_empty() && next.is_none(),
        "an empty collection: one empty page"
    );
}

fn a_filtered_scan_pages_through_the_matching_documents_only(backend: Backend) {
    let store = backend.store();
    store.upsert(Collection::Seekers, corpus()).unwrap();
    let in_gyeonggi = [FieldFilter::AnyOf {
        field: fields::SIDO_CODE,
        values: vec!["41".into()],
    }];
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let (page, next) = store
            .scan(Collection::Seekers, &in_gyeonggi, cursor, 2)
            .unwrap();
        assert!(page.len() <= 2);
        seen.extend(page.into_iter().map(|d| d.id));
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let expected = corpus()
        .into_iter()
        .filter(|d| d.payload[fields::SIDO_CODE] == "41")
        .map(|d| d.id);
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(ids(seen), ids(expected));
}

fn generations_switch_whole_and_refuse_another_model(backend: Backend) {
    // An embedded generation is open once per process: each store is closed before reopening.
    let old_model = model("old", 3);
    let new_model = model("new", 4);
    let (old, store) = backend.generations.open_serving(&old_model).unwrap();
    store.upsert(Collection::Seekers, corpus()).unwrap();
    drop(store);
    // Reopening with the same model serves the same generation and data.
    let (again, reopened) = backend.generations.open_serving(&old_model).unwrap();
    assert_eq!(again, old);
    assert_eq!(reopened.count(Collection::Seekers).unwrap(), corpus().len());
    drop(reopened);

    let (fresh, building) = backend.generations.create(&new_model).unwrap();
    assert_ne!(fresh, old);
    assert_eq!(building.count(Collection::Seekers).unwrap(), 0);
    let four = doc("n1", &[1.0, 0.0, 0.0, 0.0], 37.0, 127.0, 0, "용접");
    building.upsert(Collection::Seekers, vec![four]).unwrap();
    drop(building);
    // Until the switch, the old generation serves.
    let (current, serving, stored) = backend.generations.open_current().unwrap();
    assert_eq!((current, stored), (old.clone(), old_model.clone()));
    assert_eq!(serving.count(Collection::Seekers).unwrap(), corpus().len());
    drop(serving);

    backend.generations.switch_to(&fresh).unwrap();
    let (current, serving, stored) = backend.generations.open_current().unwrap();
    assert_eq!((current, stored), (fresh.clone(), new_model.clone()));
    assert_eq!(serving.count(Collection::Seekers).unwrap(), 1);
    drop(serving);
    backend.generations.remove(&old).unwrap();

    let message = refusal(backend.generations.open_serving(&old_model));
    assert!(
        message.contains("'new'") && message.contains("'old'"),
        "{message}"
    );
}

/// The message of a FAILED_PRECONDITION refusal to serve a store.
fn refusal(opened: Result<(GenerationId, Arc<dyn VectorStore>), Error>) -> String {
    match opened {
        Err(Error::FailedPrecondition(message)) => message,
        Err(other) => panic!("expected FAILED_PRECONDITION, got {other:?}"),
        Ok(_) => panic!("a store of another model must be refused"),
    }
}

/// Vectors made by other weights of the same model are refused, naming both weights' hashes.
fn other_weights_are_refused_naming_both(backend: Backend) {
    let weighed = |hash: &str| StoredModel {
        weights_sha256: hash.into(),
        ..model("m", 3)
    };
    drop(
        backend
            .generations
            .open_serving(&weighed("aaaa1111"))
            .unwrap(),
    );
    let message = refusal(backend.generations.open_serving(&weighed("bbbb2222")));
    assert!(
        message.contains("aaaa1111") && message.contains("bbbb2222"),
        "{message}"
    );
    assert!(backend
        .generations
        .open_serving(&weighed("aaaa1111"))
        .is_ok());
}

/// A recommendation's candidates come with their ranking facts only (no record), facts follow
/// every write (the embedded store keeps them in memory), and the returned results' whole
/// records are read apart.
fn ranking_candidates_carry_current_facts_and_records_are_read_apart(backend: Backend) {
    let store = backend.store();
    let mut docs = corpus();
    for doc in &mut docs {
        doc.payload.insert(
            fields::RECORD.into(),
            json!({ "max_commute_km": 12.5, "resume": "긴 이력서 ".repeat(100) }),
        );
        doc.payload
            .insert(fields::SKILL_KEYS.into(), json!(["welding", doc.id]));
    }
    store.upsert(Collection::Seekers, docs.clone()).unwrap();
    let mut ranking = query(vec![], SparseTerms::default(), 50);
    ranking.near_km = None;
    ranking.payload = CandidatePayload::Ranking;
    let facts_of = |store: &Arc<dyn VectorStore>| -> HashMap<String, CandidateFacts> {
        let found = store.candidates(Collection::Seekers, &ranking).unwrap();
        found
            .into_iter()
            .map(|c| {
                assert!(
                    c.doc.payload.is_empty(),
                    "{}: a record came with it",
                    c.doc.id
                );
                // The similarity as the store scored it, or the vector to compute it from (the
                // server backend sends no vectors).
                let stored = &docs.iter().find(|d| d.id == c.doc.id).unwrap().vector;
                let expected = jobmatch::ranking::cosine(&ranking.vector, stored);
                let similarity = c
                    .similarity
                    .unwrap_or_else(|| jobmatch::ranking::cosine(&ranking.vector, &c.doc.vector));
                assert!(
                    (similarity - expected).abs() < 1e-4,
                    "{}: {similarity} vs {expected}",
                    c.doc.id
                );
                let facts = c.facts.expect("ranking facts").as_ref().clone();
                assert_eq!(facts.id, c.doc.id);
                (c.doc.id, facts)
            })
            .collect()
    };
    let facts = facts_of(&store);
    assert_eq!(facts.len(), docs.len());
    for doc in &docs {
        let got = &facts[&doc.id];
        assert!((got.point.lat - doc.payload[fields::GEO]["lat"].as_f64().unwrap()).abs() < 1e-9);
        assert_eq!(
            got.sido_code,
            doc.payload[fields::SIDO_CODE].as_str().unwrap()
        );
        assert_eq!(
            got.certified_company,
            doc.payload[fields::CERTIFIED].as_bool().unwrap()
        );
        assert_eq!(got.max_commute_km, Some(12.5));
        assert_eq!(got.skill_keys, vec!["welding".to_string(), doc.id.clone()]);
    }
    // Twice, so the embedded store answers the second from memory; then a write moves "aaa".
    assert_eq!(facts_of(&store), facts);
    let mut moved = docs[0].clone();
    moved
        .payload
        .insert(fields::GEO.into(), json!({ "lat": 35.1, "lon": 129.0 }));
    moved.payload.insert(fields::SIDO_CODE.into(), json!("26"));
    store
        .upsert(Collection::Seekers, vec![moved.clone()])
        .unwrap();
    store.delete(Collection::Seekers, &docs[1].id).unwrap();
    let after = facts_of(&store);
    assert_eq!(after[&moved.id].sido_code, "26");
    assert!((after[&moved.id].point.lat - 35.1).abs() < 1e-9);
    assert!(
        !after.contains_key(&docs[1].id),
        "a deleted record is still a candidate"
    );

    let records = store
        .get_records(
            Collection::Seekers,
            &[moved.id.clone(), docs[1].id.clone(), "nobody".into()],
        )
        .unwrap();
    assert_eq!(records.len(), 1, "only the stored record comes back");
    assert_eq!(records[0].id, moved.id);
    assert_eq!(records[0].payload["headline"], moved.payload["headline"]);
    assert_eq!(records[0].payload[fields::SIDO_CODE], json!("26"));
}

/// The same data and queries on both backends give the same candidates, word scores and query words.
#[test]
fn candidates_and_word_choice_agree_across_backends() {
    let Some(server) = Backend::server("candidates_and_word_choice_agree_across_backends") else {
        return;
    };
    let embedded = Backend::embedded();
    let (a, b) = (embedded.store(), server.store());
    for store in [&a, &b] {
        store.upsert(Collection::Seekers, corpus()).unwrap();
    }
    let texts = [
        "용접기능사 자격",
        "CNC 가공 용접",
        "회계 사무",
        "물류 지게차 창고",
        "간호",
    ];
    let filters = [
        vec![],
        vec![FieldFilter::AnyOf {
            field: fields::SIDO_CODE,
            values: vec!["41".into()],
        }],
        vec![FieldFilter::CommuteReaches {
            center: GeoPoint {
                lat: 37.1,
                lon: 127.0,
            },
        }],
        vec![FieldFilter::Ids(vec!["a".into(), "ccc".into(), "f".into()])],
    ];
    let mut compared = 0;
    for text in texts {
        let terms = Analyser::default().query_vector(text);
        for max in [0, 1, 2] {
            assert_eq!(
                a.weightiest_terms(Collection::Seekers, &terms, max)
                    .unwrap(),
                b.weightiest_terms(Collection::Seekers, &terms, max)
                    .unwrap(),
                "query words of '{text}' (max {max})"
            );
        }
        for filter in &filters {
            for prefetch in [1, 2, 100] {
                let q = query(filter.clone(), terms.clone(), prefetch);
                let scores = |store: &Arc<dyn VectorStore>| -> HashMap<String, f64> {
                    store
                        .candidates(Collection::Seekers, &q)
                        .unwrap()
                        .into_iter()
                        .map(|c| (c.doc.id, c.lexical_score))
                        .collect()
                };
                let (left, right) = (scores(&a), scores(&b));
                assert_eq!(
                    ids(left.keys().cloned()),
                    ids(right.keys().cloned()),
                    "candidates of '{text}', {filter:?}, prefetch {prefetch}"
                );
                for (id, score) in &left {
                    let other = right[id];
                    assert!(
                        (score - other).abs() <= 1e-4 * score.abs().max(1.0),
                        "word score of {id} for '{text}': embedded {score}, server {other}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, texts.len() * filters.len() * 3);
}
