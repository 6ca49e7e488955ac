//! Who vouches for a key: each centre installation has a centre key, held by its administrators
//! (sealed for each of them with their password, as their own keys are), with which it certifies each
//! staff account's key — a small signed statement of key, name, roles, issued and expires. Another
//! installation counts a judgement from a bundle only if its key has a certificate from a centre it
//! trusts: its own, or one an administrator pinned by fingerprint.
//!
//! A personal laptop (its one user is both learner and administrator) never gets a centre key, so
//! nothing made on one is ever certified as staff.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::keys::{self, SessionKey};
use super::Role;
use crate::error::{CoreError, Result};
use crate::ids::UserRowId;
use crate::time::now_rfc3339;

/// The certificate's format, part of what the centre signs.
const FORMAT: &str = "evidence-tracker-certificate-1";
/// How long a certificate vouches for a key.
const VALID_DAYS: i64 = 3 * 365;

/// A centre's statement that `key_id` is `name`'s key, with these roles, from `issued_at` until
/// `expires_at`; `signature` is the centre key's signature of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub key_id: String,
    pub centre_key_id: String,
    pub name: String,
    /// Role names, sorted.
    pub roles: Vec<String>,
    pub issued_at: String,
    pub expires_at: String,
    pub signature: String,
}

#[derive(Serialize)]
struct Statement<'a> {
    format: &'static str,
    centre_key_id: &'a str,
    key_id: &'a str,
    name: &'a str,
    roles: &'a [String],
    issued_at: &'a str,
    expires_at: &'a str,
}

impl Certificate {
    fn message(&self) -> Vec<u8> {
        // A struct of strings always serialises.
        serde_json::to_vec(&Statement {
            format: FORMAT,
            centre_key_id: &self.centre_key_id,
            key_id: &self.key_id,
            name: &self.name,
            roles: &self.roles,
            issued_at: &self.issued_at,
            expires_at: &self.expires_at,
        })
        .unwrap_or_default()
    }

    /// Whether `centre_public` (the key `centre_key_id` names) signed exactly this certificate.
    pub(crate) fn verifies(&self, centre_public: &[u8]) -> bool {
        keys::verifies_with(
            centre_public,
            &self.centre_key_id,
            &self.message(),
            &self.signature,
        )
    }
}

/// Whether this installation is a personal laptop: its user is both learner and administrator.
pub(crate) fn is_personal(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM user_roles a JOIN user_roles l ON l.user_id = a.user_id
                        WHERE a.role = 'administrator' AND l.role = 'learner')",
        [],
        |r| r.get(0),
    )?)
}

/// This installation's centre key id and name, if it has one.
pub(crate) fn own(conn: &Connection) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT key_id, name FROM centre_keys WHERE own = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Makes this installation's centre key, named `name`, held by the administrator `admin`.
pub(crate) fn create(
    tx: &Transaction<'_>,
    admin: UserRowId,
    password: &str,
    name: &str,
) -> Result<SessionKey> {
    let key = SessionKey::generate()?;
    let now = now_rfc3339();
    tx.execute(
        "INSERT INTO centre_keys (key_id, public_key, name, own, seen_at, trusted_at, trusted_by)
         VALUES (?1, ?2, ?3, 1, ?4, ?4, 'this installation')",
        params![key.key_id(), key.public_key().as_slice(), name, now],
    )?;
    seal_for(tx, &key, admin, password)?;
    Ok(key)
}

/// Seals the centre key for the administrator `admin` with `password` (replacing any earlier seal).
pub(crate) fn seal_for(
    tx: &Transaction<'_>,
    centre: &SessionKey,
    admin: UserRowId,
    password: &str,
) -> Result<()> {
    let (salt, nonce, sealed) = centre.sealed_with(password)?;
    tx.execute(
        "INSERT OR REPLACE INTO centre_key_seals (user_id, key_id, kdf_salt, nonce, sealed)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![admin, centre.key_id(), salt, nonce, sealed],
    )?;
    Ok(())
}

/// Opens the centre key sealed for `admin`; `None` when it is not sealed for them.
pub(crate) fn open(
    conn: &Connection,
    admin: UserRowId,
    password: &str,
) -> Result<Option<SessionKey>> {
    let row: Option<keys::SealedRow> = conn
        .query_row(
            "SELECT s.key_id, s.kdf_salt, s.nonce, s.sealed FROM centre_key_seals s
             JOIN centre_keys k ON k.key_id = s.key_id AND k.own = 1 WHERE s.user_id = ?1",
            [admin],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((id, salt, nonce, sealed)) => {
            match keys::unseal(&id, &salt, &nonce, &sealed, password) {
                Ok(key) => Ok(Some(key)),
                // A seal changed outside the app: this administrator certifies nothing.
                Err(CoreError::Conflict(_)) => Ok(None),
                Err(other) => Err(other),
            }
        }
    }
}

/// Certifies every current key of a staff account (any role but learner) that has no unexpired
/// certificate from `centre` for its present name and roles. The number certified.
pub(crate) fn certify_pending(tx: &Transaction<'_>, centre: &SessionKey) -> Result<usize> {
    let now = now_rfc3339();
    let mut stmt = tx.prepare(
        "SELECT k.key_id, u.display_name,
                (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role))
         FROM signing_keys k JOIN users u ON u.id = k.user_id
         WHERE k.retired_at IS NULL AND u.disabled = 0
           AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'learner')",
    )?;
    let staff: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut certified = 0;
    for (key_id, name, roles) in staff {
        let current: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM key_certificates WHERE key_id = ?1 AND centre_key_id = ?2
                            AND name = ?3 AND roles = ?4 AND expires_at > ?5)",
            params![key_id, centre.key_id(), name, roles, now],
            |r| r.get(0),
        )?;
        if !current {
            let roles = roles.split(',').map(str::to_string).collect();
            issue(tx, centre, &key_id, &name, roles)?;
            certified += 1;
        }
    }
    Ok(certified)
}

fn issue(
    tx: &Transaction<'_>,
    centre: &SessionKey,
    key_id: &str,
    name: &str,
    roles: Vec<String>,
) -> Result<()> {
    let issued = chrono::Utc::now();
    let mut certificate = Certificate {
        key_id: key_id.to_string(),
        centre_key_id: centre.key_id().to_string(),
        name: name.to_string(),
        roles,
        issued_at: crate::time::rfc3339(issued),
        expires_at: crate::time::rfc3339(issued + chrono::Duration::days(VALID_DAYS)),
        signature: String::new(),
    };
    certificate.signature = centre.sign(&certificate.message());
    store_certificate(tx, &certificate)
}

/// Keeps `certificate` (made here, or read from a bundle and checked by the caller).
pub(crate) fn store_certificate(tx: &Transaction<'_>, certificate: &Certificate) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO key_certificates (key_id, centre_key_id, name, roles, issued_at, expires_at, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            certificate.key_id,
            certificate.centre_key_id,
            certificate.name,
            certificate.roles.join(","),
            certificate.issued_at,
            certificate.expires_at,
            certificate.signature
        ],
    )?;
    Ok(())
}

/// Every certificate kept for `key_id`, with its centre's public key and name.
pub(crate) fn certificates_of(
    conn: &Connection,
    key_id: &str,
) -> Result<Vec<(Certificate, Vec<u8>, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key_id, c.centre_key_id, c.name, c.roles, c.issued_at, c.expires_at, c.signature,
                k.public_key, k.name
         FROM key_certificates c JOIN centre_keys k ON k.key_id = c.centre_key_id
         WHERE c.key_id = ?1 ORDER BY c.issued_at",
    )?;
    let rows = stmt.query_map([key_id], |r| {
        let roles: String = r.get(3)?;
        Ok((
            Certificate {
                key_id: r.get(0)?,
                centre_key_id: r.get(1)?,
                name: r.get(2)?,
                roles: roles.split(',').map(str::to_string).collect(),
                issued_at: r.get(4)?,
                expires_at: r.get(5)?,
                signature: r.get(6)?,
            },
            r.get(7)?,
            r.get(8)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Why `key_id` may not sign as `signer` with `role` at `signed_at` — `None` when a centre this
/// installation trusts certified it for that: a certificate that verifies, names the signer and
/// the role, and had not expired when it was signed.
pub(crate) fn why_not_vouched(
    conn: &Connection,
    key_id: &str,
    signer: &str,
    role: Role,
    signed_at: &str,
) -> Result<Option<String>> {
    let mut reason = format!("no centre this computer trusts has certified the key {key_id}");
    for (certificate, public, centre) in certificates_of(conn, key_id)? {
        let trusted: bool = conn.query_row(
            "SELECT trusted_at IS NOT NULL FROM centre_keys WHERE key_id = ?1",
            [&certificate.centre_key_id],
            |r| r.get(0),
        )?;
        if !trusted || !certificate.verifies(&public) {
            continue;
        }
        if certificate.name != signer {
            reason = format!(
                "{centre} certified this key for {}, not {signer}",
                certificate.name
            );
        } else if !certificate.roles.iter().any(|r| r == role.as_str()) {
            reason = format!("{centre} did not certify {signer} as {}", role.as_str());
        } else if certificate.expires_at.as_str() < signed_at {
            reason =
                format!("{centre}'s certificate for {signer} had expired when this was signed");
        } else {
            return Ok(None);
        }
    }
    Ok(Some(reason))
}
