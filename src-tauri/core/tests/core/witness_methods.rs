//! The witness behind testimony and the framework's method rules, as the submission check sees them:
//! a submitted testimony without its witness's name, role and relationship is not reliable; a criterion
//! whose evidence is only by methods its framework does not accept is not validly evidenced.

use evidence_core::evidence::VersionNumber;
use evidence_core::evidence::{EvidenceEdit, Method, NewEvidence, Status, Witness};
use evidence_core::readiness::{Blocker, BlockerKind, EvidenceRule, Readiness};
use evidence_core::Store;

use crate::common::{date, enrolled, fresh, refs};

fn witness(name: &str, role: &str, relationship: &str) -> Witness {
    Witness {
        name: name.into(),
        role: role.into(),
        relationship: relationship.into(),
    }
}

fn item(
    s: &mut Store,
    learner: &str,
    title: &str,
    method: Method,
    witness: Witness,
    criteria: &[&str],
) -> String {
    let id = s
        .add_evidence(&NewEvidence {
            learner: learner.into(),
            title: title.into(),
            method,
            activity_date: date("2026-09-01"),
            body_markdown: format!("Account of {title}."),
            status: Status::Submitted,
            witness,
        })
        .unwrap()
        .id;
    s.map_evidence(&id, &refs(criteria), None).unwrap();
    id
}

fn of_kind(r: &Readiness, kind: BlockerKind) -> Vec<&Blocker> {
    r.blockers.iter().filter(|b| b.kind == kind).collect()
}

/// Fails, listing the blockers, if `r` has any of `kind`.
fn assert_none_of(r: &Readiness, kind: BlockerKind) {
    assert!(of_kind(r, kind).is_empty(), "{:?}", r.blockers);
}

#[test]
fn a_testimony_without_the_witness_role_is_not_reliable_and_names_the_item() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sam = enrolled(s, "Sam");
    let id = item(
        s,
        &sam,
        "Testimony from the housing officer",
        Method::WitnessTestimony,
        witness("Jo Okafor", "", "partner organisation worker"),
        &["CD-NOS:CLDSCCD15.PC8"],
    );
    let r = s.readiness(&sam, None).unwrap();
    let found = of_kind(&r, BlockerKind::WitnessIncomplete);
    assert_eq!(found.len(), 1, "{:?}", r.blockers);
    let b = found[0];
    assert_eq!(b.rule, EvidenceRule::Reliable);
    assert_eq!(b.evidence.as_deref(), Some(id.as_str()));
    assert!(
        b.message
            .contains("E1 \"Testimony from the housing officer\"")
            && b.message.contains("role"),
        "the message names the item and what is missing: {}",
        b.message
    );
    assert!(
        !b.message.contains("name,") && !b.message.contains("relationship"),
        "{}",
        b.message
    );
    assert!(b.fix.contains("name, role and relationship"), "{}", b.fix);

    // Completing the witness clears it.
    let edit = EvidenceEdit {
        witness_role: Some("Housing officer, Anytown Council".into()),
        ..Default::default()
    };
    s.edit_evidence(&id, &edit).unwrap();
    let r = s.readiness(&sam, None).unwrap();
    assert_none_of(&r, BlockerKind::WitnessIncomplete);
}

#[test]
fn a_complete_expert_witness_and_an_unrelied_draft_raise_no_witness_blocker() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sam = enrolled(s, "Sam");
    item(
        s,
        &sam,
        "Expert view",
        Method::ExpertWitness,
        witness("Dr Rae", "Lecturer, Anytown College", "former tutor"),
        &["CD-NOS:CLDSCCD15.PC1"],
    );
    // A draft testimony with no witness, and a submitted one mapped to nothing: not relied on yet.
    s.add_evidence(&NewEvidence {
        learner: sam.clone(),
        title: "Draft testimony".into(),
        method: Method::WitnessTestimony,
        activity_date: date("2026-09-02"),
        body_markdown: String::new(),
        status: Status::Draft,
        witness: Witness::default(),
    })
    .unwrap();
    let r = s.readiness(&sam, None).unwrap();
    assert_none_of(&r, BlockerKind::WitnessIncomplete);
}

#[test]
fn witness_details_are_versioned_checked_and_only_for_testimony() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sam = enrolled(s, "Sam");
    let id = item(
        s,
        &sam,
        "Testimony",
        Method::WitnessTestimony,
        witness(
            "  Jo Okafor ",
            "Housing officer",
            "partner organisation worker",
        ),
        &["CD-NOS:CLDSCCD15.PC8"],
    );
    assert_eq!(
        s.evidence(&id).unwrap().witness.name,
        "Jo Okafor",
        "parts are trimmed"
    );
    let edit = EvidenceEdit {
        witness_relationship: Some("line manager".into()),
        ..Default::default()
    };
    let saved = s.edit_evidence(&id, &edit).unwrap();
    assert_eq!(
        saved.version.get(),
        2,
        "changing the witness saves a new version"
    );
    assert_eq!(
        saved.witness,
        witness("Jo Okafor", "Housing officer", "line manager")
    );
    let versions = s.evidence_versions(&id).unwrap();
    assert_eq!(
        versions[0].witness.relationship,
        "partner organisation worker"
    );
    assert_eq!(versions[1].witness.relationship, "line manager");
    let diff = s
        .evidence_diff(&id, VersionNumber::new(1), VersionNumber::new(2))
        .unwrap();
    assert_eq!(diff.fields.len(), 1, "{:?}", diff.fields);
    assert_eq!(diff.fields[0].field, "witness_relationship");
    assert_eq!(diff.fields[0].after, "line manager");
    // The same edit again changes nothing.
    assert_eq!(s.edit_evidence(&id, &edit).unwrap().version.get(), 2);

    let too_long = EvidenceEdit {
        witness_name: Some("x".repeat(201)),
        ..Default::default()
    };
    assert_eq!(
        s.edit_evidence(&id, &too_long).unwrap_err().code(),
        "invalid_input"
    );
    let two_lines = EvidenceEdit {
        witness_role: Some("Officer\nCouncil".into()),
        ..Default::default()
    };
    assert_eq!(
        s.edit_evidence(&id, &two_lines).unwrap_err().code(),
        "invalid_input"
    );

    // Another method takes no witness: given one, it is refused; switched to, the new version has none.
    let err = s
        .add_evidence(&NewEvidence {
            learner: sam.clone(),
            title: "Reflection".into(),
            method: Method::ReflectiveAccount,
            activity_date: date("2026-09-02"),
            body_markdown: String::new(),
            status: Status::Draft,
            witness: witness("Jo", "", ""),
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let observed = s
        .edit_evidence(
            &id,
            &EvidenceEdit {
                method: Some(Method::DirectObservation),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(observed.witness, Witness::default());
    assert_eq!(
        s.evidence_versions(&id).unwrap()[1].witness.name,
        "Jo Okafor",
        "earlier versions keep what was saved"
    );
}

#[test]
fn a_pc_with_only_a_reflective_account_is_not_valid_until_observed() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sam = enrolled(s, "Sam");
    item(
        s,
        &sam,
        "Reflection on the partnership meeting",
        Method::ReflectiveAccount,
        Witness::default(),
        &[
            "CD-NOS:CLDSCCD15.PC3",
            "CD-NOS:CLDSCCD15.K6",
            "NOCN-L3-CD:PWC.1.1",
        ],
    );
    let r = s.readiness(&sam, None).unwrap();
    let found = of_kind(&r, BlockerKind::MethodNotAccepted);
    assert_eq!(
        found
            .iter()
            .map(|b| b.criterion.clone().unwrap())
            .collect::<Vec<_>>(),
        ["CD-NOS:CLDSCCD15.PC3"],
        "only the performance criterion has a rule; knowledge items and the unit's criteria do not"
    );
    let b = found[0];
    assert_eq!(b.rule, EvidenceRule::Valid);
    assert_eq!(
        b.message,
        "CD-NOS:CLDSCCD15.PC3 has evidence only by methods the framework does not accept for it \
         (reflective account); accepted: direct observation, witness testimony, expert witness"
    );
    assert_eq!(
        b.fix,
        "add evidence by direct observation, witness testimony or expert witness for this criterion"
    );
    // Criteria with no evidence at all are reported once, as having no evidence.
    let pc1: Vec<BlockerKind> = r
        .blockers
        .iter()
        .filter(|b| b.criterion.as_deref() == Some("CD-NOS:CLDSCCD15.PC1"))
        .map(|b| b.kind)
        .collect();
    assert_eq!(pc1, [BlockerKind::NoEvidence]);

    item(
        s,
        &sam,
        "Observed: partnership meeting",
        Method::DirectObservation,
        Witness::default(),
        &["CD-NOS:CLDSCCD15.PC3"],
    );
    let r = s.readiness(&sam, None).unwrap();
    assert_none_of(&r, BlockerKind::MethodNotAccepted);
}

#[test]
fn a_draft_observation_does_not_satisfy_the_rule_but_is_not_reported_twice() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sam = enrolled(s, "Sam");
    let draft = s
        .add_evidence(&NewEvidence {
            learner: sam.clone(),
            title: "Observed (draft)".into(),
            method: Method::DirectObservation,
            activity_date: date("2026-09-02"),
            body_markdown: String::new(),
            status: Status::Draft,
            witness: Witness::default(),
        })
        .unwrap()
        .id;
    s.map_evidence(&draft, &refs(&["CD-NOS:CLDSCCD15.PC2"]), None)
        .unwrap();
    let r = s.readiness(&sam, None).unwrap();
    let pc2: Vec<BlockerKind> = r
        .blockers
        .iter()
        .filter(|b| b.criterion.as_deref() == Some("CD-NOS:CLDSCCD15.PC2"))
        .map(|b| b.kind)
        .collect();
    assert_eq!(
        pc2,
        [BlockerKind::DraftOnly],
        "submitting the draft fixes both"
    );
}

#[test]
fn a_signed_judgement_covers_the_witness_only_when_one_is_recorded() {
    use crate::review::{as_user, setup, Setup};
    use evidence_core::review::Outcome;
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let testimony = item_for(s, &lena);
    as_user(s, "asa");
    for (criterion, cited) in [
        ("NOCN-L3-CD:PWC.1.1", &item),
        ("NOCN-L3-CD:PWC.2.1", &testimony),
    ] {
        let reference = evidence_core::CriterionRef::parse(criterion).unwrap();
        s.judge(
            &lena,
            &reference,
            Outcome::Met,
            "",
            std::slice::from_ref(cited),
        )
        .unwrap();
    }
    let content = |subject_item: &str| -> String {
        s.raw_connection_for_tests()
            .query_row(
                "SELECT content FROM signatures WHERE kind = 'judgement' AND content LIKE '%' || ?1 || '%'",
                [subject_item],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert!(
        !content(&item).contains("witness"),
        "an item without a witness signs exactly as before witnesses were recorded"
    );
    assert!(content(&testimony).contains("\"witness\":{\"name\":\"Jo Okafor\""));
    assert!(
        s.verify_audit().unwrap().intact,
        "every signature still matches"
    );
}

/// A submitted, complete witness testimony of Lena's (signed in as her), mapped to PWC.2.1.
fn item_for(s: &mut Store, lena: &str) -> String {
    item(
        s,
        lena,
        "Testimony",
        Method::WitnessTestimony,
        witness(
            "Jo Okafor",
            "Housing officer",
            "partner organisation worker",
        ),
        &["NOCN-L3-CD:PWC.2.1"],
    )
}
