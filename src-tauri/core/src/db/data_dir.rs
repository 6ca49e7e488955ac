//! Where the portfolio lives by default: the platform's per-user data directory, under the same
//! identifier the desktop app uses, so the app and the `evidence` command see the same portfolio.

use std::path::PathBuf;

use std::path::Path;

use crate::error::{io_error, CoreError, Result};

/// The application identifier (also the Tauri app identifier).
pub const APP_IDENTIFIER: &str = "org.evidencetracker.desktop";
/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "EVIDENCE_DATA_DIR";

/// The default data directory: `$EVIDENCE_DATA_DIR` if set, else `<platform data dir>/<identifier>`
/// (on Linux `~/.local/share/org.evidencetracker.desktop`).
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|dir| dir.join(APP_IDENTIFIER))
        .ok_or_else(|| {
            CoreError::invalid(format!(
                "no per-user data directory is known on this system; set {DATA_DIR_ENV} or pass --data-dir"
            ))
        })
}

/// Makes a directory (0700) or file (0600) readable and writable by its owner only.
#[cfg(unix)]
pub(crate) fn restrict_to_owner(path: &Path, is_dir: bool) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if is_dir { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| io_error(e, &path.display().to_string()))
}

/// Other platforms keep their per-user data directory private already.
#[cfg(not(unix))]
pub(crate) fn restrict_to_owner(_path: &Path, _is_dir: bool) -> Result<()> {
    Ok(())
}
