//! Opening a store: the database (created and migrated by `db`), the shipped frameworks loaded into
//! an empty one, and who acts before anyone signs in. It sits above the domain modules it calls.

use std::path::Path;
use std::sync::Arc;

use super::Store;
use crate::db::{DataKey, Db, DATABASE_FILE};
use crate::error::{CoreError, Result};

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, applies pending migrations and loads the
    /// shipped frameworks into an empty database. A portfolio in a directory that cannot be written
    /// (a backup, read-only media) opens for reading; every write then fails with `read_only`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        Store::open_with_key(data_dir, None)
    }

    /// As [`Store::open`], for a portfolio whose database is encrypted with `key` (a new one is
    /// created encrypted). Accounts open an encrypted portfolio with [`Store::open_signed_in`], which
    /// unseals the key from the keyring; this is for whoever holds the key (tests, benchmarks).
    pub fn open_encrypted(data_dir: &Path, key: DataKey) -> Result<Store> {
        Store::open_with_key(data_dir, Some(Arc::new(key)))
    }

    /// Encrypts the plaintext portfolio in `data_dir` with `key`, in place and safely (an encrypted
    /// copy, checked table by table, then swapped in); nothing else may have it open. Attachments
    /// are sealed by [`Store::encrypt_at_rest`], not here. Returns the number of tables copied. An account's way to do this, with
    /// the key sealed for them, is [`Store::encrypt_at_rest`].
    pub fn encrypt_in_place(data_dir: &Path, key: &DataKey) -> Result<usize> {
        crate::db::cipher::encrypt_in_place(data_dir, key)
    }

    /// Encrypts this store's own portfolio with `key`: its connection is closed, the database
    /// encrypted in place, and the store reopened over the encrypted file (or, when that failed, over
    /// the plaintext one it left, with the error).
    pub(crate) fn reopen_encrypted(&mut self, key: DataKey) -> Result<usize> {
        let Some(data_dir) = self.db.data_dir().map(Path::to_path_buf) else {
            return Err(CoreError::invalid("a portfolio in memory is not encrypted"));
        };
        drop(std::mem::replace(&mut self.db, Db::open_in_memory()?));
        match crate::db::cipher::encrypt_in_place(&data_dir, &key) {
            Ok(tables) => {
                self.db = Db::open_writable(&data_dir, Some(Arc::new(key)))?;
                Ok(tables)
            }
            Err(e) => {
                self.db = Db::open_writable(&data_dir, None)?;
                Err(e)
            }
        }
    }

    /// Where this store's accounts' seals of its data key are kept, with the key: `None` for a
    /// plaintext portfolio.
    pub(crate) fn keyring_keeper(&self) -> Option<crate::accounts::keyring::Keeper> {
        let data_dir = self.db.data_dir()?.to_path_buf();
        let key = self.db.key()?.clone();
        Some(crate::accounts::keyring::Keeper { data_dir, key })
    }

    fn open_with_key(data_dir: &Path, key: Option<Arc<DataKey>>) -> Result<Store> {
        match Store::open_writable(data_dir, key.clone()) {
            Err(CoreError::ReadOnly(reason)) if data_dir.join(DATABASE_FILE).is_file() => {
                Store::open_read_only(data_dir, key).map_err(|_| CoreError::ReadOnly(reason))
            }
            other => other,
        }
    }

    fn open_writable(data_dir: &Path, key: Option<Arc<DataKey>>) -> Result<Store> {
        let mut store = Store::over(Db::open_writable(data_dir, key)?);
        store.prepare()?;
        Ok(store)
    }

    /// Opens an existing portfolio without writing anything to its directory.
    fn open_read_only(data_dir: &Path, key: Option<Arc<DataKey>>) -> Result<Store> {
        let mut store = Store::over(Db::open_read_only(data_dir, key)?);
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
