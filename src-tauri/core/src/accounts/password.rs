//! Password hashing (argon2id at the cost chosen in `kdf`, a random salt per hash) and the back-off
//! after failed sign-in attempts.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};

use crate::error::{CoreError, Result};

use super::kdf::Cost;
use super::MIN_PASSWORD_CHARS;

/// Longest password accepted, in characters (argon2 takes any length; this bounds the work).
const MAX_PASSWORD_CHARS: usize = 1024;
/// Failed attempts allowed before each further attempt must wait.
pub(crate) const FREE_ATTEMPTS: i64 = 3;
/// The longest wait, in seconds.
const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// The least zxcvbn score a new password needs: 3, "safely unguessable" (about 10^8 guesses or
/// more, each of which costs an attacker a full argon2 derivation).
const MIN_STRENGTH: zxcvbn::Score = zxcvbn::Score::Three;

/// Checks a new password: long enough, not too long, and hard to guess (zxcvbn, which knows common
/// passwords, names, keyboard patterns, dates and the account's own name: `about_user`).
pub(crate) fn check_new_password(password: &str, about_user: &[&str]) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(CoreError::invalid(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(CoreError::invalid(format!(
            "a password may have at most {MAX_PASSWORD_CHARS} characters"
        )));
    }
    let estimate = zxcvbn::zxcvbn(password, about_user);
    if estimate.score() < MIN_STRENGTH {
        let mut why = String::from("this password is too easy to guess");
        if let Some(feedback) = estimate.feedback() {
            if let Some(warning) = feedback.warning() {
                why.push_str(&format!(" ({warning})"));
            }
            let tips: Vec<String> = feedback
                .suggestions()
                .iter()
                .map(|s| s.to_string())
                .collect();
            if !tips.is_empty() {
                why.push_str(&format!(": {}", tips.join(" ")));
            }
        }
        if !why.contains(':') {
            why.push_str(": three or four unrelated words make a strong one");
        }
        return Err(CoreError::invalid(why));
    }
    Ok(())
}

/// The PHC string (`$argon2id$v=19$…`) stored for `password`.
pub(crate) fn hash(password: &str) -> Result<String> {
    // 16 random bytes from the operating system (UUID v4 draws them from getrandom).
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| CoreError::Database(format!("cannot make a password salt: {e}")))?;
    Cost::CURRENT
        .argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Database(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the stored PHC string.
pub(crate) fn matches(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    // The hash names its own parameters (an older hash, its older ones), which verifying uses.
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Whether a stored hash was made at less than today's cost, so that the sign-in that has just
/// checked it should store a new one.
pub(crate) fn needs_rehash(stored: &str) -> bool {
    PasswordHash::new(stored)
        .ok()
        .and_then(|parsed| Params::try_from(&parsed).ok())
        .is_none_or(|p| {
            Cost {
                memory_kib: p.m_cost(),
                passes: p.t_cost(),
                lanes: p.p_cost(),
            }
            .is_below_current()
        })
}

/// Seconds to wait after `failures` failed attempts in a row: none for the first few, then doubling
/// from one second up to fifteen minutes.
pub(crate) fn wait_after(failures: i64) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20) as u32;
    (1_i64 << doublings).min(MAX_WAIT_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(matches("correct horse battery", &stored));
        assert!(!matches("correct horse batterY", &stored));
        assert!(!matches("correct horse battery", "not a hash"));
        assert_ne!(stored, hash("correct horse battery").unwrap(), "salted");
        assert!(stored.contains("$m=65536,t=2,p=1$"), "{stored}");
        assert!(!needs_rehash(&stored));
    }

    #[test]
    fn an_older_cheaper_hash_still_verifies_and_is_marked_for_rehashing() {
        let salt = SaltString::encode_b64(&[9u8; 16]).unwrap();
        let old = Argon2::default()
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        assert!(old.contains("$m=19456,t=2,p=1$"), "{old}");
        assert!(matches("an older password", &old));
        assert!(needs_rehash(&old));
    }

    #[test]
    fn the_wait_grows_after_the_free_attempts_and_is_capped() {
        assert_eq!((0..3).map(wait_after).collect::<Vec<_>>(), [0, 0, 0]);
        assert_eq!((3..7).map(wait_after).collect::<Vec<_>>(), [1, 2, 4, 8]);
        assert_eq!(wait_after(40), 15 * 60);
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            check_new_password("short", &[]).unwrap_err().code(),
            "invalid_input"
        );
        assert!(check_new_password("plenty long enough", &[]).is_ok());
    }

    #[test]
    fn guessable_passwords_are_refused_with_advice() {
        for weak in [
            "password123",
            "qwertyuiop12",
            "Summer2024!",
            "aaaaaaaaaaaa",
            "passwordpassword",
        ] {
            let err = check_new_password(weak, &[]).unwrap_err();
            assert_eq!(err.code(), "invalid_input");
            assert!(
                err.to_string()
                    .starts_with("this password is too easy to guess"),
                "{weak}: {err}"
            );
            assert!(err.to_string().contains(':'), "{weak}: advice in {err}");
        }
        // The account's own name is no secret.
        assert!(check_new_password("adaadmin2026", &["adaadmin", "Ada Admin"]).is_err());
        for strong in [
            "correct horse battery",
            "lena's very own password",
            "benchmark password 1",
        ] {
            assert!(check_new_password(strong, &[]).is_ok(), "{strong}");
        }
    }
}
