//! Vector kernels, written once over a small `Float` trait and instantiated for f32 and f64.
//!
//! Reductions use `LANES` independent accumulators: IEEE addition is not associative, so LLVM may only vectorise
//! a sum when the source already spells out independent partial sums. With 16 lanes the f32 loop compiles to two
//! 8-wide registers per operation (AVX2) and hides the add/FMA latency.

pub mod aggregate;
pub mod ops;
pub mod scan;
mod simd;

pub use simd::simd_level;

use std::ops::{Add, Div, Mul, Sub};

pub const LANES: usize = 16;

pub trait Float:
    Copy
    + Send
    + Sync
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    fn abs(self) -> Self;
    fn sqrt(self) -> Self;
    fn is_nan(self) -> bool;
    fn mul_add(self, a: Self, b: Self) -> Self;
    fn to_f64(self) -> f64;
    fn from_f64(value: f64) -> Self;
}

macro_rules! impl_float {
    ($t:ty) => {
        impl Float for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn from_f64(value: f64) -> Self {
                value as $t
            }
        }
    };
}
impl_float!(f32);
impl_float!(f64);

/// How a multiply-accumulate is spelled. `Fused` is only instantiated inside `#[target_feature(enable = "fma")]`
/// functions — elsewhere `mul_add` would be a slow libm call — so the same kernel source serves both paths.
pub trait Mac {
    fn mac<T: Float>(acc: T, a: T, b: T) -> T;
}
pub struct Separate;
pub struct Fused;
impl Mac for Separate {
    #[inline(always)]
    fn mac<T: Float>(acc: T, a: T, b: T) -> T {
        acc + a * b
    }
}
impl Mac for Fused {
    #[inline(always)]
    fn mac<T: Float>(acc: T, a: T, b: T) -> T {
        a.mul_add(b, acc)
    }
}

/// Sum over `i` of `step(acc, a[i], b[i])` with `LANES` independent accumulators (see module docs).
#[inline(always)]
pub fn fold2<T: Float>(a: &[T], b: &[T], step: impl Fn(T, T, T) -> T) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let split = n - n % LANES;
    let mut acc = [T::ZERO; LANES];
    for (ca, cb) in a[..split].chunks_exact(LANES).zip(b[..split].chunks_exact(LANES)) {
        for j in 0..LANES {
            acc[j] = step(acc[j], ca[j], cb[j]);
        }
    }
    let mut tail = T::ZERO;
    for (&x, &y) in a[split..].iter().zip(&b[split..]) {
        tail = step(tail, x, y);
    }
    reduce(acc) + tail
}

/// Pairwise sum of the lanes: also the order that keeps rounding error lowest.
#[inline(always)]
fn reduce<T: Float>(mut acc: [T; LANES]) -> T {
    let mut width = LANES / 2;
    while width > 0 {
        for j in 0..width {
            acc[j] = acc[j] + acc[j + width];
        }
        width /= 2;
    }
    acc[0]
}
