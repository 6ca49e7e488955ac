//! The `evidence` command: Evidence Tracker's core for terminals and scripts. It opens the same
//! portfolio store as the desktop app (the per-user data directory, or `--data-dir`/`EVIDENCE_DATA_DIR`).
//!
//! Exit status: 0 on success, 1 with a one-line `error: …` on stderr when the core refuses an
//! operation, 2 for a malformed command line.

mod args;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;
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
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => evidence_core::store::default_data_dir()?,
    };
    let mut store = Store::open(&data_dir)?;
    let out = output::Out { json: cli.json };
    commands::dispatch(&mut store, &out, cli.command, &data_dir)
}
