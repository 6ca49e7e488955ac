//! The frameworks and crosswalk shipped with the app (`assets/frameworks/`), embedded in the binary and
//! loaded into an empty database on first start.

use super::{crosswalk, native, repo};
use crate::error::Result;
use crate::store::Store;

/// The shipped framework files: (file name, contents).
pub const FRAMEWORK_FILES: &[(&str, &str)] = &[
    (
        "nocn-l3-cd.toml",
        include_str!("../../../../assets/frameworks/nocn-l3-cd.toml"),
    ),
    (
        "cd-nos.toml",
        include_str!("../../../../assets/frameworks/cd-nos.toml"),
    ),
    (
        "cd-nos-values.toml",
        include_str!("../../../../assets/frameworks/cd-nos-values.toml"),
    ),
    (
        "cld-competences.toml",
        include_str!("../../../../assets/frameworks/cld-competences.toml"),
    ),
];

/// The shipped crosswalk file.
pub const CROSSWALK_FILE: &str = include_str!("../../../../assets/frameworks/crosswalk.toml");

/// Loads every shipped framework and the crosswalk, in one transaction, if no framework is stored yet.
pub(crate) fn load_if_empty(store: &mut Store) -> Result<()> {
    let count: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM frameworks", [], |row| row.get(0))?;
    if count > 0 {
        return Ok(());
    }
    let docs = FRAMEWORK_FILES
        .iter()
        .map(|(_, text)| native::parse(text.as_bytes()))
        .collect::<Result<Vec<_>>>()?;
    let links = crosswalk::parse(CROSSWALK_FILE.as_bytes())?;
    store.write(|tx| {
        for doc in &docs {
            repo::import_in(tx, doc)?;
        }
        crosswalk::insert(tx, &links)?;
        let app = crate::audit::Who {
            uuid: None,
            name: "Evidence Tracker".into(),
        };
        let loaded: Vec<String> = docs
            .iter()
            .map(|d| format!("{}@{}", d.code, d.version))
            .collect();
        crate::audit::append(
            tx,
            &app,
            crate::audit::Change::new("shipped_frameworks_loaded", "frameworks")
                .after(loaded.join(" ")),
        )
    })
}
