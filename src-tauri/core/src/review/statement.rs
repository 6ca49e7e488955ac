//! What a signing key signs: one statement naming the kind of signature, its subject, the learner,
//! the signer, the time and the key, together with the SHA-256 of the signed content. Signing the
//! statement rather than the content alone means a key signature cannot be moved to another subject,
//! learner or time, and names in what it signs the key that made it.

use serde::Serialize;

use crate::accounts::keys;
use crate::error::Result;

/// The statement's format, part of what is signed: a later format cannot be passed off as this one.
const FORMAT: &str = "evidence-tracker-signature-1";

#[derive(Serialize)]
struct Statement<'a> {
    format: &'static str,
    kind: &'a str,
    subject: &'a str,
    learner: &'a str,
    signer: &'a str,
    signed_at: &'a str,
    key_id: &'a str,
    content_sha256: &'a str,
}

/// Everything a key signature covers.
pub(crate) struct Signed<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    /// The learner's uuid.
    pub learner: &'a str,
    pub signer: &'a str,
    pub signed_at: &'a str,
    pub content_sha256: &'a str,
}

impl Signed<'_> {
    /// The bytes `key_id` signs: the statement as JSON, its fields in a fixed order.
    fn message(&self, key_id: &str) -> Vec<u8> {
        let statement = Statement {
            format: FORMAT,
            kind: self.kind,
            subject: self.subject,
            learner: self.learner,
            signer: self.signer,
            signed_at: self.signed_at,
            key_id,
            content_sha256: self.content_sha256,
        };
        // A struct of strings always serialises.
        serde_json::to_vec(&statement).unwrap_or_default()
    }

    /// `key`'s signature of this statement (hex).
    pub(crate) fn sign_with(&self, key: &keys::SessionKey) -> String {
        key.sign(&self.message(key.key_id()))
    }

    /// Whether `signature` is the signature of exactly this statement by `public`, the key `key_id`
    /// names (a key carried in a bundle, not yet kept here).
    pub(crate) fn verifies_with(&self, public: &[u8], key_id: &str, signature: &str) -> bool {
        keys::verifies_with(public, key_id, &self.message(key_id), signature)
    }

    /// Whether `signature` is `key_id`'s signature of exactly this statement.
    pub(crate) fn verifies(
        &self,
        conn: &rusqlite::Connection,
        key_id: &str,
        signature: &str,
    ) -> Result<bool> {
        keys::verifies(conn, key_id, &self.message(key_id), signature)
    }
}
