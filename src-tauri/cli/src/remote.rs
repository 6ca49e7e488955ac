//! The CLI as a client of the centre service (`--service SOCKET` or `$EVIDENCE_SERVICE`), and
//! `evidence serve`, which runs that service. Through the service the CLI never touches the data
//! directory: it signs in, sends the command's operations, prints their answers, and signs out.

use std::path::Path;
use std::sync::Arc;

use evidence_core::service::{Client, Service, ServiceOptions};
use evidence_core::CoreError;

use crate::args::{Cli, Command};
use crate::commands::{portfolio_command, Answered};
use crate::output::Out;
use crate::secrets::{self, Secrets};

/// Runs one command through the service at `socket`, signed in as `--user`/`$EVIDENCE_USER`.
pub fn run(socket: &Path, cli: Cli, out: &Out, secrets: &mut Secrets) -> Result<(), CoreError> {
    let username = cli
        .user
        .or_else(|| secrets::env("EVIDENCE_USER"))
        .ok_or_else(|| {
            CoreError::Unauthenticated(
                "the centre service needs --user (or $EVIDENCE_USER) and that account's password"
                    .into(),
            )
        })?;
    let password = secrets.sign_in_password(cli.password_stdin)?;
    let mut client = Client::sign_in(socket, &username, password.as_deref())?;
    let result = match portfolio_command(&mut client, out, cli.command) {
        Answered::Done(result) => result,
        Answered::Elsewhere(command) => Err(CoreError::InvalidInput(format!(
            "`evidence {}` does not run through the centre service yet: run it on the service's own account (see docs/install.md)",
            subcommand_name(&command)
        ))),
    };
    let signed_out = client.sign_out();
    result.and(signed_out)
}

/// Runs the centre service on `data_dir`, listening on `socket`, until the process is stopped.
pub fn serve(data_dir: &Path, socket: &Path) -> Result<(), CoreError> {
    let service = Service::start(ServiceOptions {
        data_dir: data_dir.to_path_buf(),
        idle_override: None,
    })?;
    let listener = Service::bind(socket)?;
    eprintln!(
        "Evidence Tracker centre service: {} on {}",
        data_dir.display(),
        socket.display()
    );
    Arc::new(service).serve(listener)
}

/// The subcommand as typed: `SignOff { .. }` is `sign-off`.
fn subcommand_name(command: &Command) -> String {
    let debug = format!("{command:?}");
    let variant: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut name = String::new();
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('-');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}
