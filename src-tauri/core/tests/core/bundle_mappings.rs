//! Why this exists: a mapping taken away on one computer must not come back from the other's older
//! copy, and a conflict's choice of mappings must hold on both computers after the next exchange
//! (`bundles::mappings`). Also: a note changed on one side arrives, and two computers that resolved
//! the same conflict the same way are not asked again.

use std::collections::BTreeSet;
use std::path::PathBuf;

use evidence_core::audit::HistoryScope;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::Store;

use crate::bundles::export;
use crate::common::{add, dump, enrolled, fresh, refs, Fixture};

struct Pair {
    machines: Vec<Fixture>,
    learner: String,
    item: String,
    out: tempfile::TempDir,
    sent: usize,
}

/// The item's mapped criteria on a store.
fn mapped(store: &Store, item: &str) -> BTreeSet<String> {
    store
        .evidence(item)
        .unwrap()
        .mappings
        .iter()
        .map(|m| m.reference.to_string())
        .collect()
}

/// Whether an import changed no item (audit entries about the exchange still travel).
fn quiet(report: &evidence_core::bundles::BundleImport) -> bool {
    report.items_added + report.items_updated + report.versions_added == 0
        && report.mappings_added + report.mappings_removed == 0
        && report.conflicts.is_empty()
}

fn set(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const X: &str = "NOCN-L3-CD:PWC.1.1";
const Y: &str = "CD-NOS:CLDSCCD15.PC1";
const Z: &str = "CD-NOS:CLDSCCD15.K1";

impl Pair {
    /// `n` computers; the first has an item mapped to X and Y, and every other has imported it.
    fn new(n: usize) -> Pair {
        let mut first = fresh();
        let learner = enrolled(&mut first.store, "Lee Chen");
        let item = add(
            &mut first.store,
            &learner,
            "Residents' forum",
            Status::Draft,
            "2026-10-01",
        )
        .id;
        first
            .store
            .map_evidence(&item, &refs(&[X, Y]), Some("chaired it"))
            .unwrap();
        let mut pair = Pair {
            machines: vec![first],
            learner,
            item,
            out: tempfile::tempdir().unwrap(),
            sent: 0,
        };
        let bundle = pair.bundle(0);
        for _ in 1..n {
            let mut other = fresh();
            other.store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
            pair.machines.push(other);
        }
        pair
    }

    fn bundle(&mut self, from: usize) -> PathBuf {
        self.sent += 1;
        let name = format!("{}.zip", self.sent);
        export(
            &self.machines[from].store,
            &self.learner,
            self.out.path(),
            &name,
        )
    }

    /// Exports on `from` and imports on `to`; the import's report.
    fn send(&mut self, from: usize, to: usize) -> evidence_core::bundles::BundleImport {
        let bundle = self.bundle(from);
        let store = &mut self.machines[to].store;
        let report = store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
        // The same bundle again changes nothing.
        let before = dump(store);
        assert!(
            store
                .import_bundle(&bundle, &mut |_| Ok(()))
                .unwrap()
                .unchanged
        );
        assert_eq!(dump(store), before);
        report
    }

    fn store(&mut self, n: usize) -> &mut Store {
        &mut self.machines[n].store
    }

    fn retitle(&mut self, n: usize, title: &str) {
        let item = self.item.clone();
        self.store(n)
            .edit_evidence(
                &item,
                &EvidenceEdit {
                    title: Some(title.into()),
                    ..EvidenceEdit::default()
                },
            )
            .unwrap();
    }

    fn mapped(&self, n: usize) -> BTreeSet<String> {
        mapped(&self.machines[n].store, &self.item)
    }
}

#[test]
fn a_removed_mapping_reaches_the_other_computer_and_does_not_come_back() {
    let mut p = Pair::new(2);
    let item = p.item.clone();
    p.store(0).unmap_evidence(&item, &refs(&[X])).unwrap();
    let report = p.send(0, 1);
    assert_eq!((report.mappings_removed, report.mappings_added), (1, 0));
    assert!(!report.unchanged);
    assert_eq!(p.mapped(1), set(&[Y]));
    // The centre's own trail says what the import took away, and from where.
    let trail = p.machines[1]
        .store
        .history(HistoryScope::Evidence(&item))
        .unwrap();
    let unmapped = trail.iter().find(|e| e.action == "unmapped").unwrap();
    assert_eq!(unmapped.before.as_deref(), Some(X));
    assert!(unmapped
        .after
        .as_deref()
        .unwrap()
        .starts_with("removed from the other computer (bundle sha256:"));
    // The centre's bundle still lists nothing the laptop removed.
    let back = p.send(1, 0);
    assert!(quiet(&back), "{back:?}");
    assert_eq!(p.mapped(0), set(&[Y]));
    // An older bundle of the centre's, made before the removal arrived, does not put it back.
    let mut q = Pair::new(2);
    let item = q.item.clone();
    let old = q.bundle(1);
    q.store(0).unmap_evidence(&item, &refs(&[X])).unwrap();
    let report = q.store(0).import_bundle(&old, &mut |_| Ok(())).unwrap();
    assert_eq!(report.mappings_added, 0, "{report:?}");
    assert_eq!(q.mapped(0), set(&[Y]));
    let audit = q.store(0).verify_audit().unwrap();
    assert!(audit.intact, "{:?}", audit.problems);
}

#[test]
fn mapping_again_after_a_removal_is_a_new_mapping_that_the_old_removal_does_not_take_away() {
    let mut p = Pair::new(2);
    let item = p.item.clone();
    p.store(0).unmap_evidence(&item, &refs(&[X])).unwrap();
    p.store(0).map_evidence(&item, &refs(&[X]), None).unwrap();
    p.send(0, 1);
    assert_eq!(p.mapped(1), set(&[X, Y]));
    p.send(1, 0);
    assert_eq!(p.mapped(0), set(&[X, Y]));
    // Concurrently: the laptop removes Y, the centre maps Z; both changes arrive on both sides.
    p.store(0).unmap_evidence(&item, &refs(&[Y])).unwrap();
    p.store(1).map_evidence(&item, &refs(&[Z]), None).unwrap();
    let report = p.send(0, 1);
    assert!(report.conflicts.is_empty(), "mappings alone never conflict");
    p.send(1, 0);
    assert_eq!(p.mapped(0), set(&[X, Z]));
    assert_eq!(p.mapped(1), set(&[X, Z]));
}

#[test]
fn a_changed_note_arrives_and_the_later_note_wins() {
    let mut p = Pair::new(2);
    let item = p.item.clone();
    p.store(1)
        .map_evidence(&item, &refs(&[Y]), Some("chaired and minuted it"))
        .unwrap();
    p.send(1, 0);
    let note = |s: &Store| {
        s.evidence(&item)
            .unwrap()
            .mappings
            .iter()
            .find(|m| m.reference.to_string() == Y)
            .unwrap()
            .note
            .clone()
    };
    assert_eq!(note(&p.machines[0].store), "chaired and minuted it");
    p.store(0)
        .map_evidence(&item, &refs(&[Y]), Some("minuted it"))
        .unwrap();
    p.send(0, 1);
    assert_eq!(note(&p.machines[1].store), "minuted it");
    assert!(quiet(&p.send(1, 0)));
}

#[test]
fn a_removal_travels_on_through_a_third_computer() {
    let mut p = Pair::new(3);
    let item = p.item.clone();
    p.store(0).unmap_evidence(&item, &refs(&[X])).unwrap();
    p.send(0, 1);
    // The third computer never exchanges with the laptop: the centre passes the removal on.
    let report = p.send(1, 2);
    assert_eq!(report.mappings_removed, 1);
    assert_eq!(p.mapped(2), set(&[Y]));
}

/// Both retitle the item; the laptop removes X, the centre maps Z: a conflict on the laptop, where
/// the learner keeps (or takes) one side's mappings; after the next exchanges both computers hold
/// exactly that choice.
fn conflict_choice(take_theirs: bool) -> Pair {
    let mut p = Pair::new(2);
    let item = p.item.clone();
    p.retitle(0, "Forum (laptop)");
    p.store(0).unmap_evidence(&item, &refs(&[X])).unwrap();
    p.retitle(1, "Forum (centre)");
    p.store(1).map_evidence(&item, &refs(&[Z]), None).unwrap();
    let report = p.send(1, 0);
    assert_eq!(report.conflicts.len(), 1);
    assert!(report.conflicts[0].fields.contains(&"mappings".to_string()));
    // Nothing moves before the learner chooses.
    assert_eq!(p.mapped(0), set(&[Y]));
    let take: Vec<String> = if take_theirs {
        vec!["mappings".into()]
    } else {
        Vec::new()
    };
    p.store(0).resolve_conflict(&item, &take).unwrap();
    let report = p.send(0, 1);
    assert!(report.conflicts.is_empty(), "{report:?}");
    let again = p.send(1, 0);
    assert!(quiet(&again), "{again:?}");
    assert_eq!(p.mapped(0), p.mapped(1));
    for n in 0..2 {
        let audit = p.store(n).verify_audit().unwrap();
        assert!(audit.intact, "{:?}", audit.problems);
    }
    p
}

#[test]
fn keeping_this_computers_mappings_in_a_conflict_holds_on_both_computers() {
    let p = conflict_choice(false);
    assert_eq!(p.mapped(1), set(&[Y]), "Z left out, X still removed");
}

#[test]
fn taking_the_other_computers_mappings_in_a_conflict_holds_on_both_computers() {
    let p = conflict_choice(true);
    assert_eq!(p.mapped(1), set(&[X, Y, Z]), "X back, as the centre had it");
}

#[test]
fn two_computers_that_resolved_a_conflict_the_same_way_are_not_asked_again() {
    let mut p = Pair::new(2);
    let item = p.item.clone();
    p.retitle(0, "Forum (laptop)");
    p.retitle(1, "Forum (centre)");
    // Each gets the other's bundle and the same choice is made on both: the laptop's title.
    let to_laptop = p.bundle(1);
    let to_centre = p.bundle(0);
    assert_eq!(
        p.store(0)
            .import_bundle(&to_laptop, &mut |_| Ok(()))
            .unwrap()
            .conflicts
            .len(),
        1
    );
    assert_eq!(
        p.store(1)
            .import_bundle(&to_centre, &mut |_| Ok(()))
            .unwrap()
            .conflicts
            .len(),
        1
    );
    p.store(0).resolve_conflict(&item, &[]).unwrap();
    p.store(1)
        .resolve_conflict(&item, &["title".to_string()])
        .unwrap();
    let report = p.send(0, 1);
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_eq!(
        report.items_updated, 1,
        "the laptop's resolution joins the history"
    );
    assert!(p.send(1, 0).conflicts.is_empty());
    assert!(quiet(&p.send(0, 1)));
    let learner = p.learner.clone();
    for n in 0..2 {
        assert_eq!(p.store(n).evidence(&item).unwrap().title, "Forum (laptop)");
        assert!(p.store(n).conflicts(&learner).unwrap().is_empty());
    }
}
