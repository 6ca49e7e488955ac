//! What the audit check reports, in a module of its own so that each check (the chain, the
//! cross-checks, the entry signatures) can make one without importing the others.

use serde::{Deserialize, Serialize};

/// One problem, at the entry where it shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct AuditProblem {
    /// The entry number (or the record's identifier for a signature).
    pub at: String,
    /// `altered`, `missing`, `broken_link` or `signature_mismatch`.
    pub kind: String,
    pub message: String,
}

impl AuditProblem {
    pub(crate) fn new(at: impl ToString, kind: &str, message: String) -> AuditProblem {
        AuditProblem {
            at: at.to_string(),
            kind: kind.to_string(),
            message,
        }
    }
}
