//! Gaps and coverage through the store: statuses, totals per framework/unit/LO, unit choice, currency.

use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::gaps::{CriterionStatus, GapFlag};

use crate::common::{add, enrolled, fresh, refs};

#[test]
fn a_new_learner_lacks_evidence_for_every_enrolled_criterion() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ann");
    let gaps = fx.store.gaps(&learner, None).unwrap();
    assert_eq!(
        gaps.totals.criteria, 31,
        "3 NOCN ACs + 28 CLDSCCD15 criteria"
    );
    assert_eq!(gaps.gaps.len(), 31);
    assert!(gaps
        .gaps
        .iter()
        .all(|g| g.flags == vec![GapFlag::NoEvidence] && g.evidence.is_empty()));
}

#[test]
fn mapping_one_item_closes_exactly_its_criteria_once_submitted() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ben");
    let item = add(
        &mut fx.store,
        &learner,
        "Observation",
        Status::Draft,
        "2026-05-01",
    );
    fx.store
        .map_evidence(
            &item.id,
            &refs(&["NOCN-L3-CD:PWC.2.1", "CD-NOS:CLDSCCD15.PC8"]),
            None,
        )
        .unwrap();
    let gaps = fx.store.gaps(&learner, None).unwrap();
    let draft: Vec<String> = gaps
        .gaps
        .iter()
        .filter(|g| g.status == CriterionStatus::DraftOnly)
        .map(|g| g.reference.to_string())
        .collect();
    assert_eq!(
        draft,
        vec!["CD-NOS:CLDSCCD15.PC8", "NOCN-L3-CD:PWC.2.1"],
        "enrolments in framework-code order"
    );
    assert_eq!(gaps.totals.draft_only, 2);
    fx.store
        .edit_evidence(
            &item.id,
            &EvidenceEdit {
                status: Some(Status::Submitted),
                ..Default::default()
            },
        )
        .unwrap();
    let after = fx.store.gaps(&learner, None).unwrap();
    assert_eq!(
        after.gaps.len(),
        29,
        "exactly the two mapped criteria left the gaps"
    );
    assert!(!after
        .gaps
        .iter()
        .any(|g| ["NOCN-L3-CD:PWC.2.1", "CD-NOS:CLDSCCD15.PC8"]
            .contains(&g.reference.to_string().as_str())));
    let coverage = fx.store.coverage(&learner).unwrap();
    let pc8 = coverage
        .criteria
        .iter()
        .find(|c| c.reference.to_string() == "CD-NOS:CLDSCCD15.PC8")
        .unwrap();
    assert_eq!(
        (pc8.status, pc8.evidence.clone()),
        (CriterionStatus::Evidenced, vec![item.id.clone()])
    );
}

#[test]
fn totals_roll_up_per_framework_unit_and_learning_outcome() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Cy");
    let item = add(
        &mut fx.store,
        &learner,
        "Obs",
        Status::Submitted,
        "2026-05-01",
    );
    fx.store
        .map_evidence(&item.id, &refs(&["NOCN-L3-CD:PWC.1.1"]), None)
        .unwrap();
    let coverage = fx.store.coverage(&learner).unwrap();
    let nocn = coverage
        .frameworks
        .iter()
        .find(|f| f.code == "NOCN-L3-CD")
        .unwrap();
    assert_eq!(
        (
            nocn.totals.criteria,
            nocn.totals.evidenced,
            nocn.totals.no_evidence
        ),
        (3, 1, 2)
    );
    assert!(!nocn.verified);
    let group = |code: &str| nocn.groups.iter().find(|g| g.code == code).unwrap();
    assert_eq!(
        (
            group("PWC").totals.criteria,
            group("PWC").totals.evidenced,
            group("PWC").depth
        ),
        (3, 1, 0)
    );
    assert_eq!(
        (group("PWC.1").totals.evidenced, group("PWC.1").depth),
        (1, 1)
    );
    assert_eq!(group("PWC.2").totals.evidenced, 0);
    assert_eq!(
        coverage.totals.criteria,
        coverage
            .frameworks
            .iter()
            .map(|f| f.totals.criteria)
            .sum::<usize>()
    );
}

#[test]
fn only_the_chosen_units_count() {
    let mut fx = fresh();
    let learner = fx.store.add_learner("Di", None).unwrap();
    fx.store
        .enrol(&learner.id, "CLD-COMPETENCES", &["C6".into()])
        .unwrap();
    let coverage = fx.store.coverage(&learner.id).unwrap();
    assert!(
        coverage
            .criteria
            .iter()
            .all(|c| c.groups == vec!["C6".to_string()]),
        "only competence 6"
    );
    assert!(coverage.totals.criteria > 0);
    let err = fx
        .store
        .enrol(&learner.id, "CLD-COMPETENCES", &["C99".into()])
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = fx.store.enrol(&learner.id, "NO-SUCH", &[]).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn old_evidence_is_flagged_as_no_longer_current_by_the_threshold() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ed");
    let old = add(
        &mut fx.store,
        &learner,
        "Old",
        Status::Submitted,
        "2019-01-01",
    );
    fx.store
        .map_evidence(&old.id, &refs(&["CD-NOS:CLDSCCD15.K2"]), None)
        .unwrap();
    let gaps = fx.store.gaps(&learner, None).unwrap();
    let k2 = gaps
        .gaps
        .iter()
        .find(|g| g.reference.code == "CLDSCCD15.K2")
        .expect("stale evidence is flagged");
    assert_eq!(
        (k2.status, k2.flags.clone()),
        (CriterionStatus::Evidenced, vec![GapFlag::NotCurrent])
    );
    assert_eq!(gaps.totals.not_current, 1);
    let lenient = fx.store.gaps(&learner, Some(20)).unwrap();
    assert!(!lenient
        .gaps
        .iter()
        .any(|g| g.reference.code == "CLDSCCD15.K2"));
    fx.store.set_currency_years(10).unwrap();
    assert_eq!(fx.store.currency_years().unwrap(), 10);
    assert_eq!(fx.store.gaps(&learner, None).unwrap().totals.not_current, 0);
    assert_eq!(
        fx.store.set_currency_years(0).unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        fx.store.gaps(&learner, Some(99)).unwrap_err().code(),
        "invalid_input"
    );
}

#[test]
fn the_coverage_csv_is_a_criterion_by_evidence_table() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Flo");
    let a = add(
        &mut fx.store,
        &learner,
        "Alpha, with comma",
        Status::Submitted,
        "2026-05-01",
    );
    let b = add(&mut fx.store, &learner, "Beta", Status::Draft, "2026-05-02");
    fx.store
        .map_evidence(&a.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    fx.store
        .map_evidence(
            &b.id,
            &refs(&["CD-NOS:CLDSCCD15.PC1", "CD-NOS:CLDSCCD15.PC2"]),
            None,
        )
        .unwrap();
    let text =
        evidence_core::gaps::csv::coverage_matrix(&fx.store.coverage(&learner).unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..7],
        [
            "ref",
            "framework",
            "groups",
            "kind",
            "text",
            "status",
            "flags"
        ]
    );
    assert_eq!(&header[7..], ["E1 Alpha, with comma", "E2 Beta"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 31);
    let row = |r: &str| rows.iter().find(|row| &row[0] == r).unwrap().clone();
    assert_eq!(
        (
            &row("CD-NOS:CLDSCCD15.PC1")[5],
            &row("CD-NOS:CLDSCCD15.PC1")[7],
            &row("CD-NOS:CLDSCCD15.PC1")[8]
        ),
        ("evidenced", "submitted", "draft")
    );
    assert_eq!(
        (
            &row("CD-NOS:CLDSCCD15.PC2")[5],
            &row("CD-NOS:CLDSCCD15.PC2")[7]
        ),
        ("draft_only", "")
    );
}

#[test]
fn the_fast_gaps_path_agrees_with_the_full_coverage_report() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Gwen");
    let items = [
        add(
            &mut fx.store,
            &learner,
            "Old submitted",
            Status::Submitted,
            "2015-03-01",
        ),
        add(
            &mut fx.store,
            &learner,
            "Draft",
            Status::Draft,
            "2026-03-01",
        ),
        add(
            &mut fx.store,
            &learner,
            "Recent submitted",
            Status::Submitted,
            "2026-04-01",
        ),
    ];
    fx.store
        .map_evidence(
            &items[0].id,
            &refs(&[
                "CD-NOS:CLDSCCD15.PC1",
                "CD-NOS:CLDSCCD15.PC2",
                "NOCN-L3-CD:PWC.3.1",
            ]),
            None,
        )
        .unwrap();
    fx.store
        .map_evidence(
            &items[1].id,
            &refs(&[
                "CD-NOS:CLDSCCD15.PC2",
                "CD-NOS:CLDSCCD15.K9",
                "NOCN-L3-CD:PWC.3.1",
            ]),
            None,
        )
        .unwrap();
    fx.store
        .map_evidence(
            &items[2].id,
            &refs(&["CD-NOS:CLDSCCD15.PC1", "CD-NOS:CLDSCCD15.K10"]),
            None,
        )
        .unwrap();
    for years in [1, 3, 20] {
        let gaps = fx.store.gaps(&learner, Some(years)).unwrap();
        let coverage = fx.store.coverage_with(&learner, years).unwrap();
        let expected: Vec<_> = coverage
            .criteria
            .iter()
            .filter(|c| !c.flags.is_empty())
            .collect();
        assert_eq!(gaps.totals, coverage.totals, "{years} years");
        assert_eq!(
            serde_json::to_value(&gaps.frameworks).unwrap(),
            serde_json::to_value(&coverage.frameworks).unwrap(),
            "gaps() carries the same per-framework and per-group totals ({years} years)"
        );
        assert_eq!(
            serde_json::to_value(&gaps.gaps).unwrap(),
            serde_json::to_value(&expected).unwrap(),
            "gaps() must list exactly the flagged criteria of coverage(), field for field ({years} years)"
        );
    }
}

#[test]
fn cached_criteria_follow_enrolment_changes_and_new_framework_versions() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Hugo");
    assert_eq!(fx.store.gaps(&learner, None).unwrap().totals.criteria, 31);
    fx.store
        .enrol(&learner, "CD-NOS-VALUES", &["V1".into()])
        .unwrap();
    let with_values = fx.store.gaps(&learner, None).unwrap().totals.criteria;
    assert!(with_values > 31, "a new enrolment shows at once");
    fx.store.unenrol(&learner, "CD-NOS-VALUES").unwrap();
    assert_eq!(fx.store.coverage(&learner).unwrap().totals.criteria, 31);

    let mut next = fx.store.framework("CD-NOS", None).unwrap();
    next.version = "2031".into();
    next.criteria
        .retain(|c| !c.code.starts_with("CLDSCCD15.K1"));
    fx.store.import_framework(&next).unwrap();
    let after = fx.store.gaps(&learner, None).unwrap();
    assert_eq!(
        after.totals.criteria,
        31 - 10,
        "K1 and K10–K18 left with the new version"
    );
    assert_eq!(fx.store.coverage(&learner).unwrap().totals, after.totals);
}
