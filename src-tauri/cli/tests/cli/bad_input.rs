//! Bad input: each case ends with exit status 1, exactly one line on standard error naming the
//! problem (`{"error":{"code","message"}}` with `--json`), and the data directory exactly as before.

use crate::common::{add_args, arg, day, Portfolio};

/// A portfolio with something in every table worth protecting: a learner enrolled on two
/// frameworks, two evidence items (one with an attachment, one mapped).
pub(crate) struct Populated {
    pub(crate) p: Portfolio,
    pub(crate) learner: String,
    pub(crate) item: String,
}

pub(crate) fn populated() -> Populated {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Gita Rao");
    let item = p.add_evidence(
        &learner,
        "Community audit",
        "product_evidence",
        &day(-20),
        &["--submit"],
    );
    p.ok(&["map", &item, "CD-NOS:CLDSCCD15.PC1", "NOCN-L3-CD:PWC.1.1"]);
    let file = p.scratch_file("audit.txt", b"audit results");
    p.ok(&["attach", &item, arg(&file)]);
    p.add_evidence(&learner, "Draft notes", "other", &day(-2), &[]);
    Populated { p, learner, item }
}

impl Populated {
    /// Refuses `args` with `code` and a message containing `needle`, changing nothing.
    pub(crate) fn refused(&self, case: &str, args: &[&str], code: &str, needle: &str) {
        let before = self.p.snapshot();
        let message = self.p.refuse(args, code, needle);
        assert!(!message.is_empty(), "{case}");
        assert!(
            self.p.snapshot() == before,
            "{case}: the data directory changed after a refused command"
        );
    }
}

#[test]
fn evidence_fields_are_checked() {
    let s = populated();
    let learner = s.learner.as_str();
    let add = |title: &str, method: &str, date: &str| add_args(learner, title, method, date, &[]);
    let today = day(0);
    let long_title = "t".repeat(301);
    let cases: Vec<(&str, Vec<String>, &str, &str)> = vec![
        (
            "unknown learner",
            {
                let mut a = add("Title", "other", &today);
                a[2] = "Nobody Known".into();
                a
            },
            "not_found",
            "Nobody Known",
        ),
        (
            "future activity date",
            add("Title", "other", &day(2)),
            "invalid_input",
            "in the future",
        ),
        (
            "bad date format",
            add("Title", "other", "03/02/2024"),
            "invalid_input",
            "YYYY-MM-DD",
        ),
        (
            "impossible date",
            add("Title", "other", "2024-02-30"),
            "invalid_input",
            "2024-02-30",
        ),
        (
            "date before 1950",
            add("Title", "other", "1900-01-01"),
            "invalid_input",
            "before 1950",
        ),
        (
            "unknown method",
            add("Title", "interpretive_dance", &today),
            "invalid_input",
            "interpretive_dance",
        ),
        (
            "empty title",
            add("   ", "other", &today),
            "invalid_input",
            "title is empty",
        ),
        (
            "title over 300 characters",
            add(&long_title, "other", &today),
            "invalid_input",
            "the limit is 300",
        ),
        (
            "control character in title",
            add("Tab\there", "other", &today),
            "invalid_input",
            "a control character (U+0009)",
        ),
    ];
    for (case, args, code, needle) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        s.refused(case, &args, code, needle);
    }
    // A 300-character title is fine.
    s.p.add_evidence(learner, &"t".repeat(300), "other", &today, &[]);

    let bad_body = s.p.scratch_file("body.md", b"caf\xe9 latin-1 text");
    s.refused(
        "non-UTF-8 body file",
        &strs(&add_args(
            learner,
            "T",
            "other",
            &today,
            &["--body-file", arg(&bad_body)],
        )),
        "invalid_input",
        "not UTF-8",
    );
    let missing_body = s.p.dir().join("missing-body.md");
    s.refused(
        "missing body file",
        &strs(&add_args(
            learner,
            "T",
            "other",
            &today,
            &["--body-file", arg(&missing_body)],
        )),
        "invalid_input",
        "missing-body.md",
    );
    let item = s.item.as_str();
    s.refused(
        "edit with an unknown status",
        &["edit", item, "--status", "approved"],
        "invalid_input",
        "approved",
    );
    s.refused(
        "edit with an empty title",
        &["edit", item, "--title", ""],
        "invalid_input",
        "title is empty",
    );
    s.refused(
        "edit to a future date",
        &["edit", item, "--date", &day(3)],
        "invalid_input",
        "in the future",
    );
    s.refused(
        "unknown evidence id",
        &["show", "0123456789abcdef"],
        "not_found",
        "0123456789abcdef",
    );
    s.refused(
        "too short an evidence id",
        &["show", "01ab"],
        "invalid_input",
        "8 or more of its characters",
    );
    s.refused(
        "unknown learner's gaps",
        &["gaps", "--learner", "Nobody Known"],
        "not_found",
        "Nobody Known",
    );
    s.refused(
        "unknown learner's list",
        &["list", "--learner", "Nobody Known"],
        "not_found",
        "Nobody Known",
    );
    s.refused(
        "list with a bad date",
        &["list", "--learner", learner, "--from", "yesterday"],
        "invalid_input",
        "yesterday",
    );
    s.refused(
        "enrol an unknown learner",
        &["enrol", "--learner", "Nobody Known", "CD-NOS"],
        "not_found",
        "Nobody Known",
    );
    s.refused(
        "enrol on an unknown framework",
        &["enrol", "--learner", learner, "NOPE"],
        "not_found",
        "NOPE",
    );
    s.refused(
        "enrol on an unknown unit",
        &["enrol", "--learner", learner, "NOCN-L3-CD", "--unit", "ZZZ"],
        "not_found",
        "ZZZ",
    );
    s.p.add_learner("Sam Lee");
    s.p.add_learner("sam lee");
    s.refused(
        "a name two learners share",
        &["gaps", "--learner", "SAM LEE"],
        "ambiguous",
        "more than one learner",
    );
    s.refused(
        "empty learner name",
        &["learners", "add", "  "],
        "invalid_input",
        "name is empty",
    );
    s.refused(
        "bad email",
        &["learners", "add", "Hana", "--email", "not-an-email"],
        "invalid_input",
        "not-an-email",
    );
    s.refused(
        "currency years of zero",
        &["gaps", "--learner", learner, "--currency-years", "0"],
        "invalid_input",
        "1 to 50 years",
    );
    s.refused(
        "setting currency years too high",
        &["settings", "currency-years", "51"],
        "invalid_input",
        "got 51",
    );
}

#[test]
fn attachments_must_be_readable_files() {
    let s = populated();
    let item = s.item.as_str();
    let missing = s.p.dir().join("no-such-file.pdf");
    s.refused(
        "missing attachment file",
        &["attach", item, arg(&missing)],
        "attachment_unreadable",
        "no-such-file.pdf",
    );
    let folder = s.p.scratch_file("placeholder", b"");
    let folder = folder.parent().expect("scratch folder");
    s.refused(
        "attachment that is a directory",
        &["attach", item, arg(folder)],
        "attachment_unreadable",
        "not a regular file",
    );
    let file = s.p.scratch_file("fine.txt", b"fine");
    s.refused(
        "attachment to an unknown item",
        &["attach", "0123456789abcdef", arg(&file)],
        "not_found",
        "0123456789abcdef",
    );
}

#[test]
fn mapping_is_all_or_nothing() {
    let s = populated();
    let item = s.item.as_str();
    s.refused(
        "unknown criterion",
        &["map", item, "CD-NOS:CLDSCCD15.PC99"],
        "not_found",
        "CD-NOS:CLDSCCD15.PC99",
    );
    s.refused(
        "unknown framework in a reference",
        &["map", item, "NOPE:PC1"],
        "not_found",
        "NOPE:PC1",
    );
    for bad in ["CDNOS", "CD-NOS:", ":PC1", "A:B:C"] {
        s.refused(
            "malformed reference",
            &["map", item, bad],
            "invalid_input",
            "FRAMEWORK:CODE",
        );
    }
    // One unknown among several valid references: nothing is mapped.
    s.refused(
        "one of several references unknown",
        &[
            "map",
            item,
            "CD-NOS:CLDSCCD15.PC2",
            "NOCN-L3-CD:PWC.2.1",
            "CD-NOS:CLDSCCD15.NOPE",
        ],
        "not_found",
        "CD-NOS:CLDSCCD15.NOPE",
    );
    s.refused(
        "one of several references malformed",
        &["map", item, "CD-NOS:CLDSCCD15.PC2", "garbage"],
        "invalid_input",
        "garbage",
    );
    let shown = s.p.json(&["show", item]);
    assert_eq!(
        crate::common::refs(&shown["mappings"]),
        ["CD-NOS:CLDSCCD15.PC1", "NOCN-L3-CD:PWC.1.1"]
    );
    s.refused(
        "unmap a criterion not mapped",
        &[
            "unmap",
            item,
            "CD-NOS:CLDSCCD15.PC1",
            "CD-NOS:CLDSCCD15.PC2",
        ],
        "not_found",
        "CD-NOS:CLDSCCD15.PC2",
    );
    s.refused(
        "map to an unknown item",
        &["map", "0123456789abcdef", "CD-NOS:CLDSCCD15.PC2"],
        "not_found",
        "0123456789abcdef",
    );
    let long_note = "n".repeat(2_001);
    s.refused(
        "note over 2,000 characters",
        &["map", item, "CD-NOS:CLDSCCD15.PC2", "--note", &long_note],
        "invalid_input",
        "the limit is 2000",
    );
}

/// Borrows owned arguments as the `&[&str]` the helpers take.
fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Runs `evidence ARGS` with standard output and standard error both pipes whose reading ends are
/// closed before it writes, as in `evidence … 2>&1 | true`; returns its exit code.
fn exit_code_with_closed_pipes(p: &Portfolio, args: &[&str]) -> Option<i32> {
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("evidence"))
        .env_remove("EVIDENCE_USER")
        .arg("--data-dir")
        .arg(p.dir())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start evidence");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().expect("evidence ends").code()
}

#[test]
fn an_error_that_cannot_be_written_still_exits_1_not_a_panic() {
    let p = Portfolio::new();
    assert_eq!(
        exit_code_with_closed_pipes(&p, &["show", "no-such-item"]),
        Some(1),
        "a refusal whose message cannot be written exits 1 (101 would be a panic)"
    );
    assert_eq!(
        exit_code_with_closed_pipes(&p, &["frameworks", "export", "CD-NOS"]),
        Some(0),
        "a framework written to a closed pipe (`… | head`) is not a failure"
    );
}
