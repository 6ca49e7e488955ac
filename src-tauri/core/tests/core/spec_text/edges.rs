//! The edges of the specification-text reader: lines that continue an unplaced line, outcomes before
//! any unit, text with nothing recognised (refused), and a megabyte paste.

use super::*;

#[test]
fn lines_continuing_an_unplaced_line_are_unplaced_too() {
    let text = "Unit 1: Groups\n1. Know groups\n1.1 Describe a group.\n3.1 Explain a thing that\nwraps onto a second line\n1.2 List groups.\n";
    let d = parse(text, &meta(FrameworkKind::Qualification)).expect("parse");
    let unplaced: Vec<(usize, &str)> = d
        .unplaced
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(unplaced[1], (5, "continues unplaced line 4"));
    assert_eq!(d.doc.criteria.len(), 2);
}

#[test]
fn outcomes_before_any_unit_header_get_a_unit() {
    let d = parse(
        "1 Know groups\n1.1 Describe a group.",
        &meta(FrameworkKind::Qualification),
    )
    .expect("parse");
    assert_eq!(groups(&d)[0], ("U1", None, "A specification"));
    assert_eq!(criteria(&d), vec![("U1.1.1", "U1.1", "Describe a group.")]);
}

#[test]
fn text_with_nothing_recognised_is_refused() {
    let err = parse(
        "Just a letter to the residents.\n\nSee you soon.",
        &meta(FrameworkKind::Qualification),
    )
    .expect_err("refused");
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string()
            .contains("nothing in the text looks like a specification"),
        "{err}"
    );
    let err = parse(
        "Unit 1: Groups\n1. Know groups",
        &meta(FrameworkKind::Qualification),
    )
    .expect_err("refused");
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("no criteria"), "{err}");
    let err = parse("1.1 Describe.", &meta(FrameworkKind::Values)).expect_err("refused");
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn a_megabyte_paste_is_handled() {
    let unit = fixture("single-unit");
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1_000_000 {
        n += 1;
        text.push_str(&unit.replacen("Unit 3:", &format!("Unit {n}:"), 1));
        text.push_str("\nPage 1 of 9\n");
    }
    let d = parse(&text, &meta(FrameworkKind::Qualification)).expect("parse");
    assert_eq!(d.doc.criteria.len(), n * 5);
    assert!(d.unplaced.is_empty());
}
