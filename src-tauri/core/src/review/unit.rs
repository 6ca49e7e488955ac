//! Unit sign-off: once every criterion of a unit (or standard) is met — the newest judgement on each
//! says so — an assessor signs the unit off. The signature covers each criterion with the hash of the
//! signed judgement that met it, so a judgement changed or replaced afterwards shows.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::judgement::sign;
use super::signature::SignatureKind;
use super::Signature;
use crate::error::{CoreError, Result};
use crate::ids::{CriterionRowId, LearnerRowId};
use crate::store::access::Need;
use crate::store::{Allowed, Store};

/// A unit signed off, as shown.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct UnitSignOff {
    pub framework: String,
    pub unit: String,
    pub signature: Signature,
}

/// Each criterion of a unit with the standing judgement's uuid, outcome and signature hash.
type UnitCriteria = Vec<(String, Option<(String, String, String)>)>;

impl Store {
    /// The unit's criteria (current framework version), each with its standing judgement, if any.
    fn unit_criteria(
        &self,
        allowed: &Allowed,
        learner_row: LearnerRowId,
        framework: &str,
        unit: &str,
    ) -> Result<UnitCriteria> {
        let mut stmt = self.read(&allowed).prepare(
            "WITH RECURSIVE unit (id) AS (
                 SELECT g.id FROM framework_groups g JOIN frameworks f ON f.id = g.framework_id
                 WHERE f.code = ?1 AND f.is_current = 1 AND g.code = ?2
                 UNION ALL SELECT g.id FROM framework_groups g JOIN unit ON g.parent_id = unit.id)
             SELECT c.id, f.code || ':' || c.code FROM criteria c JOIN frameworks f ON f.id = c.framework_id
             WHERE c.group_id IN (SELECT id FROM unit) ORDER BY c.position",
        )?;
        let criteria: Vec<(CriterionRowId, String)> = stmt
            .query_map(params![framework, unit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if criteria.is_empty() {
            return Err(CoreError::not_found(
                "unit",
                format!("{unit} in framework {framework}"),
            ));
        }
        let mut out = Vec::new();
        for (id, reference) in criteria {
            let standing: Option<(String, String, String)> = self
                .read(&allowed)
                .query_row(
                    "SELECT j.uuid, j.outcome, s.content_hash FROM judgements j
                     JOIN signatures s ON s.subject = 'judgement:' || j.uuid AND s.kind = 'judgement'
                     WHERE j.learner_id = ?1 AND j.criterion_id = ?2 AND j.counted = 1
                     ORDER BY j.judged_at DESC, j.id DESC LIMIT 1",
                    params![learner_row, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            out.push((reference, standing));
        }
        Ok(out)
    }

    /// Signs a unit off for a learner (assigned assessors), once every one of its criteria is met.
    pub fn sign_off_unit(
        &mut self,
        learner: &str,
        framework: &str,
        unit: &str,
    ) -> Result<UnitSignOff> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Judge)?;
        let criteria = self.unit_criteria(&allowed, learner.row_id, framework, unit)?;
        let open: Vec<&str> = criteria
            .iter()
            .filter(|(_, j)| !matches!(j, Some((_, outcome, _)) if outcome == "met"))
            .map(|(r, _)| r.as_str())
            .collect();
        if !open.is_empty() {
            return Err(CoreError::invalid(format!(
                "unit {unit} cannot be signed off yet: not met: {}",
                open.join(", ")
            )));
        }
        let content = unit_content(&learner.learner.id, framework, unit, &criteria);
        let by = self.signer(&learner)?;
        let subject = format!("unit:{framework}:{unit}");
        self.write(&allowed, |tx, _| {
            sign(tx, &by, SignatureKind::UnitSignOff, &subject, &content)
        })?;
        let signature = self
            .signature_for(&allowed, learner.row_id, &subject)?
            .ok_or_else(|| CoreError::Database("the sign-off just signed is missing".into()))?;
        Ok(UnitSignOff {
            framework: framework.into(),
            unit: unit.into(),
            signature,
        })
    }

    /// The units signed off for a learner, with their signatures.
    pub fn unit_sign_offs(&self, learner: &str) -> Result<Vec<UnitSignOff>> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Read)?;
        let subjects: Vec<String> = self
            .read(&allowed)
            .prepare("SELECT DISTINCT subject FROM signatures WHERE learner_id = ?1 AND kind = 'unit_sign_off' ORDER BY subject")?
            .query_map([learner.row_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for subject in subjects {
            let mut parts = subject.trim_start_matches("unit:").splitn(2, ':');
            let (framework, unit) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            if let Some(signature) = self.signature_for(&allowed, learner.row_id, &subject)? {
                out.push(UnitSignOff {
                    framework: framework.into(),
                    unit: unit.into(),
                    signature,
                });
            }
        }
        Ok(out)
    }

    /// What a unit sign-off would say now, for comparison with what was signed.
    pub(crate) fn unit_sign_off_recheck(
        &self,
        allowed: &Allowed,
        stored: &Value,
    ) -> Result<Option<Value>> {
        let (Some(learner), Some(framework), Some(unit)) = (
            stored["learner"].as_str(),
            stored["framework"].as_str(),
            stored["unit"].as_str(),
        ) else {
            return Ok(None);
        };
        let Ok(found) = self.learner_row(learner) else {
            return Ok(None);
        };
        let criteria = self.unit_criteria(allowed, found.row_id, framework, unit)?;
        Ok(Some(unit_content(learner, framework, unit, &criteria)))
    }
}

fn unit_content(learner: &str, framework: &str, unit: &str, criteria: &UnitCriteria) -> Value {
    let listed: Vec<Value> = criteria
        .iter()
        .map(|(reference, j)| match j {
            Some((uuid, outcome, hash)) => json!({ "criterion": reference, "judgement": uuid, "outcome": outcome, "judgement_sha256": hash }),
            None => json!({ "criterion": reference, "judgement": null }),
        })
        .collect();
    json!({ "kind": "unit_sign_off", "learner": learner, "framework": framework, "unit": unit, "criteria": listed })
}
