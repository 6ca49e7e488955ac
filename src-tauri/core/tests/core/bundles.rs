//! Bundles between two computers (two data directories): a portfolio exported on one and imported on
//! the other arrives whole — items with every version, mappings, files, feedback, judgements and
//! signatures that still verify, both audit trails — importing it again changes nothing, an item
//! changed on one side only is brought up to date, and one changed on both sides is reported and left
//! as it is.

use evidence_core::bundles::BundleKind;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};

use crate::common::{add, dump, enrolled, fresh, refs, Fixture};

/// A laptop whose learner has two items (one with a file, one with two versions), feedback, a
/// judgement and a declaration.
pub fn laptop() -> (Fixture, String, Vec<String>) {
    let mut fx = fresh();
    let s = &mut fx.store;
    let lee = enrolled(s, "Lee Chen");
    let one = add(
        s,
        &lee,
        "Residents' meeting",
        Status::Submitted,
        "2026-10-01",
    );
    let two = add(
        s,
        &lee,
        "Reflection on the forum",
        Status::Draft,
        "2026-10-05",
    );
    s.map_evidence(
        &one.id,
        &refs(&["NOCN-L3-CD:PWC.1.1", "CD-NOS:CLDSCCD15.PC1"]),
        None,
    )
    .unwrap();
    s.map_evidence(
        &two.id,
        &refs(&["CD-NOS:CLDSCCD15.K1"]),
        Some("what I learnt"),
    )
    .unwrap();
    let file = fx.dir.path().join("minutes.txt");
    std::fs::write(&file, "Minutes of the residents' meeting").unwrap();
    s.attach(&one.id, &file).unwrap();
    s.edit_evidence(
        &two.id,
        &EvidenceEdit {
            body_markdown: Some("Second thoughts on the forum.".into()),
            ..EvidenceEdit::default()
        },
    )
    .unwrap();
    s.add_feedback(&one.id, "Good minutes.", false).unwrap();
    s.judge(
        &lee,
        &CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap(),
        Outcome::Met,
        "Clear.",
        std::slice::from_ref(&one.id),
    )
    .unwrap();
    s.declare(&one.id).unwrap();
    (fx, lee, vec![one.id, two.id])
}

pub fn export(
    store: &Store,
    learner: &str,
    dir: &std::path::Path,
    name: &str,
) -> std::path::PathBuf {
    let path = dir.join(name);
    store
        .export_bundle(learner, BundleKind::Portfolio, &path, &mut |_| Ok(()))
        .unwrap();
    path
}

#[test]
fn a_portfolio_arrives_whole_and_a_second_import_changes_nothing() {
    let (a, lee, items) = laptop();
    let out = tempfile::tempdir().unwrap();
    let bundle = export(&a.store, &lee, out.path(), "lee.zip");
    let check = a.store.verify_bundle(&bundle).unwrap();
    assert_eq!((check.items, check.learner_name.as_str()), (2, "Lee Chen"));
    assert_eq!(
        check.files, 5,
        "manifest, index.html, the one file and the two frameworks' files"
    );

    let mut b = fresh();
    let report = b.store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
    assert!(report.new_learner);
    assert_eq!((report.items_added, report.versions_added), (2, 3));
    assert_eq!(report.mappings_added, 3);
    assert_eq!(report.attachments_added, 1);
    assert_eq!((report.feedback_added, report.judgements_added), (1, 1));
    assert_eq!(
        report.signatures_added, 2,
        "the judgement and the declaration"
    );
    assert!(report.conflicts.is_empty());

    for id in &items {
        let (here, there) = (a.store.evidence(id).unwrap(), b.store.evidence(id).unwrap());
        assert_eq!(
            (
                here.number,
                &here.title,
                here.version,
                &here.body_markdown,
                &here.attachments
            ),
            (
                there.number,
                &there.title,
                there.version,
                &there.body_markdown,
                &there.attachments
            )
        );
        assert_eq!(
            a.store.evidence_versions(id).unwrap().len(),
            b.store.evidence_versions(id).unwrap().len()
        );
    }
    let path = b
        .store
        .attachment_path(&a.store.evidence(&items[0]).unwrap().attachments[0].sha256)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        "Minutes of the residents' meeting"
    );
    // The judgement arrives, but a machine without accounts signs with a hash only: no centre
    // vouches for it, so it is kept as "unverified — not counted" and meets nothing here.
    let (there, here) = (
        a.store.coverage(&lee).unwrap().totals,
        b.store.coverage(&lee).unwrap().totals,
    );
    assert_eq!((there.met, here.met), (1, 0));
    assert_eq!(
        (there.evidenced, there.draft_only),
        (here.evidenced, here.draft_only)
    );
    let not_counted: Vec<(&str, &str)> = report
        .not_counted
        .iter()
        .map(|n| (n.kind.as_str(), n.reason.as_str()))
        .collect();
    let legacy = "a legacy signature (a hash only), not signed with a key";
    assert_eq!(
        not_counted,
        [("judgement", legacy), ("declaration", legacy)]
    );
    let signatures = b.store.signatures(&lee).unwrap();
    assert_eq!(signatures.len(), 2);
    assert!(signatures.iter().all(|s| s.matches), "{signatures:?}");
    assert!(b.store.verify_audit().unwrap().intact);

    // The same bundle again: nothing is written at all.
    let before = dump(&b.store);
    let again = b.store.import_bundle(&bundle, &mut |_| Ok(())).unwrap();
    assert!(again.unchanged, "{again:?}");
    assert_eq!(dump(&b.store), before);

    // The laptop's audit entries that came along are checked too: one edited here is named.
    assert!(again.audit_entries_added == 0 && report.audit_entries_added > 0);
    b.store
        .raw_connection_for_tests()
        .execute("UPDATE imported_audit SET after = 'edited' WHERE seq = (SELECT MIN(seq) FROM imported_audit)", [])
        .unwrap();
    let audit = b.store.verify_audit().unwrap();
    assert!(!audit.intact);
    assert_eq!(
        audit.problems[0].kind, "imported_entry_altered",
        "{:?}",
        audit.problems
    );
}

#[test]
fn a_change_on_one_side_is_taken_and_changes_on_both_are_left_and_reported() {
    let (mut a, lee, items) = laptop();
    let out = tempfile::tempdir().unwrap();
    let first = export(&a.store, &lee, out.path(), "first.zip");
    let mut b = fresh();
    b.store.import_bundle(&first, &mut |_| Ok(())).unwrap();

    // Only the laptop edits item 1: the centre takes the new version.
    let edit = |text: &str| EvidenceEdit {
        title: Some(text.into()),
        ..EvidenceEdit::default()
    };
    a.store
        .edit_evidence(&items[0], &edit("Residents' meeting (minutes typed up)"))
        .unwrap();
    let second = export(&a.store, &lee, out.path(), "second.zip");
    let report = b.store.import_bundle(&second, &mut |_| Ok(())).unwrap();
    assert_eq!((report.items_updated, report.versions_added), (1, 1));
    assert_eq!(
        b.store.evidence(&items[0]).unwrap().title,
        "Residents' meeting (minutes typed up)"
    );

    // Both edit item 2: the centre keeps its own and reports the clash, field by field.
    a.store
        .edit_evidence(&items[1], &edit("Forum reflection (laptop)"))
        .unwrap();
    b.store
        .edit_evidence(&items[1], &edit("Forum reflection (centre)"))
        .unwrap();
    let third = export(&a.store, &lee, out.path(), "third.zip");
    let report = b.store.import_bundle(&third, &mut |_| Ok(())).unwrap();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert_eq!(report.conflicts[0].evidence, items[1]);
    assert_eq!(report.conflicts[0].fields, ["title"]);
    assert_eq!(
        b.store.evidence(&items[1]).unwrap().title,
        "Forum reflection (centre)"
    );
    assert!(b.store.verify_audit().unwrap().intact);
    // Importing it again changes nothing; the conflict waits.
    let before = dump(&b.store);
    assert!(
        b.store
            .import_bundle(&third, &mut |_| Ok(()))
            .unwrap()
            .unchanged
    );
    assert_eq!(dump(&b.store), before);
    let open = b.store.evidence_conflict(&items[1]).unwrap().unwrap();
    assert_eq!(
        (
            open.fields[0].field.as_str(),
            open.fields[0].local.as_str(),
            open.fields[0].remote.as_str()
        ),
        (
            "title",
            "Forum reflection (centre)",
            "Forum reflection (laptop)"
        )
    );
    assert_eq!(b.store.conflicts(&lee).unwrap().len(), 1);
}

#[test]
fn a_conflict_is_resolved_field_by_field_keeping_both_histories_and_every_signature() {
    let (mut a, lee, items) = laptop();
    let out = tempfile::tempdir().unwrap();
    let mut b = fresh();
    b.store
        .import_bundle(
            &export(&a.store, &lee, out.path(), "1.zip"),
            &mut |_| Ok(()),
        )
        .unwrap();
    let edit = |title: &str, body: &str| EvidenceEdit {
        title: Some(title.into()),
        body_markdown: Some(body.into()),
        ..EvidenceEdit::default()
    };
    // The laptop retitles item 1; the centre rewrites its account and an assessor judges it there.
    a.store
        .edit_evidence(
            &items[0],
            &edit("Meeting (laptop title)", "Account of Residents' meeting."),
        )
        .unwrap();
    b.store
        .edit_evidence(
            &items[0],
            &edit("Residents' meeting", "The centre's fuller account."),
        )
        .unwrap();
    b.store
        .judge(
            &lee,
            &CriterionRef::parse("CD-NOS:CLDSCCD15.PC1").unwrap(),
            Outcome::Met,
            "",
            std::slice::from_ref(&items[0]),
        )
        .unwrap();

    // The centre's bundle on the laptop: a conflict in title and body; the judgement waits with it.
    let report = a
        .store
        .import_bundle(
            &export(&b.store, &lee, out.path(), "2.zip"),
            &mut |_| Ok(()),
        )
        .unwrap();
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].fields, ["title", "body"]);
    assert_eq!(report.judgements_added, 0);
    // The learner keeps the laptop's title and takes the centre's account.
    let wrong = a
        .store
        .resolve_conflict(&items[0], &["mappings".into()])
        .unwrap_err();
    assert_eq!(wrong.code(), "invalid_input");
    let resolved = a
        .store
        .resolve_conflict(&items[0], &["body".into()])
        .unwrap();
    assert_eq!(resolved.title, "Meeting (laptop title)");
    assert_eq!(resolved.body_markdown, "The centre's fuller account.");
    let history = a.store.evidence_versions(&items[0]).unwrap();
    let bodies: Vec<&str> = history.iter().map(|v| v.body_markdown.as_str()).collect();
    assert_eq!(
        bodies,
        [
            "Account of Residents' meeting.",
            "Account of Residents' meeting.",
            "The centre's fuller account.",
            "The centre's fuller account."
        ]
    );
    assert!(a.store.evidence_conflict(&items[0]).unwrap().is_none());
    assert_eq!(
        a.store.judgements(&lee).unwrap().len(),
        2,
        "the centre's judgement arrived with it"
    );
    let audit = a.store.verify_audit().unwrap();
    assert!(audit.intact, "{:?}", audit.problems);

    // Back at the centre: the laptop's resolution simply follows; both sides now agree.
    let report = b
        .store
        .import_bundle(
            &export(&a.store, &lee, out.path(), "3.zip"),
            &mut |_| Ok(()),
        )
        .unwrap();
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_eq!(report.items_updated, 1);
    let (here, there) = (
        a.store.evidence(&items[0]).unwrap(),
        b.store.evidence(&items[0]).unwrap(),
    );
    assert_eq!(
        (&here.title, &here.body_markdown),
        (&there.title, &there.body_markdown)
    );
    assert_eq!(b.store.evidence_versions(&items[0]).unwrap().len(), 4);
    let audit = b.store.verify_audit().unwrap();
    assert!(audit.intact, "{:?}", audit.problems);
    // And back on the laptop: only the centre's audit entries about the exchange are new.
    let last = export(&b.store, &lee, out.path(), "4.zip");
    let report = a.store.import_bundle(&last, &mut |_| Ok(())).unwrap();
    assert_eq!(
        (
            report.items_added,
            report.items_updated,
            report.versions_added
        ),
        (0, 0, 0)
    );
    assert!(
        report.conflicts.is_empty() && report.audit_entries_added > 0,
        "{report:?}"
    );
    assert!(
        a.store
            .import_bundle(&last, &mut |_| Ok(()))
            .unwrap()
            .unchanged
    );
}

#[test]
fn a_quality_assurance_bundle_carries_the_reports_and_is_never_imported() {
    let (a, lee, _) = laptop();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("qa.zip");
    let done = a
        .store
        .export_bundle(&lee, BundleKind::QualityAssurance, &path, &mut |_| Ok(()))
        .unwrap();
    assert_eq!(
        done.files,
        3 + 6 + 2,
        "manifest, index, one file, six reports, two frameworks' files"
    );
    let file = std::fs::File::open(&path).unwrap();
    let names: Vec<String> = zip::ZipArchive::new(file)
        .unwrap()
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    for report in [
        "reports/coverage.pdf",
        "reports/coverage.csv",
        "reports/units.pdf",
        "reports/evidence-record.csv",
    ] {
        assert!(names.iter().any(|n| n == report), "{report} in {names:?}");
    }
    let mut b = fresh();
    let before = dump(&b.store);
    let err = b.store.import_bundle(&path, &mut |_| Ok(())).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(dump(&b.store), before);
}
