//! The database layer: one SQLite file plus a content-addressed attachment folder in a data
//! directory. It opens connections with one policy (WAL, foreign keys, busy timeout), applies the
//! migrations, and runs every write as one IMMEDIATE transaction. It knows nothing of users,
//! permissions or the audit trail: those are the layers above (`store`, `access`, the domain modules).

pub(crate) mod blob_cipher;
pub(crate) mod cipher;
mod data_dir;
pub(crate) mod files;
mod migrate;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{io_error, CoreError, Result};

pub use cipher::DataKey;
pub use data_dir::{default_data_dir, APP_IDENTIFIER, DATA_DIR_ENV};
pub use files::write_file_atomically;
pub use migrate::SCHEMA_VERSION;

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "evidence.sqlite3";
/// Folder of attachment blobs inside the data directory.
pub const BLOBS_DIR: &str = "attachments";

/// One connection to a portfolio's database, and where the portfolio lives.
pub(crate) struct Db {
    conn: Connection,
    data_dir: Option<PathBuf>,
    /// The data key of an encrypted database, for the connections opened after this one.
    key: Option<Arc<DataKey>>,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir` and applies pending migrations; with
    /// `key`, the database is encrypted (a new one is created encrypted).
    pub(crate) fn open_writable(data_dir: &Path, key: Option<Arc<DataKey>>) -> Result<Db> {
        let shown = data_dir.display().to_string();
        let created_dir = !data_dir.exists();
        std::fs::create_dir_all(data_dir).map_err(|e| io_error(e, &shown))?;
        let db_path = data_dir.join(DATABASE_FILE);
        let created_db = !db_path.exists();
        check_key_fits(&db_path, key.as_deref())?;
        let mut conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &key {
            cipher::unlock(&conn, key)?;
        }
        // A portfolio is personal data: only its owner may read it. What this call creates must be
        // private; a directory an earlier version (or a copy) left readable by others is closed
        // again where the file system allows it (a FAT stick has no permissions to set).
        let restricted = data_dir::restrict_to_owner(data_dir, true)
            .and_then(|()| data_dir::restrict_to_owner(&db_path, false));
        if created_dir || created_db {
            restricted?;
        }
        set_connection_policy(&conn)?;
        migrate::apply_pending(&mut conn)?;
        Ok(Db {
            conn,
            data_dir: Some(data_dir.to_path_buf()),
            key,
        })
    }

    /// Opens an existing database without writing anything to its directory.
    pub(crate) fn open_read_only(data_dir: &Path, key: Option<Arc<DataKey>>) -> Result<Db> {
        let db_path = data_dir.join(DATABASE_FILE);
        let wal = data_dir.join(format!("{DATABASE_FILE}-wal"));
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(CoreError::ReadOnly(format!(
                "{} holds changes not yet merged into the database; open it once where it can be written",
                wal.display()
            )));
        }
        // `immutable`: nothing can change a file in a read-only directory, so SQLite needs no locks
        // or shared-memory file beside it.
        let path = db_path
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        check_key_fits(&db_path, key.as_deref())?;
        let conn = Connection::open_with_flags(
            format!("file:{path}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &key {
            cipher::unlock(&conn, key)?;
        }
        migrate::check_current(&conn)?;
        Ok(Db {
            conn,
            data_dir: Some(data_dir.to_path_buf()),
            key,
        })
    }

    /// An in-memory database with no data directory (attachments are refused).
    pub(crate) fn open_in_memory() -> Result<Db> {
        let mut conn = Connection::open_in_memory()?;
        set_connection_policy(&conn)?;
        migrate::apply_pending(&mut conn)?;
        Ok(Db {
            conn,
            data_dir: None,
            key: None,
        })
    }

    /// Another connection to the same database, opened the way this one was. The schema is already
    /// current, so nothing is migrated.
    pub(crate) fn reconnect(&self) -> Result<Db> {
        let Some(data_dir) = self.data_dir.as_deref() else {
            return Err(CoreError::invalid(
                "an in-memory portfolio has one connection and cannot be shared",
            ));
        };
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Db::open_read_only(data_dir, self.key.clone());
        }
        let conn = Connection::open_with_flags(
            data_dir.join(DATABASE_FILE),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &self.key {
            cipher::unlock(&conn, key)?;
        }
        set_connection_policy(&conn)?;
        Ok(Db {
            conn,
            data_dir: Some(data_dir.to_path_buf()),
            key: self.key.clone(),
        })
    }

    /// The data directory, if the database lives on disk.
    pub(crate) fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// The connection, for reads.
    /// The data key this database is encrypted with, if it is.
    pub(crate) fn key(&self) -> Option<&Arc<DataKey>> {
        self.key.as_ref()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    #[cfg(feature = "test-support")]
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `work` as one IMMEDIATE transaction: it commits only if `work` returns `Ok`.
    pub(crate) fn write<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// An encrypted database needs its key, and a key is for an encrypted (or new) database: either
/// mismatch is said plainly rather than met as "file is not a database" at the first query.
fn check_key_fits(db_path: &Path, key: Option<&DataKey>) -> Result<()> {
    match (cipher::is_plaintext(db_path)?, key) {
        (Some(false), None) => Err(CoreError::Unauthenticated(format!(
            "{} is encrypted: it opens only with its key",
            db_path.display()
        ))),
        (Some(true), Some(_)) => Err(CoreError::Conflict(format!(
            "{} is not encrypted; encrypt it first",
            db_path.display()
        ))),
        _ => Ok(()),
    }
}

/// What every read-write connection is set to. WAL lets a reader (the app) and a writer (the CLI, or
/// the app's own long work) share the file; NORMAL sync is durable across application crashes in WAL
/// mode; foreign keys are enforced.
fn set_connection_policy(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    enter_wal_mode(conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// How long a connection waits for another program's lock before giving up with `busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Switches the file to WAL. Switching a new file needs a moment's exclusive lock, and SQLite answers
/// `SQLITE_BUSY` at once, without its busy handler, when another process holds any lock then (several
/// processes creating one portfolio together), so the switch is retried here for the same time a
/// busy lock is waited for elsewhere.
fn enter_wal_mode(conn: &Connection) -> Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::DatabaseBusy
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another program is writing to a file not yet in WAL while this one opens it: the open waits
    /// for the write to end instead of failing with `busy`.
    #[test]
    fn opening_a_file_another_process_is_writing_waits_for_the_write_instead_of_failing_busy() {
        let dir = tempfile::tempdir().unwrap();
        let holder = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        // A write begun in the file's first journal mode: the file can still be read, but not written.
        holder
            .execute_batch("CREATE TABLE held (x); BEGIN IMMEDIATE; INSERT INTO held VALUES (1);")
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            holder.execute_batch("COMMIT").unwrap();
        });
        let started = Instant::now();
        let db = Db::open_writable(dir.path(), None).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(250));
        release.join().unwrap();
        let mode: String = db
            .conn()
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        migrate::check_current(db.conn()).unwrap();
    }
}
