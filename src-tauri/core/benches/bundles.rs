//! Portfolio bundles (issue 6) with 1 GB of attachments, timed against simply copying and hashing the
//! same bytes: export and import each within 1.3× of that baseline.
//!
//! Run with `cargo bench -p evidence-core --bench bundles`. Set up outside the timings, in temporary
//! directories: a file-backed store with one learner enrolled on the shipped frameworks (as the tests'
//! `enrolled` fixture), 40 evidence items, and 20 files of 50 MiB of pseudo-random (incompressible,
//! like photos and video) bytes attached to every other item through `Store::attach` (1,000 MiB).
//!
//! Timed in turn, round by round (1 warm-up round, 5 timed; about 1 GB per call); before each call,
//! untimed, the earlier calls' copies and bundles are removed and everything written is flushed
//! (`sync`), so that no call pays for the writeback of the one before:
//!
//! - the baseline: every blob read, SHA-256'd and written to another directory, 1 MiB at a time;
//! - the same with each copy `fsync`ed, as the export and the import do (for information);
//! - `Store::export_bundle` of the portfolio to a file;
//! - `Store::import_bundle` of that bundle into a fresh data directory (a new learner);
//! - `Store::verify_bundle` of it (for information).
//!
//! Every call writes to its own directory (nothing is deleted inside a timing); everything is
//! removed at the end. Figures and how to read them are in `docs/performance.md`.

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use evidence_core::bundles::BundleKind;
use evidence_core::evidence::{blob_path, Method, NewEvidence, Status};
use evidence_core::Store;
use sha2::{Digest, Sha256};

#[path = "support/data.rs"]
#[allow(dead_code)] // only `BenchResult` is needed here
mod data;
#[path = "support/timing.rs"]
#[allow(dead_code)] // `measure` is not used: each round's time is shown, not only the median
mod timing;

use data::BenchResult;
use timing::{rounds, Results, Task, Timing};

const ITEMS: usize = 40;
const FILES: usize = 20; // one on every other item
const FILE_BYTES: usize = 50 * 1024 * 1024;
const WARM_UP: usize = 1;
const RUNS: usize = 5;
const TARGET_RATIO: f64 = 1.3;

/// Fills `buf` with a cheap deterministic generator (xorshift64*): incompressible, not secret.
fn fill(buf: &mut [u8], seed: u64) {
    let mut state = seed | 1;
    for chunk in buf.chunks_mut(8) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let word = state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
}

/// The portfolio: returns the data directory, the store, the learner's id and the blobs' paths.
fn portfolio() -> BenchResult<(tempfile::TempDir, Store, String, Vec<PathBuf>)> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(dir.path())?;
    let learner = store.add_learner("Lee Chen", None)?.id;
    store.enrol(&learner, "NOCN-L3-CD", &["PWC".into()])?;
    store.enrol(&learner, "CD-NOS", &[])?;
    let sources = tempfile::tempdir()?;
    let mut bytes = vec![0u8; FILE_BYTES];
    let mut blobs = Vec::new();
    let day = NaiveDate::from_ymd_opt(2026, 10, 1).ok_or("date")?;
    for i in 0..ITEMS {
        let item = store.add_evidence(&NewEvidence {
            learner: learner.clone(),
            title: format!("Residents' forum, session {}", i + 1),
            method: Method::DirectObservation,
            activity_date: day,
            body_markdown: format!("I chaired session {} and recorded it on video.", i + 1),
            status: Status::Submitted,
            witness: Default::default(),
        })?;
        if i % (ITEMS / FILES) == 0 {
            fill(&mut bytes, 0x9E37_79B9_7F4A_7C15 ^ i as u64);
            let source = sources.path().join(format!("session-{:02}.mp4", i + 1));
            std::fs::write(&source, &bytes)?;
            let attached = store.attach(&item.id, &source)?;
            std::fs::remove_file(&source)?;
            blobs.push(blob_path(dir.path(), &attached.sha256));
        }
    }
    println!(
        "built a portfolio: {ITEMS} evidence items, {} files of {} MiB attached, in {:.1} s",
        blobs.len(),
        FILE_BYTES / (1024 * 1024),
        started.elapsed().as_secs_f64()
    );
    Ok((dir, store, learner, blobs))
}

/// The baseline: each blob read, hashed and written to `to`, 1 MiB at a time (and `fsync`ed when
/// `sync`). Returns the digests, so none of the work can be skipped.
fn copy_and_hash(blobs: &[PathBuf], to: &Path, sync: bool) -> BenchResult<Vec<[u8; 32]>> {
    std::fs::create_dir_all(to)?;
    let mut buf = vec![0u8; 1024 * 1024];
    let mut digests = Vec::with_capacity(blobs.len());
    for (n, blob) in blobs.iter().enumerate() {
        let mut from = File::open(blob)?;
        let mut out = File::create(to.join(n.to_string()))?;
        let mut hasher = Sha256::new();
        loop {
            let read = from.read(&mut buf)?;
            if read == 0 {
                break;
            }
            hasher.update(&buf[..read]);
            out.write_all(&buf[..read])?;
        }
        if sync {
            out.sync_all()?;
        }
        digests.push(hasher.finalize().into());
    }
    Ok(digests)
}

fn seconds(samples: &[Duration]) -> String {
    let all: Vec<String> = samples
        .iter()
        .map(|d| format!("{:.2}", d.as_secs_f64()))
        .collect();
    format!("{} s", all.join(", "))
}

fn main() -> BenchResult<()> {
    let (data_dir, store, learner, blobs) = portfolio()?;
    let total: u64 = blobs
        .iter()
        .map(|b| std::fs::metadata(b).map(|m| m.len()))
        .sum::<std::io::Result<u64>>()?;
    let out = tempfile::tempdir()?;
    let bundle = out.path().join("portfolio.zip");
    let exported =
        store.export_bundle(&learner, BundleKind::Portfolio, &bundle, &mut |_| Ok(()))?;
    let check = store.verify_bundle(&bundle)?;
    if check.sha256 != exported.sha256 || check.bytes != exported.bytes {
        return Err("the export's SHA-256 is not the bundle file's".into());
    }
    println!(
        "  bundle: {} files, {:.1} MB ({:.1} MB attached), SHA-256 {}",
        check.files,
        exported.bytes as f64 / 1e6,
        total as f64 / 1e6,
        &exported.sha256[..16]
    );
    // Fresh data directories for the imports, made beforehand (opening a store is not timed).
    let mut targets = Vec::new();
    for _ in 0..WARM_UP + RUNS {
        let dir = tempfile::tempdir_in(out.path())?;
        let store = Store::open(dir.path())?;
        targets.push((dir, store));
    }
    // Each call writes somewhere new: nothing is deleted inside a timing.
    let made = std::cell::Cell::new(0usize);
    let next = || {
        made.set(made.get() + 1);
        out.path().join(format!("out-{}", made.get()))
    };
    let mut next_target = targets.iter_mut();
    let samples = {
        let mut tasks: Vec<Task<'_>> = vec![
            Box::new(|| {
                black_box(copy_and_hash(&blobs, &next(), false)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(copy_and_hash(&blobs, &next(), true)?);
                Ok(())
            }),
            Box::new(|| {
                let e =
                    store
                        .export_bundle(&learner, BundleKind::Portfolio, &next(), &mut |_| Ok(()))?;
                if e.items != ITEMS || e.files != check.files {
                    return Err("the export does not hold the whole portfolio".into());
                }
                Ok(())
            }),
            Box::new(|| {
                let (_, target) = next_target.next().ok_or("no fresh data directory left")?;
                let report = target.import_bundle(&bundle, &mut |_| Ok(()))?;
                if report.attachments_added != FILES || report.items_added != ITEMS {
                    return Err("the import did not bring the whole portfolio".into());
                }
                Ok(())
            }),
            Box::new(|| {
                black_box(store.verify_bundle(&bundle)?);
                Ok(())
            }),
        ];
        // Before each call, untimed: the earlier calls' output removed and everything written so
        // far flushed to disk, so no call pays for the writeback of the one before.
        let mut settle = || -> BenchResult<()> {
            for n in 1..=made.get() {
                let path = out.path().join(format!("out-{n}"));
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else if path.exists() {
                    std::fs::remove_file(&path)?;
                }
            }
            std::process::Command::new("sync").status()?;
            Ok(())
        };
        rounds(WARM_UP, RUNS, &mut tasks, &mut settle)?
    };
    let names = [
        "baseline: copy + SHA-256 of the blobs",
        "  the same, each copy fsynced",
        "export_bundle() (portfolio, to a file)",
        "import_bundle() (into a fresh data dir)",
        "verify_bundle()",
    ];
    println!("  timed rounds ({RUNS} after {WARM_UP} warm-up; the p95 column is the slowest):");
    let mut t = Vec::new();
    for (name, mut s) in names.iter().zip(samples) {
        println!("    {name}: {}", seconds(&s));
        t.push(Timing::of(&mut s)?);
    }
    let mut results = Results::default();
    let [base, synced, export, import, verify] = t[..] else {
        return Err("missing timings".into());
    };
    results.time(names[0], base, None);
    results.time(names[1], synced, None);
    results.time(names[2], export, None);
    results.ratio("  export / baseline", export, base, Some(TARGET_RATIO));
    results.ratio("  export / fsynced baseline", export, synced, None);
    results.time(names[3], import, None);
    results.ratio("  import / baseline", import, base, Some(TARGET_RATIO));
    results.ratio("  import / fsynced baseline", import, synced, None);
    results.time(names[4], verify, None);
    results.ratio("  verify / baseline", verify, base, None);
    results.print();

    drop(targets);
    drop(store);
    drop(out);
    drop(data_dir);
    Ok(())
}
