//! What the acting user may do with one learner's portfolio, as data the UI shows: every need of
//! the access table answered for this user and this learner by the same checks the operations run,
//! so a button is offered exactly when the operation behind it would be allowed.

use serde::{Deserialize, Serialize};

use super::access_table::Need;
use super::Store;
use crate::accounts::{Actor, Role};
use crate::error::Result;
use crate::learners::model::LearnerRow;

/// What the acting user may do with a learner's portfolio (the sample portfolio: everything).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Deserialize)]
pub struct PortfolioPermissions {
    /// The portfolio is the acting user's own (or the sample, or there are no accounts).
    pub own: bool,
    pub read: bool,
    /// Add, edit, attach, map, submit and declare evidence.
    pub change_evidence: bool,
    pub enrol: bool,
    /// Write in an item's feedback thread.
    pub discuss: bool,
    /// Return an item to the learner for changes.
    pub review: bool,
    /// Judge criteria and sign units off.
    pub judge: bool,
    /// Export the portfolio as a bundle for another computer.
    pub carry_portfolio: bool,
    /// Export a read-only quality-assurance bundle.
    pub quality_assure: bool,
}

impl Store {
    /// What the acting user may do with `learner`'s portfolio. Refused only when nobody is signed in
    /// or the learner is unknown; a portfolio the user may not read answers all false.
    pub fn portfolio_permissions(&self, learner: &str) -> Result<PortfolioPermissions> {
        self.actor()?;
        let row = self.learner_row(learner)?;
        let may = |need: Need| self.require_portfolio(&row, need).is_ok();
        let own = self.is_own(&row)?;
        Ok(PortfolioPermissions {
            own,
            read: may(Need::Read),
            change_evidence: may(Need::ChangeEvidence),
            enrol: may(Need::Enrol),
            discuss: may(Need::Discuss),
            review: may(Need::Review),
            judge: may(Need::Judge),
            carry_portfolio: may(Need::CarryPortfolio),
            quality_assure: may(Need::QualityAssure),
        })
    }
}

impl Store {
    /// Whether `learner`'s portfolio is the acting user's own (the sample and a portfolio without
    /// accounts count as everyone's).
    fn is_own(&self, learner: &LearnerRow) -> Result<bool> {
        Ok(match self.actor()? {
            Actor::Owner => true,
            Actor::User(_) if learner.is_sample => true,
            Actor::User(u) => u.learner_row == Some(learner.row_id) && u.user.has(Role::Learner),
        })
    }
}
