//! Whether a bundle may be taken in at all, decided from its manifest before any of its files is
//! written to this computer: sound data (the checks typing applies), a portfolio bundle, and a
//! reader who may carry this learner's portfolio (or, for a learner new here, an administrator).
//! A learner id that is someone this reader may not name is answered as a new one would be, so the
//! refusal never tells that the id is taken, nor whose it is.

use super::validate::check_manifest;
use crate::bundles::manifest::{BundleKind, Manifest};
use crate::error::{CoreError, Result};
use crate::learners::model::LearnerRow;
use crate::store::access::Need;
use crate::store::{Allowed, Store};

/// A manifest admitted: the learner it matches here (if any), and the proof the import writes with.
pub(super) struct Admitted {
    pub existing: Option<LearnerRow>,
    pub allowed: Allowed,
}

impl Store {
    pub(super) fn admit(&self, m: &Manifest) -> Result<Admitted> {
        check_manifest(m)?;
        if m.kind != BundleKind::Portfolio {
            return Err(CoreError::InvalidInput(
                "this is a read-only bundle for quality assurance: open its index.html or reports instead of importing it".into(),
            ));
        }
        let existing = match self.learner_row_by_id(&m.learner.id) {
            Ok(row) => Some(row),
            Err(CoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let Some(row) = existing else {
            return Ok(Admitted {
                existing: None,
                allowed: self.require_admin()?,
            });
        };
        if !self.nameable_learners()?.allows(row.row_id) {
            self.require_admin()?;
        }
        // Checked first: whether the id is someone else's is told only to whoever may carry that
        // portfolio, and never with that learner's name or dates.
        let allowed = self.require_portfolio(&row, Need::CarryPortfolio)?;
        if row.learner.created_at != m.learner.created_at {
            return Err(CoreError::Conflict(format!(
                "learner id {} belongs to another learner on this computer, not to the bundle's {}",
                m.learner.id, m.learner.name
            )));
        }
        Ok(Admitted {
            existing: Some(row),
            allowed,
        })
    }
}
