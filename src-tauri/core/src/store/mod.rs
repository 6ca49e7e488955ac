//! The portfolio store: one SQLite file plus a content-addressed attachment folder in a data directory.
//!
//! The connection policy (WAL, foreign keys, busy timeout) is set once here, and every write goes through
//! [`Store::write`], which runs it as one IMMEDIATE transaction: either all of an operation lands, or
//! nothing does.

mod data_dir;
mod files;
mod migrate;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{io_error, CoreError, Result};

pub use data_dir::{default_data_dir, APP_IDENTIFIER, DATA_DIR_ENV};
pub use files::write_file_atomically;
pub use migrate::SCHEMA_VERSION;

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "evidence.sqlite3";
/// Folder of attachment blobs inside the data directory.
pub const BLOBS_DIR: &str = "attachments";

/// An open portfolio store.
pub struct Store {
    conn: Connection,
    data_dir: Option<PathBuf>,
    pub(crate) scopes: crate::gaps::ScopeCache,
    /// For whom operations run; `None` until someone signs in (see [`crate::access`]).
    pub(crate) actor: Option<crate::access::Actor>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, applies pending migrations and loads the
    /// shipped frameworks into an empty database. A portfolio in a directory that cannot be written
    /// (a backup, read-only media) opens for reading; every write then fails with `read_only`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        match Store::open_writable(data_dir) {
            Err(CoreError::ReadOnly(reason)) if data_dir.join(DATABASE_FILE).is_file() => {
                Store::open_read_only(data_dir).map_err(|_| CoreError::ReadOnly(reason))
            }
            other => other,
        }
    }

    fn open_writable(data_dir: &Path) -> Result<Store> {
        let shown = data_dir.display().to_string();
        let created_dir = !data_dir.exists();
        std::fs::create_dir_all(data_dir).map_err(|e| io_error(e, &shown))?;
        let db_path = data_dir.join(DATABASE_FILE);
        let created_db = !db_path.exists();
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A portfolio is personal data: only its owner may read what this call creates.
        if created_dir {
            data_dir::restrict_to_owner(data_dir, true)?;
        }
        if created_db {
            data_dir::restrict_to_owner(&db_path, false)?;
        }
        let mut store = Store {
            conn,
            data_dir: Some(data_dir.to_path_buf()),
            scopes: Default::default(),
            actor: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Opens an existing portfolio without writing anything to its directory.
    fn open_read_only(data_dir: &Path) -> Result<Store> {
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
        let conn = Connection::open_with_flags(
            format!("file:{path}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        migrate::check_current(&conn)?;
        let mut store = Store {
            conn,
            data_dir: Some(data_dir.to_path_buf()),
            scopes: Default::default(),
            actor: None,
        };
        store.actor_at_open()?;
        Ok(store)
    }

    /// An in-memory store with no data directory (attachments are refused); for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            data_dir: None,
            scopes: Default::default(),
            actor: None,
        };
        store.prepare()?;
        Ok(store)
    }

    fn prepare(&mut self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL lets a reader (the app) and a writer (the CLI) share the file; NORMAL sync is durable
        // across application crashes in WAL mode.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::apply_pending(&mut self.conn)?;
        self.actor_at_open()?;
        crate::frameworks::shipped::load_if_empty(self)?;
        Ok(())
    }

    /// A portfolio without accounts acts for the computer's owner; one with accounts waits for a
    /// sign-in.
    fn actor_at_open(&mut self) -> Result<()> {
        self.actor = if self.user_count()? == 0 {
            Some(crate::access::Actor::Owner)
        } else {
            None
        };
        Ok(())
    }

    /// The data directory, if the store lives on disk.
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// Read access to the connection.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` as one IMMEDIATE transaction: it commits only if `work` returns `Ok`.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Gives raw connection access to tests and benchmarks in this crate's integration tests.
    #[doc(hidden)]
    pub fn conn_mut_for_tests(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
