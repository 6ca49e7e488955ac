//! Hostile bundles whose mappings, or the mapping removals they carry, are malformed or out of
//! bounds: each is refused before anything is written.

use serde_json::{json, Value};

use super::{case, run, BAD};
use crate::bundle_kit::Kit;

#[test]
fn mappings_and_removals_malformed_or_out_of_bounds_are_refused() {
    run(vec![
        case(
            "mapping_note_too_long",
            BAD,
            "mapping note is 2001 characters long",
            |k, _| {
                k.edit(|m| m["evidence"][1]["mappings"][0]["note"] = long(2001))
                    .bytes()
            },
        ),
        case(
            "malformed_criterion_ref",
            BAD,
            "is not a criterion reference",
            |k, _| {
                k.edit(|m| m["evidence"][1]["mappings"][0]["criterion"] = json!("CLDSCCD15.K1"))
                    .bytes()
            },
        ),
        case(
            "malformed_removed_mapping_ref",
            BAD,
            "removed mapping",
            |k, _| removal(k, json!({"criterion": "CLDSCCD15.K1"})),
        ),
        case(
            "removed_mapping_time_not_a_time",
            BAD,
            "removed mapping time \"xxxx-10-01\" is not a time",
            |k, _| removal(k, json!({"mapped_at": "xxxx-10-01"})),
        ),
        case(
            "removed_mapping_unknown_field",
            BAD,
            "unknown field",
            |k, _| removal(k, json!({"restore": true})),
        ),
    ]);
}

/// The good bundle with one mapping removal on its second item: a well-formed one, with `changes`.
fn removal(k: Kit, changes: Value) -> Vec<u8> {
    let mut removed = json!({
        "criterion": "CD-NOS:CLDSCCD15.K1",
        "mapped_at": "2026-10-01T10:00:00.000Z",
        "removed_at": "2026-10-02T10:00:00.000Z"
    });
    if let (Some(to), Some(from)) = (removed.as_object_mut(), changes.as_object()) {
        to.extend(from.clone());
    }
    k.edit(|m| m["evidence"][1]["removed_mappings"] = json!([removed]))
        .bytes()
}

fn long(n: usize) -> Value {
    json!("x".repeat(n))
}
