//! Passwords for the command line: never as arguments (they would show in `ps` and shell history).
//! The signing-in password comes from $EVIDENCE_PASSWORD or, with `--password-stdin`, the first line
//! of standard input; a new password from $EVIDENCE_NEW_PASSWORD or the next line of standard input.

use std::io::{BufRead, IsTerminal};

use evidence_core::CoreError;

pub struct Secrets {
    lines: Option<std::io::Lines<std::io::StdinLock<'static>>>,
    /// The password this command signed in with, for the commands that need it again.
    signed_in_with: Option<String>,
}

/// An environment variable's value, with empty treated as unset.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Secrets {
    pub fn new() -> Secrets {
        Secrets {
            lines: None,
            signed_in_with: None,
        }
    }

    fn next_line(&mut self, what: &str) -> Result<String, CoreError> {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(CoreError::InvalidInput(format!(
                "give the {what} on standard input (e.g. `… < file`) or in an environment variable; it is not read from a terminal, which would show it"
            )));
        }
        let lines = self.lines.get_or_insert_with(|| stdin.lock().lines());
        match lines.next() {
            Some(Ok(line)) => Ok(line.trim_end_matches('\r').to_string()),
            Some(Err(e)) => Err(CoreError::Io(e.to_string())),
            None => Err(CoreError::InvalidInput(format!(
                "standard input ended before the {what}"
            ))),
        }
    }

    /// The password to sign in with.
    pub fn sign_in_password(&mut self, from_stdin: bool) -> Result<Option<String>, CoreError> {
        let password = match from_stdin {
            true => Some(self.next_line("password")?),
            false => env("EVIDENCE_PASSWORD"),
        };
        self.signed_in_with.clone_from(&password);
        Ok(password)
    }

    /// The password this command signed in with (`encrypt` seals the key with it).
    pub fn signed_in_with(&self) -> Result<&str, CoreError> {
        self.signed_in_with.as_deref().ok_or_else(|| {
            CoreError::Unauthenticated(
                "sign in with --user and a password ($EVIDENCE_PASSWORD or --password-stdin)"
                    .into(),
            )
        })
    }

    /// A new account's (or a changed) password.
    pub fn new_password(&mut self) -> Result<String, CoreError> {
        match env("EVIDENCE_NEW_PASSWORD") {
            Some(p) => Ok(p),
            None => self.next_line("new password"),
        }
    }
}
