//! The access table as data: for each thing an operation may need to do to a learner's portfolio,
//! which relations to that learner allow it, and how a refusal says it. `access` reads this table
//! and nothing else to decide; the role × operation test (`tests/core/access_matrix`) holds every
//! public operation to it.
//!
//! Two cases sit outside the table: the computer's owner (a portfolio without accounts) may do
//! everything, and every signed-in user may read and change the sample portfolio.

/// What an operation on a learner's portfolio needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Read,
    ChangeEvidence,
    Enrol,
    /// Write in an item's feedback thread.
    Discuss,
    /// Return an item to its learner for changes.
    Review,
    /// Judge criteria and sign units off.
    Judge,
    /// Export the portfolio as a bundle to carry to another computer.
    CarryPortfolio,
    /// Export a read-only bundle for quality assurance.
    QualityAssure,
}

/// How the acting user stands to a learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The learner themselves (a user with the learner role who owns the portfolio).
    Own,
    /// Assigned to the learner as tutor (and still holding the tutor role).
    Tutor,
    /// Assigned as assessor.
    Assessor,
    /// Assigned as IQA: the learner is sampled for them.
    Iqa,
    /// Holds the administrator role (no assignment needed).
    Administrator,
}

use Relation::{Administrator, Assessor, Iqa, Own, Tutor};

/// One row of the table.
pub(crate) struct Rule {
    pub need: Need,
    pub allowed: &'static [Relation],
    /// Completes "NAME may not … LEARNER's portfolio".
    pub refusal: &'static str,
}

/// Who may do what to a learner's portfolio.
pub(crate) const ACCESS: &[Rule] = &[
    Rule {
        need: Need::Read,
        allowed: &[Own, Tutor, Assessor, Iqa],
        refusal: "see",
    },
    Rule {
        need: Need::ChangeEvidence,
        allowed: &[Own],
        refusal: "change the evidence in",
    },
    Rule {
        need: Need::Enrol,
        allowed: &[Own, Tutor, Administrator],
        refusal: "change the enrolments of",
    },
    Rule {
        need: Need::Discuss,
        allowed: &[Own, Tutor, Assessor],
        refusal: "comment on",
    },
    Rule {
        need: Need::Review,
        allowed: &[Tutor, Assessor],
        refusal: "review",
    },
    Rule {
        need: Need::Judge,
        allowed: &[Assessor],
        refusal: "assess",
    },
    Rule {
        need: Need::CarryPortfolio,
        allowed: &[Own, Tutor],
        refusal: "export a bundle of",
    },
    Rule {
        need: Need::QualityAssure,
        allowed: &[Assessor, Iqa],
        refusal: "export a quality-assurance bundle of",
    },
];

/// The table's row for `need` (every need has exactly one; checked below). A need without a row
/// would allow nobody.
pub(crate) fn rule(need: Need) -> Option<&'static Rule> {
    ACCESS.iter().find(|r| r.need == need)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_has_exactly_one_row() {
        let needs = [
            Need::Read,
            Need::ChangeEvidence,
            Need::Enrol,
            Need::Discuss,
            Need::Review,
            Need::Judge,
            Need::CarryPortfolio,
            Need::QualityAssure,
        ];
        for need in needs {
            assert_eq!(
                ACCESS.iter().filter(|r| r.need == need).count(),
                1,
                "{need:?}"
            );
        }
        assert_eq!(ACCESS.len(), needs.len());
    }
}
