//! Moodle competency-framework CSV import: the public fixture from Moodle itself imports with its full
//! tree, and bad files are refused naming the problem and the line.

use std::collections::HashMap;

use evidence_core::frameworks::moodle_csv::{parse, MoodleImportOptions, LOOSE_GROUP_TITLE};
use evidence_core::frameworks::{CriterionKind, FrameworkDoc};
use evidence_core::Result;

const HEADER: &str =
    "Parent ID number,ID number,Short name,Description,Description format,Is framework";

/// A file with the header and a framework row (line 2), then `rows` from line 3.
fn file(rows: &[&str]) -> Vec<u8> {
    format!("{HEADER}\n,FW,A framework,,1,1\n{}", rows.join("\n")).into_bytes()
}

fn import(bytes: &[u8]) -> Result<FrameworkDoc> {
    parse(bytes, &MoodleImportOptions::default())
}

fn error(bytes: &[u8]) -> String {
    let err = import(bytes).expect_err("file should be refused");
    assert_eq!(err.code(), "invalid_framework");
    err.to_string()
}

#[test]
fn the_moodle_example_imports_with_its_full_tree() {
    let doc = import(include_bytes!("../fixtures/moodle-example.csv")).expect("import");
    assert_eq!(
        (doc.code.as_str(), doc.title.as_str()),
        ("OECD-CORE", "OECD")
    );
    assert!(doc
        .description
        .starts_with("The Core Competencies summarise the capabilities"));
    assert!(doc.description.ends_with(
        "clusters.\n\n• The delivery-related competencies\n• The interpersonal competencies\n• The strategic competencies"
    ));
    // Moodle's own import test counts 64 competencies: all are here, and no extra group is needed.
    assert_eq!((doc.groups.len(), doc.criteria.len()), (20, 44));
    let groups = doc
        .groups
        .iter()
        .map(|g| (&g.code, (g.parent.as_deref(), &g.title)));
    let criteria = doc
        .criteria
        .iter()
        .map(|c| (&c.code, (c.group.as_deref(), &c.text)));
    let nodes: HashMap<_, _> = groups.chain(criteria).collect();
    assert_eq!(nodes.len(), 64);
    let node = |code: &str| nodes.get(&code.to_string()).map(|(p, t)| (*p, t.as_str()));
    assert_eq!(node("levels"), Some((None, "Levels")));
    assert_eq!(
        node("delivery"),
        Some((Some("competencies"), "Delivery-related"))
    );
    assert_eq!(
        node("teamwork"),
        Some((Some("delivery"), "Teamwork and Team Leadership"))
    );
    let level_1 =
        "Level 1 is typically associated with jobs such as Assistants, Secretaries and Operators.";
    assert_eq!(node("level-1"), Some((Some("levels"), level_1)));
    let at1 = "Distinguishes between critical and irrelevant pieces of information";
    assert_eq!(node("DR-AT1"), Some((Some("analytical-thinking"), at1)));
    // The short name is cut at 100 characters; the description holds the whole statement.
    let mr2 = "Plans, coordinates and manages internal and external resources to accomplish assignments within the given deadlines.";
    assert_eq!(node("DR-MR-2"), Some((Some("managing-resources"), mr2)));
    assert_eq!(
        node("S-ST-1").and_then(|(p, _)| p),
        Some("strategic-thinking")
    );
    assert!(doc
        .criteria
        .iter()
        .all(|c| c.kind == CriterionKind::Indicator));
}

#[test]
fn a_bom_crlf_semicolons_and_odd_id_numbers_are_accepted() {
    let text = "\u{feff}Id number;Parent id number;Shortname;Description;Is framework\r\nF;;F;;1\r\nUnit 1: Intro;;Intro;;\r\n";
    let doc = import(text.as_bytes()).expect("import");
    assert_eq!(doc.criteria[0].code, "Unit-1-Intro");
    assert_eq!(doc.criteria[0].group, None);
}

#[test]
fn a_top_level_leaf_beside_groups_goes_into_an_extra_group() {
    let doc = import(&file(&[
        ",U1,Unit,,1,",
        "U1,C1,Do it,<p>Do it &amp;<br>show 1 < 2</p>,1,",
        ",other,Loose,Why,1,",
    ]))
    .expect("import");
    assert_eq!(doc.criteria[0].text, "Do it &\nshow 1 < 2");
    assert_eq!(doc.criteria[1].text, "Loose: Why");
    assert_eq!(doc.criteria[1].group.as_deref(), Some("other-2"));
    assert_eq!(doc.groups[1].title, LOOSE_GROUP_TITLE);
}

#[test]
fn bad_files_are_refused_naming_the_problem_and_line() {
    let cases: [(Vec<u8>, &str); 11] = [
        (
            b"ID number,Short name,Description\n,FW,F,\n".to_vec(),
            "line 1: the header lacks the column(s) \"Parent ID number\", \"Is framework\"",
        ),
        (
            format!("{HEADER}\n,C1,Do it,,1,\n").into_bytes(),
            "no framework row",
        ),
        (
            file(&[",FW2,Again,,1,1"]),
            "line 3: a second framework row; the first is on line 2",
        ),
        (
            file(&[",U1,Unit,,1,", "U9,C1,Do it,,1,"]),
            "line 4: parent \"U9\" of competency \"C1\" is not in the file",
        ),
        (
            file(&[",C1,One,,1,", ",C1,Two,,1,"]),
            "line 4: ID number \"C1\" is already used on line 3",
        ),
        (
            file(&[",a b,One,,1,", ",a:b,Two,,1,"]),
            "line 4: ID numbers \"a b\" (line 3) and \"a:b\" both become code \"a-b\"",
        ),
        (
            file(&[",U1,Unit,,1,", "U1,C1,Leaf,,1,", "B,A,A,,1,", "A,B,B,,1,"]),
            "line 5: competency \"A\" is its own ancestor: A → B → A",
        ),
        (
            file(&["A,A,A,,1,", ",C,C,,1,"]),
            "line 3: competency \"A\" is its own ancestor: A → A",
        ),
        (
            [HEADER.as_bytes(), b"\n,FW,Caf\xe9,,1,1\n"].concat(),
            "file is not UTF-8 text",
        ),
        (b"\xef\xbb\xbf \r\n".to_vec(), "file is empty"),
        (file(&[]), "framework FW has no competencies"),
    ];
    for (bytes, expected) in cases {
        let message = error(&bytes);
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message:?}"
        );
    }
    assert!(error(b"").contains("file is empty"));
}
