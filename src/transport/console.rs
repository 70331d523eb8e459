//! The counsellors' web console (`serve --console-listen`): its page (HTML, script, style and
//! the region points of its map, compiled into the binary: no CDN, font or tile server) and a
//! JSON gateway that hands each call to the gRPC service itself ([`MatchingApi`]). Tokens, region
//! checks, validation, limits, metrics and logs are therefore exactly gRPC's; only the encoding
//! differs (protobuf's JSON mapping), and a status becomes the HTTP status grpc-gateway gives it.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpListener;
use tonic::metadata::AsciiMetadataValue;
use tonic::Status;

use crate::api::pb;
use crate::api::pb::matching_server::Matching;
use crate::api::pb2::matching_server::Matching as _;
use crate::config::TlsFiles;
use crate::error::{Error, Result};
use crate::export::{write_csv, ShortlistRow};
use crate::geo::Gazetteer;
use crate::grpc::{MatchingApi, MatchingApiV2};

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";

/// One row of [`STATIC_FILES`]: `assets/console/{name}`, served at `/console/{name}`.
macro_rules! console_file {
    ($name:literal, $content_type:expr) => {
        (
            concat!("/console/", $name),
            $content_type,
            include_str!(concat!("../../assets/console/", $name)),
        )
    };
}

/// The console's files, compiled in: (path, content type, body), one route each. The script is
/// ES modules (main.js imports the rest), so every module the page imports must be listed here
/// (`node --test assets/console/tests/` checks this table against the imports). `types.js` holds
/// JSDoc types only and is never fetched; `tests/` and `package.json` are for node.
const STATIC_FILES: &[(&str, &str, &str)] = &[
    ("/", HTML, include_str!("../../assets/console/index.html")),
    console_file!("app.css", CSS),
    console_file!("main.js", JS),
    console_file!("app.js", JS),
    console_file!("api.js", JS),
    console_file!("dom.js", JS),
    console_file!("format.js", JS),
    console_file!("interests.js", JS),
    console_file!("map.js", JS),
    console_file!("requests.js", JS),
    console_file!("router.js", JS),
    console_file!("state.js", JS),
    console_file!("storage.js", JS),
    console_file!("view.js", JS),
    console_file!("i18n/index.js", JS),
    console_file!("i18n/ko.js", JS),
    console_file!("i18n/en.js", JS),
    console_file!("pages/advice.js", JS),
    console_file!("pages/audit.js", JS),
    console_file!("pages/cohort.js", JS),
    console_file!("pages/common.js", JS),
    console_file!("pages/figures.js", JS),
    console_file!("pages/find.js", JS),
    console_file!("pages/interests.js", JS),
    console_file!("pages/outcomes.js", JS),
    console_file!("pages/posting.js", JS),
    console_file!("pages/region.js", JS),
    console_file!("pages/seeker.js", JS),
    // The map's province and sigungu outlines (NGII boundaries, simplified; see their README).
    (
        "/console/boundaries/sido.json",
        JSON,
        include_str!("../../assets/boundaries/sido.json"),
    ),
    (
        "/console/boundaries/sigungu.json",
        JSON,
        include_str!("../../assets/boundaries/sigungu.json"),
    ),
];

/// Request headers passed on to the service as gRPC metadata: the bearer token and the caller's
/// request id (for the log line). Nothing else crosses.
const FORWARDED_HEADERS: [&str; 2] = ["authorization", "x-request-id"];

/// The console's routes over `api`, accepting request bodies up to `max_body` bytes.
pub fn router(api: MatchingApi, max_body: usize) -> Router {
    let mut router = Router::new();
    for &(path, content_type, body) in STATIC_FILES {
        router = router.route(path, get(move || page(content_type, body)));
    }
    router
        .route(
            "/console/regions.json",
            get(|| page("application/json", regions_json())),
        )
        .route(
            "/console/interests.json",
            get(|| page("application/json", interests_json())),
        )
        .route(
            "/api/{version}/export/shortlist.csv",
            post(export_shortlist),
        )
        .route("/api/{version}/{method}", post(call))
        .fallback(|| async {
            error_body(StatusCode::NOT_FOUND, "NOT_FOUND", "no such page".into())
        })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(api)
}

async fn page(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Script and data from this origin only; the page may not be framed or sniffed, and nothing
/// (a shortlist, a resume) is cached or sent on as a referrer.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The interest inventory's items (id, Holland type, Korean and English text) and answer scale,
/// for the console's inventory form (built once from the compiled-in file).
fn interests_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let items: Vec<serde_json::Value> = crate::advice::interests::Inventory::builtin()
            .items
            .iter()
            .map(|item| {
                serde_json::json!({
                    "id": item.id,
                    "type": item.kind.letter().to_string(),
                    "ko": item.ko,
                    "en": item.en,
                })
            })
            .collect();
        serde_json::json!({ "items": items, "min": 1, "max": 5 }).to_string()
    })
}

/// The gazetteer's points for the map's base layer (built once).
fn regions_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let regions: Vec<serde_json::Value> = Gazetteer::builtin()
            .regions()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "sidoCode": r.sido_code,
                    "level": if r.is_sido { "sido" } else { "sigungu" },
                    "name": r.full_name,
                    "nameEn": r.name_en,
                    "shortName": r.short_name,
                    "lat": r.point.lat,
                    "lon": r.point.lon,
                })
            })
            .collect();
        serde_json::json!({ "regions": regions }).to_string()
    })
}

/// One row's route: relayed when the row says `console`.
macro_rules! console_route {
    (console $name:ident $method:ident, $api:ident, $headers:ident, $body:ident, $wanted:ident) => {
        if $wanted == stringify!($name) {
            return relay($headers, &$body, |r| $api.$method(r)).await;
        }
    };
    (grpc $name:ident $method:ident, $api:ident, $headers:ident, $body:ident, $wanted:ident) => {};
}

/// Makes the gateway's `call` from the table's rows.
macro_rules! console_routes {
    ($( $name:ident $method:ident $handler:ident ($request:ty => $answer:ty
        | $request2:ty => $answer2:ty)
        [$($role:ident),*] $via:ident ($($personal:tt)*); )*) => {
        /// `POST /api/{v1|v2}/{method}`: the RPCs the table marks `console`, each handed to
        /// that version's gRPC service (the console itself speaks v2).
        async fn call(
            State(api): State<MatchingApi>,
            Path((version, method)): Path<(String, String)>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Response {
            let (headers, wanted) = (&headers, method.as_str());
            match version.as_str() {
                "v1" => {
                    let api = &api;
                    $(console_route!($via $name $method, api, headers, body, wanted);)*
                }
                "v2" => {
                    let api = &MatchingApiV2(api.clone());
                    $(console_route!($via $name $method, api, headers, body, wanted);)*
                }
                _ => {}
            }
            error_body(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                format!("the console gateway has no method '{version}/{method}'"),
            )
        }
    };
}

for_each_rpc!(console_routes);

/// Decodes the JSON request, calls the RPC with the caller's headers, encodes its answer.
async fn relay<Req, Resp, Answer>(
    headers: &HeaderMap,
    body: &[u8],
    rpc: impl FnOnce(tonic::Request<Req>) -> Answer,
) -> Response
where
    Req: DeserializeOwned + Default,
    Resp: Serialize,
    Answer: Future<Output = std::result::Result<tonic::Response<Resp>, Status>>,
{
    let request = match decode::<Req>(body) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    match rpc(grpc_request(headers, request)).await {
        Ok(answer) => match serde_json::to_vec(answer.get_ref()) {
            Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
            Err(e) => status_body(&Status::internal(format!("cannot encode the answer: {e}"))),
        },
        Err(status) => status_body(&status),
    }
}

/// An empty body is the default message (WhoAmI's `{}` may be left out).
#[allow(clippy::result_large_err)] // the refusal is the response itself
fn decode<Req: DeserializeOwned + Default>(body: &[u8]) -> std::result::Result<Req, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Req::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        error_body(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            format!("the request body is not this method's JSON message: {e}"),
        )
    })
}

fn grpc_request<T>(headers: &HeaderMap, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    for name in FORWARDED_HEADERS {
        if let Some(value) = headers
            .get(name)
            .and_then(|v| AsciiMetadataValue::try_from(v.as_bytes()).ok())
        {
            request.metadata_mut().insert(name, value);
        }
    }
    // Set here, never taken from the browser: the access log says the call came through the
    // console.
    request.metadata_mut().insert(
        crate::grpc::VIA_HEADER,
        AsciiMetadataValue::from_static("console"),
    );
    request
}

/// A gRPC status as grpc-gateway maps it to HTTP.
pub fn http_status(code: tonic::Code) -> StatusCode {
    use tonic::Code::*;
    match code {
        Ok => StatusCode::OK,
        Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        InvalidArgument | FailedPrecondition | OutOfRange => StatusCode::BAD_REQUEST,
        Unauthenticated => StatusCode::UNAUTHORIZED,
        PermissionDenied => StatusCode::FORBIDDEN,
        NotFound => StatusCode::NOT_FOUND,
        AlreadyExists | Aborted => StatusCode::CONFLICT,
        ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Unknown | Internal | DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn status_body(status: &Status) -> Response {
    error_body(
        http_status(status.code()),
        crate::metrics::code_name(status.code()),
        status.message().to_string(),
    )
}

fn error_body(status: StatusCode, code: &str, message: String) -> Response {
    let body = serde_json::json!({ "code": code, "message": message });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The export's RecommendCandidates request in `version`'s JSON, in v1's terms.
#[allow(clippy::result_large_err)] // the refusal is the response itself
fn shortlist_request(
    version: &str,
    body: &[u8],
) -> std::result::Result<pb::RecommendCandidatesRequest, Response> {
    match version {
        "v1" => decode(body),
        "v2" => decode::<crate::api::pb2::RecommendCandidatesRequest>(body).and_then(|r| {
            crate::grpc::recommend_candidates_request_to_v1(r)
                .map_err(|e| status_body(&Status::from(e)))
        }),
        _ => Err(error_body(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("no API version '{version}'"),
        )),
    }
}

/// `POST /api/{v1|v2}/export/shortlist.csv?include_resume=BOOL`: a RecommendCandidates
/// request of that version answered as the CSV `jobmatch shortlist` writes, resumes included
/// only when asked.
async fn export_shortlist(
    State(api): State<MatchingApi>,
    Path(version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let include_resume = match params.get("include_resume").map(String::as_str) {
        None | Some("false") | Some("") => false,
        Some("true") => true,
        Some(other) => {
            return status_body(&Status::from(Error::invalid(
                "include_resume",
                format!("'{other}' is neither true nor false"),
            )))
        }
    };
    let request = match shortlist_request(&version, &body) {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let file_name: String = request
        .posting_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    match shortlist_rows(&api, &headers, request, include_resume).await {
        Ok(rows) => {
            let mut csv = Vec::new();
            if let Err(e) = write_csv(&rows, &mut csv) {
                return status_body(&Status::from(e));
            }
            let disposition = format!("attachment; filename=\"shortlist-{file_name}.csv\"");
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                csv,
            )
                .into_response()
        }
        Err(status) => status_body(&status),
    }
}

async fn shortlist_rows(
    api: &MatchingApi,
    headers: &HeaderMap,
    request: pb::RecommendCandidatesRequest,
    include_resume: bool,
) -> std::result::Result<Vec<ShortlistRow>, Status> {
    let answer = api
        .recommend_candidates(grpc_request(headers, request))
        .await?
        .into_inner();
    let mut rows = Vec::with_capacity(answer.candidates.len());
    for (i, candidate) in answer.candidates.into_iter().enumerate() {
        let resume = if include_resume {
            let id = candidate.seeker_id.clone();
            let seeker = api
                .get_seeker(grpc_request(headers, pb::GetRequest { id }))
                .await?;
            Some(seeker.into_inner().resume)
        } else {
            None
        };
        rows.push(ShortlistRow::new(i + 1, candidate, resume));
    }
    Ok(rows)
}

/// A TLS acceptor with the server's certificate chain and key (the ones gRPC serves).
pub fn tls_acceptor(files: &TlsFiles) -> Result<tokio_rustls::TlsAcceptor> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls;
    let unusable = |e: &dyn std::fmt::Display| {
        Error::invalid("--tls-cert", format!("unusable certificate or key: {e}"))
    };
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| unusable(&e))?;
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| unusable(&e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| unusable(&e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| unusable(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Longest a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepted TLS connections. Handshakes run in their own tasks, so a slow client delays only
/// itself.
struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(
        tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
        SocketAddr,
    )>,
    local: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    fn new(listener: TcpListener, acceptor: tokio_rustls::TlsAcceptor) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let (done, ready) = tokio::sync::mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let (tcp, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::debug!(error = %e, "console: accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = tcp.set_nodelay(true);
                let (acceptor, done) = (acceptor.clone(), done.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            let _ = done.send((stream, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "console: TLS handshake failed"),
                        Err(_) => tracing::debug!("console: TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self {
            ready,
            local,
            accepting,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task ends only when aborted, on drop: nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// Serves the console on `listener` (TLS when `tls` is set) until `shutdown` resolves.
pub async fn serve_console(
    listener: TcpListener,
    app: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let served = match tls {
        None => {
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        }
        Some(acceptor) => {
            let listener =
                TlsListener::new(listener, acceptor).map_err(|e| Error::Io(e.to_string()))?;
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        }
    };
    served.map_err(|e| Error::Io(format!("console server error: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_as_grpc_gateway_maps_them() {
        use tonic::Code;
        for (code, http) in [
            (Code::InvalidArgument, 400),
            (Code::FailedPrecondition, 400),
            (Code::OutOfRange, 400),
            (Code::Unauthenticated, 401),
            (Code::PermissionDenied, 403),
            (Code::NotFound, 404),
            (Code::AlreadyExists, 409),
            (Code::ResourceExhausted, 429),
            (Code::Cancelled, 499),
            (Code::Internal, 500),
            (Code::Unimplemented, 501),
            (Code::Unavailable, 503),
            (Code::DeadlineExceeded, 504),
        ] {
            assert_eq!(http_status(code).as_u16(), http, "{code:?}");
        }
    }

    #[test]
    fn the_map_gets_every_gazetteer_point() {
        let json: serde_json::Value = serde_json::from_str(regions_json()).unwrap();
        let regions = json["regions"].as_array().unwrap();
        assert_eq!(regions.len(), Gazetteer::builtin().regions().len());
        let hwaseong = regions.iter().find(|r| r["code"] == "41590").unwrap();
        assert_eq!(hwaseong["name"], "경기도 화성시");
        assert_eq!(hwaseong["sidoCode"], "41");
        assert!((hwaseong["lat"].as_f64().unwrap() - 37.2).abs() < 0.2);
        assert_eq!(
            regions.iter().filter(|r| r["level"] == "sido").count(),
            17,
            "every sido"
        );
    }

    #[test]
    fn only_the_token_and_request_id_cross_into_grpc() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer t0k".parse().unwrap());
        headers.insert("x-request-id", "r-1".parse().unwrap());
        headers.insert("cookie", "session=1".parse().unwrap());
        let request = grpc_request(&headers, ());
        assert_eq!(
            request.metadata().get("authorization").unwrap(),
            "Bearer t0k"
        );
        assert_eq!(request.metadata().get("x-request-id").unwrap(), "r-1");
        assert!(request.metadata().get("cookie").is_none());
    }

    #[test]
    fn an_empty_body_is_the_default_message_and_bad_json_names_the_problem() {
        let empty: pb::WhoAmIRequest = decode(b"  ").unwrap();
        assert_eq!(empty, pb::WhoAmIRequest {});
        let request: pb::RecordOutcomeRequest =
            decode(br#"{"postingId":"p1","stage":"OUTCOME_STAGE_HIRED"}"#).unwrap();
        assert_eq!(request.stage, pb::OutcomeStage::Hired as i32);
        let refused = decode::<pb::GetRequest>(br#"{"id": 5}"#).unwrap_err();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    }
}
