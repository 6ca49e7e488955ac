//! The centre service over a real Unix socket: the same operations answer through it as embedded,
//! with the same permission checks and audit; every request needs a live session, which the service
//! expires when idle; malformed frames are refused; an encrypted portfolio opens at the first
//! sign-in. The separation by operating-system account is tested in `tests/service/` (CI, as root).

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use evidence_core::audit::HistoryScope;
use evidence_core::evidence::{EvidenceFilter, Method, NewEvidence, Status};
use evidence_core::refs::CriterionRef;
use evidence_core::service::wire::{self, Reply, Request};
use evidence_core::service::{Client, Portfolio, Service, ServiceOptions};
use evidence_core::Store;

use crate::access::{centre, Centre, PASSWORD};
use crate::common::date;
use crate::encryption::{centre_with_secret, SECRET};

/// A service on `dir`, listening on a socket in a directory of its own.
pub(crate) fn serve(dir: &Path, idle: Option<Duration>) -> (tempfile::TempDir, PathBuf) {
    let run = tempfile::tempdir().unwrap();
    let socket = run.path().join("service.sock");
    let service = Service::start(ServiceOptions {
        data_dir: dir.to_path_buf(),
        idle_override: idle,
    })
    .unwrap();
    let listener = Service::bind(&socket).unwrap();
    std::thread::spawn(move || Arc::new(service).serve(listener));
    (run, socket)
}

pub(crate) fn code<T: std::fmt::Debug>(result: evidence_core::error::Result<T>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => e.code().into(),
    }
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

/// An item as a learner would record it, through whichever `Portfolio` is given.
pub(crate) fn record(portfolio: &mut impl Portfolio, learner: &str, title: &str) -> String {
    portfolio
        .add_evidence(&NewEvidence {
            learner: learner.into(),
            title: title.into(),
            method: Method::ReflectiveAccount,
            activity_date: date("2026-11-02"),
            body_markdown: "Ran the tenants' meeting.".into(),
            status: Status::Draft,
            witness: Default::default(),
        })
        .unwrap()
        .id
}

fn started(c: Centre) -> (Centre, tempfile::TempDir, PathBuf) {
    let (run, socket) = serve(c.fx.dir.path(), None);
    (c, run, socket)
}

#[test]
fn the_same_operations_answer_through_the_service_as_embedded() {
    let (c, _run, socket) = started(centre());
    let mut remote = Client::sign_in(&socket, "lena", Some(PASSWORD)).unwrap();
    assert_eq!(remote.user().username, "lena");
    let mut local = Store::open(c.fx.dir.path()).unwrap();
    local.sign_in("lena", Some(PASSWORD)).unwrap();

    let filter = EvidenceFilter::default();
    assert_eq!(
        json(&remote.list_evidence(&c.lena, &filter).unwrap()),
        json(&local.list_evidence(&c.lena, &filter).unwrap())
    );
    assert_eq!(
        json(&remote.gaps(&c.lena, None).unwrap()),
        json(&local.gaps(&c.lena, None).unwrap())
    );
    assert_eq!(
        json(&remote.evidence(&c.lena_item).unwrap()),
        json(&local.evidence(&c.lena_item).unwrap())
    );

    // A write through the service lands in the same database, audited as the session's user.
    let item = record(&mut remote, &c.lena, "Tenants' meeting");
    let criteria = [CriterionRef::parse("NOCN-L3-CD:PWC.1.1").unwrap()];
    let mapped = remote
        .map_evidence(&item, &criteria, Some("my notes"))
        .unwrap();
    assert_eq!(mapped.mapped.len(), 1, "{mapped:?}");
    let seen = local.evidence(&item).unwrap();
    assert_eq!(seen.title, "Tenants' meeting");
    assert_eq!(seen.mappings.len(), 1);
    assert!(local.verify_audit().unwrap().intact);
    let written: Vec<(String, String)> = local
        .history(HistoryScope::Evidence(&item))
        .unwrap()
        .into_iter()
        .map(|entry| (entry.user_name, entry.action))
        .collect();
    assert!(
        written.iter().all(|(who, _)| who == "Lena Learner"),
        "{written:?}"
    );
    assert!(
        written.iter().any(|(_, what)| what == "mapped"),
        "{written:?}"
    );
    remote.sign_out().unwrap();
}

#[test]
fn permission_checks_hold_through_the_service() {
    let (c, _run, socket) = started(centre());
    let mut lena = Client::sign_in(&socket, "lena", Some(PASSWORD)).unwrap();
    assert_eq!(code(lena.evidence(&c.lars_item)), "not_found");
    assert_eq!(
        code(lena.list_evidence(&c.lars, &EvidenceFilter::default())),
        "not_found"
    );
    assert_eq!(code(lena.gaps(&c.lars, None)), "not_found");
    assert_eq!(code(lena.set_currency_years(2)), "forbidden");
    assert_eq!(code(lena.list_users()), "forbidden");
    let names: Vec<String> = lena
        .list_learners()
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["Lena Learner"]);

    let mut tom = Client::sign_in(&socket, "tom", Some(PASSWORD)).unwrap();
    assert_eq!(code(tom.evidence(&c.lena_item)), "ok");
    assert_eq!(code(tom.evidence(&c.lars_item)), "not_found");
    // Two sessions side by side each act for their own user.
    assert_eq!(code(lena.evidence(&c.lena_item)), "ok");
    assert_eq!(
        code(lena.set_password("tom", None, "another long password")),
        "forbidden"
    );
}

#[test]
fn every_request_needs_a_live_session() {
    let c = centre();
    let (_run, socket) = serve(c.fx.dir.path(), Some(Duration::from_millis(600)));
    assert_eq!(
        code(Client::sign_in(&socket, "lena", Some("not her password"))),
        "sign_in_failed"
    );
    assert_eq!(
        code(Client::sign_in(&socket, "nobody", Some(PASSWORD))),
        "sign_in_failed"
    );

    // A made-up token is refused like no token.
    let mut raw = UnixStream::connect(&socket).unwrap();
    let forged = Request::Call {
        session: "00".repeat(32),
        call: serde_json::from_value(serde_json::json!({"op": "list_learners", "args": {}}))
            .unwrap(),
    };
    wire::send(&mut raw, &forged).unwrap();
    match wire::receive_reply(&mut raw).unwrap().unwrap() {
        Reply::Err(payload) => assert_eq!(payload.code.as_str(), "unauthenticated"),
        Reply::Ok(_) => panic!("a forged session was answered"),
    }

    // Idle past the lock time, the session is closed, and stays closed.
    let mut lena = Client::sign_in(&socket, "lena", Some(PASSWORD)).unwrap();
    assert_eq!(code(lena.list_learners()), "ok");
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(code(lena.list_learners()), "unauthenticated");
    assert_eq!(code(lena.list_learners()), "unauthenticated");

    // Signing out ends it at once.
    let tom = Client::sign_in(&socket, "tom", Some(PASSWORD)).unwrap();
    tom.sign_out().unwrap();
}

#[test]
fn a_malformed_or_oversized_frame_is_refused() {
    let (_c, _run, socket) = started(centre());
    let mut raw = UnixStream::connect(&socket).unwrap();
    raw.write_all(&5u32.to_be_bytes()).unwrap();
    raw.write_all(b"{oops").unwrap();
    match wire::receive_reply(&mut raw).unwrap().unwrap() {
        Reply::Err(payload) => assert_eq!(payload.code.as_str(), "invalid_input"),
        Reply::Ok(_) => panic!("garbage was answered"),
    }
    let mut raw = UnixStream::connect(&socket).unwrap();
    raw.write_all(&u32::MAX.to_be_bytes()).unwrap();
    match wire::receive_reply(&mut raw).unwrap().unwrap() {
        Reply::Err(payload) => assert!(payload.message.contains("over the limit"), "{payload:?}"),
        Reply::Ok(_) => panic!("a 4 GiB frame was answered"),
    }
    // The service goes on answering others.
    assert_eq!(code(Client::sign_in(&socket, "lena", Some(PASSWORD))), "ok");
}

/// The centre with Lena's secret item, encrypted, closed, and served: nobody has signed in yet.
pub(crate) struct ServedEncrypted {
    pub(crate) lena: String,
    pub(crate) dir: PathBuf,
    pub(crate) socket: PathBuf,
    _data: tempfile::TempDir,
    _run: tempfile::TempDir,
}

pub(crate) fn served_encrypted() -> ServedEncrypted {
    let mut c = centre_with_secret();
    c.fx.store.encrypt_at_rest(PASSWORD).unwrap();
    let Centre { fx, lena, .. } = c;
    drop(fx.store);
    let (run, socket) = serve(fx.dir.path(), None);
    ServedEncrypted {
        lena,
        dir: fx.dir.path().to_path_buf(),
        socket,
        _data: fx.dir,
        _run: run,
    }
}

#[test]
fn an_encrypted_portfolio_opens_at_the_first_sign_in_through_the_service() {
    let served = served_encrypted();
    let (c, socket) = (&served, &served.socket);
    assert_eq!(
        code(Client::sign_in(
            socket,
            "lena",
            Some("a wrong password here")
        )),
        "sign_in_failed"
    );
    // Encrypting sealed the key for the administrator only: Lena's first sign-in cannot open it...
    assert_eq!(
        code(Client::sign_in(socket, "lena", Some(PASSWORD))),
        "sign_in_failed"
    );
    // ...the administrator's does, and from then on each account signs in and gets its seal.
    Client::sign_in(socket, "admin", Some(PASSWORD)).unwrap();
    let mut lena = Client::sign_in(socket, "lena", Some(PASSWORD)).unwrap();
    let titles: Vec<String> = lena
        .list_evidence(&c.lena, &EvidenceFilter::default())
        .unwrap()
        .into_iter()
        .map(|item| item.title)
        .collect();
    assert!(titles.iter().any(|t| t == SECRET), "{titles:?}");
    // Once open, the next user signs in with their own password, and sees only their own.
    let mut lars = Client::sign_in(socket, "lars", Some(PASSWORD)).unwrap();
    assert_eq!(
        code(lars.list_evidence(&c.lena, &EvidenceFilter::default())),
        "not_found"
    );
    assert_eq!(
        code(Client::sign_in(socket, "tom", Some("not toms password"))),
        "sign_in_failed"
    );
}
