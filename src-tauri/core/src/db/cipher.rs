//! Encryption at rest for the database file: SQLCipher (through rusqlite's `bundled-sqlcipher`:
//! AES-256 in CBC with an HMAC-SHA512 on every page) under a random 256-bit data key given raw, so no
//! passphrase derivation runs when a connection opens. A file written this way has no readable
//! header, and `sqlite3` answers "file is not a database".
//!
//! This layer only encrypts and opens with a key it is given: where the key comes from — sealed for
//! each account with that account's password — is `accounts::keyring`; attachments are sealed by
//! `blob_cipher`. `encrypt_in_place` turns an existing plaintext data
//! directory's database into an encrypted one safely: an encrypted copy first, checked table by
//! table against the original, then swapped in by a rename, so a crash at any point leaves one
//! whole database (the old one, or the new one).

use std::path::Path;

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::error::{io_error, CoreError, Result};

/// The first 16 bytes of every plaintext SQLite database.
const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database's data key (wiped from memory when dropped; never printed).
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    /// A new key from the operating system's random numbers.
    pub fn generate() -> Result<DataKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut())
            .map_err(|e| CoreError::Io(format!("the system gave no random bytes: {e}")))?;
        Ok(DataKey(bytes))
    }

    /// A key from its 32 bytes (as unsealed from where it is kept).
    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    /// The key's bytes, for sealing it.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The statement that gives SQLCipher this key as a raw key (hex: nothing to quote or escape).
    fn pragma(&self, schema: &str) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "PRAGMA {schema}.key = \"x'{}'\";",
            hex::encode(self.0.as_ref())
        ))
    }
}

/// Whether the database file at `path` is plaintext SQLite (`None` when it does not exist or is
/// empty, as a new database is before its first write).
pub(crate) fn is_plaintext(path: &Path) -> Result<Option<bool>> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(e, &path.display().to_string())),
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(io_error(e, &path.display().to_string())),
        }
    }
    Ok(match read {
        0 => None,
        _ => Some(&header == PLAINTEXT_HEADER),
    })
}

/// Gives an opened connection its key; must come before anything else reads the file. A wrong key
/// (or a plaintext file, or one that is not a database) is found at once, not at the first query.
pub(crate) fn unlock(conn: &Connection, key: &DataKey) -> Result<()> {
    // A wrong key is answered below; SQLCipher's own log of it on standard error is not wanted.
    let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
    conn.execute_batch(&key.pragma("main"))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|_| {
            CoreError::Database(
                "the database cannot be opened with this key: it is not this portfolio's, or the file is damaged".into(),
            )
        })
}

/// The tables of a database and their row counts, to compare a copy with its original (virtual
/// tables included: the search index counts the items it indexes).
fn table_rows(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut names = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names: Vec<String> = names
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|name| {
            // Table names come from the database's own catalogue, quoted as identifiers.
            let quoted = name.replace('"', "\"\"");
            let count =
                conn.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |row| {
                    row.get(0)
                })?;
            Ok((name, count))
        })
        .collect()
}

/// How many items the search index finds for a broad query: the same in a copy as in its original.
fn search_answer(conn: &Connection) -> Option<i64> {
    conn.query_row(
        "SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH 'a* OR e* OR i* OR o* OR t*'",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// Encrypts the plaintext database of `data_dir` with `key`, in place (see the module comment).
/// Nothing else may have the portfolio open. Returns the number of tables copied.
pub(crate) fn encrypt_in_place(data_dir: &Path, key: &DataKey) -> Result<usize> {
    let path = data_dir.join(super::DATABASE_FILE);
    let shown = path.display().to_string();
    match is_plaintext(&path)? {
        Some(true) => {}
        Some(false) => {
            return Err(CoreError::Conflict(format!(
                "{shown} is already encrypted (or is not a database)"
            )))
        }
        None => return Err(CoreError::not_found("database", shown)),
    }
    let copy = data_dir.join(format!("{}.encrypting", super::DATABASE_FILE));
    // A copy left by an earlier attempt that stopped half-way is not trusted: made again.
    match std::fs::remove_file(&copy) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(e, &shown)),
        _ => {}
    }
    let plain = Connection::open(&path)?;
    // Every change in the write-ahead log into the file first, and nobody else writing meanwhile.
    plain.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    // SQLite keeps write-ahead logging while another connection has the file open: that one
    // would go on writing into the old file after the swap, so nothing starts.
    let open_elsewhere = || {
        CoreError::Conflict(format!(
            "{shown} is open elsewhere (another window, a command or long work): close it and try again"
        ))
    };
    let mode: String = match plain.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)) {
        Ok(mode) => mode,
        Err(e) => match CoreError::from(e) {
            CoreError::Busy => return Err(open_elsewhere()),
            other => return Err(other),
        },
    };
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(open_elsewhere());
    }
    let copy_text = copy.to_string_lossy().replace('\'', "''");
    plain.execute_batch(&format!(
        "ATTACH DATABASE '{copy_text}' AS encrypted KEY \"x'{}'\";",
        hex::encode(key.0.as_ref())
    ))?;
    let original = table_rows(&plain)?;
    let searched = search_answer(&plain);
    // Every table, index, trigger and virtual table (the search index with its contents), copied.
    plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    let version: i64 = plain.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version};"))?;
    plain.execute_batch("DETACH DATABASE encrypted;")?;
    drop(plain);
    // The copy, opened on its own with the key: whole, the same schema version, every table with
    // every row.
    let check = Connection::open(&copy)?;
    unlock(&check, key)?;
    let integrity: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let copy_version: i64 = check.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let reopened = table_rows(&check)?;
    let found = search_answer(&check);
    drop(check);
    if integrity != "ok" || copy_version != version || reopened != original || found != searched {
        let _ = std::fs::remove_file(&copy);
        return Err(CoreError::Database(format!(
            "the encrypted copy of {shown} did not match it (integrity: {integrity}); the database was left as it was"
        )));
    }
    super::data_dir::restrict_to_owner(&copy, false)?;
    std::fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(e, &shown))?;
    // The old write-ahead files belong to the plaintext file: gone before the copy takes its name.
    for suffix in ["-wal", "-shm"] {
        match std::fs::remove_file(data_dir.join(format!("{}{suffix}", super::DATABASE_FILE))) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(e, &shown)),
            _ => {}
        }
    }
    std::fs::rename(&copy, &path).map_err(|e| io_error(e, &shown))?;
    crate::durable::sync_folders_of([path.as_path()]).map_err(|e| io_error(e, &shown))?;
    Ok(original.len())
}
