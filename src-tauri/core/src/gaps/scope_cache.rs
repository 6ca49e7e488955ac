//! Remembers each learner's criteria scope between gap computations. A stored framework version never
//! changes (a new version is a new row), so a scope keyed by the framework rows and unit choices it was
//! built from can never go stale: importing a version or changing an enrolment changes the key.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::OptionalExtension;

use super::load::Scope;
use crate::error::Result;
use crate::store::Store;

/// (framework row id, chosen units) for each enrolment, in enrolment order.
type ScopeKey = Vec<(i64, Vec<String>)>;

/// Most scopes kept; a centre has a handful of distinct enrolment patterns.
const MAX_ENTRIES: usize = 256;

/// The cache itself, owned by the [`Store`].
#[derive(Default)]
pub(crate) struct ScopeCache {
    entries: RefCell<HashMap<ScopeKey, Arc<Scope>>>,
}

impl Store {
    /// The criteria a learner is assessed against, from the cache when their enrolments are unchanged.
    pub(crate) fn scope_of(&self, learner_row_id: i64) -> Result<Arc<Scope>> {
        let enrolments = self.enrolments_of(learner_row_id)?;
        let mut current = self
            .conn()
            .prepare_cached("SELECT id FROM frameworks WHERE code = ?1 AND is_current = 1")?;
        let mut key: ScopeKey = Vec::with_capacity(enrolments.len());
        for enrolment in &enrolments {
            if let Some(id) = current
                .query_row([&enrolment.framework], |row| row.get(0))
                .optional()?
            {
                key.push((id, enrolment.units.clone()));
            }
        }
        if let Some(scope) = self.scopes.entries.borrow().get(&key) {
            return Ok(Arc::clone(scope));
        }
        let scope = Arc::new(Scope::load(self.conn(), &enrolments)?);
        let mut entries = self.scopes.entries.borrow_mut();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Arc::clone(&scope));
        Ok(scope)
    }
}
