//! The store: a connection to one portfolio ([`crate::db`]), for whom it acts (the signed-in user,
//! see `access`), and what it remembers between operations (the gap scopes). Every public operation
//! of the core is a method on [`Store`], each checked against the actor (`access`); a read needs the
//! proof a check gives (`Store::read`), and so does a write, which is one transaction that commits
//! only with its audit entry (`write`). Opening (migrations, shipped frameworks, who acts at first) is in `open`.

pub(crate) mod access;
mod access_table;
mod open;
pub mod permissions;
pub(crate) mod write;

use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;

use crate::accounts::keys::SessionKey;
use crate::accounts::Actor;
use crate::db::Db;
use crate::error::Result;
use crate::gaps::scope_cache::ScopeCache;
pub(crate) use write::{Allowed, ReadProof};

pub use crate::db::{
    default_data_dir, write_file_atomically, DataKey, APP_IDENTIFIER, BLOBS_DIR, DATABASE_FILE,
    DATA_DIR_ENV, SCHEMA_VERSION,
};

/// An open portfolio store.
pub struct Store {
    db: Db,
    pub(crate) scopes: ScopeCache,
    /// For whom operations run; `None` until someone signs in (see `access`).
    pub(crate) actor: Option<Actor>,
    /// The signed-in user's signing key, opened with their password at sign-in.
    pub(crate) session_key: Option<Arc<SessionKey>>,
    /// This centre's key, opened at an administrator's sign-in (see `accounts::centre`).
    pub(crate) centre_key: Option<Arc<SessionKey>>,
}

impl Store {
    fn over(db: Db) -> Store {
        Store {
            db,
            scopes: Default::default(),
            actor: None,
            session_key: None,
            centre_key: None,
        }
    }

    /// Another connection to the same portfolio, acting for the same user: for long work (a bundle
    /// export or import, a big report) that runs on its own thread while this store goes on answering.
    /// Over WAL, reads on either never wait for the other's writes; two writes take turns.
    pub fn fork(&self) -> Result<Store> {
        let mut store = Store::over(self.db.reconnect()?);
        store.actor = self.actor.clone();
        store.session_key = self.session_key.clone();
        store.centre_key = self.centre_key.clone();
        Ok(store)
    }

    /// Another connection to the same portfolio, acting for nobody until someone signs in on it:
    /// each session of the centre service (`service`) is one.
    pub(crate) fn fork_signed_out(&self) -> Result<Store> {
        Ok(Store::over(self.db.reconnect()?))
    }

    /// The data key of an encrypted portfolio, for sealing and opening its attachments.
    pub(crate) fn data_key(&self) -> Option<&crate::db::DataKey> {
        self.db.key().map(|key| key.as_ref())
    }

    /// The data directory, if the store lives on disk.
    pub fn data_dir(&self) -> Option<&Path> {
        self.db.data_dir()
    }

    /// The connection, to read what a check allowed: an operation gets it only by showing the proof
    /// its access check returned ([`Allowed`] for one portfolio or an administrator's work,
    /// [`access::Readable`] for the learners a list may show), so no read can skip its check.
    pub(crate) fn read(&self, _proof: &impl ReadProof) -> &Connection {
        self.db.conn()
    }

    /// The connection, for the few reads that come before any check or make it: finding the row
    /// an operation names (a learner by id or name, an item's learner, a judgement's learner), the
    /// access checks' own look-ups, signing in, and opening. What such a read finds is shown to the
    /// user only after the check on it passed. Every caller is listed in ARCHITECTURE.md.
    pub(crate) fn look_up(&self) -> &Connection {
        self.db.conn()
    }

    /// The connection, for this crate's unit tests.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        self.db.conn()
    }

    /// The raw connection, for this crate's integration tests and benchmarks only (the
    /// `test-support` feature, which the product never enables): they look at rows directly.
    #[cfg(feature = "test-support")]
    pub fn raw_connection_for_tests(&self) -> &Connection {
        self.db.conn()
    }

    /// As [`Store::raw_connection_for_tests`], to change rows behind the store's back.
    #[cfg(feature = "test-support")]
    pub fn conn_mut_for_tests(&mut self) -> &mut Connection {
        self.db.conn_mut()
    }
}
