//! Attachments on an encrypted portfolio: encrypting seals every stored file in place, files attached
//! afterwards and files a bundle brings are stored sealed, and nothing an item holds — its text, its
//! files, a learner's name — is found in any file under the data directory. Whoever may read an item
//! still opens its files (a thumbnail, a bundle for another computer carries the content itself); a
//! sealed file changed on disk is reported, never shown; a sealing pass cut off is finished at the
//! next sign-in.

use std::path::{Path, PathBuf};

use base64::Engine;
use evidence_core::bundles::BundleKind;
use evidence_core::evidence::blob_path;

use crate::access::PASSWORD;
use crate::encryption::{centre_with_secret, SECRET};

const PHOTO: &[u8] = b"\x89PNG\r\n\x1a\nmeeting photo of the tenants' committee";
const SEALED_MAGIC: &[u8] = b"ETBLOB1\n";

/// Every file under `dir`, with its bytes.
fn every_file(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
}

/// What `grep -r` would find of `needles` under `dir`: (file, needle) pairs.
fn grep_r(dir: &Path, needles: &[&[u8]]) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    every_file(dir, &mut files);
    let mut found = Vec::new();
    for (path, bytes) in files {
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == *needle) {
                found.push((path.clone(), String::from_utf8_lossy(needle).into_owned()));
            }
        }
    }
    found
}

#[test]
fn attachments_are_sealed_and_still_open_for_whoever_may_read_them() {
    let mut c = centre_with_secret();
    let dir = c.fx.dir.path().to_path_buf();
    // The test's own source files were written into the folder; they are not the store's.
    for word in ["garden", "zeppelin"] {
        std::fs::remove_file(dir.join(format!("{word}.txt"))).unwrap();
    }
    let outside = tempfile::tempdir().unwrap();
    let photo = outside.path().join("committee.png");
    std::fs::write(&photo, PHOTO).unwrap();
    let s = &mut c.fx.store;
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    let photo_sha = s.attach(&c.lena_item, &photo).unwrap().sha256;
    s.sign_in("admin", Some(PASSWORD)).unwrap();
    let done = s.encrypt_at_rest(PASSWORD).unwrap();
    assert_eq!(done.attachments, 3, "two notes and the photo");

    // Lena attaches another file, now sealed as it is stored.
    let later = outside.path().join("later.txt");
    std::fs::write(&later, "written after the encryption").unwrap();
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    let later_sha = s.attach(&c.lena_item, &later).unwrap().sha256;
    for sha in [&photo_sha, &later_sha] {
        let stored = std::fs::read(blob_path(&dir, sha)).unwrap();
        assert!(stored.starts_with(SEALED_MAGIC));
    }
    let needles: [&[u8]; 6] = [
        b"notes on the garden",
        b"notes on the zeppelin",
        b"meeting photo of the tenants",
        b"written after the encryption",
        SECRET.as_bytes(),
        b"Lena Learner",
    ];
    assert_eq!(
        grep_r(&dir, &needles),
        vec![],
        "readable under the data directory"
    );

    // She still sees her photo's thumbnail: the very bytes.
    let url = s.attachment_preview(&photo_sha).unwrap().unwrap();
    let encoded = url.strip_prefix("data:image/png;base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(bytes, PHOTO);

    // Her bundle carries the content, which a plaintext computer stores as it is.
    let bundle = outside.path().join("lena.evidence");
    s.export_bundle(&c.lena, BundleKind::Portfolio, &bundle, &mut |_| Ok(()))
        .unwrap();
    let mut laptop = crate::common::fresh();
    laptop
        .store
        .import_bundle(&bundle, &mut |_| Ok(()))
        .unwrap();
    let there = std::fs::read(laptop.store.attachment_path(&photo_sha).unwrap()).unwrap();
    assert_eq!(there, PHOTO);
    let item = laptop.store.evidence(&c.lena_item).unwrap();
    assert_eq!(item.attachments.len(), 3);

    // A sealed file changed on disk is reported, not shown.
    let stored = blob_path(&dir, &photo_sha);
    let mut changed = std::fs::read(&stored).unwrap();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    std::fs::write(&stored, changed).unwrap();
    let err = s.attachment_preview(&photo_sha).unwrap_err();
    assert_eq!(err.code(), "io_error", "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn a_bundle_brought_to_an_encrypted_portfolio_is_stored_sealed() {
    // A learner's laptop (plaintext) sends her portfolio to the centre, which is encrypted.
    let mut laptop = crate::common::fresh();
    let learner = crate::common::enrolled(&mut laptop.store, "Kit Learner");
    let item = crate::common::add(
        &mut laptop.store,
        &learner,
        "Kit's minutes",
        evidence_core::evidence::Status::Draft,
        "2026-10-03",
    );
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("minutes.txt");
    std::fs::write(&file, "minutes kept by the secretary").unwrap();
    let sha = laptop.store.attach(&item.id, &file).unwrap().sha256;
    let bundle = outside.path().join("kit.evidence");
    laptop
        .store
        .export_bundle(&learner, BundleKind::Portfolio, &bundle, &mut |_| Ok(()))
        .unwrap();

    let mut c = centre_with_secret();
    c.fx.store.encrypt_at_rest(PASSWORD).unwrap();
    let dir = c.fx.dir.path().to_path_buf();
    // Staged while the bundle is checked: already sealed, as a crash at that moment would leave it.
    let mut staged_plaintext = None;
    let cancelled = c.fx.store.import_bundle(&bundle, &mut |p| {
        if p.stage == "Copying files" {
            staged_plaintext = Some(grep_r(&dir, &[b"minutes kept by the secretary"]));
            return Err(evidence_core::CoreError::Cancelled(
                "stopped to look".into(),
            ));
        }
        Ok(())
    });
    assert_eq!(cancelled.unwrap_err().code(), "cancelled");
    assert_eq!(
        staged_plaintext,
        Some(vec![]),
        "plaintext in the staging folder"
    );
    c.fx.store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
    assert!(std::fs::read(blob_path(&dir, &sha))
        .unwrap()
        .starts_with(SEALED_MAGIC));
    assert_eq!(grep_r(&dir, &[b"minutes kept by the secretary"]), vec![]);
}

#[test]
fn a_sealing_pass_cut_off_is_finished_at_the_next_sign_in() {
    let mut c = centre_with_secret();
    let dir = c.fx.dir.path().to_path_buf();
    c.fx.store.encrypt_at_rest(PASSWORD).unwrap();
    drop(c.fx.store);
    // What a crash half-way through the pass leaves: one file still plaintext, and the marker.
    let stored = blob_path(&dir, &c.lena_blob);
    std::fs::write(&stored, "notes on the garden").unwrap();
    std::fs::write(dir.join("attachments").join(".sealing"), b"").unwrap();
    let store = evidence_core::Store::open_signed_in(&dir, "admin", Some(PASSWORD)).unwrap();
    assert!(std::fs::read(&stored).unwrap().starts_with(SEALED_MAGIC));
    assert!(!dir.join("attachments").join(".sealing").exists());
    drop(store);
    // And the file reads back as it was, for Lena.
    let mut lena = evidence_core::Store::open_signed_in(&dir, "admin", Some(PASSWORD)).unwrap();
    lena.sign_in("lena", Some(PASSWORD)).unwrap();
    let bundle = tempfile::tempdir().unwrap();
    let path = bundle.path().join("b.evidence");
    lena.export_bundle(&c.lena, BundleKind::Portfolio, &path, &mut |_| Ok(()))
        .unwrap();
    let mut other = crate::common::fresh();
    other.store.import_bundle(&path, &mut |_| Ok(())).unwrap();
    let copy = std::fs::read_to_string(other.store.attachment_path(&c.lena_blob).unwrap()).unwrap();
    assert_eq!(copy, "notes on the garden");
}
