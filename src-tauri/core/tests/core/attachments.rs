//! Attachments: stored once by content in the content-addressed folder, originals untouched, missing
//! or unreadable files refused with nothing written, image previews for thumbnails.

use evidence_core::evidence::Status;

use crate::common::{add, blob_files, dump, enrolled, fresh};

#[test]
fn attachments_are_stored_once_by_content_and_the_original_is_untouched() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Fay");
    let one = add(&mut fx.store, &learner, "One", Status::Draft, "2026-02-01");
    let two = add(&mut fx.store, &learner, "Two", Status::Draft, "2026-02-02");
    let source_dir = tempfile::tempdir().unwrap();
    let photo = source_dir.path().join("meeting photo.png");
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&photo, &bytes).unwrap();
    let modified = std::fs::metadata(&photo).unwrap().modified().unwrap();

    let first = fx.store.attach(&one.id, &photo).unwrap();
    let copy = source_dir.path().join("copy.png");
    std::fs::write(&copy, &bytes).unwrap();
    let second = fx.store.attach(&two.id, &copy).unwrap();
    assert_eq!(first.sha256, second.sha256);
    assert_eq!(
        (
            first.file_name.as_str(),
            first.media_type.as_str(),
            first.size
        ),
        ("meeting photo.png", "image/png", 100_000)
    );
    let stored = fx.store.attachment_path(&first.sha256).unwrap();
    assert_eq!(std::fs::read(&stored).unwrap(), bytes);
    assert!(stored.starts_with(fx.dir.path().join("attachments")));
    assert_eq!(blob_files(&fx).len(), 1, "the same content is stored once");
    assert_eq!(
        std::fs::read(&photo).unwrap(),
        bytes,
        "the original is never modified"
    );
    assert_eq!(
        std::fs::metadata(&photo).unwrap().modified().unwrap(),
        modified
    );

    let again = fx.store.attach(&one.id, &photo).unwrap_err();
    assert_eq!(again.code(), "conflict");
    assert_eq!(fx.store.evidence(&one.id).unwrap().attachments.len(), 1);
}

#[test]
fn a_missing_attachment_is_refused_and_nothing_is_written() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Gus");
    let item = add(&mut fx.store, &learner, "One", Status::Draft, "2026-02-01");
    let before = dump(&fx.store);
    let err = fx
        .store
        .attach(&item.id, std::path::Path::new("/nonexistent/photo.jpg"))
        .unwrap_err();
    assert_eq!(err.code(), "attachment_unreadable");
    assert!(err.to_string().contains("/nonexistent/photo.jpg"), "{err}");
    let err = fx.store.attach(&item.id, fx.dir.path()).unwrap_err();
    assert_eq!(
        err.code(),
        "attachment_unreadable",
        "a directory is not a file"
    );
    assert_eq!(before, dump(&fx.store));
    assert!(blob_files(&fx).is_empty());
}

#[test]
fn images_get_a_data_url_preview_and_other_files_do_not() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Pia");
    let item = add(
        &mut fx.store,
        &learner,
        "Photos",
        Status::Draft,
        "2026-02-01",
    );
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("photo.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let svg = dir.path().join("drawing.svg");
    std::fs::write(&svg, b"<svg onload='alert(1)'/>").unwrap();
    let png = fx.store.attach(&item.id, &png).unwrap();
    let svg = fx.store.attach(&item.id, &svg).unwrap();
    let preview = fx
        .store
        .attachment_preview(&png.sha256)
        .unwrap()
        .expect("a PNG has a preview");
    assert!(preview.starts_with("data:image/png;base64,"), "{preview}");
    assert_eq!(
        fx.store.attachment_preview(&svg.sha256).unwrap(),
        None,
        "SVG can carry scripts"
    );
    assert_eq!(
        fx.store
            .attachment_preview(&"0".repeat(64))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

/// A link to someone else's file (as root, `/etc/shadow`) must not become an attachment: the link
/// is refused, not followed, and nothing is written.
#[cfg(unix)]
#[test]
fn symbolic_links_are_refused_not_followed() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Sid");
    let item = add(&mut fx.store, &learner, "One", Status::Draft, "2026-02-01");
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, b"another learner's health notes").unwrap();
    let link = dir.path().join("notes.txt");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let before = dump(&fx.store);
    let err = fx.store.attach(&item.id, &link).unwrap_err();
    assert_eq!(err.code(), "attachment_unreadable");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    // A link to a directory, and a named pipe that would block a reader, are refused too.
    let dir_link = dir.path().join("folder");
    std::os::unix::fs::symlink(dir.path(), &dir_link).unwrap();
    assert_eq!(
        fx.store.attach(&item.id, &dir_link).unwrap_err().code(),
        "attachment_unreadable"
    );
    assert_eq!(before, dump(&fx.store));
    assert!(blob_files(&fx).is_empty());
}

/// File names are kept in one Unicode form; names that would mislead (a right-to-left override
/// turning `gpj.exe` around, a newline, bytes that are not UTF-8) are refused by name.
#[test]
fn misleading_file_names_are_refused_and_others_normalised() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Noor");
    let item = add(&mut fx.store, &learner, "One", Status::Draft, "2026-02-01");
    let dir = tempfile::tempdir().unwrap();
    let before = dump(&fx.store);
    let mut refused = vec![
        dir.path().join("minutes\u{202e}gpj.exe"),
        dir.path().join("two\nlines.txt"),
        dir.path().join("zero\u{200b}width.txt"),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        refused.push(
            dir.path()
                .join(std::ffi::OsStr::from_bytes(b"latin1-caf\xe9.txt")),
        );
    }
    for (i, path) in refused.iter().enumerate() {
        std::fs::write(path, format!("content {i}")).unwrap();
        let err = fx.store.attach(&item.id, path).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{}", path.display());
        assert!(err.to_string().contains("rename the file"), "{err}");
    }
    assert_eq!(before, dump(&fx.store));
    assert!(blob_files(&fx).is_empty());

    let decomposed = dir.path().join("cafe\u{301}.txt");
    std::fs::write(&decomposed, b"menu").unwrap();
    let kept = fx.store.attach(&item.id, &decomposed).unwrap();
    assert_eq!(kept.file_name, "caf\u{e9}.txt");
}

/// Everything the store writes is its owner's alone: the data directory, the database and every
/// stored attachment, whatever the umask.
#[cfg(unix)]
#[test]
fn the_data_directory_and_its_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ola");
    let item = add(&mut fx.store, &learner, "One", Status::Draft, "2026-02-01");
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, b"jpeg bytes").unwrap();
    fx.store.attach(&item.id, &photo).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(fx.dir.path()), 0o700);
    assert_eq!(mode(&fx.dir.path().join("evidence.sqlite3")), 0o600);
    let blobs = blob_files(&fx);
    assert_eq!(blobs.len(), 1);
    for (blob, _) in blobs {
        assert_eq!(mode(std::path::Path::new(&blob)), 0o600, "{blob}");
    }
}
