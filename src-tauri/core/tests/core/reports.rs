//! Reports: the four reports on a fixed portfolio, as CSV and HTML (snapshots), and as PDF (its text
//! extracted: every criterion code and status, in order, on numbered pages with the table headings
//! repeated); who may export what.

use evidence_core::evidence::{Method, NewEvidence, Status, Witness};
use evidence_core::reports::{self, Report, ReportFormat, ReportKind};
use evidence_core::review::Outcome;
use evidence_core::CriterionRef;

use crate::common::{add, refs};
use crate::review::{as_user, setup, Setup};

const AT: &str = "2026-11-22T10:00:00+00:00";

/// Lena's portfolio: unit PWC (item E1 submitted, every criterion judged met, the unit signed off)
/// and standard CLDSCCD15 (a draft item on PC1, a witness testimony on PC2); Asa, her assessor,
/// signed in.
fn portfolio() -> Setup {
    let mut s = setup();
    let store = &mut s.fx.store;
    store.enrol(&s.lena, "CD-NOS", &[]).unwrap();
    let draft = add(
        store,
        &s.lena,
        "Community meeting notes",
        Status::Draft,
        "2026-10-12",
    );
    store
        .map_evidence(&draft.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    let testimony = store
        .add_evidence(&NewEvidence {
            learner: s.lena.clone(),
            title: "Testimony from the housing officer".into(),
            method: Method::WitnessTestimony,
            activity_date: crate::common::date("2026-10-20"),
            body_markdown: "Lena chaired the residents' forum.".into(),
            status: Status::Submitted,
            witness: Witness {
                name: "Jo Okafor".into(),
                role: "Housing officer, Anytown Council".into(),
                relationship: "partner organisation worker".into(),
            },
        })
        .unwrap();
    store
        .map_evidence(&testimony.id, &refs(&["CD-NOS:CLDSCCD15.PC2"]), None)
        .unwrap();
    as_user(store, "asa");
    for criterion in [
        "NOCN-L3-CD:PWC.1.1",
        "NOCN-L3-CD:PWC.2.1",
        "NOCN-L3-CD:PWC.3.1",
    ] {
        store
            .judge(
                &s.lena,
                &CriterionRef::parse(criterion).unwrap(),
                Outcome::Met,
                "Clear account of the partnership's aims.",
                std::slice::from_ref(&s.item),
            )
            .unwrap();
    }
    store.sign_off_unit(&s.lena, "NOCN-L3-CD", "PWC").unwrap();
    s
}

fn document(s: &Setup, kind: ReportKind) -> Report {
    let learner = kind.needs_learner().then_some(s.lena.as_str());
    s.fx.store
        .report_document(kind, learner, AT, &mut |_| Ok(()))
        .unwrap()
}

fn text(report: &Report, format: ReportFormat) -> String {
    String::from_utf8(reports::render(report, format).unwrap()).unwrap()
}

/// Snapshots without what changes from run to run: ids, times and today's date.
fn snapshot(name: &str, value: &str) {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[uuid]",
    );
    settings.add_filter(r"\b[0-9a-f]{64}\b", "[sha256]");
    settings.add_filter(r"ed25519:[0-9a-f]{32}", "[key]");
    settings.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
        "[time]",
    );
    settings.add_filter(&today, "[today]");
    settings.bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn coverage_report_as_csv_and_html() {
    let s = portfolio();
    let report = document(&s, ReportKind::Coverage);
    let csv = text(&report, ReportFormat::Csv);
    assert_eq!(
        csv.lines().next().unwrap().trim_start_matches('\u{feff}'),
        format!(
            "{},{}",
            reports::csv_columns(ReportKind::Coverage).join(","),
            reports::AUDIT_HEAD_COLUMN
        )
    );
    // 3 PWC criteria (one item each) + 28 CD-NOS criteria (one row each; PC1 with the draft).
    assert_eq!(csv.lines().count(), 1 + 3 + 28);
    snapshot("coverage_csv", &csv);
    let html = text(&report, ReportFormat::Html);
    assert!(!html.contains("<script"), "self-contained, no scripts");
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external files"
    );
    snapshot("coverage_html", &html);
}

#[test]
fn evidence_record_units_and_cohort_as_csv() {
    let s = portfolio();
    for (kind, name) in [
        (ReportKind::EvidenceRecord, "evidence_record_csv"),
        (ReportKind::Units, "units_csv"),
        (ReportKind::Cohort, "cohort_csv"),
    ] {
        let report = document(&s, kind);
        let csv = text(&report, ReportFormat::Csv);
        assert_eq!(
            csv.lines().next().unwrap().trim_start_matches('\u{feff}'),
            format!(
                "{},{}",
                reports::csv_columns(kind).join(","),
                reports::AUDIT_HEAD_COLUMN
            ),
            "{name}"
        );
        snapshot(name, &csv);
    }
    let html = text(&document(&s, ReportKind::Units), ReportFormat::Html);
    snapshot("units_html", &html);
}

#[test]
fn unverified_framework_text_is_labelled_in_every_format() {
    let s = portfolio();
    let report = document(&s, ReportKind::Coverage);
    assert!(
        report.notices[0].contains("NOCN-L3-CD"),
        "{:?}",
        report.notices
    );
    assert!(report
        .header
        .frameworks
        .iter()
        .any(|f| f.contains("unverified")));
    let csv = text(&report, ReportFormat::Csv);
    assert!(
        csv.contains("NOCN-L3-CD,1,false,") || csv.contains(",false,PWC,"),
        "{csv}"
    );
    assert!(text(&report, ReportFormat::Html).contains("Unverified text"));
    let pdf = reports::render(&report, ReportFormat::Pdf).unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(words.contains("Unverified text"), "{words}");
}

#[test]
fn coverage_pdf_lists_every_criterion_in_order_on_numbered_pages() {
    let s = portfolio();
    let report = document(&s, ReportKind::Coverage);
    let pdf = reports::render(&report, ReportFormat::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("coverage-report.pdf");
    std::fs::write(&out, &pdf).unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = words.split_whitespace().collect::<Vec<_>>().join(" ");

    // Every criterion code, in framework order, each followed by its status.
    let coverage = s.fx.store.coverage(&s.lena).unwrap();
    let mut from = 0;
    for c in &coverage.criteria {
        let code = &c.reference.code;
        let at = flat[from..]
            .find(&format!("{code} "))
            .unwrap_or_else(|| panic!("{code} missing after offset {from}:\n{flat}"));
        from += at + code.len();
        let status = match c.status {
            evidence_core::gaps::CriterionStatus::Met => "Met",
            evidence_core::gaps::CriterionStatus::NoEvidence => "No evidence",
            evidence_core::gaps::CriterionStatus::DraftOnly => "Draft evidence only",
            evidence_core::gaps::CriterionStatus::Evidenced => "Evidenced, not yet assessed",
            evidence_core::gaps::CriterionStatus::NotYetMet => "Not yet met",
        };
        assert!(
            flat[from..].contains(status),
            "{code}: status {status} not after it: {}",
            &flat[from..(from + 300).min(flat.len())]
        );
    }
    // Numbered pages, the total known on each, the table headings on every page the table reaches.
    let pages = flat.matches("Page ").count();
    assert!(pages >= 2, "a 31-criterion report runs over pages: {pages}");
    for n in 1..=pages {
        assert!(flat.contains(&format!("Page {n} of {pages}")), "page {n}");
    }
    assert!(
        flat.matches("Criterion Text Status Evidence Judgement")
            .count()
            >= pages - 1
    );
    // The running header and footer: learner, qualification, framework versions, generation time.
    assert!(flat.matches("LENA").count() >= pages);
    assert!(flat.matches("CD-NOS 2023").count() >= pages);
    assert!(flat.matches(AT).count() >= pages);
}

#[test]
fn reports_follow_the_same_access_rules_as_the_screens() {
    let mut s = portfolio();
    let store = &mut s.fx.store;
    // A learner report needs a learner; the cohort summary lists only those the user may read.
    let err = store
        .report(ReportKind::Coverage, ReportFormat::Csv, None, &mut |_| {
            Ok(())
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    as_user(store, "admin");
    let err = store
        .report(
            ReportKind::Coverage,
            ReportFormat::Pdf,
            Some(&s.lena),
            &mut |_| Ok(()),
        )
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let cohort = store
        .report_document(ReportKind::Cohort, None, AT, &mut |_| Ok(()))
        .unwrap();
    assert!(cohort.csv.rows.is_empty(), "{:?}", cohort.csv.rows);
    as_user(store, "lena");
    let mut stages = Vec::new();
    let own = store
        .report(
            ReportKind::Units,
            ReportFormat::Html,
            Some(&s.lena),
            &mut |p| {
                stages.push(p.stage);
                Ok(())
            },
        )
        .unwrap();
    assert!(String::from_utf8(own).unwrap().contains("PWC"));
    assert_eq!(
        stages.first().map(String::as_str),
        Some("Reading the portfolio")
    );
    assert_eq!(stages.last().map(String::as_str), Some("Done"));
}

#[test]
fn file_names_say_what_whom_and_when() {
    let name = reports::file_name(ReportKind::Coverage, ReportFormat::Pdf, Some("Ada O'Brien"));
    assert!(name.starts_with("coverage-ada-o-brien-"), "{name}");
    assert!(name.ends_with(".pdf"));
    let name = reports::file_name(ReportKind::Cohort, ReportFormat::Csv, None);
    assert!(
        name.starts_with("cohort-20") && name.ends_with(".csv"),
        "{name}"
    );
}

#[test]
fn docs_list_every_csv_column_in_order() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reports.md");
    let doc = std::fs::read_to_string(path).unwrap();
    for kind in [
        ReportKind::Coverage,
        ReportKind::EvidenceRecord,
        ReportKind::Units,
        ReportKind::Cohort,
    ] {
        let heading = format!("### `{}`", kind.as_str());
        let start = doc.find(&heading).unwrap_or_else(|| panic!("no {heading}"));
        let section = &doc[start + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        let documented: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once('`').map(|(name, _)| name))
            .collect();
        assert_eq!(documented, reports::csv_columns(kind), "{heading}");
    }
}

#[test]
fn a_pdf_export_reports_its_progress_page_by_page() {
    let s = portfolio();
    let mut seen = Vec::new();
    let pdf =
        s.fx.store
            .report(
                ReportKind::Coverage,
                ReportFormat::Pdf,
                Some(&s.lena),
                &mut |p| {
                    seen.push((p.stage, p.done, p.total));
                    Ok(())
                },
            )
            .unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let pages = words.matches("Page ").count();
    let stages: Vec<&str> = seen.iter().map(|(stage, ..)| stage.as_str()).collect();
    assert_eq!(stages.first(), Some(&"Reading the portfolio"));
    assert!(stages.contains(&"Laying out page 1"), "{stages:?}");
    let last_page = format!("Writing page {pages} of {pages}");
    assert!(stages.contains(&last_page.as_str()), "{stages:?}");
    assert_eq!(stages.last(), Some(&"Done"));
    // Pages are counted up in order, each known total the real one.
    let written: Vec<(usize, usize)> = seen
        .iter()
        .filter(|(stage, ..)| stage.starts_with("Writing page"))
        .map(|(_, done, total)| (*done, *total))
        .collect();
    assert_eq!(written, (1..=pages).map(|n| (n, pages)).collect::<Vec<_>>());
}

#[test]
fn a_formula_in_an_items_title_reaches_the_csv_as_text() {
    let mut s = setup();
    let store = &mut s.fx.store;
    let hostile = add(
        store,
        &s.lena,
        "=HYPERLINK(\"http://evil.example/\",\"Open\")",
        Status::Submitted,
        "2026-10-12",
    );
    store
        .map_evidence(&hostile.id, &refs(&["NOCN-L3-CD:PWC.1.1"]), None)
        .unwrap();
    let csv = text(&document(&s, ReportKind::Coverage), ReportFormat::Csv);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "'=HYPERLINK(\"http://evil.example/\",\"Open\")"),
        "{csv}"
    );
    let runnable = |c: &&String| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    assert_eq!(cells.iter().find(runnable), None, "{csv}");
}

/// A corpus of values a spreadsheet would run — in titles, witness names, attachment names, mapping
/// notes and judgement comments — comes out of every CSV report as text (OWASP's rule: a leading
/// `'`), and every CSV starts with a UTF-8 byte-order mark.
#[test]
fn a_corpus_of_formula_like_values_comes_out_as_text_in_every_csv() {
    const CORPUS: [&str; 7] = [
        "=1+1",
        "+447700900123",
        "-2+3",
        "@SUM(A1:A9)",
        "=HYPERLINK(\"http://evil.example/\",\"Open\")",
        "=cmd|' /C calc'!A0",
        "-@=+ all at once",
    ];
    let mut s = portfolio();
    let store = &mut s.fx.store;
    as_user(store, "lena");
    let files = tempfile::tempdir().unwrap();
    let mut placed = Vec::new();
    for (i, value) in CORPUS.iter().enumerate() {
        let item = store
            .add_evidence(&NewEvidence {
                learner: s.lena.clone(),
                title: value.to_string(),
                method: Method::WitnessTestimony,
                activity_date: crate::common::date("2026-10-21"),
                body_markdown: String::new(),
                status: Status::Submitted,
                witness: Witness {
                    name: value.to_string(),
                    role: "Chair".into(),
                    relationship: "colleague".into(),
                },
            })
            .unwrap();
        let file = files
            .path()
            .join(format!("{value} {i}.txt").replace(['/', '|', '"'], "_"));
        std::fs::write(&file, format!("file {i}")).unwrap();
        store.attach(&item.id, &file).unwrap();
        store
            .map_evidence(&item.id, &refs(&["NOCN-L3-CD:PWC.1.1"]), Some(value))
            .unwrap();
        placed.push(item.id);
    }
    as_user(store, "asa");
    store
        .judge(
            &s.lena,
            &CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap(),
            Outcome::Met,
            CORPUS[4],
            &placed,
        )
        .unwrap();
    let runnable = |c: &&String| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut neutralised = std::collections::BTreeSet::new();
    for kind in [
        ReportKind::Coverage,
        ReportKind::EvidenceRecord,
        ReportKind::Units,
        ReportKind::Cohort,
    ] {
        let csv = text(&document(&s, kind), ReportFormat::Csv);
        assert!(csv.starts_with('\u{feff}'), "{kind:?}: no byte-order mark");
        let mut reader = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let cells: Vec<String> = reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect();
        assert_eq!(cells.iter().find(runnable), None, "{kind:?}:\n{csv}");
        for value in CORPUS {
            if cells.iter().any(|c| c.contains(&format!("'{value}"))) {
                neutralised.insert(value);
            }
        }
    }
    assert_eq!(
        neutralised.len(),
        CORPUS.len(),
        "every value reached some CSV, as text"
    );
}
