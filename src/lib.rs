//! jobmatch: matches SME job postings with young job seekers by meaning and by distance.
//!
//! How the modules fit together, from the wire inwards:
//!
//! - [`server`]: `serve(listener, config, shutdown)`; health (NOT_SERVING until ready) and reflection.
//! - [`auth`]: bearer tokens (hashed), roles and a counsellor's regions; the permission table.
//! - [`console`]: the counsellors' web console: its page and a JSON gateway handing each call to
//!   [`grpc`]'s service (same tokens, checks and limits), on `--console-listen`.
//! - [`export`]: a shortlist as CSV rows (the CLI's `shortlist` and the console's download).
//! - [`grpc`]: the thin adapter for `jobmatch.v1.Matching`: validate, convert, call [`matching`].
//! - [`api`]: generated protobuf types and their conversion to the domain (shared with the CLI).
//! - [`matching`]: the use cases (upsert, get, delete, recommend), transport-free.
//! - [`embed`]: the `Embedder` trait, the BERT backend (jobmatch's fused encoder from the
//!   `jobmatch-kernels` crate in `kernels/`, or candle's graph) and the inference thread, fed
//!   tokenised requests.
//! - [`store`]: the `VectorStore` and `Generations` traits, the backend-neutral query plan, and two
//!   backends lowering it: embedded Qdrant (`qdrant-edge`, the default) and a Qdrant server or
//!   cluster (`qdrant-client`, `--qdrant-url`).
//! - [`advice`]: the centres' other services, above [`matching`]: advice on a draft posting and to a
//!   seeker (skill gaps, interview questions).
//! - [`programmes`]: the public support programmes a record or pair meets (pure, with its data file).
//! - [`lookup`]: the counsellors' lookups (FindRecords by name and region, CentreFigures over dates).
//! - [`shortlists`]: the MatchRegion use case (postings of a region → capacity-aware shortlists).
//! - [`region_match`]: capacity-aware shortlists for a whole region (an integral LP, solved with good_lp).
//! - [`reindex`]: zero-downtime re-index to another model (new generation, mirrored writes, switch).
//! - [`outcomes`]: the outcome log (RecordOutcome) and the placement figures of `jobmatch stats`.
//! - [`ranking`]: pure maths (haversine, gaussian decay, fusion of meaning, words and distance), property-tested.
//! - [`lexical`]: the Korean-aware word analyser and BM25 sparse vectors (the lexical signal).
//! - [`skills`]: skill normalisation (case, spacing, NFKC, Korean/English synonyms) for explanations.
//! - [`geo`]: Korean region names and codes → coordinates (vendored gazetteer).
//! - [`domain`]: validated records, limits, payload layout.
//! - [`error`]: the one error enum and its one mapping to `tonic::Status`.
//! - [`cli`], [`config`], [`client`], [`client_advice`]: command line, typed settings, and the
//!   CLI's client commands.
//! - [`metrics`]: Prometheus text metrics on their own port (queue depth, batch sizes, store sizes).
//! - [`eval`]: offline evaluation (nDCG@10, Recall@10/50, MRR, bootstrap intervals) and weight tuning.
//! - [`loadtest`]: `jobmatch loadtest`, concurrent clients with a mix of operations (loopback only).
//! - [`bench`]: the benchmarks (`bench-embed`, `bench-hybrid`, `bench-queue`, `bench-match-region`) and, in
//!   `bench::commands`, the commands that run and print them.
//! - [`rng`]: the crate's one seedable generator (SplitMix64) for benchmarks, synthetic data and
//!   bootstrap intervals.

pub mod advice;
pub mod api;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod client;
pub mod client_advice;
pub mod config;
pub mod console;
pub mod domain;
pub mod embed;
pub mod error;
pub mod eval;
pub mod export;
pub mod geo;
pub mod grpc;
pub mod lexical;
pub mod loadtest;
pub mod lookup;
pub mod matching;
pub mod metrics;
pub mod outcomes;
pub mod programmes;
pub mod ranking;
pub mod region_match;
pub mod reindex;
pub mod rng;
pub mod server;
pub mod shortlists;
pub mod skills;
pub mod store;

pub use error::{Error, Result};
