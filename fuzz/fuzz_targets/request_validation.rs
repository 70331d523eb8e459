//! Request validation and location parsing must reject bad input with an error, never panic:
//! arbitrary bytes as protobuf messages and as text (proto-JSON, region names, tokens files).
#![no_main]

use jobmatch::api::{self, pb};
use jobmatch::domain::Limits;
use jobmatch::geo::Gazetteer;
use libfuzzer_sys::fuzz_target;
use prost::Message;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let gazetteer = Gazetteer::builtin();
    if let Ok(p) = pb::Posting::decode(data) {
        let _ = api::posting_from_proto(p, &limits, gazetteer);
    }
    if let Ok(s) = pb::Seeker::decode(data) {
        let _ = api::seeker_from_proto(s, &limits, gazetteer, 2026);
    }
    if let Ok(o) = pb::RankingOptions::decode(data) {
        let _ = api::ranking_from_proto(Some(o), &limits);
    }
    if let Ok(f) = pb::SeekerFilter::decode(data) {
        let _ = api::seeker_filter_from_proto(Some(f), 2026);
    }
    if let Ok(f) = pb::PostingFilter::decode(data) {
        let _ = api::posting_filter_from_proto(Some(f));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gazetteer.lookup(text);
        if let Ok(p) = serde_json::from_str::<pb::Posting>(text) {
            let _ = api::posting_from_proto(p, &limits, gazetteer);
        }
        if let Ok(s) = serde_json::from_str::<pb::Seeker>(text) {
            let _ = api::seeker_from_proto(s, &limits, gazetteer, 2026);
        }
        let _ = jobmatch::auth::Authenticator::from_toml(text, "fuzz");
        let _ = jobmatch::skills::Vocabulary::builtin().key(text);
    }
});
