//! The frameworks and crosswalk shipped with the app (`assets/frameworks/`), embedded in the binary and
//! loaded into an empty database on first start.
//!
//! A database seeded before frameworks carried method rules holds the shipped versions without them;
//! on open, each such version whose content is otherwise exactly the shipped file's gains the file's
//! rules (and the content hash that goes with them), so re-importing the shipped file stays unchanged.
//!
//! A database whose current version of a framework is still exactly an earlier shipped version (one of
//! [`SUPERSEDED_FILES`], with or without its method rules) moves to today's shipped version on open, as
//! an import would (mappings carry over by criterion code; the earlier version is kept). A version the
//! centre imported itself is never replaced.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::model::FrameworkDoc;
use super::{crosswalk, method_rules, native, repo};
use crate::error::Result;
use crate::ids::FrameworkRowId;
use crate::store::write::{Allowed, Audit};
use crate::store::Store;

/// The shipped framework files: (file name, contents).
pub const FRAMEWORK_FILES: &[(&str, &str)] = &[
    (
        "nocn-l3-cd.toml",
        include_str!("../../../../assets/frameworks/nocn-l3-cd.toml"),
    ),
    (
        "cd-nos.toml",
        include_str!("../../../../assets/frameworks/cd-nos.toml"),
    ),
    (
        "cd-nos-values.toml",
        include_str!("../../../../assets/frameworks/cd-nos-values.toml"),
    ),
    (
        "cld-competences.toml",
        include_str!("../../../../assets/frameworks/cld-competences.toml"),
    ),
];

/// An earlier shipped version of a framework file, recognised by the content hashes the releases
/// stored for it (with its method rules, and without, as seeded before rules existed), so that
/// opening a portfolio needs no parsing to know whether it still holds one.
pub struct Superseded {
    /// The file today's version is in.
    pub file: &'static str,
    pub code: &'static str,
    pub version: &'static str,
    /// The earlier text is in `assets/frameworks/superseded/`, where a test checks these are its.
    pub hashes: [&'static str; 2],
}

/// Earlier shipped versions of framework files.
pub const SUPERSEDED_FILES: &[Superseded] = &[Superseded {
    file: "cd-nos.toml",
    code: "CD-NOS",
    version: "2023",
    hashes: [
        "c004cd9e3852ce2c466fa1ceb4fffab415ac3eb99b1d1042cc298792f6b47f39",
        "63d46360e8281a5f51eedaa265090698a80a0b3db4d82ea25f7f172fe51131c5",
    ],
}];

/// The shipped crosswalk file.
pub const CROSSWALK_FILE: &str = include_str!("../../../../assets/frameworks/crosswalk.toml");

fn shipped_docs() -> Result<Vec<FrameworkDoc>> {
    FRAMEWORK_FILES
        .iter()
        .map(|(_, text)| native::parse(text.as_bytes()))
        .collect()
}

/// Loads every shipped framework and the crosswalk, in one transaction, if no framework is stored yet;
/// otherwise adds shipped method rules a stored shipped version lacks, and moves each framework still
/// at an earlier shipped version to today's shipped version (an audit entry each).
pub(crate) fn load_if_empty(store: &mut Store) -> Result<()> {
    // Looked at first without the write lock, so that opening a portfolio whose frameworks are in
    // place never waits for another process's long write.
    if framework_count(store.look_up())? > 0
        && rule_upgrades(store.look_up())?.is_empty()
        && version_upgrades(store.look_up())?.is_empty()
    {
        return Ok(());
    }
    let docs = shipped_docs()?;
    let links = crosswalk::parse(CROSSWALK_FILE.as_bytes())?;
    // Looked at again inside the write transaction: another process opening the same directory at
    // the same moment either has done it already or waits until this one has.
    store.write(&Allowed::app(), |tx, audit| {
        if framework_count(tx)? > 0 {
            add_missing_rules(tx, audit)?;
            return upgrade_versions(tx, audit);
        }
        for doc in &docs {
            repo::import_in(tx, doc)?;
        }
        crosswalk::insert(tx, &links)?;
        let loaded: Vec<String> = docs
            .iter()
            .map(|d| format!("{}@{}", d.code, d.version))
            .collect();
        audit.record(
            crate::audit::Change::new("shipped_frameworks_loaded", "frameworks")
                .after(loaded.join(" ")),
        )
    })
}

fn framework_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM frameworks", [], |row| row.get(0))?)
}

/// The stored shipped versions that match their file but for the rules: (row id, the file's doc).
fn rule_upgrades(conn: &Connection) -> Result<Vec<(FrameworkRowId, FrameworkDoc)>> {
    let mut upgrades = Vec::new();
    for doc in shipped_docs()?
        .into_iter()
        .filter(|d| !d.method_rules.is_empty())
    {
        let bare = FrameworkDoc {
            method_rules: Vec::new(),
            ..doc.clone()
        };
        let id: Option<FrameworkRowId> = conn
            .query_row(
                "SELECT id FROM frameworks WHERE code = ?1 AND version = ?2 AND content_hash = ?3",
                params![doc.code, doc.version, repo::content_hash(&bare)?],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = id {
            upgrades.push((id, doc));
        }
    }
    Ok(upgrades)
}

/// Gives each stored shipped version that matches its file but for the rules the file's rules.
fn add_missing_rules(tx: &Transaction<'_>, audit: &mut Audit<'_>) -> Result<()> {
    for (id, doc) in rule_upgrades(tx)? {
        method_rules::insert(tx, id, &doc.method_rules)?;
        tx.execute(
            "UPDATE frameworks SET content_hash = ?2 WHERE id = ?1",
            params![id, repo::content_hash(&doc)?],
        )?;
        audit.record(
            crate::audit::Change::new(
                "shipped_method_rules_added",
                format!("framework:{}@{}", doc.code, doc.version),
            )
            .after(format!(
                "{} method rules from the shipped file",
                doc.method_rules.len()
            )),
        )?;
    }
    Ok(())
}

/// The shipped files whose framework's current stored version is an earlier shipped version, exactly
/// as shipped (with or without the method rules a portfolio seeded before rules lacks), and which are
/// not stored yet.
fn version_upgrades(conn: &Connection) -> Result<Vec<FrameworkDoc>> {
    let mut upgrades = Vec::new();
    for earlier in SUPERSEDED_FILES {
        // One indexed look-up a superseded file: the common case (already upgraded, or the centre's
        // own version) parses nothing.
        let still_earlier: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM frameworks WHERE code = ?1 AND version = ?2 AND is_current = 1
                            AND content_hash IN (?3, ?4))",
            params![
                earlier.code,
                earlier.version,
                earlier.hashes[0],
                earlier.hashes[1]
            ],
            |row| row.get(0),
        )?;
        let today = FRAMEWORK_FILES
            .iter()
            .find(|(name, _)| *name == earlier.file);
        let (true, Some((_, text))) = (still_earlier, today) else {
            continue;
        };
        let doc = native::parse(text.as_bytes())?;
        let stored: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM frameworks WHERE code = ?1 AND version = ?2)",
            params![doc.code, doc.version],
            |row| row.get(0),
        )?;
        if doc.code == earlier.code && !stored {
            upgrades.push(doc);
        }
    }
    Ok(upgrades)
}

/// Moves each framework still at an earlier shipped version to today's shipped version.
fn upgrade_versions(tx: &Transaction<'_>, audit: &mut Audit<'_>) -> Result<()> {
    for doc in version_upgrades(tx)? {
        let report = repo::import_in(tx, &doc)?;
        audit.record(
            crate::audit::Change::new(
                "shipped_framework_upgraded",
                format!("framework:{}", report.framework),
            )
            .before(report.previous_version.clone().unwrap_or_default())
            .after(report.version.clone()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_and_hash(store: &Store) -> (i64, String) {
        store
            .conn()
            .query_row(
                "SELECT (SELECT count(*) FROM framework_method_rules r WHERE r.framework_id = f.id), content_hash
                 FROM frameworks f WHERE code = 'CD-NOS'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("CD-NOS stored")
    }

    #[test]
    fn the_superseded_cd_nos_is_recognised_as_the_releases_stored_it() {
        // The content hashes the releases before 2023.2 stored (tests/fixtures/schema-1…3 without
        // method rules, schema-4…7 with them): editing the superseded file would lose them.
        let superseded = &SUPERSEDED_FILES[0];
        let text = include_str!("../../../../assets/frameworks/superseded/cd-nos-2023.toml");
        let earlier = native::parse(text.as_bytes()).expect("superseded cd-nos");
        let bare = FrameworkDoc {
            method_rules: Vec::new(),
            ..earlier.clone()
        };
        assert_eq!(
            (earlier.code.as_str(), earlier.version.as_str()),
            (superseded.code, superseded.version)
        );
        assert_eq!(
            [
                repo::content_hash(&earlier).expect("hash"),
                repo::content_hash(&bare).expect("hash")
            ],
            superseded.hashes
        );
        let today = native::parse(FRAMEWORK_FILES[1].1.as_bytes()).expect("cd-nos");
        assert_eq!(
            (today.code.as_str(), today.version.as_str()),
            ("CD-NOS", "2023.2")
        );
        assert_eq!(
            today.criteria, earlier.criteria,
            "every mapping carries over"
        );
    }

    #[test]
    fn a_portfolio_seeded_before_method_rules_gains_the_shipped_rules_once() {
        let mut store = Store::open_in_memory().expect("store");
        let seeded = rules_and_hash(&store);
        assert_eq!(seeded.0, 1, "a new portfolio has CD-NOS's rule");
        let doc = native::parse(FRAMEWORK_FILES[1].1.as_bytes()).expect("cd-nos");
        let bare = FrameworkDoc {
            method_rules: Vec::new(),
            ..doc
        };
        // As a portfolio seeded by an earlier build holds it.
        store
            .conn()
            .execute_batch("DELETE FROM framework_method_rules")
            .expect("delete rules");
        store
            .conn()
            .execute(
                "UPDATE frameworks SET content_hash = ?1 WHERE code = 'CD-NOS'",
                [repo::content_hash(&bare).expect("hash")],
            )
            .expect("old hash");
        load_if_empty(&mut store).expect("upgrade");
        assert_eq!(rules_and_hash(&store), seeded);
        let audit = |store: &Store| -> i64 {
            store
                .conn()
                .query_row(
                    "SELECT count(*) FROM audit_log WHERE action = 'shipped_method_rules_added'",
                    [],
                    |row| row.get(0),
                )
                .expect("audit")
        };
        assert_eq!(audit(&store), 1);
        load_if_empty(&mut store).expect("nothing to do");
        assert_eq!(audit(&store), 1, "the upgrade happens once");
    }
}
