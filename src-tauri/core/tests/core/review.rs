//! Review and judgement: a tutor returns an item for changes, the learner resubmits (every version
//! kept, the changes between them shown), an assessor judges criteria citing the evidence and signs
//! the unit off; a signature stops matching when signed evidence changes, and a signed record edited
//! behind the app's back is found by the audit check.

use evidence_core::accounts::{AssignedAs, NewUser, Role};
use evidence_core::evidence::VersionNumber;
use evidence_core::evidence::{EvidenceEdit, Method, NewEvidence, Status};
use evidence_core::gaps::CriterionStatus;
use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};

use crate::common::{date, fresh, refs, Fixture};

pub const PASSWORD: &str = "review password 1";

fn user(username: &str, roles: &[Role]) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.to_uppercase(),
        roles: roles.to_vec(),
        password: Some(PASSWORD.into()),
        learner: None,
    }
}

pub struct Setup {
    pub fx: Fixture,
    pub lena: String,
    pub item: String,
}

/// Lena (enrolled on unit PWC) with a submitted item mapped to all three of its criteria; Tom her
/// tutor, Asa her assessor, Ian her IQA.
pub fn setup() -> Setup {
    let mut fx = fresh();
    let s = &mut fx.store;
    s.setup_centre("admin", "Admin", PASSWORD).unwrap();
    for (name, role) in [
        ("tom", Role::Tutor),
        ("asa", Role::Assessor),
        ("ian", Role::Iqa),
    ] {
        s.add_user(&user(name, &[role])).unwrap();
    }
    let lena = s
        .add_user(&user("lena", &[Role::Learner]))
        .unwrap()
        .learner_id
        .unwrap();
    s.assign("tom", &lena, AssignedAs::Tutor).unwrap();
    s.assign("asa", &lena, AssignedAs::Assessor).unwrap();
    s.assign("ian", &lena, AssignedAs::Iqa).unwrap();
    as_user(s, "lena");
    s.enrol(&lena, "NOCN-L3-CD", &["PWC".into()]).unwrap();
    let item = s
        .add_evidence(&NewEvidence {
            learner: lena.clone(),
            title: "Partnership review".into(),
            method: Method::ReflectiveAccount,
            activity_date: date("2026-10-01"),
            body_markdown: "We met.\nWe agreed aims.".into(),
            status: Status::Submitted,
            witness: Default::default(),
        })
        .unwrap()
        .id;
    let file = fx.dir.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    s.attach(&item, &file).unwrap();
    s.map_evidence(
        &item,
        &refs(&[
            "NOCN-L3-CD:PWC.1.1",
            "NOCN-L3-CD:PWC.2.1",
            "NOCN-L3-CD:PWC.3.1",
        ]),
        None,
    )
    .unwrap();
    Setup { fx, lena, item }
}

pub fn as_user(s: &mut Store, name: &str) {
    s.sign_in(name, Some(PASSWORD)).unwrap();
}

fn status_of(s: &Store, learner: &str, reference: &str) -> CriterionStatus {
    let coverage = s.coverage(learner).unwrap();
    coverage
        .criteria
        .iter()
        .find(|c| c.reference.to_string() == reference)
        .unwrap()
        .status
}

fn criterion(text: &str) -> CriterionRef {
    CriterionRef::parse(text).unwrap()
}

#[test]
fn changes_requested_then_resubmitted_with_every_version_kept() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "tom");
    let fb = s
        .add_feedback(&item, "Say what each partner agreed to.", true)
        .unwrap();
    assert!(fb.requests_changes);
    assert_eq!(fb.on_version.get(), 1);
    let returned = s.evidence(&item).unwrap();
    assert_eq!(
        (returned.version.get(), returned.status),
        (2, Status::Draft)
    );
    assert_eq!(
        status_of(s, &lena, "NOCN-L3-CD:PWC.1.1"),
        CriterionStatus::DraftOnly
    );

    as_user(s, "lena");
    s.add_feedback(&item, "Added them.", false).unwrap();
    let edit = EvidenceEdit {
        body_markdown: Some("We met.\nThe library agreed to host.\nWe agreed aims.".into()),
        status: Some(Status::Submitted),
        ..Default::default()
    };
    s.edit_evidence(&item, &edit).unwrap();
    let versions = s.evidence_versions(&item).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version.get()).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let diff = s
        .evidence_diff(&item, VersionNumber::new(1), VersionNumber::new(3))
        .unwrap();
    assert!(
        diff.fields.is_empty(),
        "status went draft and back: {:?}",
        diff.fields
    );
    let added: Vec<&str> = diff
        .body
        .iter()
        .filter(|l| l.change == "added")
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(added, ["The library agreed to host."]);
    assert_eq!(
        s.evidence_diff(&item, VersionNumber::new(2), VersionNumber::new(3))
            .unwrap()
            .fields[0]
            .field,
        "status"
    );
    let thread = s.feedback(&item).unwrap();
    assert_eq!(
        thread
            .iter()
            .map(|f| f.author_name.as_str())
            .collect::<Vec<_>>(),
        ["TOM", "LENA"]
    );
    assert_eq!(
        status_of(s, &lena, "NOCN-L3-CD:PWC.1.1"),
        CriterionStatus::Evidenced
    );
}

#[test]
fn only_the_right_people_review_judge_and_declare() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let pc = criterion("NOCN-L3-CD:PWC.1.1");
    for who in ["tom", "lena", "ian", "admin"] {
        as_user(s, who);
        let err = s
            .judge(&lena, &pc, Outcome::Met, "", std::slice::from_ref(&item))
            .unwrap_err();
        assert_eq!(err.code(), "forbidden", "{who} judges");
        assert_eq!(
            s.sign_off_unit(&lena, "NOCN-L3-CD", "PWC")
                .unwrap_err()
                .code(),
            "forbidden",
            "{who} signs off"
        );
    }
    for who in ["lena", "ian"] {
        as_user(s, who);
        assert_eq!(
            s.add_feedback(&item, "x", true).unwrap_err().code(),
            "forbidden",
            "{who} returns the item"
        );
    }
    as_user(s, "ian");
    assert_eq!(
        s.add_feedback(&item, "x", false).unwrap_err().code(),
        "forbidden",
        "an IQA reads only"
    );
    assert_eq!(
        s.feedback(&item).unwrap().len(),
        0,
        "but may read the thread"
    );
    as_user(s, "tom");
    assert_eq!(
        s.declare(&item).unwrap_err().code(),
        "forbidden",
        "only the learner declares"
    );
    as_user(s, "lena");
    let declared = s.declare(&item).unwrap();
    assert!(declared.matches);
    assert_eq!(s.declaration(&item).unwrap().unwrap().id, declared.id);
}

#[test]
fn judgements_sign_off_and_signatures() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "asa");
    let cited = std::slice::from_ref(&item);
    // Met needs evidence, submitted and mapped to the criterion.
    assert_eq!(
        s.judge(
            &lena,
            &criterion("NOCN-L3-CD:PWC.1.1"),
            Outcome::Met,
            "",
            &[]
        )
        .unwrap_err()
        .code(),
        "invalid_input"
    );
    let first = s
        .judge(
            &lena,
            &criterion("NOCN-L3-CD:PWC.1.1"),
            Outcome::Met,
            "Clear account.",
            cited,
        )
        .unwrap();
    assert!(first.signature.matches);
    assert_eq!(first.evidence[0].version.get(), 1);
    assert_eq!(
        status_of(s, &lena, "NOCN-L3-CD:PWC.1.1"),
        CriterionStatus::Met
    );
    s.judge(
        &lena,
        &criterion("NOCN-L3-CD:PWC.2.1"),
        Outcome::NotYetMet,
        "Say more.",
        &[],
    )
    .unwrap();
    let gaps = s.gaps(&lena, None).unwrap();
    assert_eq!(gaps.totals.met, 1);
    assert_eq!(gaps.totals.not_yet_met, 1);
    assert!(gaps
        .gaps
        .iter()
        .any(|g| g.reference.to_string() == "NOCN-L3-CD:PWC.2.1"));
    // Not every criterion met: no sign-off yet, and the message names what is open.
    let err = s.sign_off_unit(&lena, "NOCN-L3-CD", "PWC").unwrap_err();
    assert!(
        err.to_string().contains("PWC.2.1") && err.to_string().contains("PWC.3.1"),
        "{err}"
    );
    s.judge(
        &lena,
        &criterion("NOCN-L3-CD:PWC.2.1"),
        Outcome::Met,
        "Now clear.",
        cited,
    )
    .unwrap();
    s.judge(
        &lena,
        &criterion("NOCN-L3-CD:PWC.3.1"),
        Outcome::Met,
        "",
        cited,
    )
    .unwrap();
    // Cohort totals agree with the learner's own.
    let cohort = s.cohort_coverage(None).unwrap();
    assert_eq!(
        cohort.learners[0].totals,
        s.gaps(&lena, None).unwrap().totals
    );
    assert_eq!(cohort.learners[0].totals.met, 3);
    let signed = s.sign_off_unit(&lena, "NOCN-L3-CD", "PWC").unwrap();
    assert!(signed.signature.matches);
    assert_eq!(s.unit_sign_offs(&lena).unwrap().len(), 1);
    assert!(s.verify_audit().unwrap().intact);

    // The learner changes the signed item in the app: the signature no longer matches, but nothing
    // was tampered with.
    as_user(s, "lena");
    let edit = EvidenceEdit {
        title: Some("Partnership review (revised)".into()),
        ..Default::default()
    };
    s.edit_evidence(&item, &edit).unwrap();
    assert!(!s.judgement(&first.id).unwrap().signature.matches);
    assert!(
        s.verify_audit().unwrap().intact,
        "a change made through the app is not tampering"
    );
}

#[test]
fn a_signed_record_edited_behind_the_apps_back_is_found() {
    // Besides the signature, what else each edit is caught by: an item no longer its saved version;
    // a signature whose hash no entry recorded, and the entry whose signature is gone.
    for (what, sql, also) in [
        (
            "the judgement's outcome",
            "UPDATE judgements SET outcome = 'not_yet_met'",
            &[][..],
        ),
        (
            "the judgement's comment",
            "UPDATE judgements SET comment = 'forged'",
            &[],
        ),
        (
            "the cited version's body",
            "UPDATE evidence_versions SET body_md = 'forged' WHERE version = 1",
            &["altered"],
        ),
        (
            "the signed content",
            "UPDATE signatures SET content = replace(content, 'Clear', 'Forged')",
            &[],
        ),
        (
            "the signature's hash",
            // Always a change, whatever the hash starts with.
            "UPDATE signatures SET content_hash = (CASE WHEN content_hash LIKE 'ab%' THEN 'cd' ELSE 'ab' END) || substr(content_hash, 3)",
            &["unrecorded", "deleted"],
        ),
    ] {
        let Setup { mut fx, lena, item } = setup();
        let s = &mut fx.store;
        as_user(s, "asa");
        let judged = s
            .judge(
                &lena,
                &criterion("NOCN-L3-CD:PWC.1.1"),
                Outcome::Met,
                "Clear account.",
                std::slice::from_ref(&item),
            )
            .unwrap();
        assert!(s.verify_audit().unwrap().intact);
        s.conn_mut_for_tests().execute_batch(sql).unwrap();
        let report = s.verify_audit().unwrap();
        let signature = format!("signature {}", judged.signature.id);
        let mut found: Vec<&str> = report.problems.iter().map(|p| p.kind.as_str()).collect();
        let mut expected = [&["signature_mismatch"][..], also].concat();
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "{what}: {report:?}");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.kind == "signature_mismatch" && p.at == signature),
            "{what}: {report:?}"
        );
        assert!(
            !s.judgement(&judged.id).unwrap().signature.matches,
            "{what}"
        );
    }
}
