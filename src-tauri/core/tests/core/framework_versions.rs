//! A new version of a framework in use: the preview says, learner by learner, what happens to
//! mappings and judgements and writes nothing; the import then does exactly that, in one
//! transaction: unchanged criteria keep their judgements (signatures still verifying), a reworded
//! criterion waits for an assessor again, a removed one stays readable on the old version.

use evidence_core::frameworks::{native, CriterionDoc, FrameworkDoc, ImportOutcome};
use evidence_core::gaps::CriterionStatus;
use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};

use crate::common::dump;
use crate::review::{as_user, setup};

fn status_of(s: &Store, learner: &str, reference: &str) -> Option<CriterionStatus> {
    let coverage = s.coverage(learner).unwrap();
    coverage
        .criteria
        .iter()
        .find(|c| c.reference.to_string() == reference)
        .map(|c| c.status)
}

/// Version 2 of the shipped NOCN unit: PWC.2.1 reworded, PWC.3.1 removed, PWC.3.2 added.
fn second_version(s: &Store) -> FrameworkDoc {
    let mut next = s.framework("NOCN-L3-CD", None).unwrap();
    next.version = "2027.1".into();
    let reworded = next
        .criteria
        .iter_mut()
        .find(|c| c.code == "PWC.2.1")
        .unwrap();
    reworded.text = format!("{} in a community setting", reworded.text);
    let removed = next
        .criteria
        .iter()
        .position(|c| c.code == "PWC.3.1")
        .unwrap();
    let old = next.criteria.remove(removed);
    next.criteria.push(CriterionDoc {
        code: "PWC.3.2".into(),
        text: "Review a partnership's progress with its members".into(),
        ..old
    });
    next
}

#[test]
fn the_preview_names_each_learners_judgements_and_mappings_and_the_import_does_just_that() {
    let mut st = setup();
    let s = &mut st.fx.store;
    as_user(s, "asa");
    for code in ["PWC.1.1", "PWC.2.1", "PWC.3.1"] {
        let criterion = CriterionRef::parse(&format!("NOCN-L3-CD:{code}")).unwrap();
        s.judge(
            &st.lena,
            &criterion,
            Outcome::Met,
            "Seen.",
            &[st.item.clone()],
        )
        .unwrap();
    }
    as_user(s, "admin");
    let next = second_version(s);

    let before = dump(s);
    let preview = s.preview_framework_import(&next).unwrap();
    assert_eq!(before, dump(s), "a preview writes nothing");
    assert_eq!(preview.outcome, ImportOutcome::NewVersion);
    assert_eq!(preview.refused, None);
    let refs = |list: &[evidence_core::frameworks::AlteredCriterion]| -> Vec<String> {
        list.iter().map(|c| c.reference.clone()).collect()
    };
    assert_eq!(refs(&preview.reworded), ["NOCN-L3-CD:PWC.2.1"]);
    assert_eq!(refs(&preview.removed), ["NOCN-L3-CD:PWC.3.1"]);
    assert_eq!(
        preview
            .added
            .iter()
            .map(|c| c.reference.as_str())
            .collect::<Vec<_>>(),
        ["NOCN-L3-CD:PWC.3.2"]
    );
    let reworded = &preview.reworded[0];
    assert_eq!((reworded.mappings, reworded.judgements), (1, 1));
    let added_words: String = reworded
        .diff
        .iter()
        .filter(|w| w.change == "added")
        .map(|w| w.text.as_str())
        .collect();
    assert_eq!(added_words.trim(), "in a community setting");
    assert_eq!(preview.learners.len(), 1, "{:?}", preview.learners);
    let lena = &preview.learners[0];
    assert_eq!(lena.learner_id, st.lena);
    assert_eq!(
        (
            lena.mappings_carried,
            lena.mappings_on_removed,
            lena.judgements_carried
        ),
        (2, 1, 1)
    );
    assert_eq!(lena.judgements_to_recheck, ["NOCN-L3-CD:PWC.2.1"]);
    assert_eq!(lena.judgements_on_removed, ["NOCN-L3-CD:PWC.3.1"]);

    let report = s.import_framework(&next).unwrap();
    assert_eq!(report.outcome, ImportOutcome::NewVersion);
    assert_eq!(
        (report.judgements_kept, report.judgements_to_recheck),
        (1, 1)
    );
    assert_eq!(report.mappings_kept, 2);
    let versions = s.list_frameworks(true).unwrap();
    let usage = |version: &str| {
        let v = versions
            .iter()
            .find(|f| f.code == "NOCN-L3-CD" && f.version == version)
            .unwrap();
        (v.current, v.mappings, v.learners)
    };
    assert_eq!(
        usage(&preview.previous_version.clone().unwrap()),
        (false, 1, 1),
        "the mapping to the removed criterion stays on the old version"
    );
    let (current, mappings, learners) = usage("2027.1");
    assert_eq!((current, mappings), (true, 2));
    assert!(
        learners >= 1,
        "enrolled learners count on the current version"
    );
    as_user(s, "asa");
    assert_eq!(
        status_of(s, &st.lena, "NOCN-L3-CD:PWC.1.1"),
        Some(CriterionStatus::Met),
        "an unchanged criterion keeps its judgement"
    );
    assert_eq!(
        status_of(s, &st.lena, "NOCN-L3-CD:PWC.2.1"),
        Some(CriterionStatus::Evidenced),
        "a reworded criterion waits for the assessor to judge it against its new words"
    );
    assert_eq!(status_of(s, &st.lena, "NOCN-L3-CD:PWC.3.1"), None);
    assert_eq!(
        status_of(s, &st.lena, "NOCN-L3-CD:PWC.3.2"),
        Some(CriterionStatus::NoEvidence)
    );
    let judgements = s.judgements(&st.lena).unwrap();
    assert_eq!(judgements.len(), 3, "no judgement is lost");
    assert!(
        judgements.iter().all(|j| j.signature.matches),
        "every moved or kept judgement still verifies"
    );
    as_user(s, "admin");
    let audit = s.verify_audit().unwrap();
    assert!(audit.intact, "{:?}", audit.problems);

    let again = s.preview_framework_import(&next).unwrap();
    assert_eq!(again.outcome, ImportOutcome::Unchanged);
}

#[test]
fn a_preview_of_a_changed_file_under_a_stored_version_says_it_would_be_refused() {
    let mut st = setup();
    let s = &mut st.fx.store;
    as_user(s, "admin");
    let mut same_version = s.framework("NOCN-L3-CD", None).unwrap();
    same_version.criteria[0].text.push_str(" (edited)");
    let preview = s.preview_framework_import(&same_version).unwrap();
    let refused = preview.refused.expect("refused");
    assert!(refused.contains("new version"), "{refused}");
    as_user(s, "tom");
    let err = s.preview_framework_import(&second_version(s)).unwrap_err();
    assert_eq!(err.code(), "forbidden", "only administrators import");
}

#[test]
fn an_exported_version_imports_elsewhere_unchanged() {
    let st = setup();
    let text = native::write(&st.fx.store.framework("NOCN-L3-CD", None).unwrap()).unwrap();
    let doc = native::parse(text.as_bytes()).unwrap();
    assert_eq!(doc, st.fx.store.framework("NOCN-L3-CD", None).unwrap());
}
