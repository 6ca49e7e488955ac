//! Remembers each learner's criteria scope between gap computations. A stored framework version never
//! changes (a new version is a new row), so a scope keyed by the framework rows and unit choices it was
//! built from can never go stale: importing a version or changing an enrolment changes the key.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::load::Scope;
use crate::ids::FrameworkRowId;

/// (framework row id, chosen units) for each enrolment, in enrolment order.
pub(crate) type ScopeKey = Vec<(FrameworkRowId, Vec<String>)>;

/// Most scopes kept; a centre has a handful of distinct enrolment patterns.
const MAX_ENTRIES: usize = 256;

/// The cache itself, owned by the store.
#[derive(Default)]
pub(crate) struct ScopeCache {
    entries: RefCell<HashMap<ScopeKey, Arc<Scope>>>,
}

impl ScopeCache {
    /// The scope remembered for `key`, if any.
    pub(crate) fn get(&self, key: &ScopeKey) -> Option<Arc<Scope>> {
        self.entries.borrow().get(key).cloned()
    }

    /// Remembers `scope` for `key`, forgetting everything once the cache is full.
    pub(crate) fn keep(&self, key: ScopeKey, scope: &Arc<Scope>) {
        let mut entries = self.entries.borrow_mut();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Arc::clone(scope));
    }
}
