//! Who a store acts for while nobody is signed in — its owner only when it never had accounts — so
//! that deleting every account with SQL does not turn the store into an owner's, who may do
//! everything (issue 16).

use super::Actor;
use crate::error::Result;
use crate::store::Store;

impl Store {
    /// For whom a store acts while nobody is signed in: its owner when it has no accounts and never
    /// had any (a personal laptop), else nobody. A store that had accounts — an entry by a signed-in
    /// user in the audit trail, an account's signing key — and has none now lost them outside the
    /// app (rows deleted with SQL): it must not become an owner who may do everything.
    pub(crate) fn actor_when_signed_out(&self) -> Result<Option<Actor>> {
        if self.user_count()? > 0 || self.accounts_were_removed()? {
            return Ok(None);
        }
        Ok(Some(Actor::Owner))
    }

    /// Whether the store has no accounts but had some (see [`Store::actor_when_signed_out`]).
    pub(crate) fn accounts_were_removed(&self) -> Result<bool> {
        if self.user_count()? > 0 {
            return Ok(false);
        }
        Ok(self.look_up().query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE user_uuid IS NOT NULL)
                 OR EXISTS (SELECT 1 FROM signing_keys WHERE user_id IS NOT NULL)",
            [],
            |row| row.get(0),
        )?)
    }
}
