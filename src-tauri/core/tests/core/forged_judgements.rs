//! Issue 14's forgeries, each tried the way a learner would, and each kept as "unverified — not
//! counted" (never making a criterion met): an "assessor" made on a personal laptop; a judgement
//! whose manifest entry and signed content were edited with the hash recomputed; a signature that
//! claims to come from the importing centre; a signature for another learner's judgement; and an
//! older judgement replayed after a newer one. A genuine judgement counts on a centre that trusts
//! the centre that certified its assessor's key, and only there.

use evidence_core::accounts::{AssignedAs, NewUser, Role};
use evidence_core::bundles::{BundleImport, BundleKind};
use evidence_core::gaps::CriterionStatus;
use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::bundle_kit::{write, Kit};
use crate::common::{fresh, Fixture};
use crate::review::{as_user, setup, Setup};

/// The password `review::setup` gives every account, and the one used for the other machines.
const PASSWORD: &str = "review password 1";
const PWC_1: &str = "NOCN-L3-CD:PWC.1.1";

fn judge(s: &mut Store, (lena, item): (&str, &str), outcome: Outcome) {
    let criterion = CriterionRef::parse(PWC_1).unwrap();
    s.judge(lena, &criterion, outcome, "Seen.", &[item.to_string()])
        .unwrap();
}

fn status(s: &Store, learner: &str) -> CriterionStatus {
    let coverage = s.coverage(learner).unwrap();
    let found = coverage
        .criteria
        .iter()
        .find(|c| c.reference.to_string() == PWC_1);
    found.unwrap().status
}

/// The learner's portfolio as a bundle, exported by `by` (the learner or their tutor).
fn bundle_of(s: &mut Store, (by, learner): (&str, &str), dir: &std::path::Path, name: &str) -> Kit {
    as_user(s, by);
    let path = dir.join(name);
    s.export_bundle(learner, BundleKind::Portfolio, &path, &mut |_| Ok(()))
        .unwrap();
    Kit::from_bytes(&std::fs::read(path).unwrap())
}

fn import(s: &mut Store, kit: &Kit, dir: &std::path::Path, name: &str) -> BundleImport {
    let path = write(dir, name, &kit.bytes());
    s.import_bundle(&path, &mut |_| Ok(())).unwrap()
}

/// Imports into the other centre: its administrator brings a new learner in and makes Dot their
/// tutor; Dot imports for a learner already there, and is left signed in to read.
fn import_at(d: &mut Store, kit: &Kit, dir: &std::path::Path, name: &str) -> BundleImport {
    let learner = kit.manifest()["learner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    as_user(d, "dee");
    let known = d
        .list_all_learners()
        .unwrap()
        .iter()
        .any(|l| l.id == learner);
    if known {
        as_user(d, "dot");
    }
    let report = import(d, kit, dir, name);
    if !known {
        d.assign("dot", &learner, AssignedAs::Tutor).unwrap();
    }
    as_user(d, "dot");
    report
}

/// The (kind, reason) of everything an import kept as not counted.
fn refused(report: &BundleImport) -> Vec<(String, String)> {
    let kept = report.not_counted.iter();
    kept.map(|n| (n.kind.clone(), n.reason.clone())).collect()
}

/// Another centre, its administrator signed in; trusting Setup's centre if `trusting`.
fn other_centre(from: &mut Store, trusting: bool) -> Fixture {
    let mut d = fresh();
    d.store.setup_centre("dee", "Dee Admin", PASSWORD).unwrap();
    let tutor = NewUser {
        username: "dot".into(),
        display_name: "Dot Tutor".into(),
        roles: vec![Role::Tutor],
        password: Some(PASSWORD.into()),
        learner: None,
    };
    d.store.add_user(&tutor).unwrap();
    if trusting {
        as_user(from, "admin");
        let own = from
            .centre_keys()
            .unwrap()
            .into_iter()
            .find(|c| c.own)
            .unwrap();
        d.store
            .trust_centre(&own.fingerprint, "Anytown Centre")
            .unwrap();
    }
    d
}

/// An edit of a manifest, given the importing centre's installation id.
type Edit = dyn Fn(&mut Value, &str);

/// The signature entry of the bundle's judgement on PWC.1.1 made with outcome `outcome`.
fn signature_of<'m>(m: &'m mut Value, outcome: &str) -> &'m mut Value {
    let judgement = m["judgements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["outcome"] == outcome)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let signatures = m["signatures"].as_array_mut().unwrap();
    let subject = format!("judgement:{judgement}");
    signatures
        .iter_mut()
        .find(|s| s["subject"] == subject)
        .unwrap()
}

#[test]
fn a_genuine_judgement_counts_where_its_centre_is_trusted_and_only_there() {
    let Setup { mut fx, lena, item } = setup();
    let out = tempfile::tempdir().unwrap();
    as_user(&mut fx.store, "asa");
    judge(&mut fx.store, (&lena, &item), Outcome::Met);
    let kit = bundle_of(&mut fx.store, ("tom", &lena), out.path(), "lena.zip");

    let mut stranger = other_centre(&mut fx.store, false);
    let report = import_at(&mut stranger.store, &kit, out.path(), "1.zip");
    assert_eq!(status(&stranger.store, &lena), CriterionStatus::Evidenced);
    let reasons = refused(&report);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0]
            .1
            .starts_with("no centre this computer trusts has certified"),
        "{reasons:?}"
    );
    let shown = &stranger.store.judgements(&lena).unwrap()[0];
    assert!(!shown.counted && shown.signature.not_counted.is_some());

    // Trusting the centre afterwards counts what it certified, with an audit entry saying so.
    as_user(&mut fx.store, "admin");
    let own = fx
        .store
        .centre_keys()
        .unwrap()
        .into_iter()
        .find(|c| c.own)
        .unwrap();
    as_user(&mut stranger.store, "dee");
    stranger
        .store
        .trust_centre(&own.fingerprint, "Anytown Centre")
        .unwrap();
    as_user(&mut stranger.store, "dot");
    assert_eq!(status(&stranger.store, &lena), CriterionStatus::Met);
    let shown = &stranger.store.judgements(&lena).unwrap()[0];
    assert!(shown.counted && shown.signature.matches);
    assert_eq!(
        shown.signature.certified_by.as_deref(),
        Some("Anytown Centre")
    );
    assert!(stranger.store.verify_audit().unwrap().intact);
}

#[test]
fn an_assessor_made_on_a_personal_laptop_judges_nothing_at_the_centre() {
    let Setup { mut fx, lena, item } = setup();
    let out = tempfile::tempdir().unwrap();
    as_user(&mut fx.store, "asa");
    judge(&mut fx.store, (&lena, &item), Outcome::NotYetMet);
    let from_centre = bundle_of(&mut fx.store, ("tom", &lena), out.path(), "centre.zip");

    // The learner's own laptop: she is its administrator and makes an "ASA" of her own.
    let mut laptop = fresh();
    import(&mut laptop.store, &from_centre, out.path(), "in.zip");
    let l = &mut laptop.store;
    l.setup_personal(&lena).unwrap();
    let me = l.current_user().unwrap().username;
    l.set_password(&me, None, PASSWORD).unwrap();
    let fake = NewUser {
        username: "asa".into(),
        display_name: "ASA".into(),
        roles: vec![Role::Assessor],
        password: Some(PASSWORD.into()),
        learner: None,
    };
    l.add_user(&fake).unwrap();
    l.assign("asa", &lena, AssignedAs::Assessor).unwrap();
    as_user(l, "asa");
    judge(l, (&lena, &item), Outcome::Met);
    assert_eq!(
        status(l, &lena),
        CriterionStatus::Met,
        "on her laptop, as she likes"
    );
    let forged = bundle_of(l, (&me, &lena), out.path(), "forged.zip");

    // At the centre, imported by the learner herself.
    as_user(&mut fx.store, "lena");
    let report = import(&mut fx.store, &forged, out.path(), "forged-in.zip");
    assert_eq!(status(&fx.store, &lena), CriterionStatus::NotYetMet);
    assert_eq!(report.judgements_added, 1);
    let reasons = refused(&report);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].1.contains("no centre this computer trusts"),
        "{reasons:?}"
    );
    as_user(&mut fx.store, "asa");
    let listed = fx.store.judgements(&lena).unwrap();
    let counted: Vec<(bool, Outcome)> = listed.iter().map(|j| (j.counted, j.outcome)).collect();
    assert_eq!(counted, [(false, Outcome::Met), (true, Outcome::NotYetMet)]);
    // The centre's own trail says a judgement arrived and was not counted.
    let arrived: i64 = fx
        .store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'judgement_imported' AND after LIKE '%not counted%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(arrived, 1);
}

#[test]
fn an_edited_judgement_a_claimed_origin_and_a_legacy_signature_are_not_counted() {
    let Setup { mut fx, lena, item } = setup();
    let out = tempfile::tempdir().unwrap();
    as_user(&mut fx.store, "asa");
    judge(&mut fx.store, (&lena, &item), Outcome::NotYetMet);
    let genuine = bundle_of(&mut fx.store, ("tom", &lena), out.path(), "lena.zip");

    // Flip the outcome in the judgement and in what was signed, and recompute the hash.
    let flip = |m: &mut Value| {
        m["judgements"][0]["outcome"] = "met".into();
        let s = signature_of(m, "met");
        let content = s["content"].as_str().unwrap().replace("not_yet_met", "met");
        s["content_hash"] = hex::encode(Sha256::digest(content.as_bytes())).into();
        s["content"] = content.into();
    };
    // Each edit is given the importing centre's installation id.
    let cases: [(&str, Box<Edit>, &str); 4] = [
        (
            "flipped",
            Box::new(move |m, _| flip(m)),
            "the key signature does not verify",
        ),
        (
            "flipped in the judgement only",
            Box::new(|m, _| m["judgements"][0]["outcome"] = "met".into()),
            "what it signs is not the judgement recorded with it",
        ),
        (
            "claims this centre",
            Box::new(|m, here| {
                m["judgements"][0]["outcome"] = "met".into();
                signature_of(m, "met")["origin"] = here.into();
            }),
            "it says it was signed on this computer",
        ),
        (
            "key taken off",
            Box::new(move |m, _| {
                flip(m);
                signature_of(m, "met")
                    .as_object_mut()
                    .unwrap()
                    .remove("key");
            }),
            "a legacy signature (a hash only)",
        ),
    ];
    for (name, edit, reason) in cases {
        let mut fresh_d = other_centre(&mut fx.store, true);
        let here: String = fresh_d
            .store
            .raw_connection_for_tests()
            .query_row(
                "SELECT value FROM settings WHERE key = 'installation_id'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let kit = Kit::from_bytes(&genuine.bytes()).edit(|m| edit(m, &here));
        let report = import_at(&mut fresh_d.store, &kit, out.path(), "edited.zip");
        let reasons = refused(&report);
        assert!(
            reasons.len() == 1 && reasons[0].1.starts_with(reason),
            "{name}: {reasons:?}"
        );
        assert_eq!(
            status(&fresh_d.store, &lena),
            CriterionStatus::Evidenced,
            "{name}"
        );
    }
}

#[test]
fn another_learners_signature_and_a_replayed_older_judgement_change_nothing() {
    let Setup { mut fx, lena, item } = setup();
    let out = tempfile::tempdir().unwrap();
    as_user(&mut fx.store, "asa");
    judge(&mut fx.store, (&lena, &item), Outcome::Met);
    let older = bundle_of(&mut fx.store, ("tom", &lena), out.path(), "older.zip");
    as_user(&mut fx.store, "asa");
    judge(&mut fx.store, (&lena, &item), Outcome::NotYetMet);
    let newer = bundle_of(&mut fx.store, ("tom", &lena), out.path(), "newer.zip");
    let mut d = other_centre(&mut fx.store, true);

    // The newer bundle without its met judgement, then the older one replayed: the newer, signed
    // later, stands though it arrived first.
    let without_met = Kit::from_bytes(&newer.bytes()).edit(|m| {
        let met = signature_of(m, "met")["id"].clone();
        m["signatures"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["id"] != met);
        m["judgements"]
            .as_array_mut()
            .unwrap()
            .retain(|j| j["outcome"] != "met");
    });
    import_at(&mut d.store, &without_met, out.path(), "without.zip");
    assert_eq!(status(&d.store, &lena), CriterionStatus::NotYetMet);
    let replay = import_at(&mut d.store, &older, out.path(), "replay.zip");
    assert_eq!((replay.judgements_added, replay.not_counted.len()), (1, 0));
    assert_eq!(
        status(&d.store, &lena),
        CriterionStatus::NotYetMet,
        "signed time decides"
    );

    // A signature of Lena's judgement carried in Mo's bundle never stands for hers, nor counts.
    as_user(&mut fx.store, "admin");
    let mo = fx.store.add_learner("Mo Patel", None).unwrap().id;
    fx.store.assign("asa", &mo, AssignedAs::Assessor).unwrap();
    fx.store.assign("tom", &mo, AssignedAs::Tutor).unwrap();
    as_user(&mut fx.store, "asa");
    let lenas = signature_of(&mut newer.manifest(), "not_yet_met").clone();
    let mos = bundle_of(&mut fx.store, ("tom", &mo), out.path(), "mo.zip").edit(|m| {
        let mut copied = lenas.clone();
        copied["id"] = uuid::Uuid::now_v7().to_string().into();
        copied["signed_at"] = "2099-01-01T00:00:00.000Z".into();
        m["signatures"].as_array_mut().unwrap().push(copied);
    });
    let report = import_at(&mut d.store, &mos, out.path(), "mo-in.zip");
    assert_eq!(
        refused(&report),
        [(
            "judgement".to_string(),
            "it was signed for another learner's portfolio".to_string()
        )]
    );
    let standing = &d.store.judgements(&lena).unwrap()[0];
    assert_eq!(standing.outcome, Outcome::NotYetMet);
    assert_eq!(
        standing.signature.signed_at,
        lenas["signed_at"].as_str().unwrap()
    );
    assert!(standing.signature.matches && standing.counted);
}
