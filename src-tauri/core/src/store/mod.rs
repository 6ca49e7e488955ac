//! The store: a connection to one portfolio ([`crate::db`]), for whom it acts (the signed-in user,
//! see `access`), and what it remembers between operations (the gap scopes). Every public operation
//! of the core is a method on [`Store`], each checked against the actor, each write one transaction
//! with its audit entry. Opening (migrations, shipped frameworks, who acts at first) is in `open`.

mod open;

use std::path::Path;

use rusqlite::{Connection, Transaction};

use crate::accounts::Actor;
use crate::db::Db;
use crate::error::Result;
use crate::gaps::scope_cache::ScopeCache;

pub use crate::db::{
    default_data_dir, write_file_atomically, APP_IDENTIFIER, BLOBS_DIR, DATABASE_FILE,
    DATA_DIR_ENV, SCHEMA_VERSION,
};

/// An open portfolio store.
pub struct Store {
    db: Db,
    pub(crate) scopes: ScopeCache,
    /// For whom operations run; `None` until someone signs in (see `access`).
    pub(crate) actor: Option<Actor>,
}

impl Store {
    fn over(db: Db) -> Store {
        Store {
            db,
            scopes: Default::default(),
            actor: None,
        }
    }

    /// Another connection to the same portfolio, acting for the same user: for long work (a bundle
    /// export or import, a big report) that runs on its own thread while this store goes on answering.
    /// Over WAL, reads on either never wait for the other's writes; two writes take turns.
    pub fn fork(&self) -> Result<Store> {
        let mut store = Store::over(self.db.reconnect()?);
        store.actor = self.actor.clone();
        Ok(store)
    }

    /// The data directory, if the store lives on disk.
    pub fn data_dir(&self) -> Option<&Path> {
        self.db.data_dir()
    }

    /// Read access to the connection.
    pub fn conn(&self) -> &Connection {
        self.db.conn()
    }

    /// Runs `work` as one IMMEDIATE transaction: it commits only if `work` returns `Ok`.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.db.write(work)
    }

    /// Gives raw connection access to tests and benchmarks in this crate's integration tests.
    #[doc(hidden)]
    pub fn conn_mut_for_tests(&mut self) -> &mut Connection {
        self.db.conn_mut()
    }
}
