//! libsvm's kernel cache: an LRU of (partial) Q columns in single precision under a byte budget (`cache_size` MB).
//! Values never depend on it — a column computed again is bit-identical — it only decides how often kernel rows
//! are recomputed, as in libsvm.

use std::rc::Rc;

pub struct ColumnCache {
    /// Column `i` holds Q[i][0..len) for its cached `len` (empty: not cached).
    columns: Vec<Rc<Vec<f32>>>,
    /// Circular LRU list over cached columns; node `l` is the sentinel, `next[l]` the least recently used.
    prev: Vec<usize>,
    next: Vec<usize>,
    /// Floats still available.
    free: usize,
}

impl ColumnCache {
    /// `l` columns under `bytes` bytes, with libsvm's accounting (32 bytes of bookkeeping per column, and always
    /// room for two full columns).
    pub fn new(l: usize, bytes: f64) -> Self {
        let floats = (bytes / 4.0).min(usize::MAX as f64 / 2.0) as usize;
        let free = floats.saturating_sub(l * 8).max(2 * l);
        let sentinel = l;
        ColumnCache {
            columns: std::iter::repeat_with(|| Rc::new(Vec::new())).take(l).collect(),
            prev: vec![sentinel; l + 1],
            next: vec![sentinel; l + 1],
            free,
        }
    }

    fn sentinel(&self) -> usize {
        self.columns.len()
    }

    fn unlink(&mut self, h: usize) {
        let (p, n) = (self.prev[h], self.next[h]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    fn push_back(&mut self, h: usize) {
        let s = self.sentinel();
        let last = self.prev[s];
        self.next[last] = h;
        self.prev[h] = last;
        self.next[h] = s;
        self.prev[s] = h;
    }

    fn evict(&mut self, h: usize) {
        self.unlink(h);
        self.free += self.columns[h].len();
        self.columns[h] = Rc::new(Vec::new());
    }

    /// Column `i` with at least `len` entries; `fill(column, start)` computes the entries from `start` on that were
    /// not cached yet.
    pub fn column(&mut self, i: usize, len: usize, fill: impl FnOnce(&mut [f32], usize)) -> Rc<Vec<f32>> {
        let have = self.columns[i].len();
        if have > 0 {
            self.unlink(i);
        }
        if len > have {
            let more = len - have;
            while self.free < more {
                let lru = self.next[self.sentinel()];
                if lru == self.sentinel() {
                    break;
                }
                self.evict(lru);
            }
            let column = Rc::make_mut(&mut self.columns[i]);
            column.resize(len, 0.0);
            fill(column, have);
            self.free = self.free.saturating_sub(more);
        }
        self.push_back(i);
        Rc::clone(&self.columns[i])
    }

    /// Follows a swap of variables `i` and `j` (shrinking): swaps their columns and entries i, j of every cached
    /// column, dropping columns that hold only one of the two.
    pub fn swap_index(&mut self, i: usize, j: usize) {
        if i == j {
            return;
        }
        for h in [i, j] {
            if !self.columns[h].is_empty() {
                self.unlink(h);
            }
        }
        self.columns.swap(i, j);
        for h in [i, j] {
            if !self.columns[h].is_empty() {
                self.push_back(h);
            }
        }
        let (lo, hi) = (i.min(j), i.max(j));
        let mut h = self.next[self.sentinel()];
        while h != self.sentinel() {
            let following = self.next[h];
            let len = self.columns[h].len();
            if len > hi {
                Rc::make_mut(&mut self.columns[h]).swap(lo, hi);
            } else if len > lo {
                self.evict(h);
            }
            h = following;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_with(i: usize) -> impl FnOnce(&mut [f32], usize) {
        move |col: &mut [f32], start: usize| (start..col.len()).for_each(|t| col[t] = (i * 100 + t) as f32)
    }

    #[test]
    fn evicts_least_recently_used_and_extends_partial_columns() {
        // Room for exactly two columns of 4.
        let mut cache = ColumnCache::new(4, 0.0);
        assert_eq!(cache.column(0, 2, fill_with(0)).as_slice(), &[0.0, 1.0]);
        assert_eq!(cache.column(0, 4, fill_with(0)).as_slice(), &[0.0, 1.0, 2.0, 3.0]);
        cache.column(1, 4, fill_with(1));
        cache.column(0, 4, |_, _| panic!("column 0 is cached"));
        cache.column(2, 4, fill_with(2)); // evicts column 1
        let mut refilled = false;
        cache.column(1, 1, |_, start| refilled = start == 0);
        assert!(refilled);
    }

    #[test]
    fn swap_index_keeps_columns_consistent() {
        let mut cache = ColumnCache::new(4, 1e6);
        cache.column(0, 4, fill_with(0));
        cache.column(3, 2, fill_with(3));
        cache.swap_index(1, 3);
        // Column 0 had both entries: swapped. Column 3 (now at 1) had only entry 1 of {1, 3}: dropped.
        assert_eq!(cache.column(0, 4, |_, _| panic!()).as_slice(), &[0.0, 3.0, 2.0, 1.0]);
        let mut recomputed = false;
        cache.column(1, 2, |_, start| recomputed = start == 0);
        assert!(recomputed);
    }
}
