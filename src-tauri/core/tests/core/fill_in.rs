//! Filling in a standard the CD-NOS index lists without criteria, from text pasted out of its NOS
//! page: the criteria go under that standard, in its place in the suite, and the rest of the
//! framework (CLDSCCD15 in full) is untouched.

use evidence_core::frameworks::fill_in::fill_in;
use evidence_core::frameworks::spec_text::{self, SpecMeta};
use evidence_core::frameworks::{FrameworkKind, ImportOutcome};

use crate::common::fresh;

fn pasted(standard: &str) -> evidence_core::frameworks::FrameworkDoc {
    let text = include_str!("../fixtures/spec-texts/nos.txt").replace("CLDSCCD99", standard);
    let meta = SpecMeta {
        code: "CD-NOS".into(),
        title: "Community Development NOS".into(),
        version: "paste".into(),
        kind: FrameworkKind::OccupationalStandard,
        source: "pasted".into(),
    };
    spec_text::parse(&text, &meta).unwrap().doc
}

#[test]
fn a_pasted_standard_fills_in_its_place_in_the_suite() {
    let mut fx = fresh();
    let base = fx.store.framework("CD-NOS", None).unwrap();
    let filled = fill_in(&base, &pasted("CLDSCCD01"), "2023.3").unwrap();
    assert_eq!(filled.version, "2023.3");
    let standard = filled
        .groups
        .iter()
        .find(|g| g.code == "CLDSCCD01")
        .unwrap();
    assert_eq!(
        standard.parent.as_deref(),
        Some("KA1"),
        "keeps its key area"
    );
    let codes = |group: &str| -> Vec<String> {
        filled
            .criteria
            .iter()
            .filter(|c| c.group.as_deref() == Some(group))
            .map(|c| c.code.clone())
            .collect()
    };
    assert_eq!(
        codes("CLDSCCD01"),
        [
            "CLDSCCD01.PC1",
            "CLDSCCD01.PC2",
            "CLDSCCD01.PC3",
            "CLDSCCD01.PC4",
            "CLDSCCD01.K1",
            "CLDSCCD01.K2",
            "CLDSCCD01.K3",
            "CLDSCCD01.K4"
        ]
    );
    let before: Vec<_> = base
        .criteria
        .iter()
        .filter(|c| c.group.as_deref() == Some("CLDSCCD15"))
        .collect();
    let after: Vec<_> = filled
        .criteria
        .iter()
        .filter(|c| c.group.as_deref() == Some("CLDSCCD15"))
        .collect();
    assert_eq!(before, after, "CLDSCCD15 is untouched");
    assert_eq!(
        filled.criteria.first().map(|c| c.code.as_str()),
        Some("CLDSCCD01.PC1"),
        "criteria follow the tree's order: CLDSCCD01 comes before CLDSCCD15"
    );

    let report = fx.store.import_framework(&filled).unwrap();
    assert_eq!(report.outcome, ImportOutcome::NewVersion);
    let summary = fx
        .store
        .list_frameworks(false)
        .unwrap()
        .into_iter()
        .find(|f| f.code == "CD-NOS")
        .unwrap();
    assert!(!summary
        .groups_without_criteria
        .contains(&"CLDSCCD01".to_string()));
    assert!(
        summary.incomplete,
        "the other standards still lack criteria"
    );
}

#[test]
fn a_standard_the_framework_does_not_list_is_refused_by_name() {
    let fx = fresh();
    let base = fx.store.framework("CD-NOS", None).unwrap();
    let err = fill_in(&base, &pasted("CLDSCCD99"), "2023.3").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("CLDSCCD99"), "{err}");
}
