//! Writing user-chosen output files safely: into a temporary file beside the target, then renamed, so
//! a failed export never leaves half a file where a good one was.

use std::io::Write;
use std::path::Path;

use crate::error::{io_error, Result};

/// Creates (or truncates) `path` for writing, readable and writable by its owner only (0600 on
/// Unix), whatever the umask: everything the store writes is someone's personal data.
pub(crate) fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `bytes` to `path` atomically.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    // Name the file the user asked for, never the temporary one beside it.
    let fail = |e: std::io::Error| io_error(std::io::Error::from(e.kind()), &shown);
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
