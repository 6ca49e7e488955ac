//! What the centre service costs (issue 16): the gap computation through the service takes no more
//! than **1.3×** the same computation on the embedded store.
//!
//! Run with `cargo bench -p evidence-core --bench service`. Set up outside the timings: the gap
//! benchmark's one learner (`support/data.rs`: a 300-criterion framework, 2,000 evidence items,
//! 10,000 mappings), made a centre with an assessor assigned to the learner; a `Service` on its data
//! directory listening on a Unix socket in a temporary directory; and the assessor signed in both
//! ways — an embedded `Store`, and a `Client` with its session.
//!
//! Timed (5 warm-up rounds, then 100, the two taking turns): `gaps()` for the learner embedded, and
//! through the service (the request framed and sent, the session checked, `Store::gaps` run on the
//! session's connection, the answer encoded as JSON, sent back and decoded). The embedded figure is
//! the physical limit here: the same work on the same data with no socket.

use std::hint::black_box;
use std::sync::Arc;

use evidence_core::service::{Client, Portfolio, Service, ServiceOptions};
use evidence_core::Store;

#[path = "support/data.rs"]
mod data;
#[path = "support/timing.rs"]
mod timing;

use data::{generated, BenchResult};
use evidence_core::accounts::{AssignedAs, NewUser, Role};
use timing::{measure, Results, Task};

const RATIO_TARGET: f64 = 1.3;
const PASSWORD: &str = "benchmark password 1";

fn main() -> BenchResult<()> {
    let mut results = Results::default();
    let (dir, mut store, ids) = generated(1, 2_000, 0x9E37_79B9_7F4A_7C15)?;
    let learner = ids.first().ok_or("no learner generated")?.clone();
    store.setup_centre("admin", "Ada Admin", PASSWORD)?;
    store.add_user(&NewUser {
        username: "asa".into(),
        display_name: "Asa Assessor".into(),
        roles: vec![Role::Assessor],
        password: Some(PASSWORD.into()),
        learner: None,
    })?;
    store.assign("asa", &learner, AssignedAs::Assessor)?;
    drop(store);
    let run = tempfile::tempdir()?;
    let socket = run.path().join("service.sock");
    let service = Service::start(ServiceOptions {
        data_dir: dir.path().to_path_buf(),
        idle_override: None,
    })?;
    let listener = Service::bind(&socket)?;
    std::thread::spawn(move || Arc::new(service).serve(listener));

    let mut embedded = Store::open(dir.path())?;
    embedded.sign_in("asa", Some(PASSWORD))?;
    let mut client = Client::sign_in(&socket, "asa", Some(PASSWORD))?;
    let same = serde_json::to_value(embedded.gaps(&learner, None)?)?
        == serde_json::to_value(Portfolio::gaps(&mut client, &learner, None)?)?;
    if !same {
        return Err("the service's gaps differ from the embedded store's".into());
    }

    let mut gaps: Vec<Task<'_>> = vec![
        Box::new(|| {
            black_box(embedded.gaps(&learner, None)?);
            Ok(())
        }),
        Box::new(|| {
            black_box(Portfolio::gaps(&mut client, &learner, None)?);
            Ok(())
        }),
    ];
    let gap = measure(5, 100, &mut gaps)?;
    drop(gaps);
    results.time("gaps() embedded", gap[0], None);
    results.time("gaps() through the service", gap[1], None);
    results.ratio(
        "gaps: service / embedded",
        gap[1],
        gap[0],
        Some(RATIO_TARGET),
    );
    results.print();
    if results.missed > 0 {
        return Err(format!("{} target(s) missed", results.missed).into());
    }
    Ok(())
}
