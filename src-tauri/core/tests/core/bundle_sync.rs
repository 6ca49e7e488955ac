//! Why this exists: issue 6 promises that computers exchanging a learner's portfolio bundles — the
//! learner's laptop, the centre's machine, and here a third (a tutor's, or another centre) — across
//! any sequence of edits, mapping changes, exchanges and resolutions, never lose an edit, report as
//! conflicts exactly the items changed on both sides (and differing), and end identical. The
//! examples in `bundles.rs` and `bundle_mappings.rs` show single exchanges; this property drives
//! random sequences against the oracle in `bundle_sync/model.rs`.

mod model;
mod world;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use model::CRITERIA;
use world::{Take, World};

const ITEMS: usize = 3;
const MACHINES: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    /// A new title and account on one computer (unique text, so every edit can be traced).
    Edit(usize, usize),
    /// Map the item to a criterion (nothing if it is mapped).
    Map(usize, usize, usize),
    /// Take a mapping away (nothing if it is not mapped).
    Unmap(usize, usize, usize),
    /// Export on the first computer, import on the second.
    Send(usize, usize),
    /// Both export, then each imports the other's bundle (they cross in the post).
    Swap(usize, usize),
    /// Resolve an open conflict on this computer (this item's, else the first open one).
    Resolve(usize, usize, Take),
}

fn step() -> impl Strategy<Value = Step> {
    let take = prop_oneof![Just(Take::Nothing), Just(Take::Title), Just(Take::All)];
    let on = 0..MACHINES;
    prop_oneof![
        4 => (on.clone(), 0..ITEMS).prop_map(|(m, i)| Step::Edit(m, i)),
        2 => (on.clone(), 0..ITEMS, 0..CRITERIA.len()).prop_map(|(m, i, c)| Step::Map(m, i, c)),
        1 => (on.clone(), 0..ITEMS, 0..CRITERIA.len()).prop_map(|(m, i, c)| Step::Unmap(m, i, c)),
        3 => (on.clone(), on.clone()).prop_map(|(a, b)| Step::Send(a, b)),
        2 => (on.clone(), on.clone()).prop_map(|(a, b)| Step::Swap(a, b)),
        3 => (on, 0..ITEMS, take).prop_map(|(m, i, t)| Step::Resolve(m, i, t)),
    ]
}

#[test]
fn computers_exchanging_bundles_never_lose_an_edit_and_conflict_exactly_on_both_sides_edits() {
    let mut runner = TestRunner::new(Config {
        cases: 24,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 8..=24), |steps| {
            let mut world = World::new();
            for step in &steps {
                match *step {
                    Step::Edit(on, item) => world.edit(on, item),
                    Step::Map(on, item, c) => world.map(on, item, c, true),
                    Step::Unmap(on, item, c) => world.map(on, item, c, false),
                    Step::Send(from, to) => {
                        world.send(from, to);
                    }
                    Step::Swap(a, b) => world.swap(a, b),
                    Step::Resolve(on, item, take) => {
                        world.resolve(on, item, take);
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
    world.edit(0, 0);
    world.edit(1, 0);
    assert_eq!(world.send(1, 0), 1);
    assert_eq!(world.send(0, 1), 1);
    assert!(world.resolve(0, 0, Take::Title));
    assert_eq!(world.send(0, 1), 0, "the centre follows the laptop");
    assert!(world.machines[1]
        .store
        .conflicts(&world.learner)
        .unwrap()
        .is_empty());
    world.settle();
}
