//! Submission readiness: every blocker with its rule of evidence and fix; "ready" only when nothing
//! blocks; per unit too.

use evidence_core::readiness::{BlockerKind, EvidenceRule};
use evidence_core::review::Outcome;
use evidence_core::CriterionRef;

use crate::review::{as_user, setup, Setup};

fn kinds(r: &evidence_core::readiness::Readiness) -> Vec<(BlockerKind, Option<String>)> {
    r.blockers
        .iter()
        .map(|b| (b.kind, b.criterion.clone()))
        .collect()
}

const UNIT: [&str; 3] = [
    "NOCN-L3-CD:PWC.1.1",
    "NOCN-L3-CD:PWC.2.1",
    "NOCN-L3-CD:PWC.3.1",
];

/// As the signed-in assessor: every criterion of unit PWC met on `item`.
fn judge_unit_met(s: &mut evidence_core::Store, learner: &str, item: &str) {
    for r in UNIT {
        s.judge(
            learner,
            &CriterionRef::parse(r).unwrap(),
            Outcome::Met,
            "",
            &[item.to_string()],
        )
        .unwrap();
    }
}

#[test]
fn ready_only_when_assessed_met_and_declared() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let before = s.readiness(&lena, None).unwrap();
    assert!(!before.ready);
    assert_eq!(before.criteria, 3);
    let unit = [
        "NOCN-L3-CD:PWC.1.1",
        "NOCN-L3-CD:PWC.2.1",
        "NOCN-L3-CD:PWC.3.1",
    ];
    let mut expected: Vec<(BlockerKind, Option<String>)> = unit
        .iter()
        .map(|r| (BlockerKind::NotAssessed, Some(r.to_string())))
        .collect();
    expected.push((BlockerKind::NoDeclaration, None));
    assert_eq!(kinds(&before), expected);
    let declaration = before.blockers.last().unwrap();
    assert_eq!(declaration.rule, EvidenceRule::Authentic);
    assert_eq!(declaration.evidence.as_deref(), Some(item.as_str()));
    assert!(EvidenceRule::Authentic.meaning().starts_with("Authentic"));

    s.declare(&item).unwrap();
    as_user(s, "asa");
    s.judge(
        &lena,
        &CriterionRef::parse(unit[0]).unwrap(),
        Outcome::NotYetMet,
        "More, please.",
        &[],
    )
    .unwrap();
    let partway = s.readiness(&lena, None).unwrap();
    assert_eq!(partway.blockers[0].kind, BlockerKind::NotMet);
    assert_eq!(partway.blockers[0].rule, EvidenceRule::Sufficient);
    judge_unit_met(s, &lena, &item);
    let ready = s.readiness(&lena, None).unwrap();
    assert!(ready.ready, "{:?}", ready.blockers);

    // The learner edits the declared, judged item: the judgements and the declaration no longer
    // match what was signed.
    as_user(s, "lena");
    let edit = evidence_core::evidence::EvidenceEdit {
        title: Some("Revised".into()),
        ..Default::default()
    };
    s.edit_evidence(&item, &edit).unwrap();
    let mut expected: Vec<(BlockerKind, Option<String>)> = unit
        .iter()
        .map(|r| (BlockerKind::AssessmentOutdated, Some(r.to_string())))
        .collect();
    expected.push((BlockerKind::NoDeclaration, None));
    assert_eq!(kinds(&s.readiness(&lena, None).unwrap()), expected);
}

#[test]
fn a_unit_can_be_ready_while_the_portfolio_is_not() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    s.enrol(&lena, "CD-NOS", &["CLDSCCD15".into()]).unwrap();
    s.declare(&item).unwrap();
    as_user(s, "asa");
    judge_unit_met(s, &lena, &item);
    let unit = s.readiness(&lena, Some("NOCN-L3-CD:PWC")).unwrap();
    assert!(unit.ready && unit.criteria == 3, "{:?}", unit.blockers);
    let all = s.readiness(&lena, None).unwrap();
    assert_eq!(all.criteria, 31);
    assert_eq!(
        all.blockers
            .iter()
            .filter(|b| b.kind == BlockerKind::NoEvidence)
            .count(),
        28
    );
    assert_eq!(
        s.readiness(&lena, Some("NOCN-L3-CD:NOPE"))
            .unwrap_err()
            .code(),
        "not_found"
    );
    // Readiness reads the portfolio: nobody unassigned may check it.
    as_user(s, "admin");
    assert_eq!(s.readiness(&lena, None).unwrap_err().code(), "forbidden");
}
