//! Writing user-chosen output files safely: into a temporary file beside the target, then renamed, so
//! a failed export never leaves half a file where a good one was.

use std::io::Write;
use std::path::Path;

use crate::error::{io_error, Result};

/// Writes `bytes` to `path` atomically.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io_error(e, &shown))?;
    temp.write_all(bytes).map_err(|e| io_error(e, &shown))?;
    temp.as_file().sync_all().map_err(|e| io_error(e, &shown))?;
    temp.persist(path).map_err(|e| io_error(e.error, &shown))?;
    Ok(())
}
