//! Who may do what, walked operation by operation for every role: nobody reads or changes a portfolio
//! that is not theirs to see — items, versions, attachments, search results, gaps, coverage, cohort
//! totals — and every refusal is `not_found` for whoever may not even name the portfolio (so that it
//! cannot be told from one that does not exist), `forbidden` for whoever may (an administrator, a
//! tutor asked to judge), or `unauthenticated` when nobody is signed in, with nothing written.

use evidence_core::accounts::{AccountsState, AssignedAs, NewUser, Role};
use evidence_core::audit::HistoryScope;
use evidence_core::evidence::VersionNumber;
use evidence_core::evidence::{EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status};
use evidence_core::review::Outcome;
use evidence_core::{CoreError, CriterionRef, Store};

use crate::common::{date, dump, fresh, refs, Fixture};

pub(crate) const PASSWORD: &str = "a long enough password";

pub(crate) fn new_user(username: &str, name: &str, roles: &[Role]) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: name.into(),
        roles: roles.to_vec(),
        password: Some(PASSWORD.into()),
        learner: None,
    }
}

/// A centre: an administrator, a tutor, an assessor and an IQA assigned to Lena; Lars has nobody.
/// Both learners have an item with an attachment, mapped to a criterion.
pub(crate) struct Centre {
    pub(crate) fx: Fixture,
    pub(crate) lena: String,
    pub(crate) lars: String,
    pub(crate) lena_item: String,
    pub(crate) lars_item: String,
    pub(crate) lena_blob: String,
    pub(crate) lars_blob: String,
}

pub(crate) fn centre() -> Centre {
    let mut fx = fresh();
    let s = &mut fx.store;
    s.setup_centre("admin", "Ada Admin", PASSWORD).unwrap();
    s.add_user(&new_user("tom", "Tom Tutor", &[Role::Tutor]))
        .unwrap();
    s.add_user(&new_user("asa", "Asa Assessor", &[Role::Assessor]))
        .unwrap();
    s.add_user(&new_user("ian", "Ian IQA", &[Role::Iqa]))
        .unwrap();
    let lena = s
        .add_user(&new_user("lena", "Lena Learner", &[Role::Learner]))
        .unwrap();
    let lars = s
        .add_user(&new_user("lars", "Lars Learner", &[Role::Learner]))
        .unwrap();
    let (lena, lars) = (lena.learner_id.unwrap(), lars.learner_id.unwrap());
    s.assign("tom", &lena, AssignedAs::Tutor).unwrap();
    s.assign("asa", &lena, AssignedAs::Assessor).unwrap();
    s.assign("ian", &lena, AssignedAs::Iqa).unwrap();
    let mut items = Vec::new();
    let mut blobs = Vec::new();
    for (user, learner, word) in [("lena", &lena, "garden"), ("lars", &lars, "zeppelin")] {
        s.sign_in(user, Some(PASSWORD)).unwrap();
        s.enrol(learner, "NOCN-L3-CD", &["PWC".into()]).unwrap();
        let item = s
            .add_evidence(&NewEvidence {
                learner: learner.clone(),
                title: format!("The {word} project"),
                method: Method::ReflectiveAccount,
                activity_date: date("2026-10-01"),
                body_markdown: format!("All about the {word}."),
                status: Status::Submitted,
                witness: Default::default(),
            })
            .unwrap();
        let file = fx.dir.path().join(format!("{word}.txt"));
        std::fs::write(&file, format!("notes on the {word}")).unwrap();
        let attached = s.attach(&item.id, &file).unwrap();
        s.map_evidence(&item.id, &refs(&["NOCN-L3-CD:PWC.1.1"]), None)
            .unwrap();
        items.push(item.id);
        blobs.push(attached.sha256);
    }
    s.sign_out().unwrap();
    Centre {
        fx,
        lars_item: items.pop().unwrap(),
        lena_item: items.pop().unwrap(),
        lars_blob: blobs.pop().unwrap(),
        lena_blob: blobs.pop().unwrap(),
        lena,
        lars,
    }
}

/// Every operation on one learner's portfolio, each reduced to its error code (or "ok").
fn try_everything(
    s: &mut Store,
    learner: &str,
    item: &str,
    blob: &str,
) -> Vec<(&'static str, String)> {
    fn code<T>(r: Result<T, CoreError>) -> String {
        match r {
            Ok(_) => "ok".into(),
            Err(e) => e.code().into(),
        }
    }
    let new = NewEvidence {
        learner: learner.into(),
        title: "Planted".into(),
        method: Method::Other,
        activity_date: date("2026-10-02"),
        body_markdown: String::new(),
        status: Status::Draft,
        witness: Default::default(),
    };
    let edit = EvidenceEdit {
        title: Some("Changed".into()),
        ..Default::default()
    };
    let other_file = std::env::temp_dir().join(format!("planted-{}.txt", std::process::id()));
    std::fs::write(&other_file, "planted").unwrap();
    vec![
        ("learner", code(s.learner(learner))),
        ("enrolments", code(s.enrolments(learner))),
        (
            "list_evidence",
            code(s.list_evidence(learner, &EvidenceFilter::default())),
        ),
        ("evidence", code(s.evidence(item))),
        ("evidence_versions", code(s.evidence_versions(item))),
        ("coverage", code(s.coverage(learner))),
        ("gaps", code(s.gaps(learner, None))),
        (
            "search_in_learner",
            code(s.search_evidence("project", Some(learner), 10)),
        ),
        ("attachment_path", code(s.attachment_path(blob))),
        ("attachment_preview", code(s.attachment_preview(blob))),
        ("feedback", code(s.feedback(item))),
        (
            "evidence_diff",
            code(s.evidence_diff(item, VersionNumber::new(1), VersionNumber::new(1))),
        ),
        ("judgements", code(s.judgements(learner))),
        ("signatures", code(s.signatures(learner))),
        ("unit_sign_offs", code(s.unit_sign_offs(learner))),
        ("history", code(s.history(HistoryScope::Learner(learner)))),
        ("add_evidence", code(s.add_evidence(&new))),
        ("edit_evidence", code(s.edit_evidence(item, &edit))),
        ("attach", code(s.attach(item, &other_file))),
        (
            "map",
            code(s.map_evidence(item, &refs(&["NOCN-L3-CD:PWC.2.1"]), None)),
        ),
        (
            "unmap",
            code(s.unmap_evidence(item, &refs(&["NOCN-L3-CD:PWC.1.1"]))),
        ),
        ("declare", code(s.declare(item))),
        ("comment", code(s.add_feedback(item, "A comment.", false))),
        (
            "request_changes",
            code(s.add_feedback(item, "Please change.", true)),
        ),
        (
            "judge",
            code(s.judge(
                learner,
                &CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap(),
                Outcome::NotYetMet,
                "",
                &[],
            )),
        ),
        (
            "sign_off",
            code(s.sign_off_unit(learner, "NOCN-L3-CD", "PWC")),
        ),
        ("enrol", code(s.enrol(learner, "CD-NOS", &[]))),
        ("unenrol", code(s.unenrol(learner, "NOCN-L3-CD"))),
    ]
}

const READS: usize = 16;

#[test]
fn nobody_reaches_a_portfolio_they_are_not_assigned_to() {
    let mut c = centre();
    for user in ["admin", "tom", "asa", "ian", "lena"] {
        c.fx.store.sign_in(user, Some(PASSWORD)).unwrap();
        let before = dump(&c.fx.store);
        let results = try_everything(&mut c.fx.store, &c.lars, &c.lars_item, &c.lars_blob);
        let (reads, writes) = results.split_at(READS);
        for (op, got) in reads {
            // An administrator may look a learner up by name and see their enrolments (to manage
            // accounts), but nothing in the portfolio.
            let admin_meta = user == "admin" && ["learner", "enrolments"].contains(op);
            let expected = match (admin_meta, user) {
                (true, _) => "ok",
                // An administrator may name every learner, so is told "forbidden"; but an
                // attachment is named by its content, which is not found for whoever may not read it.
                (false, "admin") if !op.starts_with("attachment") => "forbidden",
                // Everyone else cannot tell Lars's portfolio from one that does not exist.
                _ => "not_found",
            };
            assert_eq!(got, expected, "{user} → {op} on Lars's portfolio");
        }
        for (op, got) in writes {
            let admin_enrols = user == "admin" && ["enrol", "unenrol"].contains(op);
            if !admin_enrols {
                let expected = if user == "admin" {
                    "forbidden"
                } else {
                    "not_found"
                };
                assert_eq!(got, expected, "{user} → {op} on Lars's portfolio");
            }
        }
        if user != "admin" {
            assert_eq!(
                dump(&c.fx.store),
                before,
                "{user}'s refused attempts changed nothing"
            );
        }
        // Whole-store reads leave Lars out.
        let hits = c.fx.store.search_evidence("zeppelin", None, 50).unwrap();
        assert!(
            hits.is_empty(),
            "{user} finds nothing of Lars's by search: {hits:?}"
        );
        let cohort = c.fx.store.cohort_coverage(None).unwrap();
        assert!(
            cohort.learners.iter().all(|l| l.id != c.lars),
            "{user}'s cohort leaves Lars out"
        );
        let listed = c.fx.store.list_learners().unwrap();
        assert!(
            listed.iter().all(|l| l.id != c.lars),
            "{user} lists no Lars"
        );
        let all =
            c.fx.store
                .list_all_learners()
                .map(|l| l.iter().any(|l| l.id == c.lars));
        match user {
            "admin" => assert!(all.unwrap(), "an administrator names every learner"),
            _ => assert_eq!(all.unwrap_err().code(), "forbidden"),
        }
        c.fx.store.sign_out().unwrap();
    }
}

#[test]
fn assigned_staff_read_but_only_the_learner_changes_evidence() {
    let mut c = centre();
    for user in ["tom", "asa", "ian"] {
        c.fx.store.sign_in(user, Some(PASSWORD)).unwrap();
        let results = try_everything(&mut c.fx.store, &c.lena, &c.lena_item, &c.lena_blob);
        for (op, got) in &results[..READS] {
            assert_eq!(got, "ok", "{user} → {op} on Lena's portfolio (assigned)");
        }
        for (op, got) in &results[READS..] {
            let allowed = match user {
                "tom" => ["enrol", "unenrol", "comment", "request_changes"].contains(op),
                // An assessor may judge; signing off is refused only because the unit is not all met.
                "asa" => ["comment", "request_changes", "judge"].contains(op),
                _ => false,
            };
            let expected = match (allowed, *op) {
                (true, _) => "ok",
                (false, "sign_off") if user == "asa" => "invalid_input",
                _ => "forbidden",
            };
            assert_eq!(got, expected, "{user} → {op} on Lena's portfolio");
        }
        let hits = c.fx.store.search_evidence("garden", None, 50).unwrap();
        assert_eq!(hits.len(), 1, "{user} finds Lena's item");
        let cohort = c.fx.store.cohort_coverage(None).unwrap();
        let ids: Vec<&str> = cohort.learners.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, [c.lena.as_str()], "{user}'s caseload is Lena");
        c.fx.store.sign_out().unwrap();
    }
    // Lena herself may do everything to her own portfolio but review and judge it (a fresh centre:
    // Tom enrolled her above).
    let mut c = centre();
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    let results = try_everything(&mut c.fx.store, &c.lena, &c.lena_item, &c.lena_blob);
    for (op, got) in results {
        let expected = if ["request_changes", "judge", "sign_off"].contains(&op) {
            "forbidden"
        } else {
            "ok"
        };
        assert_eq!(got, expected, "Lena → {op} on her own portfolio");
    }
}

#[test]
fn an_unassigned_or_removed_role_reads_nothing() {
    let mut c = centre();
    c.fx.store.sign_in("admin", Some(PASSWORD)).unwrap();
    c.fx.store
        .unassign("tom", &c.lena, AssignedAs::Tutor)
        .unwrap();
    c.fx.store.sign_in("tom", Some(PASSWORD)).unwrap();
    assert_eq!(
        c.fx.store.evidence(&c.lena_item).unwrap_err().code(),
        "not_found"
    );
    // Assignments need the matching role.
    c.fx.store.sign_in("admin", Some(PASSWORD)).unwrap();
    let err =
        c.fx.store
            .assign("tom", &c.lena, AssignedAs::Assessor)
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    // Staff cannot manage accounts.
    c.fx.store.sign_in("asa", Some(PASSWORD)).unwrap();
    let err =
        c.fx.store
            .add_user(&new_user("eve", "Eve", &[Role::Administrator]))
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert_eq!(c.fx.store.list_users().unwrap_err().code(), "forbidden");
    assert_eq!(
        c.fx.store.set_currency_years(5).unwrap_err().code(),
        "forbidden"
    );
}

#[test]
fn nothing_works_until_someone_signs_in() {
    let c = centre();
    let mut s = Store::open(c.fx.dir.path()).unwrap();
    let results = try_everything(&mut s, &c.lena, &c.lena_item, &c.lena_blob);
    for (op, got) in results {
        assert_eq!(got, "unauthenticated", "{op} with nobody signed in");
    }
    assert_eq!(
        s.list_frameworks(false).unwrap_err().code(),
        "unauthenticated"
    );
    assert_eq!(
        s.cohort_coverage(None).unwrap_err().code(),
        "unauthenticated"
    );
    assert!(
        matches!(s.accounts_state().unwrap(), AccountsState::SignIn { users } if users.len() == 6)
    );
}

#[test]
fn the_core_tells_the_ui_what_each_user_may_do_with_a_portfolio() {
    let mut c = centre();
    let s = &mut c.fx.store;
    // (user, own, read, change evidence, enrol, discuss, review, judge, carry, QA) for Lena.
    let expected = [
        (
            "lena",
            [true, true, true, true, true, false, false, true, false],
        ),
        (
            "tom",
            [false, true, false, true, true, true, false, true, false],
        ),
        (
            "asa",
            [false, true, false, false, true, true, true, false, true],
        ),
        (
            "ian",
            [false, true, false, false, false, false, false, false, true],
        ),
        (
            "admin",
            [false, false, false, true, false, false, false, false, false],
        ),
    ];
    for (user, want) in expected {
        s.sign_in(user, Some(PASSWORD)).unwrap();
        let p = s.portfolio_permissions(&c.lena).unwrap();
        let got = [
            p.own,
            p.read,
            p.change_evidence,
            p.enrol,
            p.discuss,
            p.review,
            p.judge,
            p.carry_portfolio,
            p.quality_assure,
        ];
        assert_eq!(got, want, "{user}");
    }
    // Another learner is not told even that Lena's portfolio exists.
    s.sign_in("lars", Some(PASSWORD)).unwrap();
    assert_eq!(
        s.portfolio_permissions(&c.lena).unwrap_err().code(),
        "not_found"
    );
    s.sign_out().unwrap();
    assert_eq!(
        s.portfolio_permissions(&c.lena).unwrap_err().code(),
        "unauthenticated"
    );
}
