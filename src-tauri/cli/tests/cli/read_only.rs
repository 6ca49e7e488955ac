//! A read-only data directory: every write is refused with `read_only`, and nothing changes. When the
//! tests run as root (as in CI), where permission bits do not stop writes, the command runs as user
//! nobody instead; the test is never skipped.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{arg, day, dump_database, files_under, Portfolio};

/// Puts permissions back when dropped, even when an assertion fails, so the data can be compared
/// and the temporary directory removed.
struct RestorePermissions(PathBuf);

impl Drop for RestorePermissions {
    fn drop(&mut self) {
        set_modes(&self.0, 0o755, 0o644);
    }
}

/// Sets the mode of a folder, every folder and file under it.
fn set_modes(root: &Path, dirs: u32, files: u32) {
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(files));
                }
            }
        }
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(dirs));
    }
}

fn running_as_root() -> bool {
    let output = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("run id -u");
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

#[test]
fn a_read_only_data_directory_refuses_writes_and_keeps_the_data() {
    // Under /tmp (world-traversable), so that user nobody can reach it when the tests run as root.
    let holder = tempfile::Builder::new()
        .prefix("evidence-read-only-")
        .tempdir_in("/tmp")
        .expect("temp dir under /tmp");
    let data = holder.path().join("data");
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Kai Moreno");
    let item = p.add_evidence(&learner, "Account", "other", &day(-3), &[]);
    p.ok(&["map", &item, "CD-NOS:CLDSCCD15.PC1"]);
    let file = p.scratch_file("notes.txt", b"notes");
    p.ok(&["attach", &item, arg(&file)]);
    copy_tree(p.dir(), &data);
    let before_rows = dump_database(&data.join("evidence.sqlite3"));
    let before_files = files_under(&data);

    // A file any user can read, to try attaching it.
    let readable = holder.path().join("readable.txt");
    std::fs::write(&readable, b"new content").expect("write");
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let as_root = running_as_root();
    let binary = if as_root {
        // Root ignores permission bits; run as nobody instead, from a copy any user can execute.
        let copy = holder.path().join("evidence");
        std::fs::copy(assert_cmd::cargo::cargo_bin("evidence"), &copy).expect("copy binary");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        copy
    } else {
        assert_cmd::cargo::cargo_bin("evidence")
    };
    std::fs::set_permissions(holder.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let guard = RestorePermissions(data.clone());
    set_modes(&data, 0o555, 0o444);
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(&binary);
        cmd.env("EVIDENCE_DATA_DIR", &data)
            .arg("--data-dir")
            .arg(&data)
            .arg("--json")
            .args(args)
            .current_dir("/");
        if as_root {
            cmd.uid(65534).gid(65534);
        }
        assert_cmd::Command::from_std(cmd)
            .output()
            .expect("run evidence")
    };
    for args in [
        vec!["learners", "add", "Someone New"],
        vec![
            "add",
            "--learner",
            learner.as_str(),
            "--title",
            "T",
            "--method",
            "other",
            "--date",
            "2024-01-01",
        ],
        vec!["edit", item.as_str(), "--title", "Changed"],
        vec!["map", item.as_str(), "CD-NOS:CLDSCCD15.PC2"],
        vec!["enrol", "--learner", learner.as_str(), "CD-NOS-VALUES"],
        vec!["settings", "currency-years", "5"],
        vec!["attach", item.as_str(), arg(&readable)],
    ] {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?} as root={as_root}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        let payload: Value = serde_json::from_str(&stderr).expect("JSON error");
        assert_eq!(payload["error"]["code"], "read_only", "{args:?}: {stderr}");
        assert!(
            payload["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("read-only")),
            "{args:?}: {stderr}"
        );
    }
    // Reading still works: a portfolio on read-only media or in a backup can be looked at.
    for args in [
        vec!["list", "--learner", learner.as_str()],
        vec!["gaps", "--learner", learner.as_str()],
    ] {
        let output = run(&args);
        assert!(
            output.status.success(),
            "{args:?} must work read-only: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let value: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert!(!value.is_null(), "{args:?}");
    }
    let gaps: Value = serde_json::from_slice(&run(&["gaps", "--learner", learner.as_str()]).stdout)
        .expect("JSON");
    assert_eq!(
        gaps["totals"]["evidenced"].as_u64().map(|n| n <= 1),
        Some(true)
    );
    assert!(
        gaps["totals"]["criteria"].as_u64().is_some_and(|n| n > 0),
        "{gaps}"
    );
    drop(guard);

    assert!(
        dump_database(&data.join("evidence.sqlite3")) == before_rows,
        "rows changed"
    );
    assert_eq!(files_under(&data), before_files, "files changed");
    // Writable again, the portfolio works as before.
    let output = assert_cmd::Command::cargo_bin("evidence")
        .expect("binary")
        .env("EVIDENCE_DATA_DIR", &data)
        .args(["--json", "list", "--learner", &learner])
        .output()
        .expect("run");
    assert!(output.status.success());
    let items: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(items[0]["title"], "Account");
    assert_eq!(items[0]["attachments"], 1);
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}
