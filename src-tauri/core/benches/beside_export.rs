//! Work beside a long export: how much slower the dashboard's `coverage` of one learner gets while a
//! 5,000-item bundle export of another learner runs on a fork of the same store, on another thread
//! (as the app runs it: see `Store::fork` and src-tauri/app/src/jobs.rs). Target: the median call
//! during the export within **2×** the median idle call, measured in the same run.
//!
//! Run with `cargo bench -p evidence-core --bench beside_export`. Set up outside the timings, in a
//! temporary directory: the gap benchmark's generated data (`support/data.rs`, file-backed, WAL) for
//! two learners, A and B, each with 5,000 evidence items mapped to 5 of 300 criteria (25,000 mappings
//! each).
//!
//! Timed, round by round (1 warm-up round, then 3 timed): first `coverage(B)` on the store, idle,
//! `IDLE_CALLS` times; then a fork of the store exports A's portfolio bundle on a second thread while
//! this thread calls `coverage(B)` on the store again and again until the export ends (from its first
//! progress step to its return) — once with the export at background priority, as the app runs it
//! (`evidence_core::background`; judged), once at normal priority (for information). Each call is
//! timed alone; the medians and 95th percentiles of all timed rounds are compared. Figures and how to
//! read them are in `docs/performance.md`.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use evidence_core::bundles::BundleKind;
use evidence_core::Store;

#[path = "support/data.rs"]
mod data;
#[path = "support/timing.rs"]
#[allow(dead_code)] // `measure` and `rounds` are not used: calls are timed one by one here
mod timing;

use data::{generated, BenchResult};
use timing::{ms, Results, Timing};

const ITEMS: usize = 5_000;
const IDLE_CALLS: usize = 100;
const WARM_UP: usize = 1;
const ROUNDS: usize = 3;
const TARGET_RATIO: f64 = 2.0;

/// One call of what the dashboard asks for, timed.
fn coverage(store: &Store, learner: &str) -> BenchResult<Duration> {
    let start = Instant::now();
    black_box(store.coverage(learner)?);
    Ok(start.elapsed())
}

/// How the export's thread is scheduled.
#[derive(Clone, Copy, PartialEq)]
enum Priority {
    /// As the app runs long work: `evidence_core::background::in_background` (nice 5 on Linux).
    Background,
    /// At the same priority as the calls beside it, for comparison.
    Normal,
}

/// Calls `coverage(b)` on `store` for as long as a fork exports `a`'s bundle to `dest` on another
/// thread; returns each call's time and how long the export took.
fn beside_an_export(
    store: &Store,
    a: &str,
    b: &str,
    dest: &std::path::Path,
    priority: Priority,
) -> BenchResult<(Vec<Duration>, Duration)> {
    let fork = store.fork()?;
    let exporting = &AtomicBool::new(true);
    let (started_tx, started) = mpsc::channel::<()>();
    let export = move || -> Result<(Duration, usize), String> {
        let began = Instant::now();
        let mut first = Some(started_tx);
        let done = fork.export_bundle(a, BundleKind::Portfolio, dest, &mut |_| {
            if let Some(tx) = first.take() {
                let _ = tx.send(());
            }
            Ok(())
        });
        exporting.store(false, Ordering::SeqCst);
        Ok((began.elapsed(), done.map_err(|e| e.to_string())?.items))
    };
    std::thread::scope(|scope| {
        // The fork moves to the export's thread (a connection is used by one thread at a time).
        let export = scope.spawn(move || match priority {
            Priority::Background => {
                evidence_core::background::in_background(export).map_err(|e| e.to_string())?
            }
            Priority::Normal => export(),
        });
        // The export has begun (its first step) before the first call beside it.
        let _ = started.recv();
        let mut samples = Vec::new();
        while exporting.load(Ordering::SeqCst) {
            samples.push(coverage(store, b)?);
        }
        let (took, items) = export.join().map_err(|_| "the export thread panicked")??;
        if items != ITEMS {
            return Err(format!("the export held {items} items, not {ITEMS}").into());
        }
        Ok((samples, took))
    })
}

/// What one kind of round collected over the timed rounds.
#[derive(Default)]
struct Collected {
    calls: Vec<Duration>,
    exports: Vec<Duration>,
}

fn main() -> BenchResult<()> {
    let (dir, store, ids) = generated(2, ITEMS, 0x5EED_0FB3_51DE)?;
    let [a, b] = &ids[..] else {
        return Err("two learners expected".into());
    };
    let out = tempfile::tempdir()?;
    println!(
        "machine: {} CPU(s) available to this process",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut idle = Vec::new();
    let mut background = Collected::default();
    let mut normal = Collected::default();
    for round in 0..WARM_UP + ROUNDS {
        let mut idle_round = Vec::with_capacity(IDLE_CALLS);
        for _ in 0..IDLE_CALLS {
            idle_round.push(coverage(&store, b)?);
        }
        let mut line = format!(
            "  round {}{}: idle median {}",
            round + 1,
            if round < WARM_UP { " (warm-up)" } else { "" },
            ms(Timing::of(&mut idle_round.clone())?.median)
        );
        if round >= WARM_UP {
            idle.extend(idle_round);
        }
        for (priority, name, into) in [
            (Priority::Background, "background", &mut background),
            (Priority::Normal, "normal", &mut normal),
        ] {
            let dest = out.path().join(format!("a-{round}-{name}.zip"));
            let (calls, took) = beside_an_export(&store, a, b, &dest, priority)?;
            let size = std::fs::metadata(&dest)?.len();
            std::fs::remove_file(&dest)?;
            line.push_str(&format!(
                "; beside the export at {name} priority ({:.2} s, {:.1} MB) {} calls, median {}",
                took.as_secs_f64(),
                size as f64 / 1e6,
                calls.len(),
                ms(Timing::of(&mut calls.clone())?.median),
            ));
            if round >= WARM_UP {
                into.calls.extend(calls);
                into.exports.push(took);
            }
        }
        println!("{line}");
    }
    let idle_t = Timing::of(&mut idle)?;
    let mut results = Results::default();
    results.time(&format!("coverage(B), idle ({})", idle.len()), idle_t, None);
    for (name, c, target) in [
        ("background", &mut background, Some(TARGET_RATIO)),
        ("normal", &mut normal, None),
    ] {
        let busy_t = Timing::of(&mut c.calls)?;
        results.time(
            &format!("coverage(B), export at {name} ({})", c.calls.len()),
            busy_t,
            None,
        );
        results.ratio("  beside / idle (medians)", busy_t, idle_t, target);
        let p95_ratio = busy_t.p95.as_secs_f64() / idle_t.p95.as_secs_f64();
        results.rows.push([
            "  beside / idle (95th percentiles)".into(),
            format!("{p95_ratio:.2}×"),
            String::new(),
            String::new(),
            String::new(),
        ]);
        results.time(
            "  export_bundle(A) on a fork",
            Timing::of(&mut c.exports)?,
            None,
        );
    }
    results.print();
    drop(store);
    drop(out);
    drop(dir);
    Ok(())
}
