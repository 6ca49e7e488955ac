//! The command line for review and judgement.

use clap::{ArgGroup, Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Comment on an item (its learner, tutors and assessors); --request-changes (tutors and
    /// assessors) returns it to the learner as a draft.
    Add {
        /// Evidence id, or 8+ characters of it.
        id: String,
        /// The comment.
        text: String,
        #[arg(long)]
        request_changes: bool,
    },
    /// An item's feedback thread, oldest first.
    List { id: String },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("outcome").required(true).args(["met", "not_yet_met"])))]
pub struct JudgeArgs {
    #[arg(long)]
    pub learner: String,
    /// The criterion, as FRAMEWORK:CODE.
    #[arg(value_name = "REF")]
    pub criterion: String,
    /// The criterion is met (cite the evidence with --evidence).
    #[arg(long)]
    pub met: bool,
    /// The criterion is not yet met.
    #[arg(long)]
    pub not_yet_met: bool,
    /// An item relied on (repeat for several): submitted, and mapped to the criterion.
    #[arg(long = "evidence", value_name = "ID")]
    pub evidence: Vec<String>,
    #[arg(long, default_value = "")]
    pub comment: String,
}

/// Which report `evidence report` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportName {
    /// Every criterion with status, evidence, judgement and signature (one learner).
    Coverage,
    /// For each criterion, the evidence references and where they are (one learner).
    EvidenceRecord,
    /// Units with sign-off dates and signatories (one learner).
    Units,
    /// Learners × units with completion and red/amber/green status (everyone you may read).
    Cohort,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFileFormat {
    Csv,
    Html,
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(value_enum)]
    pub report: ReportName,
    /// The learner (every report but cohort).
    #[arg(long)]
    pub learner: Option<String>,
    /// csv, html or pdf; taken from the --out file's extension when left out.
    #[arg(long, value_enum)]
    pub format: Option<ReportFileFormat>,
    /// The file to write (replaced atomically).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

/// `evidence bundle …`: carry a portfolio between computers, or to quality assurers.
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write a learner's portfolio as one bundle file (zip), and print its SHA-256.
    Export {
        #[arg(long)]
        learner: String,
        /// A read-only bundle for quality assurers, with the reports (assessors, IQAs).
        #[arg(long)]
        qa: bool,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Import a portfolio bundle made on another computer (merging; nothing is overwritten).
    Import { file: std::path::PathBuf },
    /// Check a bundle completely without importing it; exit status 1 when it is not valid.
    Verify { file: std::path::PathBuf },
    /// The framework versions a bundle carries, and whether this computer has each; with --load,
    /// load those it lacks (administrators), so that the bundle can then be imported.
    Frameworks {
        file: std::path::PathBuf,
        #[arg(long)]
        load: bool,
    },
    /// Items changed on both computers, waiting for a choice: each field as each side has it.
    Conflicts {
        #[arg(long)]
        learner: String,
    },
    /// Resolve an item's conflict: fields named with --take-theirs come from the other computer,
    /// every other field keeps this computer's value.
    Resolve {
        /// Evidence id, or 8+ characters of it.
        id: String,
        /// title, method, activity_date, status, body, witness, mappings or attachments (repeat).
        #[arg(long = "take-theirs", value_name = "FIELD")]
        take_theirs: Vec<String>,
    },
}
