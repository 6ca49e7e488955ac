//! Signing keys: a judgement is signed with its assessor's own Ed25519 key, so a record rewritten in
//! the database — even with its hash recomputed, or under another signer's name — no longer verifies;
//! a password an administrator sets retires the old key (what it signed still verifies), and an
//! account whose key cannot be opened signs nothing.

use evidence_core::review::{Judgement, Outcome};
use evidence_core::{CriterionRef, Store};
use sha2::{Digest, Sha256};

use crate::review::{as_user, setup, Setup};

const NEW_PASSWORD: &str = "a new password 22";

fn try_judge(
    s: &mut Store,
    (lena, item): (&str, &str),
    code: &str,
    outcome: Outcome,
) -> evidence_core::Result<Judgement> {
    let criterion = CriterionRef::parse(code).unwrap();
    s.judge(
        lena,
        &criterion,
        outcome,
        "Clear account.",
        &[item.to_string()],
    )
}

fn judge_met(s: &mut Store, lena: &str, item: &str, code: &str) -> Judgement {
    try_judge(s, (lena, item), code, Outcome::Met).unwrap()
}

fn problems(s: &Store) -> Vec<(String, String)> {
    s.verify_audit()
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.kind, p.at))
        .collect()
}

fn mismatch(judged: &Judgement) -> Vec<(String, String)> {
    vec![(
        "signature_mismatch".to_string(),
        format!("signature {}", judged.signature.id),
    )]
}

/// Asa judges PWC.1.1 met: the judgement and the key it names.
fn asa_judges(s: &mut Store, lena: &str, item: &str) -> (Judgement, String) {
    as_user(s, "asa");
    let judged = judge_met(s, lena, item, "NOCN-L3-CD:PWC.1.1");
    let key = key_of(s, &judged);
    (judged, key)
}

fn key_of(s: &Store, judged: &Judgement) -> String {
    let key = s.judgement(&judged.id).unwrap().signature.key_id;
    key.expect("a judgement made with an account has a key")
}

#[test]
fn a_judgement_names_its_assessors_key_and_verifies() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "asa");
    let first = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.1.1");
    let second = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.2.1");
    let key = key_of(s, &first);
    assert!(key.starts_with("ed25519:"), "{key}");
    assert_eq!(key_of(s, &second), key, "one key per account");
    assert!(first.signature.matches);
    assert_eq!(problems(s), []);
    let public_keys: i64 = s
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM signing_keys WHERE key_id = ?1",
            [&key],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(public_keys, 1);
}

#[test]
fn a_judgement_rewritten_with_its_hash_recomputed_no_longer_verifies() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "asa");
    let judged = try_judge(s, (&lena, &item), "NOCN-L3-CD:PWC.1.1", Outcome::NotYetMet).unwrap();
    // What a learner with the database file and a SQL shell would do: flip the outcome, rewrite the
    // signed content to match and recompute its SHA-256.
    let content: String = s
        .raw_connection_for_tests()
        .query_row("SELECT content FROM signatures", [], |r| r.get(0))
        .unwrap();
    let forged = content.replace("not_yet_met", "met");
    assert_ne!(forged, content, "the outcome is in the signed content");
    let hash = hex::encode(Sha256::digest(forged.as_bytes()));
    let conn = s.conn_mut_for_tests();
    conn.execute("UPDATE judgements SET outcome = 'met'", [])
        .unwrap();
    conn.execute(
        "UPDATE signatures SET content = ?1, content_hash = ?2",
        [&forged, &hash],
    )
    .unwrap();
    // The signature no longer verifies; no entry recorded the new hash; the entry that did finds
    // its signature gone.
    let found = problems(s);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.contains(&mismatch(&judged)[0]), "{found:?}");
    assert!(found.contains(&(
        "unrecorded".into(),
        format!("signature {}", judged.signature.id)
    )));
    assert!(found.iter().any(|(kind, _)| kind == "deleted"), "{found:?}");
    assert!(!s.judgement(&judged.id).unwrap().signature.matches);
}

#[test]
fn a_signature_moved_to_another_signer_or_key_no_longer_verifies() {
    for (what, sql) in [
        ("the signer's name", "UPDATE signatures SET signer_name = 'IAN'"),
        (
            "the key signature",
            "UPDATE signatures SET key_signature = (CASE WHEN key_signature LIKE 'ab%' THEN 'cd' ELSE 'ab' END) || substr(key_signature, 3)",
        ),
        (
            "the key's public half",
            "UPDATE signing_keys SET public_key = zeroblob(32)",
        ),
        ("a key that was never stored", "UPDATE signatures SET key_id = 'ed25519:00'"),
        ("the key removed", "UPDATE signatures SET key_id = NULL"),
    ] {
        let Setup { mut fx, lena, item } = setup();
        let s = &mut fx.store;
        as_user(s, "asa");
        let judged = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.1.1");
        s.conn_mut_for_tests()
            .execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
            .unwrap();
        let found = problems(s);
        assert!(found.contains(&mismatch(&judged)[0]), "{what}: {found:?}");
        // A swapped public half also unsigns every entry of the trail made with the key.
        let others: Vec<_> = found.iter().filter(|p| p.0 != "signature_mismatch").collect();
        match what {
            "the key's public half" => assert!(
                !others.is_empty() && others.iter().all(|p| p.0 == "signature_invalid"),
                "{what}: {found:?}"
            ),
            _ => assert!(others.is_empty(), "{what}: {found:?}"),
        }
    }
}

#[test]
fn an_administrators_reset_retires_the_key_and_what_it_signed_still_verifies() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let (before, old_key) = asa_judges(s, &lena, &item);
    as_user(s, "admin");
    s.set_password("asa", None, NEW_PASSWORD).unwrap();
    let sealed: i64 = s
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM sealed_keys WHERE key_id = ?1",
            [&old_key],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sealed, 0, "nobody can sign with the old key any more");

    s.sign_in("asa", Some(NEW_PASSWORD)).unwrap();
    let after = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.2.1");
    let new_key = key_of(s, &after);
    assert_ne!(new_key, old_key);
    assert_eq!(problems(s), [], "both keys' signatures verify");
    assert!(s.judgement(&before.id).unwrap().signature.matches);
}

#[test]
fn changing_your_own_password_keeps_your_key() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "asa");
    let before = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.1.1");
    s.set_password("asa", Some("review password 1"), NEW_PASSWORD)
        .unwrap();
    let straight_after = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.2.1");
    s.sign_out().unwrap();
    s.sign_in("asa", Some(NEW_PASSWORD)).unwrap();
    let signed_in_again = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.3.1");
    let key = key_of(s, &before);
    assert_eq!(key_of(s, &straight_after), key);
    assert_eq!(key_of(s, &signed_in_again), key);
    assert_eq!(problems(s), []);
}

#[test]
fn an_account_whose_key_will_not_open_can_read_but_signs_nothing() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    as_user(s, "asa");
    judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.1.1");
    s.sign_out().unwrap();
    s.conn_mut_for_tests()
        .execute_batch("UPDATE sealed_keys SET sealed = zeroblob(length(sealed))")
        .unwrap();
    as_user(s, "asa");
    assert_eq!(s.judgements(&lena).unwrap().len(), 1, "still reads");
    let refused = try_judge(s, (&lena, &item), "NOCN-L3-CD:PWC.2.1", Outcome::Met).unwrap_err();
    assert_eq!(refused.code(), "unauthenticated", "{refused}");
    assert!(refused.to_string().contains("signing key"), "{refused}");
    assert_eq!(s.judgements(&lena).unwrap().len(), 1, "nothing written");
}

#[test]
fn a_disabled_account_signs_in_no_more_and_its_key_signs_nothing_more() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let (before, old_key) = asa_judges(s, &lena, &item);
    as_user(s, "admin");
    let off = s.set_account_disabled("asa", true).unwrap();
    assert!(off.disabled);
    let refused = s.sign_in("asa", Some(crate::review::PASSWORD));
    assert!(
        matches!(refused, Err(evidence_core::CoreError::SignInFailed)),
        "{refused:?}"
    );
    let retired: Option<String> = s
        .raw_connection_for_tests()
        .query_row(
            "SELECT retired_at FROM signing_keys WHERE key_id = ?1",
            [&old_key],
            |r| r.get(0),
        )
        .unwrap();
    assert!(retired.is_some(), "the key is retired");
    // Nobody disables themselves or the last administrator; nothing changes when refused.
    as_user(s, "admin");
    let own = s.set_account_disabled("admin", true).unwrap_err();
    assert!(own.to_string().contains("your own account"), "{own}");
    assert!(!s
        .list_users()
        .unwrap()
        .iter()
        .any(|u| u.username == "admin" && u.disabled));

    // Enabled again: they sign in, with a new key; what the old one signed still verifies.
    s.set_account_disabled("asa", false).unwrap();
    as_user(s, "asa");
    let after = judge_met(s, &lena, &item, "NOCN-L3-CD:PWC.2.1");
    assert_ne!(key_of(s, &after), old_key);
    assert!(s.judgement(&before.id).unwrap().signature.matches);
    assert!(
        s.verify_audit().unwrap().intact,
        "{:?}",
        s.verify_audit().unwrap()
    );
}
