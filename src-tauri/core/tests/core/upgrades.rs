//! Upgrades: a portfolio written by any earlier release must open with today's code with nothing lost.
//! Each `tests/fixtures/schema-N` is a data directory made by the released `evidence` command of schema
//! version N (`scripts/make-schema-fixtures`; what each holds, and its passwords, in
//! `tests/fixtures/README.md`). A copy is opened with [`Store::open`], which applies the migrations;
//! then every row of every old table must still be there with the same values in its old columns,
//! every attached file with its SHA-256, the audit chain intact, every signature matching exactly as
//! the old release said, every password accepted, and every item, version and mapping readable through
//! the public API as it was.

mod old_data;
mod shipped_versions;

use std::collections::BTreeSet;
use std::path::Path;

use evidence_core::evidence::{blob_path, EvidenceFilter};
use evidence_core::store::{DATABASE_FILE, SCHEMA_VERSION};
use evidence_core::{CoreError, Store};
use rusqlite::{Connection, OpenFlags};
use serde_json::{json, Value as Json};

use crate::common::dump;
use old_data::{blob_hashes, copy_tree, sha256_file, OldItem};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Every account of the fixtures of schema 2 and later, with its password.
const ACCOUNTS: &[(&str, &str)] = &[
    ("admin", "admin-fixture-password"),
    ("lee", "lee-fixture-password"),
    ("kim", "kim-fixture-password"),
    ("tess", "tess-fixture-password"),
    ("sam", "sam-fixture-password"),
    ("ivy", "ivy-fixture-password"),
];

fn sign_in(store: &mut Store, username: &str) {
    let (_, password) = ACCOUNTS.iter().find(|(u, _)| *u == username).unwrap();
    let user = store.sign_in(username, Some(password)).unwrap();
    assert_eq!(user.username, username);
}

fn one<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The database after the upgrade: the current schema, sound, and every old row kept.
fn check_database(schema: i64, store: &Store, old: &old_data::Tables, had_rules: &BTreeSet<i64>) {
    let conn = store.raw_connection_for_tests();
    let version: i64 = one(conn, "SELECT max(version) FROM schema_migrations");
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(one::<i64>(conn, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(one::<String>(conn, "PRAGMA integrity_check"), "ok");
    let mut check = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let dangling = check.query([]).unwrap().next().unwrap().is_some();
    assert!(!dangling, "schema {schema}: a foreign key points nowhere");
    old_data::assert_old_rows_kept(schema, old, conn, had_rules);
    // Every fixture holds the earlier shipped CD-NOS (2023) as it was shipped: it moves to today's
    // shipped version (the 2023 suite's index), its mappings with it, and 2023 is kept.
    let current: String = one(
        conn,
        "SELECT version FROM frameworks WHERE code = 'CD-NOS' AND is_current = 1",
    );
    assert_eq!(current, "2023.2", "schema {schema}");
    let kept: i64 = one(
        conn,
        "SELECT count(*) FROM frameworks WHERE code = 'CD-NOS' AND version = '2023'",
    );
    assert_eq!(kept, 1, "schema {schema}");
}

/// Every record's file is there and matches its SHA-256 and size.
fn check_attachment_records(store: &Store, dir: &Path) {
    let mut stmt = store
        .raw_connection_for_tests()
        .prepare("SELECT sha256, size FROM attachments")
        .unwrap();
    let records: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(records.len() >= 3);
    for (sha, size) in records {
        let path = blob_path(dir, &sha);
        assert_eq!(sha256_file(&path), sha, "{}", path.display());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size as u64);
    }
}

/// Every item, with its versions, mappings and files, reads as it was, as its learner sees it.
fn check_items(schema: i64, store: &mut Store, items: &[OldItem]) {
    for item in items {
        if let Some(owner) = &item.owner {
            sign_in(store, owner);
        }
        let what = format!("schema {schema}, item {}", item.title);
        let now = store.evidence(&item.uuid).unwrap();
        assert_eq!(
            (
                now.number,
                now.title.as_str(),
                now.version.get(),
                now.body_markdown.as_str()
            ),
            (
                item.number,
                item.title.as_str(),
                item.version,
                item.body.as_str()
            ),
            "{what}"
        );
        let refs: BTreeSet<String> = now
            .mappings
            .iter()
            .map(|m| m.reference.to_string())
            .collect();
        assert_eq!(refs, item.refs, "{what}: mappings");
        let files: BTreeSet<String> = now.attachments.iter().map(|a| a.sha256.clone()).collect();
        assert_eq!(files, item.files, "{what}: files");
        let versions: Vec<(i64, String, String)> = store
            .evidence_versions(&item.uuid)
            .unwrap()
            .into_iter()
            .map(|v| {
                let status = serde_json::to_value(v.status).unwrap();
                (
                    v.version.get(),
                    v.title,
                    status.as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(versions, item.versions, "{what}: versions");
        if item.title == "Values in practice" {
            // Its mapping to the criterion FIXTURE version 2 dropped stays with version 1.
            let kept = now
                .mappings
                .iter()
                .find(|m| m.reference.to_string() == "FIXTURE:FX.2");
            assert!(
                kept.is_some_and(|m| !m.current && m.framework_version == "1"),
                "{what}"
            );
        }
    }
}

/// Lee's portfolio answers as the old release answered (`old-app-report.json`): the items, every
/// signature with its `matches`, the conflict left open.
fn check_old_answers(schema: i64, store: &mut Store, report: &Json, has_accounts: bool) {
    if has_accounts {
        sign_in(store, "sam");
    }
    let mut listed: Vec<Json> = store
        .list_evidence("Lee Learner", &EvidenceFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| json!({"id": e.id, "number": e.number, "title": e.title, "status": e.status}))
        .collect();
    listed.sort_by_key(|e| e["number"].as_i64());
    assert_eq!(Json::Array(listed), report["lee_items"], "schema {schema}");
    if schema >= 3 {
        let shown = store.signatures("Lee Learner").unwrap();
        if schema < 7 {
            assert!(
                shown.iter().all(|s| s.key_id.is_none()),
                "schema {schema}: signatures made before keys read as legacy (no key)"
            );
        } else {
            assert!(
                shown.iter().any(|s| s.key_id.is_some()),
                "schema {schema}: signatures made with keys keep them"
            );
        }
        let mut signatures: Vec<Json> = shown
            .into_iter()
            .map(|s| {
                let s = serde_json::to_value(s).unwrap();
                json!({"id": s["id"], "kind": s["kind"], "subject": s["subject"],
                       "content_hash": s["content_hash"], "matches": s["matches"]})
            })
            .collect();
        signatures.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        assert_eq!(
            Json::Array(signatures),
            report["signatures"],
            "schema {schema}"
        );
        let stale = report["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["matches"] == false);
        assert!(
            stale.count() >= 1,
            "the fixture has signatures that no longer match"
        );
    }
    if schema >= 5 {
        sign_in(store, "lee");
        let conflicts = store.conflicts("Lee Learner").unwrap();
        assert_eq!(conflicts.len(), 1, "schema {schema}: the open conflict");
        assert_eq!(conflicts[0].number, 3);
        assert!(conflicts[0].fields.iter().any(|f| f.field == "title"));
    }
}

/// Copies the fixture of schema `schema` (a data directory) to `dir`, for a test to open.
pub(crate) fn copy_fixture(schema: i64, dir: &Path) {
    copy_tree(&Path::new(FIXTURES).join(format!("schema-{schema}")), dir);
}

fn check_upgrade(schema: i64) {
    let fixture = Path::new(FIXTURES).join(format!("schema-{schema}"));
    let report = std::fs::read(fixture.join("old-app-report.json")).unwrap();
    let report: Json = serde_json::from_slice(&report).unwrap();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("portfolio");
    copy_tree(&fixture, &dir);

    // Everything the old database holds, read before today's code touches it.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY;
    let old_conn = Connection::open_with_flags(dir.join(DATABASE_FILE), flags).unwrap();
    let found: i64 = one(&old_conn, "SELECT max(version) FROM schema_migrations");
    assert_eq!(found, schema, "the fixture is of schema {schema}");
    let old = old_data::read_tables(&old_conn, None, &Default::default());
    let items = old_data::old_items(&old_conn);
    let had_rules = old_data::frameworks_with_rules(&old_conn);
    drop(old_conn);
    let files = blob_hashes(&dir);
    let has_accounts = old.contains_key("users");

    let store = Store::open(&dir).unwrap();
    check_database(schema, &store, &old, &had_rules);

    // Opening again changes nothing: the upgrade is done once.
    let upgraded = dump(&store);
    drop(store);
    let mut store = Store::open(&dir).unwrap();
    assert!(
        dump(&store) == upgraded,
        "schema {schema}: a second open changed the database"
    );

    // Every file is still there, unchanged, under the name of its content.
    assert_eq!(
        blob_hashes(&dir),
        files,
        "schema {schema}: attachment files changed"
    );
    for (path, hash) in &files {
        assert_eq!(path.file_name().unwrap().to_str().unwrap(), hash);
    }
    check_attachment_records(&store, &dir);

    // Every password still signs in; a wrong one still does not.
    if has_accounts {
        let wrong = store.sign_in("admin", Some("not the password"));
        assert!(matches!(wrong, Err(CoreError::SignInFailed)), "{wrong:?}");
        for (username, _) in ACCOUNTS {
            sign_in(&mut store, username);
        }
        sign_in(&mut store, "admin");
        // Signing in made the older, cheaper hashes and key seals again at today's cost; they
        // still open (signing in again, the keys sign: the audit check below).
        let conn = store.raw_connection_for_tests();
        let cheap_hashes: i64 = one(
            conn,
            "SELECT count(*) FROM users WHERE password_hash IS NOT NULL
             AND password_hash NOT LIKE '$argon2id$v=19$m=65536,t=2,p=1$%'",
        );
        assert_eq!(
            cheap_hashes, 0,
            "schema {schema}: hashes left at the old cost"
        );
        if schema >= 7 {
            let cheap_seals: i64 = one(
                conn,
                "SELECT (SELECT count(*) FROM sealed_keys WHERE length(kdf_salt) <> 28)
                      + (SELECT count(*) FROM centre_key_seals WHERE length(kdf_salt) <> 28)",
            );
            assert_eq!(
                cheap_seals, 0,
                "schema {schema}: keys sealed at the old cost"
            );
        }
        for (username, _) in ACCOUNTS {
            sign_in(&mut store, username);
        }
    }

    // The audit chain (and every signature) checks out; no entry the old release counted is lost.
    let audit = store.verify_audit().unwrap();
    assert!(audit.intact, "schema {schema}: {:?}", audit.problems);
    if let Some(entries) = report["audit"]["entries"].as_i64() {
        assert_eq!(report["audit"]["intact"], true);
        assert!(
            audit.entries >= entries,
            "schema {schema}: {} < {entries}",
            audit.entries
        );
    }

    check_items(schema, &mut store, &items);
    check_old_answers(schema, &mut store, &report, has_accounts);
}

#[test]
fn a_schema_1_portfolio_upgrades_with_everything_kept() {
    check_upgrade(1);
}

#[test]
fn a_schema_2_portfolio_upgrades_with_everything_kept() {
    check_upgrade(2);
}

#[test]
fn a_schema_3_portfolio_upgrades_with_everything_kept() {
    check_upgrade(3);
}

#[test]
fn a_schema_4_portfolio_upgrades_with_everything_kept() {
    check_upgrade(4);
}

#[test]
fn a_schema_5_portfolio_upgrades_with_everything_kept() {
    check_upgrade(5);
}

#[test]
fn a_schema_6_portfolio_upgrades_with_everything_kept() {
    check_upgrade(6);
}

#[test]
fn a_schema_7_portfolio_upgrades_with_everything_kept() {
    check_upgrade(7);
}

#[test]
fn every_earlier_schema_has_a_fixture() {
    // Adding migration N+1 means adding the fixture of schema N, made by the release before it.
    for schema in 1..SCHEMA_VERSION {
        let dir = Path::new(FIXTURES).join(format!("schema-{schema}"));
        assert!(
            dir.join(DATABASE_FILE).is_file(),
            "{} is missing",
            dir.display()
        );
        for stale in ["-wal", "-shm"] {
            assert!(!dir.join(format!("{DATABASE_FILE}{stale}")).exists());
        }
    }
}
