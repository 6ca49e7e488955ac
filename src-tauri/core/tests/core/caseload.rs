//! The caseload: each learner assigned to the tutor, with a red/amber/green status and the reasons
//! for it (items awaiting review, a target date passed with criteria open).

use crate::common::date;
use crate::review::{as_user, setup, Setup};

#[test]
fn the_caseload_shows_each_assigned_learner_with_a_status_and_why() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "tom");
    let rows = s.caseload().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.learner.id, lena);
    assert_eq!(
        (
            row.totals.criteria,
            row.totals.evidenced,
            row.awaiting_review
        ),
        (3, 3, 1)
    );
    assert_eq!(row.rag, evidence_core::review::Rag::Amber);
    assert!(
        row.reasons.iter().any(|r| r.contains("awaiting review")),
        "{:?}",
        row.reasons
    );
    s.add_feedback(&item, "Looks good.", false).unwrap();
    let row = &s.caseload().unwrap()[0];
    assert_eq!(
        row.awaiting_review, 0,
        "commented on at its current version"
    );
    assert_eq!(
        row.rag,
        evidence_core::review::Rag::Green,
        "{:?}",
        row.reasons
    );
    s.add_feedback(&item, "One more thing.", true).unwrap();
    assert_eq!(s.caseload().unwrap()[0].changes_requested, 1);
    // A target date far behind the evidence so far: red.
    s.set_target_date(&lena, Some(date("2026-01-01"))).unwrap();
    assert_eq!(
        s.caseload().unwrap()[0].rag,
        evidence_core::review::Rag::Red
    );
    as_user(s, "ian");
    assert_eq!(
        s.set_target_date(&lena, None).unwrap_err().code(),
        "forbidden"
    );
    as_user(s, "admin");
    assert!(
        s.caseload().unwrap().is_empty(),
        "an administrator has no caseload unless assigned"
    );
}
