//! What each RPC does with seekers' personal data, for the access log the envelope writes
//! ([`crate::store::access_log`]): a table over the RPCs, and the seeker ids each message names.
//!
//! A call is recorded when the table lists its RPC and it names at least one seeker: the ids in
//! its request (the seeker asked about, upserted or deleted) and in its answer (the seekers it
//! returned). Aggregates (CentreFigures, ExposureAudit, AdvisePosting's counts) name nobody.

use crate::api::pb;
use crate::auth::Rpc;
use crate::store::access_log::Action;

/// One row's personal-data column as `personal_data` returns it.
macro_rules! personal_line {
    () => {
        None
    };
    ($action:ident: $($field:literal),+) => {
        Some((Action::$action, &[$($field),+][..]))
    };
}

/// Makes `personal_data` from the table's rows.
macro_rules! personal_table {
    ($( $name:ident $method:ident $handler:ident ($request:ty => $answer:ty
        | $request2:ty => $answer2:ty)
        [$($role:ident),*] $via:ident ($($personal:tt)*); )*) => {
        /// What `rpc` does with seekers' data and which fields it returns or changes (`None`:
        /// nothing personal). The résumé is listed only where its text leaves the server or is
        /// written.
        pub fn personal_data(rpc: Rpc) -> Option<(Action, &'static [&'static str])> {
            match rpc {
                $(Rpc::$name => personal_line!($($personal)*)),*
            }
        }
    };
}

for_each_rpc!(personal_table);

/// The seeker ids a request or an answer names (none by default).
pub trait NamesSeekers {
    fn seeker_ids(&self) -> Vec<String> {
        Vec::new()
    }
}

macro_rules! names_nobody {
    ($($message:ty),* $(,)?) => { $(impl NamesSeekers for $message {})* };
}

names_nobody!(
    pb::UpsertPostingsRequest,
    pb::UpsertResponse,
    pb::Posting,
    pb::DeleteResponse,
    pb::RecommendCandidatesRequest,
    pb::EmbedRequest,
    pb::EmbedResponse,
    pb::ModelInfoRequest,
    pb::ModelInfoResponse,
    pb::ReindexRequest,
    pb::MatchRegionRequest,
    pb::RecordOutcomeResponse,
    pb::AdvisePostingRequest,
    pb::AdvisePostingResponse,
    pb::AdviseSeekerResponse,
    pb::AssessInterestsResponse,
    pb::WhoAmIRequest,
    pb::WhoAmIResponse,
    pb::FindRecordsRequest,
    pb::CentreFiguresRequest,
    pb::CentreFiguresResponse,
    pb::ExposureAuditRequest,
    pb::ExposureAuditResponse,
    pb::ListAccessRecordsResponse,
    pb::ListOutcomesRequest,
    crate::grpc::ProgressStream,
);

impl NamesSeekers for pb::GetRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl NamesSeekers for pb::DeleteRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl NamesSeekers for pb::Seeker {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl NamesSeekers for pb::UpsertSeekersRequest {
    fn seeker_ids(&self) -> Vec<String> {
        self.seekers.iter().map(|s| s.id.clone()).collect()
    }
}

impl NamesSeekers for pb::RecommendPostingsRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.seeker_id.clone()]
    }
}

impl NamesSeekers for pb::AdviseSeekerRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.seeker_id.clone()]
    }
}

impl NamesSeekers for pb::AssessInterestsRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.seeker_id.clone()]
    }
}

impl NamesSeekers for pb::PlaceCohortRequest {
    fn seeker_ids(&self) -> Vec<String> {
        self.seeker_ids.clone()
    }
}

impl NamesSeekers for pb::PlaceCohortResponse {
    fn seeker_ids(&self) -> Vec<String> {
        self.placements
            .iter()
            .chain(&self.greedy_placements)
            .flat_map(|p| p.seekers.iter().map(|s| s.seeker_id.clone()))
            .collect()
    }
}

impl NamesSeekers for pb::RecordOutcomeRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.seeker_id.clone()]
    }
}

impl NamesSeekers for pb::ListAccessRecordsRequest {
    fn seeker_ids(&self) -> Vec<String> {
        vec![self.seeker_id.clone()]
    }
}

impl NamesSeekers for pb::RecommendCandidatesResponse {
    fn seeker_ids(&self) -> Vec<String> {
        self.candidates
            .iter()
            .map(|c| c.seeker_id.clone())
            .collect()
    }
}

impl NamesSeekers for pb::RecommendPostingsResponse {}

impl NamesSeekers for pb::MatchRegionResponse {
    fn seeker_ids(&self) -> Vec<String> {
        self.shortlists
            .iter()
            .flat_map(|list| list.candidates.iter().map(|c| c.seeker_id.clone()))
            .collect()
    }
}

impl NamesSeekers for pb::FindRecordsResponse {
    fn seeker_ids(&self) -> Vec<String> {
        if self.kind == pb::RecordKind::Seeker as i32 {
            self.records.iter().map(|r| r.id.clone()).collect()
        } else {
            Vec::new()
        }
    }
}

impl NamesSeekers for pb::ListOutcomesResponse {
    fn seeker_ids(&self) -> Vec<String> {
        self.outcomes.iter().map(|o| o.seeker_id.clone()).collect()
    }
}

/// Each id once, in first-seen order, without empty ones and without pseudonyms (an erased
/// seeker is nobody's data any more).
pub fn distinct_ids(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| !id.is_empty() && !id.starts_with(crate::store::event_log::ERASED_PREFIX))
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_deletes_of_seekers_are_listed_and_nothing_else() {
        let personal: Vec<&str> = Rpc::ALL
            .iter()
            .filter(|rpc| personal_data(**rpc).is_some())
            .map(|rpc| rpc.name())
            .collect();
        assert_eq!(
            personal,
            [
                "UpsertSeekers",
                "GetSeeker",
                "DeleteSeeker",
                "RecommendCandidates",
                "RecommendPostings",
                "MatchRegion",
                "RecordOutcome",
                "AdviseSeeker",
                "FindRecords",
                "ListAccessRecords",
                "ListOutcomes",
                "AssessInterests",
                "PlaceCohort",
            ]
        );
        assert_eq!(
            personal_data(Rpc::GetSeeker).unwrap().1,
            ["profile", "resume"]
        );
        assert_eq!(personal_data(Rpc::DeleteSeeker).unwrap().0, Action::Delete);
    }

    #[test]
    fn found_postings_name_nobody_and_found_seekers_name_themselves() {
        let mut found = pb::FindRecordsResponse {
            records: vec![pb::RecordSummary {
                id: "x1".into(),
                ..Default::default()
            }],
            next_page_token: String::new(),
            kind: pb::RecordKind::Posting as i32,
        };
        assert!(found.seeker_ids().is_empty());
        found.kind = pb::RecordKind::Seeker as i32;
        assert_eq!(found.seeker_ids(), ["x1"]);
    }

    #[test]
    fn ids_are_kept_once_and_pseudonyms_dropped() {
        let ids = ["s1", "s2", "s1", "", "erased:00ff", "s3"].map(String::from);
        assert_eq!(distinct_ids(ids), ["s1", "s2", "s3"]);
    }
}
