//! What an old data directory holds, read with rusqlite before today's code opens it, and the check
//! that the upgrade kept every old row: the upgrade tests' tools.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// One table: its columns, and its rows by primary key (rendered, so that it sorts).
pub struct Table {
    columns: Vec<String>,
    rows: BTreeMap<String, Vec<Value>>,
}

pub type Tables = BTreeMap<String, Table>;

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn strings(conn: &Connection, sql: &str, param: impl rusqlite::ToSql) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([param], |row| row.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Every row of every table (the FTS index's virtual table aside: its shadow tables are read), or,
/// with `only`, of the tables in `only` and just their columns there. A `criterion_id` found in
/// `moved` reads as the criterion it was moved from.
pub fn read_tables(conn: &Connection, only: Option<&Tables>, moved: &HashMap<i64, i64>) -> Tables {
    let names = strings(
        conn,
        "SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE 'sqlite_%'
           AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        "table",
    );
    let mut tables = Tables::new();
    for name in names {
        let columns = match only {
            Some(old) => match old.get(&name) {
                Some(table) => table.columns.clone(),
                None => continue,
            },
            None => strings(
                conn,
                "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                &name,
            ),
        };
        let mut key = strings(
            conn,
            "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
            &name,
        );
        if key.is_empty() {
            key.push("rowid".into());
        }
        let selected: Vec<String> = key.iter().chain(&columns).map(|c| quoted(c)).collect();
        let sql = format!("SELECT {} FROM {}", selected.join(", "), quoted(&name));
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows = BTreeMap::new();
        let mut result = stmt.query([]).unwrap();
        let names: Vec<&String> = key.iter().chain(&columns).collect();
        while let Some(row) = result.next().unwrap() {
            let values: Vec<Value> = (0..selected.len())
                .map(|i| match row.get(i).unwrap() {
                    Value::Integer(id) if names[i] == "criterion_id" => {
                        Value::Integer(moved.get(&id).copied().unwrap_or(id))
                    }
                    value => value,
                })
                .collect();
            let (k, v) = values.split_at(key.len());
            rows.insert(format!("{k:?}"), v.to_vec());
        }
        tables.insert(name, Table { columns, rows });
    }
    tables
}

/// The frameworks that have method rules (none before schema 4).
pub fn frameworks_with_rules(conn: &Connection) -> BTreeSet<i64> {
    let Ok(mut stmt) = conn.prepare("SELECT DISTINCT framework_id FROM framework_method_rules")
    else {
        return BTreeSet::new();
    };
    let rows = stmt.query_map([], |row| row.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// The frameworks still at an earlier shipped version that the upgrade moved to today's shipped
/// version (`shipped_framework_upgraded`): (the earlier version's row id, the new one's).
fn shipped_upgrades(new: &Connection) -> Vec<(i64, i64)> {
    let mut stmt = new
        .prepare(
            "SELECT o.id, n.id FROM audit_log a
             JOIN frameworks o ON 'framework:' || o.code = a.subject AND o.version = a.before
             JOIN frameworks n ON n.code = o.code AND n.version = a.after
             WHERE a.action = 'shipped_framework_upgraded'",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Criteria of the versions [`shipped_upgrades`] added, by the criterion of the same code in the
/// earlier version: the mappings, judgements and mapping removals the upgrade moved onto them.
pub fn moved_criteria(new: &Connection) -> HashMap<i64, i64> {
    let mut moved = HashMap::new();
    for (old_id, new_id) in shipped_upgrades(new) {
        let mut stmt = new
            .prepare(
                "SELECT n.id, o.id FROM criteria n JOIN criteria o ON o.code = n.code
                 WHERE n.framework_id = ?1 AND o.framework_id = ?2",
            )
            .unwrap();
        let rows = stmt
            .query_map([new_id, old_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })
            .unwrap();
        moved.extend(rows.map(|r| r.unwrap()));
    }
    moved
}

/// What the upgrade may change in an old row, and why: the audit head moves with every entry
/// appended; a shipped framework version stored before frameworks carried method rules (none in
/// `had_rules`) gains the shipped file's rules and the content hash that goes with them; and an
/// earlier shipped version still current (CD-NOS 2023) stops being current when today's shipped
/// version replaces it.
fn change_allowed(
    table: &str,
    column: &str,
    key: &str,
    new: &Connection,
    had_rules: &BTreeSet<i64>,
) -> bool {
    match (table, column) {
        ("audit_head", _) => true,
        ("frameworks", "content_hash") => {
            let id: i64 = key
                .trim_start_matches("[Integer(")
                .trim_end_matches(")]")
                .parse()
                .unwrap();
            let rules: i64 = new
                .query_row(
                    "SELECT count(*) FROM framework_method_rules WHERE framework_id = ?1",
                    [id],
                    |row| row.get(0),
                )
                .unwrap();
            rules > 0 && !had_rules.contains(&id)
        }
        ("frameworks", "is_current") => shipped_upgrades(new)
            .iter()
            .any(|(old_id, _)| key == format!("[Integer({old_id})]")),
        _ => false,
    }
}

/// Tables where the upgrade may add rows: the migrations' records, the audit entries that record the
/// upgrade, this installation's id (schema 5), shipped method rules (schema 4).
const MAY_GROW: &[&str] = &[
    "schema_migrations",
    "audit_log",
    "settings",
    "framework_method_rules",
];

/// Tables that grow when an earlier shipped framework version is moved to today's (the new version's
/// row, groups and criteria), and only then.
const GROW_WITH_SHIPPED_UPGRADE: &[&str] = &["frameworks", "framework_groups", "criteria"];

/// Every old row of every old table is still there in `new` (read from `conn`), with the same values
/// in its old columns, but for the changes [`change_allowed`] explains; a row the upgrade moved from
/// an earlier shipped version's criterion to the same criterion of today's (a mapping, a judgement, a
/// mapping removal) reads as it was ([`moved_criteria`]).
pub fn assert_old_rows_kept(
    schema: i64,
    old: &Tables,
    conn: &Connection,
    had_rules: &BTreeSet<i64>,
) {
    let new = read_tables(conn, Some(old), &moved_criteria(conn));
    let upgraded = !shipped_upgrades(conn).is_empty();
    let mut problems = Vec::new();
    for (name, before) in old {
        let Some(after) = new.get(name) else {
            problems.push(format!("table {name} is gone"));
            continue;
        };
        for (key, values) in &before.rows {
            let Some(now) = after.rows.get(key) else {
                problems.push(format!("{name} {key}: row gone"));
                continue;
            };
            for ((column, was), is) in before.columns.iter().zip(values).zip(now) {
                if was != is && !change_allowed(name, column, key, conn, had_rules) {
                    problems.push(format!("{name} {key}.{column}: {was:?} became {is:?}"));
                }
            }
        }
        let added = after.rows.len().saturating_sub(before.rows.len());
        let may_grow = MAY_GROW.contains(&name.as_str())
            || (upgraded && GROW_WITH_SHIPPED_UPGRADE.contains(&name.as_str()));
        if added > 0 && !may_grow {
            problems.push(format!("{name}: {added} rows added by the upgrade"));
        }
    }
    assert!(
        problems.is_empty(),
        "schema {schema}: the upgrade changed old rows:\n{}",
        problems.join("\n")
    );
}

/// An item as the old database holds it.
#[derive(Debug)]
pub struct OldItem {
    pub uuid: String,
    /// The username of the learner who owns it (schema 2 and later).
    pub owner: Option<String>,
    pub number: i64,
    pub title: String,
    pub version: i64,
    pub body: String,
    /// (version, title, status), oldest first.
    pub versions: Vec<(i64, String, String)>,
    pub refs: BTreeSet<String>,
    pub files: BTreeSet<String>,
}

pub fn old_items(conn: &Connection) -> Vec<OldItem> {
    let owner = match conn.prepare("SELECT 1 FROM users") {
        Ok(_) => "(SELECT username FROM users u WHERE u.learner_id = e.learner_id)",
        Err(_) => "NULL",
    };
    let sql = format!(
        "SELECT e.id, e.uuid, {owner}, e.number, e.title, e.version, e.body_md FROM evidence e ORDER BY e.id"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows: Vec<(i64, OldItem)> = stmt
        .query_map([], |row| {
            let item = OldItem {
                uuid: row.get(1)?,
                owner: row.get(2)?,
                number: row.get(3)?,
                title: row.get(4)?,
                version: row.get(5)?,
                body: row.get(6)?,
                versions: Vec::new(),
                refs: BTreeSet::new(),
                files: BTreeSet::new(),
            };
            Ok((row.get(0)?, item))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut versions = conn
        .prepare("SELECT version, title, status FROM evidence_versions WHERE evidence_id = ?1 ORDER BY version")
        .unwrap();
    rows.into_iter()
        .map(|(id, mut item)| {
            item.versions = versions
                .query_map([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let refs = "SELECT f.code || ':' || c.code FROM mappings m JOIN criteria c ON c.id = m.criterion_id
                          JOIN frameworks f ON f.id = c.framework_id WHERE m.evidence_id = ?1";
            item.refs = strings(conn, refs, id).into_iter().collect();
            let files = "SELECT sha256 FROM attachments WHERE evidence_id = ?1";
            item.files = strings(conn, files, id).into_iter().collect();
            item
        })
        .collect()
}

pub fn sha256_file(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// Every file under `attachments/`, by path, with the SHA-256 of its content.
pub fn blob_hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.join("attachments")];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let hash = sha256_file(&path);
                found.insert(path, hash);
            }
        }
    }
    found
}

/// A copy of a fixture's data directory (the database and the attachments).
pub fn copy_tree(from: &Path, to: &Path) {
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
