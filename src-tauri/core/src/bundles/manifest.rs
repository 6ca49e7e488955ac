//! The bundle's manifest: everything a portfolio is, as one versioned JSON document
//! (`manifest.json` inside the zip), documented in docs/bundle-format.md. Every other file of the
//! bundle is listed in it with its SHA-256 and size.

use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;
use crate::evidence::{Method, Status, Witness};
use crate::ids::VersionNumber;

/// The format identifier every manifest starts with.
pub const FORMAT_ID: &str = "evidence-tracker/bundle";
/// The newest manifest version this build reads, and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

/// What a bundle is for.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    /// A learner's portfolio, to carry between a laptop and the centre (imported and merged).
    Portfolio,
    /// A read-only copy for quality assurers, with the reports; never imported into a portfolio.
    QualityAssurance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub kind: BundleKind,
    pub created_at: String,
    pub created_by: String,
    /// The installation that wrote it (a random id kept in its data directory).
    pub origin: String,
    pub app_version: String,
    pub learner: LearnerEntry,
    pub frameworks: Vec<FrameworkEntry>,
    pub enrolments: Vec<EnrolmentEntry>,
    pub evidence: Vec<ItemEntry>,
    pub feedback: Vec<FeedbackEntry>,
    pub judgements: Vec<JudgementEntry>,
    pub signatures: Vec<SignatureEntry>,
    /// The writing installation's audit entries about this learner, each with its chain hashes
    /// (each entry's hash can be checked on its own: [`AuditEntry::expected_hash`]).
    pub audit: Vec<AuditEntry>,
    /// The writing installation's whole trail ended here when the bundle was made: `audit verify
    /// --against` the bundle checks that trail still holds this entry unchanged. Absent in bundles
    /// of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<crate::audit::AuditHead>,
    /// Every other file in the bundle, with its SHA-256 (hex) and size.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnerEntry {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub created_at: String,
    pub target_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkEntry {
    pub code: String,
    pub version: String,
    pub title: String,
    pub verified: bool,
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEntry {
    pub framework: String,
    pub units: Vec<String>,
    pub enrolled_at: String,
}

/// One saved state of an item, as `evidence_versions` keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub version: VersionNumber,
    pub title: String,
    pub method: Method,
    pub activity_date: String,
    pub status: Status,
    pub body_markdown: String,
    pub witness: Witness,
    pub saved_at: String,
    /// The numbers other installations give this version, where they differ from `version`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<VersionLabel>,
}

/// A version's number on another installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionLabel {
    pub origin: String,
    pub label: VersionNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingEntry {
    /// `FRAMEWORK:CODE`.
    pub criterion: String,
    /// The framework version of the criterion when it is not the current one there (a mapping or
    /// judgement left on a criterion a later version removed or reworded); absent: the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
    pub note: String,
    /// When the mapping was made: with the item and criterion, what names it on every computer.
    pub mapped_at: String,
    /// When its note was last changed, if it was after `mapped_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noted_at: Option<String>,
}

/// A mapping taken away (here or on a computer this one exchanged with): an import takes it away
/// too, and does not add it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedMapping {
    /// `FRAMEWORK:CODE`.
    pub criterion: String,
    /// The framework version of the criterion when it is not the current one there (a mapping or
    /// judgement left on a criterion a later version removed or reworded); absent: the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
    /// The removed mapping's `mapped_at`.
    pub mapped_at: String,
    pub removed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentEntry {
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub added_at: String,
}

/// An evidence item with every version, its mappings and its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemEntry {
    pub id: String,
    pub number: i64,
    pub recorded_at: String,
    pub changes_requested: bool,
    /// Oldest first; the last is the current state.
    pub versions: Vec<VersionEntry>,
    pub mappings: Vec<MappingEntry>,
    /// Mappings taken away, so that the removal travels (absent in bundles that name none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_mappings: Vec<RemovedMapping>,
    pub attachments: Vec<AttachmentEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackEntry {
    pub id: String,
    pub evidence: String,
    pub author_name: String,
    pub body: String,
    pub on_version: VersionNumber,
    pub requests_changes: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedEntry {
    pub evidence: String,
    pub version: VersionNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementEntry {
    pub id: String,
    pub criterion: String,
    /// The framework version of the criterion when it is not the current one there (a mapping or
    /// judgement left on a criterion a later version removed or reworded); absent: the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
    pub outcome: String,
    pub comment: String,
    pub assessor_name: String,
    pub judged_at: String,
    pub cited: Vec<CitedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureEntry {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub signer_name: String,
    pub signed_at: String,
    /// Exactly the text that was signed.
    pub content: String,
    pub content_hash: String,
    /// The installation it was made on (it numbers the versions it cites).
    pub origin: String,
    /// The signing key that made it, for a key signature; absent for a legacy one (a hash only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<KeySignatureEntry>,
}

/// A signature's key signature: which key, its public half, and its signature of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySignatureEntry {
    /// `ed25519:` and the first 16 bytes of the SHA-256 of `public_key`, in hex.
    pub key_id: String,
    /// The Ed25519 public key, 32 bytes in hex.
    pub public_key: String,
    /// The Ed25519 signature of the signed statement, 64 bytes in hex.
    pub signature: String,
    /// The centres' certificates for the key: who vouches that it is the signer's, with which roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateEntry>,
}

/// A centre's certificate for a signing key, with the centre's public key to check it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateEntry {
    /// The centre key's id and its public half (hex): a centre is trusted by this key, never by name.
    pub centre_key_id: String,
    pub centre_public_key: String,
    pub centre_name: String,
    /// The person the key belongs to, their roles (sorted), and the time the certificate covers.
    pub name: String,
    pub roles: Vec<String>,
    pub issued_at: String,
    pub expires_at: String,
    /// The centre key's Ed25519 signature of the certificate, 64 bytes in hex.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}
