//! Shared helpers: a portfolio in a fresh temporary data directory, ways to run `evidence` against it
//! and read its answers, and a snapshot of everything stored for "nothing changed" assertions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::types::ValueRef;
use serde_json::Value;
use tempfile::TempDir;

/// A portfolio in its own temporary data directory, never the user's real one.
pub struct Portfolio {
    dir: TempDir,
    scratch: TempDir,
    /// The user later commands sign in as (with [`PASSWORD`]), if any.
    user: std::cell::RefCell<Option<String>>,
    /// The centre service's socket later commands go through, if any (`--service`).
    service: std::cell::RefCell<Option<PathBuf>>,
}

/// The command that sets a test centre up, with the administrator `admin`.
pub const CENTRE_SETUP: &[&str] = &[
    "setup",
    "centre",
    "--username",
    "admin",
    "--name",
    "Ada Admin",
];

/// The password every test account gets.
pub const PASSWORD: &str = "test password 123";

impl Portfolio {
    pub fn new() -> Portfolio {
        Portfolio {
            dir: tempfile::tempdir().expect("temporary data directory"),
            scratch: tempfile::tempdir().expect("temporary scratch folder"),
            user: std::cell::RefCell::new(None),
            service: std::cell::RefCell::new(None),
        }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `evidence --data-dir DIR`, with `EVIDENCE_DATA_DIR` also pointing at DIR.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("evidence").expect("the evidence binary");
        cmd.env("EVIDENCE_DATA_DIR", self.dir())
            .env_remove("EVIDENCE_USER")
            .env_remove("EVIDENCE_PASSWORD")
            .env_remove("EVIDENCE_NEW_PASSWORD")
            .env_remove("EVIDENCE_SERVICE")
            .arg("--data-dir")
            .arg(self.dir());
        if let Some(socket) = self.service.borrow().as_deref() {
            cmd.env("EVIDENCE_SERVICE", socket);
        }
        if let Some(user) = self.user.borrow().as_deref() {
            cmd.env("EVIDENCE_USER", user)
                .env("EVIDENCE_PASSWORD", PASSWORD);
        }
        cmd
    }

    /// Later commands sign in as `username` (whose password is [`PASSWORD`]); `None` for nobody.
    pub fn sign_in_as(&self, username: impl Into<Option<&'static str>>) {
        *self.user.borrow_mut() = username.into().map(str::to_string);
    }

    /// Later commands are clients of the centre service at `socket`; `None` to open the directory.
    pub fn through_service(&self, socket: Option<&Path>) {
        *self.service.borrow_mut() = socket.map(Path::to_path_buf);
    }

    /// Sets the portfolio up as a centre with the administrator `admin`, if it is not already, and adds
    /// each (username, name, role) account, all with [`PASSWORD`]; later commands run as the
    /// administrator. Returns the accounts added.
    pub fn centre_with(&self, accounts: &[(&str, &str, &str)]) -> Vec<Value> {
        if self.json(&["users", "whoami"])["accounts"]["state"] == "no_accounts" {
            self.with_new_password(CENTRE_SETUP);
        }
        self.sign_in_as("admin");
        accounts
            .iter()
            .map(|(username, name, role)| {
                self.with_new_password(&[
                    "users",
                    "add",
                    "--username",
                    username,
                    "--name",
                    name,
                    "--role",
                    role,
                ])
            })
            .collect()
    }

    /// Runs a command that must succeed with [`PASSWORD`] as the new password; returns its JSON.
    pub fn with_new_password(&self, args: &[&str]) -> Value {
        let output = self
            .command()
            .env("EVIDENCE_NEW_PASSWORD", PASSWORD)
            .arg("--json")
            .args(args)
            .output()
            .expect("run evidence");
        assert!(
            output.status.success(),
            "evidence {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("JSON output")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().expect("run evidence");
        assert!(
            output.status.success(),
            "evidence {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Runs a command with `--json` that must succeed; returns the parsed output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("evidence {args:?}: {e}\n{text}"))
    }

    /// Runs a command the core must refuse, in text and in JSON form, and checks the contract: exit
    /// status 1, exactly one line on standard error naming the problem, nothing on standard output,
    /// `{"error":{"code","message"}}` with `--json`. Returns the message.
    pub fn refuse(&self, args: &[&str], code: &str, needle: &str) -> String {
        let text = self.command().args(args).output().expect("run evidence");
        let stderr = String::from_utf8_lossy(&text.stderr);
        assert_eq!(
            text.status.code(),
            Some(1),
            "evidence {args:?}: expected exit 1, stderr: {stderr}"
        );
        assert!(
            text.stdout.is_empty(),
            "evidence {args:?} printed to stdout on failure: {}",
            String::from_utf8_lossy(&text.stdout)
        );
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "evidence {args:?}: expected one line on stderr, got {stderr:?}"
        );
        assert!(
            lines[0].starts_with("error: ") && lines[0].ends_with(&format!("[{code}]")),
            "evidence {args:?}: expected an error with code {code}, got {stderr:?}"
        );
        assert!(
            lines[0].contains(needle),
            "evidence {args:?}: the message should name {needle:?}: {stderr:?}"
        );

        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let json = self.command().args(&all).output().expect("run evidence");
        let stderr = String::from_utf8_lossy(&json.stderr);
        assert_eq!(json.status.code(), Some(1), "evidence {all:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "evidence {all:?}: {stderr:?}");
        let payload: Value = serde_json::from_str(&stderr)
            .unwrap_or_else(|e| panic!("evidence {all:?}: error is not JSON ({e}): {stderr}"));
        let error = payload["error"]
            .as_object()
            .unwrap_or_else(|| panic!("no error object: {payload}"));
        assert_eq!(payload.as_object().map(|o| o.len()), Some(1), "{payload}");
        assert_eq!(
            error.len(),
            2,
            "error has exactly code and message: {payload}"
        );
        assert_eq!(error["code"], code, "{payload}");
        let message = error["message"].as_str().expect("message is text");
        assert!(message.contains(needle), "{payload}");
        message.to_string()
    }

    /// Adds a learner; returns their id.
    pub fn add_learner(&self, name: &str) -> String {
        id_of(&self.json(&["learners", "add", name]))
    }

    /// A learner enrolled on NOCN-L3-CD unit PWC (3 criteria) and the whole of CD-NOS (28).
    pub fn enrolled_learner(&self, name: &str) -> String {
        let learner = self.add_learner(name);
        self.ok(&[
            "enrol",
            "--learner",
            &learner,
            "NOCN-L3-CD",
            "--unit",
            "PWC",
        ]);
        self.ok(&["enrol", "--learner", &learner, "CD-NOS"]);
        learner
    }

    /// Records an evidence item; `extra` adds options (`--submit`, `--body`, …). Returns its id.
    pub fn add_evidence(
        &self,
        learner: &str,
        title: &str,
        method: &str,
        date: &str,
        extra: &[&str],
    ) -> String {
        let args = add_args(learner, title, method, date, extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        id_of(&self.json(&args))
    }

    /// Writes a file in a scratch folder outside the data directory; returns its path.
    pub fn scratch_file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.scratch.path().join(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path
    }

    /// Everything stored: every row of every table, and every file under the data directory (other
    /// than SQLite's transient `-wal`/`-shm` files).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            tables: dump_database(&self.dir().join("evidence.sqlite3")),
            files: files_under(self.dir()),
        }
    }
}

/// The `id` field of a JSON answer.
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_string()
}

/// A path as text, for an argument list.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Today's date (UTC, as the core counts) moved by `days`, as YYYY-MM-DD.
pub fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The `ref` fields of a list of criteria.
pub fn refs(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|c| c["ref"].as_str().expect("ref").to_string())
        .collect()
}

/// The entry of a list whose `key` field equals `value`.
pub fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no entry with {key} = {value} in {list}"))
}

/// Everything a data directory holds, in comparable form.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub tables: BTreeMap<String, Vec<String>>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Every row of every table, sorted, read from a copy of the database so that reading it cannot
/// change the data directory.
pub fn dump_database(db: &Path) -> BTreeMap<String, Vec<String>> {
    let copy = tempfile::tempdir().expect("temporary folder");
    let target = copy.path().join("copy.sqlite3");
    std::fs::copy(db, &target).expect("copy the database");
    let wal = db.with_extension("sqlite3-wal");
    if wal.exists() {
        std::fs::copy(&wal, copy.path().join("copy.sqlite3-wal")).expect("copy the WAL");
    }
    let conn = rusqlite::Connection::open(&target).expect("open the copy");
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("list tables")
        .query_map([], |row| row.get(0))
        .expect("list tables")
        .collect::<Result<_, _>>()
        .expect("table names");
    let mut tables = BTreeMap::new();
    for name in names {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{name}\""))
            .expect("select");
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |row| {
                let mut cells = Vec::with_capacity(columns);
                for i in 0..columns {
                    cells.push(match row.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("x'{}'", hex::encode(b)),
                    });
                }
                Ok(cells.join("|"))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        rows.sort();
        tables.insert(name, rows);
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("user_version");
    tables.insert("PRAGMA user_version".into(), vec![version.to_string()]);
    tables
}

/// Every file under a folder (relative path → bytes), leaving out SQLite's `-wal` and `-shm` files.
pub fn files_under(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .expect("inside root")
                .to_string_lossy()
                .into_owned();
            if name.ends_with("-wal") || name.ends_with("-shm") {
                continue;
            }
            let bytes = if name == "evidence.sqlite3" {
                // Compared through its rows; the file's pages may legitimately be rewritten.
                Vec::new()
            } else {
                std::fs::read(&path).expect("read file")
            };
            files.insert(name, bytes);
        }
    }
    files
}

/// The arguments of `evidence add` for one item; `extra` adds options (`--submit`, `--body-file`, …).
pub fn add_args(
    learner: &str,
    title: &str,
    method: &str,
    date: &str,
    extra: &[&str],
) -> Vec<String> {
    [
        "add",
        "--learner",
        learner,
        "--title",
        title,
        "--method",
        method,
        "--date",
        date,
    ]
    .iter()
    .chain(extra)
    .map(|a| a.to_string())
    .collect()
}
