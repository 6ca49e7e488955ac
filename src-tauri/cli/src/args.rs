//! The command line, declared with clap: every subcommand and option, with the help text users see.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::accounts_args::{
    AssignAs, AuditCommand, CentresCommand, RoleArg, SetupCommand, UsersCommand,
};
pub use crate::review_args::{BundleCommand, FeedbackCommand, JudgeArgs, ReportArgs};

/// Evidence Tracker: portfolio evidence for the NOCN Level 3 Certificate in Community Development,
/// mapped to assessment criteria and the Community Development National Occupational Standards.
///
/// Criteria are named FRAMEWORK:CODE, e.g. NOCN-L3-CD:PWC.1.1 or CD-NOS:CLDSCCD15.PC3.
#[derive(Debug, Parser)]
#[command(name = "evidence", version)]
pub struct Cli {
    /// Data directory holding the portfolio (default: $EVIDENCE_DATA_DIR if set and not empty, else
    /// the per-user data directory).
    // Not clap's `env`: it turns an empty EVIDENCE_DATA_DIR into a usage error about --data-dir; the
    // core's default_data_dir() reads the variable and treats empty as unset.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print results (and errors) as JSON, in the documented shapes of docs/cli.md.
    #[arg(long, global = true)]
    pub json: bool,

    /// Act as this user (default: $EVIDENCE_USER; on a personal laptop, its one user). The password is
    /// read from $EVIDENCE_PASSWORD or, with --password-stdin, from the first line of standard input.
    #[arg(long, global = true, value_name = "USERNAME")]
    pub user: Option<String>,

    /// Read the signing-in password from the first line of standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Be a client of the centre service listening on this socket (default: $EVIDENCE_SERVICE if set)
    /// instead of opening a data directory; see docs/install.md.
    #[arg(long, global = true, value_name = "SOCKET")]
    pub service: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, import and export criteria frameworks.
    #[command(subcommand)]
    Frameworks(FrameworksCommand),
    /// Add and list learners.
    #[command(subcommand)]
    Learners(LearnersCommand),
    /// Enrol a learner on a framework (optionally on chosen units only).
    Enrol {
        #[arg(long)]
        learner: String,
        /// Framework code, e.g. NOCN-L3-CD.
        framework: String,
        /// A unit to enrol on (repeat for several); omit for the whole framework.
        #[arg(long = "unit", value_name = "UNIT")]
        units: Vec<String>,
    },
    /// Remove a learner's enrolment (their evidence is kept).
    Unenrol {
        #[arg(long)]
        learner: String,
        framework: String,
    },
    /// Record a new evidence item.
    Add(AddArgs),
    /// Change an evidence item; the earlier version is kept.
    Edit(EditArgs),
    /// Show an evidence item with its attachments and mappings.
    Show {
        /// Evidence id, or 8+ characters of it (e.g. its last 8).
        id: String,
        /// Also list every saved version.
        #[arg(long)]
        versions: bool,
        /// Print the body as sanitised HTML instead of Markdown.
        #[arg(long)]
        html: bool,
    },
    /// List a learner's evidence.
    List(ListArgs),
    /// Attach a file to an evidence item (the file is copied; the original is left alone).
    Attach { id: String, file: PathBuf },
    /// Map an evidence item to one or more criteria, across frameworks, in one go.
    Map {
        id: String,
        /// Criteria as FRAMEWORK:CODE.
        #[arg(required = true, value_name = "REF")]
        criteria: Vec<String>,
        /// How the evidence meets the criteria.
        #[arg(long)]
        note: Option<String>,
    },
    /// Remove mappings from an evidence item.
    Unmap {
        id: String,
        #[arg(required = true, value_name = "REF")]
        criteria: Vec<String>,
    },
    /// Full-text search over evidence titles and bodies.
    Search {
        /// Words to find (all must occur; the last may be a word start).
        #[arg(required = true)]
        words: Vec<String>,
        #[arg(long)]
        learner: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Criteria that still lack evidence, or whose evidence is draft only or no longer current.
    Gaps {
        #[arg(long)]
        learner: String,
        /// Override the currency threshold (years) for this report.
        #[arg(long)]
        currency_years: Option<u32>,
    },
    /// Every criterion of a learner's enrolments with its status and evidence.
    Coverage {
        #[arg(long)]
        learner: String,
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show or change settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Walk through the main journey on a demo learner (safe to run more than once).
    Demo,
    /// Where the data lives and which schema it has.
    Info,
    /// Set this machine up (first run): a personal laptop or a centre's shared machine.
    #[command(subcommand)]
    Setup(SetupCommand),
    /// Accounts and roles.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Encrypt this portfolio at rest (administrators): afterwards it opens only with an account's
    /// password. The password you signed in with seals the key for you.
    Encrypt,
    /// Run the centre service on this data directory (as its own system account: see
    /// docs/install.md); the app and the CLI then reach the portfolio through it.
    Serve {
        /// The socket to listen on.
        #[arg(long, value_name = "PATH", default_value = evidence_core::service::DEFAULT_SOCKET)]
        socket: PathBuf,
    },
    /// Assign a tutor, assessor or IQA to a learner (administrators).
    Assign {
        username: String,
        #[arg(long)]
        learner: String,
        #[arg(long = "as", value_enum)]
        role: AssignAs,
    },
    /// End an assignment (administrators).
    Unassign {
        username: String,
        #[arg(long)]
        learner: String,
        #[arg(long = "as", value_enum)]
        role: AssignAs,
    },
    /// List assignments: all (administrators) or your own.
    Assignments,
    /// Check and read the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Centre keys: this centre's fingerprint, and the other centres whose assessors' judgements count here.
    #[command(subcommand)]
    Centres(CentresCommand),
    /// An item's feedback thread: comment, or return it for changes.
    #[command(subcommand)]
    Feedback(FeedbackCommand),
    /// Judge a criterion met or not yet met for a learner, citing evidence (assessors); signed.
    Judge(JudgeArgs),
    /// A learner's judgements, newest first, with whether each signature still matches.
    Judgements {
        #[arg(long)]
        learner: String,
    },
    /// Sign a unit off once all its criteria are met (assessors).
    SignOff {
        #[arg(long)]
        learner: String,
        /// Framework code, e.g. NOCN-L3-CD.
        framework: String,
        /// Unit (or standard) code, e.g. PWC.
        unit: String,
    },
    /// Declare a submitted item your own work (its learner); signed.
    Declare { id: String },
    /// A learner's signatures: judgements, sign-offs, declarations.
    Signatures {
        #[arg(long)]
        learner: String,
    },
    /// What changed between two versions of an item.
    Diff { id: String, from: i64, to: i64 },
    /// Everything that blocks a learner's (or one unit's) submission; exit status 1 when not ready.
    Readiness {
        #[arg(long)]
        learner: String,
        /// One unit only, as FRAMEWORK:UNIT (e.g. NOCN-L3-CD:PWC).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Write a report for assessors and quality assurers as CSV, HTML or PDF.
    Report(ReportArgs),
    /// Carry a portfolio between computers as one file, or to quality assurers.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Your caseload: each learner assigned to you with a red/amber/green status and why.
    Caseload,
    /// Set the date a learner aims to complete by (their tutor, an administrator, the learner).
    TargetDate {
        #[arg(long)]
        learner: String,
        /// YYYY-MM-DD, or `none` to clear it.
        date: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CoverageFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum FrameworksCommand {
    /// List frameworks (current versions; --all-versions for every stored version).
    List {
        #[arg(long)]
        all_versions: bool,
    },
    /// Show a framework's tree of groups and criteria.
    Show {
        code: String,
        #[arg(long)]
        version: Option<String>,
    },
    /// Import a framework file: native TOML or Moodle competency-framework CSV, told apart by content.
    Import {
        file: PathBuf,
        /// Print what the import would do (criteria added, removed, reworded; each learner's
        /// mappings and judgements) and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read the file as a Moodle competency-framework CSV export, whatever its content looks like.
        #[arg(long)]
        moodle_csv: bool,
        /// For Moodle CSV: the version to record.
        #[arg(long, default_value = "1")]
        version: String,
        /// For Moodle CSV: the framework kind.
        #[arg(long, default_value = "competence_framework")]
        kind: String,
        /// For Moodle CSV: the kind given to leaf competencies.
        #[arg(long, default_value = "indicator")]
        criterion_kind: String,
    },
    /// Turn text copied out of a specification into a draft framework (native TOML), to check and import.
    FromText {
        file: PathBuf,
        #[arg(long)]
        code: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        version: String,
        /// qualification (units, learning outcomes, assessment criteria) or occupational_standard.
        #[arg(long, default_value = "qualification")]
        kind: String,
        /// Write the draft here instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a crosswalk file (links between criteria of different frameworks).
    ImportCrosswalk { file: PathBuf },
    /// Export a framework in the native TOML format.
    Export {
        code: String,
        #[arg(long)]
        version: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Criteria linked to a criterion by the crosswalk.
    Crosswalk { criterion: String },
}

#[derive(Debug, Subcommand)]
pub enum LearnersCommand {
    /// Add a learner.
    Add {
        name: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// List learners.
    List,
    /// Show a learner and their enrolments.
    Show { learner: String },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting.
    Show,
    /// Set how many years evidence stays current (default 3).
    CurrencyYears { years: u32 },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub learner: String,
    #[arg(long)]
    pub title: String,
    /// direct_observation, witness_testimony, expert_witness, professional_discussion, questioning,
    /// product_evidence, reflective_account, recognition_of_prior_learning or other.
    #[arg(long)]
    pub method: String,
    /// Date of the activity, YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub witness: WitnessArgs,
    /// Record it as submitted rather than draft.
    #[arg(long)]
    pub submit: bool,
}

#[derive(Debug, Args)]
pub struct BodyArgs {
    /// The account, in Markdown.
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the Markdown account from a file ('-' for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
}

/// Who gave a witness testimony or expert witness statement (those methods only).
#[derive(Debug, Args)]
pub struct WitnessArgs {
    /// The witness's name.
    #[arg(long, value_name = "NAME")]
    pub witness_name: Option<String>,
    /// The witness's job and organisation, e.g. "Housing officer, Anytown Council".
    #[arg(long, value_name = "ROLE")]
    pub witness_role: Option<String>,
    /// The witness's relationship to the learner, e.g. "line manager".
    #[arg(long, value_name = "RELATIONSHIP")]
    pub witness_relationship: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub method: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub witness: WitnessArgs,
    /// draft or submitted.
    #[arg(long)]
    pub status: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub learner: String,
    #[arg(long)]
    pub method: Option<String>,
    /// draft or submitted.
    #[arg(long)]
    pub status: Option<String>,
    /// Only items mapped to this criterion (FRAMEWORK:CODE).
    #[arg(long)]
    pub criterion: Option<String>,
    /// Only activities on or after this date.
    #[arg(long)]
    pub from: Option<String>,
    /// Only activities on or before this date.
    #[arg(long)]
    pub to: Option<String>,
}
