//! The command line's own jobs, beside the service: the CLI's flags and client commands,
//! offline evaluation, benchmarks, and the load test.

pub mod bench;
pub mod cli;
pub mod client;
pub mod client_advice;
pub mod eval;
pub mod loadtest;
