//! An audit trail a rewrite cannot hide: what someone with the database file and a SQL shell would
//! do after an unfavourable judgement — flip it and rechain the trail with fresh hashes, strip the
//! signatures as well, wipe the trail, delete the judgement, change an item's live text — and how
//! `audit verify` reports each.

use evidence_core::audit::AuditEntry;
use evidence_core::bundles::BundleKind;
use evidence_core::reports::{ReportFormat, ReportKind};
use evidence_core::review::{Judgement, Outcome};
use evidence_core::{CriterionRef, Store};
use rusqlite::params;
use sha2::{Digest, Sha256};

use crate::review::{as_user, setup, Setup};

fn kinds(s: &Store) -> Vec<String> {
    let report = s.verify_audit().unwrap();
    assert_eq!(report.intact, report.problems.is_empty());
    report.problems.into_iter().map(|p| p.kind).collect()
}

fn not_yet_met(s: &mut Store, lena: &str, item: &str) -> Judgement {
    as_user(s, "asa");
    let criterion = CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap();
    let judged = s
        .judge(
            lena,
            &criterion,
            Outcome::NotYetMet,
            "Not yet.",
            &[item.to_string()],
        )
        .unwrap();
    assert!(s.verify_audit().unwrap().intact);
    judged
}

/// The judgement flipped to met, with its signed content and SHA-256 rewritten to match.
fn flip_to_met(s: &mut Store) {
    let conn = s.conn_mut_for_tests();
    let content: String = conn
        .query_row(
            "SELECT content FROM signatures WHERE kind = 'judgement'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let forged = content.replace("not_yet_met", "met");
    let hash = hex::encode(Sha256::digest(forged.as_bytes()));
    conn.execute("UPDATE judgements SET outcome = 'met'", [])
        .unwrap();
    conn.execute(
        "UPDATE signatures SET content = ?1, content_hash = ?2 WHERE kind = 'judgement'",
        params![forged, hash],
    )
    .unwrap();
}

/// Every entry rewritten to say what the forger wants and hashed again, link by link, with the head
/// moved to the new end: the hash chain alone would read "intact". `strip` also takes the
/// signatures away, as if the entries had been made with no key.
fn rechain(s: &mut Store, strip: bool) {
    let conn = s.conn_mut_for_tests();
    let hash: String = conn
        .query_row(
            "SELECT content_hash FROM signatures WHERE kind = 'judgement'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut entries: Vec<AuditEntry> = crate::common::audit_entries(conn, "1");
    let mut prev = evidence_core::audit::GENESIS.to_string();
    for e in &mut entries {
        if e.action == "judged" {
            e.after = e.after.as_ref().map(|a| a.replace("not_yet_met", "met"));
        }
        if e.action == "signed"
            && e.after
                .as_deref()
                .is_some_and(|a| a.starts_with("judgement"))
        {
            let key = e
                .after
                .as_deref()
                .unwrap()
                .split(' ')
                .nth(2)
                .unwrap()
                .to_string();
            e.after = Some(format!("judgement sha256:{hash} {key}"));
        }
        if strip {
            e.key_id = None;
            e.signature = None;
        }
        e.prev_hash = prev.clone();
        e.hash = e.expected_hash();
        prev = e.hash.clone();
        conn.execute(
            "UPDATE audit_log SET after = ?2, prev_hash = ?3, hash = ?4, key_id = ?5, signature = ?6 WHERE seq = ?1",
            params![e.seq, e.after, e.prev_hash, e.hash, e.key_id, e.signature],
        )
        .unwrap();
    }
    let last = entries.last().unwrap();
    conn.execute(
        "UPDATE audit_head SET seq = ?1, hash = ?2, key_id = ?3, signature = ?4",
        params![last.seq, last.hash, last.key_id, last.signature],
    )
    .unwrap();
}

#[test]
fn a_flipped_judgement_in_a_rechained_trail_is_found_by_the_entries_signatures() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    not_yet_met(s, &lena, &item);
    flip_to_met(s);
    rechain(s, false);
    let found = kinds(s);
    // The judgement's own key signature no longer verifies, and neither do the entries rewritten
    // (the judged and signed entries) nor any signed entry after them (their links changed).
    assert!(found.contains(&"signature_mismatch".into()), "{found:?}");
    assert!(
        found.iter().filter(|k| *k == "signature_invalid").count() >= 2,
        "{found:?}"
    );
    assert!(
        !found.iter().any(|k| k == "altered" || k == "broken_link"),
        "the chain itself was made whole: {found:?}"
    );
}

#[test]
fn a_rechained_trail_stripped_of_its_signatures_is_found_unsigned() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    not_yet_met(s, &lena, &item);
    flip_to_met(s);
    rechain(s, true);
    let found = kinds(s);
    assert!(found.contains(&"signature_mismatch".into()), "{found:?}");
    // Every entry an account with a key made after it had one: the administrator's set-up, the
    // sign-ins, the learner's item, the assessor's judgement.
    assert!(
        found.iter().filter(|k| *k == "unsigned").count() >= 8,
        "{found:?}"
    );
    assert!(!found.iter().any(|k| k == "signature_invalid"), "{found:?}");
}

#[test]
fn a_wiped_trail_is_found_not_read_as_nothing_happened() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    not_yet_met(s, &lena, &item);
    s.conn_mut_for_tests()
        .execute_batch("DELETE FROM audit_log; DELETE FROM audit_head;")
        .unwrap();
    let report = s.verify_audit().unwrap();
    assert!(!report.intact);
    assert_eq!(report.entries, 0);
    assert!(
        report.problems.iter().any(|p| p.kind == "missing"
            && p.message
                .starts_with("the audit trail is empty but the portfolio holds")),
        "{report:?}"
    );

    // Deleting where signing begins, to pass everything off as made by an earlier version, is found too.
    let Setup { mut fx, .. } = setup();
    fx.store
        .conn_mut_for_tests()
        .execute("DELETE FROM audit_signing", [])
        .unwrap();
    assert_eq!(kinds(&fx.store), ["missing"]);
}

#[test]
fn a_deleted_judgement_and_its_signature_are_found() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let judged = not_yet_met(s, &lena, &item);
    s.conn_mut_for_tests()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM judgement_evidence; DELETE FROM judgements; DELETE FROM signatures;",
        )
        .unwrap();
    let report = s.verify_audit().unwrap();
    let deleted: Vec<&str> = report
        .problems
        .iter()
        .filter(|p| p.kind == "deleted")
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        deleted.len(),
        2,
        "the judged and the signed entry: {report:?}"
    );
    assert!(
        deleted
            .iter()
            .any(|m| m.contains(&format!("judgement:{}", judged.id))),
        "{report:?}"
    );
    assert_eq!(report.problems.len(), 2, "{report:?}");
}

#[test]
fn an_items_live_text_changed_behind_its_declaration_is_found() {
    let Setup { mut fx, item, .. } = setup();
    let s = &mut fx.store;
    as_user(s, "lena");
    let declared = s.declare(&item).unwrap();
    assert!(declared.matches && s.verify_audit().unwrap().intact);
    s.conn_mut_for_tests()
        .execute("UPDATE evidence SET body_md = 'Not what I wrote.'", [])
        .unwrap();
    let report = s.verify_audit().unwrap();
    assert_eq!(report.problems.len(), 1, "{report:?}");
    assert_eq!(report.problems[0].kind, "altered");
    assert_eq!(report.problems[0].at, format!("evidence {item}"));
    // Where people look, the declaration no longer matches what is shown.
    let lena = s.evidence(&item).unwrap().learner_id;
    let shown = s.signatures(&lena).unwrap();
    let declaration = shown.iter().find(|d| d.id == declared.id).unwrap();
    assert!(!declaration.matches, "{declaration:?}");
}

#[test]
fn a_record_added_without_its_entry_is_found() {
    let Setup { mut fx, lena, item } = setup();
    let s = &mut fx.store;
    let judged = not_yet_met(s, &lena, &item);
    // A second "met" judgement copied from the first, as if the assessor had made it.
    s.conn_mut_for_tests()
        .execute_batch(
            "INSERT INTO judgements (uuid, learner_id, criterion_id, outcome, comment, assessor_id, assessor_name, judged_at, counted)
             SELECT 'forged-judgement', learner_id, criterion_id, 'met', comment, assessor_id, assessor_name, judged_at, 1 FROM judgements;",
        )
        .unwrap();
    let report = s.verify_audit().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.kind == "unrecorded" && p.at == "judgement forged-judgement"),
        "{report:?}"
    );
    assert!(
        !report.problems.iter().any(|p| p.at.contains(&judged.id)),
        "{report:?}"
    );
}

#[test]
fn a_rechained_trail_is_found_against_a_report_and_a_bundle_made_before() {
    let Setup { mut fx, lena, item } = setup();
    let out = tempfile::tempdir().unwrap();
    let s = &mut fx.store;
    not_yet_met(s, &lena, &item);
    let html = s
        .report(
            ReportKind::Coverage,
            ReportFormat::Html,
            Some(&lena),
            &mut |_| Ok(()),
        )
        .unwrap();
    let report = out.path().join("coverage.html");
    std::fs::write(&report, &html).unwrap();
    let csv = out.path().join("coverage.csv");
    let table = s
        .report(
            ReportKind::Coverage,
            ReportFormat::Csv,
            Some(&lena),
            &mut |_| Ok(()),
        )
        .unwrap();
    std::fs::write(&csv, table).unwrap();
    let head = s.audit_head().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&html).contains(&head.to_string()));
    let bundle = out.path().join("lena.zip");
    as_user(s, "tom");
    s.export_bundle(&lena, BundleKind::Portfolio, &bundle, &mut |_| Ok(()))
        .unwrap();

    // Work goes on: the files made earlier still find their entries.
    as_user(s, "lena");
    s.declare(&item).unwrap();
    for file in [&report, &csv, &bundle] {
        let checked = s.verify_audit_against(file).unwrap();
        assert!(checked.intact, "{}: {checked:?}", file.display());
    }

    // Rechained (and even with every signature stripped, so that no entry signature is left to
    // fail): each earlier file shows the rewrite.
    flip_to_met(s);
    rechain(s, true);
    for file in [&report, &csv, &bundle] {
        let checked = s.verify_audit_against(file).unwrap();
        let rewritten: Vec<_> = checked
            .problems
            .iter()
            .filter(|p| p.kind == "rewritten")
            .collect();
        assert_eq!(rewritten.len(), 1, "{}: {checked:?}", file.display());
        assert!(rewritten[0]
            .message
            .contains("the trail was rewritten after that file was made"));
    }

    // Entries cut from the end after the file was made are found too.
    s.conn_mut_for_tests()
        .execute_batch("DELETE FROM audit_log WHERE seq >= 5; UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4);")
        .unwrap();
    let checked = s.verify_audit_against(&report).unwrap();
    assert!(checked
        .problems
        .iter()
        .any(|p| p.kind == "rewritten" && p.message.contains("is no longer in the trail")));
}

#[test]
fn a_file_with_no_head_of_this_trail_is_a_clear_error() {
    let Setup { fx, .. } = setup();
    let out = tempfile::tempdir().unwrap();
    let plain = out.path().join("notes.txt");
    std::fs::write(&plain, "nothing here").unwrap();
    let err = fx.store.verify_audit_against(&plain).unwrap_err();
    assert!(err.to_string().contains("records no audit head"), "{err}");
    let missing = out.path().join("missing.html");
    let err = fx.store.verify_audit_against(&missing).unwrap_err();
    assert!(err.to_string().contains("cannot be read"), "{err}");
}
