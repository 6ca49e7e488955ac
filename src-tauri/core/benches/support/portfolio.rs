//! A realistic one-learner portfolio for the report benchmarks, built through the core's public API
//! as the app would build it: a centre with an administrator, an assessor and a learner; the learner
//! enrolled on the shipped frameworks (NOCN-L3-CD unit PWC and the CD-NOS standard, 31 criteria, as in
//! the tests' `enrolled` fixture); evidence items of every method mapped across the criteria (some
//! drafts, some witness testimonies with the witness's details, a few older than the currency
//! threshold); and the assessor's signed judgements on most criteria. The assessor stays signed in:
//! they are the one who exports the reports. Deterministic, so every run sees the same portfolio.

use std::time::Instant;

use chrono::{Days, NaiveDate, Utc};
use evidence_core::accounts::{AssignedAs, NewUser, Role};
use evidence_core::evidence::{Method, NewEvidence, Status, Witness};
use evidence_core::review::Outcome;
use evidence_core::Store;

use super::data::BenchResult;

const PASSWORD: &str = "benchmark password 1";

const METHODS: [Method; 7] = [
    Method::DirectObservation,
    Method::ReflectiveAccount,
    Method::WitnessTestimony,
    Method::ProductEvidence,
    Method::ProfessionalDiscussion,
    Method::Questioning,
    Method::ExpertWitness,
];

fn user(username: &str, display_name: &str, role: Role) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: display_name.into(),
        roles: vec![role],
        password: Some(PASSWORD.into()),
        learner: None,
    }
}

fn days_before(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

/// Opens a fresh file-backed store holding one learner's portfolio of `items` evidence items, with the
/// assessor signed in. Returns the learner's id.
pub fn portfolio(items: usize) -> BenchResult<(tempfile::TempDir, Store, String)> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(dir.path())?;
    store.setup_centre("admin", "Centre Administrator", PASSWORD)?;
    store.add_user(&user("asa", "Asa Assessor", Role::Assessor))?;
    let learner = store
        .add_user(&user("lena", "Lena Learner", Role::Learner))?
        .learner_id
        .ok_or("the learner user has no portfolio")?;
    store.assign("asa", &learner, AssignedAs::Assessor)?;

    store.sign_in("lena", Some(PASSWORD))?;
    store.enrol(&learner, "NOCN-L3-CD", &["PWC".into()])?;
    store.enrol(&learner, "CD-NOS", &[])?;
    let criteria: Vec<_> = store
        .coverage(&learner)?
        .criteria
        .into_iter()
        .map(|c| c.reference)
        .collect();
    let n = criteria.len();
    // Per criterion, the submitted items mapped to it (what a judgement may cite).
    let mut submitted_on: Vec<Vec<String>> = vec![Vec::new(); n];
    let today = Utc::now().date_naive();
    for i in 0..items {
        let method = METHODS[i % METHODS.len()];
        let status = if i % 7 == 3 {
            Status::Draft
        } else {
            Status::Submitted
        };
        // Mostly the last 18 months; every 20th item is four years old (not current).
        let age = if i % 20 == 19 {
            4 * 365
        } else {
            (i as u64 * 9) % 540
        };
        let witness = if matches!(method, Method::WitnessTestimony | Method::ExpertWitness) {
            Witness {
                name: format!("Witness {i}"),
                role: "Community development officer, Anytown Council".into(),
                relationship: "line manager on placement".into(),
            }
        } else {
            Witness::default()
        };
        let title = format!(
            "E{}: {} — residents' forum and partnership work, part {i}",
            i + 1,
            method.as_str().replace('_', " ")
        );
        let item = store.add_evidence(&NewEvidence {
            learner: learner.clone(),
            title,
            method,
            activity_date: days_before(today, age),
            body_markdown: format!(
                "## What I did\n\nI planned and chaired session {i} of the residents' forum with two \
                 partner organisations, agreed the aims with them beforehand and recorded the actions \
                 each partner took on.\n\n## What I learned\n\nHow shared aims keep a partnership \
                 working, and how to resolve a disagreement between partners without losing either \
                 of them. My assessor has the minutes and the action log."
            ),
            status,
            witness,
        })?;
        // One to three criteria per item, spread so that every criterion gets some evidence.
        let mapped: Vec<usize> = (0..1 + i % 3).map(|k| (i * 7 + k * 11) % n).collect();
        let refs: Vec<_> = mapped.iter().map(|&c| criteria[c].clone()).collect();
        let note = (i % 5 == 0).then_some("See the action log, page 2.");
        store.map_evidence(&item.id, &refs, note)?;
        if status == Status::Submitted {
            for c in mapped {
                submitted_on[c].push(item.id.clone());
            }
        }
    }

    store.sign_in("asa", Some(PASSWORD))?;
    let mut judged = 0;
    for (c, cited) in submitted_on.iter().enumerate() {
        // Two in three criteria judged, one in eight of those not yet met; the rest await assessment.
        if c % 3 == 2 || cited.is_empty() {
            continue;
        }
        let (outcome, comment) = if c % 8 == 0 {
            (
                Outcome::NotYetMet,
                "The account does not yet show how the partners' views were gathered.",
            )
        } else {
            (
                Outcome::Met,
                "Clear, authentic account, confirmed by the minutes and the witness statement.",
            )
        };
        let cite = &cited[..cited.len().min(2)];
        store.judge(&learner, &criteria[c], outcome, comment, cite)?;
        judged += 1;
    }
    println!(
        "built a portfolio: {items} evidence items on {n} criteria, {judged} judgements, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok((dir, store, learner))
}
