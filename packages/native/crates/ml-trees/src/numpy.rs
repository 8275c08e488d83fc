//! numpy 1.24's floating-point arithmetic where scikit-learn's tree family depends on it bit for bit: `np.sum`'s
//! summation order, and float64 `np.exp` / `np.log`.
//!
//! `np.sum` adds blocks of 8192 values in order, each block pairwise (8 interleaved partial sums up to 128 values,
//! halves above). On x86-64 CPUs with AVX-512 (numpy's AVX512_SKX target: F, CD, BW, DQ, VL), numpy built with
//! Intel's SVML — Debian's python3-numpy and the PyPI wheels — computes float64 exp and log with `__svml_exp8` and
//! `__svml_log8`, which differ from the C library in the last bit for about a quarter of all arguments; elsewhere it
//! calls the C library (glibc here, as Rust's `f64::exp`/`ln`). [`exp`] and [`ln`] follow the same dispatch. The
//! two SVML kernels are ported from their main path (every finite argument that does not overflow or underflow);
//! `vrcp14pd`'s approximation, which log's table lookup depends on, is the CPU's own instruction. Checked against
//! numpy's own results (test/fixtures/ml/numpy_math.f64, from scripts/references/numpy_math.py).

/// numpy's pairwise blocks: below 8 values a plain loop, up to 128 eight partial sums, above that two halves.
fn pairwise(a: &[f64]) -> f64 {
    const UNROLL: usize = 8;
    const BLOCK: usize = 128;
    let n = a.len();
    if n < UNROLL {
        a.iter().fold(0.0, |s, v| s + v)
    } else if n <= BLOCK {
        let mut r = [0.0; UNROLL];
        r.copy_from_slice(&a[..UNROLL]);
        let full = n - n % UNROLL;
        for chunk in a[UNROLL..full].chunks_exact(UNROLL) {
            r.iter_mut().zip(chunk).for_each(|(r, v)| *r += v);
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        a[full..].iter().for_each(|v| res += v);
        res
    } else {
        let half = n / 2;
        let half = half - half % UNROLL;
        pairwise(&a[..half]) + pairwise(&a[half..])
    }
}

/// `np.sum` of a contiguous float64 array (also `np.add.reduce` along a contiguous axis, and the sum in `np.mean`).
pub fn sum(a: &[f64]) -> f64 {
    /// numpy's ufunc buffer size: a long reduction is done buffer by buffer.
    const BUFFER: usize = 8192;
    a.chunks(BUFFER).fold(0.0, |s, chunk| s + pairwise(chunk))
}

/// `np.exp(x)` for float64, as numpy computes it on this CPU.
pub fn exp(x: f64) -> f64 {
    if svml::available() {
        svml::exp(x)
    } else {
        x.exp()
    }
}

/// `np.log(x)` for float64, as numpy computes it on this CPU.
pub fn ln(x: f64) -> f64 {
    if svml::available() {
        svml::ln(x)
    } else {
        x.ln()
    }
}

#[cfg(target_arch = "x86_64")]
mod svml {
    use std::sync::OnceLock;

    /// Whether numpy takes its AVX512_SKX path (which calls SVML) on this CPU.
    pub fn available() -> bool {
        static SKX: OnceLock<bool> = OnceLock::new();
        *SKX.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512cd")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512vl")
        })
    }

    /// 2^(j/16), j = 0..15.
    const EXP2_SIXTEENTHS: [f64; 16] = [
        1.0,
        f64::from_bits(0x3FF0_B558_6CF9_890F),
        f64::from_bits(0x3FF1_72B8_3C7D_517B),
        f64::from_bits(0x3FF2_387A_6E75_6238),
        f64::from_bits(0x3FF3_06FE_0A31_B715),
        f64::from_bits(0x3FF3_DEA6_4C12_3422),
        f64::from_bits(0x3FF4_BFDA_D536_2A27),
        f64::from_bits(0x3FF5_AB07_DD48_5429),
        f64::from_bits(0x3FF6_A09E_667F_3BCD),
        f64::from_bits(0x3FF7_A114_73EB_0187),
        f64::from_bits(0x3FF8_ACE5_422A_A0DB),
        f64::from_bits(0x3FF9_C491_82A3_F090),
        f64::from_bits(0x3FFA_E89F_995A_D3AD),
        f64::from_bits(0x3FFC_199B_DD85_529C),
        f64::from_bits(0x3FFD_5818_DCFB_A487),
        f64::from_bits(0x3FFE_A4AF_A2A4_90DA),
    ];
    const LOG2_E: f64 = f64::from_bits(0x3FF7_1547_652B_82FE);
    const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEFA_39EF);
    const LN2_LO: f64 = f64::from_bits(0x3C7A_BC9E_3B39_803F);
    /// |x| from which `__svml_exp8` leaves its main path (the result would be subnormal, zero or infinite).
    const EXP_MAIN_PATH: f64 = f64::from_bits(0x4086_1DA0_4CBA_FE44);

    /// `__svml_exp8`: x·log2(e) rounded down to sixteenths (k), then 2^floor(k) · 2^(frac(k)) · p(x − k·ln 2).
    pub fn exp(x: f64) -> f64 {
        if x.is_nan() || x.abs() >= EXP_MAIN_PATH {
            return x.exp();
        }
        // SVML adds a shifter with round-toward-zero: k = floor(16·x·log2 e)/16 of the exact product.
        let high = x * LOG2_E;
        let low = x.mul_add(LOG2_E, -high);
        let scaled = (high * 16.0).floor();
        let sixteenths = if scaled == high * 16.0 && low < 0.0 { scaled - 1.0 } else { scaled };
        let k = sixteenths / 16.0;
        let table = EXP2_SIXTEENTHS[(sixteenths as i64 & 15) as usize];
        let r = (-k).mul_add(LN2_HI, x);
        let r = (-LN2_LO).mul_add(k, r);
        let r2 = r * r;
        let high_terms = f64::from_bits(0x3F57_2EB5_EF0D_213D).mul_add(r, f64::from_bits(0x3F81_1066_03D9_7C00));
        let mid_terms = f64::from_bits(0x3FA5_5556_4BB4_F5F0).mul_add(r, f64::from_bits(0x3FC5_5555_54B5_08A2));
        let r3 = r2 * r;
        let low_terms = r2.mul_add(f64::from_bits(0x3FE0_0000_0000_2622), r);
        let poly = r2.mul_add(high_terms, mid_terms);
        let poly = r3.mul_add(poly, low_terms);
        let mantissa = table.mul_add(poly, table);
        // vscalefpd: × 2^floor(k), exact on the main path.
        mantissa * f64::from_bits(((k.floor() as i64 + 1023) as u64) << 52)
    }

    /// Indexed by the top 4 mantissa bits j of the rounded reciprocal c = (16 + j)/32: −ln(2c) for j < 8 (the
    /// exponent then counts one more), −ln(c) from j = 8; index 0 also serves c = 1.
    const LOG_TABLE: [f64; 16] = [
        0.0,
        f64::from_bits(0xBFAF_0A30_C011_62A6),
        f64::from_bits(0xBFBE_2707_6E2A_F2E6),
        f64::from_bits(0xBFC5_FF30_70A7_93D4),
        f64::from_bits(0xBFCC_8FF7_C79A_9A22),
        f64::from_bits(0xBFD1_675C_ABAB_A60E),
        f64::from_bits(0xBFD4_618B_C21C_5EC2),
        f64::from_bits(0xBFD7_39D7_F6BB_D007),
        f64::from_bits(0x3FD2_6962_1134_DB92),
        f64::from_bits(0x3FCF_991C_6CB3_B379),
        f64::from_bits(0x3FCA_93ED_3C8A_D9E3),
        f64::from_bits(0x3FC5_BF40_6B54_3DB2),
        f64::from_bits(0x3FC1_178E_8227_E47C),
        f64::from_bits(0x3FB9_335E_5D59_4989),
        f64::from_bits(0x3FB0_8598_B59E_3A07),
        f64::from_bits(0x3FA0_415D_89E7_4444),
    ];

    /// `__svml_log8`: x = 2^e · m (m in [1, 2)), c = rcp14(m) rounded to 1/32, ln x = e·ln 2 − ln c + p(c·m − 1).
    pub fn ln(x: f64) -> f64 {
        if !(x > 0.0 && x.is_finite()) {
            return x.ln();
        }
        let (m, e) = mantissa_exponent(x);
        let c = (reciprocal14(m) * 32.0).round_ties_even() / 32.0;
        let r = c.mul_add(m, -1.0);
        let e = if c < 0.75 { e + 1.0 } else { e };
        let table = LOG_TABLE[((c.to_bits() >> 48) & 15) as usize];
        let a = f64::from_bits(0x3FC2_4922_9CEE_81EF).mul_add(r, f64::from_bits(0xBFC5_5553_FB28_DB06));
        let b = f64::from_bits(0x3FBC_81CD_309D_7C70).mul_add(r, f64::from_bits(0xBFC0_0735_7E93_AF62));
        let c3 = f64::from_bits(0x3FD5_5555_5555_5466).mul_add(r, f64::from_bits(0xBFDF_FFFF_FFFF_FFC6));
        let r2 = r * r;
        let d = f64::from_bits(0x3FC9_9999_99CC_9F5C).mul_add(r, f64::from_bits(0xBFD0_0000_000C_05BD));
        let r4 = r2 * r2;
        let b = r2.mul_add(b, a);
        let d = r2.mul_add(d, c3);
        let poly = r4.mul_add(b, d);
        let poly = r2.mul_add(poly, r);
        std::f64::consts::LN_2.mul_add(e, table + poly)
    }

    /// vgetmantpd/vgetexppd: m in [1, 2) and the unbiased exponent, subnormals normalised.
    fn mantissa_exponent(x: f64) -> (f64, f64) {
        let (x, bias) = if x < f64::MIN_POSITIVE {
            (x * f64::from_bits(0x4350_0000_0000_0000), 1023.0 + 54.0)
        } else {
            (x, 1023.0)
        };
        let bits = x.to_bits();
        let m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
        (m, ((bits >> 52) & 0x7FF) as f64 - bias)
    }

    /// vrcp14sd: the CPU's 14-bit reciprocal approximation (only called where `available()` holds).
    fn reciprocal14(m: f64) -> f64 {
        #[target_feature(enable = "avx512f")]
        fn rcp14(m: f64) -> f64 {
            use std::arch::x86_64::{_mm_cvtsd_f64, _mm_rcp14_sd, _mm_set_sd};
            let v = _mm_set_sd(m);
            _mm_cvtsd_f64(_mm_rcp14_sd(v, v))
        }
        // SAFETY: `available()` checked AVX-512F before any caller reaches here.
        unsafe { rcp14(m) }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod svml {
    pub fn available() -> bool {
        false
    }
    pub fn exp(x: f64) -> f64 {
        x.exp()
    }
    pub fn ln(x: f64) -> f64 {
        x.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_pair_as_numpy_does() {
        // 1e16 + 1 + … is order-sensitive: sequential addition loses every 1, numpy's partial sums keep some.
        let a: Vec<f64> = (0..20).map(|i| if i == 0 { 1e16 } else { 1.0 }).collect();
        let sequential = a.iter().fold(0.0, |s, v| s + v);
        assert_eq!(sequential, 1e16);
        // r[0] = 1e16 + 1 + 1 (i = 8, 16) rounds to 1e16; r[1..8] hold 2 each; 7 × 2 + 2 + 1 + 1 remain.
        assert_eq!(sum(&a), 1e16 + 16.0);
        assert_eq!(sum(&[1.0, 2.0, 3.0]), 6.0);
        assert_eq!(sum(&[]), 0.0);
    }

    /// numpy_math.f64: N exp arguments, np.exp of them, N log arguments, np.log of them.
    const NUMPY: &[u8] = include_bytes!("../../../test/fixtures/ml/numpy_math.f64");

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn exp_and_log_are_numpys() {
        let values: Vec<f64> = NUMPY.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect();
        let n = values.len() / 4;
        let (exp_args, exps, log_args, logs) =
            (&values[..n], &values[n..2 * n], &values[2 * n..3 * n], &values[3 * n..]);
        // The fixture was written on an AVX-512 machine, where numpy takes SVML's kernels; the exp port needs no
        // AVX-512 to run, the log port does (vrcp14sd).
        for (x, want) in exp_args.iter().zip(exps) {
            assert_eq!(svml::exp(*x).to_bits(), want.to_bits(), "exp({x:e})");
        }
        if svml::available() {
            for (x, want) in log_args.iter().zip(logs) {
                assert_eq!(ln(*x).to_bits(), want.to_bits(), "ln({x:e})");
            }
        } else {
            assert!(log_args.iter().all(|x| ln(*x).to_bits() == x.ln().to_bits()));
        }
    }

    #[test]
    fn exp_and_log_agree_with_the_c_library_to_an_ulp() {
        for i in 0..10_000 {
            let x = -30.0 + 60.0 * (i as f64) / 10_000.0;
            let (ours, libm) = (exp(x), x.exp());
            assert!(((ours - libm) / libm).abs() <= 2.0 * f64::EPSILON, "exp({x}): {ours} vs {libm}");
            let y = (i as f64 + 0.5) / 7_000.0;
            let (ours, libm) = (ln(y), y.ln());
            assert!((ours - libm).abs() <= 2.0 * f64::EPSILON * libm.abs().max(1e-300), "ln({y}): {ours} vs {libm}");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(-1000.0), 0.0);
        assert!(ln(0.0).is_infinite() && ln(-1.0).is_nan());
    }
}
