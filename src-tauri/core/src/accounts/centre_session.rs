//! The centre key in a session: an administrator of a centre opens it at sign-in (the first one
//! makes it) and certifies the staff keys that lack a certificate; accounts made or reset by an
//! administrator get a key certified at once; the centre's fingerprint, and the centres trusted.

use std::sync::Arc;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::centre;
use super::keys::{self, SessionKey};
use super::{Role, UserRow};
use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::ids::UserRowId;
use crate::store::write::Audit;
use crate::store::Store;

/// A centre key this installation knows: its own, one it trusts, or one seen in a bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct CentreKey {
    /// `ed25519:` and the first 16 bytes of the SHA-256 of the public key, in hex.
    pub key_id: String,
    /// The whole public key (hex): what an administrator compares before trusting it.
    pub fingerprint: String,
    pub name: String,
    pub own: bool,
    /// When it was trusted, and by whom; `None` while it is not.
    pub trusted_at: Option<String>,
    pub trusted_by: Option<String>,
}

/// Makes `user`'s signing key (sealed with `password`) and certifies it with `centre`; an
/// administrator also gets the centre key sealed for them. The new key's id.
pub(crate) fn provision(
    tx: &rusqlite::Transaction<'_>,
    audit: &mut Audit<'_>,
    centre_key: &SessionKey,
    (user, subject): (UserRowId, &str),
    password: &str,
    admin: bool,
) -> Result<String> {
    let made = Arc::new(keys::create(tx, user, password)?);
    audit.key_created(subject, &made)?;
    if admin {
        centre::seal_for(tx, centre_key, user, password)?;
    }
    certify(tx, audit, centre_key)?;
    Ok(made.key_id().to_string())
}

fn certify(
    tx: &rusqlite::Transaction<'_>,
    audit: &mut Audit<'_>,
    centre_key: &SessionKey,
) -> Result<()> {
    let certified = centre::certify_pending(tx, centre_key)?;
    if certified > 0 {
        audit.record(
            Change::new("keys_certified", format!("centre:{}", centre_key.key_id()))
                .after(certified.to_string()),
        )?;
    }
    Ok(())
}

impl Store {
    /// At an administrator's sign-in on a centre: opens the centre key sealed for them (making it if
    /// the installation has none yet) and certifies the staff keys that lack a certificate.
    pub(crate) fn open_centre_key(&mut self, user: &UserRow, password: &str) -> Result<()> {
        self.centre_key = None;
        if !user.user.has(Role::Administrator)
            || !user.user.has_password
            || centre::is_personal(self.look_up())?
        {
            return Ok(());
        }
        let opened = centre::open(self.look_up(), user.row_id, password)?;
        let has_own = centre::own(self.look_up())?.is_some();
        if opened.is_none() && has_own {
            return Ok(());
        }
        let allowed = self.acting()?;
        let name = format!("{}'s centre", user.user.display_name);
        let written = self.write(&allowed, |tx, audit| {
            let key = match opened {
                // Sealed at less than today's cost (an older version): sealed again.
                Some(key) if key.sealed_cheaply() => {
                    centre::seal_for(tx, &key, user.row_id, password)?;
                    key
                }
                Some(key) => key,
                None => {
                    let made = centre::create(tx, user.row_id, password, &name)?;
                    audit.record(
                        Change::new("centre_key_created", format!("centre:{}", made.key_id()))
                            .after(name.clone()),
                    )?;
                    made
                }
            };
            certify(tx, audit, &key)?;
            Ok(key)
        });
        match written {
            Ok(key) => self.centre_key = Some(Arc::new(key)),
            Err(CoreError::ReadOnly(_)) => {}
            Err(other) => return Err(other),
        }
        Ok(())
    }

    /// The centre keys this installation knows (administrators).
    pub fn centre_keys(&self) -> Result<Vec<CentreKey>> {
        let allowed = self.require_admin()?;
        let mut stmt = self.read(&allowed).prepare(
            "SELECT key_id, public_key, name, own, trusted_at, trusted_by FROM centre_keys
             ORDER BY own DESC, trusted_at IS NULL, name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CentreKey {
                key_id: r.get(0)?,
                fingerprint: hex::encode(r.get::<_, Vec<u8>>(1)?),
                name: r.get(2)?,
                own: r.get(3)?,
                trusted_at: r.get(4)?,
                trusted_by: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Trusts the centre whose public key is `fingerprint` (hex, as another centre's administrator
    /// reads it out from theirs), named `name`: keys it certified count here from now on.
    pub fn trust_centre(&mut self, fingerprint: &str, name: &str) -> Result<CentreKey> {
        let allowed = self.require_admin()?;
        let public = hex::decode(fingerprint.trim())
            .ok()
            .and_then(|p| <[u8; 32]>::try_from(p).ok())
            .ok_or_else(|| {
                CoreError::invalid("a centre's fingerprint is 64 hexadecimal characters")
                    .in_field("fingerprint")
            })?;
        let name = crate::input::single_line("centre name", name, 200)?;
        let key_id = keys::key_id_of(&public);
        let by = self.who()?.name;
        self.write(&allowed, |tx, audit| {
            let own: Option<bool> = tx
                .query_row("SELECT own FROM centre_keys WHERE key_id = ?1", [&key_id], |r| r.get(0))
                .optional()?;
            if own == Some(true) {
                return Err(CoreError::Conflict("that is this installation's own centre key".into()));
            }
            let now = crate::time::now_rfc3339();
            tx.execute(
                "INSERT INTO centre_keys (key_id, public_key, name, own, seen_at, trusted_at, trusted_by)
                 VALUES (?1, ?2, ?3, 0, ?4, ?4, ?5)
                 ON CONFLICT (key_id) DO UPDATE SET name = ?3, trusted_at = ?4, trusted_by = ?5",
                params![key_id, public.as_slice(), name, now, by],
            )?;
            audit.record(Change::new("centre_trusted", format!("centre:{key_id}")).after(name.clone()))
        })?;
        self.recount_signatures_of(&allowed, &key_id)?;
        self.centre_keys()?
            .into_iter()
            .find(|c| c.key_id == key_id)
            .ok_or_else(|| CoreError::not_found("centre key", key_id))
    }

    /// After a centre is trusted: every imported signature kept as not counted whose key that centre
    /// certified is checked again, and counts from now on if it verifies and the certificate vouches.
    fn recount_signatures_of(
        &mut self,
        allowed: &crate::store::Allowed,
        centre_key: &str,
    ) -> Result<()> {
        use crate::review::signature::{signature_from_row, SIGNATURE_COLUMNS};
        let mut stmt = self.read(allowed).prepare(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE not_counted_reason IS NOT NULL
               AND key_id IN (SELECT key_id FROM key_certificates WHERE centre_key_id = ?1)"
        ))?;
        let rows = stmt
            .query_map([centre_key], signature_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut now_counted = Vec::new();
        for sig in rows {
            let key = sig.signature.key_id.clone().unwrap_or_default();
            let vouched = centre::why_not_vouched(
                self.read(allowed),
                &key,
                &sig.signature.signer_name,
                Role::Assessor,
                &sig.signature.signed_at,
            )?
            .is_none();
            if vouched && self.signature_intact(allowed, &sig)? {
                now_counted.push(sig.signature);
            }
        }
        if now_counted.is_empty() {
            return Ok(());
        }
        self.write(allowed, |tx, audit| {
            for s in &now_counted {
                tx.execute(
                    "UPDATE signatures SET not_counted_reason = NULL WHERE uuid = ?1",
                    [&s.id],
                )?;
                if let Some(judgement) = s.subject.strip_prefix("judgement:") {
                    tx.execute(
                        "UPDATE judgements SET counted = 1 WHERE uuid = ?1",
                        [judgement],
                    )?;
                }
                audit.record(
                    Change::new("signature_counted", format!("signature:{}", s.id)).after(format!(
                        "{} by {}: its centre is trusted now",
                        s.kind.as_str(),
                        s.signer_name
                    )),
                )?;
            }
            Ok(())
        })
    }
}
