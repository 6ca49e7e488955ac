//! Full-text search over evidence titles and bodies (SQLite FTS5, Porter stemming).
//!
//! User text is never passed to FTS5 as query syntax: each word becomes a quoted phrase, so `-`, `:`,
//! quotes or `NEAR` in a search box cannot produce a syntax error or a different query.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Method, Status};
use crate::error::{CoreError, Result};
use crate::ids::RowId;
use crate::store::access::{Need, Readable};
use crate::store::Store;

/// One search result.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: String,
    pub learner_id: String,
    pub number: i64,
    pub title: String,
    pub method: Method,
    pub status: Status,
    pub activity_date: String,
    /// A short extract around the match, with matches between `[` and `]`.
    pub snippet: String,
}

/// Turns free text into an FTS5 query that matches items containing every word (the last as a prefix).
fn to_fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', "\"\""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

impl Store {
    /// Searches evidence, of one learner or of all, best match first.
    pub fn search_evidence(
        &self,
        text: &str,
        learner: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        let query =
            to_fts_query(text).ok_or_else(|| CoreError::invalid("search text has no words"))?;
        let learner_row = match learner {
            Some(key) => {
                let found = self.learner_row(key)?;
                self.require_portfolio(&found, Need::Read)?;
                Some(found.row_id)
            }
            None => None,
        };
        // Only portfolios the acting user may read are searched (NULL: all of them).
        let readable_learners = self.readable_learners()?;
        let readable = match &readable_learners {
            Readable::All => None,
            Readable::Only(rows) => {
                let rows: Vec<i64> = rows.iter().map(|row| row.get()).collect();
                Some(serde_json::to_string(&rows).map_err(|e| CoreError::Database(e.to_string()))?)
            }
        };
        let mut stmt = self.read(&readable_learners).prepare(
            "SELECT e.uuid, l.uuid, e.number, e.title, e.method, e.status, e.activity_date,
                    snippet(evidence_fts, -1, '[', ']', '…', 12)
             FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid JOIN learners l ON l.id = e.learner_id
             WHERE evidence_fts MATCH ?1 AND (?2 IS NULL OR e.learner_id = ?2)
               AND (?4 IS NULL OR e.learner_id IN (SELECT value FROM json_each(?4)))
             ORDER BY bm25(evidence_fts, 5.0, 1.0), e.id LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![query, learner_row, limit as i64, readable], |row| {
            let method: String = row.get(4)?;
            let status: String = row.get(5)?;
            let bad = |v: &str| {
                rusqlite::Error::InvalidColumnType(0, v.to_string(), rusqlite::types::Type::Text)
            };
            Ok(SearchHit {
                id: row.get(0)?,
                learner_id: row.get(1)?,
                number: row.get(2)?,
                title: row.get(3)?,
                method: Method::parse(&method).ok_or_else(|| bad(&method))?,
                status: Status::parse(&status).ok_or_else(|| bad(&status))?,
                activity_date: row.get(6)?,
                snippet: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::to_fts_query;

    #[test]
    fn words_are_quoted_and_the_last_is_a_prefix() {
        assert_eq!(
            to_fts_query("partner meet").as_deref(),
            Some("\"partner\" \"meet\"*")
        );
    }

    #[test]
    fn query_syntax_is_neutralised() {
        assert_eq!(
            to_fts_query("a\"b NEAR").as_deref(),
            Some("\"a\"\"b\" \"NEAR\"*")
        );
        assert_eq!(to_fts_query("  -- ** "), None);
    }
}
