//! The one table of the `Matching` service's RPCs. Each row: the RPC, its method on the
//! generated service traits, the adapter's handler (in `grpc.rs`), request and answer types in
//! `jobmatch.v1` and in `jobmatch.v2` (served beside it, `grpc/v2.rs`), the
//! roles that may call it, whether the console's gateway relays it, and what it does with
//! seekers' personal data (the access log's line: action and fields, or nothing).
//!
//! The table is a macro that hands its rows to another: `auth.rs` makes the `Rpc` enum, its
//! names and roles from it, `grpc.rs` the service's methods (each through the one envelope),
//! `console.rs` the gateway's routes, `access.rs` the personal-data table. Adding an RPC is the
//! proto, a row here, and its handler and use case (see CONTRIBUTING.md).

/// Calls `$then!` with every row of the table.
macro_rules! for_each_rpc {
    ($then:ident) => {
        $then! {
            UpsertPostings upsert_postings upsert_postings_inner
                (pb::UpsertPostingsRequest => pb::UpsertResponse
                 | pb2::UpsertPostingsRequest => pb2::UpsertPostingsResponse) [Platform] grpc ();
            UpsertSeekers upsert_seekers upsert_seekers_inner
                (pb::UpsertSeekersRequest => pb::UpsertResponse
                 | pb2::UpsertSeekersRequest => pb2::UpsertSeekersResponse) [Platform] grpc
                (Write: "profile", "resume");
            GetPosting get_posting get_posting_inner
                (pb::GetRequest => pb::Posting
                 | pb2::GetPostingRequest => pb2::Posting) [Platform, Counsellor] console ();
            GetSeeker get_seeker get_seeker_inner
                (pb::GetRequest => pb::Seeker
                 | pb2::GetSeekerRequest => pb2::Seeker) [Platform, Counsellor] console
                (Read: "profile", "resume");
            DeletePosting delete_posting delete_posting_inner
                (pb::DeleteRequest => pb::DeleteResponse
                 | pb2::DeletePostingRequest => pb2::DeletePostingResponse) [Platform] grpc ();
            DeleteSeeker delete_seeker delete_seeker_inner
                (pb::DeleteRequest => pb::DeleteResponse
                 | pb2::DeleteSeekerRequest => pb2::DeleteSeekerResponse) [Platform] grpc
                (Delete: "all");
            RecommendCandidates recommend_candidates recommend_candidates_inner
                (pb::RecommendCandidatesRequest => pb::RecommendCandidatesResponse
                 | pb2::RecommendCandidatesRequest => pb2::RecommendCandidatesResponse)
                [Platform, Counsellor] console (Read: "profile");
            RecommendPostings recommend_postings recommend_postings_inner
                (pb::RecommendPostingsRequest => pb::RecommendPostingsResponse
                 | pb2::RecommendPostingsRequest => pb2::RecommendPostingsResponse)
                [Platform, Counsellor] console (Read: "profile");
            Embed embed embed_inner (pb::EmbedRequest => pb::EmbedResponse
                 | pb2::EmbedRequest => pb2::EmbedResponse) [Admin] grpc ();
            ModelInfo model_info model_info_inner
                (pb::ModelInfoRequest => pb::ModelInfoResponse
                 | pb2::ModelInfoRequest => pb2::ModelInfoResponse) [Admin] grpc ();
            Reindex reindex reindex_inner (pb::ReindexRequest => ProgressStream
                 | pb2::ReindexRequest => ProgressStreamV2) [Admin] grpc ();
            MatchRegion match_region match_region_inner
                (pb::MatchRegionRequest => pb::MatchRegionResponse
                 | pb2::MatchRegionRequest => pb2::MatchRegionResponse) [Platform, Counsellor]
                console (Read: "profile");
            RecordOutcome record_outcome record_outcome_inner
                (pb::RecordOutcomeRequest => pb::RecordOutcomeResponse
                 | pb2::RecordOutcomeRequest => pb2::RecordOutcomeResponse) [Platform, Counsellor]
                console (Write: "outcomes");
            AdvisePosting advise_posting advise_posting_inner
                (pb::AdvisePostingRequest => pb::AdvisePostingResponse
                 | pb2::AdvisePostingRequest => pb2::AdvisePostingResponse) [Platform, Counsellor]
                console ();
            AdviseSeeker advise_seeker advise_seeker_inner
                (pb::AdviseSeekerRequest => pb::AdviseSeekerResponse
                 | pb2::AdviseSeekerRequest => pb2::AdviseSeekerResponse) [Platform, Counsellor]
                console (Read: "profile", "advice", "interests");
            WhoAmI who_am_i who_am_i_inner (pb::WhoAmIRequest => pb::WhoAmIResponse
                 | pb2::WhoAmIRequest => pb2::WhoAmIResponse)
                [Platform, Counsellor, Admin] console ();
            FindRecords find_records find_records_inner
                (pb::FindRecordsRequest => pb::FindRecordsResponse
                 | pb2::FindRecordsRequest => pb2::FindRecordsResponse) [Platform, Counsellor]
                console (Read: "profile");
            CentreFigures centre_figures centre_figures_inner
                (pb::CentreFiguresRequest => pb::CentreFiguresResponse
                 | pb2::CentreFiguresRequest => pb2::CentreFiguresResponse) [Platform, Counsellor]
                console ();
            ExposureAudit exposure_audit exposure_audit_inner
                (pb::ExposureAuditRequest => pb::ExposureAuditResponse
                 | pb2::ExposureAuditRequest => pb2::ExposureAuditResponse)
                [Platform, Counsellor, Admin] console ();
            ListAccessRecords list_access_records list_access_records_inner
                (pb::ListAccessRecordsRequest => pb::ListAccessRecordsResponse
                 | pb2::ListAccessRecordsRequest => pb2::ListAccessRecordsResponse) [Admin] grpc
                (Read: "access_records");
            ListOutcomes list_outcomes list_outcomes_inner
                (pb::ListOutcomesRequest => pb::ListOutcomesResponse
                 | pb2::ListOutcomesRequest => pb2::ListOutcomesResponse) [Platform, Counsellor]
                console (Read: "outcomes");
            AssessInterests assess_interests assess_interests_inner
                (pb::AssessInterestsRequest => pb::AssessInterestsResponse
                 | pb2::AssessInterestsRequest => pb2::AssessInterestsResponse)
                [Platform, Counsellor] console (Write: "interests");
            PlaceCohort place_cohort place_cohort_inner
                (pb::PlaceCohortRequest => pb::PlaceCohortResponse
                 | pb2::PlaceCohortRequest => pb2::PlaceCohortResponse)
                [Platform, Counsellor] console (Read: "profile");
        }
    };
}
