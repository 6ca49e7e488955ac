//! Row ids as types of their own. The core joins its tables by SQLite row ids — a learner's, an
//! evidence item's, a user's, a framework version's, a criterion's — and as bare `i64`s one could be
//! passed where another was meant without anything noticing. Each kind here is a newtype that goes
//! into `params![…]` and comes out of `row.get(…)` as the integer it is stored as, but does not turn
//! into another kind: there is no `From<i64>`, only the crate's own `new` where a row id comes from
//! SQLite by other means (`last_insert_rowid`). None of them leaves the crate: the public API names
//! learners and items by their string ids.
//!
//! One kind does leave it: [`VersionNumber`], the number of a saved state of an evidence item, which
//! judgements, signatures, diffs and bundles name and which must not be mixed up with the item's own
//! number in the portfolio or a count.
//!
//! A leaf: it imports nothing from the crate, so every layer may use it.

use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// What every row id is underneath: an SQLite integer row id. For structures indexed by row id
/// (`gaps::row_index::RowIndex`), which stay typed by the kind of row they index.
pub(crate) trait RowId: Copy {
    /// The stored integer.
    fn get(self) -> i64;
}

macro_rules! row_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) struct $name(i64);

        impl $name {
            /// The row id SQLite gave a row of this kind (e.g. `Transaction::last_insert_rowid`).
            pub(crate) const fn new(row_id: i64) -> Self {
                Self(row_id)
            }
        }

        impl RowId for $name {
            fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map(Self)
            }
        }
    )*};
}

row_ids! {
    /// A row of `learners`.
    LearnerRowId;
    /// A row of `evidence` (an item, whatever its version).
    EvidenceRowId;
    /// A row of `users`.
    UserRowId;
    /// A row of `frameworks`: one stored version of a framework.
    FrameworkRowId;
    /// A row of `criteria`, which belongs to one framework version.
    CriterionRowId;
}

/// The number of one saved state of an evidence item: 1 when it is first saved, one more at each
/// change. A newtype struct, so serde writes and reads it as the plain number.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct VersionNumber(i64);

impl VersionNumber {
    /// The first saved state of an item.
    pub const FIRST: VersionNumber = VersionNumber(1);

    /// Version `number`, as a person or a file names it (`evidence diff ITEM 1 3`, a bundle).
    pub const fn new(number: i64) -> Self {
        Self(number)
    }

    /// The number itself.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The version a change to this one saves.
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ToSql for VersionNumber {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for VersionNumber {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::{params, Connection, OptionalExtension};

    use super::*;

    #[test]
    fn row_ids_round_trip_through_sqlite_as_integers() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE learners (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             CREATE TABLE evidence (id INTEGER PRIMARY KEY, learner_id INTEGER REFERENCES learners(id));",
        )
        .unwrap();
        conn.execute("INSERT INTO learners (name) VALUES ('Ada')", [])
            .unwrap();
        let learner = LearnerRowId::new(conn.last_insert_rowid());
        conn.execute("INSERT INTO evidence (learner_id) VALUES (?1)", [learner])
            .unwrap();
        let item = EvidenceRowId::new(conn.last_insert_rowid());

        let (read_item, read_learner): (EvidenceRowId, LearnerRowId) = conn
            .query_row(
                "SELECT id, learner_id FROM evidence WHERE id = ?1 AND learner_id = ?2",
                params![item, learner],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((read_item, read_learner), (item, learner));
        // Stored as the plain integer, so SQL compares and joins it as before.
        let raw: i64 = conn
            .query_row("SELECT learner_id FROM evidence", [], |row| row.get(0))
            .unwrap();
        assert_eq!(raw, learner.get());
        assert_eq!(learner.to_string(), raw.to_string());
        // NULL reads as None; text is refused rather than coerced.
        let none: Option<LearnerRowId> =
            conn.query_row("SELECT NULL", [], |row| row.get(0)).unwrap();
        assert_eq!(none, None);
        let text: rusqlite::Result<UserRowId> =
            conn.query_row("SELECT 'seven'", [], |row| row.get(0));
        assert!(text.is_err());
        let missing: Option<CriterionRowId> = conn
            .query_row("SELECT id FROM learners WHERE id = ?1", [0], |row| {
                row.get(0)
            })
            .optional()
            .unwrap();
        assert_eq!(missing, None);
        let framework: FrameworkRowId = conn
            .query_row("SELECT ?1", [FrameworkRowId::new(42)], |row| row.get(0))
            .unwrap();
        assert_eq!(framework, FrameworkRowId::new(42));
    }

    #[test]
    fn a_version_number_is_written_and_read_as_the_plain_number() {
        let third = VersionNumber::FIRST.next().next();
        assert_eq!(serde_json::to_string(&third).unwrap(), "3");
        assert_eq!(serde_json::from_str::<VersionNumber>("3").unwrap(), third);
        assert!(serde_json::from_str::<VersionNumber>("\"3\"").is_err());
        let conn = Connection::open_in_memory().unwrap();
        let stored: i64 = conn
            .query_row("SELECT ?1", [third], |row| row.get(0))
            .unwrap();
        assert_eq!(stored, 3);
    }
}
