//! Opening a bundle someone else made, as untrusted input: size, count and compression-ratio limits,
//! entry names checked against the few the format allows (no `..`, absolute paths, links, duplicates
//! or strays), the manifest parsed strictly and its format version checked, then every file's
//! SHA-256 and size compared with the manifest. Nothing is written while a bundle is read, but for
//! the attachments an import asks to have staged (see `stage`). Progress is told per file and per
//! chunk; an `Err` from it (a cancel) stops the reading.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};
use zip::ZipArchive;

pub use super::stage::Stage;
use super::stage::{digest, digest_into, hash_file, Unsynced};
pub use crate::bundles::limits::{
    Limits, MAX_BUNDLE_BYTES, MAX_ENTRIES, MAX_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_RATIO,
    MAX_TOTAL_BYTES,
};
use crate::bundles::manifest::{Manifest, FORMAT_ID, FORMAT_VERSION};
use crate::error::{CoreError, Result};

pub const MANIFEST: &str = "manifest.json";
pub const INDEX: &str = "index.html";

/// Whether `name` is a path the format allows: `manifest.json`, `index.html`,
/// `attachments/<sha256>`, or `reports/<name>` or `frameworks/<name>` with a plain file name.
pub fn allowed_name(name: &str) -> bool {
    if name == MANIFEST || name == INDEX {
        return true;
    }
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 200
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match name.split_once('/') {
        Some(("attachments", sha)) => {
            sha.len() == 64
                && sha
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        }
        Some(("reports" | "frameworks", file)) => plain(file),
        _ => false,
    }
}

/// A bundle whose every file has been checked against its manifest.
pub struct OpenedBundle {
    pub manifest: Manifest,
    /// SHA-256 of the bundle file itself.
    pub sha256: String,
    pub bytes: u64,
    archive: ZipArchive<BufReader<File>>,
}

/// Reads the manifest's JSON, naming where it is wrong.
pub(crate) fn parse_manifest(text: &[u8]) -> Result<Manifest> {
    // The format and its version first, so a newer bundle says so rather than "unknown field".
    let value: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
        CoreError::invalid_bundle(format!(
            "manifest.json is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_ID) {
        return Err(CoreError::invalid_bundle(format!(
            "manifest.json is not an Evidence Tracker bundle manifest (format must be \"{FORMAT_ID}\")"
        )));
    }
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(CoreError::BundleTooNew {
                found: v,
                known: u64::from(FORMAT_VERSION),
            })
        }
        Some(v) if v >= 1 => {}
        _ => {
            return Err(CoreError::invalid_bundle(
                "manifest.json has no valid format_version",
            ))
        }
    }
    serde_json::from_value(value)
        .map_err(|e| CoreError::invalid_bundle(format!("manifest.json: {e}")))
}

impl OpenedBundle {
    /// Opens and checks a bundle file.
    pub fn open(path: &Path) -> Result<OpenedBundle> {
        Self::open_within(path, None, &Limits::default(), &mut |_, _| Ok(()))
    }

    /// Opens and checks a bundle file within `limits` (the product's are [`Limits::default`]; the
    /// hostile-bundle tests pass smaller ones). With `stage`, each attachment `wanted` is also
    /// written into `stage.dir` (named by its SHA-256) as it is checked, so an import reads every
    /// byte once. `progress` hears (files checked, files) per file and again per chunk read; an
    /// `Err` from it stops the reading and is returned.
    pub fn open_within(
        path: &Path,
        stage: Option<&Stage<'_>>,
        limits: &Limits,
        progress: &mut dyn FnMut(usize, usize) -> Result<()>,
    ) -> Result<OpenedBundle> {
        let meta = std::fs::metadata(path)
            .map_err(|e| CoreError::Io(format!("cannot read {}: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(CoreError::invalid_bundle(format!(
                "{} is not a file",
                path.display()
            )));
        }
        if meta.len() > limits.bundle_bytes {
            return Err(CoreError::invalid_bundle(format!(
                "the bundle is {} bytes; the limit is {}",
                meta.len(),
                limits.bundle_bytes
            )));
        }
        // The whole file's hash on a second thread while the entries are checked: both read the
        // same bytes, so on two cores this costs about one pass instead of two.
        // A failed (or cancelled) check stops the hashing, which is then not waited for to the end.
        let stop = AtomicBool::new(false);
        let (hashed, checked) = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| hash_file(path, &stop));
            // Checked first, joined after: the two run side by side.
            let checked = open_checked(path, stage, limits, progress);
            if checked.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            (hashing.join(), checked)
        });
        let (manifest, archive) = checked?;
        let (sha256, bytes) = hashed
            .map_err(|_| CoreError::Io("the bundle's hash could not be computed".into()))??;
        Ok(OpenedBundle {
            manifest,
            sha256,
            bytes,
            archive,
        })
    }

    /// Copies a checked file out of the bundle into `dest`, checking its hash again on the way.
    pub fn extract_to(&mut self, path: &str, dest: &Path) -> Result<()> {
        let io = |e: std::io::Error| CoreError::Io(format!("{}: {e}", dest.display()));
        let mut out = crate::db::files::create_owner_only(dest).map_err(io)?;
        self.copy_out(path, &mut out, &dest.display().to_string())?;
        out.sync_all().map_err(io)
    }

    /// A checked file of the bundle, read into memory (its hash checked again).
    pub fn read_to_vec(&mut self, path: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.copy_out(path, &mut out, "memory")?;
        Ok(out)
    }

    /// Writes file `path` of the bundle to `out` (called `to` in errors), checking size and hash.
    fn copy_out(&mut self, path: &str, out: &mut dyn std::io::Write, to: &str) -> Result<()> {
        let (sha, size) = self
            .manifest
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| (f.sha256.clone(), f.size))
            .ok_or_else(|| {
                CoreError::invalid_bundle(format!("\"{path}\" is not in the manifest"))
            })?;
        let unreadable = |e: &dyn std::fmt::Display| {
            CoreError::invalid_bundle(format!("\"{path}\" cannot be read: {e}"))
        };
        let mut entry = self.archive.by_name(path).map_err(|e| unreadable(&e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(|e| unreadable(&e))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > size {
                return Err(CoreError::invalid_bundle(format!(
                    "\"{path}\" is longer than the manifest says"
                )));
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| CoreError::Io(format!("{to}: {e}")))?;
        }
        if hex::encode(hasher.finalize()) != sha {
            return Err(CoreError::invalid_bundle(format!(
                "\"{path}\" changed while it was read"
            )));
        }
        Ok(())
    }
}

/// Everything `OpenedBundle::open` checks but the whole file's hash: entries, manifest, files.
fn open_checked(
    path: &Path,
    stage: Option<&Stage<'_>>,
    limits: &Limits,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<(Manifest, ZipArchive<BufReader<File>>)> {
    let file = File::open(path).map_err(|e| CoreError::Io(format!("{}: {e}", path.display())))?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| CoreError::invalid_bundle(format!("not a readable zip file: {e}")))?;
    if archive.len() > limits.entries {
        return Err(CoreError::invalid_bundle(format!(
            "the bundle has {} entries; the limit is {}",
            archive.len(),
            limits.entries
        )));
    }
    // The zip reader keeps one entry per name: a second entry of the same name (which another
    // unzip tool might read instead) is only seen in the count.
    if archive.has_duplicate_names() {
        return Err(CoreError::invalid_bundle(
            "the bundle has two entries with the same name (one could stand in for the other)",
        ));
    }
    // Every entry's name, kind and declared sizes, before anything is decompressed.
    let mut seen = HashSet::new();
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| CoreError::invalid_bundle(format!("entry {i} cannot be read: {e}")))?;
        let name = entry
            .name()
            .map_err(|e| {
                CoreError::invalid_bundle(format!("entry {i} has an unreadable name: {e}"))
            })?
            .to_string();
        if !allowed_name(&name) {
            return Err(CoreError::invalid_bundle(format!(
                "unexpected entry \"{}\": a bundle holds only manifest.json, index.html, attachments/<sha256> and reports/<file>",
                name.escape_debug()
            )));
        }
        // Only regular files: not a link or folder, by name or by its Unix file type.
        let file_type = entry.unix_mode().map_or(0, |m| m & 0o170_000);
        if entry.is_dir() || entry.is_symlink() || !matches!(file_type, 0 | 0o100_000) {
            return Err(CoreError::invalid_bundle(format!(
                "entry \"{name}\" is not a plain file"
            )));
        }
        if !seen.insert(name.clone()) {
            return Err(CoreError::invalid_bundle(format!(
                "entry \"{name}\" appears twice"
            )));
        }
        if entry.size() > limits.file_bytes {
            return Err(CoreError::invalid_bundle(format!(
                "entry \"{name}\" is {} bytes uncompressed; the limit is {}",
                entry.size(),
                limits.file_bytes
            )));
        }
        let ratio_limit = entry.compressed_size().saturating_mul(limits.ratio) + 1024 * 1024;
        if entry.size() > ratio_limit {
            return Err(CoreError::invalid_bundle(format!(
                "entry \"{name}\" expands {}× ({} to {} bytes): refused as a zip bomb",
                entry.size() / entry.compressed_size().max(1),
                entry.compressed_size(),
                entry.size()
            )));
        }
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.total_bytes {
        return Err(CoreError::invalid_bundle(format!(
            "the bundle's files come to {declared} bytes uncompressed; the limit is {}",
            limits.total_bytes
        )));
    }
    // Each entry's local header (the one a streaming unzip tool reads) says what the central
    // directory says: name, sizes, CRC, method; no entries overlap or hide between them.
    archive.validate_header_consistency().map_err(|e| {
        CoreError::invalid_bundle(format!(
            "the zip's local headers disagree with its central directory: {e}"
        ))
    })?;
    if !seen.contains(MANIFEST) {
        return Err(CoreError::invalid_bundle("the bundle has no manifest.json"));
    }
    let manifest = {
        let mut entry = archive
            .by_name(MANIFEST)
            .map_err(|e| CoreError::invalid_bundle(format!("manifest.json cannot be read: {e}")))?;
        let mut text = Vec::new();
        (&mut entry)
            .take(limits.manifest_bytes.saturating_add(1))
            .read_to_end(&mut text)
            .map_err(|e| CoreError::invalid_bundle(format!("manifest.json cannot be read: {e}")))?;
        if text.len() as u64 > limits.manifest_bytes {
            return Err(CoreError::invalid_bundle(format!(
                "manifest.json is over {} bytes",
                limits.manifest_bytes
            )));
        }
        parse_manifest(&text)?
    };
    // Nothing is written for a bundle its reader may not import, or whose data would be refused.
    if let Some(stage) = stage {
        (stage.admit)(&manifest)?;
    }
    check_files(&manifest, &mut archive, &seen, stage, progress)?;
    Ok((manifest, archive))
}

/// Every listed file is there with its size and hash; nothing is there that is not listed.
fn check_files(
    manifest: &Manifest,
    archive: &mut ZipArchive<BufReader<File>>,
    present: &HashSet<String>,
    stage: Option<&Stage<'_>>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<()> {
    let mut listed: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for f in &manifest.files {
        if f.path == MANIFEST || !allowed_name(&f.path) {
            return Err(CoreError::invalid_bundle(format!(
                "the manifest lists \"{}\", which a bundle may not hold",
                f.path.escape_debug()
            )));
        }
        if listed.insert(&f.path, (&f.sha256, f.size)).is_some() {
            return Err(CoreError::invalid_bundle(format!(
                "the manifest lists \"{}\" twice",
                f.path
            )));
        }
    }
    for name in present.iter().filter(|n| n.as_str() != MANIFEST) {
        if !listed.contains_key(name.as_str()) {
            return Err(CoreError::invalid_bundle(format!(
                "\"{name}\" is in the bundle but not in its manifest"
            )));
        }
    }
    let mut unsynced = Unsynced::default();
    let total = listed.len();
    for (done, (path, (sha, size))) in listed.into_iter().enumerate() {
        progress(done, total)?;
        let mut tick = || progress(done, total);
        if !present.contains(path) {
            return Err(CoreError::invalid_bundle(format!(
                "\"{path}\" is listed but missing from the bundle"
            )));
        }
        let mut entry = archive
            .by_name(path)
            .map_err(|e| CoreError::invalid_bundle(format!("\"{path}\" cannot be read: {e}")))?;
        let staged = path
            .strip_prefix("attachments/")
            .filter(|sha| stage.is_some_and(|s| (s.wanted)(sha)));
        let (actual, length) = match (staged, stage) {
            (Some(sha), Some(stage)) => {
                let dest = stage.dir.join(sha);
                let mut out = crate::db::files::create_owner_only(&dest)
                    .map_err(|e| CoreError::Io(format!("{}: {e}", dest.display())))?;
                let found = digest_into(
                    &mut entry,
                    size,
                    &format!("\"{path}\""),
                    &mut out,
                    stage.key,
                    &mut tick,
                )?;
                unsynced.push(out, dest)?;
                found
            }
            _ => digest(&mut entry, size, &format!("\"{path}\""), &mut tick)?,
        };
        if length != size || actual != sha {
            return Err(CoreError::invalid_bundle(format!(
                "\"{path}\" does not match the manifest (SHA-256 {actual}, {length} bytes; listed {sha}, {size} bytes)"
            )));
        }
        if let Some(name_sha) = path.strip_prefix("attachments/") {
            if name_sha != actual {
                return Err(CoreError::invalid_bundle(format!(
                    "\"{path}\" is named for another file's contents (SHA-256 {actual})"
                )));
            }
        }
    }
    // Every file is as listed: the staged ones are made durable before the import goes on.
    unsynced.sync_all()
}
