//! A clearly labelled sample portfolio, so a new user can explore a portfolio with evidence, mappings
//! and gaps before recording their own. Opening it twice returns the same learner.

use chrono::Duration;

use crate::error::{CoreError, Result};
use crate::evidence::{Method, NewEvidence, Status, Witness};
use crate::learners::Learner;
use crate::refs::CriterionRef;
use crate::store::Store;
use crate::time::today;

/// The sample learner's name; it says what it is wherever it appears.
pub const SAMPLE_LEARNER: &str = "Sample portfolio (example)";

/// One sample evidence item.
struct SampleItem {
    title: &'static str,
    method: Method,
    days_ago: i64,
    status: Status,
    body: &'static str,
    criteria: &'static [&'static str],
    /// Name, role and relationship to the learner, for testimony; empty otherwise.
    witness: [&'static str; 3],
}

const ITEMS: &[SampleItem] = &[
    SampleItem {
        title: "Reflective account: forming the estate partnership",
        method: Method::ReflectiveAccount,
        days_ago: 40,
        status: Status::Submitted,
        body: "I brought together the tenants' association, the library and the youth club to agree shared aims for the estate.\n\n- We agreed **three priorities**: safer walking routes, a homework club, and a summer fun day.\n- We talked through what each group risked and gained by working together.",
        criteria: &["NOCN-L3-CD:PWC.1.1", "CD-NOS:CLDSCCD15.PC3", "CD-NOS:CLDSCCD15.PC4"],
        witness: ["", "", ""],
    },
    SampleItem {
        title: "Minutes: partnership steering group, first meeting",
        method: Method::ProductEvidence,
        days_ago: 33,
        status: Status::Submitted,
        body: "## Present\nTenants' association (2), library, youth club, housing officer.\n\n## Agreed\n1. Terms of reference, including how decisions are made and recorded.\n2. A rota for chairing, so no one group dominates.",
        criteria: &["CD-NOS:CLDSCCD15.PC7", "CD-NOS:CLDSCCD15.K6"],
        witness: ["", "", ""],
    },
    SampleItem {
        title: "Witness testimony from the housing officer",
        method: Method::WitnessTestimony,
        days_ago: 20,
        status: Status::Draft,
        body: "*Draft — waiting for the signed copy.*\n\nThe learner made sure residents who do not read English were included by arranging an interpreter.",
        criteria: &["CD-NOS:CLDSCCD15.PC8", "NOCN-L3-CD:PWC.2.1"],
        witness: [
            "Jo Okafor",
            "Housing officer, Anytown Council",
            "partner organisation worker",
        ],
    },
];

impl Store {
    /// Creates (once) and returns the sample learner, enrolled on the shipped unit and standard, with a
    /// few evidence items mapped across both frameworks and some criteria left open.
    pub fn open_sample_portfolio(&mut self) -> Result<Learner> {
        let (learner, created) = self.open_example_learner(SAMPLE_LEARNER)?;
        if !created {
            return Ok(learner);
        }
        self.enrol(&learner.id, "NOCN-L3-CD", &["PWC".to_string()])?;
        self.enrol(&learner.id, "CD-NOS", &["CLDSCCD15".to_string()])?;
        for sample in ITEMS {
            let item = self.add_evidence(&NewEvidence {
                learner: learner.id.clone(),
                title: sample.title.to_string(),
                method: sample.method,
                activity_date: today() - Duration::days(sample.days_ago),
                body_markdown: sample.body.to_string(),
                status: sample.status,
                witness: Witness {
                    name: sample.witness[0].to_string(),
                    role: sample.witness[1].to_string(),
                    relationship: sample.witness[2].to_string(),
                },
            })?;
            let refs = sample
                .criteria
                .iter()
                .map(|r| CriterionRef::parse(r))
                .collect::<Result<Vec<_>>>()?;
            self.map_evidence(&item.id, &refs, None)?;
        }
        Ok(learner)
    }

    /// An example learner called `name` (created once): example data that every signed-in user may
    /// explore and change, never anyone's own portfolio. Returns it and whether it was just created.
    pub fn open_example_learner(&mut self, name: &str) -> Result<(Learner, bool)> {
        let allowed = self.acting()?;
        match self.learner_row(name) {
            Ok(found) if found.is_sample => return Ok((found.learner, false)),
            Ok(_) | Err(CoreError::NotFound { .. }) => {}
            Err(other) => return Err(other),
        }
        Ok((self.insert_learner(&allowed, name, None, true)?, true))
    }
}
