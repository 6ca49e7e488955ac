//! The TypeScript types of everything the commands take and return, generated from the Rust types
//! (ts-rs) into `ui/src/lib/bindings.ts`. The test fails when the committed file is stale; run it with
//! `UPDATE_BINDINGS=1` to rewrite the file.

#[cfg(test)]
mod tests {
    use evidence_core::accounts::{
        AccountsState, AssignedAs, Assignment, CentreKey, EncryptedAtRest, NewUser, Role,
        SignInChoice, User,
    };
    use evidence_core::audit::{AuditEntry, AuditProblem, AuditReport};
    use evidence_core::bundles::{
        BundleImport, BundleKind, CarriedFramework, ConflictView, ConflictedItem, FieldConflict,
        NotCounted,
    };
    use evidence_core::error::{ErrorCode, ErrorPayload};
    use evidence_core::evidence::{
        Attachment, Evidence, EvidenceSummary, EvidenceVersion, MapReport, MappingView, Method,
        SearchHit, Status, VersionNumber, Witness,
    };
    use evidence_core::frameworks::crosswalk::Suggestion;
    use evidence_core::frameworks::detect::FileFormat;
    use evidence_core::frameworks::intake::FileIntake;
    use evidence_core::frameworks::spec_text::{
        Draft, LineOutcome, LineRole, SpecMeta, UnplacedLine,
    };
    use evidence_core::frameworks::{
        AddedCriterion, AlteredCriterion, ChangedCriterion, CriterionDoc, CriterionKind,
        FrameworkDoc, FrameworkKind, FrameworkSummary, GroupDoc, GroupKind, ImportOutcome,
        ImportPreview, ImportReport, LearnerEffect, MethodRuleDoc, RemovedCriterion, WordChange,
    };
    use evidence_core::gaps::{
        Coverage, CriterionCoverage, CriterionStatus, EvidenceRef, FrameworkCoverage, GapFlag,
        Gaps, GroupCoverage, Totals,
    };
    use evidence_core::learners::{Enrolment, Learner};
    use evidence_core::readiness::{Blocker, BlockerKind, EvidenceRule, Readiness};
    use evidence_core::reports::{ReportFormat, ReportKind, ReportProgress};
    use evidence_core::review::{
        CaseloadRow, CitedEvidence, DiffLine, Feedback, FieldChange, Judgement, Outcome, Rag,
        Signature, SignatureKind, UnitSignOff, VersionDiff,
    };
    use evidence_core::store::permissions::PortfolioPermissions;
    use ts_rs::{Config, TS};

    use crate::commands::reports::ExportedReport;
    use crate::inputs::{AppInfo, EvidenceEditInput, EvidenceFilterInput, NewEvidenceInput};
    use crate::state::Dropped;

    const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/bindings.ts");

    fn declare<T: TS>(cfg: &Config) -> String {
        format!("export {}\n", T::decl(cfg))
    }

    fn generated() -> String {
        let cfg = Config::new().with_large_int("number");
        let declarations = [
            declare::<ErrorCode>(&cfg),
            declare::<ErrorPayload>(&cfg),
            declare::<AppInfo>(&cfg),
            declare::<Dropped>(&cfg),
            declare::<FrameworkKind>(&cfg),
            declare::<CriterionKind>(&cfg),
            declare::<GroupKind>(&cfg),
            declare::<FrameworkSummary>(&cfg),
            declare::<FrameworkDoc>(&cfg),
            declare::<GroupDoc>(&cfg),
            declare::<CriterionDoc>(&cfg),
            declare::<MethodRuleDoc>(&cfg),
            declare::<Suggestion>(&cfg),
            declare::<FileFormat>(&cfg),
            declare::<FileIntake>(&cfg),
            declare::<SpecMeta>(&cfg),
            declare::<LineRole>(&cfg),
            declare::<LineOutcome>(&cfg),
            declare::<UnplacedLine>(&cfg),
            declare::<Draft>(&cfg),
            declare::<WordChange>(&cfg),
            declare::<AddedCriterion>(&cfg),
            declare::<AlteredCriterion>(&cfg),
            declare::<LearnerEffect>(&cfg),
            declare::<ImportOutcome>(&cfg),
            declare::<ImportPreview>(&cfg),
            declare::<RemovedCriterion>(&cfg),
            declare::<ChangedCriterion>(&cfg),
            declare::<ImportReport>(&cfg),
            declare::<Learner>(&cfg),
            declare::<PortfolioPermissions>(&cfg),
            declare::<Enrolment>(&cfg),
            declare::<Method>(&cfg),
            declare::<Status>(&cfg),
            declare::<Witness>(&cfg),
            declare::<VersionNumber>(&cfg),
            declare::<Evidence>(&cfg),
            declare::<EvidenceSummary>(&cfg),
            declare::<EvidenceVersion>(&cfg),
            declare::<Attachment>(&cfg),
            declare::<MappingView>(&cfg),
            declare::<MapReport>(&cfg),
            declare::<SearchHit>(&cfg),
            declare::<NewEvidenceInput>(&cfg),
            declare::<EvidenceEditInput>(&cfg),
            declare::<EvidenceFilterInput>(&cfg),
            declare::<CriterionStatus>(&cfg),
            declare::<GapFlag>(&cfg),
            declare::<Totals>(&cfg),
            declare::<EvidenceRef>(&cfg),
            declare::<CriterionCoverage>(&cfg),
            declare::<GroupCoverage>(&cfg),
            declare::<FrameworkCoverage>(&cfg),
            declare::<Coverage>(&cfg),
            declare::<Gaps>(&cfg),
            declare::<Role>(&cfg),
            declare::<AssignedAs>(&cfg),
            declare::<User>(&cfg),
            declare::<SignInChoice>(&cfg),
            declare::<AccountsState>(&cfg),
            declare::<NewUser>(&cfg),
            declare::<Assignment>(&cfg),
            declare::<AuditEntry>(&cfg),
            declare::<AuditProblem>(&cfg),
            declare::<AuditReport>(&cfg),
            declare::<Feedback>(&cfg),
            declare::<Outcome>(&cfg),
            declare::<CitedEvidence>(&cfg),
            declare::<SignatureKind>(&cfg),
            declare::<Signature>(&cfg),
            declare::<Judgement>(&cfg),
            declare::<UnitSignOff>(&cfg),
            declare::<FieldChange>(&cfg),
            declare::<DiffLine>(&cfg),
            declare::<VersionDiff>(&cfg),
            declare::<Rag>(&cfg),
            declare::<CaseloadRow>(&cfg),
            declare::<EvidenceRule>(&cfg),
            declare::<BlockerKind>(&cfg),
            declare::<Blocker>(&cfg),
            declare::<Readiness>(&cfg),
            declare::<ReportKind>(&cfg),
            declare::<ReportFormat>(&cfg),
            declare::<ReportProgress>(&cfg),
            declare::<ExportedReport>(&cfg),
            declare::<BundleKind>(&cfg),
            declare::<ConflictedItem>(&cfg),
            declare::<BundleImport>(&cfg),
            declare::<CarriedFramework>(&cfg),
            declare::<NotCounted>(&cfg),
            declare::<CentreKey>(&cfg),
            declare::<EncryptedAtRest>(&cfg),
            declare::<FieldConflict>(&cfg),
            declare::<ConflictView>(&cfg),
        ];
        // Decisions the core makes that the UI needs before any call: which methods are testimony
        // that must name its witness.
        let witness_methods: Vec<String> = Method::ALL
            .iter()
            .filter(|m| m.takes_witness())
            .map(|m| format!("\"{m}\""))
            .collect();
        format!(
            "// Generated from the Rust types by `cargo test -p evidence-app bindings` (ts-rs). Do not edit.\n\n{}\n\
             /** The methods whose evidence is testimony naming its witness (as the core decides). */\n\
             export const WITNESS_METHODS: readonly Method[] = [{}];\n",
            declarations.join("\n"),
            witness_methods.join(", ")
        )
    }

    #[test]
    fn bindings_are_current() {
        let fresh = generated();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(BINDINGS, &fresh).expect("write bindings");
            return;
        }
        let committed = std::fs::read_to_string(BINDINGS).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p evidence-app bindings` and commit it"
        );
    }
}
