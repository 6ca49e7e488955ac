//! Timestamps and dates as stored and shown: RFC 3339 UTC instants and ISO 8601 calendar dates.

use chrono::{NaiveDate, SecondsFormat, Utc};

use crate::error::{CoreError, Result};

/// The current instant as RFC 3339 UTC with millisecond precision.
pub fn now_rfc3339() -> String {
    rfc3339(Utc::now())
}

/// An instant as RFC 3339 UTC with millisecond precision (how every stored time is written).
pub fn rfc3339(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Today's date (UTC).
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Parses a `YYYY-MM-DD` date, naming the field on error.
pub fn parse_date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        CoreError::invalid(format!(
            "{field} must be a date as YYYY-MM-DD, got {value:?}"
        ))
    })
}
