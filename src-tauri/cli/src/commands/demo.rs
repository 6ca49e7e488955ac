//! `evidence demo`: a guided walk through the main journey — frameworks preloaded, a learner enrolled,
//! evidence recorded and mapped across frameworks in one go, gaps shrinking — on a clearly named demo
//! learner, so a new user sees what the tool does in one command.

use evidence_core::evidence::{Method, NewEvidence, Status};
use evidence_core::{CoreError, CriterionRef, Store};

use crate::output::Out;

const DEMO_LEARNER: &str = "Demo Learner (sample portfolio)";

pub fn run(store: &mut Store, out: &Out) -> Result<(), CoreError> {
    let mut say = Vec::new();
    let frameworks = store.list_frameworks(false)?;
    say.push(format!(
        "1. Criteria frameworks preloaded: {}",
        frameworks
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));

    // Example data (like the app's sample portfolio): any user may run the demo, and it is never
    // anyone's own portfolio.
    let (learner, created) = store.open_example_learner(DEMO_LEARNER)?;
    if created {
        store.enrol(&learner.id, "NOCN-L3-CD", &["PWC".to_string()])?;
        store.enrol(&learner.id, "CD-NOS", &["CLDSCCD15".to_string()])?;
        say.push(format!("2. Added {} and enrolled them on NOCN-L3-CD (unit PWC) and CD-NOS (standard CLDSCCD15).", learner.name));
    } else {
        say.push(format!(
            "2. Using the existing demo learner {} ({}).",
            learner.name, learner.id
        ));
    }
    let before = store.gaps(&learner.id, None)?;
    say.push(format!(
        "3. Criteria still lacking evidence: {} of {}.",
        before.totals.lacking(),
        before.totals.criteria
    ));

    let item = store.add_evidence(&NewEvidence {
        learner: learner.id.clone(),
        title: "Reflective account: setting up the tenants' and residents' partnership".into(),
        method: Method::ReflectiveAccount,
        activity_date: evidence_core::time::today(),
        body_markdown: "I brought together the tenants' association, the library and the youth club to agree \
                        shared aims for the estate.\n\n- We agreed **three priorities**.\n- We named the risks of working together."
            .into(),
        status: Status::Submitted,
        witness: Default::default(),
    })?;
    let refs = [
        "NOCN-L3-CD:PWC.1.1",
        "CD-NOS:CLDSCCD15.PC3",
        "CD-NOS:CLDSCCD15.PC4",
    ]
    .iter()
    .map(|r| CriterionRef::parse(r))
    .collect::<Result<Vec<_>, _>>()?;
    let report = store.map_evidence(
        &item.id,
        &refs,
        Some("Shows partnership working to meet shared needs"),
    )?;
    say.push(format!(
        "4. Recorded E{} \"{}\" and mapped it in one go to {}.",
        item.number,
        item.title,
        report
            .mapped
            .iter()
            .chain(&report.already_mapped)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !report.suggestions.is_empty() {
        say.push(format!(
            "   The crosswalk suggests also: {}.",
            report
                .suggestions
                .iter()
                .map(|s| s.reference.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let after = store.gaps(&learner.id, None)?;
    say.push(format!(
        "5. Criteria still lacking evidence now: {} of {}.",
        after.totals.lacking(),
        after.totals.criteria
    ));
    say.push(format!(
        "Next: evidence gaps --learner \"{}\"   ·   evidence coverage --learner \"{}\" --format csv",
        learner.id, learner.id
    ));
    let value = serde_json::json!({ "learner": learner, "evidence": item.id, "lacking_before": before.totals.lacking(), "lacking_after": after.totals.lacking() });
    out.emit(&value, || say.join("\n"))
}
