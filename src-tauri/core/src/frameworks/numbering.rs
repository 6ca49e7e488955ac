//! The numbering of a draft framework: finding gaps in it (`1.1, 1.3`: where is 1.2?) and
//! renumbering it after criteria and learning outcomes have been added, removed or moved in the
//! editor. Codes follow the shape the specification-text reader gives them: a top-level unit or
//! standard keeps its code; a group inside it is `PARENT.n`; a criterion is `GROUP.n`, or
//! `GROUP.PCn` / `GROUP.Kn` for performance criteria and knowledge items. Pure functions, for the
//! app's editor and the import preview.

use std::collections::HashMap;

use super::model::{CriterionKind, FrameworkDoc};

/// Renumbers every group below the top level and every criterion in a group, in document order,
/// and updates the groups' parents, the criteria's groups and the method rules to the new codes.
/// Top-level groups and criteria outside any group keep their codes.
pub fn renumber(doc: &FrameworkDoc) -> FrameworkDoc {
    let mut out = doc.clone();
    let mut group_codes: HashMap<String, String> = HashMap::new();
    let mut children: HashMap<String, usize> = HashMap::new();
    for group in &mut out.groups {
        let Some(parent) = group.parent.clone() else {
            group_codes.insert(group.code.clone(), group.code.clone());
            continue;
        };
        let parent = group_codes.get(&parent).cloned().unwrap_or(parent);
        let n = children.entry(parent.clone()).or_insert(0);
        *n += 1;
        let code = format!("{parent}.{n}");
        group_codes.insert(group.code.clone(), code.clone());
        group.code = code;
        group.parent = Some(parent);
    }
    let mut criterion_codes: HashMap<String, String> = HashMap::new();
    let mut counts: HashMap<(String, &'static str), usize> = HashMap::new();
    for criterion in &mut out.criteria {
        let Some(group) = criterion.group.clone() else {
            continue;
        };
        let group = group_codes.get(&group).cloned().unwrap_or(group);
        let prefix = prefix(criterion.kind);
        let n = counts.entry((group.clone(), prefix)).or_insert(0);
        *n += 1;
        let code = format!("{group}.{prefix}{n}");
        criterion_codes.insert(criterion.code.clone(), code.clone());
        criterion.code = code;
        criterion.group = Some(group);
    }
    for rule in &mut out.method_rules {
        for code in &mut rule.criteria {
            if let Some(new) = criterion_codes.get(code) {
                *code = new.clone();
            }
        }
    }
    out
}

/// Where the numbering skips: one sentence per gap, naming the code before and after it.
pub fn gaps(doc: &FrameworkDoc) -> Vec<String> {
    let mut last: HashMap<(Option<&str>, String), (u64, &str)> = HashMap::new();
    let mut found = Vec::new();
    let groups = doc
        .groups
        .iter()
        .map(|g| (g.parent.as_deref(), g.code.as_str()));
    let criteria = doc
        .criteria
        .iter()
        .map(|c| (c.group.as_deref(), c.code.as_str()));
    for (parent, code) in groups.chain(criteria) {
        let Some((stem, number)) = split_number(code) else {
            continue;
        };
        match last.insert((parent, stem.clone()), (number, code)) {
            Some((before, previous)) if number > before + 1 => found.push(format!(
                "{code} follows {previous}: {} missing",
                missing(&stem, before + 1, number - 1)
            )),
            None if number > 1 && parent.is_some() => found.push(format!(
                "{code} is the first of its kind under {}: {} missing",
                parent.unwrap_or_default(),
                missing(&stem, 1, number - 1)
            )),
            _ => {}
        }
    }
    found
}

fn prefix(kind: CriterionKind) -> &'static str {
    match kind {
        CriterionKind::PerformanceCriterion => "PC",
        CriterionKind::KnowledgeItem => "K",
        _ => "",
    }
}

/// `U1.2.3` → (`U1.2.`, 3); `X.PC4` → (`X.PC`, 4); a code not ending in digits → `None`.
fn split_number(code: &str) -> Option<(String, u64)> {
    let digits = code.len() - code.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let (stem, number) = code.split_at(code.len() - digits);
    Some((stem.to_string(), number.parse().ok()?))
}

fn missing(stem: &str, from: u64, to: u64) -> String {
    match from == to {
        true => format!("{stem}{from} is"),
        false => format!("{stem}{from} to {stem}{to} are"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frameworks::model::{
        CriterionDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
    };

    fn group(code: &str, kind: GroupKind, parent: Option<&str>) -> GroupDoc {
        GroupDoc {
            code: code.into(),
            kind,
            title: format!("Title of {code}"),
            parent: parent.map(Into::into),
        }
    }

    fn criterion(code: &str, kind: CriterionKind, group: &str) -> CriterionDoc {
        CriterionDoc {
            code: code.into(),
            kind,
            text: format!("Text of {code}"),
            group: Some(group.into()),
        }
    }

    fn draft() -> FrameworkDoc {
        let ac = CriterionKind::AssessmentCriterion;
        FrameworkDoc {
            code: "T".into(),
            title: "T".into(),
            kind: FrameworkKind::Qualification,
            version: "1".into(),
            source: "s".into(),
            verified: false,
            description: String::new(),
            groups: vec![
                group("U1", GroupKind::Unit, None),
                group("U1.2", GroupKind::LearningOutcome, Some("U1")),
                group("NEW", GroupKind::LearningOutcome, Some("U1")),
            ],
            criteria: vec![
                criterion("U1.2.1", ac, "U1.2"),
                criterion("U1.2.3", ac, "U1.2"),
                criterion("added", ac, "NEW"),
            ],
            method_rules: vec![MethodRuleDoc {
                applies_to: None,
                criteria: vec!["U1.2.3".into()],
                methods: vec![crate::evidence::Method::DirectObservation],
                source: "policy".into(),
            }],
        }
    }

    #[test]
    fn gaps_name_the_codes_either_side() {
        let found = gaps(&draft());
        assert_eq!(
            found,
            vec![
                "U1.2 is the first of its kind under U1: U1.1 is missing".to_string(),
                "U1.2.3 follows U1.2.1: U1.2.2 is missing".to_string(),
            ]
        );
    }

    #[test]
    fn renumbering_closes_gaps_and_follows_the_new_codes_everywhere() {
        let done = renumber(&draft());
        let groups: Vec<_> = done.groups.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(groups, ["U1", "U1.1", "U1.2"]);
        let criteria: Vec<_> = done
            .criteria
            .iter()
            .map(|c| {
                (
                    c.code.as_str(),
                    c.group.as_deref().unwrap_or(""),
                    c.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            criteria,
            [
                ("U1.1.1", "U1.1", "Text of U1.2.1"),
                ("U1.1.2", "U1.1", "Text of U1.2.3"),
                ("U1.2.1", "U1.2", "Text of added"),
            ]
        );
        assert_eq!(done.method_rules[0].criteria, ["U1.1.2"]);
        assert!(gaps(&done).is_empty());
        assert!(done.validate().is_ok(), "{:?}", done.validate());
    }

    #[test]
    fn standards_number_performance_criteria_and_knowledge_apart() {
        let mut doc = draft();
        doc.kind = FrameworkKind::OccupationalStandard;
        doc.groups = vec![group("S9", GroupKind::Standard, None)];
        doc.criteria = vec![
            criterion("S9.PC2", CriterionKind::PerformanceCriterion, "S9"),
            criterion("S9.K1", CriterionKind::KnowledgeItem, "S9"),
            criterion("x", CriterionKind::PerformanceCriterion, "S9"),
        ];
        doc.method_rules.clear();
        assert_eq!(
            gaps(&doc),
            vec!["S9.PC2 is the first of its kind under S9: S9.PC1 is missing"]
        );
        let codes: Vec<_> = renumber(&doc)
            .criteria
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert_eq!(codes, ["S9.PC1", "S9.K1", "S9.PC2"]);
    }
}
