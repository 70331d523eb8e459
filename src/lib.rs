//! jobmatch: matches SME job postings with young job seekers by meaning and by distance.
//!
//! The folders are the layers, from the wire inwards; a layer uses the ones below it, never one
//! above:
//!
//! - [`transport`]: the wire.
//!   - [`transport::server`]: `serve_all(listeners, config, shutdown)`; health (NOT_SERVING until
//!     ready) and reflection.
//!   - [`transport::config`]: the server's typed, validated settings (from the command line).
//!   - [`transport::grpc`]: the thin adapter for `jobmatch.v1.Matching`: validate, convert, call the
//!     use cases; its methods, the `Rpc` enum and roles, the console's routes and the access-log
//!     table all come from one table of the RPCs (`transport/rpcs.rs`); `grpc/v2.rs` serves
//!     `jobmatch.v2.Matching` over the same handlers. [`transport::api`]: the generated protobuf
//!     types of both versions and their conversion to the domain (shared with the CLI).
//!   - [`transport::console`]: the counsellors' web console: its page and a JSON gateway handing each
//!     call to the gRPC service (same tokens, checks and limits), on `--console-listen`.
//!   - [`transport::auth`]: bearer tokens (hashed), roles and a counsellor's regions; the permission
//!     table. [`transport::access`]: what each RPC does with seekers' personal data (the envelope
//!     writes an access record for each such call). [`transport::metrics`]: Prometheus text metrics on their own port.
//!     [`transport::export`]: a shortlist as CSV or JSON rows (the console's download and
//!     `jobmatch shortlist`).
//! - Use cases, transport-free:
//!   - [`matching`]: one file per use case (recommend, records, explain, outcomes, access), the
//!     [`matching::Scope`] every one of them takes; with its own use cases as children:
//!     [`matching::reindex`] (zero-downtime re-index to another model), [`matching::outcomes`] (the
//!     placement figures over the outcome log), [`matching::shortlists`] (MatchRegion),
//!     [`matching::lookup`] (FindRecords, CentreFigures), [`matching::audit`] (the exposure audit
//!     by group), [`matching::cohort`] (PlaceCohort: a cohort into partner postings by the same
//!     LP), [`matching::paging`] (pages of the access and outcome logs).
//!   - [`advice`]: the centres' other services, above [`matching`]: advice on a draft posting and to
//!     a seeker (skill gaps, interview questions), the interest inventory ([`advice::interests`]:
//!     the scoring, pure; [`advice::assess`]: AssessInterests and the families in reach).
//! - The engines under the use cases:
//!   - [`ranking`]: pure maths (haversine, gaussian decay, fusion of meaning, words and distance),
//!     property-tested; [`ranking::exposure`] (exposure by group: rates, within-posting impact
//!     ratios, intervals); [`ranking::lexical`] (the Korean-aware analyser and BM25 sparse vectors),
//!     [`ranking::skills`] (skill normalisation and synonyms), [`ranking::region_match`]
//!     (capacity-aware shortlists, an integral LP solved with good_lp).
//!   - [`embed`]: the `Embedder` trait, the BERT backend (jobmatch's fused encoder from the
//!     `jobmatch-kernels` crate in `kernels/`, or candle's graph) and the inference thread, fed
//!     tokenised requests.
//!   - [`store`]: the `VectorStore` and `Generations` traits, the backend-neutral query plan, and two
//!     backends lowering it: embedded Qdrant (`qdrant-edge`, the default) and a Qdrant server or
//!     cluster (`qdrant-client`, `--qdrant-url`); the [`store::event_log`] contract with the same
//!     two homes (a file in the data directory, or a Qdrant collection) for the outcome log
//!     ([`store::outcome_log`]) and the access log ([`store::access_log`]).
//! - [`domain`]: validated records, limits, payload layout; [`domain::geo`] (Korean region names and
//!   codes → coordinates, vendored gazetteer); [`domain::programmes`] (the public support
//!   programmes a record or pair meets, pure, with its data file).
//! - Cross-cutting: [`error`] (the one error enum and its one mapping to `tonic::Status`),
//!   [`rng`] (the crate's one seedable generator), [`failpoint`]
//!   (crash points for recovery tests).
//! - [`tools`]: the command line's other jobs: [`tools::cli`] (flags), [`tools::client`] and
//!   [`tools::client_advice`] (client commands), [`tools::eval`] (offline evaluation: nDCG@10,
//!   Recall@10/50, MRR, bootstrap intervals, weight tuning), [`tools::bench`] (the benchmarks and the
//!   commands that print them), [`tools::loadtest`].
//!
//! The short paths (`jobmatch::grpc`, `jobmatch::geo`, `jobmatch::reindex`, ...) are re-exports,
//! kept so examples, tests and older callers read the same.

pub mod advice;
pub mod domain;
pub mod embed;
pub mod error;
pub mod failpoint;
pub mod matching;
pub mod ranking;
pub mod rng;
pub mod store;
pub mod tools;
pub mod transport;

pub use domain::{geo, programmes};
pub use matching::{audit, lookup, outcomes, paging, reindex, shortlists};
pub use ranking::{lexical, region_match, skills};
pub use tools::{bench, cli, client, client_advice, eval, loadtest};
pub use transport::{access, api, auth, config, console, export, grpc, metrics, server};

pub use error::{Error, Result};
