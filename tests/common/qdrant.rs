//! A real Qdrant server for the server-backend tests: `../shared/bin/qdrant` (or
//! `JOBMATCH_QDRANT_BIN`) started on free loopback ports in a temporary directory, or the server
//! at `JOBMATCH_QDRANT_URL`. When neither is there the tests fail under `CI=true` and print that
//! they did not run otherwise: never a silent pass.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jobmatch::store::server::QdrantOptions;

/// The Qdrant binary the tests start, if present.
pub fn qdrant_binary() -> Option<PathBuf> {
    let path = match std::env::var_os("JOBMATCH_QDRANT_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bin/qdrant"),
    };
    path.exists().then_some(path)
}

/// Where the server-backend tests get their Qdrant, or `None` (after saying so) when there is
/// none; under `CI=true` a missing Qdrant fails the test.
pub fn available(test: &str) -> bool {
    if std::env::var_os("JOBMATCH_QDRANT_URL").is_some() || qdrant_binary().is_some() {
        return true;
    }
    let message = format!(
        "{test}: NOT RUN: no Qdrant (set JOBMATCH_QDRANT_URL, or JOBMATCH_QDRANT_BIN, or provide \
         ../shared/bin/qdrant)"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("{message}");
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A unique collection prefix, so tests sharing one server never see each other's collections.
pub fn unique_prefix() -> String {
    format!("t{}_", uuid::Uuid::new_v4().simple())
}

/// One Qdrant node: a child process (killed on drop) or an external server.
pub struct QdrantNode {
    child: Option<Child>,
    _dir: Option<tempfile::TempDir>,
    pub grpc_url: String,
    pub http_port: u16,
    grpc_port: u16,
    pub p2p_port: u16,
    clustered: bool,
    /// Command-line arguments (cluster URI and bootstrap peer).
    args: Vec<String>,
}

/// How to start a node of a cluster.
pub enum Cluster<'a> {
    /// Not in a cluster.
    Single,
    /// The first node of a cluster.
    First,
    /// Joins the cluster through this node.
    Join(&'a QdrantNode),
}

impl QdrantNode {
    /// The server the tests use: `JOBMATCH_QDRANT_URL` if set, else a fresh child process.
    pub fn start() -> Self {
        if let Ok(url) = std::env::var("JOBMATCH_QDRANT_URL") {
            return Self {
                child: None,
                _dir: None,
                grpc_url: url,
                http_port: 0,
                grpc_port: 0,
                p2p_port: 0,
                clustered: false,
                args: Vec::new(),
            };
        }
        Self::spawn(Cluster::Single)
    }

    /// Starts `../shared/bin/qdrant` on free ports and waits until it is ready.
    pub fn spawn(cluster: Cluster<'_>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (http_port, grpc_port, p2p_port) = (free_port(), free_port(), free_port());
        let mut args = Vec::new();
        if !matches!(cluster, Cluster::Single) {
            args.extend(["--uri".to_string(), format!("http://127.0.0.1:{p2p_port}")]);
        }
        if let Cluster::Join(first) = cluster {
            args.extend([
                "--bootstrap".to_string(),
                format!("http://127.0.0.1:{}", first.p2p_port),
            ]);
        }
        let mut node = Self {
            child: None,
            _dir: Some(dir),
            grpc_url: format!("http://127.0.0.1:{grpc_port}"),
            http_port,
            grpc_port,
            p2p_port,
            clustered: !matches!(cluster, Cluster::Single),
            args,
        };
        node.launch();
        node
    }

    /// Starts the process on the node's directory and ports (again after [`Self::kill`]: a
    /// restarted node keeps its storage and rejoins its cluster).
    pub fn launch(&mut self) {
        let binary = qdrant_binary().expect("no Qdrant binary (see qdrant::available)");
        let dir = self
            ._dir
            .as_ref()
            .expect("an external server cannot be launched")
            .path();
        let mut command = Command::new(binary);
        command
            .current_dir(dir)
            .env("QDRANT__SERVICE__HOST", "127.0.0.1")
            .env("QDRANT__SERVICE__HTTP_PORT", self.http_port.to_string())
            .env("QDRANT__SERVICE__GRPC_PORT", self.grpc_port.to_string())
            .env("QDRANT__STORAGE__STORAGE_PATH", dir.join("storage"))
            .env("QDRANT__STORAGE__SNAPSHOTS_PATH", dir.join("snapshots"))
            .env("QDRANT__TELEMETRY_DISABLED", "true")
            .env("QDRANT__LOG_LEVEL", "WARN")
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if self.clustered {
            command
                .env("QDRANT__CLUSTER__ENABLED", "true")
                .env("QDRANT__CLUSTER__P2P__PORT", self.p2p_port.to_string());
        }
        self.child = Some(command.spawn().expect("cannot start Qdrant"));
        self.wait_ready();
    }

    /// One HTTP GET on the node's REST port: (status, body).
    pub fn http_get(&self, path: &str) -> Option<(u16, String)> {
        let mut socket = TcpStream::connect(("127.0.0.1", self.http_port)).ok()?;
        socket.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            socket,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        socket.read_to_string(&mut response).ok()?;
        let status = response.split(' ').nth(1)?.parse().ok()?;
        let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        Some((status, body))
    }

    /// One HTTP/1.0 POST of JSON on the node's REST port (1.0: the body comes whole, never in
    /// chunks, so a text search in it cannot miss a string cut at a chunk's edge): (status, body).
    pub fn http_post(&self, path: &str, json: &str) -> (u16, String) {
        let mut socket =
            TcpStream::connect(("127.0.0.1", self.http_port)).expect("Qdrant's REST port");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            socket,
            "POST {path} HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        )
        .unwrap();
        let mut response = String::new();
        socket.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        (status, body)
    }

    /// Every point of `collection` (a name or an alias) with its payload, as Qdrant's JSON.
    pub fn points_json(&self, collection: &str) -> String {
        let (status, body) = self.http_post(
            &format!("/collections/{collection}/points/scroll"),
            r#"{"limit": 100000, "with_payload": true}"#,
        );
        assert_eq!(status, 200, "{body}");
        body
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self
                .http_get("/readyz")
                .is_some_and(|(status, _)| status == 200)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("Qdrant did not become ready within 60 s");
    }

    /// Options for jobmatch on this node, with a collection prefix of the test's own.
    pub fn options(&self) -> QdrantOptions {
        QdrantOptions {
            urls: vec![self.grpc_url.clone()],
            collection_prefix: unique_prefix(),
            timeout: Duration::from_secs(10),
            ..QdrantOptions::default()
        }
    }

    /// Kills the node at once (SIGKILL), as a crashed machine.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for QdrantNode {
    fn drop(&mut self) {
        self.kill();
    }
}
