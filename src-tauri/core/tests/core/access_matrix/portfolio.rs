//! The operations on one learner's portfolio, each called with valid arguments on the portfolio the
//! run aims at (`Ctx::p`: Lena's, or the sample), each naming what it needs from the access table.
//! The matrix runs every one of them on both portfolios.

use evidence_core::audit::HistoryScope;
use evidence_core::bundles::BundleKind;
use evidence_core::evidence::VersionNumber;
use evidence_core::evidence::{EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status};
use evidence_core::reports::{ReportFormat, ReportKind};
use evidence_core::review::Outcome;
use evidence_core::CriterionRef;

use super::world::{progress, UNIT, UNMAPPED};
use super::{Need::*, Op};
use crate::common::{date, refs};

pub fn ops() -> Vec<Op> {
    vec![
        Op::new("learner", LookUp, |s, c| s.learner(&c.p.learner).map(drop)),
        // Answers for anyone signed in (all false where they may not read).
        Op::new("portfolio_permissions", LookUp, |s, c| {
            s.portfolio_permissions(&c.p.learner).map(drop)
        }),
        Op::new("enrolments", LookUp, |s, c| {
            s.enrolments(&c.p.learner).map(drop)
        }),
        Op::new("enrol", Enrol, |s, c| {
            s.enrol(&c.p.learner, "CD-NOS", &[]).map(drop)
        })
        .writes(),
        Op::new("unenrol", Enrol, |s, c| {
            s.unenrol(&c.p.learner, "NOCN-L3-CD")
        })
        .writes(),
        Op::new("set_target_date", Enrol, |s, c| {
            s.set_target_date(&c.p.learner, Some(date("2027-07-01")))
        })
        .writes(),
        Op::new("list_evidence", Read, |s, c| {
            s.list_evidence(&c.p.learner, &EvidenceFilter::default())
                .map(drop)
        }),
        Op::new("evidence", Read, |s, c| s.evidence(&c.p.item).map(drop)),
        Op::new("evidence_versions", Read, |s, c| {
            s.evidence_versions(&c.p.item).map(drop)
        }),
        Op::new("evidence_diff", Read, |s, c| {
            s.evidence_diff(&c.p.item, VersionNumber::new(1), VersionNumber::new(2))
                .map(drop)
        }),
        Op::new("add_evidence", ChangeEvidence, |s, c| {
            let new = NewEvidence {
                learner: c.p.learner.clone(),
                title: "Added by the matrix".into(),
                method: Method::Other,
                activity_date: date("2026-10-02"),
                body_markdown: String::new(),
                status: Status::Draft,
                witness: Default::default(),
            };
            s.add_evidence(&new).map(drop)
        })
        .writes(),
        Op::new("edit_evidence", ChangeEvidence, |s, c| {
            let edit = EvidenceEdit {
                title: Some("Edited by the matrix".into()),
                ..Default::default()
            };
            s.edit_evidence(&c.p.item, &edit).map(drop)
        })
        .writes(),
        Op::new("attach", ChangeEvidence, |s, c| {
            s.attach(&c.p.item, &c.world.attachment).map(drop)
        })
        .writes(),
        Op::new("attach_content", ChangeEvidence, |s, c| {
            let mut bytes: &[u8] = b"content sent through the centre service";
            let content = evidence_core::evidence::Content {
                shown: "sent.txt".into(),
                reader: &mut bytes,
            };
            s.attach_content(&c.p.item, "sent.txt", content).map(drop)
        })
        .writes(),
        Op::new("attachment_path", Read, |s, c| {
            s.attachment_path(&c.p.blob).map(drop)
        }),
        Op::new("attachment_preview", Read, |s, c| {
            match s.attachment_preview(&c.p.blob)? {
                Some(_) => Ok(()),
                None => Err(evidence_core::CoreError::InvalidInput(
                    "the picture has no preview".into(),
                )),
            }
        }),
        Op::new("map_evidence", ChangeEvidence, |s, c| {
            s.map_evidence(&c.p.item, &refs(&[UNMAPPED]), None)
                .map(drop)
        })
        .writes(),
        Op::new("unmap_evidence", ChangeEvidence, |s, c| {
            s.unmap_evidence(&c.p.item, &refs(&UNIT[..1]))
        })
        .writes(),
        Op::new("search_evidence", Read, |s, c| {
            s.search_evidence("partnership", Some(&c.p.learner), 20)
                .map(drop)
        })
        .case("search_evidence(in one portfolio)"),
        Op::new("coverage", Read, |s, c| s.coverage(&c.p.learner).map(drop)),
        Op::new("coverage_with", Read, |s, c| {
            s.coverage_with(&c.p.learner, 5).map(drop)
        }),
        Op::new("gaps", Read, |s, c| s.gaps(&c.p.learner, None).map(drop)),
        Op::new("readiness", Read, |s, c| {
            s.readiness(&c.p.learner, Some("NOCN-L3-CD:PWC")).map(drop)
        }),
        Op::new("report_document", Read, |s, c| {
            let at = "2026-10-03T09:00:00Z";
            s.report_document(ReportKind::Coverage, Some(&c.p.learner), at, &mut progress)
                .map(drop)
        })
        .case("report_document(coverage)"),
        Op::new("report", Read, |s, c| {
            let (kind, format) = (ReportKind::EvidenceRecord, ReportFormat::Csv);
            s.report(kind, format, Some(&c.p.learner), &mut progress)
                .map(drop)
        })
        .case("report(evidence record)"),
        Op::new("report", Read, |s, c| {
            let (kind, format) = (ReportKind::Units, ReportFormat::Html);
            s.report(kind, format, Some(&c.p.learner), &mut progress)
                .map(drop)
        })
        .case("report(units)"),
        Op::new("history", Read, |s, c| {
            s.history(HistoryScope::Evidence(&c.p.item)).map(drop)
        })
        .case("history(item)"),
        Op::new("history", Read, |s, c| {
            s.history(HistoryScope::Learner(&c.p.learner)).map(drop)
        })
        .case("history(learner)"),
        Op::new("feedback", Read, |s, c| s.feedback(&c.p.item).map(drop)),
        Op::new("declaration", Read, |s, c| {
            s.declaration(&c.p.item).map(drop)
        }),
        Op::new("add_feedback", Discuss, |s, c| {
            s.add_feedback(&c.p.item, "A comment.", false).map(drop)
        })
        .case("add_feedback(comment)")
        .writes(),
        Op::new("add_feedback", Review, |s, c| {
            s.add_feedback(&c.p.item, "Please change.", true).map(drop)
        })
        .case("add_feedback(request changes)")
        .writes(),
        Op::new("declare", Declare, |s, c| s.declare(&c.p.item).map(drop)).writes(),
        Op::new("judge", Judge, |s, c| {
            let criterion = CriterionRef::parse(UNIT[0])?;
            s.judge(&c.p.learner, &criterion, Outcome::NotYetMet, "", &[])
                .map(drop)
        })
        .writes(),
        Op::new("sign_off_unit", Judge, |s, c| {
            s.sign_off_unit(&c.p.learner, "NOCN-L3-CD", "PWC").map(drop)
        })
        .writes(),
        Op::new("judgement", Read, |s, c| {
            s.judgement(&c.p.judgement).map(drop)
        }),
        Op::new("judgements", Read, |s, c| {
            s.judgements(&c.p.learner).map(drop)
        }),
        Op::new("signatures", Read, |s, c| {
            s.signatures(&c.p.learner).map(drop)
        }),
        Op::new("unit_sign_offs", Read, |s, c| {
            s.unit_sign_offs(&c.p.learner).map(drop)
        }),
        Op::new("evidence_conflict", Read, |s, c| {
            s.evidence_conflict(&c.p.conflicted).map(drop)
        }),
        Op::new("conflicts", Read, |s, c| {
            s.conflicts(&c.p.learner).map(drop)
        }),
        Op::new("resolve_conflict", ChangeEvidence, |s, c| {
            s.resolve_conflict(&c.p.conflicted, &["title".into()])
                .map(drop)
        })
        .writes(),
        Op::new("export_bundle", CarryPortfolio, |s, c| {
            let dest = c.scratch.join("portfolio.zip");
            s.export_bundle(&c.p.learner, BundleKind::Portfolio, &dest, &mut progress)
                .map(drop)
        })
        .case("export_bundle(portfolio)"),
        Op::new("export_bundle", QualityAssure, |s, c| {
            let dest = c.scratch.join("qa.zip");
            let kind = BundleKind::QualityAssurance;
            s.export_bundle(&c.p.learner, kind, &dest, &mut progress)
                .map(drop)
        })
        .case("export_bundle(quality assurance)"),
        Op::new("import_bundle", CarryPortfolio, |s, c| {
            s.import_bundle(&c.p.news, &mut progress).map(drop)
        })
        .case("import_bundle(this learner's)")
        .writes(),
    ]
}
