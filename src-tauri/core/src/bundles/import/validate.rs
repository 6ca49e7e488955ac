//! Checking a bundle's manifest as data before anything is written: the same checks as typing it in
//! (`crate::input`: titles, names and file names single-line with nothing that hides or reorders
//! text; bodies, notes and comments with no control codes; the same lengths), well-formed ids, dates and references, each item's
//! versions numbered 1, 2, 3…, ids never repeated, every cited item and version present, every
//! attachment's file in the bundle, every enrolment on a framework the bundle lists, and every
//! framework version it maps to present on this computer.

use std::collections::HashSet;

use crate::bundles::manifest::{KeySignatureEntry, Manifest, VersionEntry};
use crate::error::{CoreError, Result};
use crate::evidence::{MAX_BODY_CHARS, MAX_TITLE_CHARS, MAX_WITNESS_CHARS};
use crate::ids::VersionNumber;
use crate::learners::MAX_NAME_CHARS;
use crate::review::MAX_COMMENT_CHARS;

/// Longest text of any other field (names of files, media types, times, signed content…).
const MAX_SHORT: usize = 1_000;
const MAX_SIGNED: usize = 1_000_000;

fn check_len(what: &str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(CoreError::invalid_bundle(format!(
            "{what} is {n} characters long; the limit is {max}"
        )));
    }
    if value.contains('\0') {
        return Err(CoreError::invalid_bundle(format!(
            "{what} contains a NUL character"
        )));
    }
    Ok(())
}

/// A name or title, as `input::single_line` accepts it when typed (an empty one is refused too).
fn check_single_line(what: &str, value: &str, max: usize) -> Result<()> {
    crate::input::single_line(what, value, max)
        .map(|_| ())
        .map_err(|e| CoreError::invalid_bundle(e.to_string()))
}

/// A text written over several lines (a body, a note, a comment), as typing it in is checked.
fn check_multi_line(what: &str, value: &str, max: usize) -> Result<()> {
    crate::input::multi_line(what, value, max).map_err(|e| CoreError::invalid_bundle(e.to_string()))
}

/// A moment as RFC 3339 (what names a mapping on every computer must be one).
fn check_instant(what: &str, value: &str) -> Result<()> {
    check_len(what, value, MAX_SHORT)?;
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|_| ())
        .map_err(|_| {
            CoreError::invalid_bundle(format!("{what} \"{}\" is not a time", value.escape_debug()))
        })
}

/// A key signature names the key its public half hashes to, and both are Ed25519-sized hex.
fn check_key_signature(signature: &str, key: &KeySignatureEntry) -> Result<()> {
    let public = hex::decode(&key.public_key)
        .ok()
        .and_then(|p| <[u8; 32]>::try_from(p).ok());
    let signed = hex::decode(&key.signature).is_ok_and(|s| s.len() == 64);
    match public {
        Some(public) if signed && crate::accounts::keys::key_id_of(&public) == key.key_id => Ok(()),
        _ => Err(CoreError::invalid_bundle(format!(
            "signature {signature}: its key {} is not a well-formed Ed25519 key and signature, or the key is not the one its id names",
            key.key_id.escape_debug()
        ))),
    }
}

fn check_uuid(what: &str, value: &str) -> Result<()> {
    uuid::Uuid::parse_str(value).map(|_| ()).map_err(|_| {
        CoreError::invalid_bundle(format!("{what} \"{}\" is not an id", value.escape_debug()))
    })
}

fn check_version(item: &str, v: &VersionEntry, expected: VersionNumber) -> Result<()> {
    if v.version != expected {
        return Err(CoreError::invalid_bundle(format!(
            "item {item}: versions must be numbered 1, 2, 3…; found {} where {expected} belongs",
            v.version
        )));
    }
    let what = |field: &str| format!("item {item} version {}: {field}", v.version);
    check_single_line(&what("title"), &v.title, MAX_TITLE_CHARS)?;
    check_multi_line(&what("body"), &v.body_markdown, MAX_BODY_CHARS)?;
    crate::evidence::parse_activity_date(&v.activity_date)
        .map_err(|e| CoreError::invalid_bundle(format!("{}: {e}", what("activity date"))))?;
    for (field, value) in [
        ("witness name", &v.witness.name),
        ("witness role", &v.witness.role),
        ("witness relationship", &v.witness.relationship),
    ] {
        if !value.is_empty() {
            check_single_line(&what(field), value, MAX_WITNESS_CHARS)?;
        }
    }
    check_len(&what("saved_at"), &v.saved_at, MAX_SHORT)
}

/// Checks everything in the manifest that does not need the database.
pub(crate) fn check_manifest(m: &Manifest) -> Result<()> {
    check_uuid("learner id", &m.learner.id)?;
    check_single_line("learner name", &m.learner.name, MAX_NAME_CHARS)?;
    for text in [
        &m.created_at,
        &m.created_by,
        &m.origin,
        &m.app_version,
        &m.learner.created_at,
    ] {
        check_len("a manifest field", text, MAX_SHORT)?;
    }
    let frameworks: HashSet<&str> = m.frameworks.iter().map(|f| f.code.as_str()).collect();
    for e in &m.enrolments {
        if !frameworks.contains(e.framework.as_str()) {
            return Err(CoreError::invalid_bundle(format!(
                "the enrolment on \"{}\" names a framework the bundle does not list",
                e.framework.escape_debug()
            )));
        }
        let mut units = HashSet::new();
        for unit in &e.units {
            check_len("enrolment unit", unit, MAX_SHORT)?;
            if !units.insert(unit.as_str()) {
                return Err(CoreError::invalid_bundle(format!(
                    "the enrolment on {} lists unit \"{}\" twice",
                    e.framework,
                    unit.escape_debug()
                )));
            }
        }
    }
    let files: HashSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    let mut items = HashSet::new();
    let mut numbers = HashSet::new();
    for item in &m.evidence {
        check_uuid("item id", &item.id)?;
        if !items.insert(item.id.as_str()) {
            return Err(CoreError::invalid_bundle(format!(
                "item {} appears twice",
                item.id
            )));
        }
        if item.number < 1 || !numbers.insert(item.number) {
            return Err(CoreError::invalid_bundle(format!(
                "item {} has a missing or repeated number {}",
                item.id, item.number
            )));
        }
        if item.versions.is_empty() {
            return Err(CoreError::invalid_bundle(format!(
                "item {} has no versions",
                item.id
            )));
        }
        for (i, v) in item.versions.iter().enumerate() {
            check_version(&item.id, v, VersionNumber::new(i as i64 + 1))?;
        }
        for mapping in &item.mappings {
            crate::refs::CriterionRef::parse(&mapping.criterion)
                .map_err(|e| CoreError::invalid_bundle(format!("item {}: {e}", item.id)))?;
            check_framework_version(&mapping.framework_version)?;
            check_multi_line(
                "mapping note",
                &mapping.note,
                crate::evidence::MAX_NOTE_CHARS,
            )?;
            check_instant("mapping time", &mapping.mapped_at)?;
            if let Some(noted_at) = &mapping.noted_at {
                check_instant("mapping note time", noted_at)?;
            }
        }
        for removed in &item.removed_mappings {
            crate::refs::CriterionRef::parse(&removed.criterion).map_err(|e| {
                CoreError::invalid_bundle(format!("item {}: removed mapping: {e}", item.id))
            })?;
            check_framework_version(&removed.framework_version)?;
            check_instant("removed mapping time", &removed.mapped_at)?;
            check_instant("mapping removal time", &removed.removed_at)?;
        }
        for a in &item.attachments {
            crate::input::file_name(std::ffi::OsStr::new(&a.file_name))
                .map_err(|e| CoreError::invalid_bundle(format!("item {}: {e}", item.id)))?;
            check_len("attachment name", &a.file_name, MAX_SHORT)?;
            check_len("attachment media type", &a.media_type, MAX_SHORT)?;
            if !files.contains(format!("attachments/{}", a.sha256).as_str()) {
                return Err(CoreError::invalid_bundle(format!(
                    "item {} lists attachment {} whose file is not in the bundle",
                    item.id, a.sha256
                )));
            }
        }
    }
    let version_of = |id: &str, version: VersionNumber| {
        m.evidence.iter().find(|i| i.id == id).is_some_and(|i| {
            usize::try_from(version.get()).is_ok_and(|n| n >= 1 && n <= i.versions.len())
        })
    };
    // Ids of everything else are unique too: a repeat would be written twice.
    let mut ids = HashSet::new();
    let mut once = |what: &str, id: &str| {
        if ids.insert((what.to_string(), id.to_string())) {
            Ok(())
        } else {
            Err(CoreError::invalid_bundle(format!(
                "{what} {id} appears twice"
            )))
        }
    };
    for f in &m.feedback {
        check_uuid("feedback id", &f.id)?;
        once("feedback", &f.id)?;
        check_multi_line("feedback", &f.body, MAX_COMMENT_CHARS)?;
        check_single_line("feedback author", &f.author_name, MAX_SHORT)?;
        if !version_of(&f.evidence, f.on_version) {
            return Err(CoreError::invalid_bundle(format!(
                "feedback {} is on an item version the bundle lacks",
                f.id
            )));
        }
    }
    for j in &m.judgements {
        check_uuid("judgement id", &j.id)?;
        once("judgement", &j.id)?;
        crate::refs::CriterionRef::parse(&j.criterion)
            .map_err(|e| CoreError::invalid_bundle(format!("judgement {}: {e}", j.id)))?;
        check_framework_version(&j.framework_version)?;
        if !matches!(j.outcome.as_str(), "met" | "not_yet_met") {
            return Err(CoreError::invalid_bundle(format!(
                "judgement {} has outcome \"{}\"",
                j.id,
                j.outcome.escape_debug()
            )));
        }
        check_multi_line("judgement comment", &j.comment, MAX_COMMENT_CHARS)?;
        check_single_line("assessor name", &j.assessor_name, MAX_SHORT)?;
        if let Some(c) = j.cited.iter().find(|c| !version_of(&c.evidence, c.version)) {
            return Err(CoreError::invalid_bundle(format!(
                "judgement {} cites item {} version {}, which the bundle lacks",
                j.id, c.evidence, c.version
            )));
        }
    }
    for s in &m.signatures {
        check_uuid("signature id", &s.id)?;
        once("signature", &s.id)?;
        if !matches!(
            s.kind.as_str(),
            "judgement" | "unit_sign_off" | "declaration"
        ) {
            return Err(CoreError::invalid_bundle(format!(
                "signature {} has kind \"{}\"",
                s.id,
                s.kind.escape_debug()
            )));
        }
        check_len("signed content", &s.content, MAX_SIGNED)?;
        check_single_line("signer name", &s.signer_name, MAX_SHORT)?;
        for text in [&s.subject, &s.signed_at, &s.content_hash] {
            check_len("a signature field", text, MAX_SHORT)?;
        }
        if let Some(key) = &s.key {
            check_key_signature(&s.id, key)?;
        }
    }
    for e in &m.audit {
        once("audit entry", &e.seq.to_string())?;
    }
    if let Some(bad) = m.audit.iter().find(|e| e.expected_hash() != e.hash) {
        return Err(CoreError::invalid_bundle(format!(
            "audit entry {} does not match its hash: it was altered",
            bad.seq
        )));
    }
    Ok(())
}

/// A criterion's framework version, when a mapping or judgement names one: as short as any field.
fn check_framework_version(version: &Option<String>) -> Result<()> {
    match version {
        Some(v) => check_len("framework version", v, MAX_SHORT),
        None => Ok(()),
    }
}
