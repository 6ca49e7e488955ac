//! What the shell keeps between commands: the open store (one connection, behind a mutex: commands
//! run on a thread pool, and SQLite connections are used by one thread at a time; none yet for an
//! encrypted portfolio until the first sign-in unseals its key), the long jobs
//! running beside it (each on a fork of the store: see `jobs`), and the paths of the files last
//! dropped on the window and of the bundle last imported, which never travel to the webview.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use evidence_core::accounts::{UnlockAttempts, User};
use evidence_core::{CoreError, ErrorPayload, Store};
use serde::Serialize;

use crate::jobs::Jobs;

pub struct AppState {
    /// `None` while an encrypted portfolio waits for its first sign-in.
    store: Mutex<Option<Store>>,
    /// Failed attempts at opening the encrypted portfolio (its own back-off is inside it).
    unlocking: Mutex<UnlockAttempts>,
    dropped: Mutex<Vec<PathBuf>>,
    /// The bundle last chosen for import, whose carried frameworks the user may then load.
    last_bundle: Mutex<Option<PathBuf>>,
    pub jobs: Jobs,
    pub data_dir: PathBuf,
}

/// What the webview is told about dropped files: how many, and their names (not their paths).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Dropped {
    pub count: usize,
    pub names: Vec<String>,
}

impl AppState {
    pub fn open(data_dir: &Path) -> Result<AppState, CoreError> {
        Ok(AppState {
            store: Mutex::new(match Store::is_encrypted(data_dir)? {
                true => None,
                false => Some(Store::open(data_dir)?),
            }),
            unlocking: Mutex::new(UnlockAttempts::default()),
            dropped: Mutex::new(Vec::new()),
            last_bundle: Mutex::new(None),
            jobs: Jobs::default(),
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// Runs `work` with the store; a core error becomes the `{code, message}` the UI receives.
    pub fn with_store<T>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, ErrorPayload> {
        let mut store = self.lock_store()?;
        match store.as_mut() {
            Some(store) => work(store).map_err(|e| e.to_payload()),
            None => Err(CoreError::Unauthenticated(
                "this portfolio is encrypted: sign in to open it".into(),
            )
            .to_payload()),
        }
    }

    /// Whether the portfolio is encrypted and nobody has opened it since the app started.
    pub fn is_locked(&self) -> Result<bool, ErrorPayload> {
        Ok(self.lock_store()?.is_none())
    }

    /// Signs in; the first sign-in on an encrypted portfolio opens it with the key it unseals.
    pub fn sign_in(&self, username: &str, password: Option<&str>) -> Result<User, ErrorPayload> {
        let mut held = self.lock_store()?;
        if let Some(store) = held.as_mut() {
            return store
                .sign_in(username, password)
                .map_err(|e| e.to_payload());
        }
        // Opening an encrypted portfolio is this sign-in: the password was checked in opening it.
        let mut attempts = self.unlocking.lock().map_err(|_| {
            ErrorPayload::internal("an earlier operation failed badly; restart Evidence Tracker")
        })?;
        let opened = attempts.open_signed_in(&self.data_dir, username, password);
        let store = held.insert(opened.map_err(|e| e.to_payload())?);
        store.current_user().ok_or_else(|| {
            CoreError::Unauthenticated("the sign-in did not take: try again".into()).to_payload()
        })
    }

    /// Another connection to the portfolio, acting for the same user, for long work to use outside
    /// the mutex (the mutex is held only while it is opened).
    pub fn fork(&self) -> Result<Store, ErrorPayload> {
        self.with_store(|s| s.fork())
    }

    fn lock_store(&self) -> Result<MutexGuard<'_, Option<Store>>, ErrorPayload> {
        self.store.lock().map_err(|_| {
            ErrorPayload::internal("an earlier operation failed badly; restart Evidence Tracker")
        })
    }

    /// Remembers dropped files until the UI says which evidence item they belong to.
    pub fn hold_dropped(&self, paths: Vec<PathBuf>) -> Dropped {
        let names = paths
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let count = paths.len();
        if let Ok(mut held) = self.dropped.lock() {
            *held = paths;
        }
        Dropped { count, names }
    }

    /// The files dropped last, handed over once.
    /// Remembers the bundle chosen for import.
    pub fn hold_bundle(&self, path: &Path) {
        if let Ok(mut held) = self.last_bundle.lock() {
            *held = Some(path.to_path_buf());
        }
    }

    /// The bundle last chosen for import, if any.
    pub fn last_bundle(&self) -> Option<PathBuf> {
        self.last_bundle.lock().ok().and_then(|held| held.clone())
    }

    pub fn take_dropped(&self) -> Vec<PathBuf> {
        self.dropped
            .lock()
            .map(|mut held| std::mem::take(&mut *held))
            .unwrap_or_default()
    }
}
