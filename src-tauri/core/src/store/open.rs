//! Opening a store: the database (created and migrated by `db`), the shipped frameworks loaded into
//! an empty one, and who acts before anyone signs in. It sits above the domain modules it calls.

use std::path::Path;

use super::Store;
use crate::db::{Db, DATABASE_FILE};
use crate::error::{CoreError, Result};

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
        let mut store = Store::over(Db::open_writable(data_dir)?);
        store.prepare()?;
        Ok(store)
    }

    /// Opens an existing portfolio without writing anything to its directory.
    fn open_read_only(data_dir: &Path) -> Result<Store> {
        let mut store = Store::over(Db::open_read_only(data_dir)?);
        store.actor_at_open()?;
        Ok(store)
    }

    /// An in-memory store with no data directory (attachments are refused); for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store::over(Db::open_in_memory()?);
        store.prepare()?;
        Ok(store)
    }

    fn prepare(&mut self) -> Result<()> {
        self.actor_at_open()?;
        crate::frameworks::shipped::load_if_empty(self)?;
        Ok(())
    }

    /// A portfolio without accounts acts for the computer's owner; one with accounts (or that had
    /// some) waits for a sign-in.
    fn actor_at_open(&mut self) -> Result<()> {
        self.actor = self.actor_when_signed_out()?;
        Ok(())
    }
}
