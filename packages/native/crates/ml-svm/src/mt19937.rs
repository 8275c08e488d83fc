//! The random numbers scikit-learn's libsvm/liblinear draw (sklearn/svm/src/newrand/newrand.h): a 32-bit Mersenne
//! Twister seeded with `RandomState(random_state).randint(2**31 - 1)`, bounded by Lemire's multiply-shift with
//! rejection. Reproducing them makes LinearSVC's coordinate order and SVC's probability folds the same as sklearn's,
//! so results match to rounding instead of only statistically.

const N: usize = 624;
const M: usize = 397;

pub struct Mt19937 {
    state: [u32; N],
    index: usize,
}

impl Mt19937 {
    /// `std::mt19937(seed)` and numpy's legacy `RandomState(seed)` (init_genrand).
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            state[i] = 1812433253u32.wrapping_mul(state[i - 1] ^ (state[i - 1] >> 30)).wrapping_add(i as u32);
        }
        Mt19937 { state, index: N }
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % N] & 0x7fff_ffff);
            let mut next = self.state[(i + M) % N] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A uniform integer in `0..range` (`range` ≥ 1), exactly as newrand.h's `bounded_rand_int`.
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
}

/// The seed sklearn hands libsvm/liblinear for `random_state`: `RandomState(random_state).randint(2**31 - 1)`
/// (numpy's masked rejection sampling on 32-bit draws). `None` is taken as 0 so fits stay reproducible.
pub fn sklearn_seed(random_state: Option<u32>) -> u32 {
    let mut rng = Mt19937::new(random_state.unwrap_or(0));
    loop {
        let candidate = rng.next_u32() & 0x7fff_ffff;
        if candidate <= 0x7fff_fffe {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_streams() {
        // std::mt19937 with the default seed: the 10000th output is 4123659995 (C++ standard, [rand.predef]).
        let mut rng = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = rng.next_u32();
        }
        assert_eq!(last, 4123659995);
        // numpy: [np.random.RandomState(s).randint(2**31 - 1) for s in (0, 42)]
        assert_eq!(sklearn_seed(Some(0)), 209652396);
        assert_eq!(sklearn_seed(Some(42)), 1608637542);
    }

    #[test]
    fn bounded_stays_in_range() {
        let mut rng = Mt19937::new(1);
        for range in [1u32, 2, 3, 7, 1000, u32::MAX] {
            for _ in 0..100 {
                assert!(rng.bounded(range) < range);
            }
        }
    }
}
