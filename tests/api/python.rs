//! The Python example (examples/python) against a live server: generated stubs, Embed, RecommendCandidates.

use std::path::PathBuf;

use crate::common::*;

/// The virtualenv python `examples/python/setup.sh` made (scripts/test.sh runs it).
fn example_python() -> PathBuf {
    let python = std::env::var_os("JOBMATCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/jobmatch/venv-grpc/bin/python")
        });
    let stubs = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/python/generated/jobmatch/v2/jobmatch_pb2_grpc.py");
    assert!(
        python.exists() && stubs.exists(),
        "no Python example environment ({} / {}): run `bash examples/python/setup.sh` (scripts/test.sh does)",
        python.display(),
        stubs.display()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_example_calls_embed_and_recommend() {
    let python = example_python();
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.client().await;
    load_demo(&mut client).await;
    let address = server.url.trim_start_matches("http://").to_string();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/python/example.py"))
            .args(["--addr", &address, "--posting", "p002", "--top-k", "4"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let info = client
        .model_info(jobmatch::api::pb::ModelInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(report["model"], info.name.as_str());
    let dimension = u64::from(info.dimension);
    assert_eq!(report["dimension"], dimension);
    assert_eq!(
        report["vector_lengths"],
        serde_json::json!([dimension, dimension])
    );
    let similarity = report["similarity_query_passage"].as_f64().unwrap();
    assert!(similarity > 0.0 && similarity <= 1.0 + 1e-6);
    let candidates = report["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 4);
    let finals: Vec<f64> = candidates
        .iter()
        .map(|c| c["final"].as_f64().unwrap())
        .collect();
    assert!(finals.windows(2).all(|w| w[0] >= w[1]), "{finals:?}");
    assert_eq!(report["unknown_posting"], "NOT_FOUND");
    // The example speaks jobmatch.v2: the parameters come once, with the server's defaults.
    let defaults = jobmatch::ranking::FusionParams::default();
    let fusion = report["fusion"].as_str().unwrap();
    assert!(
        fusion.starts_with("FUSION_") && fusion != "FUSION_UNSPECIFIED",
        "{fusion}"
    );
    let weight = report["semantic_weight"].as_f64().unwrap();
    assert!((weight - defaults.semantic_weight).abs() < 1e-9, "{weight}");
    server.stop().await;
}
