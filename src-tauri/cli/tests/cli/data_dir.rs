//! The data directory and the process contract: which directory is used, a database from a newer
//! build, and exit statuses.

use std::path::Path;

use serde_json::Value;

use crate::common::{arg, day, Portfolio};

/// `evidence` with only `EVIDENCE_DATA_DIR` set.
fn evidence_with_env(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("evidence").expect("the evidence binary");
    cmd.env("EVIDENCE_DATA_DIR", dir);
    cmd
}

#[test]
fn the_data_directory_comes_from_the_option_or_the_environment() {
    let from_env = tempfile::tempdir().expect("temp dir");
    let from_option = tempfile::tempdir().expect("temp dir");
    let target = from_env.path().join("portfolio");

    let output = evidence_with_env(&target)
        .args(["--json", "info"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let info: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(info["data_dir"], arg(&target));
    assert_eq!(info["database"], arg(&target.join("evidence.sqlite3")));
    assert_eq!(info["schema_version"], evidence_core::store::SCHEMA_VERSION);
    assert_eq!(info["frameworks"], 4);
    assert_eq!(info["learners"], 0);
    assert!(
        target.join("evidence.sqlite3").is_file(),
        "created on first use"
    );
    // A portfolio is personal data: what the first run creates is its owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode(&target), 0o700);
        assert_eq!(mode(&target.join("evidence.sqlite3")), 0o600);
    }

    // --data-dir wins over the environment.
    let output = evidence_with_env(&target)
        .arg("--data-dir")
        .arg(from_option.path())
        .args(["--json", "learners", "add", "Iris Novak"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let in_option = evidence_with_env(from_option.path())
        .args(["--json", "learners", "list"])
        .output()
        .expect("run");
    let in_env = evidence_with_env(&target)
        .args(["--json", "learners", "list"])
        .output()
        .expect("run");
    let count = |out: &std::process::Output| {
        serde_json::from_slice::<Value>(&out.stdout)
            .expect("JSON")
            .as_array()
            .map(Vec::len)
    };
    assert_eq!(count(&in_option), Some(1));
    assert_eq!(count(&in_env), Some(0));
}

#[test]
fn an_empty_environment_variable_means_the_default_directory() {
    // The per-user default, moved into a temporary home so the real one is never touched.
    let home = tempfile::tempdir().expect("temp dir");
    let xdg = home.path().join("xdg");
    let output = assert_cmd::Command::cargo_bin("evidence")
        .expect("the evidence binary")
        .env("EVIDENCE_DATA_DIR", "")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &xdg)
        .args(["--json", "info"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let info: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let dir = info["data_dir"].as_str().expect("data_dir");
    assert!(dir.starts_with(arg(home.path())), "{dir}");
    assert!(dir.ends_with("org.evidencetracker.desktop"), "{dir}");
    #[cfg(target_os = "linux")]
    assert_eq!(dir, arg(&xdg.join("org.evidencetracker.desktop")));
}

#[test]
fn exit_statuses_say_how_a_command_ended() {
    let p = Portfolio::new();
    p.command().args(["frameworks", "list"]).assert().code(0);
    p.command().arg("--help").assert().code(0);
    let version = p.command().arg("--version").output().expect("run");
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("evidence "));
    // A refusal by the core.
    p.command()
        .args(["learners", "show", "Nobody Known"])
        .assert()
        .code(1)
        .stderr("error: learner not found: Nobody Known [not_found]\n");

    // Command-line mistakes are usage errors, found before the data directory is touched.
    let untouched = p.dir().join("never-created");
    for (args, says) in [
        (vec!["bogus"], "unrecognized subcommand 'bogus'"),
        (vec!["frameworks"], "Usage: evidence frameworks"),
        (vec!["add", "--title", "No learner"], "--learner <LEARNER>"),
        (
            vec!["gaps", "--learner", "x", "--currency-years", "many"],
            "invalid value 'many'",
        ),
        (
            vec!["coverage", "--learner", "x", "--format", "xml"],
            "invalid value 'xml'",
        ),
        (
            vec![
                "add",
                "--learner",
                "x",
                "--title",
                "t",
                "--method",
                "other",
                "--date",
                "2024-01-01",
                "--body",
                "a",
                "--body-file",
                "b",
            ],
            "cannot be used with",
        ),
        (vec!["map", "0123456789abcdef"], "<REF>"),
    ] {
        let output = assert_cmd::Command::cargo_bin("evidence")
            .expect("binary")
            .env("EVIDENCE_DATA_DIR", &untouched)
            .args(&args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!untouched.exists(), "{args:?} created the data directory");
    }
}

#[test]
fn a_framework_version_can_be_named() {
    // `--version` of `frameworks show`/`export` is the framework's, not the program's.
    let p = Portfolio::new();
    let doc = p.json(&["frameworks", "show", "CD-NOS", "--version", "2023.2"]);
    assert_eq!(doc["version"], "2023.2");
    assert_eq!(doc["criteria"].as_array().map(Vec::len), Some(28));
    let exported = p.ok(&["frameworks", "export", "CD-NOS", "--version", "2023.2"]);
    assert!(exported.contains("version = \"2023.2\""));
    p.refuse(
        &["frameworks", "show", "CD-NOS", "--version", "1999"],
        "not_found",
        "CD-NOS version 1999",
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused_untouched() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Jon Reyes");
    p.add_evidence(&learner, "Account", "other", &day(-1), &[]);
    let conn = rusqlite::Connection::open(p.dir().join("evidence.sqlite3")).expect("open");
    conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_a_newer_build', '2099-01-01T00:00:00.000Z')",
        [],
    )
    .expect("bump the schema");
    drop(conn);

    let before = p.snapshot();
    for args in [
        vec!["learners", "list"],
        vec!["gaps", "--learner", learner.as_str()],
        vec!["learners", "add", "Someone New"],
        vec!["info"],
    ] {
        let message = p.refuse(&args, "database_too_new", "upgrade");
        assert!(message.contains("999"), "{message}");
    }
    assert!(p.snapshot() == before, "the newer database was changed");
}
