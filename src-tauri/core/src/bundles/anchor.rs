//! Checking this installation's audit trail against a head it printed earlier, in a bundle it
//! exported or a report it wrote (`audit verify --against FILE`). A trail rewritten since — even one
//! whose entries were all hashed and signed again — no longer holds that entry as it was, and a
//! file kept elsewhere (sent to the awarding body, on a USB stick) cannot be rewritten with it.

use std::io::Read;
use std::path::Path;

use rusqlite::OptionalExtension;

use super::{Limits, OpenedBundle};
use crate::audit::{AuditHead, AuditProblem, AuditReport};
use crate::error::{CoreError, Result};
use crate::store::Store;

/// The most of a report this reads while looking for its head.
const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

impl Store {
    /// [`Store::verify_audit`], and also whether the trail still holds the head recorded in `file`
    /// (a bundle this installation exported, or an HTML or CSV report it wrote) unchanged.
    pub fn verify_audit_against(&self, file: &Path) -> Result<AuditReport> {
        let mut report = self.verify_audit()?;
        let head = recorded_head(self, file)?;
        let shown = file.display();
        let now: Option<String> = self
            .verify_proof()?
            .query_row(
                "SELECT hash FROM audit_log WHERE seq = ?1",
                [head.seq],
                |r| r.get(0),
            )
            .optional()?;
        let problem = match now {
            Some(hash) if hash == head.hash => None,
            Some(_) => Some(format!(
                "entry {} is not the entry {shown} recorded: the trail was rewritten after that file was made",
                head.seq
            )),
            None => Some(format!(
                "entry {}, recorded in {shown}, is no longer in the trail: entries were removed after that file was made",
                head.seq
            )),
        };
        if let Some(message) = problem {
            report
                .problems
                .push(AuditProblem::new(head.seq, "rewritten", message));
            report.intact = false;
        }
        Ok(report)
    }

    fn verify_proof(&self) -> Result<&rusqlite::Connection> {
        let allowed = self.acting()?;
        Ok(self.read(&allowed))
    }
}

/// The head `file` records: a bundle's manifest (which must be this installation's) or the first
/// head printed in a report's text.
fn recorded_head(store: &Store, file: &Path) -> Result<AuditHead> {
    let shown = file.display();
    let mut start = [0u8; 4];
    let is_zip = std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut start))
        .map(|_| start == *b"PK\x03\x04")
        .unwrap_or(false);
    if is_zip {
        let bundle = OpenedBundle::open_within(file, None, &Limits::default(), &mut |_, _| Ok(()))?;
        let m = &bundle.manifest;
        if m.origin != store.installation_id()? {
            return Err(CoreError::invalid(format!(
                "{shown} was exported by another installation ({}): it records that installation's trail, not this one's",
                m.origin
            )));
        }
        return m.audit_head.clone().ok_or_else(|| {
            CoreError::invalid(format!(
                "{shown} records no audit head (it was made by an earlier version)"
            ))
        });
    }
    let mut text = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_REPORT_BYTES).read_to_end(&mut text))
        .map_err(|e| CoreError::invalid(format!("{shown} cannot be read: {e}")))?;
    AuditHead::find_in(&String::from_utf8_lossy(&text)).ok_or_else(|| {
        CoreError::invalid(format!(
            "{shown} records no audit head: give a bundle this computer exported or an HTML or CSV report it wrote"
        ))
    })
}
