//! What the benchmarks share besides their data: timing calls round by round (median and 95th
//! percentile), and the result table with PASS / FAIL against each target. No external harness, so a
//! bench is a plain `main` that prints a table the docs can quote.

use std::time::{Duration, Instant};

use super::data::BenchResult;

/// Median and 95th percentile of a set of timed calls.
#[derive(Clone, Copy)]
pub struct Timing {
    pub median: Duration,
    pub p95: Duration,
}

pub type Task<'a> = Box<dyn FnMut() -> BenchResult<()> + 'a>;

/// Runs the tasks in turn, `warm_up` untimed rounds then `runs` timed ones, so that whatever else the
/// machine is doing affects each of them alike. A call's time includes dropping what it returned.
pub fn measure(warm_up: usize, runs: usize, tasks: &mut [Task<'_>]) -> BenchResult<Vec<Timing>> {
    rounds(warm_up, runs, tasks, &mut || Ok(()))?
        .iter_mut()
        .map(|s| Timing::of(s))
        .collect()
}

/// As `measure`, but every timed call's duration, task by task in the order they ran; `settle` runs
/// (untimed) before each call, so that no call pays for what the one before left behind.
pub fn rounds(
    warm_up: usize,
    runs: usize,
    tasks: &mut [Task<'_>],
    settle: &mut dyn FnMut() -> BenchResult<()>,
) -> BenchResult<Vec<Vec<Duration>>> {
    let mut samples = vec![Vec::with_capacity(runs); tasks.len()];
    for round in 0..warm_up + runs {
        for (task, samples) in tasks.iter_mut().zip(&mut samples) {
            settle()?;
            let start = Instant::now();
            task()?;
            if round >= warm_up {
                samples.push(start.elapsed());
            }
        }
    }
    Ok(samples)
}

impl Timing {
    /// The median and 95th percentile of `samples` (sorted in place).
    pub fn of(samples: &mut [Duration]) -> BenchResult<Timing> {
        samples.sort_unstable();
        let at = |q: f64| {
            samples
                .get(((samples.len().max(1) - 1) as f64 * q).round() as usize)
                .copied()
        };
        match (at(0.5), at(0.95)) {
            (Some(median), Some(p95)) => Ok(Timing { median, p95 }),
            _ => Err("no timed runs".into()),
        }
    }
}

/// The result table: one row per measure (what, median, p95, target, result).
#[derive(Default)]
pub struct Results {
    pub rows: Vec<[String; 5]>,
    pub missed: usize,
}

impl Results {
    /// A timing, judged against `target` when there is one.
    pub fn time(&mut self, what: &str, t: Timing, target: Option<Duration>) {
        let (target, result) = match target {
            Some(limit) => (
                format!("≤ {} ms", limit.as_millis()),
                self.verdict(t.median <= limit),
            ),
            None => (String::new(), String::new()),
        };
        self.rows
            .push([what.into(), ms(t.median), ms(t.p95), target, result]);
    }

    /// The ratio of two medians: judged against `target` when there is one, else for information.
    pub fn ratio(&mut self, what: &str, of: Timing, to: Timing, target: Option<f64>) {
        let ratio = of.median.as_secs_f64() / to.median.as_secs_f64();
        let (target, result) = match target {
            Some(limit) => (format!("≤ {limit}×"), self.verdict(ratio <= limit)),
            None => (String::new(), String::new()),
        };
        self.rows.push([
            what.into(),
            format!("{ratio:.2}×"),
            String::new(),
            target,
            result,
        ]);
    }

    pub fn verdict(&mut self, pass: bool) -> String {
        if !pass {
            self.missed += 1;
        }
        if pass { "PASS" } else { "FAIL" }.into()
    }

    pub fn print(&self) {
        println!();
        println!(
            "| {:<44} | {:>11} | {:>11} | {:>8} | {:<6} |",
            "measure (median of timed runs)", "median", "p95", "target", "result"
        );
        println!(
            "|{:-<46}|{:->13}|{:->13}|{:->10}|{:-<8}|",
            "", "", "", "", ""
        );
        for [what, median, p95, target, result] in &self.rows {
            println!("| {what:<44} | {median:>11} | {p95:>11} | {target:>8} | {result:<6} |");
        }
        println!();
        match self.missed {
            0 => println!("All targets met."),
            n => println!("{n} target(s) missed."),
        }
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}
