//! Portable portfolio bundles: one zip file carrying a learner's whole portfolio — manifest, every
//! attached file by SHA-256, a readable `index.html` — between a learner's offline laptop and the
//! centre's machine, or read-only to quality assurers with the reports. The format is in
//! docs/bundle-format.md.
//!
//! A bundle from elsewhere is untrusted: `import::read` checks it completely (limits, names, hashes,
//! format version) before anything is written.
//!
//! Three folders: `export` (writing a bundle), `import` (reading, checking, planning and applying
//! one), `conflicts` (items changed on both computers, shown and resolved). Shared by them here: the
//! manifest format, the reader's limits, version identity (`merge`), what an item holds (`gather`),
//! hashing beside the copy (`beside`), the framework files a bundle carries (`frameworks`).

mod anchor;
mod beside;
pub mod conflicts;
mod export;
pub mod frameworks;
mod gather;
mod import;
pub mod limits;
pub mod manifest;
pub mod merge;

use serde::Serialize;

use crate::error::Result;
use crate::learners::Learner;
use crate::store::Store;

pub use conflicts::{ConflictView, FieldConflict};
pub use frameworks::CarriedFramework;
pub use import::read::{self, OpenedBundle};
pub use import::report::{BundleImport, ConflictedItem, NotCounted};
pub use limits::Limits;
pub use manifest::{BundleKind, Manifest, FORMAT_ID, FORMAT_VERSION};

/// A file name for a bundle: `portfolio-lee-chen-2026-11-22.zip` or `qa-bundle-lee-chen-….zip`.
pub fn file_name(kind: BundleKind, learner_name: &str) -> String {
    let what = match kind {
        BundleKind::Portfolio => "portfolio",
        BundleKind::QualityAssurance => "qa-bundle",
    };
    crate::reports::dated_file_name(&[what, learner_name], "zip")
}

/// A bundle written to disk.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExportedBundle {
    pub kind: BundleKind,
    pub learner: Learner,
    /// SHA-256 of the bundle file: read it out to whoever receives it.
    pub sha256: String,
    pub bytes: u64,
    pub items: usize,
    /// Files in the bundle, the manifest included.
    pub files: usize,
}

/// What a checked bundle holds.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BundleCheck {
    pub sha256: String,
    pub bytes: u64,
    pub kind: BundleKind,
    pub format_version: u32,
    pub learner_id: String,
    pub learner_name: String,
    pub created_at: String,
    pub created_by: String,
    pub items: usize,
    /// Files in the bundle, the manifest included; every one matched its listed SHA-256.
    pub files: usize,
    /// Audit entries whose own hash is right (each is checked alone: the chain runs through other
    /// learners' entries on the machine that wrote it).
    pub audit_entries: usize,
}

impl Store {
    /// Checks a bundle file completely, writing nothing: readable, within limits, only allowed
    /// entries, every file's SHA-256 as listed, a manifest this version understands, and each carried
    /// audit entry's hash.
    pub fn verify_bundle(&self, path: &std::path::Path) -> Result<BundleCheck> {
        // What a bundle holds (a learner's name, who made it) is for someone signed in.
        self.actor()?;
        self.verify_bundle_within(path, &Limits::default())
    }

    /// As [`Store::verify_bundle`], within `limits` rather than the defaults: for the hostile-bundle
    /// tests only (see `limits`).
    #[doc(hidden)]
    pub fn verify_bundle_within(
        &self,
        path: &std::path::Path,
        limits: &Limits,
    ) -> Result<BundleCheck> {
        let bundle = OpenedBundle::open_within(path, None, limits, &mut |_, _| Ok(()))?;
        let m = &bundle.manifest;
        import::validate::check_manifest(m)?;
        Ok(BundleCheck {
            sha256: bundle.sha256.clone(),
            bytes: bundle.bytes,
            kind: m.kind,
            format_version: m.format_version,
            learner_id: m.learner.id.clone(),
            learner_name: m.learner.name.clone(),
            created_at: m.created_at.clone(),
            created_by: m.created_by.clone(),
            items: m.evidence.len(),
            files: m.files.len() + 1,
            audit_entries: m.audit.len(),
        })
    }
}
