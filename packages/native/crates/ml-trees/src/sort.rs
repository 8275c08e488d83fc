//! scikit-learn's sort of a node's feature values with their sample indices (`_splitter.pyx` `sort`): introsort
//! with a median-of-3 pivot and a three-way partition, heapsort past 2·⌊log₂ n⌋ levels. It is not stable, so the
//! order it leaves equal values in — which decides the order later sums add samples up in — is its own; `sort` is
//! the same algorithm step for step. Without equal values the sorted order is unique, so `sort_distinct` may reach
//! it faster: a radix sort of (value, sample) keys.

/// Sorts `values` ascending and applies the same permutation to `samples` (`pairs` is a reused buffer: the sort
/// moves (value, sample) pairs, one 8-byte swap instead of two).
pub fn sort(values: &mut [f32], samples: &mut [u32], pairs: &mut Vec<(f32, u32)>) {
    let n = values.len();
    if n == 0 {
        return;
    }
    pairs.clear();
    pairs.extend(values.iter().copied().zip(samples.iter().copied()));
    // sklearn's `log` is ln(x) / ln(2), truncated to int.
    let max_depth = 2 * ((n as f64).ln() / 2f64.ln()) as i32;
    introsort(pairs, max_depth);
    for ((v, s), &(pv, ps)) in values.iter_mut().zip(samples.iter_mut()).zip(pairs.iter()) {
        *v = pv;
        *s = ps;
    }
}

fn median3(pairs: &[(f32, u32)]) -> f32 {
    let n = pairs.len();
    let (a, b, c) = (pairs[0].0, pairs[n / 2].0, pairs[n - 1].0);
    if a < b {
        if b < c {
            b
        } else if a < c {
            c
        } else {
            a
        }
    } else if b < c {
        if a < c {
            a
        } else {
            c
        }
    } else {
        b
    }
}

fn introsort(mut pairs: &mut [(f32, u32)], mut max_depth: i32) {
    while pairs.len() > 1 {
        if max_depth <= 0 {
            heapsort(pairs);
            return;
        }
        max_depth -= 1;
        let pivot = median3(pairs);
        // Three-way partition: [0, l) below the pivot, [l, r) equal, [r, n) above.
        let (mut i, mut l, mut r) = (0, 0, pairs.len());
        while i < r {
            let v = pairs[i].0;
            if v < pivot {
                pairs.swap(i, l);
                i += 1;
                l += 1;
            } else if v > pivot {
                r -= 1;
                pairs.swap(i, r);
            } else {
                i += 1;
            }
        }
        let (below, rest) = pairs.split_at_mut(l);
        let above = &mut rest[r - l..];
        // The two sides are disjoint, so sorting them at once gives the same result.
        if below.len() >= PARALLEL_SIDE && above.len() >= PARALLEL_SIDE {
            rayon::join(|| introsort(below, max_depth), || introsort(above, max_depth));
            return;
        }
        introsort(below, max_depth);
        pairs = above;
    }
}

/// Both sides of a partition at least this long are sorted in parallel.
const PARALLEL_SIDE: usize = 8192;

fn sift_down(pairs: &mut [(f32, u32)], start: usize, end: usize) {
    let mut root = start;
    loop {
        let child = root * 2 + 1;
        let mut max = root;
        if child < end && pairs[max].0 < pairs[child].0 {
            max = child;
        }
        if child + 1 < end && pairs[max].0 < pairs[child + 1].0 {
            max = child + 1;
        }
        if max == root {
            return;
        }
        pairs.swap(root, max);
        root = max;
    }
}

fn heapsort(pairs: &mut [(f32, u32)]) {
    let n = pairs.len();
    // Heapify from (n − 2) / 2 down to 0 (n ≥ 2 here).
    let mut start = (n - 2) / 2;
    loop {
        sift_down(pairs, start, n);
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let mut end = n - 1;
    while end > 0 {
        pairs.swap(0, end);
        sift_down(pairs, 0, end);
        end -= 1;
    }
}

/// The same result as `sort` for values that are all distinct (no two equal as float32): their ascending order.
/// `keys` and `scratch` are reused buffers.
pub fn sort_distinct(values: &mut [f32], samples: &mut [u32], keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    sort_keys(values, samples, keys, scratch);
    unpack(keys, values, samples);
}

/// `sort_distinct` when no two values are equal, returning true; otherwise leaves both slices as they were and
/// returns false (the order of equal values is introsort's to decide).
pub fn sort_if_distinct(values: &mut [f32], samples: &mut [u32], keys: &mut Vec<u64>, scratch: &mut Vec<u64>) -> bool {
    sort_keys(values, samples, keys, scratch);
    if keys.windows(2).any(|w| from_ascending_bits((w[0] >> 32) as u32) == from_ascending_bits((w[1] >> 32) as u32)) {
        return false;
    }
    unpack(keys, values, samples);
    true
}

/// (value, sample) keys in ascending value order (ties by sample).
fn sort_keys(values: &[f32], samples: &[u32], keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    keys.clear();
    keys.extend(values.iter().zip(samples).map(|(&v, &s)| (u64::from(ascending_bits(v)) << 32) | u64::from(s)));
    if keys.len() < RADIX_MIN {
        keys.sort_unstable();
    } else {
        radix_sort_high_half(keys, scratch);
    }
}

fn unpack(keys: &[u64], values: &mut [f32], samples: &mut [u32]) {
    for ((v, s), &k) in values.iter_mut().zip(samples.iter_mut()).zip(keys) {
        *v = from_ascending_bits((k >> 32) as u32);
        *s = k as u32;
    }
}

/// Below this many values a comparison sort of the keys beats four counting passes.
const RADIX_MIN: usize = 256;

/// f32 bits that order as the values do (negatives flipped, positives with the sign bit set).
fn ascending_bits(v: f32) -> u32 {
    let bits = v.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 0x8000_0000
    }
}

fn from_ascending_bits(bits: u32) -> f32 {
    f32::from_bits(if bits >> 31 == 1 { bits & 0x7FFF_FFFF } else { !bits })
}

/// LSD radix sort on bits 32..64 (the value), byte by byte; passes where every key has the same byte are skipped.
fn radix_sort_high_half(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    scratch.resize(keys.len(), 0);
    for shift in [32u32, 40, 48, 56] {
        let mut counts = [0usize; 256];
        keys.iter().for_each(|k| counts[((k >> shift) & 0xFF) as usize] += 1);
        if counts.contains(&keys.len()) {
            continue;
        }
        let mut offset = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = offset;
            offset += n;
        }
        for &k in keys.iter() {
            let b = ((k >> shift) & 0xFF) as usize;
            scratch[counts[b]] = k;
            counts[b] += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_values_and_carries_samples() {
        let mut state = 7u32;
        for n in [0usize, 1, 2, 3, 10, 100, 1000] {
            let mut values: Vec<f32> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((state >> 16) % 17) as f32
                })
                .collect();
            let original = values.clone();
            let mut samples: Vec<u32> = (0..n as u32).collect();
            sort(&mut values, &mut samples, &mut Vec::new());
            assert!(values.windows(2).all(|w| w[0] <= w[1]), "n = {n}");
            assert!(samples.iter().zip(&values).all(|(&s, &v)| original[s as usize] == v));
        }
        // Distinct values: the radix path gives introsort's (unique) order, negatives and both zeros' neighbours too.
        for n in [5usize, 300, 5000] {
            let values: Vec<f32> = (0..n).map(|i| ((i * 7919) % n) as f32 * 0.37 - 100.0).collect();
            let (mut a, mut b) = (values.clone(), values);
            let (mut sa, mut sb): (Vec<u32>, Vec<u32>) = ((0..n as u32).collect(), (0..n as u32).collect());
            sort(&mut a, &mut sa, &mut Vec::new());
            sort_distinct(&mut b, &mut sb, &mut Vec::new(), &mut Vec::new());
            assert_eq!((a, sa), (b.clone(), sb.clone()), "n = {n}");
            // Shuffled back, the checked variant finds no tie and sorts the same.
            let (mut c, mut sc): (Vec<f32>, Vec<u32>) =
                sb.iter().rev().map(|&s| (b[sb.iter().position(|&t| t == s).unwrap()], s)).unzip();
            assert!(sort_if_distinct(&mut c, &mut sc, &mut Vec::new(), &mut Vec::new()));
            assert_eq!((c, sc), (b, sb));
        }
        // A tie (−0 equals 0): left untouched.
        let (mut v, mut s) = (vec![3.0f32, -0.0, 1.0, 0.0], vec![0u32, 1, 2, 3]);
        assert!(!sort_if_distinct(&mut v, &mut s, &mut Vec::new(), &mut Vec::new()));
        assert_eq!((v, s), (vec![3.0, -0.0, 1.0, 0.0], vec![0, 1, 2, 3]));
        // Deep recursion on adversarial input falls back to heapsort and still sorts.
        let mut pairs: Vec<(f32, u32)> = (0..5000).map(|i| (((i * 7919) % 5000) as f32, i)).collect();
        heapsort(&mut pairs);
        assert!(pairs.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
