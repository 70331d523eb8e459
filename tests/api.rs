//! End-to-end tests over a real gRPC channel on 127.0.0.1:0, with the real model and the
//! embedded Qdrant store in a temporary data directory (or a real Qdrant server): one binary,
//! one module per concern under tests/api/, helpers in tests/common/.

#[path = "api/accountability.rs"]
mod accountability;
#[path = "api/advice.rs"]
mod advice;
#[path = "api/basics.rs"]
mod basics;
#[path = "api/cohort.rs"]
mod cohort;
mod common;
#[path = "api/console.rs"]
mod console;
#[path = "api/counsellor.rs"]
mod counsellor;
#[path = "api/durability.rs"]
mod durability;
#[path = "api/hybrid.rs"]
mod hybrid;
#[path = "api/limits.rs"]
mod limits;
#[path = "api/python.rs"]
mod python;
#[path = "api/qdrant.rs"]
mod qdrant;
#[path = "api/reindex.rs"]
mod reindex;
#[path = "api/relevance.rs"]
mod relevance;
#[path = "api/replicas.rs"]
mod replicas;
#[path = "api/security.rs"]
mod security;
#[path = "api/store.rs"]
mod store;
#[path = "api/versions.rs"]
mod versions;
