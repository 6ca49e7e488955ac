//! Keeps the matrix whole: reads the core's sources at test time and fails when a public method of
//! `Store` has no row in the matrix (and is not one of the few listed here as no operation, each with
//! its reason), or when a row or an exclusion names a method that does not exist.

use std::collections::BTreeSet;
use std::path::Path;

use super::all_ops;

/// Public methods of `Store` that are not operations anyone performs on a portfolio.
const NOT_OPERATIONS: &[(&str, &str)] = &[
    (
        "open",
        "a constructor: there is no store yet to act for anyone",
    ),
    ("open_in_memory", "a constructor, for tests and benchmarks"),
    (
        "open_encrypted",
        "a constructor given the data key: whoever holds the key could decrypt the file anyway",
    ),
    (
        "open_signed_in",
        "a constructor that signs in (the checked `sign_in`) with the key it unseals",
    ),
    (
        "is_encrypted",
        "reads the first bytes of a database file the caller could read anyway",
    ),
    (
        "encrypt_in_place",
        "works on a closed data directory with a key the caller gives: needs only its files",
    ),
    (
        "fork",
        "a second connection acting for the same user: every call on it is checked alike",
    ),
    ("data_dir", "the directory the caller opened the store in"),
    (
        "raw_connection_for_tests",
        "rows behind the store's back, for this crate's tests (test-support feature only)",
    ),
    (
        "conn_mut_for_tests",
        "rows behind the store's back, for this crate's tests (test-support feature only)",
    ),
    (
        "import_bundle_within",
        "doc(hidden) for the hostile-bundle tests; `import_bundle` with other limits",
    ),
    (
        "verify_bundle_within",
        "doc(hidden) for the hostile-bundle tests; `verify_bundle` with other limits",
    ),
];

/// The names of the `pub fn`s inside `impl Store {` blocks of the Rust files under `dir`.
fn public_methods(dir: &Path, names: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            public_methods(&path, names);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let mut inside = false;
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(rest) = line.strip_prefix("impl ") {
                inside = rest == "Store {" || rest.ends_with("::Store {");
            } else if line.starts_with('}') {
                inside = false;
            } else if let Some(rest) = line.strip_prefix("    pub fn ").filter(|_| inside) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        }
    }
}

#[test]
fn the_matrix_has_a_row_for_every_public_operation() {
    let mut public = BTreeSet::new();
    public_methods(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut public,
    );
    assert!(public.len() > 50, "too few methods found: {public:?}");
    let rows: BTreeSet<&str> = all_ops().iter().map(|op| op.method).collect();
    let excluded: BTreeSet<&str> = NOT_OPERATIONS.iter().map(|(name, _)| *name).collect();
    let missing: Vec<&String> = public
        .iter()
        .filter(|name| !rows.contains(name.as_str()) && !excluded.contains(name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "public operations of Store without a row in the access matrix: {missing:?}"
    );
    let unknown: Vec<&&str> = rows
        .iter()
        .filter(|name| !public.contains(**name))
        .collect();
    assert!(
        unknown.is_empty(),
        "rows naming no public method of Store: {unknown:?}"
    );
    let stale: Vec<&&str> = excluded
        .iter()
        .filter(|name| !public.contains(**name))
        .collect();
    assert!(
        stale.is_empty(),
        "excluded as no operation, but no longer a public method of Store: {stale:?}"
    );
}
