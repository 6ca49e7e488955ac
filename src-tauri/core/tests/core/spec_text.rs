//! Specification text: drafts from copies of PDF specifications. Each fixture in
//! `tests/fixtures/spec-texts/` is a layout such copies have; every criterion's code, group and text
//! is checked, and every line it did not place. A property test renders random frameworks as
//! wrapped text and reads them back.

use std::collections::BTreeSet;

use evidence_core::frameworks::spec_text::{parse, Draft, LineRole, SpecMeta};
use evidence_core::frameworks::{native, CriterionKind, FrameworkKind};

fn meta(kind: FrameworkKind) -> SpecMeta {
    SpecMeta {
        code: "SPEC".into(),
        title: "A specification".into(),
        version: "1".into(),
        kind,
        source: "copied from the PDF".into(),
    }
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/spec-texts/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("fixture")
}

/// Parses a fixture and checks what holds for every draft: the document survives the native
/// format unchanged, every line is accounted for, and `unplaced` matches the unplaced lines.
fn draft(name: &str, kind: FrameworkKind) -> Draft {
    let text = fixture(name);
    let d = parse(&text, &meta(kind)).expect("parse");
    let written = native::write(&d.doc).expect("write");
    assert_eq!(
        native::parse(written.as_bytes()).expect("reads back"),
        d.doc
    );
    let lines: BTreeSet<usize> = d.lines.iter().map(|l| l.line).collect();
    assert_eq!(lines, (1..=text.lines().count()).collect(), "{name}");
    let unplaced: Vec<usize> = d
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Unplaced)
        .map(|l| l.line)
        .collect();
    assert_eq!(
        unplaced,
        d.unplaced.iter().map(|u| u.line).collect::<Vec<_>>()
    );
    assert!(!d.doc.verified);
    d
}

fn qualification(name: &str) -> Draft {
    draft(name, FrameworkKind::Qualification)
}

fn criteria(d: &Draft) -> Vec<(&str, &str, &str)> {
    d.doc
        .criteria
        .iter()
        .map(|c| {
            (
                c.code.as_str(),
                c.group.as_deref().unwrap_or(""),
                c.text.as_str(),
            )
        })
        .collect()
}

fn groups(d: &Draft) -> Vec<(&str, Option<&str>, &str)> {
    d.doc
        .groups
        .iter()
        .map(|g| (g.code.as_str(), g.parent.as_deref(), g.title.as_str()))
        .collect()
}

fn roles(d: &Draft, role: LineRole) -> Vec<usize> {
    d.lines
        .iter()
        .filter(|l| l.role == role)
        .map(|l| l.line)
        .collect()
}

#[test]
fn a_single_unit_with_wrapped_lines() {
    let d = qualification("single-unit");
    assert_eq!(
        groups(&d),
        vec![
            ("U3", None, "Working with Community Groups"),
            (
                "U3.1",
                Some("U3"),
                "Understand how community groups form and develop"
            ),
            (
                "U3.2",
                Some("U3"),
                "Be able to support a community group to plan its activities"
            ),
        ]
    );
    assert_eq!(
        criteria(&d),
        vec![
            (
                "U3.1.1",
                "U3.1",
                "Describe the stages that a community group may go through as it develops."
            ),
            (
                "U3.1.2",
                "U3.1",
                "Explain why some groups stop meeting after their first year."
            ),
            (
                "U3.2.1",
                "U3.2",
                "Help a group to agree its aims and priorities for the coming year."
            ),
            (
                "U3.2.2",
                "U3.2",
                "Support a group to record its decisions in a way that all members can follow."
            ),
            (
                "U3.2.3",
                "U3.2",
                "Review with the group what went well and what it would change."
            ),
        ]
    );
    assert!(d
        .doc
        .criteria
        .iter()
        .all(|c| c.kind == CriterionKind::AssessmentCriterion));
    assert_eq!(
        roles(&d, LineRole::Continuation),
        vec![4, 6, 8, 10, 12, 14, 16]
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn a_flattened_table_with_its_headings_removed() {
    let d = qualification("flattened-table");
    assert_eq!(
        groups(&d)[1..],
        [
            (
                "U5.1",
                Some("U5"),
                "Understand the values that underpin community development"
            ),
            (
                "U5.2",
                Some("U5"),
                "Know how to challenge discrimination in community settings"
            ),
            (
                "U5.3",
                Some("U5"),
                "Understand the importance of active listening"
            ),
        ]
    );
    assert_eq!(
        criteria(&d),
        vec![
            (
                "U5.1.1",
                "U5.1",
                "Outline the values of community development practice"
            ),
            (
                "U5.1.2",
                "U5.1",
                "Describe how one value can be shown in day-to-day work with residents"
            ),
            (
                "U5.2.1",
                "U5.2",
                "Identify forms of discrimination that residents may face"
            ),
            (
                "U5.2.2",
                "U5.2",
                "Describe ways to challenge discriminatory language in a meeting"
            ),
            (
                "U5.3.1",
                "U5.3",
                "Explain why listening is central to community development work"
            ),
            (
                "U5.3.2",
                "U5.3",
                "Show active listening in a conversation with a resident"
            ),
        ]
    );
    assert_eq!(roles(&d, LineRole::Noise), vec![2, 3, 4, 5, 17]);
    // A row holding an outcome and its first criterion is two entries of one line.
    let row: Vec<_> = d
        .lines
        .iter()
        .filter(|l| l.line == 18)
        .map(|l| (l.role, l.code.as_deref()))
        .collect();
    assert_eq!(
        row,
        vec![
            (LineRole::LearningOutcome, Some("U5.3")),
            (LineRole::Criterion, Some("U5.3.1"))
        ]
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn page_furniture_mid_list_is_removed_and_hyphens_joined() {
    let d = qualification("lo-ac-furniture");
    assert_eq!(
        groups(&d)[1..],
        [
            (
                "U2.1",
                Some("U2"),
                "Understand the purpose of partnership working in communities"
            ),
            (
                "U2.2",
                Some("U2"),
                "Be able to contribute to a local partnership"
            ),
        ]
    );
    assert_eq!(
        criteria(&d),
        vec![
            (
                "U2.1.1",
                "U2.1",
                "Explain what is meant by partnership working."
            ),
            (
                "U2.1.2",
                "U2.1",
                "Describe two benefits of cross-sectoral working for a neighbourhood."
            ),
            (
                "U2.2.1",
                "U2.2",
                "Identify the partners that could contribute to a local partnership."
            ),
            (
                "U2.2.2",
                "U2.2",
                "Agree a shared aim with at least one partner organisation."
            ),
            (
                "U2.2.3",
                "U2.2",
                "Record the part that each partner will play in the partnership's work."
            ),
        ]
    );
    let noise: Vec<(usize, &str)> = d
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Noise)
        .map(|l| (l.line, l.note.as_deref().unwrap_or("")))
        .collect();
    let header = "page header or footer (repeated line)";
    assert_eq!(
        noise,
        vec![
            (1, header),
            (13, "page number"),
            (14, "copyright line"),
            (15, "version or date footer"),
            (17, header),
            (18, "repeated unit header"),
            (22, "page number"),
            (23, header),
        ]
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn two_units_keep_their_facts_in_the_description() {
    let d = qualification("two-units");
    assert_eq!(
        criteria(&d),
        vec![
            (
                "U1.1.1",
                "U1.1",
                "Describe the values of community development."
            ),
            (
                "U1.1.2",
                "U1.1",
                "Explain how the values guide a practitioner's choices."
            ),
            (
                "U1.2.1",
                "U1.2",
                "Outline the stages of a community development process."
            ),
            (
                "U4.1.1",
                "U4.1",
                "Keep a record of own practice over at least three months."
            ),
            (
                "U4.1.2",
                "U4.1",
                "Use feedback from others to identify areas for development."
            ),
        ]
    );
    assert_eq!(
        d.doc.description,
        "U1 Community Development Values and Process: unit reference: H/650/1234; level: 3; credit value: 6; guided learning hours: 48\n\
         U4 Reflective Community Development Practice: unit reference: K/650/5678; level: 3; credit value: 3; guided learning hours: 24"
    );
    assert_eq!(roles(&d, LineRole::UnitHeader), vec![1, 14]);
    assert_eq!(
        roles(&d, LineRole::UnitFact),
        vec![2, 3, 4, 5, 6, 15, 16, 17, 18, 19]
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn lettered_sub_criteria_and_bullets() {
    let d = qualification("outcome-letters");
    assert_eq!(
        criteria(&d),
        vec![
            ("U6.1.1", "U6.1", "Describe the ways adults learn in community settings, including: learning by doing; learning from peers; learning through discussion"),
            ("U6.1.2", "U6.1", "Explain barriers to learning for:"),
            ("U6.1.2a", "U6.1", "adults who left school early"),
            ("U6.1.2b", "U6.1", "adults whose first language is not English"),
            ("U6.2.1", "U6.2", "Plan a session that: meets the needs of the group; uses at least two methods"),
            ("U6.2.1a", "U6.2", "in a venue the group can reach"),
            ("U6.2.2", "U6.2", "Evaluate the session with the learners."),
        ]
    );
    assert_eq!(
        groups(&d)[2],
        (
            "U6.2",
            Some("U6"),
            "Be able to plan a community learning session"
        )
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn a_national_occupational_standard() {
    let d = draft("nos", FrameworkKind::OccupationalStandard);
    assert_eq!(
        groups(&d),
        vec![(
            "CLDSCCD99",
            None,
            "Help community groups to review their work"
        )]
    );
    let pc = |n: u32, text: &'static str| {
        (
            format!("CLDSCCD99.PC{n}"),
            CriterionKind::PerformanceCriterion,
            text,
        )
    };
    let k = |n: u32, text: &'static str| {
        (
            format!("CLDSCCD99.K{n}"),
            CriterionKind::KnowledgeItem,
            text,
        )
    };
    let got: Vec<(String, CriterionKind, &str)> = d
        .doc
        .criteria
        .iter()
        .map(|c| (c.code.clone(), c.kind, c.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            pc(1, "agree with the group what the review will cover"),
            pc(
                2,
                "gather views from members and from people the group works with"
            ),
            pc(3, "support the group to decide on changes"),
            pc(4, "record what the group has agreed"),
            k(1, "ways of running a review that suit different groups"),
            k(2, "how to help members give honest feedback"),
            k(3, "the difference between: monitoring; evaluation"),
            k(4, "how to write up a review in plain language"),
        ]
    );
    assert!(d
        .doc
        .criteria
        .iter()
        .all(|c| c.group.as_deref() == Some("CLDSCCD99")));
    assert_eq!(
        d.doc.description,
        "CLDSCCD99 Help community groups to review their work: overview: This standard is about helping community groups to look back at what they have done and plan what to do next. developed by: CLD Standards Council; version: 1; date approved: March 2026"
    );
    assert_eq!(
        d.lines[20].note.as_deref(),
        Some("repeated standard header")
    );
    assert!(d.unplaced.is_empty());
}

#[test]
fn junk_lines_are_listed_as_unplaced_with_reasons() {
    let d = qualification("junk");
    assert_eq!(
        criteria(&d),
        vec![
            (
                "U7.1.1",
                "U7.1",
                "Describe the role of a chair at a community meeting."
            ),
            ("U7.1.2", "U7.1", "List the papers sent before a meeting."),
            ("U7.2.1", "U7.2", "Open and close a meeting."),
        ]
    );
    let unplaced: Vec<(usize, &str, &str)> = d
        .unplaced
        .iter()
        .map(|u| (u.line, u.text.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(
        unplaced,
        vec![
            (1, "Draft – do not circulate", "text outside any unit, learning outcome or criterion"),
            (3, "This unit is for learners who chair or organise meetings.", "text after the statement on line 2, not numbered as a new one"),
            (4, "1.1 Describe the role of a chair.", "criterion 1.1 comes before any learning outcome"),
            (7, "2.1 Explain how to keep to time.", "criterion 2.1 does not belong to learning outcome 1 (line 5), and this unit has no learning outcome 2"),
            (8, "1.1 List the papers sent before a meeting.", "criterion 1.1 is already on line 6"),
            (12, "Learners could draw on a meeting they have attended.", "text under the heading on line 11, which is not criteria"),
            (13, "1.3 Evidence may be a witness statement.", "a numbered line under the heading on line 11, whose text is not criteria"),
            (18, "Notes for tutors: see the centre handbook.", "text after the statement on line 16, not numbered as a new one"),
        ]
    );
}

mod edges;
mod properties;
