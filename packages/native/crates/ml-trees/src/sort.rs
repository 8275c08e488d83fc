//! scikit-learn's sort of a node's feature values with their sample indices (`_splitter.pyx` `sort`): introsort
//! with a median-of-3 pivot and a three-way partition, heapsort past 2·⌊log₂ n⌋ levels. It is not stable, so the
//! order it leaves equal values in — which decides the order later sums add samples up in — is its own; this is the
//! same algorithm step for step.

/// Sorts `values` ascending and applies the same permutation to `samples`.
pub fn sort(values: &mut [f32], samples: &mut [u32]) {
    let n = values.len();
    if n == 0 {
        return;
    }
    // sklearn's `log` is ln(x) / ln(2), truncated to int.
    let max_depth = 2 * ((n as f64).ln() / 2f64.ln()) as i32;
    introsort(values, samples, max_depth);
}

fn median3(values: &[f32]) -> f32 {
    let n = values.len();
    let (a, b, c) = (values[0], values[n / 2], values[n - 1]);
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

#[inline(always)]
fn swap(values: &mut [f32], samples: &mut [u32], i: usize, j: usize) {
    values.swap(i, j);
    samples.swap(i, j);
}

fn introsort(mut values: &mut [f32], mut samples: &mut [u32], mut max_depth: i32) {
    while values.len() > 1 {
        if max_depth <= 0 {
            heapsort(values, samples);
            return;
        }
        max_depth -= 1;
        let pivot = median3(values);
        // Three-way partition: [0, l) below the pivot, [l, r) equal, [r, n) above.
        let (mut i, mut l, mut r) = (0, 0, values.len());
        while i < r {
            if values[i] < pivot {
                swap(values, samples, i, l);
                i += 1;
                l += 1;
            } else if values[i] > pivot {
                r -= 1;
                swap(values, samples, i, r);
            } else {
                i += 1;
            }
        }
        let (below, rest) = values.split_at_mut(l);
        let (below_samples, rest_samples) = samples.split_at_mut(l);
        introsort(below, below_samples, max_depth);
        values = &mut rest[r - l..];
        samples = &mut rest_samples[r - l..];
    }
}

fn sift_down(values: &mut [f32], samples: &mut [u32], start: usize, end: usize) {
    let mut root = start;
    loop {
        let child = root * 2 + 1;
        let mut max = root;
        if child < end && values[max] < values[child] {
            max = child;
        }
        if child + 1 < end && values[max] < values[child + 1] {
            max = child + 1;
        }
        if max == root {
            return;
        }
        swap(values, samples, root, max);
        root = max;
    }
}

fn heapsort(values: &mut [f32], samples: &mut [u32]) {
    let n = values.len();
    // Heapify from (n − 2) / 2 down to 0 (n ≥ 2 here).
    let mut start = (n - 2) / 2;
    loop {
        sift_down(values, samples, start, n);
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let mut end = n - 1;
    while end > 0 {
        swap(values, samples, 0, end);
        sift_down(values, samples, 0, end);
        end -= 1;
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
            sort(&mut values, &mut samples);
            assert!(values.windows(2).all(|w| w[0] <= w[1]), "n = {n}");
            assert!(samples.iter().zip(&values).all(|(&s, &v)| original[s as usize] == v));
        }
        // Deep recursion on adversarial input falls back to heapsort and still sorts.
        let mut values: Vec<f32> = (0..5000).map(|i| ((i * 7919) % 5000) as f32).collect();
        let mut samples: Vec<u32> = (0..5000).collect();
        heapsort(&mut values, &mut samples);
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
    }
}
