//! What an import reports: counts of what it added, and the items left in conflict. Its own module
//! because every stage of an import (plan, apply, records) adds to it.

use serde::Serialize;

use crate::learners::Learner;

/// What an import did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BundleImport {
    pub sha256: String,
    pub learner: Option<Learner>,
    pub new_learner: bool,
    pub items_added: usize,
    pub items_updated: usize,
    pub versions_added: usize,
    pub mappings_added: usize,
    /// Mappings taken away here because the other computer removed them.
    pub mappings_removed: usize,
    pub attachments_added: usize,
    pub feedback_added: usize,
    pub judgements_added: usize,
    pub signatures_added: usize,
    /// Judgements, sign-offs and declarations kept as "unverified — not counted", with the reason.
    pub not_counted: Vec<NotCounted>,
    /// Centres this laptop trusted because the bundle carried their certificates (the first import).
    pub centres_trusted: Vec<String>,
    pub audit_entries_added: usize,
    /// Items changed on both sides since they were last exchanged, left as they are here.
    pub conflicts: Vec<ConflictedItem>,
    /// True when the bundle held nothing this computer lacked: nothing was written.
    pub unchanged: bool,
}

/// An item both sides changed, with the fields that differ.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ConflictedItem {
    pub evidence: String,
    pub title: String,
    pub fields: Vec<String>,
}

/// A signed record from the bundle that does not count here.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NotCounted {
    /// `judgement`, `unit_sign_off` or `declaration`.
    pub kind: String,
    pub subject: String,
    pub signer_name: String,
    pub reason: String,
}
