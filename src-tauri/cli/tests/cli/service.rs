//! `evidence serve` and the CLI as its client (`$EVIDENCE_SERVICE`): the portfolio commands answer
//! through the service exactly as they do on the data directory, with the same refusals and codes;
//! a command the service does not carry yet says so; a socket nobody listens on is
//! `service_unavailable`. The run under separate system accounts is `tests/service/run.sh`.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

use crate::common::{id_of, Portfolio};

/// `evidence serve` on the portfolio's data directory, stopped when dropped.
struct Serving {
    child: Child,
    socket: PathBuf,
    _run: tempfile::TempDir,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Serving {
    let run = tempfile::tempdir().unwrap();
    let socket = run.path().join("service.sock");
    let child = std::process::Command::cargo_bin("evidence")
        .unwrap()
        .env_remove("EVIDENCE_SERVICE")
        .arg("--data-dir")
        .arg(dir)
        .arg("serve")
        .arg("--socket")
        .arg(&socket)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let began = Instant::now();
    while !socket.exists() {
        assert!(
            began.elapsed() < Duration::from_secs(20),
            "the service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Serving {
        child,
        socket,
        _run: run,
    }
}

#[test]
fn portfolio_commands_answer_the_same_through_the_service() {
    let p = Portfolio::new();
    p.centre_with(&[
        ("lena", "Lena Learner", "learner"),
        ("lars", "Lars Learner", "learner"),
    ]);
    let learners = p.json(&["learners", "list"]);
    let lena = id_of(crate::common::find(&learners, "name", "Lena Learner"));
    let lars = id_of(crate::common::find(&learners, "name", "Lars Learner"));
    p.sign_in_as("lena");
    p.ok(&["enrol", "--learner", &lena, "NOCN-L3-CD", "--unit", "PWC"]);
    let local_gaps = p.json(&["gaps", "--learner", &lena]);

    let service = serve(p.dir());
    p.through_service(Some(&service.socket));
    assert_eq!(p.json(&["gaps", "--learner", &lena]), local_gaps);
    let item = p.json(&[
        "add",
        "--learner",
        &lena,
        "--title",
        "Tenants' meeting",
        "--method",
        "reflective_account",
        "--date",
        "2026-11-02",
        "--body",
        "I chaired it.",
    ]);
    let id = id_of(&item);
    p.ok(&["map", &id, "NOCN-L3-CD:PWC.1.1"]);
    let through = p.json(&["show", &id]);
    p.refuse(&["list", "--learner", &lars], "not_found", "");
    p.refuse(
        &["settings", "currency-years", "2"],
        "forbidden",
        "administrator",
    );
    p.refuse(
        &["frameworks", "list"],
        "invalid_input",
        "does not run through the centre service",
    );
    p.sign_in_as("lars");
    p.refuse(&["show", &id], "not_found", "");

    // What the service wrote is in the data directory, exactly as the CLI reads it there.
    drop(service);
    p.through_service(None);
    p.sign_in_as("lena");
    assert_eq!(p.json(&["show", &id]), through);
    assert_eq!(
        through["mappings"].as_array().unwrap().len(),
        1,
        "{through}"
    );
}

#[test]
fn a_wrong_password_or_a_missing_service_is_refused_with_its_code() {
    let p = Portfolio::new();
    p.centre_with(&[("lena", "Lena Learner", "learner")]);
    let service = serve(p.dir());
    p.through_service(Some(&service.socket));
    p.sign_in_as(None);
    p.refuse(&["learners", "list"], "unauthenticated", "--user");
    let wrong = p
        .command()
        .env("EVIDENCE_USER", "lena")
        .env("EVIDENCE_PASSWORD", "not her password")
        .args(["learners", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("[sign_in_failed]"));
    p.through_service(Some(&p.dir().join("nobody-listens.sock")));
    p.sign_in_as("lena");
    p.refuse(
        &["learners", "list"],
        "service_unavailable",
        "cannot be reached",
    );
}
