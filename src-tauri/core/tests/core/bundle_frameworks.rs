//! A bundle carries the framework versions it uses, earlier ones included (a mapping left on a
//! criterion a later version removed names its version): the computer it goes to, lacking one,
//! refuses the import naming that version, reads the carried files out of the bundle (checked
//! against the manifest), loads them in order, and then imports the bundle with its mappings exactly
//! where they were.

use evidence_core::bundles::BundleKind;
use evidence_core::evidence::Status;
use evidence_core::frameworks::spec_text::{self, SpecMeta};
use evidence_core::frameworks::FrameworkKind;

use crate::common::{add, fresh, refs};

const SPEC: &str = "Unit 1: Working with Community Groups\n1. Understand how groups form\n1.1 Describe why people join groups.\n1.2 Explain how a group agrees its purpose.\n";

#[test]
fn a_bundle_brings_the_framework_version_it_uses_and_the_import_says_so_until_it_is_loaded() {
    let mut laptop = fresh();
    let meta = SpecMeta {
        code: "MY-QUAL".into(),
        title: "My qualification".into(),
        version: "1".into(),
        kind: FrameworkKind::Qualification,
        source: "pasted".into(),
    };
    let doc = spec_text::parse(SPEC, &meta).unwrap().doc;
    laptop.store.import_framework(&doc).unwrap();
    let s = &mut laptop.store;
    let lee = s.add_learner("Lee Chen", None).unwrap().id;
    s.enrol(&lee, "MY-QUAL", &[]).unwrap();
    let item = add(s, &lee, "Group notes", Status::Submitted, "2026-10-01");
    s.map_evidence(&item.id, &refs(&["MY-QUAL:U1.1.2"]), None)
        .unwrap();

    // Version 2 drops U1.1.2, which the item is mapped to: that mapping stays on version 1.
    let mut v2 = doc.clone();
    v2.version = "2".into();
    v2.criteria.retain(|c| c.code != "U1.1.2");
    s.import_framework(&v2).unwrap();
    let bundle = laptop.dir.path().join("lee.zip");
    s.export_bundle(&lee, BundleKind::Portfolio, &bundle, &mut |_| Ok(()))
        .unwrap();

    let mut centre = fresh();
    let refused = |centre: &mut crate::common::Fixture| {
        let err = centre
            .store
            .import_bundle(&bundle, &mut |_| Ok(()))
            .unwrap_err();
        assert_eq!(err.code(), "framework_missing");
        err.to_string()
    };
    let message = refused(&mut centre);
    assert!(
        message.contains("MY-QUAL version 1,") && message.contains("load it from the bundle"),
        "the earlier version first: {message}"
    );
    assert!(
        centre
            .store
            .list_learners()
            .unwrap()
            .iter()
            .all(|l| l.name != "Lee Chen"),
        "nothing imported"
    );
    let carried = centre.store.bundle_frameworks(&bundle).unwrap();
    let mine: Vec<_> = carried.iter().filter(|c| c.doc.code == "MY-QUAL").collect();
    assert_eq!(
        mine.iter()
            .map(|c| (c.doc.version.as_str(), c.stored_here))
            .collect::<Vec<_>>(),
        [("1", false), ("2", false)]
    );
    assert_eq!(
        mine[0].doc, doc,
        "the carried file is the version the laptop stored"
    );
    assert_eq!(mine[1].doc, v2);
    assert!(
        carried
            .iter()
            .filter(|c| c.doc.code != "MY-QUAL")
            .all(|c| c.stored_here),
        "the shipped frameworks are here already"
    );
    centre.store.import_framework(&mine[0].doc).unwrap();
    assert!(refused(&mut centre).contains("MY-QUAL version 2,"));
    centre.store.import_framework(&mine[1].doc).unwrap();
    let report = centre
        .store
        .import_bundle(&bundle, &mut |_| Ok(()))
        .unwrap();
    let learner = report.learner.expect("the learner arrives");
    let gaps = centre.store.gaps(&learner.id, None).unwrap();
    let refs_left: Vec<String> = gaps.gaps.iter().map(|g| g.reference.to_string()).collect();
    assert_eq!(
        refs_left,
        ["MY-QUAL:U1.1.1"],
        "U1.1.2 is gone from version 2"
    );
    let mapped_on_v1: i64 = centre
        .store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM mappings m JOIN criteria c ON c.id = m.criterion_id
             JOIN frameworks f ON f.id = c.framework_id
             WHERE f.code = 'MY-QUAL' AND f.version = '1' AND c.code = 'U1.1.2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        mapped_on_v1, 1,
        "the mapping arrives on version 1's criterion, as it was"
    );
}
