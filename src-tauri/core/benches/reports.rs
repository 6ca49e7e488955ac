//! The reports (issue 5) timed end to end on generated data, against the targets: the
//! criterion coverage report as PDF for one learner in at most 300 ms, and the cohort summary as CSV
//! for 500 learners in at most 500 ms.
//!
//! Run with `cargo bench -p evidence-core --bench reports`. Three file-backed (WAL) stores are built in
//! temporary directories, outside the timings:
//!
//! - a realistic portfolio: one learner on the shipped frameworks (31 criteria), 60 evidence items,
//!   most criteria judged by the signed-in assessor (`support/portfolio.rs`);
//! - the worst case: the gap benchmark's generated learner (300 criteria, 2,000 items, 10,000
//!   mappings), the same report for information;
//! - the gap benchmark's cohort: 500 learners, 1,000,000 mappings.
//!
//! Each case times `Store::report` end to end (what the app's Export menu and the CLI call), and, to
//! show where the time goes, building the document (`Store::report_document`) and writing it
//! (`reports::render`) separately. Figures and how to read them are in `docs/performance.md`.

use std::hint::black_box;
use std::time::Duration;

use evidence_core::reports::{self, ReportFormat, ReportKind};
use evidence_core::Store;

#[path = "support/data.rs"]
mod data;
#[path = "support/portfolio.rs"]
mod portfolio;
#[path = "support/timing.rs"]
#[allow(dead_code)] // `Results::ratio` is not used: every target here is a time
mod timing;

use data::{generated, BenchResult};
use portfolio::portfolio;
use timing::{measure, Results, Task};

const PORTFOLIO_ITEMS: usize = 60;
const BIG_LEARNER_ITEMS: usize = 2_000; // × 5 criteria = 10,000 mappings, as in benches/gaps.rs
const COHORT_LEARNERS: usize = 500;
const COHORT_ITEMS: usize = 400;

const TARGET_PDF: Duration = Duration::from_millis(300);
const TARGET_COHORT_CSV: Duration = Duration::from_millis(500);

const GENERATED_AT: &str = "2026-11-22T10:00:00.000Z";

/// `Store::report`, as the app and the CLI call it.
fn report(
    store: &Store,
    kind: ReportKind,
    format: ReportFormat,
    learner: Option<&str>,
) -> BenchResult<Vec<u8>> {
    Ok(store.report(kind, format, learner, &mut |_| Ok(()))?)
}

/// The number of pages of a PDF: its page objects.
fn pages(pdf: &[u8]) -> usize {
    [&b"/Type /Page"[..], &b"/Type/Page"[..]]
        .iter()
        .map(|pattern| {
            pdf.windows(pattern.len() + 1)
                .filter(|w| w.starts_with(pattern) && !w[pattern.len()].is_ascii_alphabetic())
                .count()
        })
        .sum()
}

/// The five tasks timed for a one-learner coverage report: PDF, HTML and CSV end to end, then the
/// PDF's two halves (building the document; typesetting it).
fn coverage_tasks<'a>(
    store: &'a Store,
    learner: &'a str,
    document: &'a reports::Report,
) -> Vec<Task<'a>> {
    let one = move |format| -> Task<'a> {
        Box::new(move || {
            black_box(report(store, ReportKind::Coverage, format, Some(learner))?);
            Ok(())
        })
    };
    vec![
        one(ReportFormat::Pdf),
        one(ReportFormat::Html),
        one(ReportFormat::Csv),
        Box::new(move || {
            black_box(store.report_document(
                ReportKind::Coverage,
                Some(learner),
                GENERATED_AT,
                &mut |_| Ok(()),
            )?);
            Ok(())
        }),
        Box::new(move || {
            black_box(reports::render(document, ReportFormat::Pdf)?);
            Ok(())
        }),
    ]
}

/// Times the coverage report of `learner` and adds its rows, prefixed with `who`.
fn coverage_case(
    results: &mut Results,
    store: &Store,
    learner: &str,
    who: &str,
    (warm_up, runs): (usize, usize),
    target: Option<Duration>,
) -> BenchResult<()> {
    let document = store.report_document(
        ReportKind::Coverage,
        Some(learner),
        GENERATED_AT,
        &mut |_| Ok(()),
    )?;
    let pdf = report(
        store,
        ReportKind::Coverage,
        ReportFormat::Pdf,
        Some(learner),
    )?;
    if !pdf.starts_with(b"%PDF") {
        return Err("the coverage report is not a PDF".into());
    }
    let html = report(
        store,
        ReportKind::Coverage,
        ReportFormat::Html,
        Some(learner),
    )?;
    let csv = report(
        store,
        ReportKind::Coverage,
        ReportFormat::Csv,
        Some(learner),
    )?;
    println!(
        "  {who}: coverage PDF {} pages, {} KB; HTML {} KB; CSV {} rows, {} KB",
        pages(&pdf),
        pdf.len() / 1024,
        html.len() / 1024,
        document.csv.rows.len(),
        csv.len() / 1024
    );
    let t = measure(
        warm_up,
        runs,
        &mut coverage_tasks(store, learner, &document),
    )?;
    results.time(&format!("{who}: coverage PDF"), t[0], target);
    results.time(&format!("{who}: coverage HTML"), t[1], None);
    results.time(&format!("{who}: coverage CSV"), t[2], None);
    results.time("  report_document() (all formats)", t[3], None);
    results.time("  render() as PDF", t[4], None);
    Ok(())
}

fn main() -> BenchResult<()> {
    let mut results = Results::default();

    // A realistic portfolio, exported by its assessor.
    let (_dir, store, learner) = portfolio(PORTFOLIO_ITEMS)?;
    coverage_case(
        &mut results,
        &store,
        &learner,
        "60 items",
        (3, 30),
        Some(TARGET_PDF),
    )?;
    drop(store);

    // The worst case: the gap benchmark's 300-criterion, 2,000-item learner (no target).
    let (_dir, store, ids) = generated(1, BIG_LEARNER_ITEMS, 0x9E37_79B9_7F4A_7C15)?;
    let learner = ids.first().ok_or("no learner generated")?;
    coverage_case(&mut results, &store, learner, "2,000 items", (1, 5), None)?;
    drop(store);

    // The cohort summary for 500 learners.
    let (_dir, store, _) = generated(COHORT_LEARNERS, COHORT_ITEMS, 0xD1B5_4A32_D192_ED03)?;
    let document =
        store.report_document(ReportKind::Cohort, None, GENERATED_AT, &mut |_| Ok(()))?;
    let csv = report(&store, ReportKind::Cohort, ReportFormat::Csv, None)?;
    println!(
        "  cohort: CSV {} rows, {} KB",
        document.csv.rows.len(),
        csv.len() / 1024
    );
    let t = measure(
        2,
        20,
        &mut [
            Box::new(|| {
                black_box(report(&store, ReportKind::Cohort, ReportFormat::Csv, None)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(store.report_document(
                    ReportKind::Cohort,
                    None,
                    GENERATED_AT,
                    &mut |_| Ok(()),
                )?);
                Ok(())
            }),
            Box::new(|| {
                black_box(reports::render(&document, ReportFormat::Csv)?);
                Ok(())
            }),
            Box::new(|| {
                black_box(store.cohort_coverage(None)?);
                Ok(())
            }),
        ],
    )?;
    results.time("500 learners: cohort CSV", t[0], Some(TARGET_COHORT_CSV));
    results.time("  report_document()", t[1], None);
    results.time("  render() as CSV", t[2], None);
    results.time("  of which cohort_coverage()", t[3], None);

    results.print();
    Ok(())
}
