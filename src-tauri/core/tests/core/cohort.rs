//! Cohort coverage: every learner's totals agree with their own coverage report.

use chrono::Days;

use evidence_core::evidence::{Method, NewEvidence, Status};
use evidence_core::frameworks::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind,
};
use evidence_core::refs::CriterionRef;
use evidence_core::store::Store;
use evidence_core::time::today;

/// A qualification of three units, each with two learning outcomes of two criteria.
fn qualification() -> FrameworkDoc {
    let mut groups = Vec::new();
    let mut criteria = Vec::new();
    for u in 1..=3 {
        groups.push(GroupDoc {
            code: format!("U{u}"),
            kind: GroupKind::Unit,
            title: format!("Unit {u}"),
            parent: None,
        });
        for o in 1..=2 {
            groups.push(GroupDoc {
                code: format!("U{u}.{o}"),
                kind: GroupKind::LearningOutcome,
                title: format!("Outcome {u}.{o}"),
                parent: Some(format!("U{u}")),
            });
            for c in 1..=2 {
                criteria.push(CriterionDoc {
                    code: format!("U{u}.{o}.{c}"),
                    kind: CriterionKind::AssessmentCriterion,
                    text: format!("Criterion {u}.{o}.{c}"),
                    group: Some(format!("U{u}.{o}")),
                });
            }
        }
    }
    FrameworkDoc {
        code: "T-QUAL".into(),
        title: "Test qualification".into(),
        kind: FrameworkKind::Qualification,
        version: "1".into(),
        source: "test".into(),
        verified: false,
        description: String::new(),
        groups,
        criteria,
        method_rules: Vec::new(),
    }
}

fn criteria_of(store: &Store, framework: &str) -> Vec<CriterionRef> {
    let doc = store.framework(framework, None).unwrap();
    doc.criteria
        .iter()
        .map(|c| CriterionRef::new(framework, c.code.clone()))
        .collect()
}

#[test]
fn cohort_totals_equal_each_learners_coverage_in_memory() {
    check_cohort_against_coverage(Store::open_in_memory().unwrap());
}

/// On disk the cohort reads evidence on a second connection in parallel: same answers required.
#[test]
fn cohort_totals_equal_each_learners_coverage_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    check_cohort_against_coverage(Store::open(dir.path()).unwrap());
}

fn check_cohort_against_coverage(mut store: Store) {
    store.import_framework(&qualification()).unwrap();
    let qual = criteria_of(&store, "T-QUAL");
    let nos = criteria_of(&store, "CD-NOS");
    let unit = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    // (name, enrolments): Ben and Cat share a scope; Dan has none; Eve has no evidence.
    let plan = [
        (
            "ann",
            vec![("T-QUAL", unit(&["U1", "U3"])), ("CD-NOS", vec![])],
        ),
        ("Ben", vec![("T-QUAL", vec![])]),
        ("cat", vec![("T-QUAL", vec![])]),
        ("Dan", vec![]),
        ("Eve", vec![("CD-NOS", vec![])]),
    ];
    let day = |days_ago: u64| today().checked_sub_days(Days::new(days_ago)).unwrap();
    for (n, (name, enrolments)) in plan.iter().enumerate() {
        let learner = store.add_learner(name, None).unwrap();
        for (framework, units) in enrolments {
            store.enrol(&learner.id, framework, units).unwrap();
        }
        if *name == "Eve" {
            continue;
        }
        // Recent, old (beyond 3 years) and draft items, each on a different spread of criteria,
        // some outside the learner's enrolments.
        let items = [
            (Status::Submitted, day(30)),
            (Status::Submitted, day(5 * 365)),
            (Status::Draft, day(10)),
            (Status::Submitted, day(2 * 365)),
        ];
        for (i, (status, date)) in items.into_iter().enumerate() {
            let item = store
                .add_evidence(&NewEvidence {
                    learner: learner.id.clone(),
                    title: format!("Item {i}"),
                    method: Method::DirectObservation,
                    activity_date: date,
                    body_markdown: String::new(),
                    status,
                    witness: Default::default(),
                })
                .unwrap();
            let mut refs: Vec<CriterionRef> = qual
                .iter()
                .chain(&nos)
                .skip(i + n)
                .step_by(3 + i)
                .cloned()
                .collect();
            refs.truncate(8);
            store.map_evidence(&item.id, &refs, None).unwrap();
        }
    }

    let mut checked = evidence_core::gaps::Totals::default();
    for years in [None, Some(1), Some(4), Some(10)] {
        let cohort = store.cohort_coverage(years).unwrap();
        let names: Vec<&str> = cohort.learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ann", "Ben", "cat", "Dan", "Eve"]);
        let years = years.unwrap_or(store.currency_years().unwrap());
        assert_eq!(cohort.currency_years, years);
        for learner in &cohort.learners {
            let coverage = store.coverage_with(&learner.id, years).unwrap();
            assert_eq!(learner.totals, coverage.totals, "{}", learner.name);
            assert_eq!(learner.frameworks.len(), coverage.frameworks.len());
            for (ours, theirs) in learner.frameworks.iter().zip(&coverage.frameworks) {
                assert_eq!(
                    (&ours.code, &ours.version, ours.totals),
                    (&theirs.code, &theirs.version, theirs.totals)
                );
                let top: Vec<_> = theirs
                    .groups
                    .iter()
                    .filter(|g| g.depth == 0)
                    .map(|g| (g.code.as_str(), g.totals))
                    .collect();
                let ours: Vec<_> = ours
                    .groups
                    .iter()
                    .map(|g| (g.code.as_str(), g.totals))
                    .collect();
                assert_eq!(ours, top, "{} {}", learner.name, theirs.code);
            }
            checked.criteria += learner.totals.criteria;
            checked.evidenced += learner.totals.evidenced;
            checked.draft_only += learner.totals.draft_only;
            checked.no_evidence += learner.totals.no_evidence;
            checked.not_current += learner.totals.not_current;
        }
    }
    // The data exercised every status.
    assert!(checked.evidenced > 0 && checked.draft_only > 0);
    assert!(checked.no_evidence > 0 && checked.not_current > 0);
}

#[test]
fn an_empty_store_has_an_empty_cohort_and_a_bad_threshold_is_refused() {
    let store = Store::open_in_memory().unwrap();
    assert!(store.cohort_coverage(None).unwrap().learners.is_empty());
    assert_eq!(
        store.cohort_coverage(Some(0)).unwrap_err().code(),
        "invalid_input"
    );
}
