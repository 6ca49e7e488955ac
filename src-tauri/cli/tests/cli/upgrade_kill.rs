//! An upgrade must never leave a portfolio half-migrated, and several programs opening one portfolio
//! at once must upgrade (or create) it exactly once. The core applies every pending migration in one
//! IMMEDIATE transaction; with `EVIDENCE_TEST_MIGRATION_PAUSE_MS` set it says on stderr when each is
//! applied and waits, so these tests can SIGKILL `evidence` in the middle of an upgrade of a data
//! directory written by an earlier release (`src-tauri/core/tests/fixtures/schema-N`, see the README
//! there) and find the earlier schema exactly as it was, and then start six processes at once.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use evidence_core::store::SCHEMA_VERSION;

use crate::common::{dump_database, files_under};

/// The administrator of the fixtures of schema 2 and later, and their password.
const ADMIN: (&str, &str) = ("admin", "admin-fixture-password");

fn fixture(schema: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures")
        .join(format!("schema-{schema}"))
}

/// A copy of a fixture's data directory (the database and the attachments) at `to`.
fn copy_fixture(schema: i64, to: &Path) {
    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &target);
            } else if entry.file_name() != "old-app-report.json" {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    copy_tree(&fixture(schema), to);
}

/// `evidence --data-dir DIR --json ARGS`, signed in as the administrator when the portfolio has
/// accounts (`signed_in`).
fn evidence(dir: &Path, signed_in: bool, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evidence"));
    cmd.env_remove("EVIDENCE_DATA_DIR")
        .env_remove("EVIDENCE_USER")
        .env_remove("EVIDENCE_PASSWORD")
        .env_remove("EVIDENCE_NEW_PASSWORD")
        .env_remove("EVIDENCE_TEST_MIGRATION_PAUSE_MS")
        .arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .args(args)
        .stdin(Stdio::null());
    if signed_in {
        cmd.env("EVIDENCE_USER", ADMIN.0)
            .env("EVIDENCE_PASSWORD", ADMIN.1);
    }
    cmd
}

fn succeeds(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}: {}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One number from the database in `dir`.
fn count(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("evidence.sqlite3")).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

const VERSION: &str = "SELECT max(version) FROM schema_migrations";

/// Copies the schema-`schema` fixture, starts `evidence frameworks list` on it with the upgrade
/// pausing after each migration, kills it with SIGKILL once migration `kill_at` is applied but not
/// committed, and checks that the database (and the attachments) are exactly the fixture's. Then
/// runs it again: the upgrade completes and the command succeeds.
fn killed_mid_upgrade(schema: i64, kill_at: i64) {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("portfolio");
    copy_fixture(schema, &dir);
    let tables = dump_database(&fixture(schema).join("evidence.sqlite3"));
    let files = files_under(&dir);
    let accounts = schema >= 2;

    let mut child = evidence(&dir, accounts, &["frameworks", "list"])
        .env("EVIDENCE_TEST_MIGRATION_PAUSE_MS", "2000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    let awaited = format!("migration {kill_at} applied, not yet committed");
    while seen.last() != Some(&awaited) {
        match lines.next() {
            Some(line) => seen.push(line.unwrap()),
            None => panic!("stderr ended before {awaited:?}; it said {seen:?}"),
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status}");
    let expected: Vec<String> = (schema + 1..=kill_at)
        .map(|v| format!("migration {v} applied, not yet committed"))
        .collect();
    assert_eq!(seen, expected, "one line per migration applied");

    let after = dump_database(&dir.join("evidence.sqlite3"));
    assert_eq!(after["schema_migrations"].len() as i64, schema);
    for (table, rows) in &tables {
        assert_eq!(after.get(table), Some(rows), "table {table} after the kill");
    }
    assert!(
        after == tables,
        "the killed upgrade left tables the fixture does not have: {:?}",
        after
            .keys()
            .filter(|t| !tables.contains_key(*t))
            .collect::<Vec<_>>()
    );
    assert!(files_under(&dir) == files, "the attachments changed");

    let again = evidence(&dir, accounts, &["frameworks", "list"])
        .output()
        .unwrap();
    succeeds(&again, "the upgrade after the kill");
    assert_eq!(count(&dir, VERSION), SCHEMA_VERSION);
    let listed: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(listed.as_array().is_some_and(|l| l.len() >= 4), "{listed}");
    let verify = evidence(&dir, accounts, &["audit", "verify"])
        .output()
        .unwrap();
    succeeds(&verify, "audit verify after the upgrade");
}

#[test]
fn a_schema_1_portfolio_killed_mid_upgrade_is_left_at_schema_1_then_upgrades() {
    killed_mid_upgrade(1, 3);
}

#[test]
fn a_schema_4_portfolio_killed_before_the_upgrade_commits_is_left_at_schema_4_then_upgrades() {
    // The process dies after applying the last migration, just before COMMIT.
    killed_mid_upgrade(4, SCHEMA_VERSION);
}

/// Six `evidence frameworks list` processes started together on `dir`; each must succeed.
fn six_at_once(dir: &Path, round: usize) {
    let children: Vec<_> = (0..6)
        .map(|_| {
            evidence(dir, false, &["frameworks", "list"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        succeeds(&output, &format!("round {round}, process {i}"));
    }
}

/// What opening `dir` once leaves: (frameworks, shipped-framework audit entries, audit entries).
fn shipped_counts(dir: &Path) -> (i64, i64, i64) {
    (
        count(dir, "SELECT count(*) FROM frameworks"),
        count(
            dir,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'shipped_%'",
        ),
        count(dir, "SELECT count(*) FROM audit_log"),
    )
}

fn check_after(dir: &Path, single: (i64, i64, i64), round: usize) {
    assert_eq!(count(dir, VERSION), SCHEMA_VERSION, "round {round}");
    assert_eq!(
        count(dir, "SELECT count(*) FROM schema_migrations"),
        SCHEMA_VERSION,
        "round {round}: each migration recorded once"
    );
    assert_eq!(
        shipped_counts(dir),
        single,
        "round {round}: (frameworks, shipped-framework audit entries, audit entries) after six opens at once and after one"
    );
    let verify = evidence(dir, false, &["audit", "verify"]).output().unwrap();
    succeeds(&verify, &format!("round {round}: audit verify"));
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["intact"], true, "round {round}: {report}");
}

#[test]
fn six_processes_creating_one_new_portfolio_at_once_all_succeed_and_load_the_frameworks_once() {
    let reference = tempfile::tempdir().unwrap();
    let one = reference.path().join("portfolio");
    succeeds(
        &evidence(&one, false, &["frameworks", "list"])
            .output()
            .unwrap(),
        "a single open",
    );
    let single = shipped_counts(&one);
    assert!(single.0 >= 4 && single.1 == 1, "{single:?}");
    for round in 0..5 {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("new portfolio");
        six_at_once(&dir, round);
        check_after(&dir, single, round);
    }
}

#[test]
fn six_processes_opening_one_schema_1_portfolio_at_once_all_succeed_and_upgrade_it_once() {
    let reference = tempfile::tempdir().unwrap();
    let one = reference.path().join("portfolio");
    copy_fixture(1, &one);
    let fixture_frameworks = count(&one, "SELECT count(*) FROM frameworks");
    succeeds(
        &evidence(&one, false, &["frameworks", "list"])
            .output()
            .unwrap(),
        "a single open",
    );
    let single = shipped_counts(&one);
    assert_eq!(
        single.0,
        fixture_frameworks + 1,
        "the shipped CD-NOS 2023.2 added once, no framework loaded again"
    );
    for round in 0..5 {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("portfolio");
        copy_fixture(1, &dir);
        six_at_once(&dir, round);
        check_after(&dir, single, round);
    }
}
