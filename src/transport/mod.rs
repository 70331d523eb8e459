//! The wire: the gRPC service and its server, the console's HTTP gateway, tokens and roles,
//! metrics, the shortlist export both the console and the CLI write. Validates and converts, then calls the use cases ([`crate::matching`],
//! [`crate::advice`]); no business rule lives here.

#[macro_use]
mod rpcs;
pub mod access;
pub mod api;
pub mod auth;
pub mod config;
pub mod console;
pub mod export;
pub mod grpc;
pub mod metrics;
pub mod server;
