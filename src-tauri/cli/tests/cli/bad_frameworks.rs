//! Framework files that break the rules (bad TOML, duplicate codes, unknown parents, cycles, huge or
//! non-UTF-8 text, …): each refused with one line naming the problem, and nothing changed.

use crate::bad_input::populated;
use crate::common::arg;

const FRAMEWORK_HEAD: &str = r#"format = "evidence-tracker/framework"
format_version = 1

[framework]
code = "TEST-FW"
title = "A test framework"
kind = "qualification"
version = "1"
verified = false
source = "written for the CLI tests"
"#;

const GROUPS: &str = r#"
[[group]]
code = "U1"
kind = "unit"
title = "Unit one"

[[group]]
code = "U1.1"
kind = "learning_outcome"
title = "Outcome one"
parent = "U1"
"#;

fn criterion(code: &str, group: &str, text: &str) -> String {
    format!(
        "\n[[criterion]]\ncode = \"{code}\"\nkind = \"assessment_criterion\"\ngroup = \"{group}\"\ntext = \"{text}\"\n"
    )
}

#[test]
fn framework_files_that_break_the_rules_are_refused() {
    let s = populated();
    let valid = format!(
        "{FRAMEWORK_HEAD}{GROUPS}{}",
        criterion("U1.1.1", "U1.1", "Explain.")
    );
    let huge = "x".repeat(10_001);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed TOML",
            b"format = \n[framework\n".to_vec(),
            "TOML",
        ),
        (
            "missing field",
            valid.replace("verified = false\n", "").into_bytes(),
            "verified",
        ),
        (
            "unknown field",
            valid
                .replace("verified = false", "verifed = false\nverified = false")
                .into_bytes(),
            "verifed",
        ),
        (
            "duplicate criterion codes",
            format!("{valid}{}", criterion("U1.1.1", "U1.1", "Again.")).into_bytes(),
            "duplicate criterion code \"U1.1.1\"",
        ),
        (
            "duplicate group codes",
            format!("{valid}\n[[group]]\ncode = \"U1\"\nkind = \"unit\"\ntitle = \"Twice\"\n")
                .into_bytes(),
            "duplicate group code \"U1\"",
        ),
        (
            "unknown parent",
            valid
                .replace("parent = \"U1\"", "parent = \"U9\"")
                .into_bytes(),
            "unknown parent \"U9\"",
        ),
        (
            "unknown group",
            format!("{valid}{}", criterion("U1.1.2", "U7", "Lost.")).into_bytes(),
            "unknown group \"U7\"",
        ),
        (
            "cycle",
            valid
                .replace(
                    "title = \"Unit one\"",
                    "title = \"Unit one\"\nparent = \"U1.1\"",
                )
                .into_bytes(),
            "cycle",
        ),
        (
            "non-UTF-8 file",
            [valid.as_bytes(), b"\n# \xff\xfe\n"].concat(),
            "not UTF-8",
        ),
        (
            "criterion text over 10,000 characters",
            format!("{valid}{}", criterion("U1.1.2", "U1.1", &huge)).into_bytes(),
            "10001 characters",
        ),
        (
            "no criteria",
            format!("{FRAMEWORK_HEAD}{GROUPS}").into_bytes(),
            "no criteria",
        ),
        (
            "colon in a code",
            format!("{valid}{}", criterion("U1:2", "U1.1", "Colon.")).into_bytes(),
            "U1:2",
        ),
    ];
    for (case, bytes, needle) in cases {
        let file = s.p.scratch_file("framework.toml", &bytes);
        s.refused(
            case,
            &["frameworks", "import", arg(&file)],
            "invalid_framework",
            needle,
        );
    }
    // The valid file itself is accepted, so the cases above fail for their own reason.
    let file = s.p.scratch_file("framework.toml", valid.as_bytes());
    assert_eq!(
        s.p.json(&["frameworks", "import", arg(&file)])["outcome"],
        "added"
    );

    let missing = s.p.dir().join("no-such-framework.toml");
    s.refused(
        "missing framework file",
        &["frameworks", "import", arg(&missing)],
        "invalid_input",
        "no-such-framework.toml",
    );
    let bad_csv = s.p.scratch_file("bad.csv", b"\xff\xfe not a csv");
    s.refused(
        "non-UTF-8 Moodle CSV",
        &["frameworks", "import", "--moodle-csv", arg(&bad_csv)],
        "invalid_framework",
        "UTF-8",
    );
    s.refused(
        "unknown framework",
        &["frameworks", "show", "NOPE"],
        "not_found",
        "NOPE",
    );
}
