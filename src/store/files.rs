//! File-system helpers of the data directory: errors that name the path, and durable renames.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// An `io::Error` mapper whose message says what was being done to which path
/// ("cannot rename /data/gen-000002: …").
pub(crate) fn io_err<'a>(what: &str, path: &'a Path) -> impl Fn(std::io::Error) -> Error + 'a {
    let what = what.to_string();
    move |e| Error::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// Makes a rename, a removal or a new file in `dir` durable: fsync the directory itself.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("sync", dir))
}
