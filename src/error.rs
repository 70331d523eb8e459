//! The one error type of the library and its one mapping to gRPC status codes.

use std::collections::HashMap;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// Everything a use case can fail with. Each variant maps to exactly one gRPC code in
/// [`From<Error> for Status`], so a new variant cannot silently become `INTERNAL`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed; `field` names the offending field (e.g. `postings[3].location`).
    #[error("invalid {field}: {reason}")]
    InvalidArgument { field: String, reason: String },

    /// A posting or seeker id that is not stored.
    #[error("{kind} '{id}' not found")]
    NotFound { kind: &'static str, id: String },

    /// The system is not in a state to do this (e.g. stored vectors come from another model).
    #[error("{0}")]
    FailedPrecondition(String),

    /// A limit was reached (queue full, too many items).
    #[error("{0}")]
    ResourceExhausted(String),

    /// The request ran past the server's time limit.
    #[error("{0}")]
    DeadlineExceeded(String),

    /// No valid bearer token.
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),

    /// The caller's role or regions do not allow this.
    #[error("permission denied: {0}")]
    PermissionDenied(String),

    /// The model or store is still loading.
    #[error("not ready: {0}")]
    Unavailable(String),

    /// The embedding model failed on valid input.
    #[error("embedding failed: {0}")]
    Embedding(String),

    /// The vector store failed.
    #[error("store error: {0}")]
    Store(String),

    /// A model directory or data file could not be read.
    #[error("{0}")]
    Io(String),

    /// Stored data or an answer the server cannot express (a bug, or data written outside it).
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Prefixes the field path, e.g. `location` inside `postings[2]` becomes `postings[2].location`.
    pub fn in_field(self, prefix: &str) -> Self {
        match self {
            Error::InvalidArgument { field, reason } => Error::InvalidArgument {
                field: format!("{prefix}.{field}"),
                reason,
            },
            other => other,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An `io::Error` mapper whose message says what was being done to which path
/// ("cannot rename /data/gen-000002: …"): `.map_err(io_err("read", &path))`.
pub fn io_err<'a>(what: &str, path: &'a std::path::Path) -> impl Fn(std::io::Error) -> Error + 'a {
    let what = what.to_string();
    move |e| Error::Io(format!("cannot {what} {}: {e}", path.display()))
}

impl From<Error> for Status {
    fn from(error: Error) -> Self {
        let code = match &error {
            Error::InvalidArgument { .. } => Code::InvalidArgument,
            Error::NotFound { .. } => Code::NotFound,
            Error::FailedPrecondition(_) => Code::FailedPrecondition,
            Error::ResourceExhausted(_) => Code::ResourceExhausted,
            Error::DeadlineExceeded(_) => Code::DeadlineExceeded,
            Error::Unavailable(_) => Code::Unavailable,
            Error::Unauthenticated(_) => Code::Unauthenticated,
            Error::PermissionDenied(_) => Code::PermissionDenied,
            Error::Embedding(_) | Error::Store(_) | Error::Io(_) | Error::Internal(_) => {
                Code::Internal
            }
        };
        let message = error.to_string();
        match error {
            // google.rpc.BadRequest names the field a client must fix; ErrorInfo gives a stable
            // reason, so a platform client need not parse the English message.
            Error::InvalidArgument { field, reason } => {
                let mut details = ErrorDetails::with_bad_request_violation(field.clone(), reason);
                details.set_error_info(
                    "INVALID_FIELD",
                    ERROR_DOMAIN,
                    HashMap::from([("field".to_string(), field)]),
                );
                Status::with_error_details(code, message, details)
            }
            Error::FailedPrecondition(_) => Status::with_error_details(
                code,
                message,
                ErrorDetails::with_error_info("FAILED_PRECONDITION", ERROR_DOMAIN, HashMap::new()),
            ),
            _ => Status::new(code, message),
        }
    }
}

/// The `domain` of the `google.rpc.ErrorInfo` details jobmatch attaches.
pub const ERROR_DOMAIN: &str = "jobmatch.v1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_and_failed_preconditions_carry_google_rpc_details() {
        let status = Status::from(Error::invalid("seekers[2].home", "is required"));
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let violation = &details.bad_request().unwrap().field_violations[0];
        assert_eq!(
            (violation.field.as_str(), violation.description.as_str()),
            ("seekers[2].home", "is required")
        );
        let info = details.error_info().unwrap();
        assert_eq!(info.reason, "INVALID_FIELD");
        assert_eq!(info.metadata["field"], "seekers[2].home");

        let status = Status::from(Error::FailedPrecondition("a re-index is running".into()));
        let details = status.get_error_details();
        assert_eq!(details.error_info().unwrap().reason, "FAILED_PRECONDITION");
        assert!(details.bad_request().is_none());
        assert!(Status::from(Error::Unavailable("loading".into()))
            .get_error_details()
            .error_info()
            .is_none());
    }

    #[test]
    fn field_paths_nest_and_map_to_invalid_argument() {
        let err = Error::invalid("lat", "out of range")
            .in_field("location")
            .in_field("postings[2]");
        assert_eq!(
            err.to_string(),
            "invalid postings[2].location.lat: out of range"
        );
        let status = Status::from(err);
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(status.message().contains("postings[2].location.lat"));
    }

    #[test]
    fn not_found_maps_to_not_found() {
        let status = Status::from(Error::NotFound {
            kind: "posting",
            id: "p1".into(),
        });
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(status.message(), "posting 'p1' not found");
    }
}
