//! Shared fixtures: a store in a temporary directory, a learner enrolled on the shipped frameworks, and
//! a logical dump of the whole database for "nothing changed" assertions.

use chrono::NaiveDate;
use evidence_core::evidence::{Evidence, Method, NewEvidence, Status};
use evidence_core::{CriterionRef, Store};
use rusqlite::types::ValueRef;
use tempfile::TempDir;

pub struct Fixture {
    pub dir: TempDir,
    pub store: Store,
}

pub fn fresh() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    Fixture { dir, store }
}

/// A learner enrolled on the NOCN unit PWC and the CD-NOS standard CLDSCCD15 (31 criteria).
pub fn enrolled(store: &mut Store, name: &str) -> String {
    let learner = store.add_learner(name, None).unwrap();
    store
        .enrol(&learner.id, "NOCN-L3-CD", &["PWC".into()])
        .unwrap();
    store.enrol(&learner.id, "CD-NOS", &[]).unwrap();
    learner.id
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn add(store: &mut Store, learner: &str, title: &str, status: Status, day: &str) -> Evidence {
    store
        .add_evidence(&NewEvidence {
            learner: learner.into(),
            title: title.into(),
            method: Method::DirectObservation,
            activity_date: date(day),
            body_markdown: format!("Account of {title}."),
            status,
            witness: Default::default(),
        })
        .unwrap()
}

pub fn refs(list: &[&str]) -> Vec<CriterionRef> {
    list.iter()
        .map(|r| CriterionRef::parse(r).unwrap())
        .collect()
}

/// Every row of every table, ordered, as text: equal dumps mean equal databases.
pub fn dump(store: &Store) -> String {
    let conn = store.raw_connection_for_tests();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("evidence_fts_"));
    let mut out = String::new();
    for table in tables {
        out.push_str(&format!("## {table}\n"));
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |row| {
                let mut line = Vec::new();
                for i in 0..columns {
                    line.push(match row.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("blob{b:?}"),
                    });
                }
                Ok(line.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push_str(&rows.join("\n"));
        out.push('\n');
    }
    out
}

/// The files under the attachments folder, with their sizes.
pub fn blob_files(fixture: &Fixture) -> Vec<(String, u64)> {
    let root = fixture.dir.path().join("attachments");
    let mut files = Vec::new();
    let Ok(shards) = std::fs::read_dir(&root) else {
        return files;
    };
    for shard in shards {
        let shard = shard.unwrap().path();
        if shard.is_dir() {
            for file in std::fs::read_dir(&shard).unwrap() {
                let file = file.unwrap();
                files.push((
                    file.path().display().to_string(),
                    file.metadata().unwrap().len(),
                ));
            }
        } else {
            files.push((shard.display().to_string(), shard.metadata().unwrap().len()));
        }
    }
    files.sort();
    files
}

/// The audit entries `filter` (an SQL condition) selects, read from the rows as they are.
pub fn audit_entries(
    conn: &rusqlite::Connection,
    filter: &str,
) -> Vec<evidence_core::audit::AuditEntry> {
    let sql = format!(
        "SELECT seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after, prev_hash, hash, key_id, signature
         FROM audit_log WHERE {filter} ORDER BY seq"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt.query_map([], |r| {
        Ok(evidence_core::audit::AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            user_id: r.get(2)?,
            user_name: r.get(3)?,
            action: r.get(4)?,
            subject: r.get(5)?,
            learner_id: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
            key_id: r.get(11)?,
            signature: r.get(12)?,
        })
    });
    rows.unwrap().collect::<Result<_, _>>().unwrap()
}
