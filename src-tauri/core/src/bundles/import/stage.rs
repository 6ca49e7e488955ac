//! Hashing a bundle's files as they are read, and for an import, writing the attachments it needs
//! into a staging folder on the way, so each byte of the bundle is read once. Staged files go to
//! disk while the rest is checked (see `durable`) and are `fsync`ed together once every file has
//! been checked, rather than each waiting for the disk before the next is read. Each chunk read is a
//! chance to stop (a cancelled import).

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::bundles::beside::{sha256_of, Feed};
use crate::durable::Writeback;
use crate::error::{CoreError, Result};

/// The most staged files left open, waiting for their `fsync`.
const MAX_UNSYNCED: usize = 64;

/// Where an import stages the attachments it will need, which those are, and the check the
/// manifest must pass before anything is staged (who may import it, and that it is sound data).
pub struct Stage<'a> {
    pub dir: &'a Path,
    pub wanted: &'a dyn Fn(&str) -> bool,
    pub admit: &'a dyn Fn(&crate::bundles::manifest::Manifest) -> Result<()>,
    /// An encrypted portfolio's key: staged files are written sealed, so no plaintext is ever left
    /// in its data directory, not even by a crash during an import.
    pub key: Option<&'a crate::db::DataKey>,
}

/// SHA-256 (hex) and length of everything `reader` yields, stopping with an error past `limit`, or
/// with `tick`'s error (`tick` is called after each chunk).
pub(in crate::bundles) fn digest(
    reader: &mut impl Read,
    limit: u64,
    what: &str,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<(String, u64)> {
    let (total, sha) = sha256_of(0, |feed| copy(reader, limit, what, feed, |_, _| tick()))?;
    Ok((sha, total))
}

/// As [`digest`], also copying the bytes into `out`, which starts going to disk as it is written.
pub(in crate::bundles) fn digest_into(
    reader: &mut impl Read,
    limit: u64,
    what: &str,
    out: &mut File,
    key: Option<&crate::db::DataKey>,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<(String, u64)> {
    let failed = |e: std::io::Error| CoreError::Io(format!("cannot stage {what}: {e}"));
    let mut writeback = Writeback::from(0);
    let mut sealing = match key {
        Some(key) => Some(
            crate::db::blob_cipher::SealingWriter::new(key, out.try_clone().map_err(failed)?)
                .map_err(failed)?,
        ),
        None => None,
    };
    let (total, sha) = sha256_of(limit, |feed| {
        copy(reader, limit, what, feed, |bytes, total| {
            match sealing.as_mut() {
                Some(sealing) => sealing.write_all(bytes),
                None => out.write_all(bytes),
            }
            .map_err(failed)?;
            writeback.written(out, total);
            tick()
        })
    })?;
    if let Some(sealing) = sealing {
        sealing.finish().map_err(failed)?;
    }
    Ok((sha, total))
}

/// Reads `reader` to the end through `feed`, passing each piece to `then` with the length so far;
/// returns the length.
fn copy(
    reader: &mut impl Read,
    limit: u64,
    what: &str,
    feed: &mut Feed,
    mut then: impl FnMut(&[u8], u64) -> Result<()>,
) -> Result<u64> {
    let mut total = 0u64;
    loop {
        let mut buf = feed.take()?;
        let n = read(reader, &mut buf, &mut total, limit, what)?;
        if n == 0 {
            return Ok(total);
        }
        feed.hash_then(buf, n, |bytes| then(bytes, total))?;
    }
}

/// Reads the next bytes into `buf`, adding their count to `total`: past `limit`, an error.
fn read(
    reader: &mut impl Read,
    buf: &mut [u8],
    total: &mut u64,
    limit: u64,
    what: &str,
) -> Result<usize> {
    let n = reader
        .read(buf)
        .map_err(|e| CoreError::invalid_bundle(format!("{what} cannot be read: {e}")))?;
    *total += n as u64;
    if *total > limit {
        return Err(CoreError::invalid_bundle(format!(
            "{what} expands past {limit} bytes (a zip bomb, or a file too large)"
        )));
    }
    Ok(n)
}

/// SHA-256 (hex) and length of a whole file, unless `stop` is set first (then an error: whoever set
/// it has its own to report).
pub(crate) fn hash_file(path: &Path, stop: &AtomicBool) -> Result<(String, u64)> {
    let mut file =
        File::open(path).map_err(|e| CoreError::Io(format!("{}: {e}", path.display())))?;
    digest(&mut file, u64::MAX, "the bundle", &mut || {
        if stop.load(Ordering::Relaxed) {
            Err(CoreError::Io("hashing the bundle was stopped".into()))
        } else {
            Ok(())
        }
    })
}

/// Staged files written but not yet `fsync`ed.
#[derive(Default)]
pub(in crate::bundles) struct Unsynced {
    files: Vec<(File, std::path::PathBuf)>,
}

impl Unsynced {
    /// Adds a staged file (syncing the oldest first if too many are open).
    pub(in crate::bundles) fn push(&mut self, file: File, path: std::path::PathBuf) -> Result<()> {
        if self.files.len() >= MAX_UNSYNCED {
            let (oldest, at) = self.files.remove(0);
            sync(&oldest, &at)?;
        }
        self.files.push((file, path));
        Ok(())
    }

    /// Makes every staged file durable.
    pub(in crate::bundles) fn sync_all(self) -> Result<()> {
        for (file, path) in &self.files {
            sync(file, path)?;
        }
        Ok(())
    }
}

fn sync(file: &File, path: &Path) -> Result<()> {
    file.sync_all()
        .map_err(|e| CoreError::Io(format!("{}: {e}", path.display())))
}
