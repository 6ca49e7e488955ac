//! Long work beside the user's own: a bundle export or import, a big report, run on a thread of its
//! own at a lower scheduling priority (nice 5 on Linux), so that on a busy machine whatever the user
//! is waiting for meanwhile — the dashboard's coverage, the editor — is served first and the long work
//! takes the processor time that is left. Threads the work starts (hashing beside a copy, typesetting
//! a PDF) inherit the priority. Measured in `benches/beside_export.rs` (docs/performance.md).

use crate::error::{CoreError, Result};

/// The niceness long work runs at: enough below interactive work that calls beside it keep their
/// pace, not so far that other programs starve it (nice 10 made an export on a busy machine 6.5×
/// slower for the same gain; see docs/performance.md).
#[cfg(target_os = "linux")]
const NICE: i32 = 5;

/// Runs `work` on a new thread at background priority and returns what it returned; an error only
/// if the thread itself failed.
pub fn in_background<T: Send>(work: impl FnOnce() -> T + Send) -> Result<T> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("evidence-background".into())
            .spawn_scoped(scope, || {
                lower_this_threads_priority();
                work()
            })
            .map_err(|e| CoreError::Io(format!("cannot start the background work: {e}")))?
            .join()
            .map_err(|_| CoreError::Io("the background work stopped unexpectedly".into()))
    })
}

/// Best effort: the work runs the same, only sooner than it should, where this is refused.
#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux a thread is a task with its own id, and its own niceness.
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), NICE);
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_runs_and_its_result_comes_back() {
        // Borrowing from the caller is fine: the caller waits for the work.
        let outside = String::from("residents' forum");
        let length = in_background(|| outside.len()).unwrap();
        assert_eq!(length, 16);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_work_runs_at_background_priority_and_the_caller_does_not() {
        let mine = || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let before = mine();
        let inside = in_background(mine).unwrap();
        assert!(inside >= NICE.min(19), "niceness {inside} inside");
        assert_eq!(mine(), before, "the calling thread keeps its own");
    }
}
