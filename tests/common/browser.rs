//! A real headless Chromium for the console's browser tests, driven over the DevTools protocol
//! (one WebSocket, flattened sessions). Chromium is `JOBMATCH_CHROMIUM`, else Debian's
//! `/usr/bin/chromium` (`scripts/test.sh` installs it). When there is none the tests fail under
//! `CI=true` and print that they did not run otherwise: never a silent pass.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// The Chromium binary the tests drive, if present.
pub fn chromium_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("JOBMATCH_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The browser, or `None` (after saying so) when there is none; under `CI=true` a missing
/// browser fails the test.
pub fn available(test: &str) -> Option<PathBuf> {
    if let Some(path) = chromium_binary() {
        return Some(path);
    }
    let message = format!(
        "{test}: NOT RUN: no Chromium (install Debian's chromium, as scripts/test.sh does, or set \
         JOBMATCH_CHROMIUM)"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("{message}");
    None
}

/// Where the browser tests leave their screenshots (not committed): `JOBMATCH_SCREENSHOTS`, else
/// `jobmatch-console-screenshots` in the temporary directory.
pub fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("JOBMATCH_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("jobmatch-console-screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One headless Chromium with one page; killed on drop.
pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with a fresh profile and opens one page of `width` × `height`.
    pub fn launch(binary: &Path, width: u32, height: u32) -> Self {
        let profile = tempfile::tempdir().unwrap();
        // The flags keep Chromium off the network: this machine refuses its background calls.
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
                "--lang=ko-KR",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},{height}"))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let endpoint = devtools_endpoint(&mut child);
        let address = endpoint
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (socket, _) = tungstenite::client(endpoint.as_str(), stream).unwrap();
        let mut browser = Self {
            child,
            socket,
            session: String::new(),
            next_id: 1,
            _profile: profile,
        };
        let target = browser.command("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = browser.command(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser.resize(width, height);
        browser.send("Page.enable", json!({}));
        browser.send("Runtime.enable", json!({}));
        browser
    }

    /// Sets the page's viewport (the console must work at desktop and tablet widths).
    pub fn resize(&mut self, width: u32, height: u32) {
        self.send(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    /// A browser-level command (no page session).
    fn command(&mut self, method: &str, params: Value) -> Value {
        self.exchange(json!({ "method": method, "params": params }))
    }

    /// A command to the page.
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.exchange(json!({ "method": method, "params": params, "sessionId": session }))
    }

    fn exchange(&mut self, mut message: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        message["id"] = json!(id);
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap();
        loop {
            let Message::Text(text) = self.socket.read().unwrap() else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer["id"] != json!(id) {
                continue; // an event
            }
            if let Some(error) = answer.get("error") {
                panic!("DevTools {}: {error}", message["method"]);
            }
            return answer["result"].clone();
        }
    }

    /// Evaluates `expression` in the page (promises awaited) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.send(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("the page threw on `{expression}`: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (a JS expression) is truthy; panics with `what` after `timeout`.
    pub fn wait_for(&mut self, condition: &str, what: &str, timeout: Duration) {
        let started = Instant::now();
        loop {
            let value = self.eval(&format!("Boolean({condition})"));
            if value == json!(true) {
                return;
            }
            if started.elapsed() > timeout {
                let view = self.eval("document.body ? document.body.innerText.slice(0, 2000) : ''");
                panic!("timed out waiting for {what} ({condition}); the page shows:\n{view}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens `url` and waits for its document to load.
    pub fn goto(&mut self, url: &str) {
        self.send("Page.navigate", json!({ "url": url }));
        self.wait_for(
            &format!(
                "location.href.startsWith({}) && document.readyState === 'complete'",
                json!(url.split('#').next().unwrap())
            ),
            "the page to load",
            Duration::from_secs(30),
        );
    }

    /// Presses a key (e.g. "Tab", "Enter") as a keyboard would.
    pub fn press(&mut self, key: &str, code: &str, key_code: u32) {
        // Enter submits a form only through the character it types.
        let text = if key == "Enter" { "\r" } else { "" };
        for kind in ["keyDown", "keyUp"] {
            self.send(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": code, "text": text,
                        "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code }),
            );
        }
    }

    /// Saves a PNG of the viewport to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.send("Page.captureScreenshot", json!({ "format": "png" }));
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads Chromium's stderr up to "DevTools listening on ws://…", then drains the rest in a
/// thread (a full pipe would stall the browser).
fn devtools_endpoint(child: &mut Child) -> String {
    let stderr = child.stderr.take().unwrap();
    let (found, endpoint) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                if let Some(found) = found.take() {
                    let _ = found.send(url.trim().to_string());
                }
            }
        }
    });
    endpoint
        .recv_timeout(Duration::from_secs(30))
        .expect("Chromium did not print its DevTools address within 30 s")
}
