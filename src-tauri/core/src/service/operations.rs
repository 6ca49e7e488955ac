//! The operations of the core as data: one list, from which come the message a client sends
//! ([`Call`]), how the service runs it (the very `Store` method, with its own permission check and
//! audit), and the [`Portfolio`] trait that the embedded [`Store`] and the service's [`Client`] both
//! implement (through [`Caller`]) — so code written against `Portfolio` (the CLI's commands) runs the same either way.
//!
//! Adding an operation to the service is one line here; its argument and answer types need
//! `Serialize + Deserialize`, and a borrowed argument names the owned type it travels as.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::ownership::{Lend, Own};
use chrono::NaiveDate;

use crate::accounts::{AssignedAs, Assignment, CentreKey, NewUser, User};
use crate::audit::AuditReport;
use crate::bundles::ConflictView;
use crate::error::{CoreError, Result};
use crate::evidence::{
    Attachment, Evidence, EvidenceEdit, EvidenceFilter, EvidenceSummary, EvidenceVersion,
    MapReport, NewEvidence, SearchHit, VersionNumber,
};
use crate::frameworks::crosswalk::Suggestion;
use crate::frameworks::FrameworkSummary;
use crate::frameworks::{FrameworkDoc, ImportPreview, ImportReport, MethodRuleDoc};
use crate::gaps::{Coverage, Gaps};
use crate::learners::{Enrolment, Learner};
use crate::readiness::Readiness;
use crate::refs::CriterionRef;
use crate::review::{
    CaseloadRow, Feedback, Judgement, Outcome, Signature, UnitSignOff, VersionDiff,
};
use crate::store::permissions::PortfolioPermissions;
use crate::store::Store;

/// The operations that carry a file's content from where the user is: the embedded store reads the
/// file itself; the service's client reads it, as the user's own account, and sends its content.
pub trait PortfolioFiles {
    /// Attaches the file at `source` to an evidence item.
    fn attach(&mut self, evidence: &str, source: &Path) -> Result<Attachment>;
}

impl PortfolioFiles for Store {
    fn attach(&mut self, evidence: &str, source: &Path) -> Result<Attachment> {
        Store::attach(self, evidence, source)
    }
}

/// What sends a [`Call`] somewhere and decodes its answer: the service's client
/// (`service::Client`). Whatever does so answers every [`Portfolio`] operation.
pub trait Caller {
    fn call<T: DeserializeOwned>(&mut self, call: Call) -> Result<T>;
}

macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $lent:ty => $owned:ty),*) -> $answer:ty;
    )*) => {
        /// One operation and its arguments, as a client sends it.
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(tag = "op", content = "args")]
        #[allow(non_camel_case_types)]
        pub enum Call {
            $( $name { $($arg: $owned),* }, )*
        }

        impl Call {
            /// The operation's name, as the CLI and the audit write it.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Call::$name { .. } => stringify!($name), )*
                }
            }

            /// Runs the operation on `store`, as whoever `store` acts for, and encodes its answer as JSON.
            pub(crate) fn run(self, store: &mut Store) -> Result<Vec<u8>> {
                match self {
                    $( Call::$name { $($arg),* } => answer(Store::$name(store, $(Lend::lend(&$arg)),*)), )*
                }
            }
        }

        /// The operations a portfolio answers, wherever it is: the embedded store or the service.
        pub trait Portfolio: PortfolioFiles {
            $(
                $(#[doc = $doc])*
                fn $name(&mut self, $($arg: $lent),*) -> Result<$answer>;
            )*
        }

        impl Portfolio for Store {
            $(
                fn $name(&mut self, $($arg: $lent),*) -> Result<$answer> {
                    Store::$name(self, $($arg),*)
                }
            )*
        }

        impl<C: Caller + PortfolioFiles> Portfolio for C {
            $(
                fn $name(&mut self, $($arg: $lent),*) -> Result<$answer> {
                    self.call(Call::$name { $($arg: Own::own($arg)),* })
                }
            )*
        }
    };
}

operations! {
    /// Learners the user may see.
    fn list_learners() -> Vec<Learner>;
    /// Every learner (staff who see the whole centre).
    fn list_all_learners() -> Vec<Learner>;
    /// One learner, by id or name.
    fn learner(key: &str => String) -> Learner;
    fn add_learner(name: &str => String, email: Option<&str> => Option<String>) -> Learner;
    fn enrol(learner: &str => String, framework: &str => String, units: &[String] => Vec<String>) -> Enrolment;
    fn unenrol(learner: &str => String, framework: &str => String) -> ();
    fn enrolments(learner: &str => String) -> Vec<Enrolment>;
    fn add_evidence(new: &NewEvidence => NewEvidence) -> Evidence;
    fn edit_evidence(key: &str => String, edit: &EvidenceEdit => EvidenceEdit) -> Evidence;
    fn evidence(key: &str => String) -> Evidence;
    fn evidence_versions(key: &str => String) -> Vec<EvidenceVersion>;
    fn list_evidence(learner: &str => String, filter: &EvidenceFilter => EvidenceFilter) -> Vec<EvidenceSummary>;
    fn map_evidence(evidence: &str => String, refs: &[CriterionRef] => Vec<CriterionRef>, note: Option<&str> => Option<String>) -> MapReport;
    fn unmap_evidence(evidence: &str => String, refs: &[CriterionRef] => Vec<CriterionRef>) -> ();
    fn search_evidence(text: &str => String, learner: Option<&str> => Option<String>, limit: usize => usize) -> Vec<SearchHit>;
    /// What still lacks evidence, for one learner.
    fn gaps(learner: &str => String, currency_years: Option<u32> => Option<u32>) -> Gaps;
    fn coverage(learner: &str => String) -> Coverage;
    fn currency_years() -> u32;
    fn set_currency_years(years: u32 => u32) -> ();
    fn list_frameworks(include_old_versions: bool => bool) -> Vec<FrameworkSummary>;
    fn list_users() -> Vec<User>;
    fn assignments() -> Vec<Assignment>;
    fn lock_after_minutes() -> u32;
    fn set_password(username: &str => String, current: Option<&str> => Option<String>, new: &str => String) -> ();
    fn verify_audit() -> AuditReport;
    fn add_user(new: &NewUser => NewUser) -> User;
    fn assign(username: &str => String, learner: &str => String, role: AssignedAs => AssignedAs) -> Assignment;
    fn unassign(username: &str => String, learner: &str => String, role: AssignedAs => AssignedAs) -> ();
    fn set_account_disabled(username: &str => String, disabled: bool => bool) -> User;
    fn set_lock_after_minutes(minutes: u32 => u32) -> ();
    fn centre_keys() -> Vec<CentreKey>;
    fn trust_centre(fingerprint: &str => String, name: &str => String) -> CentreKey;
    fn framework(code: &str => String, version: Option<&str> => Option<String>) -> FrameworkDoc;
    fn accepted_methods(reference: &CriterionRef => CriterionRef) -> Option<MethodRuleDoc>;
    fn crosswalk_suggestions(reference: &CriterionRef => CriterionRef) -> Vec<Suggestion>;
    fn preview_framework_import(doc: &FrameworkDoc => FrameworkDoc) -> ImportPreview;
    fn import_framework(doc: &FrameworkDoc => FrameworkDoc) -> ImportReport;
    fn portfolio_permissions(learner: &str => String) -> PortfolioPermissions;
    fn readiness(learner: &str => String, unit: Option<&str> => Option<String>) -> Readiness;
    fn add_feedback(evidence: &str => String, body: &str => String, request_changes: bool => bool) -> Feedback;
    fn feedback(evidence: &str => String) -> Vec<Feedback>;
    fn evidence_diff(evidence: &str => String, from: VersionNumber => VersionNumber, to: VersionNumber => VersionNumber) -> VersionDiff;
    fn judge(learner: &str => String, criterion: &CriterionRef => CriterionRef, outcome: Outcome => Outcome, comment: &str => String, evidence: &[String] => Vec<String>) -> Judgement;
    fn judgements(learner: &str => String) -> Vec<Judgement>;
    fn sign_off_unit(learner: &str => String, framework: &str => String, unit: &str => String) -> UnitSignOff;
    fn unit_sign_offs(learner: &str => String) -> Vec<UnitSignOff>;
    fn declare(evidence: &str => String) -> Signature;
    fn declaration(evidence: &str => String) -> Option<Signature>;
    fn caseload() -> Vec<CaseloadRow>;
    fn set_target_date(learner: &str => String, date: Option<NaiveDate> => Option<NaiveDate>) -> ();
    fn attachment_preview(sha256: &str => String) -> Option<String>;
    fn evidence_conflict(item: &str => String) -> Option<ConflictView>;
    fn resolve_conflict(item: &str => String, take_remote: &[String] => Vec<String>) -> Evidence;
}

fn answer<T: Serialize>(result: Result<T>) -> Result<Vec<u8>> {
    serde_json::to_vec(&result?)
        .map_err(|e| CoreError::Io(format!("cannot encode the service's answer: {e}")))
}
