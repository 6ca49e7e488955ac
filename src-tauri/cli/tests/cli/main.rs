//! Acceptance tests of the `evidence` command, run as a person or a script would run it: each test
//! works in its own temporary data directory (never the user's), reads `--json` output, and checks
//! the outcome, the exit status and what is left on disk.
//!
//! - `journey`: the main journey from frameworks to coverage, search, listing and unmapping.
//! - `evidence`: currency of old evidence, sanitised Markdown, hostile search text, the demo.
//! - `frameworks`: the shipped list, export/import, new versions and what happens to mappings,
//!   crosswalk files.
//! - `moodle`: Moodle competency-framework CSV.
//! - `bad_input`: refusals, each one line on stderr, leaving the data exactly as it was.
//! - `data_dir`: which data directory is used, a newer database, exit statuses.
//! - `docs`: docs/cli.md documents every subcommand and exactly the JSON fields printed.
//! - `accounts`: set-up, signing in, who may read what, review, judgement, sign-off, audit verify.
//! - `read_only`: a read-only data directory (run as user nobody when the tests run as root).
//! - `reports`: `evidence report` in every format, and its refusals.
//! - `bundles`: a portfolio carried between two data directories; a tampered bundle refused.
//! - `witness`: the witness flags on `add` and `edit`, and `readiness` naming testimony without them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod bad_frameworks;
mod bad_input;
mod bundles;
mod common;
mod data_dir;
mod docs;
mod encrypted;
mod evidence;
mod frameworks;
mod from_text;
mod journey;
mod moodle;
#[cfg(unix)]
mod read_only;
mod reports;
mod service;
mod terminal;
mod upgrade_kill;
mod witness;
