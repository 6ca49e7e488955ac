//! Signing in: failed attempts back off and never say which part was wrong; a personal laptop opens
//! without a password until one is set; a portfolio made before accounts existed is adopted by its
//! learner. (Who may do what once signed in is in `access`.)

use evidence_core::accounts::{AccountsState, Role};
use evidence_core::{CoreError, Store};

use crate::access::{centre, new_user, PASSWORD};
use crate::common::fresh;

#[test]
fn failed_sign_ins_back_off_and_never_say_which_part_was_wrong() {
    let mut c = centre();
    let s = &mut c.fx.store;
    assert_eq!(
        s.sign_in("nobody", Some(PASSWORD)).unwrap_err().code(),
        "sign_in_failed"
    );
    for _ in 0..3 {
        assert_eq!(
            s.sign_in("tom", Some("wrong password")).unwrap_err().code(),
            "sign_in_failed"
        );
    }
    // The third failure set a wait: even the right password is refused until it has passed.
    let err = s.sign_in("tom", Some(PASSWORD)).unwrap_err();
    assert!(
        matches!(err, CoreError::SignInDelayed { seconds, .. } if (1..=1).contains(&seconds)),
        "{err:?}"
    );
    assert!(s.current_user().is_none());
    // Once the wait is over (moved into the past here), the right password works and resets the count.
    s.conn_mut_for_tests()
        .execute(
            "UPDATE users SET retry_after = '2000-01-01T00:00:00Z' WHERE username = 'tom'",
            [],
        )
        .unwrap();
    assert_eq!(s.sign_in("tom", Some(PASSWORD)).unwrap().username, "tom");
    let failures: i64 = s
        .raw_connection_for_tests()
        .query_row(
            "SELECT failed_attempts FROM users WHERE username = 'tom'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failures, 0);
    let stored: String = s
        .raw_connection_for_tests()
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'tom'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(PASSWORD));
}

#[test]
fn a_personal_laptop_opens_without_a_password_until_one_is_set() {
    let mut fx = fresh();
    let pat = fx.store.setup_personal("Pat Learner").unwrap();
    assert!(pat.has(Role::Learner) && pat.has(Role::Administrator) && !pat.has_password);
    let learner = pat.learner_id.clone().unwrap();
    fx.store.enrol(&learner, "NOCN-L3-CD", &[]).unwrap();
    // Reopened: nobody is signed in, and the app is told to go straight in.
    let mut s = Store::open(fx.dir.path()).unwrap();
    assert!(
        matches!(s.accounts_state().unwrap(), AccountsState::OpenUser { user } if user.username == "pat.learner")
    );
    assert_eq!(
        s.gaps(&learner, None).unwrap_err().code(),
        "unauthenticated"
    );
    s.sign_in("pat.learner", None).unwrap();
    assert_eq!(s.gaps(&learner, None).unwrap().gaps.len(), 3);
    // A second account would make the machine shared: not while Pat has no password.
    let tutor = new_user("tia", "Tia Tutor", &[Role::Tutor]);
    assert_eq!(s.add_user(&tutor).unwrap_err().code(), "conflict");
    // A password added later is needed from then on.
    s.set_password("pat.learner", None, PASSWORD).unwrap();
    s.add_user(&tutor).unwrap();
    let mut s = Store::open(fx.dir.path()).unwrap();
    assert!(matches!(
        s.accounts_state().unwrap(),
        AccountsState::SignIn { .. }
    ));
    assert_eq!(
        s.sign_in("pat.learner", None).unwrap_err().code(),
        "sign_in_failed"
    );
    s.sign_in("pat.learner", Some(PASSWORD)).unwrap();
    // Setting the machine up twice is refused.
    assert_eq!(
        s.setup_personal("Someone Else").unwrap_err().code(),
        "conflict"
    );
}

#[test]
fn a_portfolio_from_before_accounts_is_adopted_by_its_learner() {
    let mut fx = fresh();
    let kim = fx.store.add_learner("Kim Before", None).unwrap();
    fx.store.open_sample_portfolio().unwrap();
    assert_eq!(
        fx.store.accounts_state().unwrap(),
        AccountsState::NoAccounts { learners: 1 }
    );
    let user = fx.store.setup_personal(&kim.id).unwrap();
    assert_eq!(user.learner_id.as_deref(), Some(kim.id.as_str()));
    // The sample stays readable by every user; it never becomes anyone's.
    let sample = fx.store.open_sample_portfolio().unwrap();
    assert!(fx.store.gaps(&sample.id, None).is_ok());
}
