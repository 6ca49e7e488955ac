//! evidence-core's integration tests: one binary, modules mirroring `src/`. Every test uses a real
//! SQLite file in a temporary data directory (or an in-memory database) — never a mock of our storage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod access_matrix;
mod attachments;
mod audit;
mod audit_tamper;
mod bundle_frameworks;
mod bundle_kit;
mod bundle_mappings;
mod bundle_sync;
mod bundles;
mod cancel;
mod caseload;
mod cohort;
mod common;
mod encryption;
mod evidence;
mod failures;
mod fill_in;
mod forged_judgements;
mod framework_versions;
mod frameworks;
mod gaps;
mod hostile_bundles;
mod keyring;
mod method_rules;
mod moodle;
mod nos_suite;
mod oracles;
mod readiness;
mod reports;
mod review;
mod sealed_attachments;
mod search;
mod service;
mod service_files;
mod sign_in;
mod signing_keys;
mod spec_text;
mod store;
mod tampered_accounts;
mod upgrades;
mod witness_methods;
