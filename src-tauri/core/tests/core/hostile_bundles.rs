//! The hostile-bundle corpus of issue 6: bundles made bad on purpose from a good one — broken or
//! lying zips, escaping or linked entries, bombs, strays and duplicates, hashes and sizes that do not
//! match, manifests that are malformed, too new, oversized or inconsistent, and bundles that clash
//! with what the importing computer already holds. Each must be refused with its own error code and a
//! message naming the problem, and leave the database and every file of the data directory exactly as
//! they were. `verify_bundle` must refuse the same way whenever the fault is in the bundle alone.

mod limits;
mod manifests;
mod mappings;
mod zips;

use std::cell::RefCell;

use evidence_core::bundles::Limits;
use evidence_core::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

use crate::bundle_kit::{good, snapshot, write, Kit};
use crate::common::{fresh, Fixture};

/// What the importing computer holds before the bad bundle arrives.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Target {
    /// Nothing but the shipped frameworks.
    Fresh,
    /// The good bundle, imported.
    Imported,
    /// A learner of its own, Sam Patel.
    Sam,
}

pub(super) struct Case {
    name: &'static str,
    target: Target,
    /// The bad bundle, from the good one (and Sam's id when the target has Sam).
    make: fn(Kit, &str) -> Vec<u8>,
    code: &'static str,
    message: &'static str,
    /// Read within these limits rather than the product's.
    limits: Option<Limits>,
}

pub(super) fn case(
    name: &'static str,
    code: &'static str,
    message: &'static str,
    make: fn(Kit, &str) -> Vec<u8>,
) -> Case {
    Case {
        name,
        target: Target::Fresh,
        make,
        code,
        message,
        limits: None,
    }
}

fn on(target: Target, mut c: Case) -> Case {
    c.target = target;
    c
}

/// The case read within `limits` (a bundle past the real limits would take too long to build).
pub(super) fn within(limits: Limits, mut c: Case) -> Case {
    c.limits = Some(limits);
    c
}

pub(super) const BAD: &str = "invalid_bundle";
pub(super) const UNKNOWN_ID: &str = "01a20404-0000-7000-8000-000000000000";

/// A target computer in a fresh data directory; Sam's id when it has Sam.
fn target(kind: Target) -> (Fixture, String) {
    let mut fx = fresh();
    let mut sam = String::new();
    match kind {
        Target::Fresh => {}
        Target::Imported => {
            let dir = tempfile::tempdir().unwrap();
            let path = write(dir.path(), "good", &good().0);
            fx.store.import_bundle(&path, &mut |_| Ok(())).unwrap();
        }
        Target::Sam => sam = fx.store.add_learner("Sam Patel", None).unwrap().id,
    }
    (fx, sam)
}

/// Whether `text` holds the parts of `pattern` between its `*`s, in order.
fn matches(text: &str, pattern: &str) -> bool {
    let mut rest = text;
    pattern.split('*').all(|part| match rest.find(part) {
        Some(at) => {
            rest = &rest[at + part.len()..];
            true
        }
        None => false,
    })
}

/// Runs every case, collecting what went wrong so one run reports all of them.
pub(super) fn run(cases: Vec<Case>) {
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for c in &cases {
        let (mut fx, sam) = target(c.target);
        let path = write(out.path(), c.name, &(c.make)(Kit::good(), &sam));
        let before = snapshot(&fx);
        let result = match &c.limits {
            None => fx.store.import_bundle(&path, &mut |_| Ok(())),
            Some(limits) => fx
                .store
                .import_bundle_within(&path, limits, &mut |_| Ok(())),
        };
        let after = snapshot(&fx);
        match result {
            Ok(report) => failures.push(format!("{}: imported ({report:?})", c.name)),
            Err(e) if e.code() != c.code || !matches(&e.to_string(), c.message) => {
                failures.push(format!(
                    "{}: {} \"{e}\", expected {} \"…{}…\"",
                    c.name,
                    e.code(),
                    c.code,
                    c.message
                ))
            }
            Err(_) => {}
        }
        if before != after {
            failures.push(format!("{}: the data directory changed", c.name));
        }
        // Faults in the bundle alone are found by verify too; clashes with this computer are not.
        let verified = match &c.limits {
            None => fx.store.verify_bundle(&path),
            Some(limits) => fx.store.verify_bundle_within(&path, limits),
        };
        match (c.target, c.code, verified) {
            (Target::Fresh, "invalid_bundle" | "bundle_too_new", Err(e)) if e.code() == c.code => {}
            (Target::Fresh, "invalid_bundle" | "bundle_too_new", v) => {
                failures.push(format!("{}: verify gave {:?}", c.name, v.map(|c| c.items)))
            }
            (_, _, Ok(_)) => {}
            (_, _, Err(e)) => failures.push(format!("{}: verify refused it: {e}", c.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bundles_that_clash_with_this_computer_are_refused() {
    run(vec![
        on(
            Target::Sam,
            case(
                "learner_id_of_another_person",
                "conflict",
                // Never naming the learner it belongs to, nor when they were added.
                "belongs to another learner on this computer, not to the bundle's",
                |k, sam| k.edit(|m| m["learner"]["id"] = json!(sam)).bytes(),
            ),
        ),
        on(
            Target::Imported,
            case(
                "items_of_another_learner",
                "conflict",
                "belongs to another learner on this computer",
                |k, _| {
                    k.edit(|m| {
                        m["learner"]["id"] = json!(UNKNOWN_ID);
                        m["learner"]["name"] = json!("Ann Other");
                    })
                    .bytes()
                },
            ),
        ),
        case(
            "criterion_not_here",
            "not_found",
            "criterion on this computer",
            |k, _| {
                k.edit(|m| {
                    m["evidence"][1]["mappings"][0]["criterion"] = json!("CD-NOS:CLDSCCD99.K9")
                })
                .bytes()
            },
        ),
        case(
            "judged_criterion_not_here",
            "not_found",
            "NOCN-L3-CD:PWC.9.9",
            |k, _| {
                k.edit(|m| m["judgements"][0]["criterion"] = json!("NOCN-L3-CD:PWC.9.9"))
                    .bytes()
            },
        ),
        case(
            "framework_not_here",
            "framework_missing",
            "the bundle uses ZZ-NOT-HERE version",
            |k, _| {
                // Listed and enrolled on, but not on this computer.
                k.edit(|m| {
                    let code = m["frameworks"][0]["code"].clone();
                    m["frameworks"][0]["code"] = json!("ZZ-NOT-HERE");
                    for e in m["enrolments"].as_array_mut().unwrap() {
                        if e["framework"] == code {
                            e["framework"] = json!("ZZ-NOT-HERE");
                        }
                    }
                })
                .bytes()
            },
        ),
        case(
            "quality_assurance_bundle",
            "invalid_input",
            "read-only bundle for quality assurance",
            |k, _| k.edit(|m| m["kind"] = json!("quality_assurance")).bytes(),
        ),
    ]);
}

/// Any one byte of a good bundle changed: never a panic; verify and import agree, and an import that
/// fails leaves the data directory as it was.
#[test]
fn a_bundle_with_any_byte_changed_is_refused_or_harmless() {
    let bytes = &good().0;
    let out = tempfile::tempdir().unwrap();
    let fx = RefCell::new(fresh());
    let before = snapshot(&fx.borrow());
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0..bytes.len(), 1u8..=255), |(at, flip)| {
            let mut bad = bytes.clone();
            bad[at] ^= flip;
            let path = write(out.path(), "flipped", &bad);
            let verified = Store::verify_bundle(&fx.borrow().store, &path);
            if let Err(refused) = verified {
                let err = fx
                    .borrow_mut()
                    .store
                    .import_bundle(&path, &mut |_| Ok(()))
                    .unwrap_err();
                prop_assert_eq!(err.code(), refused.code());
                prop_assert!(
                    snapshot(&fx.borrow()) == before,
                    "byte {} changed the store",
                    at
                );
            }
            Ok(())
        })
        .unwrap();
}
