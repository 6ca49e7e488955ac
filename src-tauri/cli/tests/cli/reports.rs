//! `evidence report`: each report in each format written to a file as a person would ask for it,
//! the format taken from the file name, and the refusals (no learner, unknown format, a portfolio the
//! user may not read) leaving nothing behind.

use crate::common::{arg, Portfolio};

#[test]
fn every_report_in_every_format() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Ada Example");
    let item = p.add_evidence(
        &learner,
        "Residents' meeting",
        "direct_observation",
        "2026-10-01",
        &["--submit"],
    );
    p.ok(&["map", &item, "NOCN-L3-CD:PWC.1.1", "CD-NOS:CLDSCCD15.PC1"]);
    for report in ["coverage", "evidence-record", "units", "cohort"] {
        for format in ["csv", "html", "pdf"] {
            let out = p.scratch_file(&format!("{report}.{format}"), b"");
            let mut args = vec!["report", report, "--out", arg(&out)];
            if report != "cohort" {
                args.extend(["--learner", &learner]);
            }
            let written = p.json(&args);
            assert_eq!(written["report"], report);
            assert_eq!(written["format"], format, "taken from the extension");
            let bytes = std::fs::read(&out).unwrap();
            assert_eq!(written["bytes"], bytes.len());
            match format {
                "csv" => {
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(
                        text.starts_with("\u{feff}learner_id,learner_name,"),
                        "a byte-order mark, then the header: {text}"
                    );
                    assert!(text.contains("Ada Example"), "{report}: {text}");
                }
                "html" => {
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(text.starts_with("<!DOCTYPE html>"));
                    assert!(text.contains("Ada Example"));
                }
                _ => assert!(bytes.starts_with(b"%PDF-"), "{report}.pdf"),
            }
        }
    }
    let forced = p.scratch_file("coverage.out", b"");
    let written = p.json(&[
        "report",
        "coverage",
        "--learner",
        &learner,
        "--format",
        "csv",
        "--out",
        arg(&forced),
    ]);
    assert_eq!(written["format"], "csv");
    let rows = std::fs::read_to_string(&forced).unwrap();
    assert!(
        rows.contains(&format!(
            "E1,{item},Residents' meeting,direct_observation,,2026-10-01,submitted"
        )),
        "{rows}"
    );
    assert!(
        written["suggested_name"]
            .as_str()
            .unwrap()
            .starts_with("coverage-ada-example-"),
        "{written}"
    );
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Ada Example");
    let out = p.scratch_file("placeholder", b"");
    let target = out.with_file_name("report.pdf");
    p.refuse(
        &["report", "coverage", "--out", arg(&target)],
        "invalid_input",
        "name the learner",
    );
    let unknown = out.with_file_name("report.docx");
    p.refuse(
        &[
            "report",
            "units",
            "--learner",
            &learner,
            "--out",
            arg(&unknown),
        ],
        "invalid_input",
        "--format",
    );
    p.centre_with(&[("tom", "Tom Tutor", "tutor")]);
    p.sign_in_as("tom");
    p.refuse(
        &[
            "report",
            "coverage",
            "--learner",
            &learner,
            "--out",
            arg(&target),
        ],
        "not_found",
        "",
    );
    assert!(!target.exists() && !unknown.exists(), "nothing written");
}
