//! What encryption at rest costs (issue 16): opening an encrypted portfolio takes no more than
//! **1.3×** opening the same portfolio in plaintext, and so does the gap computation on it.
//!
//! Run with `cargo bench -p evidence-core --bench encryption`. Set up outside the timings: the
//! report benchmarks' portfolio (`support/portfolio.rs`, 60 items with attachments, judgements and
//! sign-offs) in one data directory, a copy of it in another, and the copy encrypted in place
//! (`Store::encrypt_in_place`, SQLCipher under a raw 256-bit key).
//!
//! Timed (3 warm-up rounds, then 30, the two stores taking turns): `Store::open` of each (migrations
//! checked, the connection policy set, the shipped frameworks found), and `gaps()` for the learner on
//! each, with the assessor signed in. The plaintext figures are the physical limit here: the same
//! work on the same data with no cipher. Then, without a target (1 warm-up, 10 rounds), the whole
//! first sign-in at a closed encrypted portfolio (`Store::open_signed_in`, the key unsealed from the
//! keyring) against opening the plaintext one and signing in.

use std::hint::black_box;

use evidence_core::store::DataKey;
use evidence_core::Store;

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

const RATIO_TARGET: f64 = 1.3;
const PASSWORD: &str = "benchmark password 1";
const KEY: [u8; 32] = [0x5a; 32];

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn main() -> BenchResult<()> {
    let mut results = Results::default();
    let (plain_dir, store, learner) = portfolio(60)?;
    drop(store);
    let encrypted_dir = tempfile::tempdir()?;
    copy_dir(plain_dir.path(), encrypted_dir.path())?;
    Store::encrypt_in_place(encrypted_dir.path(), &DataKey::from_bytes(KEY))?;

    let mut opening: Vec<Task<'_>> = vec![
        Box::new(|| {
            black_box(Store::open(plain_dir.path())?);
            Ok(())
        }),
        Box::new(|| {
            black_box(Store::open_encrypted(
                encrypted_dir.path(),
                DataKey::from_bytes(KEY),
            )?);
            Ok(())
        }),
    ];
    let open = measure(3, 30, &mut opening)?;
    drop(opening);
    results.time("open the plaintext portfolio", open[0], None);
    results.time("open the encrypted portfolio", open[1], None);
    results.ratio(
        "open: encrypted / plaintext",
        open[1],
        open[0],
        Some(RATIO_TARGET),
    );

    let mut plain = Store::open(plain_dir.path())?;
    plain.sign_in("asa", Some(PASSWORD))?;
    let mut encrypted = Store::open_encrypted(encrypted_dir.path(), DataKey::from_bytes(KEY))?;
    encrypted.sign_in("asa", Some(PASSWORD))?;
    let mut gaps: Vec<Task<'_>> = vec![
        Box::new(|| {
            black_box(plain.gaps(&learner, None)?);
            Ok(())
        }),
        Box::new(|| {
            black_box(encrypted.gaps(&learner, None)?);
            Ok(())
        }),
    ];
    let gap = measure(3, 30, &mut gaps)?;
    drop(gaps);
    results.time("gaps() on the plaintext portfolio", gap[0], None);
    results.time("gaps() on the encrypted portfolio", gap[1], None);
    results.ratio(
        "gaps: encrypted / plaintext",
        gap[1],
        gap[0],
        Some(RATIO_TARGET),
    );

    // What a person waits for at a closed portfolio: the whole first sign-in (open, unseal the key,
    // check the password, open the signing key) against opening a plaintext one and signing in. No
    // target: the extra argon2id derivation is the point (each guess at the keyring costs as much).
    let sealed_dir = tempfile::tempdir()?;
    copy_dir(plain_dir.path(), sealed_dir.path())?;
    {
        let mut store = Store::open(sealed_dir.path())?;
        store.sign_in("admin", Some(PASSWORD))?;
        store.encrypt_at_rest(PASSWORD)?;
        // The assessor signs in once while it is open, and so gets a seal.
        store.sign_in("asa", Some(PASSWORD))?;
    }
    let mut first: Vec<Task<'_>> = vec![
        Box::new(|| {
            let mut store = Store::open(plain_dir.path())?;
            black_box(store.sign_in("asa", Some(PASSWORD))?);
            Ok(())
        }),
        Box::new(|| {
            black_box(Store::open_signed_in(
                sealed_dir.path(),
                "asa",
                Some(PASSWORD),
            )?);
            Ok(())
        }),
    ];
    let signed_in = measure(1, 10, &mut first)?;
    drop(first);
    results.time("open + sign in, plaintext", signed_in[0], None);
    results.time(
        "first sign-in at the closed encrypted portfolio",
        signed_in[1],
        None,
    );
    results.ratio(
        "first sign-in: encrypted / plaintext",
        signed_in[1],
        signed_in[0],
        None,
    );
    results.print();
    if results.missed > 0 {
        return Err(format!("{} target(s) missed", results.missed).into());
    }
    Ok(())
}
