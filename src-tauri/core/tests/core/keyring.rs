//! Encryption at rest as a centre uses it: an administrator encrypts the portfolio; its data key is
//! kept in `keyring.json`, sealed for each account with that account's password, so the portfolio
//! opens only by signing in. Whoever signs in while it is open gets a seal; a password change
//! reseals; a disabled account's seal goes; a seal moved to another account, a missing or damaged
//! keyring, and a portfolio open elsewhere are all refused without harm.

use std::path::{Path, PathBuf};

use evidence_core::audit::HistoryScope;
use evidence_core::evidence::{EvidenceFilter, Status};
use evidence_core::store::DATABASE_FILE;
use evidence_core::Store;

use crate::access::{centre, Centre, PASSWORD};
use crate::common::add;
use crate::encryption::{centre_with_secret, SECRET};

const NEW_PASSWORD: &str = "Quiet-harbour-lanterns-42";

fn keyring_path(dir: &Path) -> PathBuf {
    dir.join("keyring.json")
}

fn code_of(result: evidence_core::error::Result<Store>) -> String {
    result.map(drop).unwrap_err().code().to_string()
}

/// A centre whose portfolio the administrator has just encrypted (Lena's secret item in it); the
/// store stays open, signed in as the administrator.
fn encrypted_centre() -> (Centre, PathBuf) {
    let mut c = centre_with_secret();
    let done = c.fx.store.encrypt_at_rest(PASSWORD).unwrap();
    assert_eq!(
        done.not_yet_sealed,
        ["asa", "ian", "lars", "lena", "tom"],
        "every other account is sealed for at its next sign-in"
    );
    assert!(done.tables > 20);
    let dir = c.fx.dir.path().to_path_buf();
    (c, dir)
}

#[test]
fn the_portfolio_opens_only_by_signing_in_with_a_sealed_account() {
    let (mut c, dir) = encrypted_centre();
    assert!(Store::is_encrypted(&dir).unwrap());
    let bytes = std::fs::read(dir.join(DATABASE_FILE)).unwrap();
    assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    // The keyring names nobody and only its owner may read it.
    let keyring = std::fs::read_to_string(keyring_path(&dir)).unwrap();
    for name in ["admin", "lena", "Lena", "Ada"] {
        assert!(!keyring.contains(name), "{name} is in the keyring");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keyring_path(&dir))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "keyring mode {mode:o}");
    }
    // While it stays open, everyone signs in as before; Lena gets her seal now.
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    let titles =
        c.fx.store
            .list_evidence(&c.lena, &EvidenceFilter::default())
            .unwrap();
    assert!(titles.iter().any(|e| e.title == SECRET));
    drop(c.fx.store);

    assert_eq!(code_of(Store::open(&dir)), "unauthenticated");
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "lena", Some("wrong password"))),
        "sign_in_failed"
    );
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "lena", None)),
        "sign_in_failed"
    );
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "nobody", Some(PASSWORD))),
        "sign_in_failed"
    );
    // Tom has not signed in since: his password is right, but nothing is sealed for him yet.
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "tom", Some(PASSWORD))),
        "sign_in_failed"
    );

    let mut store = Store::open_signed_in(&dir, "LENA", Some(PASSWORD)).unwrap();
    let items = store
        .list_evidence(&c.lena, &EvidenceFilter::default())
        .unwrap();
    assert!(items.iter().any(|e| e.title == SECRET));
    // Tom signs in on the open portfolio: from now on he can open it himself.
    store.sign_in("tom", Some(PASSWORD)).unwrap();
    drop(store);
    let store = Store::open_signed_in(&dir, "tom", Some(PASSWORD)).unwrap();
    assert_eq!(store.current_user().unwrap().username, "tom");
    drop(store);
    let mut store = Store::open_signed_in(&dir, "admin", Some(PASSWORD)).unwrap();
    assert!(store.verify_audit().unwrap().intact);
    let entries = store.history(HistoryScope::All).unwrap();
    assert!(entries.iter().any(|e| e.action == "portfolio_encrypted"));
    assert_eq!(
        store.encrypt_at_rest(PASSWORD).unwrap_err().code(),
        "conflict",
        "encrypting twice"
    );
}

#[test]
fn password_changes_reseal_and_a_disabled_account_unlocks_nothing() {
    let (mut c, dir) = encrypted_centre();
    let s = &mut c.fx.store;
    // An administrator sets Tom's password: the new one unlocks, the old does not.
    s.set_password("tom", None, NEW_PASSWORD).unwrap();
    // Lena changes her own.
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    s.set_password("lena", Some(PASSWORD), NEW_PASSWORD)
        .unwrap();
    // Lars signs in (sealed), then is disabled.
    s.sign_in("lars", Some(PASSWORD)).unwrap();
    s.sign_in("admin", Some(PASSWORD)).unwrap();
    s.set_account_disabled("lars", true).unwrap();
    drop(c.fx.store);

    for user in ["tom", "lena"] {
        assert_eq!(
            code_of(Store::open_signed_in(&dir, user, Some(PASSWORD))),
            "sign_in_failed"
        );
        let store = Store::open_signed_in(&dir, user, Some(NEW_PASSWORD)).unwrap();
        assert_eq!(store.current_user().unwrap().username, user);
    }
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "lars", Some(PASSWORD))),
        "sign_in_failed"
    );
}

#[test]
fn a_moved_seal_a_lost_keyring_and_a_portfolio_open_elsewhere_are_refused_unharmed() {
    let (mut c, dir) = encrypted_centre();
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    drop(c.fx.store);
    // Lena's seal filed under the administrator's label (both share a password here): it does not
    // open as the administrator's, because each seal authenticates the account it is for.
    let text = std::fs::read_to_string(keyring_path(&dir)).unwrap();
    let mut keyring: serde_json::Value = serde_json::from_str(&text).unwrap();
    let seals = keyring["seals"].as_array_mut().unwrap();
    assert_eq!(seals.len(), 2);
    let admin_label = seals[0]["account"].clone();
    seals[1]["account"] = admin_label;
    seals.remove(0);
    std::fs::write(keyring_path(&dir), keyring.to_string()).unwrap();
    assert_eq!(
        code_of(Store::open_signed_in(&dir, "admin", Some(PASSWORD))),
        "sign_in_failed"
    );
    // Damaged, then missing: said plainly, and the database is untouched.
    std::fs::write(keyring_path(&dir), "{ not json").unwrap();
    let err = Store::open_signed_in(&dir, "lena", Some(PASSWORD))
        .map(drop)
        .unwrap_err();
    assert!(err.to_string().contains("is damaged"), "{err}");
    std::fs::remove_file(keyring_path(&dir)).unwrap();
    let err = Store::open_signed_in(&dir, "lena", Some(PASSWORD))
        .map(drop)
        .unwrap_err();
    assert_eq!(err.code(), "database_error");
    assert!(err.to_string().contains("keyring"), "{err}");
    std::fs::write(keyring_path(&dir), text).unwrap();
    Store::open_signed_in(&dir, "lena", Some(PASSWORD)).unwrap();

    // A plaintext portfolio another connection has open (long work, the CLI) is not swapped out
    // from under it: refused, and everything goes on in plaintext.
    let mut c = centre();
    c.fx.store.sign_in("admin", Some(PASSWORD)).unwrap();
    let other = c.fx.store.fork().unwrap();
    let err = c.fx.store.encrypt_at_rest(PASSWORD).unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    assert!(!Store::is_encrypted(c.fx.dir.path()).unwrap());
    drop(other);
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    add(
        &mut c.fx.store,
        &c.lena,
        "Still writable",
        Status::Draft,
        "2026-10-05",
    );
    // A wrong password, or a personal laptop's passwordless user, cannot encrypt.
    c.fx.store.sign_in("admin", Some(PASSWORD)).unwrap();
    assert_eq!(
        c.fx.store.encrypt_at_rest("wrong").unwrap_err().code(),
        "sign_in_failed"
    );
    let mut laptop = crate::common::fresh();
    laptop.store.setup_personal("Pat").unwrap();
    let err = laptop.store.encrypt_at_rest("anything").unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(!Store::is_encrypted(laptop.dir.path()).unwrap());
}

#[test]
fn a_page_changed_on_disk_is_damage_not_a_forged_row() {
    let (c, dir) = encrypted_centre();
    drop(c.fx.store);
    // One byte changed in every page but the first, as an edit without the key would have to.
    let db = dir.join(DATABASE_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    for page in (4096..bytes.len()).step_by(4096) {
        bytes[page + 100] ^= 0x20;
    }
    std::fs::write(&db, bytes).unwrap();
    let err = Store::open_signed_in(&dir, "admin", Some(PASSWORD))
        .map(drop)
        .unwrap_err();
    assert_ne!(err.code(), "sign_in_failed", "{err}");
    assert!(
        err.to_string().contains("not a database") || err.to_string().contains("damaged"),
        "{err}"
    );
}

#[test]
fn wrong_passwords_at_a_closed_portfolio_meet_the_back_off() {
    let (c, dir) = encrypted_centre();
    drop(c.fx.store);
    let mut attempts = evidence_core::accounts::UnlockAttempts::default();
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(code_of(attempts.open_signed_in(
            &dir,
            "admin",
            Some("wrong guess 1"),
        )));
    }
    assert_eq!(codes[0], "sign_in_failed");
    assert_eq!(codes.last().unwrap(), "sign_in_delayed", "{codes:?}");
    // While it lasts, even the right password waits; another attempts counter (a restart) does not.
    assert_eq!(
        code_of(attempts.open_signed_in(&dir, "admin", Some(PASSWORD))),
        "sign_in_delayed"
    );
    let mut fresh = evidence_core::accounts::UnlockAttempts::default();
    assert!(fresh.open_signed_in(&dir, "admin", Some(PASSWORD)).is_ok());
}

#[test]
fn a_personal_laptop_with_a_password_can_be_encrypted_too() {
    let mut laptop = crate::common::fresh();
    let me = laptop.store.setup_personal("Pat Learner").unwrap();
    laptop
        .store
        .set_password(&me.username, None, NEW_PASSWORD)
        .unwrap();
    let done = laptop.store.encrypt_at_rest(NEW_PASSWORD).unwrap();
    assert!(done.not_yet_sealed.is_empty(), "{done:?}");
    drop(laptop.store);
    let store = Store::open_signed_in(laptop.dir.path(), &me.username, Some(NEW_PASSWORD)).unwrap();
    assert_eq!(store.current_user().unwrap().display_name, "Pat Learner");
}
