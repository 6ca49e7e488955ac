//! How an item's mappings meet across computers. A mapping is named everywhere by its item, its
//! criterion and when it was made (`mapped_at`); taking one away records that name
//! (`mapping_removals`), and bundles carry the removals. An import then:
//!
//! - takes away a mapping here that the bundle names as removed, and remembers the removal;
//! - adds a mapping the bundle has and this computer lacks, unless either side removed it;
//! - where both have the criterion mapped, keeps the note changed last.
//!
//! So a removal on one computer reaches the other instead of being put back by its older copy, and
//! mapping the criterion again (a new `mapped_at`) is never undone by an old removal. An item changed
//! on both computers waits for the learner's choice (`resolve`): the chosen set is then made exact,
//! and every mapping left out is recorded as removed so that it does not come back.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, Connection, Transaction};

use crate::bundles::manifest::{ItemEntry, MappingEntry, RemovedMapping};
use crate::error::Result;
use crate::evidence::{record_removal, remove_mapping};
use crate::ids::{CriterionRowId, EvidenceRowId, LearnerRowId};
use crate::store::{Allowed, Store};

/// An item's mappings here: criterion row → (`mapped_at`, when the note last changed).
fn mapped_here(
    conn: &Connection,
    row: EvidenceRowId,
) -> Result<HashMap<CriterionRowId, (String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT criterion_id, mapped_at, COALESCE(noted_at, mapped_at) FROM mappings WHERE evidence_id = ?1",
    )?;
    let rows = stmt.query_map([row], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The removals recorded here for an item: (criterion row, the removed mapping's `mapped_at`).
fn removed_here(
    conn: &Connection,
    row: EvidenceRowId,
) -> Result<HashSet<(CriterionRowId, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT criterion_id, mapped_at FROM mapping_removals WHERE evidence_id = ?1",
    )?;
    let rows = stmt.query_map([row], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What an import changes in the mappings of the items it does not leave in conflict.
#[derive(Default)]
pub(in crate::bundles) struct MappingPlan<'m> {
    /// (item row, or None for an item the import adds; item id; criterion row; the mapping)
    pub add: Vec<(
        Option<EvidenceRowId>,
        &'m str,
        CriterionRowId,
        &'m MappingEntry,
    )>,
    /// (item row, item id, criterion row, the removal): mappings here the bundle names as removed.
    pub remove: Vec<(EvidenceRowId, &'m str, CriterionRowId, &'m RemovedMapping)>,
    /// (item id, criterion row, the removal): removals this computer has not recorded yet.
    pub removals: Vec<(&'m str, CriterionRowId, &'m RemovedMapping)>,
    /// (item row, criterion row, the mapping): a later note from the bundle.
    pub notes: Vec<(EvidenceRowId, CriterionRowId, &'m MappingEntry)>,
}

impl MappingPlan<'_> {
    pub(in crate::bundles) fn is_empty(&self) -> bool {
        self.add.is_empty()
            && self.remove.is_empty()
            && self.removals.is_empty()
            && self.notes.is_empty()
    }
}

impl Store {
    /// Plans how the bundle's mappings and removals of `item` meet this computer's (`row`: the item
    /// here, if it is).
    pub(in crate::bundles) fn plan_mappings<'m>(
        &self,
        allowed: &Allowed,
        item: &'m ItemEntry,
        row: Option<EvidenceRowId>,
        plan: &mut MappingPlan<'m>,
    ) -> Result<()> {
        let (here, gone) = match row {
            Some(row) => (
                mapped_here(self.read(&allowed), row)?,
                removed_here(self.read(&allowed), row)?,
            ),
            None => Default::default(),
        };
        let mut removed_now = HashSet::new();
        let mut theirs_gone = HashSet::new();
        for r in &item.removed_mappings {
            let criterion =
                self.local_criterion(allowed, &r.criterion, r.framework_version.as_deref())?;
            theirs_gone.insert((criterion, r.mapped_at.as_str()));
            if !gone.contains(&(criterion, r.mapped_at.clone())) {
                plan.removals.push((&item.id, criterion, r));
            }
            if let Some(row) = row {
                if here
                    .get(&criterion)
                    .is_some_and(|(at, _)| *at == r.mapped_at)
                    && removed_now.insert(criterion)
                {
                    plan.remove.push((row, &item.id, criterion, r));
                }
            }
        }
        for m in &item.mappings {
            let criterion =
                self.local_criterion(allowed, &m.criterion, m.framework_version.as_deref())?;
            if gone.contains(&(criterion, m.mapped_at.clone()))
                || theirs_gone.contains(&(criterion, m.mapped_at.as_str()))
            {
                continue;
            }
            match (row, here.get(&criterion)) {
                (Some(row), Some((_, noted))) if !removed_now.contains(&criterion) => {
                    let theirs = m.noted_at.as_deref().unwrap_or(&m.mapped_at);
                    if theirs > noted.as_str() {
                        plan.notes.push((row, criterion, m));
                    }
                }
                _ => plan.add.push((row, &item.id, criterion, m)),
            }
        }
        Ok(())
    }
}

/// Writes a mapping plan; `row_of` finds an item's row (items the import added included). Returns
/// the numbers of mappings added and removed.
pub(in crate::bundles) fn write_mappings(
    tx: &Transaction<'_>,
    plan: &MappingPlan<'_>,
    learner: LearnerRowId,
    row_of: &dyn Fn(&str) -> Result<EvidenceRowId>,
) -> Result<(usize, usize)> {
    for (item, criterion, r) in &plan.removals {
        record_removal(tx, row_of(item)?, *criterion, &r.mapped_at, &r.removed_at)?;
    }
    for (row, _, criterion, _) in &plan.remove {
        tx.execute(
            "DELETE FROM mappings WHERE evidence_id = ?1 AND criterion_id = ?2",
            params![row, criterion],
        )?;
    }
    let mut added = 0;
    for (_, item, criterion, m) in &plan.add {
        added += tx.execute(
            "INSERT OR IGNORE INTO mappings (learner_id, criterion_id, evidence_id, note, mapped_at, noted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![learner, criterion, row_of(item)?, m.note, m.mapped_at, m.noted_at],
        )?;
    }
    for (row, criterion, m) in &plan.notes {
        tx.execute(
            "UPDATE mappings SET note = ?3, noted_at = ?4 WHERE evidence_id = ?1 AND criterion_id = ?2",
            params![row, criterion, m.note, m.noted_at.as_deref().unwrap_or(&m.mapped_at)],
        )?;
    }
    Ok((added, plan.remove.len()))
}

impl<'m> MappingPlan<'m> {
    /// Per item already here: the criteria the import maps and unmaps (for the audit trail; an
    /// item the import adds is audited whole).
    pub(in crate::bundles) fn changes(&self) -> BTreeMap<&'m str, (Vec<&'m str>, Vec<&'m str>)> {
        let mut out: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
        for (row, item, _, m) in &self.add {
            if row.is_some() {
                out.entry(item).or_default().0.push(&m.criterion);
            }
        }
        for (_, item, _, r) in &self.remove {
            out.entry(item).or_default().1.push(&r.criterion);
        }
        out
    }
}

/// The other side of a conflicted item, its criteria looked up here (before the transaction).
pub(in crate::bundles) struct RemoteMappings<'m> {
    pub mappings: Vec<(CriterionRowId, &'m MappingEntry)>,
    pub removed: Vec<(CriterionRowId, &'m RemovedMapping)>,
}

impl Store {
    pub(in crate::bundles) fn remote_mappings<'m>(
        &self,
        allowed: &Allowed,
        item: &'m ItemEntry,
    ) -> Result<RemoteMappings<'m>> {
        Ok(RemoteMappings {
            mappings: item
                .mappings
                .iter()
                .map(|m| {
                    Ok((
                        self.local_criterion(
                            allowed,
                            &m.criterion,
                            m.framework_version.as_deref(),
                        )?,
                        m,
                    ))
                })
                .collect::<Result<_>>()?,
            removed: item
                .removed_mappings
                .iter()
                .map(|r| {
                    Ok((
                        self.local_criterion(
                            allowed,
                            &r.criterion,
                            r.framework_version.as_deref(),
                        )?,
                        r,
                    ))
                })
                .collect::<Result<_>>()?,
        })
    }
}

/// Resolves the mappings of a conflicted item: they become exactly the other side's
/// (`take_remote`) or this side's. Both sides' removals are kept; each mapping left out is recorded
/// as removed, and a kept mapping that a removal names is made again (a new `mapped_at`), so that
/// the choice holds on both computers after the next exchange.
pub(in crate::bundles) fn resolve_mappings(
    tx: &Transaction<'_>,
    row: EvidenceRowId,
    learner: LearnerRowId,
    remote: &RemoteMappings<'_>,
    take_remote: bool,
    now: &str,
) -> Result<()> {
    for (criterion, r) in &remote.removed {
        record_removal(tx, row, *criterion, &r.mapped_at, &r.removed_at)?;
    }
    let here = mapped_here(tx, row)?;
    let gone = removed_here(tx, row)?;
    let theirs: HashMap<CriterionRowId, &MappingEntry> = remote.mappings.iter().copied().collect();
    let keep: HashSet<CriterionRowId> = if take_remote {
        theirs.keys().copied().collect()
    } else {
        here.keys().copied().collect()
    };
    for criterion in here.keys().filter(|c| !keep.contains(c)) {
        remove_mapping(tx, row, *criterion, now)?;
    }
    for (criterion, m) in theirs.iter().filter(|(c, _)| !keep.contains(c)) {
        record_removal(tx, row, *criterion, &m.mapped_at, now)?;
    }
    for criterion in &keep {
        // The name the kept mapping will have: this side's, else the other's, else a new one —
        // whichever no removal names.
        let live = |at: &str| !gone.contains(&(*criterion, at.to_string()));
        let mine = here.get(criterion).map(|(at, _)| at.as_str());
        let other = theirs.get(criterion).map(|m| m.mapped_at.as_str());
        let name = mine.filter(|at| live(at)).or(other.filter(|at| live(at)));
        let note = match (take_remote, theirs.get(criterion)) {
            (true, Some(m)) => Some(m.note.as_str()),
            _ => None,
        };
        match mine {
            Some(_) => {
                tx.execute(
                    "UPDATE mappings SET mapped_at = ?3, note = COALESCE(?4, note)
                     WHERE evidence_id = ?1 AND criterion_id = ?2",
                    params![row, criterion, name.unwrap_or(now), note],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO mappings (learner_id, criterion_id, evidence_id, note, mapped_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        learner,
                        criterion,
                        row,
                        note.unwrap_or_default(),
                        name.unwrap_or(now)
                    ],
                )?;
            }
        }
    }
    Ok(())
}
