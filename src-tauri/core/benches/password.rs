//! What a password costs (issue 16): the argon2id parameters were chosen so that a whole sign-in
//! stays within **0.5 s** on this machine while each guess costs an attacker well above OWASP's
//! minimum (the parameters and why: `src/accounts/kdf.rs`).
//!
//! Run with `cargo bench -p evidence-core --bench password`. Set up outside the timings: the
//! report benchmarks' portfolio (`support/portfolio.rs`: a centre, its administrator, an assessor
//! and a learner, each with a password and a signing key).
//!
//! Timed (1 warm-up round, then the timed ones):
//! - the physical limit: one argon2id derivation with the parameters read back from a stored hash
//!   (what every guess costs, on this machine);
//! - `sign_in` of the administrator (the hash, the signing key and the centre key: three
//!   derivations), of the assessor and of the learner (two) — each judged against 0.5 s, and shown
//!   as a ratio to the derivations it needs.

use std::hint::black_box;
use std::time::Duration;

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Params, Version};

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

const SIGN_IN_TARGET: Duration = Duration::from_millis(500);
const PASSWORD: &str = "benchmark password 1";

fn main() -> BenchResult<()> {
    let mut results = Results::default();
    let (_dir, mut store, _learner) = portfolio(5)?;
    let stored: String = store.raw_connection_for_tests().query_row(
        "SELECT password_hash FROM users WHERE username = 'admin'",
        [],
        |r| r.get(0),
    )?;
    let parsed = PasswordHash::new(&stored).map_err(|e| e.to_string())?;
    let params = Params::try_from(&parsed).map_err(|e| e.to_string())?;
    println!(
        "stored hash: argon2id m={} KiB, t={}, p={}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost()
    );
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut derivation: Vec<Task<'_>> = vec![Box::new(|| {
        let mut out = [0u8; 32];
        argon2
            .hash_password_into(
                black_box(PASSWORD.as_bytes()),
                b"sixteen byte slt",
                &mut out,
            )
            .map_err(|e| e.to_string())?;
        black_box(out);
        Ok(())
    })];
    let one = measure(1, 10, &mut derivation)?[0];
    drop(derivation);
    results.time("one argon2id derivation (a guess)", one, None);

    for (user, derivations) in [("admin", 3.0), ("asa", 2.0), ("lena", 2.0)] {
        let mut signing_in: Vec<Task<'_>> = vec![Box::new(|| {
            black_box(store.sign_in(user, Some(PASSWORD))?);
            Ok(())
        })];
        let timing = measure(1, 10, &mut signing_in)?[0];
        drop(signing_in);
        results.time(&format!("sign_in({user})"), timing, Some(SIGN_IN_TARGET));
        let floor = timing::Timing {
            median: one.median.mul_f64(derivations),
            p95: one.p95.mul_f64(derivations),
        };
        results.ratio(
            &format!("sign_in({user}) / {derivations} derivations"),
            timing,
            floor,
            None,
        );
    }
    results.print();
    if results.missed > 0 {
        return Err(format!("{} target(s) missed", results.missed).into());
    }
    Ok(())
}
