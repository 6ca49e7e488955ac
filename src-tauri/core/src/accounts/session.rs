//! Signing in and out, and passwords: a failed attempt is counted and, after a few, each further
//! attempt must wait; the reply never says whether the username or the password was wrong.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use super::centre_session::provision;
use super::password::{self, wait_after};
use super::User;
use super::{centre, keys};
use crate::audit::{Change, Who};
use crate::error::{CoreError, Result};
use crate::store::access::Actor;
use crate::store::write::Allowed;
use crate::store::Store;

/// Minutes of no use before the app locks, unless an administrator sets otherwise.
pub const DEFAULT_LOCK_MINUTES: u32 = 10;
const LOCK_KEY: &str = "lock_after_minutes";

impl Store {
    /// Signs `username` in. A user without a password needs none; otherwise a wrong password counts as
    /// a failed attempt, and after a few of them each further attempt must wait (doubling, up to 15
    /// minutes). The reply never says whether the username or the password was wrong.
    pub fn sign_in(&mut self, username: &str, password: Option<&str>) -> Result<User> {
        let Ok(found) = self.user_row(username) else {
            return Err(CoreError::SignInFailed);
        };
        if found.user.disabled {
            return Err(CoreError::SignInFailed);
        }
        let now = Utc::now();
        let retry_after: Option<String> = self.look_up().query_row(
            "SELECT retry_after FROM users WHERE id = ?1",
            [found.row_id],
            |row| row.get(0),
        )?;
        if let Some(at) = retry_after.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()) {
            let wait_ms = (at.with_timezone(&Utc) - now).num_milliseconds();
            if wait_ms > 0 {
                return Err(CoreError::SignInDelayed {
                    username: found.user.username,
                    seconds: (wait_ms + 999) / 1000,
                });
            }
        }
        let stored: Option<String> = self.look_up().query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [found.row_id],
            |row| row.get(0),
        )?;
        let accepted = match &stored {
            None => true,
            Some(hash) => password.is_some_and(|p| password::matches(p, hash)),
        };
        // Made at less than today's cost (an older version): made again now the password is known.
        let rehash = match (&stored, password) {
            (Some(hash), Some(p)) if accepted && password::needs_rehash(hash) => {
                Some(password::hash(p)?)
            }
            _ => None,
        };
        let attempt = Allowed::signing_in(Who::unsigned(
            Some(found.user.id.clone()),
            found.user.display_name.clone(),
        ));
        let subject = format!("user:{}", found.user.id);
        if !accepted {
            self.write(&attempt, |tx, audit| {
                let failures: i64 = tx.query_row(
                    "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?1 RETURNING failed_attempts",
                    [found.row_id],
                    |row| row.get(0),
                )?;
                let wait = wait_after(failures);
                let retry = (wait > 0).then(|| (now + Duration::seconds(wait)).to_rfc3339());
                tx.execute("UPDATE users SET retry_after = ?1 WHERE id = ?2", params![retry, found.row_id])?;
                audit.record(Change::new("sign_in_failed", subject.clone()).after(failures.to_string()))
            })?;
            return Err(CoreError::SignInFailed);
        }
        // The account's signing key, opened with the password it is sealed with. A key that will not
        // open was changed outside the app: the user can still read, but signs nothing.
        let secret = password.unwrap_or("");
        let (mut key, damaged) = match keys::open(self.look_up(), found.row_id, secret) {
            Ok(key) => (key.map(Arc::new), false),
            Err(CoreError::Conflict(_)) => (None, true),
            Err(other) => return Err(other),
        };
        // A personal laptop's passwordless user opens the app many times a day: nothing to record
        // but the key made the first time.
        let make_key = key.is_none() && !damaged;
        if found.user.has_password || make_key {
            let mut signed_in = attempt.who().clone();
            signed_in.key = key.clone();
            let recorded = self.write(&Allowed::signing_in(signed_in), |tx, audit| {
                // The key first, so that the entries below are signed with it.
                let made = match make_key {
                    true => {
                        let made = Arc::new(keys::create(tx, found.row_id, secret)?);
                        audit.key_created(&subject, &made)?;
                        Some(made)
                    }
                    false => None,
                };
                if found.user.has_password {
                    tx.execute(
                        "UPDATE users SET failed_attempts = 0, retry_after = NULL WHERE id = ?1",
                        [found.row_id],
                    )?;
                    if let Some(hash) = &rehash {
                        tx.execute(
                            "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                            params![hash, found.row_id],
                        )?;
                    }
                    if let Some(old) = key.as_ref().filter(|k| k.sealed_cheaply()) {
                        keys::reseal(tx, old, secret)?;
                    }
                    audit.record(Change::new("signed_in", subject.clone()))?;
                }
                Ok(made)
            });
            match recorded {
                Ok(made) => key = key.or(made),
                // A portfolio on read-only media can still be read by its users.
                Err(CoreError::ReadOnly(_)) => {}
                Err(other) => return Err(other),
            }
        }
        let user = self.begin_session(&found.user.username)?;
        self.session_key = key;
        self.open_centre_key(&found, secret)?;
        self.seal_at_sign_in(&found.user.username, password)?;
        Ok(user)
    }

    /// Ends the session (also what locking the app does); the next operation needs a sign-in.
    pub fn sign_out(&mut self) -> Result<()> {
        if let Some(Actor::User(user)) = self.actor.clone() {
            if user.user.has_password {
                let allowed = self.acting()?;
                let subject = format!("user:{}", user.user.id);
                self.write(&allowed, |_, audit| {
                    audit.record(Change::new("signed_out", subject))
                })?;
            }
        }
        self.session_key = None;
        self.centre_key = None;
        self.actor = self.actor_when_signed_out()?;
        Ok(())
    }

    /// The signed-in user, if any.
    pub fn current_user(&self) -> Option<User> {
        match &self.actor {
            Some(Actor::User(u)) => Some(u.user.clone()),
            _ => None,
        }
    }

    /// Sets or changes a password: users change their own (giving the current one, if they have one);
    /// an administrator may set anyone's.
    pub fn set_password(&mut self, username: &str, current: Option<&str>, new: &str) -> Result<()> {
        let target = self.user_row(username)?;
        let acting = self.signed_in()?;
        let own = acting.row_id == target.row_id;
        let allowed = if own {
            self.acting()?
        } else {
            self.require_admin()?
        };
        if own && target.user.has_password {
            let stored: Option<String> = self.read(&allowed).query_row(
                "SELECT password_hash FROM users WHERE id = ?1",
                [target.row_id],
                |row| row.get(0),
            )?;
            let ok = matches!((stored, current), (Some(h), Some(c)) if password::matches(c, &h));
            if !ok {
                return Err(CoreError::SignInFailed);
            }
        }
        password::check_new_password(new, &[&target.user.username, &target.user.display_name])
            .map_err(|e| e.in_field("password"))?;
        let hash = password::hash(new)?;
        let open_key = if own { self.session_key.clone() } else { None };
        let centre_key = self.centre_key.clone();
        let target_admin = target.user.has(super::Role::Administrator);
        let subject = format!("user:{}", target.user.id);
        let keyring = self.keyring_keeper();
        let own_key = self.write(&allowed, |tx, audit| {
            tx.execute(
                "UPDATE users SET password_hash = ?1, failed_attempts = 0, retry_after = NULL WHERE id = ?2",
                params![hash, target.row_id],
            )?;
            // An encrypted portfolio's key, sealed with the new password (a keyring that cannot be
            // written undoes the change).
            if let Some(keyring) = &keyring {
                keyring.seal_for(&target.user.username, new)?;
            }
            audit.record(Change::new("password_set", subject.clone()))?;
            if !own {
                // Whoever set it knows the password: the old key must sign nothing more.
                if let Some(old) = keys::retire(tx, target.row_id)? {
                    audit.record(Change::new("signing_key_retired", subject.clone()).before(old))?;
                }
                // On a centre the new key is made and certified now; otherwise at the next sign-in.
                if let Some(centre) = &centre_key {
                    let target = (target.row_id, subject.as_str());
                    provision(tx, audit, centre, target, new, target_admin)?;
                }
                return Ok(None);
            }
            if let Some(centre) = &centre_key {
                centre::seal_for(tx, centre, target.row_id, new)?;
            }
            let opened = match open_key {
                Some(key) => Some(key),
                None => keys::open(tx, target.row_id, current.unwrap_or(""))
                    .ok()
                    .flatten()
                    .map(Arc::new),
            };
            if let Some(key) = opened {
                keys::reseal(tx, &key, new)?;
                audit.record(Change::new("signing_key_resealed", subject.clone()).after(key.key_id()))?;
                return Ok(Some(key));
            }
            keys::retire(tx, target.row_id)?;
            let made = Arc::new(keys::create(tx, target.row_id, new)?);
            audit.key_created(&subject, &made)?;
            Ok(Some(made))
        })?;
        self.begin_session(&acting.user.username)?;
        if own {
            self.session_key = own_key;
        }
        Ok(())
    }

    /// Signs in the account set-up has just made, with a signing key made for it now and sealed with
    /// its password (`""` for a personal laptop's passwordless user).
    pub(crate) fn begin_new_account(&mut self, username: &str, password: &str) -> Result<User> {
        let user = self.begin_session(username)?;
        let row = self.signed_in()?.row_id;
        let allowed = self.acting()?;
        let subject = format!("user:{}", user.id);
        let key = self.write(&allowed, |tx, audit| {
            let made = Arc::new(keys::create(tx, row, password)?);
            audit.key_created(&subject, &made)?;
            Ok(made)
        })?;
        self.session_key = Some(key);
        Ok(user)
    }

    /// Makes `username` the acting user (after set-up or a checked sign-in).
    pub(crate) fn begin_session(&mut self, username: &str) -> Result<User> {
        let row = self.user_row(username)?;
        self.actor = Some(Actor::User(row.clone()));
        Ok(row.user)
    }

    /// Minutes without use after which the app locks (0: never). Any signed-in user may read it.
    pub fn lock_after_minutes(&self) -> Result<u32> {
        self.actor()?;
        Ok(self
            .setting(LOCK_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_LOCK_MINUTES))
    }

    /// Sets the idle time before the app locks (administrators; 0 to 240 minutes, 0 for never).
    pub fn set_lock_after_minutes(&mut self, minutes: u32) -> Result<()> {
        self.require_admin()?;
        if minutes > 240 {
            return Err(CoreError::invalid(
                "the lock time must be 0 (never) to 240 minutes",
            ));
        }
        let before = self.lock_after_minutes()?;
        self.put_setting(LOCK_KEY, before.to_string(), minutes.to_string())
    }
}
