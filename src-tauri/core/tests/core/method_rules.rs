//! Frameworks' method rules: read from `[[method_rule]]`, stored with the framework version, shown and
//! exported again; a bad rule refuses the whole file and stores nothing.

use evidence_core::evidence::Method;
use evidence_core::frameworks::{native, rule_for, CriterionKind, ImportOutcome};

use crate::common::{dump, fresh};

/// The shipped NOCN unit as a new version, with `rules` (TOML) appended.
fn with_rules(fx: &crate::common::Fixture, rules: &str) -> String {
    let text = native::write(&fx.store.framework("NOCN-L3-CD", None).unwrap())
        .unwrap()
        .replace("2026.1-unverified", "2027.1");
    format!("{text}\n{rules}")
}

const TWO_RULES: &str = r#"
[[method_rule]]
applies_to = "assessment_criterion"
methods = ["professional_discussion", "reflective_account"]
source = "Centre assessment policy, 2026"

[[method_rule]]
criteria = ["PWC.2.1"]
methods = ["direct_observation", "witness_testimony"]
source = "Awarding body's assessment strategy, section 3"
"#;

#[test]
fn method_rules_round_trip_through_read_store_and_export() {
    let mut fx = fresh();
    let doc = native::parse(with_rules(&fx, TWO_RULES).as_bytes()).unwrap();
    assert_eq!(doc.method_rules.len(), 2);
    assert_eq!(
        doc.method_rules[0].applies_to,
        Some(CriterionKind::AssessmentCriterion)
    );
    assert_eq!(doc.method_rules[1].criteria, ["PWC.2.1"]);
    assert_eq!(
        doc.method_rules[1].methods,
        [Method::DirectObservation, Method::WitnessTestimony]
    );
    assert_eq!(
        fx.store.import_framework(&doc).unwrap().outcome,
        ImportOutcome::NewVersion
    );

    let stored = fx.store.framework("NOCN-L3-CD", None).unwrap();
    assert_eq!(stored, doc, "what is stored reads back as the file said");
    let exported = native::write(&stored).unwrap();
    assert!(exported.contains("[[method_rule]]"), "{exported}");
    assert_eq!(native::parse(exported.as_bytes()).unwrap(), doc);
    let before = dump(&fx.store);
    let again = native::parse(exported.as_bytes()).unwrap();
    assert_eq!(
        fx.store.import_framework(&again).unwrap().outcome,
        ImportOutcome::Unchanged
    );
    assert_eq!(before, dump(&fx.store));

    // The rule that lists a criterion wins over the rule for its kind.
    let rules = &stored.method_rules;
    let listed = rule_for(rules, "PWC.2.1", CriterionKind::AssessmentCriterion).unwrap();
    assert_eq!(
        listed.source,
        "Awarding body's assessment strategy, section 3"
    );
    let by_kind = rule_for(rules, "PWC.1.1", CriterionKind::AssessmentCriterion).unwrap();
    assert_eq!(by_kind.source, "Centre assessment policy, 2026");
    assert!(rule_for(rules, "PWC.1.1", CriterionKind::KnowledgeItem).is_none());
    // The previous version keeps having none.
    assert!(fx
        .store
        .framework("NOCN-L3-CD", Some("2026.1-unverified"))
        .unwrap()
        .method_rules
        .is_empty());
}

#[test]
fn changing_only_a_rule_needs_a_new_version() {
    let mut fx = fresh();
    let mut doc = fx.store.framework("CD-NOS", None).unwrap();
    assert_eq!(doc.method_rules.len(), 1, "CD-NOS ships a rule for its PCs");
    assert!(
        doc.method_rules[0]
            .source
            .contains("not part of the CLDSCCD15 standard"),
        "the shipped rule says honestly where it comes from"
    );
    doc.method_rules[0].methods.push(Method::ReflectiveAccount);
    assert_eq!(
        fx.store.import_framework(&doc).unwrap_err().code(),
        "conflict"
    );
}

#[test]
fn bad_method_rules_are_refused_naming_the_problem_and_store_nothing() {
    let mut fx = fresh();
    let rule = |body: &str| format!("[[method_rule]]\n{body}\nsource = \"policy\"\n");
    let cases = [
        (
            "unknown method",
            rule("applies_to = \"assessment_criterion\"\nmethods = [\"reflective\"]"),
            "method rule 1 names unknown method \"reflective\"",
        ),
        (
            "unknown kind",
            rule("applies_to = \"performance\"\nmethods = [\"direct_observation\"]"),
            "method rule 1 applies to unknown criterion kind \"performance\"",
        ),
        (
            "unknown code",
            rule("criteria = [\"PWC.9.9\"]\nmethods = [\"direct_observation\"]"),
            "method rule 1 names criterion \"PWC.9.9\", which framework NOCN-L3-CD does not have",
        ),
        (
            "both",
            rule("applies_to = \"assessment_criterion\"\ncriteria = [\"PWC.1.1\"]\nmethods = [\"questioning\"]"),
            "method rule 1 has both applies_to and criteria",
        ),
        (
            "neither",
            rule("methods = [\"questioning\"]"),
            "method rule 1 has neither applies_to nor criteria",
        ),
        (
            "empty methods",
            rule("applies_to = \"assessment_criterion\"\nmethods = []"),
            "method rule 1 accepts no methods",
        ),
        (
            "a method twice",
            rule("applies_to = \"assessment_criterion\"\nmethods = [\"questioning\", \"questioning\"]"),
            "method rule 1 names method questioning twice",
        ),
        (
            "a kind twice",
            format!(
                "{}{}",
                rule("applies_to = \"assessment_criterion\"\nmethods = [\"questioning\"]"),
                rule("applies_to = \"assessment_criterion\"\nmethods = [\"other\"]")
            ),
            "method rule 2 applies to assessment_criterion, which an earlier rule already covers",
        ),
        (
            "an unknown field",
            rule("applies_to = \"assessment_criterion\"\nmethods = [\"questioning\"]\nmethod = \"x\""),
            "method",
        ),
    ];
    let before = dump(&fx.store);
    for (what, rules, expected) in cases {
        let text = with_rules(&fx, &rules);
        let err = match native::parse(text.as_bytes()) {
            Err(err) => err,
            Ok(doc) => fx.store.import_framework(&doc).expect_err(what),
        };
        assert_eq!(err.code(), "invalid_framework", "{what}: {err}");
        assert!(err.to_string().contains(expected), "{what}: {err}");
        assert_eq!(
            before,
            dump(&fx.store),
            "{what} must not change the database"
        );
    }
}

#[test]
fn the_core_says_which_methods_a_criterion_accepts() {
    let mut fx = fresh();
    let criterion = |s: &str| evidence_core::CriterionRef::parse(s).unwrap();
    // No rule yet for the qualification: any method will do.
    assert_eq!(
        fx.store
            .accepted_methods(&criterion("NOCN-L3-CD:PWC.2.1"))
            .unwrap(),
        None
    );
    let doc = native::parse(with_rules(&fx, TWO_RULES).as_bytes()).unwrap();
    fx.store.import_framework(&doc).unwrap();
    // A rule naming the criterion wins over the rule for its kind.
    let named = fx
        .store
        .accepted_methods(&criterion("NOCN-L3-CD:PWC.2.1"))
        .unwrap()
        .unwrap();
    assert_eq!(
        named.methods,
        [Method::DirectObservation, Method::WitnessTestimony]
    );
    assert_eq!(
        named.source,
        "Awarding body's assessment strategy, section 3"
    );
    let by_kind = fx
        .store
        .accepted_methods(&criterion("NOCN-L3-CD:PWC.1.1"))
        .unwrap()
        .unwrap();
    assert_eq!(
        by_kind.methods,
        [Method::ProfessionalDiscussion, Method::ReflectiveAccount]
    );
    let missing = fx
        .store
        .accepted_methods(&criterion("NOCN-L3-CD:NOPE.1"))
        .unwrap_err();
    assert_eq!(missing.code(), "not_found");
}
