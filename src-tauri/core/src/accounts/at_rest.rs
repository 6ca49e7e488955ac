//! Encryption at rest, as accounts see it: an administrator encrypts a portfolio (a random data key,
//! sealed for them in the keyring, the database encrypted in place); from then on the portfolio is
//! opened by signing in — the first sign-in unseals the key, and the store keeps it while it stays
//! open, so on a shared machine the next users sign in as usual. Whoever signs in while it is open
//! and has no seal yet (every other account, just after encrypting) gets one then; a password
//! change reseals, and a disabled account's seal is taken out.

use std::path::Path;

use serde::Serialize;

use super::keyring::Keyring;
use super::password;
use crate::audit::Change;
use crate::db::blob_cipher::{seal_stored_files, sealing_unfinished};
use crate::db::{cipher, DataKey, DATABASE_FILE};
use crate::error::{CoreError, Result};
use crate::store::Store;

/// What encrypting a portfolio did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EncryptedAtRest {
    /// Tables copied into the encrypted database (each checked row by row).
    pub tables: usize,
    /// Attached files sealed in place.
    pub attachments: usize,
    /// Accounts that cannot unlock the portfolio yet: each gets its seal at its next sign-in while
    /// the portfolio is open (or when an administrator sets its password).
    pub not_yet_sealed: Vec<String>,
}

/// Failed attempts at opening an encrypted portfolio, kept by whoever keeps trying (the app, while it
/// runs): the sign-in back-off lives inside the database, which a wrong password never opens, so
/// this holds the same rule outside it — after a few failures in a row, each further attempt must
/// wait, doubling up to fifteen minutes, whichever account is tried.
#[derive(Debug, Default)]
pub struct UnlockAttempts {
    failures: i64,
    retry_after: Option<std::time::Instant>,
}

impl UnlockAttempts {
    /// [`Store::open_signed_in`], refused while the back-off lasts.
    pub fn open_signed_in(
        &mut self,
        data_dir: &Path,
        username: &str,
        password: Option<&str>,
    ) -> Result<Store> {
        let now = std::time::Instant::now();
        if let Some(wait) = self
            .retry_after
            .and_then(|at| at.checked_duration_since(now))
        {
            return Err(CoreError::SignInDelayed {
                username: username.trim().to_string(),
                seconds: wait.as_secs() as i64 + 1,
            });
        }
        match Store::open_signed_in(data_dir, username, password) {
            Err(CoreError::SignInFailed) => {
                self.failures += 1;
                let wait = password::wait_after(self.failures);
                self.retry_after =
                    (wait > 0).then(|| now + std::time::Duration::from_secs(wait.unsigned_abs()));
                Err(CoreError::SignInFailed)
            }
            Ok(store) => {
                *self = UnlockAttempts::default();
                Ok(store)
            }
            other => other,
        }
    }
}

impl Store {
    /// Whether the portfolio in `data_dir` is encrypted: it opens only through
    /// [`Store::open_signed_in`].
    pub fn is_encrypted(data_dir: &Path) -> Result<bool> {
        Ok(cipher::is_plaintext(&data_dir.join(DATABASE_FILE))? == Some(false))
    }

    /// Opens the portfolio in `data_dir` with `username` signed in. An encrypted one is unlocked
    /// with the data key sealed for them; a wrong password, or an account without a seal, is
    /// `sign_in_failed` (the reply does not say which). A plaintext one is opened and signed in as usual.
    pub fn open_signed_in(
        data_dir: &Path,
        username: &str,
        password: Option<&str>,
    ) -> Result<Store> {
        if !Store::is_encrypted(data_dir)? {
            let mut store = Store::open(data_dir)?;
            store.sign_in(username, password)?;
            return Ok(store);
        }
        let keyring = Keyring::read(data_dir)?.ok_or_else(|| {
            CoreError::Database(format!(
                "{} is encrypted, but its keyring ({}) is missing: restore the keyring from a backup of this data directory",
                data_dir.display(),
                super::keyring::KEYRING_FILE
            ))
        })?;
        let key = match password {
            Some(password) => keyring.open(username, password)?,
            None => None,
        };
        let mut store = Store::open_encrypted(data_dir, key.ok_or(CoreError::SignInFailed)?)?;
        store.sign_in(username, password)?;
        // Encrypting was cut off while it sealed the attachments: the rest are sealed now. Where
        // that cannot be done (read-only media) the plaintext files still read, and the portfolio
        // opens all the same.
        if sealing_unfinished(data_dir) {
            let _ = store.seal_attachments();
        }
        Ok(store)
    }

    /// Encrypts this portfolio at rest (administrators, giving their password again): a new data
    /// key sealed for them, the database encrypted in place (a copy first, checked, then swapped
    /// in), then every attached file sealed in place.
    pub fn encrypt_at_rest(&mut self, password: &str) -> Result<EncryptedAtRest> {
        let allowed = self.require_admin()?;
        let me = self.signed_in()?;
        if self.keyring_keeper().is_some() {
            return Err(CoreError::Conflict(
                "this portfolio is already encrypted".into(),
            ));
        }
        let Some(data_dir) = self.data_dir().map(Path::to_path_buf) else {
            return Err(CoreError::invalid("a portfolio in memory is not encrypted"));
        };
        let stored: Option<String> = self.read(&allowed).query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [me.row_id],
            |row| row.get(0),
        )?;
        match stored {
            None => {
                return Err(CoreError::invalid(
                    "set a password first: an encrypted portfolio opens only with one",
                )
                .in_field("password"))
            }
            Some(hash) if !password::matches(password, &hash) => {
                return Err(CoreError::SignInFailed)
            }
            Some(_) => {}
        }
        let not_yet_sealed: Vec<String> = self
            .read(&allowed)
            .prepare(
                "SELECT username FROM users WHERE id <> ?1 AND disabled = 0 ORDER BY username",
            )?
            .query_map([me.row_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let key = DataKey::generate()?;
        let mut keyring = Keyring::new(&key);
        keyring.seal_for(&key, &me.user.username, password)?;
        // The keyring before the database: an encrypted database without its keyring could never
        // be opened again, while a keyring beside a plaintext database (the encryption failed) is
        // replaced at the next attempt.
        keyring.write(&data_dir)?;
        let tables = self.reopen_encrypted(key)?;
        let attachments = self.seal_attachments()?;
        let summary = format!(
            "{tables} tables, {attachments} attachments; {} accounts to seal",
            not_yet_sealed.len()
        );
        self.write(&allowed, |_, audit| {
            audit.record(Change::new("portfolio_encrypted", "portfolio").after(summary))
        })?;
        Ok(EncryptedAtRest {
            tables,
            attachments,
            not_yet_sealed,
        })
    }

    /// Seals the attachments still stored in plaintext; how many it sealed.
    fn seal_attachments(&self) -> Result<usize> {
        let (Some(data_dir), Some(key)) = (self.data_dir(), self.data_key()) else {
            return Ok(0);
        };
        seal_stored_files(data_dir, key)
            .map_err(|e| crate::error::io_error(e, &data_dir.display().to_string()))
    }

    /// After a sign-in with `password` on an open encrypted portfolio: seals the key for the user
    /// when they have no seal yet, so they can unlock it themselves next time.
    pub(crate) fn seal_at_sign_in(&self, username: &str, password: Option<&str>) -> Result<()> {
        let (Some(keeper), Some(password)) = (self.keyring_keeper(), password) else {
            return Ok(());
        };
        if keeper.has(username)? {
            return Ok(());
        }
        match keeper.seal_for(username, password) {
            // A portfolio on read-only media keeps the keyring it has.
            Err(CoreError::Io(_)) | Err(CoreError::ReadOnly(_)) => Ok(()),
            other => other,
        }
    }
}
