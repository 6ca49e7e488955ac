//! Keeps reads behind their checks: a portfolio's rows are read through `Store::read`, which takes
//! the proof an access check returns. The one way round it, `Store::look_up`, is for the reads that
//! come before any check or make it. This test reads the core's sources and fails when `look_up` is
//! called from a function not listed here with its reason, or a listed one no longer calls it.

use std::collections::BTreeSet;
use std::path::Path;

/// (file under `src/`, function, why it reads before or without a check).
const LOOK_UPS: &[(&str, &str, &str)] = &[
    (
        "accounts/centre_session.rs",
        "open_centre_key",
        "part of signing in: whether the centre key is sealed for this administrator",
    ),
    (
        "accounts/session.rs",
        "sign_in",
        "nobody is signed in yet: the password hash and back-off",
    ),
    (
        "accounts/users.rs",
        "accounts_state",
        "the start screen, before anyone signs in",
    ),
    (
        "accounts/users.rs",
        "adopt_single_portfolio",
        "opening a laptop that has no accounts yet",
    ),
    (
        "accounts/users.rs",
        "all_users",
        "the start screen's list of who can sign in",
    ),
    (
        "accounts/users.rs",
        "insert_user",
        "a new account's own checks (a passwordless user exists)",
    ),
    (
        "accounts/users.rs",
        "user_count",
        "whether accounts exist at all",
    ),
    (
        "accounts/users.rs",
        "user_row",
        "finding the account an operation names",
    ),
    (
        "evidence/lookup.rs",
        "evidence_key",
        "finding the item an operation names, and its learner",
    ),
    (
        "frameworks/shipped.rs",
        "load_if_empty",
        "opening: whether the shipped frameworks are in place",
    ),
    (
        "gaps/settings.rs",
        "setting",
        "the centre's settings, not a portfolio's; callers check",
    ),
    (
        "learners/mod.rs",
        "learner_by_row_id",
        "finding the learner a check is about",
    ),
    (
        "accounts/owner.rs",
        "accounts_were_removed",
        "whether accounts were deleted outside the app, before anyone can sign in",
    ),
    (
        "learners/mod.rs",
        "learner_row_by_id",
        "finding whether a bundle's learner id is taken here, before the check",
    ),
    (
        "learners/mod.rs",
        "learner_row",
        "finding the learner an operation names",
    ),
    (
        "review/judgement.rs",
        "judgement",
        "finding whose portfolio a judgement is in, before the check",
    ),
    (
        "store/access.rs",
        "assigned_as",
        "the access check's own look-up",
    ),
    (
        "store/access.rs",
        "readable_learners",
        "the access check's own look-up",
    ),
];

/// (file, function) for every call of `look_up()` under `dir` (`root` is `src/`).
fn callers(root: &Path, dir: &Path, found: &mut BTreeSet<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            callers(root, &path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut function = String::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(at) = line.find("fn ") {
                function = line[at + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
            }
            if line.contains("look_up()") && !line.contains("fn look_up") {
                found.insert((file.clone(), function.clone()));
            }
        }
    }
}

#[test]
fn only_the_listed_functions_read_without_a_proof() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    callers(&root, &root, &mut found);
    let listed: BTreeSet<(String, String)> = LOOK_UPS
        .iter()
        .map(|(file, function, _)| (file.to_string(), function.to_string()))
        .collect();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "functions reading with `look_up` that are not listed (read through `Store::read` with \
         the check's proof instead, or list them with a reason): {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "listed but no longer calling `look_up`: {stale:?}"
    );
}
