//! Why this exists: issue 6 promises that a learner's laptop (A) and the centre's machine (B), two
//! data directories exchanging portfolio bundles across any sequence of edits on both sides, never
//! lose an edit, and that an import reports as conflicts exactly the items changed on both sides.
//! The examples in `bundles.rs` show single exchanges; this property drives random sequences of
//! edits, exchanges and resolutions against an oracle.
//!
//! The oracle: every saved version is an *edit* (a change a person made there: an edit, or a
//! resolution, which is a new version holding the chosen fields). Each side knows a set of edits per
//! item. An import compares the sender's edits with the receiver's: nothing new → unchanged; new
//! edits, and the receiver has none the sender lacks → the receiver follows (all of them join its
//! history, the sender's state becomes current, and a conflict left waiting here becomes moot); both
//! sides have edits the other lacks → a conflict, the receiver's history and state untouched and
//! the sender's side waiting until it is resolved, when it joins the history.

use std::collections::{BTreeMap, BTreeSet};

use evidence_core::bundles::ConflictedItem;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::bundles::export;
use crate::common::{add, dump, enrolled, fresh, Fixture};

const ITEMS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    A,
    B,
}

/// Which conflicting fields a resolution takes from the other side.
#[derive(Debug, Clone, Copy)]
enum Take {
    Nothing,
    Title,
    All,
}

#[derive(Debug, Clone)]
enum Step {
    /// A new title and account on one side (unique text, so every edit can be traced).
    Edit(Side, usize),
    /// Export on this side, import on the other.
    Send(Side),
    /// Resolve an open conflict on this side (this item's, else the first open one; none: skip).
    Resolve(Side, usize, Take),
}

/// One side's copy of an item, as the oracle expects it.
#[derive(Debug, Clone, Default)]
struct Copy {
    /// The edits in its history (see `Oracle::titles`).
    known: BTreeSet<String>,
    title: String,
    /// The other side waiting beside it: its edits and its title.
    waiting: Option<(BTreeSet<String>, String)>,
}

struct Oracle {
    /// [side][item]
    copies: [Vec<Copy>; 2],
    /// Every edit made, anywhere, with the title its version holds.
    titles: BTreeMap<String, String>,
    /// Every edit a person typed: (item, its text).
    edits: Vec<(usize, String)>,
    made: usize,
}

impl Oracle {
    /// The titles of the versions a copy's history should hold, with how many of each.
    fn history(&self, side: Side, item: usize) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for edit in &self.copies[side as usize][item].known {
            *out.entry(self.titles[edit].clone()).or_default() += 1;
        }
        out
    }
}

fn other(side: Side) -> Side {
    match side {
        Side::A => Side::B,
        Side::B => Side::A,
    }
}

fn history(store: &Store, item: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for v in store.evidence_versions(item).unwrap() {
        *out.entry(v.title).or_default() += 1;
    }
    out
}

fn ids(conflicts: &[ConflictedItem]) -> BTreeSet<String> {
    conflicts.iter().map(|c| c.evidence.clone()).collect()
}

struct World {
    machines: [Fixture; 2],
    learner: String,
    items: Vec<String>,
    oracle: Oracle,
    out: tempfile::TempDir,
    bundles: usize,
}

impl World {
    /// A with a learner and `ITEMS` items, exported to B once: both start equal.
    fn new() -> World {
        let mut a = fresh();
        let learner = enrolled(&mut a.store, "Lee Chen");
        let mut copies = Vec::new();
        let mut items = Vec::new();
        let mut titles = BTreeMap::new();
        for i in 0..ITEMS {
            let title = format!("Item {i}");
            items.push(add(&mut a.store, &learner, &title, Status::Draft, "2026-10-01").id);
            titles.insert(title.clone(), title.clone());
            copies.push(Copy {
                known: BTreeSet::from([title.clone()]),
                title,
                waiting: None,
            });
        }
        let mut world = World {
            machines: [a, fresh()],
            learner,
            items,
            oracle: Oracle {
                copies: [copies.clone(), copies],
                titles,
                edits: Vec::new(),
                made: 0,
            },
            out: tempfile::tempdir().unwrap(),
            bundles: 0,
        };
        let first = world.bundle(Side::A);
        let report = world.machines[1]
            .store
            .import_bundle(&first, &mut |_| {})
            .unwrap();
        assert_eq!(report.items_added, ITEMS);
        world.check(Side::B);
        world
    }

    fn bundle(&mut self, side: Side) -> std::path::PathBuf {
        self.bundles += 1;
        let name = format!("{}.zip", self.bundles);
        export(
            &self.machines[side as usize].store,
            &self.learner,
            self.out.path(),
            &name,
        )
    }

    fn edit(&mut self, side: Side, item: usize) {
        self.oracle.made += 1;
        let text = format!("Edit {} on {side:?}", self.oracle.made);
        let edit = EvidenceEdit {
            title: Some(text.clone()),
            body_markdown: Some(format!("Account of {text}.")),
            ..EvidenceEdit::default()
        };
        let id = self.items[item].clone();
        let done = self.machines[side as usize]
            .store
            .edit_evidence(&id, &edit)
            .unwrap();
        assert_eq!(done.title, text);
        self.oracle.titles.insert(text.clone(), text.clone());
        self.oracle.edits.push((item, text.clone()));
        let copy = &mut self.oracle.copies[side as usize][item];
        copy.known.insert(text.clone());
        copy.title = text;
        self.check(side);
    }

    /// Export on `from`, import on the other side, and check the import against the oracle.
    fn send(&mut self, from: Side) -> usize {
        let to = other(from);
        let path = self.bundle(from);
        let sender_histories: Vec<_> = (0..ITEMS)
            .map(|i| history(&self.machines[from as usize].store, &self.items[i]))
            .collect();
        let report = self.machines[to as usize]
            .store
            .import_bundle(&path, &mut |_| {})
            .unwrap();
        let mut expected = BTreeSet::new();
        let mut followed = Vec::new();
        for i in 0..ITEMS {
            let sent = self.oracle.copies[from as usize][i].clone();
            let here = &mut self.oracle.copies[to as usize][i];
            if sent.known.is_subset(&here.known) {
                continue; // nothing new: unchanged
            }
            if here.known.is_subset(&sent.known) {
                // Only the sender changed it: follow, and a conflict waiting here is moot.
                here.known = sent.known.clone();
                here.title = sent.title.clone();
                if here
                    .waiting
                    .as_ref()
                    .is_some_and(|(w, _)| w.is_subset(&here.known))
                {
                    here.waiting = None;
                }
                followed.push(i);
            } else {
                // Both sides have edits the other lacks.
                here.waiting = Some((sent.known.clone(), sent.title.clone()));
                expected.insert(self.items[i].clone());
            }
        }
        assert_eq!(ids(&report.conflicts), expected, "conflicts of {report:?}");
        assert_eq!(report.items_updated, followed.len(), "{report:?}");
        let store = &self.machines[to as usize].store;
        for i in followed {
            // No edit lost: every version the sender had is now in the receiver's history.
            let here = history(store, &self.items[i]);
            for title in sender_histories[i].keys() {
                assert!(here.contains_key(title), "{title} lost on {to:?}: {here:?}");
            }
        }
        self.check(to);
        // The same bundle again changes nothing.
        let store = &mut self.machines[to as usize].store;
        let before = dump(store);
        let again = store.import_bundle(&path, &mut |_| {}).unwrap();
        assert!(again.unchanged, "{again:?}");
        assert_eq!(ids(&again.conflicts), expected);
        assert_eq!(dump(store), before);
        expected.len()
    }

    /// Resolves the open conflict on `item` (else the first open one) on `side`; false: none open.
    fn resolve(&mut self, side: Side, item: usize, take: Take) -> bool {
        let Some(i) = std::iter::once(item)
            .chain(0..ITEMS)
            .find(|&i| self.oracle.copies[side as usize][i].waiting.is_some())
        else {
            return false;
        };
        let id = self.items[i].clone();
        let store = &mut self.machines[side as usize].store;
        let view = store.evidence_conflict(&id).unwrap().unwrap();
        let fields: Vec<String> = view.fields.iter().map(|f| f.field.clone()).collect();
        let chosen: Vec<String> = match take {
            Take::Nothing => Vec::new(),
            Take::Title => fields.iter().filter(|f| *f == "title").cloned().collect(),
            Take::All => fields,
        };
        let done = store.resolve_conflict(&id, &chosen).unwrap();
        self.oracle.made += 1;
        let edit = format!("resolution {}", self.oracle.made);
        let copy = &mut self.oracle.copies[side as usize][i];
        let (theirs, their_title) = copy.waiting.take().unwrap();
        if chosen.iter().any(|f| f == "title") {
            copy.title = their_title;
        }
        let title = copy.title.clone();
        copy.known.extend(theirs);
        copy.known.insert(edit.clone());
        self.oracle.titles.insert(edit, title.clone());
        assert_eq!(done.title, title);
        self.check(side);
        true
    }

    /// One side's store against the oracle: titles, histories, open conflicts, audit trail.
    fn check(&self, side: Side) {
        let store = &self.machines[side as usize].store;
        for (i, id) in self.items.iter().enumerate() {
            let copy = &self.oracle.copies[side as usize][i];
            let ctx = format!("{side:?} item {i}");
            assert_eq!(store.evidence(id).unwrap().title, copy.title, "{ctx}");
            assert_eq!(
                history(store, id),
                self.oracle.history(side, i),
                "{ctx} history"
            );
            let open = store.evidence_conflict(id).unwrap();
            assert_eq!(
                open.is_some(),
                copy.waiting.is_some(),
                "{ctx} open conflict {open:?}"
            );
            if let (Some(view), Some((_, theirs))) = (open, &copy.waiting) {
                let title = view.fields.iter().find(|f| f.field == "title");
                if *theirs != copy.title {
                    let title = title.unwrap();
                    assert_eq!((&title.local, &title.remote), (&copy.title, theirs));
                } else {
                    assert!(title.is_none(), "{ctx}: {view:?}");
                }
            }
        }
        let waiting = self.oracle.copies[side as usize]
            .iter()
            .filter(|c| c.waiting.is_some());
        assert_eq!(
            store.conflicts(&self.learner).unwrap().len(),
            waiting.count()
        );
        let audit = store.verify_audit().unwrap();
        assert!(audit.intact, "{side:?}: {:?}", audit.problems);
    }

    /// Sync both ways, resolving whatever conflicts, until both sides agree.
    fn settle(&mut self) {
        for round in 0.. {
            assert!(round < 4, "no agreement after {round} rounds");
            self.send(Side::A);
            while self.resolve(Side::B, 0, Take::Title) {}
            self.send(Side::B);
            while self.resolve(Side::A, 0, Take::Nothing) {}
            let open = |s: &Store| s.conflicts(&self.learner).unwrap().len();
            let [a, b] = &self.machines;
            let versions = |s: &Store, id: &str| {
                s.evidence_versions(id)
                    .unwrap()
                    .into_iter()
                    .map(|v| {
                        let rest = format!("{:?} {:?} {:?}", v.method, v.status, v.witness);
                        (v.title, v.body_markdown, v.activity_date, v.saved_at, rest)
                    })
                    .collect::<BTreeSet<_>>()
            };
            let agree = self.items.iter().all(|id| {
                a.store.evidence(id).unwrap().title == b.store.evidence(id).unwrap().title
                    && versions(&a.store, id) == versions(&b.store, id)
            });
            if agree && open(&a.store) == 0 && open(&b.store) == 0 {
                break;
            }
        }
        // Nothing was lost: every edit made on either side is in both histories.
        for side in [Side::A, Side::B] {
            let store = &self.machines[side as usize].store;
            for (i, text) in &self.oracle.edits {
                let stored = history(store, &self.items[*i]);
                assert!(stored.contains_key(text), "{text} lost on {side:?}");
            }
        }
    }
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::A), Just(Side::B)]
}

fn step() -> impl Strategy<Value = Step> {
    let take = prop_oneof![Just(Take::Nothing), Just(Take::Title), Just(Take::All)];
    prop_oneof![
        5 => (side(), 0..ITEMS).prop_map(|(s, i)| Step::Edit(s, i)),
        3 => side().prop_map(Step::Send),
        3 => (side(), 0..ITEMS, take).prop_map(|(s, i, t)| Step::Resolve(s, i, t)),
    ]
}

#[test]
fn laptop_and_centre_never_lose_an_edit_and_conflict_exactly_on_both_sides_edits() {
    let mut runner = TestRunner::new(Config {
        cases: 20,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 6..=18), |steps| {
            let mut world = World::new();
            for step in &steps {
                match *step {
                    Step::Edit(side, item) => world.edit(side, item),
                    Step::Send(from) => {
                        world.send(from);
                    }
                    Step::Resolve(side, item, take) => {
                        world.resolve(side, item, take);
                    }
                }
            }
            world.settle();
            Ok(())
        })
        .unwrap();
}

/// The case the property found: both sides changed item 1 and each has the conflict open; the laptop
/// resolves it, and its resolution reaching the centre settles the centre's conflict too.
#[test]
fn a_conflict_resolved_on_the_other_computer_is_closed_when_its_resolution_arrives() {
    let mut world = World::new();
    world.edit(Side::A, 0);
    world.edit(Side::B, 0);
    assert_eq!(world.send(Side::B), 1);
    assert_eq!(world.send(Side::A), 1);
    assert!(world.resolve(Side::A, 0, Take::Title));
    assert_eq!(world.send(Side::A), 0, "the centre follows the laptop");
    assert!(world.machines[1]
        .store
        .conflicts(&world.learner)
        .unwrap()
        .is_empty());
    world.settle();
}
