//! The `evidence` command: Evidence Tracker's core for terminals and scripts. It opens the same
//! portfolio store as the desktop app (the per-user data directory, or `--data-dir`/`EVIDENCE_DATA_DIR`).
//!
//! Exit status: 0 on success, 1 with a one-line `error: …` on stderr when the core refuses an
//! operation, 2 for a malformed command line.

mod accounts_args;
mod args;
mod commands;
mod output;
mod remote;
mod review_args;
mod secrets;

use std::process::ExitCode;

use clap::Parser;
use evidence_core::store::DATA_DIR_ENV;
use evidence_core::{CoreError, Store};

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::print_error(&err, json);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: args::Cli) -> Result<(), CoreError> {
    let data_dir = match &cli.data_dir {
        Some(dir) => dir.clone(),
        None => evidence_core::store::default_data_dir()?,
    };
    let out = output::Out { json: cli.json };
    let mut secrets = secrets::Secrets::new();
    if let args::Command::Serve { socket } = &cli.command {
        return remote::serve(&data_dir, socket);
    }
    let data_dir_named = cli.data_dir.is_some() || secrets::env(DATA_DIR_ENV).is_some();
    let service = cli
        .service
        .clone()
        .or_else(|| evidence_core::service::socket_for_clients(data_dir_named));
    if let Some(socket) = service {
        return remote::run(&socket, cli, &out, &mut secrets);
    }
    let mut store = match Store::is_encrypted(&data_dir)? {
        true => open_encrypted(&data_dir, cli.user, cli.password_stdin, &mut secrets)?,
        false => {
            let mut store = Store::open(&data_dir)?;
            sign_in(&mut store, cli.user, cli.password_stdin, &mut secrets)?;
            store
        }
    };
    commands::dispatch(&mut store, &out, cli.command, &data_dir, &mut secrets)
}

/// An encrypted portfolio opens only by signing in: its key is unsealed with the user's password.
fn open_encrypted(
    data_dir: &std::path::Path,
    user: Option<String>,
    password_stdin: bool,
    secrets: &mut secrets::Secrets,
) -> Result<Store, CoreError> {
    let Some(username) = user.or_else(|| secrets::env("EVIDENCE_USER")) else {
        return Err(CoreError::Unauthenticated(format!(
            "the portfolio in {} is encrypted: give --user (or $EVIDENCE_USER) and a password",
            data_dir.display()
        )));
    };
    let password = secrets.sign_in_password(password_stdin)?;
    Store::open_signed_in(data_dir, &username, password.as_deref())
}

/// Signs in as `--user` (or $EVIDENCE_USER); on a personal laptop, as its one user. A portfolio
/// without accounts needs no sign-in; one with accounts refuses every operation until someone signs in.
fn sign_in(
    store: &mut Store,
    user: Option<String>,
    password_stdin: bool,
    secrets: &mut secrets::Secrets,
) -> Result<(), CoreError> {
    match user.or_else(|| secrets::env("EVIDENCE_USER")) {
        Some(username) => {
            let password = secrets.sign_in_password(password_stdin)?;
            store.sign_in(&username, password.as_deref())?;
        }
        None => {
            if let evidence_core::accounts::AccountsState::OpenUser { user } =
                store.accounts_state()?
            {
                store.sign_in(&user.username, None)?;
            }
        }
    }
    Ok(())
}
