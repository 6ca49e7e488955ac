//! Hostile bundles, the manifest: malformed, too new, unknown or missing fields, and data out of
//! bounds or inconsistent (lengths, ids, numbering, dates, references, repeats, the audit trail).

use serde_json::{json, Value};

use super::{case, run, BAD, UNKNOWN_ID};
#[test]
fn manifests_that_are_malformed_or_too_new_are_refused() {
    run(vec![
        case(
            "malformed_json",
            BAD,
            "manifest.json is not valid JSON (line",
            |k, _| {
                k.put("manifest.json", "{\"format\": \"evidence-tracker/bundle\",")
                    .bytes()
            },
        ),
        case(
            "json_array",
            BAD,
            "is not an Evidence Tracker bundle manifest",
            |k, _| k.put("manifest.json", "[]").bytes(),
        ),
        case(
            "wrong_format_id",
            BAD,
            "is not an Evidence Tracker bundle manifest",
            |k, _| {
                k.edit(|m| m["format"] = json!("evidence-tracker/backup"))
                    .bytes()
            },
        ),
        case(
            "newer_format_version",
            "bundle_too_new",
            "format 2, this version reads up to 1",
            |k, _| k.edit(|m| m["format_version"] = json!(2)).bytes(),
        ),
        case(
            "format_version_zero",
            BAD,
            "has no valid format_version",
            |k, _| k.edit(|m| m["format_version"] = json!(0)).bytes(),
        ),
        case(
            "format_version_text",
            BAD,
            "has no valid format_version",
            |k, _| k.edit(|m| m["format_version"] = json!("1")).bytes(),
        ),
        case("missing_field", BAD, "missing field `learner`", |k, _| {
            k.edit(|m| drop(m.as_object_mut().unwrap().remove("learner")))
                .bytes()
        }),
        case(
            "missing_nested_field",
            BAD,
            "missing field `versions`",
            |k, _| {
                k.edit(|m| drop(m["evidence"][0].as_object_mut().unwrap().remove("versions")))
                    .bytes()
            },
        ),
        case(
            "unknown_field",
            BAD,
            "unknown field `signed_by_ofsted`",
            |k, _| k.edit(|m| m["signed_by_ofsted"] = json!(true)).bytes(),
        ),
        case(
            "unknown_nested_field",
            BAD,
            "unknown field `grade`",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["grade"] = json!("A"))
                    .bytes()
            },
        ),
        case("unknown_kind", BAD, "unknown variant `backup`", |k, _| {
            k.edit(|m| m["kind"] = json!("backup")).bytes()
        }),
        case(
            "unknown_method",
            BAD,
            "unknown variant `telepathy`",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["method"] = json!("telepathy"))
                    .bytes()
            },
        ),
        case(
            "unknown_status",
            BAD,
            "unknown variant `approved_by_me`",
            |k, _| {
                k.edit(|m| m["evidence"][1]["versions"][1]["status"] = json!("approved_by_me"))
                    .bytes()
            },
        ),
        case("wrong_type", BAD, "invalid type", |k, _| {
            k.edit(|m| m["evidence"][0]["number"] = json!("one"))
                .bytes()
        }),
    ]);
}

#[test]
fn manifest_data_out_of_bounds_or_inconsistent_is_refused() {
    run(vec![
        case(
            "title_too_long",
            BAD,
            "title is 301 characters long; the limit is 300",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["title"] = long(301))
                    .bytes()
            },
        ),
        case(
            "body_too_long",
            BAD,
            "body is 1000001 characters long",
            |k, _| {
                k.edit(|m| m["evidence"][1]["versions"][1]["body_markdown"] = long(1_000_001))
                    .bytes()
            },
        ),
        case(
            "learner_name_too_long",
            BAD,
            "learner name is 201 characters long",
            |k, _| k.edit(|m| m["learner"]["name"] = long(201)).bytes(),
        ),
        case(
            "feedback_too_long",
            BAD,
            "feedback is 20001 characters long",
            |k, _| k.edit(|m| m["feedback"][0]["body"] = long(20_001)).bytes(),
        ),
        case(
            "witness_too_long",
            BAD,
            "witness name is 201 characters long",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["witness"]["name"] = long(201))
                    .bytes()
            },
        ),
        case(
            "nul_in_title",
            BAD,
            "title contains a control character (U+0000)",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["title"] = json!("Residents'\0 meeting"))
                    .bytes()
            },
        ),
        // The checks typing applies: nothing that would act on a terminal or hide text.
        case(
            "tab_in_title",
            BAD,
            "title contains a control character (U+0009)",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["title"] = json!("Minutes\tof May"))
                    .bytes()
            },
        ),
        case(
            "escape_code_in_learner_name",
            BAD,
            "learner name contains a control character (U+001B)",
            |k, _| {
                k.edit(|m| m["learner"]["name"] = json!("Lee\u{1b}[2J\u{1b}[H"))
                    .bytes()
            },
        ),
        case(
            "override_in_learner_name",
            BAD,
            "learner name contains an invisible character that hides or reorders text (U+202E)",
            |k, _| {
                k.edit(|m| m["learner"]["name"] = json!("Lee\u{202e}nosaJ"))
                    .bytes()
            },
        ),
        case(
            "carriage_return_in_witness",
            BAD,
            "witness role contains a control character (U+000D)",
            |k, _| {
                k.edit(|m| {
                    m["evidence"][0]["versions"][0]["witness"]["role"] = json!("Chair\rAssessor")
                })
                .bytes()
            },
        ),
        case(
            "escape_code_in_body",
            BAD,
            "body contains a control character (U+001B)",
            |k, _| {
                k.edit(|m| {
                    m["evidence"][0]["versions"][0]["body_markdown"] =
                        json!("ok\u{1b}]0;owned\u{7}")
                })
                .bytes()
            },
        ),
        case(
            "escape_code_in_feedback",
            BAD,
            "feedback contains a control character (U+009B)",
            |k, _| {
                k.edit(|m| m["feedback"][0]["body"] = json!("see \u{9b}31m"))
                    .bytes()
            },
        ),
        case("empty_title", BAD, "title is empty", |k, _| {
            k.edit(|m| m["evidence"][1]["versions"][0]["title"] = json!("  "))
                .bytes()
        }),
        case(
            "empty_learner_name",
            BAD,
            "learner name is empty",
            |k, _| k.edit(|m| m["learner"]["name"] = json!("")).bytes(),
        ),
        case(
            "learner_id_not_a_uuid",
            BAD,
            "learner id \"lee\" is not an id",
            |k, _| k.edit(|m| m["learner"]["id"] = json!("lee")).bytes(),
        ),
        case(
            "item_id_not_a_uuid",
            BAD,
            "item id \"../../etc\" is not an id",
            |k, _| {
                k.edit(|m| m["evidence"][1]["id"] = json!("../../etc"))
                    .bytes()
            },
        ),
        case("duplicate_item_id", BAD, "appears twice", |k, _| {
            k.edit(|m| m["evidence"][1]["id"] = m["evidence"][0]["id"].clone())
                .bytes()
        }),
        case(
            "duplicate_item_number",
            BAD,
            "has a missing or repeated number 1",
            |k, _| k.edit(|m| m["evidence"][1]["number"] = json!(1)).bytes(),
        ),
        case(
            "item_number_zero",
            BAD,
            "has a missing or repeated number 0",
            |k, _| k.edit(|m| m["evidence"][0]["number"] = json!(0)).bytes(),
        ),
        case(
            "versions_skip_a_number",
            BAD,
            "found 3 where 2 belongs",
            |k, _| {
                k.edit(|m| m["evidence"][1]["versions"][1]["version"] = json!(3))
                    .bytes()
            },
        ),
        case(
            "versions_start_at_zero",
            BAD,
            "found 0 where 1 belongs",
            |k, _| {
                k.edit(|m| m["evidence"][0]["versions"][0]["version"] = json!(0))
                    .bytes()
            },
        ),
        case("item_without_versions", BAD, "has no versions", |k, _| {
            k.edit(|m| m["evidence"][1]["versions"] = json!([])).bytes()
        }),
        case("invalid_activity_date", BAD, "activity date", |k, _| {
            k.edit(|m| m["evidence"][0]["versions"][0]["activity_date"] = json!("2026-02-30"))
                .bytes()
        }),
        case(
            "attachment_name_reversed_by_an_override",
            BAD,
            "contains an invisible character that hides or reorders text (U+202E); rename the file",
            |k, _| {
                k.edit(|m| {
                    for item in m["evidence"].as_array_mut().unwrap() {
                        for a in item["attachments"].as_array_mut().unwrap() {
                            a["file_name"] = json!("minutes\u{202e}fdp.exe");
                        }
                    }
                })
                .bytes()
            },
        ),
        case(
            "attachment_file_not_in_bundle",
            BAD,
            "whose file is not in the bundle",
            |k, _| {
                let att = k.attachment();
                k.remove(&att).relist().bytes()
            },
        ),
        case(
            "feedback_on_missing_version",
            BAD,
            "is on an item version the bundle lacks",
            |k, _| {
                k.edit(|m| m["feedback"][0]["on_version"] = json!(7))
                    .bytes()
            },
        ),
        case(
            "feedback_on_missing_item",
            BAD,
            "is on an item version the bundle lacks",
            |k, _| {
                k.edit(|m| m["feedback"][0]["evidence"] = json!(UNKNOWN_ID))
                    .bytes()
            },
        ),
        case(
            "judgement_bad_outcome",
            BAD,
            "has outcome \"excellent\"",
            |k, _| {
                k.edit(|m| m["judgements"][0]["outcome"] = json!("excellent"))
                    .bytes()
            },
        ),
        case(
            "judgement_cites_missing_item",
            BAD,
            "cites item 01a20404-0000",
            |k, _| {
                k.edit(|m| m["judgements"][0]["cited"][0]["evidence"] = json!(UNKNOWN_ID))
                    .bytes()
            },
        ),
        case(
            "judgement_cites_missing_version",
            BAD,
            "version 5, which the bundle lacks",
            |k, _| {
                k.edit(|m| m["judgements"][0]["cited"][0]["version"] = json!(5))
                    .bytes()
            },
        ),
        case(
            "judgement_malformed_criterion",
            BAD,
            "is not a criterion reference",
            |k, _| {
                k.edit(|m| m["judgements"][0]["criterion"] = json!("PWC.1.1"))
                    .bytes()
            },
        ),
        case("signature_bad_kind", BAD, "has kind \"forged\"", |k, _| {
            k.edit(|m| m["signatures"][0]["kind"] = json!("forged"))
                .bytes()
        }),
        case(
            "audit_entry_altered",
            BAD,
            "does not match its hash: it was altered",
            |k, _| {
                k.edit(|m| m["audit"][0]["after"] = json!("Someone else"))
                    .bytes()
            },
        ),
        case(
            "duplicate_signature_id",
            BAD,
            "signature * appears twice",
            |k, _| {
                k.edit(|m| m["signatures"][1]["id"] = m["signatures"][0]["id"].clone())
                    .bytes()
            },
        ),
        case(
            "duplicate_judgement",
            BAD,
            "judgement * appears twice",
            |k, _| {
                k.edit(|m| {
                    let again = m["judgements"][0].clone();
                    m["judgements"].as_array_mut().unwrap().push(again);
                })
                .bytes()
            },
        ),
        case(
            "duplicate_audit_entry",
            BAD,
            "audit entry * appears twice",
            |k, _| {
                k.edit(|m| {
                    let again = m["audit"][0].clone();
                    m["audit"].as_array_mut().unwrap().push(again);
                })
                .bytes()
            },
        ),
        case(
            "duplicate_enrolment_unit",
            BAD,
            "lists unit \"PWC\" twice",
            |k, _| {
                k.edit(|m| {
                    for e in m["enrolments"].as_array_mut().unwrap() {
                        if e["framework"] == "NOCN-L3-CD" {
                            e["units"] = json!(["PWC", "PWC"]);
                        }
                    }
                })
                .bytes()
            },
        ),
        case(
            "enrolment_on_unlisted_framework",
            BAD,
            "enrolment on \"ZZ-NOT-HERE\" names a framework the bundle does not list",
            |k, _| {
                k.edit(|m| {
                let e = json!({"framework": "ZZ-NOT-HERE", "units": [], "enrolled_at": "2026-01-01T00:00:00Z"});
                m["enrolments"].as_array_mut().unwrap().push(e);
            })
            .bytes()
            },
        ),
    ]);
}

fn long(n: usize) -> Value {
    json!("x".repeat(n))
}
