//! What signing costs. Two targets (issue 14): signing and verifying add no more than **2 ms** to a
//! judgement, and `audit verify` of **100,000 entries** stays under **2 s**.
//!
//! Run with `cargo bench -p evidence-core --bench signing` (`BENCH_ENTRIES=N` for a smaller trail).
//! Set up outside the timings, in a temporary directory: the report benchmarks' realistic portfolio
//! (`support/portfolio.rs`, 60 items, the assessor signed in), then, for the audit, as many entries
//! as asked for, each a real write by the administrator (a changed setting), signed as the app signs.
//!
//! Timed (1 warm-up round, then the timed ones):
//! - what a judgement adds: the Ed25519 signature of a statement the size the core signs, and its
//!   verification (ed25519-dalek, as the core calls it) — judged against 2 ms together;
//! - `judge()` itself, and `judgement()` (which verifies the key signature on every read), whole;
//! - `verify_audit()` over the trail — judged against 2 s — beside the physical limit: one plain
//!   scan of the same rows with SQLite (every column read), whose ratio is shown for information.

use std::hint::black_box;
use std::time::Duration;

use ed25519_dalek::{Signer, SigningKey, Verifier};
use evidence_core::review::Outcome;

#[path = "support/data.rs"]
#[allow(dead_code)] // only the result type is used here
mod data;
#[path = "support/portfolio.rs"]
mod portfolio;
#[path = "support/timing.rs"]
mod timing;

use data::BenchResult;
use portfolio::portfolio;
use timing::{measure, Results, Task};

const SIGNING_TARGET: Duration = Duration::from_millis(2);
const VERIFY_TARGET: Duration = Duration::from_millis(2000);
const ENTRIES: usize = 100_000;

fn main() -> BenchResult<()> {
    let entries: usize = std::env::var("BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ENTRIES);
    let mut results = Results::default();
    let (_dir, mut store, learner) = portfolio(60)?;

    // The statement a judgement's key signs is about 350 bytes of JSON.
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let public = key.verifying_key();
    let statement = vec![b'x'; 350];
    let mut primitives: Vec<Task<'_>> = vec![Box::new(|| {
        let signature = key.sign(black_box(&statement));
        public.verify(&statement, &signature)?;
        Ok(())
    })];
    let sign_verify = measure(20, 200, &mut primitives)?[0];
    drop(primitives);
    results.time(
        "sign + verify one statement",
        sign_verify,
        Some(SIGNING_TARGET),
    );

    // Judged again as the portfolio's first judgement was: the same criterion, the same items.
    let first = store
        .judgements(&learner)?
        .into_iter()
        .next()
        .ok_or("the portfolio has no judgement")?;
    let reference = first.reference.clone();
    let cited: Vec<String> = first.evidence.iter().map(|e| e.id.clone()).collect();
    let last = std::cell::RefCell::new(String::new());
    let mut judging: Vec<Task<'_>> = vec![Box::new(|| {
        let judged = store.judge(&learner, &reference, Outcome::Met, "Clear account.", &cited)?;
        *last.borrow_mut() = judged.id;
        Ok(())
    })];
    let judge = measure(5, 100, &mut judging)?[0];
    drop(judging);
    results.time("judge() (a signed judgement, whole)", judge, None);
    let id = last.borrow().clone();
    let mut reading: Vec<Task<'_>> = vec![Box::new(|| {
        black_box(store.judgement(&id)?);
        Ok(())
    })];
    let read = measure(5, 100, &mut reading)?[0];
    drop(reading);
    results.time("judgement() (read, key signature checked)", read, None);

    // The trail: the portfolio's entries and then settings changes by the administrator.
    store.sign_in("admin", Some("benchmark password 1"))?;
    let have = store
        .history(evidence_core::audit::HistoryScope::All)?
        .len();
    let started = std::time::Instant::now();
    for i in have..entries {
        store.set_lock_after_minutes(1 + (i % 200) as u32)?;
    }
    println!(
        "audit trail of {} entries written in {:.1} s",
        entries.max(have),
        started.elapsed().as_secs_f64()
    );
    let conn = store.raw_connection_for_tests();
    let mut verifying: Vec<Task<'_>> = vec![
        Box::new(|| {
            let report = store.verify_audit()?;
            if !report.intact {
                return Err(format!("the trail is not intact: {:?}", report.problems).into());
            }
            black_box(report);
            Ok(())
        }),
        Box::new(|| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after,
                        prev_hash, hash, key_id, signature FROM audit_log ORDER BY seq",
            )?;
            let mut rows = stmt.query([])?;
            let mut bytes = 0usize;
            while let Some(row) = rows.next()? {
                for column in 0..13 {
                    if let rusqlite::types::ValueRef::Text(t) = row.get_ref(column)? {
                        bytes += t.len();
                    }
                }
            }
            black_box(bytes);
            Ok(())
        }),
    ];
    let timings = measure(1, 3, &mut verifying)?;
    let label = format!("verify_audit() of {} entries", entries.max(have));
    results.time(&label, timings[0], Some(VERIFY_TARGET));
    results.time("plain SQLite scan of the same rows", timings[1], None);
    results.ratio("verify_audit / plain scan", timings[0], timings[1], None);
    results.print();
    if results.missed > 0 {
        return Err(format!("{} target(s) missed", results.missed).into());
    }
    Ok(())
}
