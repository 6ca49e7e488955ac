//! Disabling an account: someone who has left, or whose password may be known to others, signs in no
//! more and signs nothing more. Their signing key is retired (what it signed still verifies, and
//! nothing new can be signed with it), the centre certifies no key of theirs, and their records and
//! the audit entries they made stay as they were. Enabling the account again lets them sign in with
//! their password; a new key is made then.

use rusqlite::params;

use super::{keys, User};
use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::store::Store;

impl Store {
    /// Disables or enables `username` (administrators). Nobody may disable their own account, so an
    /// enabled administrator always remains.
    pub fn set_account_disabled(&mut self, username: &str, disabled: bool) -> Result<User> {
        let allowed = self.require_admin()?;
        let target = self.user_row(username)?;
        let acting = self.current_user();
        if disabled && acting.is_some_and(|me| me.id == target.user.id) {
            return Err(CoreError::invalid("you cannot disable your own account"));
        }
        if target.user.disabled == disabled {
            return Ok(target.user);
        }
        let subject = format!("user:{}", target.user.id);
        let keyring = self.keyring_keeper();
        self.write(&allowed, |tx, audit| {
            tx.execute(
                "UPDATE users SET disabled = ?1 WHERE id = ?2",
                params![disabled, target.row_id],
            )?;
            let action = if disabled {
                "account_disabled"
            } else {
                "account_enabled"
            };
            audit.record(Change::new(action, subject.clone()))?;
            if disabled {
                // Nor may they unlock an encrypted portfolio (enabled again, they are sealed for
                // at their next sign-in while it is open).
                if let Some(keyring) = &keyring {
                    keyring.remove(&target.user.username)?;
                }
                if let Some(old) = keys::retire(tx, target.row_id)? {
                    audit
                        .record(Change::new("signing_key_retired", subject.clone()).before(old))?;
                }
            }
            Ok(())
        })?;
        Ok(self.user_row(&target.user.id)?.user)
    }
}
