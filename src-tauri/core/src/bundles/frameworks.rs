//! The framework versions a bundle uses travel inside it, as native framework files
//! (`frameworks/CODE-VERSION.toml`, listed with their SHA-256 like every file), so that the
//! computer it goes to can load a version it lacks: importing a bundle that maps to such a version
//! is refused with `framework_missing` naming it, and [`Store::bundle_frameworks`] reads the
//! carried files for the user to preview and publish (an administrator's import, as any other).

use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::import::read::OpenedBundle;
use super::manifest::{FrameworkEntry, Manifest};
use crate::error::{CoreError, Result};
use crate::frameworks::{native, FrameworkDoc};
use crate::ids::LearnerRowId;
use crate::store::{Allowed, Store};

/// Where a framework version's file sits in a bundle.
pub(crate) fn carried_path(code: &str, version: &str) -> String {
    format!("frameworks/{}", native::file_name(code, version))
}

/// A framework version a bundle carries, and whether this computer has it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CarriedFramework {
    pub doc: FrameworkDoc,
    pub stored_here: bool,
}

/// The earlier (not current) framework versions the learner's mappings, removed mappings or
/// judgements rest on, oldest first.
pub(in crate::bundles) fn earlier_versions_used(
    conn: &rusqlite::Connection,
    learner: LearnerRowId,
) -> Result<Vec<FrameworkEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.code, f.version, f.title, f.verified, f.content_hash FROM frameworks f
         WHERE f.is_current = 0 AND f.id IN (
             SELECT c.framework_id FROM mappings m JOIN criteria c ON c.id = m.criterion_id
              WHERE m.learner_id = ?1
             UNION SELECT c.framework_id FROM mapping_removals r
              JOIN criteria c ON c.id = r.criterion_id JOIN evidence e ON e.id = r.evidence_id
              WHERE e.learner_id = ?1
             UNION SELECT c.framework_id FROM judgements j JOIN criteria c ON c.id = j.criterion_id
              WHERE j.learner_id = ?1)
         ORDER BY f.code, f.imported_at, f.id",
    )?;
    let rows = stmt.query_map([learner], framework_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A manifest's framework entry from a row of `code, version, title, verified, content_hash`.
pub(in crate::bundles) fn framework_entry(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<FrameworkEntry> {
    Ok(FrameworkEntry {
        code: r.get(0)?,
        version: r.get(1)?,
        title: r.get(2)?,
        verified: r.get(3)?,
        content_hash: r.get(4)?,
    })
}

impl Store {
    /// Whether this computer holds framework `code` at `version`.
    fn has_framework_version(&self, allowed: &Allowed, code: &str, version: &str) -> Result<bool> {
        Ok(self
            .read(allowed)
            .query_row(
                "SELECT 1 FROM frameworks WHERE code = ?1 AND version = ?2",
                params![code, version],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Refuses a bundle that uses a framework version this computer lacks, naming it.
    pub(in crate::bundles) fn require_frameworks(
        &self,
        allowed: &Allowed,
        manifest: &Manifest,
    ) -> Result<()> {
        for FrameworkEntry { code, version, .. } in &manifest.frameworks {
            if !self.has_framework_version(allowed, code, version)? {
                let path = carried_path(code, version);
                return Err(CoreError::FrameworkMissing {
                    code: code.clone(),
                    version: version.clone(),
                    carried: manifest.files.iter().any(|f| f.path == path),
                });
            }
        }
        Ok(())
    }

    /// The framework versions the bundle at `path` carries (every file checked against its
    /// manifest, each parsed and validated as a framework file; one that does not match the
    /// version the manifest lists is refused). Reads only.
    pub fn bundle_frameworks(&self, path: &Path) -> Result<Vec<CarriedFramework>> {
        let allowed = self.acting()?;
        let mut bundle = OpenedBundle::open(path)?;
        let entries = bundle.manifest.frameworks.clone();
        let mut out = Vec::new();
        for FrameworkEntry { code, version, .. } in entries {
            let file = carried_path(&code, &version);
            if !bundle.manifest.files.iter().any(|f| f.path == file) {
                continue;
            }
            let doc = native::parse(&bundle.read_to_vec(&file)?)?;
            if doc.code != code || doc.version != version {
                return Err(CoreError::invalid_bundle(format!(
                    "{file} holds {} version {}, not {code} version {version}",
                    doc.code, doc.version
                )));
            }
            let stored_here = self.has_framework_version(&allowed, &code, &version)?;
            out.push(CarriedFramework { doc, stored_here });
        }
        Ok(out)
    }
}
