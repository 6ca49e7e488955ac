//! Long work — a bundle export or import, a report export — runs as a *job*: on a thread of its own
//! at background priority, with its own connection to the portfolio ([`evidence_core::Store::fork`], taken inside the store's
//! mutex and used outside it), so every other command goes on being answered meanwhile. The window
//! names each job; `cancel_job` sets that job's flag, which the job's progress callback reads at every
//! step and answers with [`CoreError::Cancelled`]: the core then stops and keeps nothing of the work.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use evidence_core::reports::ReportProgress;
use evidence_core::{CoreError, ErrorPayload};
use tauri::ipc::Channel;

/// The longest job id the window may choose.
const MAX_ID_LEN: usize = 64;

/// The shortest time between two progress updates sent to the window.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

type Running = HashMap<String, Arc<AtomicBool>>;

/// The jobs running now, each with its cancel flag.
#[derive(Default, Clone)]
pub struct Jobs {
    running: Arc<Mutex<Running>>,
}

/// One running job: its cancel flag, and its entry in [`Jobs`] until it is dropped.
pub struct Job {
    id: String,
    cancelled: Arc<AtomicBool>,
    jobs: Jobs,
}

impl Jobs {
    /// A flag that was set in a thread that then failed is still a flag: the map stays usable.
    fn lock(&self) -> MutexGuard<'_, Running> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a job under the id the window chose (letters, digits, `-` and `_`, at most 64),
    /// refusing one already running.
    pub fn start(&self, id: &str) -> Result<Job, ErrorPayload> {
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if id.is_empty() || id.len() > MAX_ID_LEN || !id.chars().all(plain) {
            return Err(CoreError::InvalidInput(format!(
                "a job id is 1 to {MAX_ID_LEN} letters, digits, '-' or '_'"
            ))
            .to_payload());
        }
        let cancelled = Arc::new(AtomicBool::new(false));
        let mut running = self.lock();
        if running.contains_key(id) {
            return Err(
                CoreError::Conflict(format!("a job called {id} is already running")).to_payload(),
            );
        }
        running.insert(id.to_string(), Arc::clone(&cancelled));
        Ok(Job {
            id: id.to_string(),
            cancelled,
            jobs: self.clone(),
        })
    }

    /// Asks the job to stop; false when no job of that id is running (it has finished already).
    pub fn cancel(&self, id: &str) -> bool {
        match self.lock().get(id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Asks every running job to stop (on signing out: a job acts for the user who started it).
    pub fn cancel_all(&self) {
        for flag in self.lock().values() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        let mut running = self.jobs.lock();
        if running
            .get(&self.id)
            .is_some_and(|flag| Arc::ptr_eq(flag, &self.cancelled))
        {
            running.remove(&self.id);
        }
    }
}

impl Job {
    /// Whether the window asked this job to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The progress callback to give the core: at every step it answers `Cancelled` once the job is
    /// asked to stop (so the core stops there); otherwise it forwards the step to the window, at most
    /// ten times a second but always the last step of a stage. A closed window only stops the
    /// progress bar, not the work. `what` names the work in the error, e.g. "the bundle export".
    pub fn progress<'a>(
        &'a self,
        channel: &'a Channel<ReportProgress>,
        what: &'static str,
    ) -> impl FnMut(ReportProgress) -> Result<(), CoreError> + 'a {
        let mut last_sent: Option<Instant> = None;
        move |p: ReportProgress| {
            if self.is_cancelled() {
                return Err(CoreError::Cancelled(format!(
                    "{what} was cancelled; nothing of it was kept"
                )));
            }
            let due = last_sent.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
            if due || p.done == p.total {
                last_sent = Some(Instant::now());
                let _ = channel.send(p);
            }
            Ok(())
        }
    }
}

/// Runs `work` off the command threads: from Tauri's blocking pool, on a thread of its own at
/// background priority ([`evidence_core::background`]: what the user does meanwhile is served first),
/// so that neither the command threads nor the async runtime wait on it; resolves when it is done.
pub async fn off_the_command_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ErrorPayload> + Send + 'static,
) -> Result<T, ErrorPayload> {
    tauri::async_runtime::spawn_blocking(|| {
        evidence_core::background::in_background(work).map_err(|e| e.to_payload())?
    })
    .await
    .map_err(|e| ErrorPayload::internal(format!("the work stopped unexpectedly: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_known_while_it_runs_and_its_flag_is_set_by_cancel() {
        let jobs = Jobs::default();
        let job = jobs.start("export-1").unwrap();
        assert!(!job.is_cancelled());
        assert_eq!(
            jobs.start("export-1").err().map(|e| e.code.as_str()),
            Some("conflict")
        );
        assert!(jobs.cancel("export-1"));
        assert!(job.is_cancelled());
        drop(job);
        assert!(!jobs.cancel("export-1"), "a finished job is gone");
        assert!(jobs.start("export-1").is_ok(), "and its id free again");
    }

    #[test]
    fn job_ids_are_short_and_plain() {
        let jobs = Jobs::default();
        for bad in ["", "a b", "../x", &"x".repeat(65)] {
            assert_eq!(
                jobs.start(bad).err().map(|e| e.code.as_str()),
                Some("invalid_input"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_progress_callback_answers_cancelled_once_the_job_is_cancelled() {
        let jobs = Jobs::default();
        let job = jobs.start("report-1").unwrap();
        let channel: Channel<ReportProgress> = Channel::new(|_| Ok(()));
        let mut tell = job.progress(&channel, "the report export");
        let step = ReportProgress {
            stage: "Writing page 1".into(),
            done: 1,
            total: 9,
        };
        assert!(tell(step.clone()).is_ok());
        jobs.cancel("report-1");
        let err = tell(step).unwrap_err();
        assert_eq!(err.code(), "cancelled");
        assert!(err.to_string().contains("the report export"), "{err}");
    }

    #[test]
    fn cancel_all_reaches_every_running_job() {
        let jobs = Jobs::default();
        let (a, b) = (jobs.start("a").unwrap(), jobs.start("b").unwrap());
        jobs.cancel_all();
        assert!(a.is_cancelled() && b.is_cancelled());
    }
}
