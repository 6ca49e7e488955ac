//! The database encrypted at rest (SQLCipher under a raw data key): a plaintext portfolio is
//! encrypted in place with nothing lost, after which the file shows nothing — `sqlite3` calls it "not
//! a database", and no evidence text or password hash is in its bytes — and opens only with its key.
//! These tests give the key; where accounts keep it (the keyring) is tested in `keyring.rs`, and the
//! attachments in `sealed_attachments.rs`.

use std::path::Path;

use evidence_core::evidence::{EvidenceFilter, Status};
use evidence_core::store::{DataKey, DATABASE_FILE};
use evidence_core::Store;

use crate::access::{centre, Centre, PASSWORD};
use crate::common::{add, dump, enrolled};

pub(crate) const SECRET: &str = "asthma inhaler kept in the office";

fn key() -> DataKey {
    DataKey::from_bytes([42u8; 32])
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// What `sqlite3` (the command) says about the file.
fn sqlite3_says(db: &Path) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()
        .expect("the sqlite3 command (scripts/ensure-deps installs it)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The access tests' centre with Lena's secret item added, signed in as the administrator.
pub(crate) fn centre_with_secret() -> Centre {
    let mut c = centre();
    c.fx.store.sign_in("lena", Some(PASSWORD)).unwrap();
    add(
        &mut c.fx.store,
        &c.lena,
        SECRET,
        Status::Draft,
        "2026-10-03",
    );
    c.fx.store.sign_in("admin", Some(PASSWORD)).unwrap();
    c
}

#[test]
fn a_portfolio_encrypted_in_place_keeps_everything_and_shows_nothing() {
    let c = centre_with_secret();
    let before = dump(&c.fx.store);
    let db = c.fx.dir.path().join(DATABASE_FILE);
    assert!(contains(&std::fs::read(&db).unwrap(), "$argon2id$") || before.contains(SECRET));
    let dir = c.fx.dir.path().to_path_buf();
    drop(c.fx.store);

    let tables = Store::encrypt_in_place(&dir, &key()).unwrap();
    assert!(tables > 20, "{tables} tables");
    assert!(
        sqlite3_says(&db).contains("file is not a database"),
        "{}",
        sqlite3_says(&db)
    );
    let bytes = std::fs::read(&db).unwrap();
    for plain in [SECRET, "$argon2id$", "Lena Learner", "SQLite format 3"] {
        assert!(
            !contains(&bytes, plain),
            "{plain:?} is readable in the file"
        );
    }
    assert!(
        !dir.join(format!("{DATABASE_FILE}-wal")).exists() || {
            let wal = std::fs::read(dir.join(format!("{DATABASE_FILE}-wal"))).unwrap();
            !contains(&wal, SECRET)
        }
    );

    // Without the key, or with another, it does not open; with it, everything is as it was.
    let err = Store::open(&dir).map(drop).unwrap_err();
    assert_eq!(err.code(), "unauthenticated");
    assert!(err.to_string().contains("is encrypted"), "{err}");
    let err = Store::open_encrypted(&dir, DataKey::from_bytes([7u8; 32]))
        .map(drop)
        .unwrap_err();
    assert_eq!(err.code(), "database_error");
    let mut store = Store::open_encrypted(&dir, key()).unwrap();
    assert!(
        dump(&store) == before,
        "a row changed in the encrypted copy"
    );
    store.sign_in("admin", Some(PASSWORD)).unwrap();
    assert!(store.verify_audit().unwrap().intact);
    store.sign_in("lena", Some(PASSWORD)).unwrap();
    let titles: Vec<String> = store
        .list_evidence(&c.lena, &EvidenceFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert!(titles.contains(&SECRET.to_string()), "{titles:?}");
    // New writes go into the encrypted file, and a second connection (long work) opens it too.
    add(
        &mut store,
        &c.lena,
        "Second secret item",
        Status::Draft,
        "2026-10-04",
    );
    let fork = store.fork().unwrap();
    assert_eq!(
        fork.list_evidence(&c.lena, &EvidenceFilter::default())
            .unwrap()
            .len(),
        3
    );
    drop((store, fork));
    let bytes = std::fs::read(&db).unwrap();
    assert!(!contains(&bytes, "Second secret item"));
    // Encrypting twice is refused; a key for a plaintext portfolio too.
    assert_eq!(
        Store::encrypt_in_place(&dir, &key()).unwrap_err().code(),
        "conflict"
    );
    let plain = crate::common::fresh();
    let err = Store::open_encrypted(plain.dir.path(), key())
        .map(drop)
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
}

#[test]
fn a_copy_left_by_an_interrupted_encryption_is_made_again() {
    let mut fx = crate::common::fresh();
    let learner = enrolled(&mut fx.store, "Kit");
    add(&mut fx.store, &learner, SECRET, Status::Draft, "2026-10-03");
    let dir = fx.dir.path().to_path_buf();
    drop(fx.store);
    // What a crash half-way through the copy leaves: a partial file beside the database, which
    // itself was never touched.
    std::fs::write(
        dir.join(format!("{DATABASE_FILE}.encrypting")),
        b"half a copy",
    )
    .unwrap();
    assert!(Store::open(&dir).is_ok(), "the plaintext still opens");
    Store::encrypt_in_place(&dir, &key()).unwrap();
    assert!(!dir.join(format!("{DATABASE_FILE}.encrypting")).exists());
    let store = Store::open_encrypted(&dir, key()).unwrap();
    assert_eq!(store.list_learners().unwrap().len(), 1);
}

#[test]
fn a_new_portfolio_can_be_encrypted_from_the_start_and_an_old_one_upgraded_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_encrypted(dir.path(), key()).unwrap();
    let learner = enrolled(&mut store, "Noa");
    add(&mut store, &learner, SECRET, Status::Draft, "2026-10-03");
    drop(store);
    let bytes = std::fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(!contains(&bytes, SECRET) && !contains(&bytes, "SQLite format 3"));

    // A schema-1 portfolio (the first release), encrypted, then upgraded inside the encryption.
    let old = tempfile::tempdir().unwrap();
    crate::upgrades::copy_fixture(1, old.path());
    Store::encrypt_in_place(old.path(), &key()).unwrap();
    let store = Store::open_encrypted(old.path(), key()).unwrap();
    assert!(!store.list_learners().unwrap().is_empty());
    assert!(sqlite3_says(&old.path().join(DATABASE_FILE)).contains("file is not a database"));
}
