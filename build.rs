//! Generates the gRPC code, the proto-JSON (serde) impls and the descriptor set for reflection.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // protoc ships inside the protoc-bin-vendored crate, so a fresh machine needs no system package.
    std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("jobmatch_descriptor.bin");

    tonic_prost_build::configure()
        .file_descriptor_set_path(&descriptor_path)
        .compile_protos(&["proto/jobmatch/v1/jobmatch.proto"], &["proto"])?;

    let descriptors = std::fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptors)?
        .build(&[".jobmatch"])?;

    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
