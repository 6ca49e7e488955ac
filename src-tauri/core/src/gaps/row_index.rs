//! Row id → position in a list, for the gap computation's lookups (a criterion in a scope, an item
//! among a learner's evidence, a learner in the cohort). Typed by the kind of row it indexes, so an
//! evidence row id cannot be looked up among criteria.

use std::collections::HashMap;
use std::marker::PhantomData;

use crate::ids::RowId;

/// Marks an empty slot of a [`RowIndex`].
const EMPTY: u32 = u32::MAX;

/// Row id → position in a list. A table indexed by row id when the ids are close together (SQLite's
/// usual case: one array read per lookup, no hashing), else a map.
#[derive(Debug, Clone)]
pub(crate) struct RowIndex<K> {
    table: Table,
    kind: PhantomData<K>,
}

#[derive(Debug, Clone)]
enum Table {
    Dense { first: i64, slots: Vec<u32> },
    Sparse(HashMap<i64, u32>),
}

impl<K> Default for RowIndex<K> {
    fn default() -> Self {
        RowIndex {
            table: Table::Sparse(HashMap::new()),
            kind: PhantomData,
        }
    }
}

impl<K: RowId> RowIndex<K> {
    /// Indexes `ids`: the position of each is its index in the slice.
    pub fn new(ids: &[K]) -> RowIndex<K> {
        RowIndex {
            table: Table::new(ids),
            kind: PhantomData,
        }
    }

    pub fn get(&self, id: K) -> Option<u32> {
        let id = id.get();
        match &self.table {
            Table::Dense { first, slots } => {
                let offset = usize::try_from(id.checked_sub(*first)?).ok()?;
                slots.get(offset).copied().filter(|&s| s != EMPTY)
            }
            Table::Sparse(map) => map.get(&id).copied(),
        }
    }
}

impl Table {
    fn new<K: RowId>(ids: &[K]) -> Table {
        let raw = || ids.iter().map(|id| id.get());
        let (Some(first), Some(last)) = (raw().min(), raw().max()) else {
            return Table::Sparse(HashMap::new());
        };
        let span = usize::try_from(last.abs_diff(first)).unwrap_or(usize::MAX);
        if span > ids.len().saturating_mul(4).saturating_add(1024) {
            return Table::Sparse(raw().zip(0u32..).collect());
        }
        let mut slots = vec![EMPTY; span + 1];
        for (id, position) in raw().zip(0u32..) {
            slots[(id - first) as usize] = position;
        }
        Table::Dense { first, slots }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EvidenceRowId;

    fn rows(ids: &[i64]) -> Vec<EvidenceRowId> {
        ids.iter().copied().map(EvidenceRowId::new).collect()
    }

    #[test]
    fn row_indexes_find_positions_whether_dense_or_sparse() {
        for ids in [
            rows(&[7, 5, 6, 9]),
            rows(&[3, 1_000_000, -4, i64::MAX, i64::MIN]),
        ] {
            let index = RowIndex::new(&ids);
            for (position, &id) in ids.iter().enumerate() {
                assert_eq!(index.get(id), Some(position as u32));
            }
            for absent in rows(&[8, 4, 10, 0, i64::MAX - 1, i64::MIN + 1]) {
                assert_eq!(index.get(absent), None);
            }
        }
        assert!(matches!(
            RowIndex::new(&rows(&[7, 5, 6, 9])).table,
            Table::Dense { .. }
        ));
        assert_eq!(
            RowIndex::<EvidenceRowId>::new(&[]).get(EvidenceRowId::new(0)),
            None
        );
    }
}
