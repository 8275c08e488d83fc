//! scikit-learn's own generator inside the tree splitters (`sklearn/utils/_random.pxd` `our_rand_r`, and
//! `sklearn/tree/_utils.pyx` `rand_int`, `rand_uniform`): a 32-bit xorshift seeded once per tree with
//! `random_state.randint(0, RAND_R_MAX)`. It picks the order in which a node visits its features and extra trees'
//! thresholds.

use pgml_ml_core::mt19937::NumpyRandomState;

/// `RAND_R_MAX`: draws are taken modulo 2³¹.
pub const RAND_R_MAX: u32 = 0x7FFF_FFFF;

#[derive(Clone, Debug)]
pub struct RandR(u32);

impl RandR {
    /// The splitter's state: `rand_r_state = random_state.randint(0, RAND_R_MAX)`.
    pub fn from_random_state(random_state: &mut NumpyRandomState) -> RandR {
        RandR(random_state.randint(RAND_R_MAX as usize) as u32)
    }

    fn next(&mut self) -> u32 {
        // A zero state would stay zero: sklearn restarts from its DEFAULT_SEED, 1.
        if self.0 == 0 {
            self.0 = 1;
        }
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 % (RAND_R_MAX + 1)
    }

    /// `rand_int(low, high)`: low + draw mod (high − low), in [low, high).
    pub fn int(&mut self, low: usize, high: usize) -> usize {
        low + self.next() as usize % (high - low)
    }

    /// `rand_uniform(low, high)`: (high − low) · draw / RAND_R_MAX + low, in [low, high].
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        ((high - low) * f64::from(self.next()) / f64::from(RAND_R_MAX)) + low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_steps_and_zero_restarts_at_one() {
        let mut r = RandR(1);
        // 1 ^ 1<<13 = 8193; ^ >>17 = 8193; ^ <<5 = 8193 ^ 262176 = 270369.
        assert_eq!(r.next(), 270_369);
        let mut zero = RandR(0);
        assert_eq!(zero.next(), 270_369);
        let mut r = RandR(12345);
        for _ in 0..1000 {
            let v = r.int(3, 10);
            assert!((3..10).contains(&v));
            let u = r.uniform(-2.0, 5.0);
            assert!((-2.0..=5.0).contains(&u));
        }
    }
}
