//! evidence-core: everything Evidence Tracker knows — the portfolio store, criteria frameworks,
//! learners, evidence and mapping, gaps and coverage. It has no Tauri dependency, so the desktop shell
//! and the `evidence` command share it and it tests without a display.
//!
//! Start with [`Store::open`]; every operation is a method on [`Store`], each write one transaction
//! with its audit entry, each checked against the signed-in user (see `access`).

pub mod accounts;
pub mod audit;
pub mod background;
pub mod bundles;
mod db;
mod durable;
pub mod error;
pub mod evidence;
pub mod frameworks;
pub mod gaps;
pub(crate) mod ids;
pub mod input;
pub mod learners;
mod names;
pub mod readiness;
pub mod refs;
pub mod reports;
pub mod review;
pub mod sample;
#[cfg(unix)]
pub mod service;
mod spreadsheet;
pub mod store;
pub mod time;

pub use error::{CoreError, ErrorPayload, Result};
pub use refs::CriterionRef;
pub use store::Store;
