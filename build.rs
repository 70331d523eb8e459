//! Generates the gRPC code, the proto-JSON (serde) impls and the descriptor set for reflection.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // protoc ships inside the protoc-bin-vendored crate, so a fresh machine needs no system package.
    std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("jobmatch_descriptor.bin");

    // Both API versions in one descriptor set (v2 is served beside v1 for one release). v2's
    // instants are google.protobuf.Timestamp, whose Rust type (with its proto-JSON form) comes
    // from pbjson-types; google.type.Date is declared in proto/google/type and generated here.
    let well_known = protoc_bin_vendored::include_path()?.display().to_string();
    tonic_prost_build::configure()
        .file_descriptor_set_path(&descriptor_path)
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .compile_protos(
            &[
                "proto/jobmatch/v1/jobmatch.proto",
                "proto/jobmatch/v2/jobmatch.proto",
            ],
            &["proto", well_known.as_str()],
        )?;

    let descriptors = std::fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptors)?
        .build(&[".jobmatch", ".google.type"])?;

    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
