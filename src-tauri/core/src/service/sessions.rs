//! The service's sessions: who signed in through which token, and when each last did something.
//! A token is 32 random bytes, given once at sign-in; the service keeps only its SHA-256, so even
//! the service's memory holds nothing a client could replay from a dump. A session not used for the
//! centre's lock time (or a test's override) is closed at its next use, as the app's idle lock
//! would, and none lives longer than [`MAX_SESSION`] whatever the setting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{CoreError, Result};
use crate::store::Store;

/// No session outlives this, even when the centre's lock is set to never.
pub(crate) const MAX_SESSION: Duration = Duration::from_secs(12 * 60 * 60);

/// Sessions open at once, at most (each holds a database connection).
pub(crate) const MAX_SESSIONS: usize = 256;

type TokenHash = [u8; 32];

struct Session {
    store: Store,
    began: Instant,
    last_used: Instant,
    /// `None`: only [`MAX_SESSION`] ends it.
    idle: Option<Duration>,
}

impl Session {
    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.began) > MAX_SESSION
            || self
                .idle
                .is_some_and(|idle| now.duration_since(self.last_used) > idle)
    }
}

#[derive(Default)]
pub(crate) struct Sessions {
    open: Mutex<HashMap<TokenHash, Arc<Mutex<Session>>>>,
}

impl Sessions {
    /// Keeps `store` (signed in) as a new session; the token to give the client.
    pub(crate) fn begin(&self, store: Store, idle: Option<Duration>) -> Result<String> {
        let mut token = [0u8; 32];
        getrandom::fill(&mut token)
            .map_err(|e| CoreError::Io(format!("no randomness for a session token: {e}")))?;
        let token = hex::encode(token);
        let now = Instant::now();
        let mut open = self.lock()?;
        open.retain(|_, session| session.lock().map(|s| !s.expired(now)).unwrap_or(false));
        if open.len() >= MAX_SESSIONS {
            return Err(CoreError::Busy);
        }
        let session = Session {
            store,
            began: now,
            last_used: now,
            idle,
        };
        open.insert(hash(&token), Arc::new(Mutex::new(session)));
        Ok(token)
    }

    /// Runs `work` on the session's store. An unknown token, or one whose session expired (which
    /// then ends, signed out), is `unauthenticated`.
    pub(crate) fn with<T>(
        &self,
        token: &str,
        work: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let key = hash(token);
        let session = self.lock()?.get(&key).cloned().ok_or_else(not_signed_in)?;
        let mut session = session
            .lock()
            .map_err(|_| CoreError::Io("a session failed badly; sign in again".into()))?;
        let now = Instant::now();
        if session.expired(now) {
            let _ = session.store.sign_out();
            drop(session);
            self.lock()?.remove(&key);
            return Err(CoreError::Unauthenticated(
                "the session was locked after a time without use: sign in again".into(),
            ));
        }
        session.last_used = now;
        work(&mut session.store)
    }

    /// Ends a session (signing its user out); an unknown token is not an error.
    pub(crate) fn end(&self, token: &str) -> Result<()> {
        let session = self.lock()?.remove(&hash(token));
        if let Some(session) = session {
            if let Ok(mut session) = session.lock() {
                session.store.sign_out()?;
            }
        }
        Ok(())
    }

    fn lock(&self) -> Result<MutexGuard<'_, HashMap<TokenHash, Arc<Mutex<Session>>>>> {
        self.open.lock().map_err(|_| {
            CoreError::Io("the session table failed badly; restart the service".into())
        })
    }
}

fn hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

fn not_signed_in() -> CoreError {
    CoreError::Unauthenticated("sign in first: this session is not open".into())
}
