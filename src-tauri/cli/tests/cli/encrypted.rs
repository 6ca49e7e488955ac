//! An encrypted portfolio through the `evidence` command: an administrator encrypts it, after which
//! `sqlite3` cannot read the file, every command needs an account with a seal, a wrong password or
//! no user is refused, and what was there is all still there.

use crate::common::{Portfolio, CENTRE_SETUP};

#[test]
fn after_encrypt_every_command_needs_a_sealed_account() {
    let p = Portfolio::new();
    p.centre_with(&[("tom", "Tom Tutor", "tutor")]);
    let learner = p.json(&["learners", "add", "Kit Learner"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    p.sign_in_as(None);
    p.refuse(&["encrypt"], "unauthenticated", "sign in");
    p.sign_in_as("tom");
    p.refuse(&["encrypt"], "forbidden", "administrator");
    p.sign_in_as("admin");
    let done = p.json(&["encrypt"]);
    assert_eq!(done["not_yet_sealed"], serde_json::json!(["tom"]));
    assert!(done["tables"].as_u64().unwrap() > 20, "{done}");

    let sqlite3 = std::process::Command::new("sqlite3")
        .arg(p.dir().join("evidence.sqlite3"))
        .arg("SELECT name FROM learners;")
        .output()
        .expect("the sqlite3 command (scripts/ensure-deps installs it)");
    let said = String::from_utf8_lossy(&sqlite3.stderr);
    assert!(said.contains("file is not a database"), "{said}");

    let info = p.json(&["info"]);
    assert_eq!(info["encrypted"], true);
    let listed = p.json(&["learners", "list"]);
    assert!(listed.to_string().contains(&learner), "{listed}");
    p.refuse(&["encrypt"], "conflict", "already encrypted");
    p.sign_in_as(None);
    p.refuse(&["learners", "list"], "unauthenticated", "is encrypted");
    let wrong = p
        .command()
        .env("EVIDENCE_USER", "admin")
        .env("EVIDENCE_PASSWORD", "not the password")
        .args(["learners", "list"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("[sign_in_failed]"));
    // Tom has no seal yet; once an administrator sets his password, he has.
    p.sign_in_as("tom");
    p.refuse(&["learners", "list"], "sign_in_failed", "");
    p.sign_in_as("admin");
    p.with_new_password(&["users", "password", "tom"]);
    p.sign_in_as("tom");
    p.ok(&["users", "whoami"]);
}

#[test]
fn a_centre_set_up_encrypted_seals_every_account_added_later() {
    let p = Portfolio::new();
    p.with_new_password(&[CENTRE_SETUP, &["--encrypt"]].concat());
    p.sign_in_as("admin");
    assert_eq!(p.json(&["info"])["encrypted"], true);
    p.centre_with(&[("tom", "Tom Tutor", "tutor")]);
    // Tom never signed in, yet opens the encrypted portfolio himself: he was sealed for when added.
    p.sign_in_as("tom");
    assert_eq!(p.json(&["users", "whoami"])["user"]["username"], "tom");
}
