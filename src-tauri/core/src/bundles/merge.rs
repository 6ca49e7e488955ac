//! How an imported item meets the local one, decided on their histories alone. Each saved version is
//! identified by a hash of its content and the time it was saved, so a version that travelled from
//! one computer to the other is recognised whatever number it has there.
//!
//! - versions only the bundle has, none only here: the bundle's side changed; take it (fast-forward);
//! - versions only here: this side changed (or both did, if the bundle has some too);
//! - both sides have versions the other lacks but now hold the same fields (both computers resolved
//!   a conflict the same way, or made the same change): nothing to choose; the bundle's versions
//!   join the history as in a fast-forward;
//! - both sides have versions the other lacks and differ: a conflict, shown field by field — the
//!   bundle's versions are added to the history and the local state stays current until the user
//!   chooses.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::manifest::VersionEntry;

/// The identity of a saved version: its content and when it was saved, not its number.
pub fn version_hash(v: &VersionEntry) -> String {
    let fields = serde_json::json!([
        v.title,
        v.method.as_str(),
        v.activity_date,
        v.status.as_str(),
        v.body_markdown,
        v.witness.name,
        v.witness.role,
        v.witness.relationship,
        v.saved_at,
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// What to do with one item of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemMerge {
    /// Nothing here yet: add it with its whole history.
    New,
    /// Every version of the bundle's is known here.
    Unchanged,
    /// Only the bundle's side changed, or both sides arrived at the same fields: append these
    /// versions (oldest first) and take the last.
    FastForward(Vec<VersionEntry>),
    /// Both sides changed: append the bundle's new versions and keep the local state current;
    /// `fields` differ between the two current states.
    Conflict {
        remote: Vec<VersionEntry>,
        fields: Vec<&'static str>,
    },
}

/// The item fields a conflict is shown by, besides mappings and attachments.
pub fn differing_fields(local: &VersionEntry, remote: &VersionEntry) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if local.title != remote.title {
        fields.push("title");
    }
    if local.method != remote.method {
        fields.push("method");
    }
    if local.activity_date != remote.activity_date {
        fields.push("activity_date");
    }
    if local.status != remote.status {
        fields.push("status");
    }
    if local.body_markdown != remote.body_markdown {
        fields.push("body");
    }
    if local.witness != remote.witness {
        fields.push("witness");
    }
    fields
}

/// Decides how the bundle's history of an item meets the local one (`None`: not here).
pub fn merge_item(local: Option<&[VersionEntry]>, remote: &[VersionEntry]) -> ItemMerge {
    let Some(local) = local else {
        return ItemMerge::New;
    };
    let known: HashSet<String> = local.iter().map(version_hash).collect();
    let theirs: HashSet<String> = remote.iter().map(version_hash).collect();
    let remote_new: Vec<VersionEntry> = remote
        .iter()
        .filter(|v| !known.contains(&version_hash(v)))
        .cloned()
        .collect();
    if remote_new.is_empty() {
        return ItemMerge::Unchanged;
    }
    let local_new = local.iter().any(|v| !theirs.contains(&version_hash(v)));
    if !local_new {
        return ItemMerge::FastForward(remote_new);
    }
    let fields = match (local.last(), remote.last()) {
        (Some(l), Some(r)) => differing_fields(l, r),
        _ => Vec::new(),
    };
    if fields.is_empty() {
        return ItemMerge::FastForward(remote_new);
    }
    ItemMerge::Conflict {
        remote: remote_new,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Method, Status, Witness};

    fn v(n: i64, title: &str, at: &str) -> VersionEntry {
        VersionEntry {
            version: crate::ids::VersionNumber::new(n),
            title: title.into(),
            method: Method::ReflectiveAccount,
            activity_date: "2026-10-01".into(),
            status: Status::Draft,
            body_markdown: "Body".into(),
            witness: Witness::default(),
            saved_at: at.into(),
            labels: Vec::new(),
        }
    }

    #[test]
    fn histories_decide_the_merge() {
        let base = vec![v(1, "A", "t1")];
        assert_eq!(merge_item(None, &base), ItemMerge::New);
        assert_eq!(merge_item(Some(&base), &base), ItemMerge::Unchanged);
        let theirs = vec![v(1, "A", "t1"), v(2, "B", "t2")];
        assert_eq!(
            merge_item(Some(&base), &theirs),
            ItemMerge::FastForward(vec![v(2, "B", "t2")])
        );
        // Only this side changed: nothing to take.
        assert_eq!(merge_item(Some(&theirs), &base), ItemMerge::Unchanged);
        let ours = vec![v(1, "A", "t1"), v(2, "C", "t3")];
        assert_eq!(
            merge_item(Some(&ours), &theirs),
            ItemMerge::Conflict {
                remote: vec![v(2, "B", "t2")],
                fields: vec!["title"]
            }
        );
        // Both changed it the same way: nothing to choose; their version joins the history.
        let same = vec![v(1, "A", "t1"), v(2, "B", "t5")];
        assert_eq!(
            merge_item(Some(&same), &theirs),
            ItemMerge::FastForward(vec![v(2, "B", "t2")])
        );
        // A version that travelled and was renumbered is still recognised.
        let merged = vec![
            v(1, "A", "t1"),
            v(2, "C", "t3"),
            v(3, "B", "t2"),
            v(4, "D", "t4"),
        ];
        assert_eq!(
            merge_item(Some(&theirs), &merged),
            ItemMerge::FastForward(vec![v(2, "C", "t3"), v(4, "D", "t4")])
        );
    }
}
