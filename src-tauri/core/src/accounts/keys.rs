//! Each account's signing key: an Ed25519 key pair made on this machine, whose private half is kept
//! only sealed — XChaCha20-Poly1305 under a key derived from the account's password with argon2id at
//! the cost `kdf` sets — and is opened at sign-in into the session's memory, never written out or
//! exported.
//!
//! The public half is stored under its key id (`ed25519:` and the first 16 bytes of its SHA-256, in
//! hex), so a signature names the key that made it and anyone can check it. A password change by the
//! user seals the same key again; a password an administrator sets retires the key (its sealed half
//! is deleted, so nobody can sign with it again, while what it signed still verifies) and the
//! account gets a new one at its next sign-in.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};
use crate::ids::UserRowId;

use super::kdf::{self, SALT_BYTES};

const NONCE_BYTES: usize = 24;

/// A signing key opened for this session: the private half in memory (wiped when dropped).
pub(crate) struct SessionKey {
    key_id: String,
    signing: SigningKey,
    /// Opened from a seal made at less than today's cost: to be sealed again while the password
    /// is at hand.
    sealed_cheaply: bool,
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private half.
        f.debug_struct("SessionKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl SessionKey {
    /// A new key pair, from the system's random numbers.
    pub(crate) fn generate() -> Result<SessionKey> {
        let seed = random::<32>()?;
        let signing = SigningKey::from_bytes(&seed);
        let key_id = key_id_of(&signing.verifying_key().to_bytes());
        Ok(SessionKey {
            key_id,
            signing,
            sealed_cheaply: false,
        })
    }

    /// Whether the seal this key was opened from is older and cheaper than today's.
    pub(crate) fn sealed_cheaply(&self) -> bool {
        self.sealed_cheaply
    }

    /// The public half.
    pub(crate) fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The private half sealed with `password`: (salt, nonce, ciphertext).
    pub(crate) fn sealed_with(&self, password: &str) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
        seal(self.signing.as_bytes(), &self.key_id, password)
    }

    /// The id a signature made with this key names.
    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The Ed25519 signature of `message`, in hex.
    pub(crate) fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

/// The id of a public key: `ed25519:` and the first 16 bytes of its SHA-256, in hex.
pub(crate) fn key_id_of(public: &[u8; 32]) -> String {
    format!("ed25519:{}", hex::encode(&Sha256::digest(public)[..16]))
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut())
        .map_err(|e| CoreError::Io(format!("the system gave no random bytes: {e}")))?;
    Ok(bytes)
}

/// The sealing key for `password` and the random part of a salt, at `cost`.
fn sealing_key(password: &str, salt: &[u8], cost: kdf::Cost) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    cost.argon2()?
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|e| CoreError::Database(format!("cannot derive the key-sealing key: {e}")))?;
    Ok(key)
}

/// The sealed private half: (salt, nonce, ciphertext). The key id is authenticated with it, so a
/// sealed half cannot be moved under another key's id.
fn seal(seed: &[u8; 32], key_id: &str, password: &str) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    seal_secret(seed, key_id.as_bytes(), password)
}

/// A 32-byte secret sealed with `password` at today's cost: (salt, nonce, ciphertext). `context` is
/// authenticated with it (not stored): opening needs the same context, so a seal cannot be moved
/// to another key or account.
pub(crate) fn seal_secret(
    secret: &[u8; 32],
    context: &[u8],
    password: &str,
) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let salt = random::<SALT_BYTES>()?;
    let nonce = random::<NONCE_BYTES>()?;
    let key = sealing_key(password, salt.as_ref(), kdf::Cost::CURRENT)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(nonce.as_ref()),
            Payload {
                msg: secret,
                aad: context,
            },
        )
        .map_err(|_| CoreError::Database("cannot seal a key".into()))?;
    Ok((kdf::sealing_salt(&salt), nonce.to_vec(), sealed))
}

/// The secret [`seal_secret`] sealed, and the cost it was sealed at; `None` when the password (or
/// the context) is not the one it was sealed with, or the seal is damaged.
pub(crate) fn open_secret(
    context: &[u8],
    salt: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    password: &str,
) -> Result<Option<(Zeroizing<[u8; 32]>, kdf::Cost)>> {
    if nonce.len() != NONCE_BYTES {
        return Ok(None);
    }
    let Some((salt, cost)) = kdf::read_sealing_salt(salt) else {
        return Ok(None);
    };
    let key = sealing_key(password, salt, cost)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let Ok(opened) = cipher.decrypt(
        XNonce::from_slice(nonce),
        Payload {
            msg: sealed,
            aad: context,
        },
    ) else {
        return Ok(None);
    };
    let opened = Zeroizing::new(opened);
    let mut secret = Zeroizing::new([0u8; 32]);
    match opened.len() {
        32 => secret.copy_from_slice(&opened),
        _ => return Ok(None),
    }
    Ok(Some((secret, cost)))
}

pub(crate) fn unseal(
    key_id: &str,
    salt: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    password: &str,
) -> Result<SessionKey> {
    let (seed, cost) = open_secret(key_id.as_bytes(), salt, nonce, sealed, password)?
        .ok_or_else(|| damaged(key_id))?;
    let signing = SigningKey::from_bytes(&seed);
    if key_id_of(&signing.verifying_key().to_bytes()) != key_id {
        return Err(damaged(key_id));
    }
    Ok(SessionKey {
        key_id: key_id.to_string(),
        signing,
        sealed_cheaply: cost.is_below_current(),
    })
}

fn damaged(key_id: &str) -> CoreError {
    CoreError::Conflict(format!(
        "the signing key {key_id} cannot be opened with this password: it was changed outside the app; an administrator can set a new password, which gives the account a new key"
    ))
}

/// Makes a new key pair for `user`, sealed with `password`, and stores it as the user's current key.
pub(crate) fn create(tx: &Transaction<'_>, user: UserRowId, password: &str) -> Result<SessionKey> {
    let key = SessionKey::generate()?;
    let (salt, nonce, sealed) = key.sealed_with(password)?;
    tx.execute(
        "INSERT INTO signing_keys (key_id, public_key, user_id, origin, created_at) VALUES (?1, ?2, ?3, NULL, ?4)",
        params![key.key_id, key.public_key().as_slice(), user, crate::time::now_rfc3339()],
    )?;
    tx.execute(
        "INSERT INTO sealed_keys (key_id, kdf_salt, nonce, sealed) VALUES (?1, ?2, ?3, ?4)",
        params![key.key_id, salt, nonce, sealed],
    )?;
    Ok(key)
}

/// A stored sealed key: its id, the KDF salt, the AEAD nonce and the sealed seed.
pub(crate) type SealedRow = (String, Vec<u8>, Vec<u8>, Vec<u8>);

/// Opens `user`'s current key with `password`; `None` when the user has none yet.
pub(crate) fn open(
    conn: &Connection,
    user: UserRowId,
    password: &str,
) -> Result<Option<SessionKey>> {
    let row: Option<SealedRow> = conn
        .query_row(
            "SELECT k.key_id, s.kdf_salt, s.nonce, s.sealed FROM signing_keys k
             JOIN sealed_keys s ON s.key_id = k.key_id
             WHERE k.user_id = ?1 AND k.retired_at IS NULL",
            [user],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|(key_id, salt, nonce, sealed)| unseal(&key_id, &salt, &nonce, &sealed, password))
        .transpose()
}

/// Seals `key` again with `password` (the user changed their own password).
pub(crate) fn reseal(tx: &Transaction<'_>, key: &SessionKey, password: &str) -> Result<()> {
    let (salt, nonce, sealed) = key.sealed_with(password)?;
    tx.execute(
        "UPDATE sealed_keys SET kdf_salt = ?2, nonce = ?3, sealed = ?4 WHERE key_id = ?1",
        params![key.key_id, salt, nonce, sealed],
    )?;
    Ok(())
}

/// Retires `user`'s current key: its sealed half is deleted, so nothing new can be signed with it;
/// its public half stays, so what it signed still verifies. The id retired, if there was a key.
pub(crate) fn retire(tx: &Transaction<'_>, user: UserRowId) -> Result<Option<String>> {
    let key_id: Option<String> = tx
        .query_row(
            "UPDATE signing_keys SET retired_at = ?2 WHERE user_id = ?1 AND retired_at IS NULL RETURNING key_id",
            params![user, crate::time::now_rfc3339()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = &key_id {
        tx.execute("DELETE FROM sealed_keys WHERE key_id = ?1", [id])?;
    }
    Ok(key_id)
}

/// Whether `signature` (hex) is `key_id`'s signature of `message`. A key this installation does not
/// know, or a public key that does not hash to its id, verifies nothing.
pub(crate) fn verifies(
    conn: &Connection,
    key_id: &str,
    message: &[u8],
    signature: &str,
) -> Result<bool> {
    let public: Option<Vec<u8>> = conn
        .query_row(
            "SELECT public_key FROM signing_keys WHERE key_id = ?1",
            [key_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(public.is_some_and(|public| verifies_with(&public, key_id, message, signature)))
}

/// Whether `signature` (hex) is the signature of `message` by `public`, whose id is `key_id`.
pub(crate) fn verifies_with(public: &[u8], key_id: &str, message: &[u8], signature: &str) -> bool {
    let Ok(public) = <[u8; 32]>::try_from(public) else {
        return false;
    };
    if key_id_of(&public) != key_id {
        return false;
    }
    let Ok(verifying) = VerifyingKey::from_bytes(&public) else {
        return false;
    };
    let Some(bytes) = hex::decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    let signature = ed25519_dalek::Signature::from_bytes(&bytes);
    verifying.verify_strict(message, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migrated database; signing keys name user rows these tests do not make.
    fn db() -> crate::db::Db {
        let db = crate::db::Db::open_in_memory().unwrap();
        db.conn()
            .execute_batch("PRAGMA foreign_keys = OFF")
            .unwrap();
        db
    }

    /// Runs `change` in one committed transaction, as the accounts code does.
    fn committed<T>(
        conn: &rusqlite::Connection,
        change: impl FnOnce(&rusqlite::Transaction) -> T,
    ) -> T {
        let tx = conn.unchecked_transaction().unwrap();
        let out = change(&tx);
        tx.commit().unwrap();
        out
    }

    #[test]
    fn a_key_opens_with_its_password_only_and_its_signatures_verify() {
        let db = db();
        let conn = db.conn();
        let user = UserRowId::new(7);
        let made = committed(conn, |tx| create(tx, user, "correct horse").unwrap());
        let opened = open(conn, user, "correct horse").unwrap().unwrap();
        assert_eq!(opened.key_id(), made.key_id());
        assert!(opened.key_id().starts_with("ed25519:") && opened.key_id().len() == 8 + 32);
        assert_eq!(
            open(conn, user, "wrong horse").unwrap_err().code(),
            "conflict"
        );
        assert!(open(conn, UserRowId::new(8), "correct horse")
            .unwrap()
            .is_none());

        let signature = opened.sign(b"met");
        assert!(verifies(conn, opened.key_id(), b"met", &signature).unwrap());
        assert!(!verifies(conn, opened.key_id(), b"not yet met", &signature).unwrap());
        assert!(!verifies(conn, "ed25519:00", b"met", &signature).unwrap());
        assert!(!verifies(conn, opened.key_id(), b"met", "zz").unwrap());
        // The sealed half is not the seed in clear.
        let sealed: Vec<u8> = conn
            .query_row("SELECT sealed FROM sealed_keys", [], |r| r.get(0))
            .unwrap();
        assert!(!sealed
            .windows(32)
            .any(|w| w == opened.signing.as_bytes().as_slice()));
    }

    #[test]
    fn a_resealed_key_opens_with_the_new_password_and_a_retired_one_with_none() {
        let db = db();
        let conn = db.conn();
        let user = UserRowId::new(1);
        let key = committed(conn, |tx| {
            let key = create(tx, user, "first password").unwrap();
            reseal(tx, &key, "second password").unwrap();
            key
        });
        assert!(open(conn, user, "first password").is_err());
        let opened = open(conn, user, "second password").unwrap().unwrap();
        let signature = opened.sign(b"x");

        let retired = committed(conn, |tx| retire(tx, user).unwrap());
        assert_eq!(retired.as_deref(), Some(key.key_id()));
        assert!(open(conn, user, "second password").unwrap().is_none());
        assert!(
            verifies(conn, key.key_id(), b"x", &signature).unwrap(),
            "old signatures still verify"
        );
        let count: i64 = conn
            .query_row("SELECT count(*) FROM sealed_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 0);
    }

    #[test]
    fn a_public_key_swapped_under_an_id_verifies_nothing() {
        let db = db();
        let conn = db.conn();
        let tx = conn.unchecked_transaction().unwrap();
        let real = create(&tx, UserRowId::new(1), "p1 password").unwrap();
        let forger = create(&tx, UserRowId::new(2), "p2 password").unwrap();
        tx.commit().unwrap();
        let forged = forger.sign(b"met");
        conn.execute(
            "UPDATE signing_keys SET public_key = (SELECT public_key FROM signing_keys WHERE key_id = ?2) WHERE key_id = ?1",
            params![real.key_id(), forger.key_id()],
        )
        .unwrap();
        assert!(!verifies(conn, real.key_id(), b"met", &forged).unwrap());
    }
}
