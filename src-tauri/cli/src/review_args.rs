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
