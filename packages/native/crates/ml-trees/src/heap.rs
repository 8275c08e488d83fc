//! `std::push_heap` / `std::pop_heap` exactly as libstdc++ implements them — the priority queue of scikit-learn's
//! best-first tree builder (`_tree.pyx` keeps its frontier in a `vector` with these two calls). Which of two equally
//! good nodes is expanded first, when the leaf budget runs out between them, is decided by this sift order.

/// `push_heap(v.begin(), v.end(), less)`: the last element joins the max-heap v[..len − 1].
pub fn push_heap<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let hole = v.len() - 1;
    let value = v[hole];
    sift_up(v, hole, 0, value, &less);
}

/// `pop_heap(v.begin(), v.end(), less)`: moves the maximum to the end, v[..len − 1] stays a heap.
pub fn pop_heap<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let len = v.len();
    if len < 2 {
        return;
    }
    let last = len - 1;
    let value = v[last];
    v[last] = v[0];
    adjust_heap(&mut v[..last], value, &less);
}

/// libstdc++'s `__push_heap`: moves `value` up from `hole` while its parent is less.
fn sift_up<T: Copy>(v: &mut [T], mut hole: usize, top: usize, value: T, less: &impl Fn(&T, &T) -> bool) {
    while hole > top {
        let parent = (hole - 1) / 2;
        if !less(&v[parent], &value) {
            break;
        }
        v[hole] = v[parent];
        hole = parent;
    }
    v[hole] = value;
}

/// libstdc++'s `__adjust_heap` from the root: the hole walks down to a leaf along the larger children (the right
/// one unless the right is less than the left), then `value` sifts up from there.
fn adjust_heap<T: Copy>(v: &mut [T], value: T, less: &impl Fn(&T, &T) -> bool) {
    let len = v.len() as isize;
    let mut hole: isize = 0;
    let mut second: isize = 0;
    while second < (len - 1) / 2 {
        second = 2 * (second + 1);
        if less(&v[second as usize], &v[second as usize - 1]) {
            second -= 1;
        }
        v[hole as usize] = v[second as usize];
        hole = second;
    }
    if len & 1 == 0 && second == (len - 2) / 2 {
        second = 2 * (second + 1);
        v[hole as usize] = v[second as usize - 1];
        hole = second - 1;
    }
    sift_up(v, hole as usize, 0, value, less);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_descending_order_and_ties_in_libstdcxx_order() {
        let less = |a: &(u32, u32), b: &(u32, u32)| a.0 < b.0;
        let mut heap: Vec<(u32, u32)> = Vec::new();
        for (i, key) in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5].into_iter().enumerate() {
            heap.push((key, i as u32));
            push_heap(&mut heap, less);
        }
        let mut popped = Vec::new();
        while !heap.is_empty() {
            pop_heap(&mut heap, less);
            popped.push(heap.pop().unwrap());
        }
        let keys: Vec<u32> = popped.iter().map(|p| p.0).collect();
        assert_eq!(keys, vec![9, 6, 5, 5, 5, 4, 3, 3, 2, 1, 1]);
        // The order g++'s std::pop_heap gives these insertion indices among equal keys.
        let ids: Vec<u32> = popped.iter().map(|p| p.1).collect();
        assert_eq!(ids, vec![5, 7, 4, 10, 8, 2, 0, 9, 6, 3, 1]);
    }
}
