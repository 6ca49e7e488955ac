//! Stopping long work part-way: the progress callback answers `Cancelled` at its n-th call, for every
//! n the work reaches. A bundle export then leaves neither the bundle nor its temporary file; an
//! import leaves the data directory (database rows and every file) and the audit trail exactly as
//! they were; a PDF report leaves no file. For a bundle only the last step ("Done", once the work is
//! kept) comes too late to cancel. And a fork of the store reads while another connection holds a
//! write transaction.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;

use evidence_core::audit::HistoryScope;
use evidence_core::bundles::BundleKind;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::reports::{ReportFormat, ReportKind, ReportProgress};
use evidence_core::{CoreError, Store};

use crate::bundle_kit::snapshot;
use crate::bundles::{export, laptop};
use crate::common::{add, enrolled, fresh, refs, Fixture};

/// Bytes of the large attachment: past the size at which a file is hashed on a second thread, and
/// several chunks long, so a cancel can land in the middle of it.
const LARGE: usize = 6 * 1024 * 1024 + 123;

/// A progress callback that answers `Cancelled` at its `at`-th call (counting from 1; 0 never) and
/// records every stage it was told.
fn cancel_at(
    at: usize,
    seen: &mut Vec<String>,
) -> impl FnMut(ReportProgress) -> Result<(), CoreError> + '_ {
    move |p| {
        seen.push(p.stage);
        if seen.len() == at {
            Err(CoreError::Cancelled("stopped by the test".into()))
        } else {
            Ok(())
        }
    }
}

/// The laptop's portfolio with a large file attached too.
fn laptop_with_a_large_file() -> (Fixture, String) {
    let (mut a, lee, items) = laptop();
    let video = a.dir.path().join("forum.mp4");
    let bytes: Vec<u8> = (0..LARGE).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&video, bytes).unwrap();
    a.store.attach(&items[1], &video).unwrap();
    std::fs::remove_file(&video).unwrap();
    (a, lee)
}

/// The names in a folder.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The stages a run tells, in order, when nobody cancels.
fn calls(run: impl FnOnce(&mut dyn FnMut(ReportProgress) -> Result<(), CoreError>)) -> Vec<String> {
    let mut seen = Vec::new();
    run(&mut cancel_at(0, &mut seen));
    seen
}

/// The stages an export of `kind` tells when nobody cancels (the bundle it made is removed again).
fn export_steps(fx: &Fixture, learner: &str, kind: BundleKind, out: &Path) -> Vec<String> {
    calls(|progress| {
        let dest = out.join("uncancelled.zip");
        fx.store
            .export_bundle(learner, kind, &dest, progress)
            .unwrap();
        std::fs::remove_file(dest).unwrap();
    })
}

#[test]
fn a_bundle_export_cancelled_at_any_step_leaves_no_bundle_and_no_temporary_file() {
    let (a, lee) = laptop_with_a_large_file();
    let out = tempfile::tempdir().unwrap();
    let steps = export_steps(&a, &lee, BundleKind::Portfolio, out.path());
    assert!(
        steps
            .iter()
            .filter(|s| s.starts_with("Adding file"))
            .count()
            > 3,
        "the large file is told chunk by chunk: {steps:?}"
    );
    assert!(
        steps
            .iter()
            .filter(|s| *s == "Reading the portfolio")
            .count()
            >= 3,
        "reading is told item by item: {steps:?}"
    );
    for at in 1..steps.len() {
        let dest = out.path().join("cancelled.zip");
        let mut seen = Vec::new();
        let err = a
            .store
            .export_bundle(
                &lee,
                BundleKind::Portfolio,
                &dest,
                &mut cancel_at(at, &mut seen),
            )
            .unwrap_err();
        assert_eq!(
            err.code(),
            "cancelled",
            "at step {at} ({}): {err}",
            seen[at - 1]
        );
        assert_eq!(seen.len(), at, "nothing more is told after the cancel");
        assert!(
            names(out.path()).is_empty(),
            "cancelled at step {at} ({}): {:?} left behind",
            seen[at - 1],
            names(out.path())
        );
    }
    // "Done" comes after the bundle is in place: too late to undo, so not asked.
    let dest = out.path().join("late.zip");
    let mut seen = Vec::new();
    a.store
        .export_bundle(
            &lee,
            BundleKind::Portfolio,
            &dest,
            &mut cancel_at(steps.len(), &mut seen),
        )
        .unwrap();
    assert_eq!(seen.last().map(String::as_str), Some("Done"));
    assert!(a.store.verify_bundle(&dest).is_ok());
}

#[test]
fn a_quality_assurance_bundle_cancelled_while_its_reports_are_written_leaves_nothing() {
    let (a, lee) = laptop_with_a_large_file();
    let out = tempfile::tempdir().unwrap();
    let steps = export_steps(&a, &lee, BundleKind::QualityAssurance, out.path());
    let reports: Vec<usize> = (1..=steps.len())
        .filter(|&at| steps[at - 1] == "Writing the reports")
        .collect();
    assert!(reports.len() > 3, "told per report and per page: {steps:?}");
    // Before the first report, in the middle of them, at the last page of the last.
    for at in [
        reports[0],
        reports[reports.len() / 2],
        reports[reports.len() - 1],
    ] {
        let err = a
            .store
            .export_bundle(
                &lee,
                BundleKind::QualityAssurance,
                &out.path().join("qa.zip"),
                &mut cancel_at(at, &mut Vec::new()),
            )
            .unwrap_err();
        assert_eq!(err.code(), "cancelled");
        assert!(names(out.path()).is_empty(), "{:?}", names(out.path()));
    }
}

/// The database rows, the files of the data directory and the audit trail, for "nothing changed".
/// (database dump, files by path) and the audit trail's hashes.
type State = ((String, BTreeMap<String, Vec<u8>>), Vec<String>);

fn state_of(fx: &Fixture) -> State {
    let trail = fx
        .store
        .history(HistoryScope::All)
        .unwrap()
        .into_iter()
        .map(|e| format!("{e:?}"))
        .collect();
    (snapshot(fx), trail)
}

/// Imports `bundle` into copies of a target, cancelling at every step the import reaches; each time
/// the target must be exactly as it was. Returns the steps of an import nobody cancels.
fn cancel_every_step(bundle: &Path, target: impl Fn() -> Fixture) -> Vec<String> {
    let steps = calls(|progress| {
        target().store.import_bundle(bundle, progress).unwrap();
    });
    for at in 1..steps.len() {
        let mut fx = target();
        let before = state_of(&fx);
        let mut seen = Vec::new();
        let err = fx
            .store
            .import_bundle(bundle, &mut cancel_at(at, &mut seen))
            .unwrap_err();
        assert_eq!(
            err.code(),
            "cancelled",
            "at step {at} ({}): {err}",
            seen[at - 1]
        );
        assert_eq!(seen.len(), at, "nothing more is told after the cancel");
        let after = state_of(&fx);
        assert!(
            before == after,
            "cancelled at step {at} ({}), the data directory changed",
            seen[at - 1]
        );
        assert!(fx.store.verify_audit().unwrap().intact);
    }
    steps
}

#[test]
fn an_import_cancelled_at_any_step_writes_nothing_and_leaves_no_staged_file() {
    let (a, lee) = laptop_with_a_large_file();
    let out = tempfile::tempdir().unwrap();
    let bundle = export(&a.store, &lee, out.path(), "lee.zip");
    let steps = cancel_every_step(&bundle, fresh);
    for stage in ["Checking the bundle", "Copying files", "Writing"] {
        assert!(
            steps.iter().filter(|s| *s == stage).count() > 1,
            "\"{stage}\" is told file by file or item by item: {steps:?}"
        );
    }
}

#[test]
fn an_import_that_would_update_items_cancelled_at_any_step_leaves_them_as_they_were() {
    let (mut a, lee) = laptop_with_a_large_file();
    let out = tempfile::tempdir().unwrap();
    let first = export(&a.store, &lee, out.path(), "first.zip");
    // The laptop carries on: one item changed, one added, after the centre had the first bundle.
    let item = a.store.list_evidence(&lee, &Default::default()).unwrap()[0]
        .id
        .clone();
    a.store
        .edit_evidence(
            &item,
            &EvidenceEdit {
                title: Some("Residents' meeting (minutes agreed)".into()),
                ..EvidenceEdit::default()
            },
        )
        .unwrap();
    let new = add(
        &mut a.store,
        &lee,
        "Closing the forum",
        Status::Submitted,
        "2026-10-20",
    );
    a.store
        .map_evidence(&new.id, &refs(&["CD-NOS:CLDSCCD15.PC2"]), None)
        .unwrap();
    let second = export(&a.store, &lee, out.path(), "second.zip");
    let centre = || {
        let mut fx = fresh();
        fx.store.import_bundle(&first, &mut |_| Ok(())).unwrap();
        fx
    };
    let steps = cancel_every_step(&second, centre);
    assert!(steps.iter().any(|s| s == "Writing"), "{steps:?}");
}

#[test]
fn a_pdf_report_cancelled_part_way_leaves_no_file() {
    let mut fx = fresh();
    let lena = enrolled(&mut fx.store, "Lena Learner");
    for n in 0..24 {
        let item = add(
            &mut fx.store,
            &lena,
            &format!(
                "Residents' forum, session {n}: who came, what was agreed and what comes next"
            ),
            Status::Submitted,
            "2026-10-01",
        );
        fx.store
            .map_evidence(
                &item.id,
                &refs(&[
                    "NOCN-L3-CD:PWC.1.1",
                    "CD-NOS:CLDSCCD15.PC1",
                    "CD-NOS:CLDSCCD15.K1",
                ]),
                None,
            )
            .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("coverage.pdf");
    // As the app saves a report: built, then written atomically once it is all there.
    let save = |progress: &mut dyn FnMut(ReportProgress) -> Result<(), CoreError>| {
        fx.store
            .report(
                ReportKind::Coverage,
                ReportFormat::Pdf,
                Some(&lena),
                progress,
            )
            .and_then(|bytes| evidence_core::store::write_file_atomically(&path, &bytes))
    };
    let steps = calls(|progress| save(progress).unwrap());
    std::fs::remove_file(&path).unwrap();
    let pages: Vec<usize> = (1..=steps.len())
        .filter(|&at| {
            steps[at - 1].starts_with("Laying out page")
                || steps[at - 1].starts_with("Writing page")
        })
        .collect();
    assert!(pages.len() > 4, "several pages: {steps:?}");
    // Before the first page, on the first page of each pass, on the last page, and at "Done" (the
    // last chance: the file is written after it).
    let first_written = pages
        .iter()
        .copied()
        .find(|&at| steps[at - 1].starts_with("Writing page"))
        .unwrap();
    let last_page = pages[pages.len() - 1];
    for at in [1, pages[0], first_written, last_page, steps.len()] {
        let mut seen = Vec::new();
        let err = save(&mut cancel_at(at, &mut seen)).unwrap_err();
        assert_eq!(err.code(), "cancelled", "at step {at} ({})", seen[at - 1]);
        assert_eq!(seen.len(), at, "nothing more is told after the cancel");
        assert!(names(out.path()).is_empty(), "{:?}", names(out.path()));
    }
}

#[test]
fn a_fork_reads_while_another_connection_holds_a_write_transaction() {
    let mut fx = fresh();
    let lee = enrolled(&mut fx.store, "Lee Chen");
    let item = add(
        &mut fx.store,
        &lee,
        "Residents' meeting",
        Status::Submitted,
        "2026-10-01",
    );
    fx.store
        .map_evidence(
            &item.id,
            &refs(&["NOCN-L3-CD:PWC.1.1", "CD-NOS:CLDSCCD15.PC1"]),
            None,
        )
        .unwrap();
    let evidenced = |s: &Store| s.coverage(&lee).map(|c| c.totals.evidenced);
    let before = evidenced(&fx.store).unwrap();
    assert_eq!(before, 2);

    let mut writer = fx.store.fork().unwrap();
    let reader = fx.store.fork().unwrap();
    let (holding, held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let writing = std::thread::spawn(move || {
        let conn = writer.conn_mut_for_tests();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute("DELETE FROM mappings", []).unwrap();
        // The write lock is held until the test lets go.
        holding.send(()).unwrap();
        released.recv().unwrap();
        tx.commit().unwrap();
    });
    held.recv().unwrap();
    // Read while the write is open: neither waits for it, both see the last committed state.
    let on_the_fork = evidenced(&reader);
    let on_the_store = evidenced(&fx.store);
    release.send(()).unwrap();
    writing.join().unwrap();
    assert_eq!(
        on_the_fork.unwrap(),
        before,
        "the fork read beside the write"
    );
    assert_eq!(on_the_store.unwrap(), before, "so did the store itself");
    assert_eq!(
        evidenced(&reader).unwrap(),
        0,
        "and sees the write once committed"
    );
    assert_eq!(evidenced(&fx.store).unwrap(), 0);
}
