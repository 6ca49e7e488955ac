//! Specification text on the command line: `frameworks import` refuses it and names `from-text`,
//! which writes a draft (unplaced lines on stderr) that then imports as a framework.

use crate::common::{arg, Portfolio};

#[test]
fn specification_text_becomes_a_draft_and_is_never_imported_unchecked() {
    let p = Portfolio::new();
    let text = "Unit 4: Run a community meeting\n\
                1. Understand how meetings are run\n\
                1.1 Describe the role of a chair\n\
                Page 3 of 9\n\
                1.2 Explain how an agenda is agreed by\n\
                the members.\n\
                \n\
                An aside that is not a criterion.\n";
    let spec = p.scratch_file("unit4.txt", text.as_bytes());
    p.ok(&["frameworks", "list"]);
    let before = p.snapshot();
    let refusal = p.refuse(
        &["frameworks", "import", arg(&spec)],
        "invalid_framework",
        "from-text",
    );
    assert_eq!(before, p.snapshot());
    assert!(refusal.contains("unit4.txt"), "{refusal}");

    let draft = p.dir().join("draft.toml");
    let output = p
        .command()
        .args([
            "frameworks",
            "from-text",
            arg(&spec),
            "--code",
            "MY-QUAL",
            "--title",
            "My qualification",
            "--version",
            "1",
            "--out",
            arg(&draft),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 8:") && stderr.contains("An aside that is not a criterion."),
        "the unplaced line is named: {stderr}"
    );
    let report = p.json(&["frameworks", "import", arg(&draft)]);
    assert_eq!(report["outcome"], "added");
    let shown = p.json(&["frameworks", "show", "MY-QUAL"]);
    let texts: Vec<(&str, &str)> = shown["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            ("U4.1.1", "Describe the role of a chair"),
            ("U4.1.2", "Explain how an agenda is agreed by the members."),
        ]
    );
}
