//! Reading specification text (`frameworks::spec_text::parse`). Target: a **3,000-line**
//! specification in under **100 ms** (release build).
//!
//! Run with `cargo bench -p evidence-core --bench spec_text`. The text is generated, outside the
//! timings, as a PDF copy looks: units with their facts (reference, level, credit value, GLH),
//! learning outcomes and assessment criteria wrapped over two lines, and on every page a running
//! header, a page number and a copyright footer. Timed (3 warm-up rounds, then 30): that text, and
//! for information a paste of about 1 MB made of the same units.

use std::hint::black_box;
use std::time::Duration;

use evidence_core::frameworks::spec_text::{parse, SpecMeta};
use evidence_core::frameworks::FrameworkKind;

#[path = "support/data.rs"]
#[allow(dead_code)] // only the result type is used here
mod data;
#[path = "support/timing.rs"]
#[allow(dead_code)] // `Results::ratio` is not used: the target here is a time
mod timing;

use data::BenchResult;
use timing::{measure, Results, Task};

const TARGET: Duration = Duration::from_millis(100);
const LINES: usize = 3_000;

/// About `lines` lines of specification text: units of 5 outcomes × 5 criteria.
fn spec_text(lines: usize) -> String {
    let mut out: Vec<String> = Vec::with_capacity(lines + 64);
    let mut unit = 0;
    while out.len() < lines {
        unit += 1;
        out.push(format!("Unit {unit}: Working with Community Groups {unit}"));
        out.push(format!("Unit reference number: H/650/{:04}", unit));
        out.push("Level: 3".into());
        out.push("Credit value: 6".into());
        out.push("Guided learning hours: 48".into());
        out.push("Learning outcomes The learner will: Assessment criteria The learner can:".into());
        for o in 1..=5 {
            out.push(format!("{o}. Understand how community groups form and"));
            out.push(format!("develop in their neighbourhood, part {o}"));
            for c in 1..=5 {
                out.push(format!(
                    "{o}.{c} Describe the stages that a community group may go through as it"
                ));
                out.push(format!(
                    "develops, with partner-ship working and cross-sectoral links ({c})."
                ));
            }
        }
    }
    // Page furniture every 45 lines: footer, page number, blank line, running header.
    let mut paged = Vec::with_capacity(out.len() + out.len() / 10);
    for (i, line) in out.into_iter().enumerate() {
        if i > 0 && i % 45 == 0 {
            paged.push("© NOCN 2026".to_string());
            paged.push(format!("Page {} of 80", i / 45));
            paged.push(String::new());
            paged.push("NOCN Level 3 Certificate in Community Development".to_string());
        }
        paged.push(line);
    }
    paged.truncate(lines);
    paged.join("\n")
}

fn main() -> BenchResult<()> {
    let meta = SpecMeta {
        code: "BENCH-SPEC".into(),
        title: "Generated specification".into(),
        version: "1".into(),
        kind: FrameworkKind::Qualification,
        source: "benches/spec_text.rs".into(),
    };
    let text = spec_text(LINES);
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big = spec_text(big.lines().count() + 3_000);
    }
    for (what, text) in [("3,000 lines", &text), ("1 MB", &big)] {
        let draft = parse(text, &meta)?;
        println!(
            "  {what}: {} lines, {} bytes → {} groups, {} criteria, {} unplaced",
            text.lines().count(),
            text.len(),
            draft.doc.groups.len(),
            draft.doc.criteria.len(),
            draft.unplaced.len()
        );
    }
    let mut tasks: Vec<Task<'_>> = vec![
        Box::new(|| {
            black_box(parse(black_box(&text), &meta)?);
            Ok(())
        }),
        Box::new(|| {
            black_box(parse(black_box(&big), &meta)?);
            Ok(())
        }),
    ];
    let timings = measure(3, 30, &mut tasks)?;
    let mut results = Results::default();
    results.time("parse a 3,000-line specification", timings[0], Some(TARGET));
    results.time("parse a 1 MB paste", timings[1], None);
    results.print();
    Ok(())
}
