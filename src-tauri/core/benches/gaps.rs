//! Gap computation against a raw SQLite scan of the same mappings, on generated data.
//!
//! Run with `cargo bench -p evidence-core --bench gaps`. Two file-backed (WAL) stores are generated in
//! temporary directories, outside the timings:
//!
//! - one learner: a 300-criterion framework, 2,000 evidence items, 10,000 mappings;
//! - a cohort: 500 learners on the same framework, 400 items and 2,000 mappings each (1,000,000).
//!
//! Each computation is timed in turn with a raw scan that only steps the mapping rows and reads their
//! ids, in the same run, and the ratio of the medians is reported next to the absolute targets (2 ms
//! per learner, 200 ms per cohort, 1.5× the raw scan). The figures and how to read them are in
//! `docs/performance.md`.

use std::hint::black_box;
use std::time::Duration;

use rusqlite::Connection;

#[path = "support/data.rs"]
mod data;

#[path = "support/timing.rs"]
mod timing;

use data::{generated, BenchResult};
use timing::{measure, Results};

const ONE_LEARNER_ITEMS: usize = 2_000; // × 5 criteria = 10,000 mappings
const COHORT_LEARNERS: usize = 500;
const COHORT_ITEMS: usize = 400; // × 5 criteria × 500 learners = 1,000,000 mappings

const TARGET_LEARNER: Duration = Duration::from_millis(2);
const TARGET_COHORT: Duration = Duration::from_millis(200);
const TARGET_RATIO: f64 = 1.5;

/// Steps every row of `sql`, reading every column as an integer, as the gap computation must.
fn raw_scan(conn: &Connection, sql: &str, args: &[i64]) -> BenchResult<(usize, i64)> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let (mut count, mut sum) = (0usize, 0i64);
    while let Some(row) = rows.next()? {
        for column in 0..columns {
            sum = sum.wrapping_add(row.get::<_, i64>(column)?);
        }
        count += 1;
    }
    Ok((count, sum))
}

fn plan(conn: &Connection, sql: &str, args: &[i64]) -> BenchResult<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let details: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(args), |row| {
            row.get::<_, String>(3)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(details.join("; "))
}

fn main() -> BenchResult<()> {
    let mut report = Results::default();

    // One learner: 300 criteria, 2,000 items, 10,000 mappings.
    let (_dir, store, ids) = generated(1, ONE_LEARNER_ITEMS, 0x9E37_79B9_7F4A_7C15)?;
    let learner = ids.first().ok_or("no learner generated")?.as_str();
    let row_id: i64 = store.raw_connection_for_tests().query_row(
        "SELECT id FROM learners WHERE uuid = ?1",
        [learner],
        |r| r.get(0),
    )?;
    let learner_scan = "SELECT criterion_id, evidence_id FROM mappings WHERE learner_id = ?1";
    let coverage = store.coverage(learner)?;
    let cohort = store.cohort_coverage(None)?;
    if cohort.learners.first().map(|l| l.totals) != Some(coverage.totals) {
        return Err("cohort_coverage and coverage disagree".into());
    }
    println!(
        "  one learner: {} criteria ({} evidenced, {} draft only, {} without evidence, {} not current)",
        coverage.totals.criteria,
        coverage.totals.evidenced,
        coverage.totals.draft_only,
        coverage.totals.no_evidence,
        coverage.totals.not_current
    );
    println!(
        "  raw scan: {learner_scan}\n    plan: {}",
        plan(store.raw_connection_for_tests(), learner_scan, &[row_id])?
    );
    let t = measure(
        50,
        500,
        &mut [
            Box::new(|| {
                black_box(store.coverage(learner)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(store.gaps(learner, None)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(raw_scan(
                    store.raw_connection_for_tests(),
                    learner_scan,
                    &[row_id],
                )?);
                Ok(())
            }),
        ],
    )?;
    let (coverage_t, gaps_t, scan_t) = (t[0], t[1], t[2]);
    // The gap computation is `gaps()`; `coverage()` is the full report (every criterion, the evidence
    // list), shown for scale.
    report.time("one learner: gaps()", gaps_t, Some(TARGET_LEARNER));
    report.time("one learner: coverage() (full report)", coverage_t, None);
    report.time("one learner: raw scan of its mappings", scan_t, None);
    report.ratio("  gaps() / its mapping scan", gaps_t, scan_t, None);
    report.ratio("  coverage() / its mapping scan", coverage_t, scan_t, None);
    drop(store);

    // A cohort: 500 learners, 400 items and 2,000 mappings each.
    let (_dir, store, _) = generated(COHORT_LEARNERS, COHORT_ITEMS, 0xD1B5_4A32_D192_ED03)?;
    let cohort_scan = "SELECT learner_id, criterion_id, evidence_id FROM mappings";
    println!(
        "  raw scan: {cohort_scan}\n    plan: {}",
        plan(store.raw_connection_for_tests(), cohort_scan, &[])?
    );
    let t = measure(
        3,
        30,
        &mut [
            Box::new(|| {
                black_box(store.cohort_coverage(None)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(raw_scan(
                    store.raw_connection_for_tests(),
                    cohort_scan,
                    &[],
                )?);
                Ok(())
            }),
        ],
    )?;
    let (cohort_t, scan_t) = (t[0], t[1]);
    report.time("cohort: cohort_coverage()", cohort_t, Some(TARGET_COHORT));
    report.time("cohort: raw scan of the mapping table", scan_t, None);
    report.ratio(
        "  cohort_coverage() / raw scan",
        cohort_t,
        scan_t,
        Some(TARGET_RATIO),
    );

    // Spot checks that the cohort agrees with single-learner coverage at this size, and, for scale,
    // one of these learners' full coverage report (2,000 mappings among 1,000,000).
    let cohort = store.cohort_coverage(None)?;
    for learner in cohort.learners.iter().step_by(50) {
        if store.coverage(&learner.id)?.totals != learner.totals {
            return Err(
                format!("cohort_coverage and coverage disagree on {}", learner.name).into(),
            );
        }
    }
    let sample = cohort
        .learners
        .get(COHORT_LEARNERS / 2)
        .ok_or("no learners")?;
    let t = measure(
        20,
        200,
        &mut [Box::new(|| {
            black_box(store.coverage(&sample.id)?);
            Ok(())
        })],
    )?;
    report.time("cohort: coverage() of one learner", t[0], None);

    report.print();
    Ok(())
}
