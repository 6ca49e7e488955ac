//! Hostile bundles past the reader's limits: too large a file, too many entries, too large a
//! manifest, a file or all of them together too large uncompressed. Each is read within limits
//! scaled down to the good bundle (a bundle past the real ones, gigabytes or 100,000 entries, would
//! take too long to build), and must be refused before anything is decompressed or written.

use evidence_core::bundles::Limits;

use super::{case, run, within, BAD};
use crate::bundle_kit::{Data, Kit};

/// The good bundle's files' sizes, uncompressed: the manifest's, the largest other's, and all.
fn sizes() -> (u64, u64, u64) {
    let kit = Kit::good();
    let size = |d: &Data| match d {
        Data::File(bytes) => bytes.len() as u64,
        _ => 0,
    };
    let manifest = kit.file("manifest.json").len() as u64;
    let largest = kit
        .entries
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .map(|(_, d)| size(d))
        .max()
        .unwrap();
    let all = kit.entries.iter().map(|(_, d)| size(d)).sum();
    (manifest, largest, all)
}

#[test]
fn bundles_past_the_limits_are_refused_before_anything_is_decompressed() {
    let (manifest, largest, all) = sizes();
    assert!(all > manifest.max(largest), "the good bundle has one file");
    let entries = Kit::good().entries.len();
    let limits = Limits::default();
    run(vec![
        within(
            Limits {
                bundle_bytes: 1000,
                ..limits
            },
            case(
                "bundle_file_too_large",
                BAD,
                "the bundle is * bytes; the limit is 1000",
                |k, _| k.bytes(),
            ),
        ),
        within(
            Limits {
                entries: entries - 1,
                ..limits
            },
            case(
                "too_many_entries",
                BAD,
                "the bundle has * entries; the limit is",
                |k, _| k.bytes(),
            ),
        ),
        within(
            Limits {
                // Every file but the largest fits.
                file_bytes: largest - 1,
                ..limits
            },
            case(
                "file_too_large",
                BAD,
                "bytes uncompressed; the limit is",
                |k, _| k.bytes(),
            ),
        ),
        within(
            Limits {
                // Each file fits; together they do not.
                file_bytes: manifest.max(largest),
                total_bytes: all - 1,
                ..limits
            },
            case(
                "total_uncompressed_too_large",
                BAD,
                "the bundle's files come to * bytes uncompressed; the limit is",
                |k, _| k.bytes(),
            ),
        ),
        within(
            Limits {
                manifest_bytes: manifest - 1,
                ..limits
            },
            case(
                "manifest_too_large",
                BAD,
                "manifest.json is over * bytes",
                |k, _| k.bytes(),
            ),
        ),
    ]);
}
