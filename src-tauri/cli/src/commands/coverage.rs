//! `evidence gaps`, `evidence coverage`, `evidence settings` and `evidence info`.

use std::path::Path;

use evidence_core::gaps::{csv, Coverage, CriterionStatus, Gaps};
use evidence_core::service::Portfolio;
use evidence_core::{CoreError, Store};

use super::write_text;
use crate::args::{CoverageFormat, SettingsCommand};
use crate::output::{bar, clip, Out};

pub fn gaps(
    store: &mut impl Portfolio,
    out: &Out,
    learner: &str,
    currency_years: Option<u32>,
) -> Result<(), CoreError> {
    let gaps = store.gaps(learner, currency_years)?;
    out.emit(&gaps, || describe_gaps(&gaps))
}

fn describe_gaps(gaps: &Gaps) -> String {
    let t = &gaps.totals;
    if t.criteria == 0 {
        return format!(
            "{} is not enrolled on any framework yet. Enrol with: evidence enrol --learner {} FRAMEWORK",
            gaps.learner.name, gaps.learner.id
        );
    }
    let mut text = format!(
        "{}: {} of {} criteria evidenced; {} lack submitted evidence ({} with no evidence, {} draft only); {} rest on evidence older than {} ({} years).",
        gaps.learner.name, t.evidenced, t.criteria, t.lacking(), t.no_evidence, t.draft_only, t.not_current, gaps.stale_before, gaps.currency_years
    );
    if gaps.gaps.is_empty() {
        text.push_str("\nNothing is missing: every criterion has current, submitted evidence.");
        return text;
    }
    for gap in &gaps.gaps {
        let flags: Vec<&str> = gap.flags.iter().map(|f| f.as_str()).collect();
        text.push_str(&format!(
            "\n{:<28} {:<24} {}",
            gap.reference.to_string(),
            flags.join(","),
            clip(&gap.text, 70)
        ));
    }
    text
}

pub fn coverage(
    store: &mut impl Portfolio,
    out: &Out,
    learner: &str,
    format: CoverageFormat,
    file: Option<&Path>,
) -> Result<(), CoreError> {
    let coverage = store.coverage(learner)?;
    let text = match format {
        CoverageFormat::Csv => csv::coverage_matrix(&coverage)?,
        CoverageFormat::Json => {
            serde_json::to_string_pretty(&coverage).map_err(|e| CoreError::Io(e.to_string()))?
                + "\n"
        }
        CoverageFormat::Table if out.json => {
            return out.emit(&coverage, String::new);
        }
        CoverageFormat::Table => describe_coverage(&coverage) + "\n",
    };
    write_text(out, file, &text)
}

fn describe_coverage(coverage: &Coverage) -> String {
    let mut text = format!(
        "Coverage for {} (evidence older than {} is not current)\n",
        coverage.learner.name, coverage.stale_before
    );
    text.push_str("Key: # evidenced  ~ draft only  . no evidence\n");
    if coverage.frameworks.is_empty() {
        text.push_str("\nNot enrolled on any framework yet. Enrol with: evidence enrol --learner ID FRAMEWORK");
        return text;
    }
    for framework in &coverage.frameworks {
        let t = &framework.totals;
        let unverified = if framework.verified {
            ""
        } else {
            "  [UNVERIFIED TEXT]"
        };
        text.push_str(&format!(
            "\n{} {} (version {}){unverified}\n  [{}] {}/{} evidenced, {} still lacking\n",
            framework.code,
            framework.title,
            framework.version,
            bar(t.evidenced, t.draft_only, t.criteria, 30),
            t.evidenced,
            t.criteria,
            t.lacking()
        ));
        for group in &framework.groups {
            let g = &group.totals;
            text.push_str(&format!(
                "  {}[{}] {:>3}/{:<3} {} {}\n",
                "  ".repeat(group.depth),
                bar(g.evidenced, g.draft_only, g.criteria, 12),
                g.evidenced,
                g.criteria,
                group.code,
                clip(&group.title, 50)
            ));
        }
        for criterion in coverage
            .criteria
            .iter()
            .filter(|c| c.framework == framework.code)
        {
            let mark = match criterion.status {
                CriterionStatus::Met => "[M]",
                CriterionStatus::NotYetMet => "[N]",
                CriterionStatus::Evidenced if criterion.flags.is_empty() => "[x]",
                CriterionStatus::Evidenced => "[!]",
                CriterionStatus::DraftOnly => "[~]",
                CriterionStatus::NoEvidence => "[ ]",
            };
            let items: Vec<String> = criterion
                .evidence
                .iter()
                .filter_map(|id| coverage.evidence.iter().find(|e| &e.id == id))
                .map(|e| format!("E{}", e.number))
                .collect();
            text.push_str(&format!(
                "    {mark} {:<26} {:<12} {}\n",
                criterion.reference.to_string(),
                items.join(","),
                clip(&criterion.text, 60)
            ));
        }
    }
    text
}

pub fn settings(
    store: &mut impl Portfolio,
    out: &Out,
    command: SettingsCommand,
) -> Result<(), CoreError> {
    if let SettingsCommand::CurrencyYears { years } = command {
        store.set_currency_years(years)?;
    }
    let years = store.currency_years()?;
    out.emit(&serde_json::json!({ "currency_years": years }), || {
        format!("currency-years = {years} (evidence older than this is flagged as not current)")
    })
}

pub fn info(store: &Store, out: &Out, data_dir: &Path) -> Result<(), CoreError> {
    let value = serde_json::json!({
        "data_dir": data_dir.display().to_string(),
        "database": data_dir.join(evidence_core::store::DATABASE_FILE).display().to_string(),
        "schema_version": evidence_core::store::SCHEMA_VERSION,
        "frameworks": store.list_frameworks(false)?.len(),
        "learners": store.list_learners()?.len(),
        "encrypted": Store::is_encrypted(data_dir)?,
    });
    out.emit(&value, || {
        format!(
            "Data directory: {}\nDatabase schema version: {}\nFrameworks: {}   Learners: {}\nEncrypted at rest: {}",
            data_dir.display(),
            evidence_core::store::SCHEMA_VERSION,
            value["frameworks"],
            value["learners"],
            if value["encrypted"] == true { "yes (the database and the attachments)" } else { "no" }
        )
    })
}
