//! numpy's legacy `RandomState` (MT19937) for algorithms whose result depends on sklearn's exact random draws: with
//! the same integer `random_state`, k-means++ seeding, coordinate-descent feature order, forests' tree seeds and
//! bootstraps or boosting's subsamples pick the same rows/features as scikit-learn, so fits can be compared exactly
//! rather than only statistically. Use `Rng` (rng.rs) when only reproducibility matters. Only the draws those
//! algorithms make are here: `randint`, `random_sample`, `permutation`, and `bounded` for the libsvm/liblinear
//! shuffles (sklearn's newrand.h runs the same generator, bounded differently).

const N: usize = 624;
const M: usize = 397;

#[derive(Clone, Debug)]
pub struct NumpyRandomState {
    key: Box<[u32; N]>,
    pos: usize,
}

impl NumpyRandomState {
    /// `np.random.RandomState(seed)` for an integer seed (numpy's `mt19937_seed`, Knuth's initialisation).
    pub fn new(seed: u32) -> Self {
        let mut key = Box::new([0u32; N]);
        key[0] = seed;
        for i in 1..N {
            key[i] = 1_812_433_253u32.wrapping_mul(key[i - 1] ^ (key[i - 1] >> 30)).wrapping_add(i as u32);
        }
        NumpyRandomState { key, pos: N }
    }

    fn regenerate(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        for i in 0..N {
            let y = (self.key[i] & UPPER) | (self.key[(i + 1) % N] & LOWER);
            self.key[i] = self.key[(i + M) % N] ^ (y >> 1) ^ if y & 1 == 1 { MATRIX_A } else { 0 };
        }
        self.pos = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.pos == N {
            self.regenerate();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random_sample()` / `uniform()`: 53 bits from two draws, in [0, 1).
    pub fn random_sample(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A uniform integer in 0..=max by masked rejection (numpy's `random_interval` / legacy bounded draws).
    fn masked(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mask = u32::MAX >> max.leading_zeros();
        loop {
            let v = self.next_u32() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `randint(n)` (also each element of `randint(0, n, size)`): uniform in 0..n, n ≥ 1 and < 2³².
    pub fn randint(&mut self, n: usize) -> usize {
        debug_assert!((1..=1 << 32).contains(&n));
        self.masked((n - 1) as u32) as usize
    }

    /// A uniform integer in `0..range` (`range` ≥ 1) by Lemire's multiply-shift with rejection, exactly as sklearn's
    /// newrand.h `bounded_rand_int` (libsvm/liblinear shuffles).
    pub fn bounded(&mut self, range: u32) -> u32 {
        let mut m = u64::from(self.next_u32()) * u64::from(range);
        let mut low = m as u32;
        if low < range {
            let mut threshold = range.wrapping_neg();
            if threshold >= range {
                threshold -= range;
                if threshold >= range {
                    threshold %= range;
                }
            }
            while low < threshold {
                m = u64::from(self.next_u32()) * u64::from(range);
                low = m as u32;
            }
        }
        (m >> 32) as u32
    }

    /// `permutation(n)` (legacy Fisher–Yates from the back); `choice(n, size, replace=False)` is its prefix.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut items: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.masked(i as u32) as usize;
            items.swap(i, j);
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values printed by numpy 1.24 (`np.random.RandomState(seed)`), the version sklearn 1.2.1 runs on here.
    #[test]
    fn draws_match_numpy() {
        let mut r = NumpyRandomState::new(0);
        assert_eq!(r.next_u32(), 2_357_136_044);
        let mut r = NumpyRandomState::new(42);
        assert_eq!((0..5).map(|_| r.randint(100)).collect::<Vec<_>>(), vec![51, 92, 14, 71, 60]);
        let mut r = NumpyRandomState::new(0);
        assert_eq!(r.random_sample(), 0.5488135039273248);
        let mut r = NumpyRandomState::new(3);
        assert_eq!(r.permutation(10), vec![5, 4, 1, 2, 9, 6, 7, 0, 3, 8]);
        let mut r = NumpyRandomState::new(7);
        assert_eq!(r.randint(2_147_483_647), 327_741_615);
    }

    #[test]
    fn matches_std_mt19937() {
        // std::mt19937 with the default seed: the 10000th output is 4123659995 (C++ standard, [rand.predef]).
        let mut rng = NumpyRandomState::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = rng.next_u32();
        }
        assert_eq!(last, 4123659995);
    }

    #[test]
    fn bounded_stays_in_range() {
        let mut rng = NumpyRandomState::new(1);
        for range in [1u32, 2, 3, 7, 1000, u32::MAX] {
            for _ in 0..100 {
                assert!(rng.bounded(range) < range);
            }
        }
    }
}
