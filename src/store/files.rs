//! File-system helpers of the data directory: errors that name the path, and durable renames.

use std::fs::File;
use std::path::Path;

use crate::error::Result;

pub(crate) use crate::error::io_err;

/// Makes a rename, a removal or a new file in `dir` durable: fsync the directory itself.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("sync", dir))
}
