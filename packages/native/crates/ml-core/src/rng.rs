//! The seeded pseudo-random generator every randomized algorithm uses (bootstraps, feature permutations, k-means++
//! seeding, shuffles): xoshiro256** seeded through SplitMix64. Not numpy's Mersenne Twister, so draws differ from
//! scikit-learn's for the same `random_state`; what matches is the contract — a given seed reproduces a fit exactly.

#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn seed(seed: u64) -> Self {
        let mut state = seed;
        Rng { s: [splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state)] }
    }

    /// sklearn's `random_state`: an integer seeds a reproducible stream; `None` draws a fresh seed from the clock
    /// (a different fit each call, as sklearn's global RandomState gives).
    pub fn from_random_state(random_state: Option<u64>) -> Self {
        Rng::seed(random_state.unwrap_or_else(|| {
            let nanos =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
            nanos ^ (&nanos as *const u64 as u64).rotate_left(32)
        }))
    }

    /// An independent stream for sub-task `index` (one per tree, per restart), so parallel work stays deterministic
    /// whatever order the threads run in.
    pub fn fork(&mut self, index: u64) -> Rng {
        Rng::seed(self.next_u64() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0), without modulo bias (Lemire's multiply-shift with rejection).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            if (m as u64) >= threshold {
                return (m >> 64) as usize;
            }
        }
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_streams_repeat_and_stay_in_range() {
        let (mut a, mut b) = (Rng::seed(42), Rng::seed(42));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        assert_ne!(Rng::seed(1).next_u64(), Rng::seed(2).next_u64());
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[a.below(7)] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
        assert!((0..1000).map(|_| a.uniform()).all(|u| (0.0..1.0).contains(&u)));
        let mut items: Vec<u32> = (0..50).collect();
        a.shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
        let (mut p, mut q) = (Rng::seed(7), Rng::seed(7));
        assert_eq!(p.fork(3).next_u64(), q.fork(3).next_u64());
    }
}
