//! The rules a framework document must meet before it is stored: sizes, codes, references, tree shape.

use std::collections::{HashMap, HashSet};

use super::model::FrameworkDoc;
use crate::error::Result;

use super::fields::{bad, check_text};
pub use super::fields::{
    check_code, MAX_CODE_CHARS, MAX_FILE_BYTES, MAX_NODES, MAX_TEXT_CHARS, MAX_TITLE_CHARS,
};

impl FrameworkDoc {
    /// Validates the whole document; the first problem found is reported.
    pub fn validate(&self) -> Result<()> {
        check_code("framework", &self.code)?;
        check_text("framework title", &self.title, MAX_TITLE_CHARS, true)?;
        check_text("framework version", &self.version, MAX_CODE_CHARS, true)?;
        check_text("framework source", &self.source, MAX_TEXT_CHARS, true)?;
        check_text(
            "framework description",
            &self.description,
            MAX_TEXT_CHARS,
            false,
        )?;
        let nodes = self.groups.len() + self.criteria.len();
        if nodes > MAX_NODES {
            return Err(bad(format!(
                "framework has {nodes} groups and criteria; the limit is {MAX_NODES}"
            )));
        }
        if self.criteria.is_empty() {
            return Err(bad(format!("framework {} has no criteria", self.code)));
        }

        let mut parents: HashMap<&str, Option<&str>> = HashMap::new();
        for group in &self.groups {
            check_code("group", &group.code)?;
            check_text(
                &format!("title of group {}", group.code),
                &group.title,
                MAX_TITLE_CHARS,
                true,
            )?;
            if parents
                .insert(&group.code, group.parent.as_deref())
                .is_some()
            {
                return Err(bad(format!("duplicate group code {:?}", group.code)));
            }
        }
        for group in &self.groups {
            if let Some(parent) = &group.parent {
                if !parents.contains_key(parent.as_str()) {
                    return Err(bad(format!(
                        "group {:?} names unknown parent {parent:?}",
                        group.code
                    )));
                }
            }
        }
        check_acyclic(&parents)?;

        let mut codes = HashSet::new();
        for criterion in &self.criteria {
            check_code("criterion", &criterion.code)?;
            check_text(
                &format!("text of criterion {}", criterion.code),
                &criterion.text,
                MAX_TEXT_CHARS,
                true,
            )?;
            if !codes.insert(criterion.code.as_str()) {
                return Err(bad(format!(
                    "duplicate criterion code {:?}",
                    criterion.code
                )));
            }
            match &criterion.group {
                Some(group) if !parents.contains_key(group.as_str()) => {
                    return Err(bad(format!(
                        "criterion {:?} names unknown group {group:?}",
                        criterion.code
                    )));
                }
                None if !self.groups.is_empty() => {
                    return Err(bad(format!(
                        "criterion {:?} has no group; every criterion of a framework with groups belongs to one",
                        criterion.code
                    )));
                }
                _ => {}
            }
        }
        super::method_rules::validate(self)
    }
}

/// Fails if following parents from any group comes back to it.
fn check_acyclic(parents: &HashMap<&str, Option<&str>>) -> Result<()> {
    let mut settled: HashSet<&str> = HashSet::new();
    for &start in parents.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start);
        while let Some(code) = at {
            if settled.contains(code) {
                break;
            }
            if path.contains(&code) {
                path.push(code);
                return Err(bad(format!("groups form a cycle: {}", path.join(" → "))));
            }
            path.push(code);
            at = parents.get(code).copied().flatten();
        }
        settled.extend(path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frameworks::model::*;

    fn doc() -> FrameworkDoc {
        FrameworkDoc {
            code: "FW".into(),
            title: "A framework".into(),
            kind: FrameworkKind::Qualification,
            version: "1".into(),
            source: "test".into(),
            verified: false,
            description: String::new(),
            groups: vec![
                GroupDoc {
                    code: "U1".into(),
                    kind: GroupKind::Unit,
                    title: "Unit".into(),
                    parent: None,
                },
                GroupDoc {
                    code: "U1.1".into(),
                    kind: GroupKind::LearningOutcome,
                    title: "LO".into(),
                    parent: Some("U1".into()),
                },
            ],
            criteria: vec![CriterionDoc {
                code: "U1.1.1".into(),
                kind: CriterionKind::AssessmentCriterion,
                text: "Explain.".into(),
                group: Some("U1.1".into()),
            }],
            method_rules: Vec::new(),
        }
    }

    fn message(doc: &FrameworkDoc) -> String {
        doc.validate()
            .expect_err("document should be refused")
            .to_string()
    }

    #[test]
    fn a_well_formed_document_passes() {
        doc().validate().expect("valid");
    }

    #[test]
    fn a_unit_or_standard_without_criteria_is_accepted() {
        // A framework may list a standard before its criteria are known (it is then incomplete);
        // only the framework as a whole needs a criterion.
        let mut d = doc();
        d.groups.push(GroupDoc {
            code: "S2".into(),
            kind: GroupKind::Standard,
            title: "A standard whose criteria are not loaded".into(),
            parent: None,
        });
        d.validate().expect("valid");
        d.criteria.clear();
        assert!(message(&d).contains("has no criteria"));
    }

    #[test]
    fn duplicate_criterion_codes_are_named() {
        let mut d = doc();
        d.criteria.push(d.criteria[0].clone());
        assert!(message(&d).contains("duplicate criterion code \"U1.1.1\""));
    }

    #[test]
    fn an_unknown_parent_is_named() {
        let mut d = doc();
        d.groups[1].parent = Some("U9".into());
        assert!(message(&d).contains("unknown parent \"U9\""));
    }

    #[test]
    fn a_cycle_is_reported_with_its_path() {
        let mut d = doc();
        d.groups[0].parent = Some("U1.1".into());
        assert!(message(&d).contains("cycle"), "{}", message(&d));
    }

    #[test]
    fn a_self_parent_is_a_cycle() {
        let mut d = doc();
        d.groups[0].parent = Some("U1".into());
        assert!(message(&d).contains("cycle"));
    }

    #[test]
    fn huge_text_is_refused() {
        let mut d = doc();
        d.criteria[0].text = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(message(&d).contains("limit"));
    }

    #[test]
    fn codes_with_a_colon_are_refused_because_refs_use_it() {
        let mut d = doc();
        d.criteria[0].code = "A:B".into();
        assert!(message(&d).contains("contains ':'"));
    }
}
