//! What changed between two versions of an item: each field that differs, and the body line by line
//! (the `similar` crate's diff), so a tutor sees exactly what a resubmission changed.

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::error::{CoreError, Result};
use crate::evidence::EvidenceVersion;
use crate::ids::VersionNumber;
use crate::store::Store;

/// A field whose value differs between the versions.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One line of the body diff: `same`, `removed` or `added`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct DiffLine {
    pub change: String,
    pub text: String,
}

/// The differences between two versions of an item.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct VersionDiff {
    pub evidence_id: String,
    pub from: VersionNumber,
    pub to: VersionNumber,
    pub fields: Vec<FieldChange>,
    /// Empty when the body did not change.
    pub body: Vec<DiffLine>,
}

fn pick(versions: &[EvidenceVersion], number: VersionNumber) -> Result<&EvidenceVersion> {
    versions
        .iter()
        .find(|v| v.version == number)
        .ok_or_else(|| CoreError::not_found("version", number.to_string()))
}

impl Store {
    /// The changes from version `from` to version `to` of an item.
    pub fn evidence_diff(
        &self,
        evidence: &str,
        from: VersionNumber,
        to: VersionNumber,
    ) -> Result<VersionDiff> {
        let versions = self.evidence_versions(evidence)?;
        let (a, b) = (pick(&versions, from)?, pick(&versions, to)?);
        let mut fields = Vec::new();
        let mut compare = |field: &str, before: String, after: String| {
            if before != after {
                fields.push(FieldChange {
                    field: field.into(),
                    before,
                    after,
                });
            }
        };
        compare("title", a.title.clone(), b.title.clone());
        compare("method", a.method.to_string(), b.method.to_string());
        compare(
            "activity_date",
            a.activity_date.clone(),
            b.activity_date.clone(),
        );
        compare("status", a.status.to_string(), b.status.to_string());
        compare(
            "witness_name",
            a.witness.name.clone(),
            b.witness.name.clone(),
        );
        compare(
            "witness_role",
            a.witness.role.clone(),
            b.witness.role.clone(),
        );
        compare(
            "witness_relationship",
            a.witness.relationship.clone(),
            b.witness.relationship.clone(),
        );
        let body = if a.body_markdown == b.body_markdown {
            Vec::new()
        } else {
            TextDiff::from_lines(&a.body_markdown, &b.body_markdown)
                .iter_all_changes()
                .map(|change| DiffLine {
                    change: match change.tag() {
                        ChangeTag::Equal => "same",
                        ChangeTag::Delete => "removed",
                        ChangeTag::Insert => "added",
                    }
                    .into(),
                    text: change.value().trim_end_matches('\n').to_string(),
                })
                .collect()
        };
        let id = self.evidence(evidence)?.id;
        Ok(VersionDiff {
            evidence_id: id,
            from,
            to,
            fields,
            body,
        })
    }
}
