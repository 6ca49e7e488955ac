//! One function per subcommand, each a thin call into evidence-core plus output.

mod accounts;
mod bundles;
mod coverage;
mod demo;
mod frameworks;
mod portfolio;
mod reports;
mod review;

use std::path::Path;

use evidence_core::service::Portfolio;
use evidence_core::{CoreError, Store};

use crate::args::Command;
use crate::output::Out;
use crate::secrets::Secrets;

pub fn dispatch(
    store: &mut Store,
    out: &Out,
    command: Command,
    data_dir: &Path,
    secrets: &mut Secrets,
) -> Result<(), CoreError> {
    let command = match portfolio_command(store, out, command) {
        Answered::Done(result) => return result,
        Answered::Elsewhere(command) => command,
    };
    match command {
        Command::Frameworks(cmd) => frameworks::run(store, out, cmd),
        Command::Demo => demo::run(store, out),
        Command::Info => coverage::info(store, out, data_dir),
        Command::Setup(cmd) => accounts::setup(store, out, cmd, secrets),
        Command::Users(cmd) => accounts::users(store, out, cmd, secrets),
        Command::Encrypt => accounts::encrypt(store, out, secrets),
        Command::Assign {
            username,
            learner,
            role,
        } => accounts::assign(store, out, &username, &learner, role, true),
        Command::Unassign {
            username,
            learner,
            role,
        } => accounts::assign(store, out, &username, &learner, role, false),
        Command::Assignments => accounts::assignments(store, out),
        Command::Audit(cmd) => accounts::audit(store, out, cmd),
        Command::Centres(cmd) => accounts::centres(store, out, cmd),
        Command::Feedback(cmd) => review::feedback(store, out, cmd),
        Command::Judge(args) => review::judge(store, out, args),
        Command::Judgements { learner } => review::judgements(store, out, &learner),
        Command::SignOff {
            learner,
            framework,
            unit,
        } => review::sign_off(store, out, &learner, &framework, &unit),
        Command::Declare { id } => review::declare(store, out, &id),
        Command::Signatures { learner } => review::signatures(store, out, &learner),
        Command::Diff { id, from, to } => review::diff(store, out, &id, from, to),
        Command::Caseload => review::caseload(store, out),
        Command::Readiness { learner, unit } => {
            review::readiness(store, out, &learner, unit.as_deref())
        }
        Command::Report(args) => reports::report(store, out, args),
        Command::Bundle(cmd) => bundles::bundle(store, out, cmd),
        Command::TargetDate { learner, date } => review::target_date(store, out, &learner, &date),
        // Answered by `portfolio_command` above, or by main (serve); listed so that this match
        // stays exhaustive.
        Command::Serve { .. }
        | Command::Learners(_)
        | Command::Enrol { .. }
        | Command::Unenrol { .. }
        | Command::Add(_)
        | Command::Attach { .. }
        | Command::Edit(_)
        | Command::Show { .. }
        | Command::List(_)
        | Command::Map { .. }
        | Command::Unmap { .. }
        | Command::Search { .. }
        | Command::Gaps { .. }
        | Command::Coverage { .. }
        | Command::Settings(_) => Err(CoreError::Io(
            "this command was not dispatched: report it as a bug".into(),
        )),
    }
}

/// What [`portfolio_command`] did with a command.
pub enum Answered {
    Done(Result<(), CoreError>),
    /// Not one of the portfolio commands: handed back.
    Elsewhere(Command),
}

/// The commands that run the same on the embedded store and through the centre service: they use
/// only [`Portfolio`] operations.
pub fn portfolio_command(store: &mut impl Portfolio, out: &Out, command: Command) -> Answered {
    Answered::Done(match command {
        Command::Learners(cmd) => portfolio::learners(store, out, cmd),
        Command::Enrol {
            learner,
            framework,
            units,
        } => portfolio::enrol(store, out, &learner, &framework, &units),
        Command::Unenrol { learner, framework } => {
            portfolio::unenrol(store, out, &learner, &framework)
        }
        Command::Add(args) => portfolio::add(store, out, args),
        Command::Attach { id, file } => portfolio::attach(store, out, &id, &file),
        Command::Edit(args) => portfolio::edit(store, out, args),
        Command::Show { id, versions, html } => portfolio::show(store, out, &id, versions, html),
        Command::List(args) => portfolio::list(store, out, args),
        Command::Map { id, criteria, note } => {
            portfolio::map(store, out, &id, &criteria, note.as_deref())
        }
        Command::Unmap { id, criteria } => portfolio::unmap(store, out, &id, &criteria),
        Command::Search {
            words,
            learner,
            limit,
        } => portfolio::search(store, out, &words.join(" "), learner.as_deref(), limit),
        Command::Gaps {
            learner,
            currency_years,
        } => coverage::gaps(store, out, &learner, currency_years),
        Command::Coverage {
            learner,
            format,
            out: file,
        } => coverage::coverage(store, out, &learner, format, file.as_deref()),
        Command::Settings(cmd) => coverage::settings(store, out, cmd),
        other => return Answered::Elsewhere(other),
    })
}

/// Parses a list of FRAMEWORK:CODE references.
pub(crate) fn parse_refs(refs: &[String]) -> Result<Vec<evidence_core::CriterionRef>, CoreError> {
    refs.iter()
        .map(|r| evidence_core::CriterionRef::parse(r))
        .collect()
}

/// Writes text to a file (atomically) or standard output.
pub(crate) fn write_text(out: &Out, path: Option<&Path>, text: &str) -> Result<(), CoreError> {
    match path {
        Some(path) => {
            evidence_core::store::write_file_atomically(path, text.as_bytes())?;
            out.emit(
                &serde_json::json!({ "written": path.display().to_string(), "bytes": text.len() }),
                || format!("Wrote {} ({} bytes).", path.display(), text.len()),
            )
        }
        None => {
            crate::output::print_raw(text);
            Ok(())
        }
    }
}
