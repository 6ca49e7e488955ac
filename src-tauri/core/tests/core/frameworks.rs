//! Frameworks: the shipped data, import/export, new versions that keep mappings, and bad files that
//! change nothing.

use evidence_core::evidence::Status;
use evidence_core::frameworks::{native, CriterionKind, FrameworkKind, ImportOutcome};
use evidence_core::{CriterionRef, Store};

use crate::common::{add, dump, enrolled, fresh, refs};

#[test]
fn the_shipped_frameworks_have_the_source_counts_and_provenance() {
    let fx = fresh();
    let list = fx.store.list_frameworks(false).unwrap();
    let by_code = |code: &str| {
        list.iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code} missing"))
    };
    let nocn = by_code("NOCN-L3-CD");
    assert_eq!(
        (nocn.kind, nocn.verified, nocn.criteria),
        (FrameworkKind::Qualification, false, 3)
    );
    let nos = fx.store.framework("CD-NOS", None).unwrap();
    let count = |kind| nos.criteria.iter().filter(|c| c.kind == kind).count();
    assert_eq!(
        count(CriterionKind::PerformanceCriterion),
        10,
        "CLDSCCD15 has 10 PCs"
    );
    assert_eq!(
        count(CriterionKind::KnowledgeItem),
        18,
        "CLDSCCD15 has 18 knowledge items"
    );
    assert_eq!(by_code("CD-NOS-VALUES").groups, 5, "five NOS values");
    assert_eq!(
        by_code("CLD-COMPETENCES").groups,
        7,
        "seven CLD competences"
    );
    let pc9 = fx
        .store
        .criterion(&CriterionRef::parse("CD-NOS:CLDSCCD15.PC9").unwrap())
        .unwrap();
    assert_eq!(
        pc9.text,
        "support communities to make use of their legal rights"
    );
    let nocn = fx.store.framework("NOCN-L3-CD", None).unwrap();
    assert_eq!(
        nocn.groups
            .iter()
            .filter(|g| g.parent.as_deref() == Some("PWC"))
            .count(),
        3,
        "3 learning outcomes"
    );
}

#[test]
fn every_shipped_criterion_text_is_copied_verbatim_from_the_reference_sources() {
    let reference =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
    let Ok(entries) = std::fs::read_dir(&reference) else {
        // The references sit beside the repository on developer machines and in CI; say so loudly.
        panic!("reference folder {} is missing", reference.display());
    };
    let sources: String = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let fx = fresh();
    for summary in fx.store.list_frameworks(false).unwrap() {
        for criterion in fx.store.framework(&summary.code, None).unwrap().criteria {
            assert!(
                sources.contains(&criterion.text),
                "{}:{} is not verbatim in shared/reference: {:?}",
                summary.code,
                criterion.code,
                criterion.text
            );
        }
    }
}

#[test]
fn the_crosswalk_suggests_linked_criteria_in_both_directions() {
    let fx = fresh();
    let from_ac = fx
        .store
        .crosswalk_suggestions(&CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap())
        .unwrap();
    assert!(
        from_ac.iter().any(|s| s.reference.framework == "CD-NOS"),
        "{from_ac:?}"
    );
    assert!(
        from_ac
            .iter()
            .any(|s| s.reference.framework == "CLD-COMPETENCES"),
        "{from_ac:?}"
    );
    let back = &from_ac[0].reference;
    let reverse = fx.store.crosswalk_suggestions(back).unwrap();
    assert!(
        reverse
            .iter()
            .any(|s| s.reference.to_string() == "NOCN-L3-CD:PWC.1.1"),
        "{reverse:?}"
    );
}

#[test]
fn export_then_import_of_the_same_version_changes_nothing() {
    let mut fx = fresh();
    let doc = fx.store.framework("CD-NOS", None).unwrap();
    let text = native::write(&doc).unwrap();
    let before = dump(&fx.store);
    let report = fx
        .store
        .import_framework(&native::parse(text.as_bytes()).unwrap())
        .unwrap();
    assert_eq!(report.outcome, ImportOutcome::Unchanged);
    assert_eq!(before, dump(&fx.store));
}

#[test]
fn the_same_version_with_different_content_is_a_conflict_and_changes_nothing() {
    let mut fx = fresh();
    let mut doc = fx.store.framework("CD-NOS", None).unwrap();
    doc.criteria[0].text.push_str(" (edited)");
    let before = dump(&fx.store);
    let err = fx.store.import_framework(&doc).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(before, dump(&fx.store));
}

#[test]
fn a_new_version_keeps_mappings_whose_code_survives_and_reports_the_rest() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Bea");
    let item = add(
        &mut fx.store,
        &learner,
        "Partnership meeting",
        Status::Submitted,
        "2026-01-10",
    );
    let mapped = refs(&[
        "CD-NOS:CLDSCCD15.PC1",
        "CD-NOS:CLDSCCD15.PC2",
        "CD-NOS:CLDSCCD15.PC3",
    ]);
    fx.store.map_evidence(&item.id, &mapped, None).unwrap();

    let mut next = fx.store.framework("CD-NOS", None).unwrap();
    next.version = "2027".into();
    next.criteria.retain(|c| c.code != "CLDSCCD15.PC2");
    next.criteria
        .iter_mut()
        .find(|c| c.code == "CLDSCCD15.PC3")
        .unwrap()
        .text = "a reworded criterion".into();
    let mut extra = next.criteria[0].clone();
    extra.code = "CLDSCCD15.PC11".into();
    extra.text = "a new criterion".into();
    next.criteria.push(extra);

    let report = fx.store.import_framework(&next).unwrap();
    assert_eq!(report.outcome, ImportOutcome::NewVersion);
    assert_eq!(report.previous_version.as_deref(), Some("2023.2"));
    assert_eq!(report.added, vec!["CLDSCCD15.PC11".to_string()]);
    assert_eq!(report.removed.len(), 1);
    assert_eq!(
        report.removed[0].reference.to_string(),
        "CD-NOS:CLDSCCD15.PC2"
    );
    assert_eq!(
        report.removed[0].mappings, 1,
        "the removed criterion's mapping is reported"
    );
    assert_eq!(report.changed.len(), 1);
    assert_eq!(
        report.changed[0].reference.to_string(),
        "CD-NOS:CLDSCCD15.PC3"
    );
    assert_eq!(report.changed[0].mappings, 1);
    assert_eq!(report.mappings_kept, 2);

    let shown = fx.store.evidence(&item.id).unwrap();
    let current: Vec<String> = shown
        .mappings
        .iter()
        .filter(|m| m.current)
        .map(|m| m.reference.to_string())
        .collect();
    assert_eq!(
        current,
        vec!["CD-NOS:CLDSCCD15.PC1", "CD-NOS:CLDSCCD15.PC3"]
    );
    let kept_old = shown
        .mappings
        .iter()
        .find(|m| !m.current)
        .expect("the removed mapping is kept, not dropped");
    assert_eq!(
        (
            kept_old.reference.to_string(),
            kept_old.framework_version.as_str()
        ),
        ("CD-NOS:CLDSCCD15.PC2".into(), "2023.2")
    );

    let coverage = fx.store.coverage(&learner).unwrap();
    let nos: Vec<_> = coverage
        .criteria
        .iter()
        .filter(|c| c.framework == "CD-NOS")
        .collect();
    assert_eq!(nos.len(), 28, "27 surviving + 1 new criterion");
    assert!(nos.iter().any(|c| c.reference.code == "CLDSCCD15.PC11"));
    assert_eq!(coverage.totals.evidenced, 2);
    let old_versions = fx.store.list_frameworks(true).unwrap();
    assert!(old_versions
        .iter()
        .any(|f| f.code == "CD-NOS" && f.version == "2023.2" && !f.current));
}

#[test]
fn hostile_framework_files_are_refused_and_the_database_is_unchanged() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Cal");
    add(
        &mut fx.store,
        &learner,
        "Before",
        Status::Draft,
        "2026-01-01",
    );
    let good = native::write(&fx.store.framework("NOCN-L3-CD", None).unwrap())
        .unwrap()
        .replace("2026.1-unverified", "9");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bad TOML", b"format = [\n".to_vec()),
        ("not UTF-8", [good.as_bytes(), &[0xff, 0xfe, 0xfd]].concat()),
        (
            "duplicate code",
            good.replace("PWC.2.1", "PWC.1.1").into_bytes(),
        ),
        (
            "unknown parent",
            good.replacen("parent = \"PWC\"", "parent = \"NOPE\"", 1)
                .into_bytes(),
        ),
        (
            "cycle",
            good.replacen(
                "code = \"PWC\"\nkind = \"unit\"",
                "code = \"PWC\"\nkind = \"unit\"\nparent = \"PWC.1\"",
                1,
            )
            .into_bytes(),
        ),
        (
            "huge text",
            good.replacen("text = \"", &format!("text = \"{}", "x".repeat(20_000)), 1)
                .into_bytes(),
        ),
        ("over the size limit", vec![b'#'; 9 * 1024 * 1024]),
        ("empty", Vec::new()),
    ];
    let before = dump(&fx.store);
    for (what, bytes) in cases {
        let err = match native::parse(&bytes) {
            Err(err) => err,
            Ok(doc) => fx.store.import_framework(&doc).expect_err(what),
        };
        assert_eq!(err.code(), "invalid_framework", "{what}: {err}");
        assert!(!err.to_string().is_empty());
        assert_eq!(
            before,
            dump(&fx.store),
            "{what} must not change the database"
        );
    }
}

#[test]
fn a_framework_import_failing_midway_writes_nothing() {
    let mut fx = fresh();
    let mut doc = fx.store.framework("CD-NOS", None).unwrap();
    doc.version = "2030".into();
    // Valid as a document, but the database refuses the kind of the last criterion: the transaction
    // must roll back the header and every row already inserted.
    let before = dump(&fx.store);
    fx.store.raw_connection_for_tests().execute_batch("CREATE TEMP TRIGGER refuse BEFORE INSERT ON criteria WHEN NEW.code = 'CLDSCCD15.K18' BEGIN SELECT RAISE(ABORT, 'refused'); END;").unwrap();
    let err = fx.store.import_framework(&doc).unwrap_err();
    assert_eq!(err.code(), "database_error");
    fx.store
        .raw_connection_for_tests()
        .execute_batch("DROP TRIGGER refuse")
        .unwrap();
    assert_eq!(before, dump(&fx.store));
    assert_eq!(
        fx.store.framework("CD-NOS", None).unwrap().version,
        "2023.2"
    );
}

#[test]
fn reimporting_shipped_frameworks_into_a_store_is_idempotent() {
    let mut store = Store::open_in_memory().unwrap();
    let before = dump(&store);
    for summary in store.list_frameworks(false).unwrap() {
        let doc = store.framework(&summary.code, None).unwrap();
        assert_eq!(
            store.import_framework(&doc).unwrap().outcome,
            ImportOutcome::Unchanged
        );
    }
    assert_eq!(before, dump(&store));
}

#[test]
fn every_shipped_crosswalk_link_names_criteria_that_exist() {
    let fx = fresh();
    let links: Vec<(String, String)> = fx
        .store
        .raw_connection_for_tests()
        .prepare("SELECT from_ref, to_ref FROM crosswalk")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        links.len() >= 20,
        "the shipped crosswalk links the unit, the standard and competence 6"
    );
    for (from, to) in links {
        for reference in [from, to] {
            let parsed = CriterionRef::parse(&reference).unwrap();
            fx.store
                .criterion(&parsed)
                .unwrap_or_else(|e| panic!("crosswalk names {reference}: {e}"));
        }
    }
}
