//! The one way to change a portfolio: [`Store::write`] takes an [`Allowed`], the proof that an
//! access check passed (only the checks in `access` make one, plus the two named exceptions below),
//! runs the work as one IMMEDIATE transaction, and gives it an [`Audit`] that appends entries as the
//! proof's user, in that transaction. A write that changed rows but recorded no audit entry is
//! refused and rolled back, so no change can land unrecorded, whichever function forgot.

use std::sync::Arc;

use rusqlite::Transaction;

use super::Store;
use crate::accounts::keys::SessionKey;
use crate::audit::{self, Change, Who};
use crate::error::{CoreError, Result};

/// Proof that the acting user may make a write, and whom the audit trail records for it.
#[derive(Debug, Clone)]
pub(crate) struct Allowed {
    who: Who,
}

impl Allowed {
    /// Made by the access checks (`store::access`) only.
    pub(super) fn new(who: Who) -> Allowed {
        Allowed { who }
    }

    /// Evidence Tracker itself, loading the frameworks it ships with into a new portfolio.
    pub(crate) fn app() -> Allowed {
        Allowed::new(Who::unsigned(None, "Evidence Tracker"))
    }

    /// Someone not yet signed in: a sign-in attempt (recorded under the name tried) or the first
    /// administrator creating their own account.
    pub(crate) fn signing_in(who: Who) -> Allowed {
        Allowed::new(who)
    }

    pub(crate) fn who(&self) -> &Who {
        &self.who
    }
}

/// What [`Store::read`] accepts: the proofs an access check returns. Sealed: only this crate's
/// checks make them.
pub(crate) trait ReadProof {}

impl ReadProof for Allowed {}

// `access::Readable` is the other proof; its impl sits with it, so this module imports nothing of
// the checks above it.

impl<P: ReadProof> ReadProof for &P {}

/// Appends audit entries inside the write's transaction, as the proof's user, signed with their key
/// when it is open.
pub(crate) struct Audit<'t> {
    tx: &'t Transaction<'t>,
    who: Who,
}

impl Audit<'_> {
    /// Appends `change` to the trail now, in the write's transaction.
    pub(crate) fn record(&mut self, change: Change) -> Result<()> {
        audit::append(self.tx, &self.who, change)
    }

    /// Records that `key` was made for the account `subject` (`user:UUID`). When that account is the
    /// one acting, this entry and every later one of the write are signed with the new key.
    pub(crate) fn key_created(&mut self, subject: &str, key: &Arc<SessionKey>) -> Result<()> {
        if self.who.is(subject) {
            self.who.key = Some(key.clone());
        }
        self.record(Change::new("signing_key_created", subject).after(key.key_id()))
    }
}

impl Store {
    /// Runs `work` as one IMMEDIATE transaction, which commits only if `work` returns `Ok` and,
    /// when it changed anything, recorded at least one audit entry.
    pub(crate) fn write<T>(
        &mut self,
        allowed: &Allowed,
        work: impl FnOnce(&Transaction<'_>, &mut Audit<'_>) -> Result<T>,
    ) -> Result<T> {
        self.db.write(|tx| {
            let head_before = audit_head(tx)?;
            let changes_before = tx.total_changes();
            let value = {
                let mut audit = Audit {
                    tx,
                    who: allowed.who.clone(),
                };
                work(tx, &mut audit)?
            };
            if tx.total_changes() != changes_before && audit_head(tx)? == head_before {
                return Err(CoreError::Database(
                    "a change was about to be saved without an audit entry; nothing was saved"
                        .into(),
                ));
            }
            Ok(value)
        })
    }
}

fn audit_head(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT COALESCE((SELECT seq FROM audit_head WHERE id = 1), 0)",
        [],
        |row| row.get(0),
    )?)
}
