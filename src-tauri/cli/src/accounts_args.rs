//! The command line for accounts, assignments and the audit trail.

use clap::{Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum SetupCommand {
    /// A personal laptop: your own portfolio, no password needed (you can add one later).
    Personal {
        /// Your name (or the id or name of a portfolio already kept here).
        name: String,
    },
    /// A centre's shared machine: the administrator's account (password from standard input or
    /// EVIDENCE_NEW_PASSWORD).
    Centre {
        #[arg(long)]
        username: String,
        /// The administrator's name as shown.
        #[arg(long)]
        name: String,
        /// Encrypt the portfolios at rest from the start (as `evidence encrypt` would, before any
        /// other account exists).
        #[arg(long)]
        encrypt: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    Learner,
    Tutor,
    Assessor,
    Iqa,
    Administrator,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AssignAs {
    Tutor,
    Assessor,
    Iqa,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add an account (administrators). Its password comes from standard input or
    /// EVIDENCE_NEW_PASSWORD.
    Add {
        #[arg(long)]
        username: String,
        /// The name as shown.
        #[arg(long)]
        name: String,
        /// A role (repeat for several).
        #[arg(long = "role", value_enum, required = true)]
        roles: Vec<RoleArg>,
        /// For a learner: the portfolio (id or name) already kept here that becomes theirs.
        #[arg(long)]
        learner: Option<String>,
    },
    /// List accounts (administrators).
    List,
    /// Set a password (your own, or anyone's as an administrator); the new password comes from
    /// standard input or EVIDENCE_NEW_PASSWORD.
    Password { username: String },
    /// Who is signed in, and how this portfolio's accounts are set up.
    Whoami,
    /// Disable an account (administrators): it signs in no more, and its signing key is retired.
    Disable { username: String },
    /// Enable a disabled account again (administrators).
    Enable { username: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit chain, every entry's signature and the records against it; exits with status 1
    /// when anything was altered, removed, added or moved outside the app.
    Verify {
        /// Also check the trail still holds the head recorded in this file: a bundle this computer
        /// exported, or an HTML or CSV report it wrote.
        #[arg(long)]
        against: Option<std::path::PathBuf>,
    },
    /// Where the trail ends now (the head every report and bundle records).
    Head,
    /// Show audit entries: an item's, a learner's, or (administrators) all.
    Log {
        /// An evidence item's entries.
        #[arg(long, conflicts_with = "learner")]
        evidence: Option<String>,
        /// A learner's entries.
        #[arg(long)]
        learner: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CentresCommand {
    /// The centre keys this installation knows: its own (read its fingerprint out to another centre)
    /// and those it trusts (administrators).
    List,
    /// Trust another centre: the keys it certified count here from now on (administrators).
    Trust {
        /// The other centre's fingerprint, as `evidence centres list` prints it there (64 hex digits).
        fingerprint: String,
        /// What to call it here.
        #[arg(long)]
        name: String,
    },
}
