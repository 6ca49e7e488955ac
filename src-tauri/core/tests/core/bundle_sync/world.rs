//! The world the exchange property drives: the computers (each a real store in its own data
//! directory), the learner's items, and the oracle's copy of each (`model`). Each operation runs on
//! the stores and on the oracle, then checks one against the other.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use evidence_core::bundles::ConflictedItem;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::Store;

use super::model::{Copy, Fields, Outcome, CRITERIA};
use super::{ITEMS, MACHINES};
use crate::bundles::export;
use crate::common::{add, dump, enrolled, fresh, refs, Fixture};

/// Which conflicting fields a resolution takes from the other side.
#[derive(Debug, Clone, Copy)]
pub enum Take {
    Nothing,
    Title,
    All,
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

/// A bundle on its way.
struct Sent {
    path: std::path::PathBuf,
    /// The sender's copies when it was made.
    copies: Vec<Copy>,
    /// The sender's histories when it was made.
    histories: Vec<BTreeMap<String, usize>>,
}

pub struct World {
    pub machines: Vec<Fixture>,
    pub learner: String,
    pub items: Vec<String>,
    /// [machine][item], as the oracle expects it.
    copies: Vec<Vec<Copy>>,
    /// Every edit made anywhere → the title its version holds.
    titles: BTreeMap<String, String>,
    /// Every edit a person typed: (item, its text).
    edits: Vec<(usize, String)>,
    made: u64,
    out: tempfile::TempDir,
    bundles: usize,
}

impl World {
    /// The first computer with a learner and `ITEMS` items, exported once to each of the others.
    pub fn new() -> World {
        let mut first = fresh();
        let learner = enrolled(&mut first.store, "Lee Chen");
        let mut copies = Vec::new();
        let mut items = Vec::new();
        let mut titles = BTreeMap::new();
        for i in 0..ITEMS {
            let title = format!("Item {i}");
            items.push(
                add(
                    &mut first.store,
                    &learner,
                    &title,
                    Status::Draft,
                    "2026-10-01",
                )
                .id,
            );
            titles.insert(title.clone(), title.clone());
            copies.push(Copy::new(&title));
        }
        let mut world = World {
            machines: vec![first],
            learner,
            items,
            copies: vec![copies; MACHINES],
            titles,
            edits: Vec::new(),
            made: 0,
            out: tempfile::tempdir().unwrap(),
            bundles: 0,
        };
        let bundle = world.bundle(0);
        for n in 1..MACHINES {
            let mut other = fresh();
            let report = other.store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
            assert_eq!(report.items_added, ITEMS);
            world.machines.push(other);
            world.check(n);
        }
        world
    }

    fn bundle(&mut self, from: usize) -> std::path::PathBuf {
        self.bundles += 1;
        let name = format!("{}.zip", self.bundles);
        export(
            &self.machines[from].store,
            &self.learner,
            self.out.path(),
            &name,
        )
    }

    fn next(&mut self) -> u64 {
        self.made += 1;
        self.made
    }

    pub fn edit(&mut self, on: usize, item: usize) {
        let text = format!("Edit {} on {on}", self.next());
        let fields = Fields::typed(&text);
        let edit = EvidenceEdit {
            title: Some(fields.title.clone()),
            body_markdown: Some(fields.body.clone()),
            ..EvidenceEdit::default()
        };
        let id = self.items[item].clone();
        let done = self.machines[on].store.edit_evidence(&id, &edit).unwrap();
        assert_eq!(done.title, text);
        self.titles.insert(text.clone(), text.clone());
        self.edits.push((item, text.clone()));
        let copy = &mut self.copies[on][item];
        copy.known.insert(text);
        copy.fields = fields;
        self.check(on);
    }

    pub fn map(&mut self, on: usize, item: usize, criterion: usize, map: bool) {
        let mapped = self.copies[on][item]
            .mappings
            .mapped
            .get(&criterion)
            .copied();
        let id = self.items[item].clone();
        let store = &mut self.machines[on].store;
        let reference = refs(&[CRITERIA[criterion]]);
        match (map, mapped) {
            (true, None) => {
                // A mapping is named by when it was made: a millisecond apart from any other.
                std::thread::sleep(Duration::from_millis(2));
                store.map_evidence(&id, &reference, None).unwrap();
                let name = self.next();
                self.copies[on][item]
                    .mappings
                    .mapped
                    .insert(criterion, name);
            }
            (false, Some(name)) => {
                store.unmap_evidence(&id, &reference).unwrap();
                let m = &mut self.copies[on][item].mappings;
                m.mapped.remove(&criterion);
                m.gone.insert((criterion, name));
            }
            _ => return,
        }
        self.check(on);
    }

    /// Export on `from`, import on `to`, and check the import against the oracle.
    pub fn send(&mut self, from: usize, to: usize) -> usize {
        if from == to {
            return 0;
        }
        let sent = self.sent(from);
        self.receive(sent, to)
    }

    /// Both export, then each imports the other's bundle.
    pub fn swap(&mut self, a: usize, b: usize) {
        if a != b {
            let (from_a, from_b) = (self.sent(a), self.sent(b));
            self.receive(from_a, b);
            self.receive(from_b, a);
        }
    }

    /// A bundle exported on `from`, with what the oracle and the histories said at the time.
    fn sent(&mut self, from: usize) -> Sent {
        Sent {
            path: self.bundle(from),
            copies: self.copies[from].clone(),
            histories: (0..ITEMS)
                .map(|i| history(&self.machines[from].store, &self.items[i]))
                .collect(),
        }
    }

    /// Imports a bundle on `to` and checks the import against the oracle; the number of conflicts.
    fn receive(&mut self, sent: Sent, to: usize) -> usize {
        let Sent {
            path,
            copies,
            histories: sender_histories,
        } = sent;
        let report = self.machines[to]
            .store
            .import_bundle(&path, &mut |_| Ok(()))
            .unwrap();
        let mut expected = BTreeSet::new();
        let mut followed = Vec::new();
        for (i, sent) in copies.iter().enumerate() {
            match self.copies[to][i].receive(sent) {
                Outcome::Unchanged => {}
                Outcome::Followed => followed.push(i),
                Outcome::Conflict => {
                    expected.insert(self.items[i].clone());
                }
            }
        }
        assert_eq!(ids(&report.conflicts), expected, "conflicts of {report:?}");
        assert_eq!(report.items_updated, followed.len(), "{report:?}");
        let store = &self.machines[to].store;
        for i in followed {
            // No edit lost: every version the sender had is now in the receiver's history.
            let here = history(store, &self.items[i]);
            for title in sender_histories[i].keys() {
                assert!(here.contains_key(title), "{title} lost on {to}: {here:?}");
            }
        }
        self.check(to);
        // The same bundle again changes nothing.
        let store = &mut self.machines[to].store;
        let before = dump(store);
        let again = store.import_bundle(&path, &mut |_| Ok(())).unwrap();
        assert!(again.unchanged, "{again:?}");
        assert_eq!(ids(&again.conflicts), expected);
        assert_eq!(dump(store), before);
        expected.len()
    }

    /// Resolves the open conflict on `item` (else the first open one) on `on`; false: none open.
    pub fn resolve(&mut self, on: usize, item: usize, take: Take) -> bool {
        let Some(i) = std::iter::once(item)
            .chain(0..ITEMS)
            .find(|&i| self.copies[on][i].waiting.is_some())
        else {
            return false;
        };
        let id = self.items[i].clone();
        let view = self.machines[on]
            .store
            .evidence_conflict(&id)
            .unwrap()
            .unwrap();
        let fields: Vec<String> = view.fields.iter().map(|f| f.field.clone()).collect();
        let chosen: Vec<String> = match take {
            Take::Nothing => Vec::new(),
            Take::Title => fields.iter().filter(|f| *f == "title").cloned().collect(),
            Take::All => fields,
        };
        // A kept mapping may be made again: a millisecond apart from any other.
        std::thread::sleep(Duration::from_millis(2));
        let done = self.machines[on]
            .store
            .resolve_conflict(&id, &chosen)
            .unwrap();
        let edit = format!("resolution {}", self.next());
        let mut made = self.made;
        let mut fresh = || {
            made += 1;
            made
        };
        let copy = &mut self.copies[on][i];
        copy.resolve(&chosen, &edit, &mut fresh);
        self.made = made;
        let title = copy.fields.title.clone();
        self.titles.insert(edit, title.clone());
        assert_eq!(done.title, title);
        self.check(on);
        true
    }

    /// One computer's store against the oracle: fields, histories, mappings, open conflicts and the
    /// fields they show, the audit trail.
    fn check(&self, on: usize) {
        let store = &self.machines[on].store;
        for (i, id) in self.items.iter().enumerate() {
            let copy = &self.copies[on][i];
            let ctx = format!("computer {on} item {i}");
            let item = store.evidence(id).unwrap();
            assert_eq!(
                (&item.title, &item.body_markdown),
                (&copy.fields.title, &copy.fields.body),
                "{ctx}"
            );
            let mut expected = BTreeMap::new();
            for edit in &copy.known {
                *expected.entry(self.titles[edit].clone()).or_default() += 1;
            }
            assert_eq!(history(store, id), expected, "{ctx} history");
            let mapped: BTreeSet<String> = item
                .mappings
                .iter()
                .map(|m| m.reference.to_string())
                .collect();
            assert_eq!(mapped, copy.mappings.criteria(), "{ctx} mappings");
            let open = store.evidence_conflict(id).unwrap();
            assert_eq!(
                open.is_some(),
                copy.waiting.is_some(),
                "{ctx} open conflict {open:?}"
            );
            if let Some(view) = open {
                let shown: Vec<&str> = view.fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(shown, copy.differing(), "{ctx}: {view:?}");
            }
        }
        let waiting = self.copies[on].iter().filter(|c| c.waiting.is_some());
        assert_eq!(
            store.conflicts(&self.learner).unwrap().len(),
            waiting.count()
        );
        let audit = store.verify_audit().unwrap();
        assert!(audit.intact, "computer {on}: {:?}", audit.problems);
    }

    /// Exchanges along the chain and back, resolving whatever conflicts, until all agree.
    pub fn settle(&mut self) {
        // First the two computers' bundles cross, and each takes the centre's side of any conflict:
        // resolved the same way on both, which must not be asked again.
        self.swap(0, 1);
        while self.resolve(0, 0, Take::All) {}
        while self.resolve(1, 0, Take::Nothing) {}
        for round in 0.. {
            assert!(round < 4, "no agreement after {round} rounds");
            for n in 0..MACHINES - 1 {
                self.send(n, n + 1);
                while self.resolve(n + 1, 0, Take::Title) {}
            }
            for n in (1..MACHINES).rev() {
                self.send(n, n - 1);
                while self.resolve(n - 1, 0, Take::Nothing) {}
            }
            let state = |s: &Store, id: &str| {
                let item = s.evidence(id).unwrap();
                let versions = s
                    .evidence_versions(id)
                    .unwrap()
                    .into_iter()
                    .map(|v| (v.title, v.body_markdown, v.saved_at))
                    .collect::<BTreeSet<_>>();
                let mapped: BTreeSet<String> = item
                    .mappings
                    .iter()
                    .map(|m| m.reference.to_string())
                    .collect();
                (item.title, item.body_markdown, versions, mapped)
            };
            let first = &self.machines[0].store;
            let agree = self.machines.iter().all(|m| {
                m.store.conflicts(&self.learner).unwrap().is_empty()
                    && self
                        .items
                        .iter()
                        .all(|id| state(&m.store, id) == state(first, id))
            });
            if agree {
                break;
            }
        }
        // Nothing was lost: every edit made anywhere is in every history.
        for (n, m) in self.machines.iter().enumerate() {
            for (i, text) in &self.edits {
                let stored = history(&m.store, &self.items[*i]);
                assert!(stored.contains_key(text), "{text} lost on computer {n}");
            }
        }
    }
}
