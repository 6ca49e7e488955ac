//! How much a bundle from elsewhere may hold: the limits `read` enforces before decompressing
//! anything, so a hostile or broken bundle cannot fill the disk or the memory. The product always
//! uses [`Limits::default`] (the constants below); the hostile-bundle tests pass smaller ones, since
//! a bundle past the real limits takes too long to build.

/// The largest bundle file accepted.
pub const MAX_BUNDLE_BYTES: u64 = 16 * 1024 * 1024 * 1024;
/// The most entries a bundle may hold.
pub const MAX_ENTRIES: usize = 100_000;
/// The largest manifest accepted.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;
/// The largest file (uncompressed) inside a bundle.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// All files together, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 32 * 1024 * 1024 * 1024;
/// The most a file may expand when decompressed (beyond the first megabyte): a zip bomb expands by
/// thousands; text and office files by tens.
pub const MAX_RATIO: u64 = 200;

/// The limits a bundle is read within (see the constants for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub bundle_bytes: u64,
    pub entries: usize,
    pub manifest_bytes: u64,
    pub file_bytes: u64,
    pub total_bytes: u64,
    pub ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            bundle_bytes: MAX_BUNDLE_BYTES,
            entries: MAX_ENTRIES,
            manifest_bytes: MAX_MANIFEST_BYTES,
            file_bytes: MAX_FILE_BYTES,
            total_bytes: MAX_TOTAL_BYTES,
            ratio: MAX_RATIO,
        }
    }
}
