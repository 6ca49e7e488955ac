//! What the shell keeps between commands: the open store (one connection, behind a mutex: commands
//! run on a thread pool, and SQLite connections are used by one thread at a time; none yet for an
//! encrypted portfolio until the first sign-in unseals its key) — or, on a centre computer that runs
//! the centre service, the session with the service instead (`with_portfolio`), the long jobs
//! running beside it (each on a fork of the store: see `jobs`), and the paths of the files last
//! dropped on the window and of the bundle last imported, which never travel to the webview.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use evidence_core::accounts::{UnlockAttempts, User};
use evidence_core::service::{Client, Portfolio};
use evidence_core::{CoreError, ErrorPayload, Store};
use serde::Serialize;

use crate::jobs::Jobs;

pub struct AppState {
    /// `None` while an encrypted portfolio waits for its first sign-in, and always when the app is a
    /// client of the centre service.
    store: Mutex<Option<Store>>,
    /// The centre service's socket, when the app is its client (see `docs/install.md`).
    pub service: Option<PathBuf>,
    /// The session with the centre service, once someone signed in through it.
    session: Mutex<Option<Client>>,
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
        let store = match Store::is_encrypted(data_dir)? {
            true => None,
            false => Some(Store::open(data_dir)?),
        };
        Ok(AppState::holding(store, None, data_dir))
    }

    /// The app as a client of the centre service at `socket`: it opens no data directory itself.
    pub fn through_service(socket: &Path) -> AppState {
        AppState::holding(None, Some(socket.to_path_buf()), socket)
    }

    fn holding(store: Option<Store>, service: Option<PathBuf>, data_dir: &Path) -> AppState {
        AppState {
            store: Mutex::new(store),
            service,
            session: Mutex::new(None),
            unlocking: Mutex::new(UnlockAttempts::default()),
            dropped: Mutex::new(Vec::new()),
            last_bundle: Mutex::new(None),
            jobs: Jobs::default(),
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Runs `work` with the portfolio wherever it is — the embedded store, or the centre service
    /// through this app's session — for the operations both answer ([`Portfolio`]).
    pub fn with_portfolio<T>(
        &self,
        work: impl FnOnce(&mut dyn Portfolio) -> Result<T, CoreError>,
    ) -> Result<T, ErrorPayload> {
        if self.service.is_none() {
            return self.with_store(|store| work(store));
        }
        match held(&self.session)?.as_mut() {
            Some(client) => work(client).map_err(|e| e.to_payload()),
            None => Err(CoreError::Unauthenticated("sign in first".into()).to_payload()),
        }
    }

    /// Ends the session: the embedded store's, or the one with the centre service.
    pub fn sign_out(&self) -> Result<(), ErrorPayload> {
        if self.service.is_none() {
            return self.with_store(|s| s.sign_out());
        }
        let ended = held(&self.session)?.take();
        match ended {
            Some(client) => client.sign_out().map_err(|e| e.to_payload()),
            None => Ok(()),
        }
    }

    /// Who is signed in, wherever the portfolio is.
    pub fn current_user(&self) -> Result<Option<User>, ErrorPayload> {
        if self.service.is_none() {
            return self.with_store(|s| Ok(s.current_user()));
        }
        Ok(held(&self.session)?.as_ref().map(|c| c.user().clone()))
    }

    /// Runs `work` with the store; a core error becomes the `{code, message}` the UI receives.
    pub fn with_store<T>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, ErrorPayload> {
        if let Some(socket) = &self.service {
            return Err(CoreError::InvalidInput(format!(
                "this does not run through the centre service ({}) yet: ask the centre's administrator (see docs/install.md)",
                socket.display()
            ))
            .to_payload());
        }
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
    /// Through the centre service: whether nobody is signed in.
    pub fn is_locked(&self) -> Result<bool, ErrorPayload> {
        if self.service.is_some() {
            return Ok(held(&self.session)?.is_none());
        }
        Ok(self.lock_store()?.is_none())
    }

    /// Signs in; the first sign-in on an encrypted portfolio opens it with the key it unseals.
    /// Through the centre service, it opens a session there (ending the one before).
    pub fn sign_in(&self, username: &str, password: Option<&str>) -> Result<User, ErrorPayload> {
        if let Some(socket) = &self.service {
            let client = Client::sign_in(socket, username, password).map_err(|e| e.to_payload())?;
            let user = client.user().clone();
            if let Some(before) = held(&self.session)?.replace(client) {
                let _ = before.sign_out();
            }
            return Ok(user);
        }
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
        held(&self.store)
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

fn held<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>, ErrorPayload> {
    mutex.lock().map_err(|_| {
        ErrorPayload::internal("an earlier operation failed badly; restart Evidence Tracker")
    })
}
