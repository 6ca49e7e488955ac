//! Where an encrypted portfolio's data key is kept: `keyring.json` beside the database, holding the
//! key sealed once for each account with that account's password (argon2id and XChaCha20-Poly1305,
//! as signing keys are sealed). It has to live outside the database, which cannot be read before
//! the key is unsealed. A copied data directory therefore reveals nothing without a password; each
//! guess at one costs an attacker a full argon2id derivation.
//!
//! Accounts are not named in the file: each seal is filed under a hash of its username, so the file
//! does not list the centre's people (a guessed username can be confirmed, which the sign-in
//! screen of an unlocked portfolio shows anyway). Each seal authenticates the file's format, its
//! account's label and the key's check value, so a seal cannot be moved to another account or
//! made to unseal a different key unnoticed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::keys;
use crate::db::{write_file_atomically, DataKey};
use crate::error::{io_error, CoreError, Result};

/// The keyring's file name in a data directory.
pub const KEYRING_FILE: &str = "keyring.json";
const FORMAT: &str = "evidence-tracker-keyring-1";

/// The data key sealed for each account that may unlock the portfolio.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Keyring {
    format: String,
    /// Which key the seals hold (a hash of it), so an unsealed key is known to be the right one.
    key_check: String,
    seals: Vec<Seal>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Seal {
    /// A hash of the account's username, not the username.
    account: String,
    salt: String,
    nonce: String,
    sealed: String,
}

/// The keyring's path in `data_dir`.
pub(crate) fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(KEYRING_FILE)
}

/// The label a username's seal is filed under.
fn label(username: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(FORMAT.as_bytes());
    hash.update([0]);
    hash.update(username.trim().to_lowercase().as_bytes());
    hex::encode(hash.finalize())
}

fn check_of(key: &DataKey) -> String {
    let mut hash = Sha256::new();
    hash.update(b"evidence-tracker-data-key\0");
    hash.update(key.bytes());
    hex::encode(&hash.finalize()[..16])
}

fn damaged(data_dir: &Path, what: &str) -> CoreError {
    CoreError::Database(format!(
        "{} is damaged ({what}); restore it from a backup of this data directory",
        path_in(data_dir).display()
    ))
}

impl Keyring {
    /// An empty keyring for `key`.
    pub(crate) fn new(key: &DataKey) -> Keyring {
        Keyring {
            format: FORMAT.into(),
            key_check: check_of(key),
            seals: Vec::new(),
        }
    }

    /// The keyring of `data_dir`; `None` when it has none.
    pub(crate) fn read(data_dir: &Path) -> Result<Option<Keyring>> {
        let path = path_in(data_dir);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(e, &path.display().to_string())),
        };
        let keyring: Keyring =
            serde_json::from_slice(&bytes).map_err(|e| damaged(data_dir, &e.to_string()))?;
        if keyring.format != FORMAT {
            return Err(damaged(data_dir, "not a keyring this version knows"));
        }
        Ok(Some(keyring))
    }

    /// Writes the keyring into `data_dir`, atomically and readable by its owner only.
    pub(crate) fn write(&self, data_dir: &Path) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| CoreError::Database(format!("cannot write the keyring: {e}")))?;
        write_file_atomically(&path_in(data_dir), &bytes)?;
        crate::durable::sync_folders_of([path_in(data_dir).as_path()])
            .map_err(|e| io_error(e, &data_dir.display().to_string()))
    }

    fn context(&self, account: &str) -> Vec<u8> {
        format!("{FORMAT}\0{account}\0{}", self.key_check).into_bytes()
    }

    /// Seals `key` for `username` with `password`, replacing the account's earlier seal.
    pub(crate) fn seal_for(&mut self, key: &DataKey, username: &str, password: &str) -> Result<()> {
        if check_of(key) != self.key_check {
            return Err(CoreError::Conflict(
                "this key is not the one the keyring holds".into(),
            ));
        }
        let account = label(username);
        let (salt, nonce, sealed) =
            keys::seal_secret(key.bytes(), &self.context(&account), password)?;
        self.remove(username);
        self.seals.push(Seal {
            account,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            sealed: hex::encode(sealed),
        });
        Ok(())
    }

    /// Takes `username`'s seal out: the account no longer unlocks the portfolio.
    pub(crate) fn remove(&mut self, username: &str) {
        let account = label(username);
        self.seals.retain(|seal| seal.account != account);
    }

    /// Whether `username` has a seal.
    pub(crate) fn has(&self, username: &str) -> bool {
        let account = label(username);
        self.seals.iter().any(|seal| seal.account == account)
    }

    /// The data key, unsealed with `username`'s password; `None` when the account has no seal or
    /// the password does not open it (which of the two is not said, and takes as long either way).
    pub(crate) fn open(&self, username: &str, password: &str) -> Result<Option<DataKey>> {
        let account = label(username);
        let Some(seal) = self.seals.iter().find(|seal| seal.account == account) else {
            // The same derivation a real seal costs, so the time taken does not tell.
            keys::seal_secret(&[0; 32], b"", password)?;
            return Ok(None);
        };
        let field = |text: &str| hex::decode(text).unwrap_or_default();
        let opened = keys::open_secret(
            &self.context(&account),
            &field(&seal.salt),
            &field(&seal.nonce),
            &field(&seal.sealed),
            password,
        )?;
        let Some((bytes, _cost)) = opened else {
            return Ok(None);
        };
        let key = DataKey::from_bytes(*bytes);
        Ok((check_of(&key) == self.key_check).then_some(key))
    }
}

/// An unlocked portfolio's keyring with its key: what account changes use to keep the seals in step.
pub(crate) struct Keeper {
    pub data_dir: PathBuf,
    pub key: std::sync::Arc<DataKey>,
}

impl Keeper {
    fn update(&self, change: impl FnOnce(&mut Keyring) -> Result<()>) -> Result<()> {
        let mut keyring = match Keyring::read(&self.data_dir)? {
            Some(keyring) => keyring,
            None => Keyring::new(&self.key),
        };
        change(&mut keyring)?;
        keyring.write(&self.data_dir)
    }

    /// Seals the key for `username` with `password` (replacing their earlier seal).
    pub(crate) fn seal_for(&self, username: &str, password: &str) -> Result<()> {
        self.update(|keyring| keyring.seal_for(&self.key, username, password))
    }

    /// Takes `username`'s seal out.
    pub(crate) fn remove(&self, username: &str) -> Result<()> {
        self.update(|keyring| {
            keyring.remove(username);
            Ok(())
        })
    }

    /// Whether `username` has a seal.
    pub(crate) fn has(&self, username: &str) -> Result<bool> {
        Ok(Keyring::read(&self.data_dir)?.is_some_and(|keyring| keyring.has(username)))
    }
}
