//! The preview of a new version of a framework in use (`Store::preview_framework_import`): what
//! happens to every learner's mappings and judgements. Target: **500 learners** in under
//! **500 ms** (release build), and, for scale, its ratio to the physical limit measured in the
//! same run: one raw SQLite scan of the mappings it must read.
//!
//! Run with `cargo bench -p evidence-core --bench version_preview`. The portfolio is generated
//! outside the timings (support/data.rs: 500 learners × 20 items × 5 mappings = 50,000 mappings on a
//! 300-criterion qualification); the new version removes 10 criteria and rewords 10. Timed: 3
//! warm-up rounds, then 20.

use std::hint::black_box;
use std::time::Duration;

use evidence_core::frameworks::ImportOutcome;

#[path = "support/data.rs"]
mod data;
#[path = "support/timing.rs"]
mod timing;

use data::{generated, BenchResult};
use timing::{measure, Results, Task};

const TARGET: Duration = Duration::from_millis(500);
const LEARNERS: usize = 500;
const ITEMS: usize = 20;

fn main() -> BenchResult<()> {
    let (_dir, store, _ids) = generated(LEARNERS, ITEMS, 0xD1B5_4A32_D192_ED03)?;
    let mut next = store.framework("BENCH-L3", None)?;
    next.version = "2".into();
    for criterion in next.criteria.iter_mut().step_by(30) {
        criterion.text.push_str(", in a community setting");
    }
    let removed: Vec<String> = next
        .criteria
        .iter()
        .skip(15)
        .step_by(30)
        .map(|c| c.code.clone())
        .collect();
    next.criteria.retain(|c| !removed.contains(&c.code));
    let preview = store.preview_framework_import(&next)?;
    if preview.outcome != ImportOutcome::NewVersion || preview.learners.len() != LEARNERS {
        return Err(format!(
            "expected a new version affecting {LEARNERS} learners, got {:?} for {}",
            preview.outcome,
            preview.learners.len()
        )
        .into());
    }
    let on_removed: usize = preview.learners.iter().map(|l| l.mappings_on_removed).sum();
    let carried: usize = preview.learners.iter().map(|l| l.mappings_carried).sum();
    println!(
        "  preview: {} removed, {} reworded; {} learners, {carried} mappings carried, {on_removed} on removed criteria",
        preview.removed.len(),
        preview.reworded.len(),
        preview.learners.len()
    );
    let conn = store.raw_connection_for_tests();
    let scan = "SELECT m.learner_id, m.criterion_id FROM mappings m";
    let mut tasks: Vec<Task<'_>> = vec![
        Box::new(|| {
            black_box(store.preview_framework_import(black_box(&next))?);
            Ok(())
        }),
        Box::new(|| {
            let mut stmt = conn.prepare_cached(scan)?;
            let mut rows = stmt.query([])?;
            let mut n = 0usize;
            while let Some(row) = rows.next()? {
                n += black_box(row.get::<_, i64>(0)?) as usize & 1;
            }
            black_box(n);
            Ok(())
        }),
    ];
    let timings = measure(3, 20, &mut tasks)?;
    let mut results = Results::default();
    results.time(
        "preview a new version for 500 learners",
        timings[0],
        Some(TARGET),
    );
    results.time("raw scan of the 50,000 mappings", timings[1], None);
    results.ratio("preview ÷ raw scan", timings[0], timings[1], None);
    results.print();
    Ok(())
}
