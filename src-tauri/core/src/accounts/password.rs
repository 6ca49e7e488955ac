//! Password hashing (argon2id with the library's recommended parameters, a random salt per hash) and
//! the back-off after failed sign-in attempts.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{CoreError, Result};

use super::MIN_PASSWORD_CHARS;

/// Longest password accepted, in characters (argon2 takes any length; this bounds the work).
const MAX_PASSWORD_CHARS: usize = 1024;
/// Failed attempts allowed before each further attempt must wait.
pub(crate) const FREE_ATTEMPTS: i64 = 3;
/// The longest wait, in seconds.
const MAX_WAIT_SECONDS: i64 = 15 * 60;

pub(crate) fn check_new_password(password: &str) -> Result<()> {
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
    Ok(())
}

/// The PHC string (`$argon2id$v=19$…`) stored for `password`.
pub(crate) fn hash(password: &str) -> Result<String> {
    // 16 random bytes from the operating system (UUID v4 draws them from getrandom).
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| CoreError::Database(format!("cannot make a password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Database(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the stored PHC string.
pub(crate) fn matches(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
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
            check_new_password("short").unwrap_err().code(),
            "invalid_input"
        );
        assert!(check_new_password("long enough").is_ok());
    }
}
