//! Accounts changed outside the app, as a learner with the database file in reach would try: their
//! own password hash copied onto the assessor's account gets them in, but never an assessor's
//! judgement (the assessor's key is sealed with the assessor's password); and deleting every account
//! does not turn the store into an owner's, who may do everything. (Reading or writing the file at
//! all is what the centre service and encryption at rest take away; these are the checks that hold
//! even when someone can.)

use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};

use crate::access::{centre, PASSWORD};

#[test]
fn a_copied_password_hash_signs_in_but_cannot_judge() {
    let mut c = centre();
    // Lena's own password, which is not Asa's.
    let lenas = "lena's very own password";
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    c.fx.store
        .set_password("lena", Some(PASSWORD), lenas)
        .unwrap();
    c.fx.store
        .raw_connection_for_tests()
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE username = 'asa'",
            [c.fx
                .store
                .raw_connection_for_tests()
                .query_row(
                    "SELECT password_hash FROM users WHERE username = 'lena'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .unwrap()],
        )
        .unwrap();
    let mut store = Store::open(c.fx.dir.path()).unwrap();
    // Lena's password now opens Asa's account (the hash is what was copied)…
    assert!(store.sign_in("asa", Some(PASSWORD)).is_err());
    store.sign_in("asa", Some(lenas)).unwrap();
    // …but not Asa's signing key, so nothing can be judged or signed off in her name.
    let err = store
        .judge(
            &c.lena,
            &CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap(),
            Outcome::Met,
            "looks fine",
            std::slice::from_ref(&c.lena_item),
        )
        .unwrap_err();
    assert_eq!(err.code(), "unauthenticated", "{err}");
    assert!(store.judgements(&c.lena).unwrap().is_empty());
}

#[test]
fn deleting_every_account_does_not_make_an_owner() {
    let c = centre();
    {
        let conn = c.fx.store.raw_connection_for_tests();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM assignments; DELETE FROM user_roles; DELETE FROM centre_key_seals;
             DELETE FROM users;",
        )
        .unwrap();
    }
    let mut store = Store::open(c.fx.dir.path()).unwrap();
    let err = store.accounts_state().unwrap_err();
    assert_eq!(err.code(), "unauthenticated");
    assert!(
        err.to_string().contains("removed outside Evidence Tracker"),
        "{err}"
    );
    for err in [
        store.add_learner("Mallory", None).unwrap_err(),
        store.evidence(&c.lars_item).map(drop).unwrap_err(),
        store.list_learners().map(drop).unwrap_err(),
    ] {
        assert_eq!(err.code(), "unauthenticated", "{err}");
    }
    // Signing out (of nobody) keeps it that way.
    store.sign_out().unwrap();
    assert_eq!(store.list_learners().unwrap_err().code(), "unauthenticated");
}

#[test]
fn a_store_that_never_had_accounts_still_acts_for_its_owner() {
    let mut fx = crate::common::fresh();
    fx.store.add_learner("Olu", None).unwrap();
    let mut store = Store::open(fx.dir.path()).unwrap();
    assert_eq!(store.list_learners().unwrap().len(), 1);
    store.sign_out().unwrap();
    assert_eq!(store.list_learners().unwrap().len(), 1);
}
