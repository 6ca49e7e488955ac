//! Each audit entry's signature, checked against its author's key: an entry signed with a key that
//! is not its author's, or whose signature does not verify, was written or rewritten outside the app;
//! and an author who had a key signed every entry they made from then on, so a trail stripped of its
//! signatures and rechained is found too. A long trail is checked in batches (Ed25519 batch
//! verification) on every core, so 100,000 entries take about a second.

use std::collections::HashMap;

use ed25519_dalek::{Signature, VerifyingKey};
use rusqlite::Connection;

use super::problem::AuditProblem;
use super::{signed_statement, AuditEntry};
use crate::accounts::keys::key_id_of;
use crate::error::Result;

/// Entries made without a key at hand even by an account that has one.
const MADE_WITHOUT_KEY: &[&str] = &["sign_in_failed"];

/// Signatures verified together; a batch that fails is checked one by one to name the entries.
const BATCH: usize = 512;

/// This installation's usable keys by id, with their owner's uuid. A public half that does not hash
/// to its id, or a weak key (one whose signatures anyone could make), is left out: it verifies nothing.
fn keys_here(conn: &Connection) -> Result<HashMap<String, (VerifyingKey, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT k.key_id, k.public_key, u.uuid FROM signing_keys k LEFT JOIN users u ON u.id = k.user_id
         WHERE k.origin IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get(2)?))
    })?;
    let mut keys = HashMap::new();
    for row in rows {
        let (id, public, owner) = row?;
        let Ok(bytes) = <[u8; 32]>::try_from(public.as_slice()) else {
            continue;
        };
        let usable = VerifyingKey::from_bytes(&bytes)
            .ok()
            .filter(|k| !k.is_weak() && key_id_of(&bytes) == id);
        if let Some(key) = usable {
            keys.insert(id, (key, owner));
        }
    }
    Ok(keys)
}

/// A signed entry whose key is its author's, to verify.
struct ToVerify {
    seq: i64,
    author: String,
    message: Vec<u8>,
    key: VerifyingKey,
    signature: Signature,
}

pub(super) fn problems(
    conn: &Connection,
    entries: &[AuditEntry],
    signed_from: i64,
) -> Result<Vec<AuditProblem>> {
    let keys = keys_here(conn)?;
    let not_theirs = |seq: i64, name: &str| {
        AuditProblem::new(
            seq,
            "signature_invalid",
            format!("entry {seq} is not signed by {name}'s key: it was written or rewritten outside the app"),
        )
    };
    // Whose key is current, as the trail itself tells it.
    let mut current: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
    let mut to_verify = Vec::new();
    for e in entries {
        let author = e.user_id.as_deref();
        match (&e.key_id, &e.signature) {
            (Some(key_id), Some(signature)) => {
                let key = keys
                    .get(key_id)
                    .filter(|(_, owner)| owner.is_some() && owner.as_deref() == author);
                let signature = hex::decode(signature)
                    .ok()
                    .and_then(|b| Signature::from_slice(&b).ok());
                match (key, signature) {
                    (Some((key, _)), Some(signature)) => to_verify.push(ToVerify {
                        seq: e.seq,
                        author: e.user_name.clone(),
                        message: signed_statement(&e.hash, key_id),
                        key: *key,
                        signature,
                    }),
                    _ => problems.push(not_theirs(e.seq, &e.user_name)),
                }
            }
            (None, None) => {
                let owed = author.is_some_and(|a| current.contains_key(a))
                    && e.seq >= signed_from
                    && !MADE_WITHOUT_KEY.contains(&e.action.as_str());
                if owed {
                    problems.push(AuditProblem::new(
                        e.seq,
                        "unsigned",
                        format!(
                            "entry {} by {} is not signed though they had a key: it was written or rewritten outside the app",
                            e.seq, e.user_name
                        ),
                    ));
                }
            }
            _ => problems.push(AuditProblem::new(
                e.seq,
                "signature_invalid",
                format!("entry {} has half a signature", e.seq),
            )),
        }
        let subject_user = e.subject.strip_prefix("user:");
        match (e.action.as_str(), subject_user) {
            ("signing_key_created", Some(user)) => {
                if let Some(key) = e.after.as_deref() {
                    current.insert(user, key);
                }
            }
            ("signing_key_retired", Some(user)) => {
                current.remove(user);
            }
            _ => {}
        }
    }
    for bad in failing(&to_verify) {
        problems.push(not_theirs(bad.seq, &bad.author));
    }
    problems.sort_by_key(|p| p.at.parse::<i64>().unwrap_or(i64::MAX));
    Ok(problems)
}

/// The entries whose signature does not verify, checked in batches across the machine's cores.
fn failing(all: &[ToVerify]) -> Vec<&ToVerify> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = all.len().div_ceil(threads).max(BATCH);
    std::thread::scope(|scope| {
        let workers: Vec<_> = all
            .chunks(share)
            .map(|part| {
                let worker = scope
                    .spawn(move || part.chunks(BATCH).flat_map(failing_in).collect::<Vec<_>>());
                (part, worker)
            })
            .collect();
        workers
            .into_iter()
            // A worker that panicked verified nothing: its whole share counts as failing.
            .flat_map(|(part, worker)| worker.join().unwrap_or_else(|_| part.iter().collect()))
            .collect()
    })
}

fn failing_in(batch: &[ToVerify]) -> Vec<&ToVerify> {
    let messages: Vec<&[u8]> = batch.iter().map(|v| v.message.as_slice()).collect();
    let signatures: Vec<Signature> = batch.iter().map(|v| v.signature).collect();
    let keys: Vec<VerifyingKey> = batch.iter().map(|v| v.key).collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok() {
        return Vec::new();
    }
    batch
        .iter()
        .filter(|v| v.key.verify_strict(&v.message, &v.signature).is_err())
        .collect()
}
