//! The currency threshold: how old evidence may be before it is flagged as no longer current.

use rusqlite::{params, OptionalExtension};

use crate::error::{CoreError, Result};
use crate::store::Store;

/// Evidence older than this many years is flagged unless a centre sets otherwise.
pub const DEFAULT_CURRENCY_YEARS: u32 = 3;
/// The longest threshold accepted.
pub const MAX_CURRENCY_YEARS: u32 = 50;
const KEY: &str = "currency_years";

pub(crate) fn check_years(years: u32) -> Result<u32> {
    if (1..=MAX_CURRENCY_YEARS).contains(&years) {
        Ok(years)
    } else {
        Err(CoreError::invalid(format!(
            "currency threshold must be 1 to {MAX_CURRENCY_YEARS} years, got {years}"
        )))
    }
}

impl Store {
    /// A stored setting's text, if it was ever set. Settings are the centre's (the currency
    /// threshold, the lock delay, this installation's id), not a portfolio's: the operations that
    /// show one check who asks (`look_up`).
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .look_up()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }

    /// Stores a setting (administrators), recording the change from `before` in the audit trail.
    pub(crate) fn put_setting(&mut self, key: &str, before: String, value: String) -> Result<()> {
        let allowed = self.require_admin()?;
        self.write(&allowed, |tx, audit| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            audit.record(
                crate::audit::Change::new("setting_changed", format!("setting:{key}"))
                    .before(before)
                    .after(value.clone()),
            )
        })
    }

    /// The stored currency threshold in years.
    pub fn currency_years(&self) -> Result<u32> {
        self.actor()?;
        Ok(self
            .setting(KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_CURRENCY_YEARS))
    }

    /// Sets the currency threshold in years (administrators).
    pub fn set_currency_years(&mut self, years: u32) -> Result<()> {
        self.require_admin()?;
        let years = check_years(years)?;
        let before = self.currency_years()?;
        self.put_setting(KEY, before.to_string(), years.to_string())
    }
}
