//! Filling in part of a framework: the criteria of one standard (or unit) read from pasted text,
//! placed into the framework that lists it without them — the CD NOS suite index names every
//! standard, but only some have their criteria loaded. The result is a whole new draft version;
//! publishing it is an ordinary import, previewed learner by learner.

use std::collections::{HashMap, HashSet};

use super::model::FrameworkDoc;
use crate::error::{CoreError, Result};

/// `base` with each top-level group of `part` put in place of the group of the same code (keeping
/// its place in the tree), everything below it replaced by `part`'s, and the version `version`.
/// A `part` whose top-level groups `base` does not have is refused by name.
pub fn fill_in(base: &FrameworkDoc, part: &FrameworkDoc, version: &str) -> Result<FrameworkDoc> {
    let roots: Vec<&str> = part
        .groups
        .iter()
        .filter(|g| g.parent.is_none())
        .map(|g| g.code.as_str())
        .collect();
    if roots.is_empty() {
        return Err(CoreError::invalid(
            "the text has no unit or standard heading to put into the framework",
        ));
    }
    if let Some(unknown) = roots
        .iter()
        .find(|r| !base.groups.iter().any(|g| g.code == **r))
    {
        return Err(CoreError::invalid(format!(
            "{} has no unit or standard {unknown}: check the code in the pasted heading",
            base.code
        )));
    }
    let replaced = descendants(base, &roots);
    let mut out = base.clone();
    out.version = version.to_string();
    out.verified = false;
    out.groups.clear();
    for group in &base.groups {
        if replaced.contains(group.code.as_str()) && !roots.contains(&group.code.as_str()) {
            continue;
        }
        let mut kept = group.clone();
        if let Some(new) = part.groups.iter().find(|g| g.code == group.code) {
            kept.title = new.title.clone();
        }
        out.groups.push(kept);
        if roots.contains(&group.code.as_str()) {
            out.groups.extend(
                part.groups
                    .iter()
                    .filter(|g| g.parent.is_some() && within(part, &g.code, &group.code))
                    .cloned(),
            );
        }
    }
    let order: HashMap<&str, usize> = out
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.code.as_str(), i))
        .collect();
    let kept = base
        .criteria
        .iter()
        .filter(|c| !c.group.as_deref().is_some_and(|g| replaced.contains(g)));
    let mut criteria: Vec<_> = kept.chain(part.criteria.iter()).cloned().collect();
    criteria.sort_by_key(|c| c.group.as_deref().and_then(|g| order.get(g)).copied());
    out.criteria = criteria;
    out.source = format!(
        "{}; criteria of {} from pasted specification text ({})",
        base.source,
        roots.join(", "),
        part.source
    );
    out.validate()?;
    Ok(out)
}

/// The codes of `roots` and of every group below them in `doc`.
fn descendants<'a>(doc: &'a FrameworkDoc, roots: &[&'a str]) -> HashSet<&'a str> {
    let mut found: HashSet<&str> = roots.iter().copied().collect();
    loop {
        let before = found.len();
        for g in &doc.groups {
            if g.parent.as_deref().is_some_and(|p| found.contains(p)) {
                found.insert(g.code.as_str());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// Whether group `code` of `doc` lies below `root`.
fn within(doc: &FrameworkDoc, code: &str, root: &str) -> bool {
    let mut at = doc.groups.iter().find(|g| g.code == code);
    for _ in 0..=doc.groups.len() {
        match at.and_then(|g| g.parent.as_deref()) {
            Some(parent) if parent == root => return true,
            Some(parent) => at = doc.groups.iter().find(|g| g.code == parent),
            None => return false,
        }
    }
    false
}
