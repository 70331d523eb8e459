//! Element-wise and row-wise kernels of the encoder: layer norm (fused with the residual add),
//! GELU, softmax, and the `exp`/`erf` approximations they rest on.
//!
//! Each kernel is plain Rust written so LLVM vectorises it (no branches in the inner loops,
//! reductions over 16 independent lanes) and compiled three times: for AVX-512, for AVX2 + FMA and
//! for the baseline. [`dispatch!`] picks the widest the CPU has at run time, so one binary serves
//! both kinds of server.

use std::sync::atomic::{AtomicU8, Ordering};

/// Lanes of the reductions: one AVX-512 register of f32 (two AVX2 registers).
const LANES: usize = 16;

/// The instruction sets the kernels are compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstructionSet {
    Baseline = 0,
    Avx2 = 1,
    Avx512 = 2,
}

static WIDEST_ALLOWED: AtomicU8 = AtomicU8::new(InstructionSet::Avx512 as u8);

/// Keeps the kernels at or below `widest` (the CPU's own limit still applies): lets tests and
/// benchmarks run the AVX2 and baseline code on an AVX-512 machine.
pub fn limit_instruction_set(widest: InstructionSet) {
    WIDEST_ALLOWED.store(widest as u8, Ordering::Relaxed);
}

/// The widest instruction set the kernels use on this CPU, under [`limit_instruction_set`].
pub fn instruction_set() -> InstructionSet {
    let allowed = WIDEST_ALLOWED.load(Ordering::Relaxed);
    #[cfg(target_arch = "x86_64")]
    {
        if allowed >= InstructionSet::Avx512 as u8
            && std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            return InstructionSet::Avx512;
        }
        if allowed >= InstructionSet::Avx2 as u8
            && std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
        {
            return InstructionSet::Avx2;
        }
    }
    let _ = allowed;
    InstructionSet::Baseline
}

/// Calls `$body` compiled for the widest instruction set the CPU offers (see [`instruction_set`]).
macro_rules! dispatch {
    ($(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,fma")]
                unsafe fn avx512($($arg: $ty),*) { body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) { body($($arg),*) }
                match $crate::ops::instruction_set() {
                    // SAFETY: `instruction_set` has checked the CPU for the features enabled.
                    $crate::ops::InstructionSet::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: as above, for AVX2 and FMA.
                    $crate::ops::InstructionSet::Avx2 => return unsafe { avx2($($arg),*) },
                    $crate::ops::InstructionSet::Baseline => {}
                }
            }
            body($($arg),*)
        }
    };
}
pub(crate) use dispatch;

/// `e^x` for f32, relative error below 2e-7 for x in [−87, 88] (inputs beyond are clamped to it).
///
/// Writes `x = n·ln 2 + r` with an integer `n` and `|r| ≤ ½ ln 2` (Cody and Waite: `ln 2` in two
/// parts, so `r` keeps its precision), evaluates `e^r` with a degree-7 polynomial and puts `n` into
/// the exponent bits. No branch, so it vectorises.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // Adding 1.5·2²³ rounds to an integer and leaves it in the low mantissa bits: no float-to-int
    // conversion, which would keep LLVM from vectorising the loop.
    const ROUNDER: f32 = 12_582_912.0;
    // Not `clamp`: max/min lower to plain vector instructions (and map NaN to a bound).
    #[allow(clippy::manual_clamp)]
    let x = x.max(-87.0).min(88.0);
    let shifted = x.mul_add(std::f32::consts::LOG2_E, ROUNDER);
    let n = shifted - ROUNDER;
    let r = (-n).mul_add(LN2_LO, (-n).mul_add(LN2_HI, x));
    let p = 1.0 / 5040.0_f32;
    let p = p.mul_add(r, 1.0 / 720.0);
    let p = p.mul_add(r, 1.0 / 120.0);
    let p = p.mul_add(r, 1.0 / 24.0);
    let p = p.mul_add(r, 1.0 / 6.0);
    let p = p.mul_add(r, 0.5);
    let p = p.mul_add(r, 1.0);
    let p = p.mul_add(r, 1.0);
    // 2^n: n + 127 in the exponent field (n is the integer in `shifted`'s low bits).
    let biased = shifted
        .to_bits()
        .wrapping_sub(ROUNDER.to_bits())
        .wrapping_add(127);
    p * f32::from_bits(biased << 23)
}

/// `erf(x)` for f32, absolute error below 5e-7 (Abramowitz and Stegun 7.1.26, 1.5e-7, plus f32
/// rounding).
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let signed = x;
    let x = x.abs();
    let t = 1.0 / 0.327_591_1f32.mul_add(x, 1.0);
    let y = 1.061_405_4_f32;
    let y = y.mul_add(t, -1.453_152_1);
    let y = y.mul_add(t, 1.421_413_8);
    let y = y.mul_add(t, -0.284_496_72);
    let y = y.mul_add(t, 0.254_829_6);
    (1.0 - y * t * exp(-x * x)).copysign(signed)
}

/// The activation between the two feed-forward matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `x·Φ(x)` with the exact normal CDF (BERT's `gelu`).
    Gelu,
    /// The tanh approximation (`gelu_new`, `gelu_pytorch_tanh`).
    GeluTanh,
    Relu,
}

dispatch! {
    fn gelu_in_place(xs: &mut [f32]) {
        for x in xs.iter_mut() {
            *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
        }
    }
}

dispatch! {
    fn gelu_tanh_in_place(xs: &mut [f32]) {
        const SQRT_2_OVER_PI: f32 = 0.797_884_6;
        for x in xs.iter_mut() {
            let inner = SQRT_2_OVER_PI * (*x + 0.044_715 * *x * *x * *x);
            // tanh(u) = 1 − 2 / (e^{2u} + 1)
            let tanh = 1.0 - 2.0 / (exp(2.0 * inner) + 1.0);
            *x = 0.5 * *x * (1.0 + tanh);
        }
    }
}

dispatch! {
    fn relu_in_place(xs: &mut [f32]) {
        for x in xs.iter_mut() {
            *x = x.max(0.0);
        }
    }
}

/// Applies `activation` to every element.
pub fn activate(activation: Activation, xs: &mut [f32]) {
    match activation {
        Activation::Gelu => gelu_in_place(xs),
        Activation::GeluTanh => gelu_tanh_in_place(xs),
        Activation::Relu => relu_in_place(xs),
    }
}

#[inline(always)]
fn sum(xs: &[f32]) -> f32 {
    let mut lanes = [0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[inline(always)]
fn max(xs: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = chunks
        .remainder()
        .iter()
        .fold(f32::NEG_INFINITY, |m, &x| m.max(x));
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane = lane.max(x);
        }
    }
    lanes.iter().fold(tail, |m, &x| m.max(x))
}

dispatch! {
    fn softmax_rows(scores: &mut [f32], row_len: usize) {
        for row in scores.chunks_exact_mut(row_len) {
            let top = max(row);
            for x in row.iter_mut() {
                *x = exp(*x - top);
            }
            let inverse = 1.0 / sum(row);
            for x in row.iter_mut() {
                *x *= inverse;
            }
        }
    }
}

dispatch! {
    /// `rows[i] = LayerNorm(rows[i] + residual[i])` with learnt `gamma`, `beta`; each row is `gamma.len()` wide.
    fn add_layer_norm(rows: &mut [f32], residual: Option<&[f32]>, gamma: &[f32], beta: &[f32], eps: f32) {
        let width = gamma.len();
        for (r, row) in rows.chunks_exact_mut(width).enumerate() {
            if let Some(residual) = residual {
                for (x, y) in row.iter_mut().zip(&residual[r * width..(r + 1) * width]) {
                    *x += y;
                }
            }
            let mean = sum(row) / width as f32;
            let mut lanes = [0f32; LANES];
            let chunks = row.chunks_exact(LANES);
            let tail: f32 = chunks.remainder().iter().map(|x| (x - mean) * (x - mean)).sum();
            for chunk in chunks {
                for (lane, x) in lanes.iter_mut().zip(chunk) {
                    *lane += (x - mean) * (x - mean);
                }
            }
            let variance = (lanes.iter().sum::<f32>() + tail) / width as f32;
            let inverse = 1.0 / (variance + eps).sqrt();
            for ((x, g), b) in row.iter_mut().zip(gamma).zip(beta) {
                *x = (*x - mean) * inverse * g + b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn erf_f64(x: f64) -> f64 {
        // Series for |x| < 3 (converges fast), 1 beyond: ample for checking an f32 approximation.
        if x.abs() >= 6.0 {
            return x.signum();
        }
        let mut term = x;
        let mut total = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            total += term / (2 * n + 1) as f64;
        }
        total * 2.0 / std::f64::consts::PI.sqrt()
    }

    proptest! {
        #[test]
        fn exp_is_within_relative_2e_7(x in -80.0f32..80.0) {
            let want = (x as f64).exp();
            let got = exp(x) as f64;
            prop_assert!(((got - want) / want).abs() < 2e-7 + 1e-9, "exp({x}) = {got}, want {want}");
        }

        #[test]
        fn erf_is_within_absolute_5e_7(x in -5.0f32..5.0) {
            let want = erf_f64(x as f64);
            prop_assert!((erf(x) as f64 - want).abs() < 5e-7, "erf({x}) = {}, want {want}", erf(x));
        }

        #[test]
        fn softmax_rows_match_the_textbook_formula(row in prop::collection::vec(-30.0f32..30.0, 1..300)) {
            let mut got = row.clone();
            softmax_rows(&mut got, row.len());
            let top = row.iter().cloned().fold(f64::NEG_INFINITY, |m, x| m.max(x as f64));
            let total: f64 = row.iter().map(|&x| (x as f64 - top).exp()).sum();
            for (g, &x) in got.iter().zip(&row) {
                let want = (x as f64 - top).exp() / total;
                prop_assert!((*g as f64 - want).abs() < 1e-6);
            }
        }

        #[test]
        fn add_layer_norm_matches_the_textbook_formula(
            row in prop::collection::vec(-10.0f32..10.0, 1..100),
            shift in -3.0f32..3.0,
        ) {
            let width = row.len();
            let gamma: Vec<f32> = (0..width).map(|i| 0.5 + i as f32 / width as f32).collect();
            let beta: Vec<f32> = (0..width).map(|i| (i as f32 * 0.1).sin()).collect();
            let residual = vec![shift; width];
            let mut got = row.clone();
            add_layer_norm(&mut got, Some(&residual), &gamma, &beta, 1e-12);
            let summed: Vec<f64> = row.iter().map(|&x| (x + shift) as f64).collect();
            let mean = summed.iter().sum::<f64>() / width as f64;
            let var = summed.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / width as f64;
            for i in 0..width {
                let want = (summed[i] - mean) / (var + 1e-12).sqrt() * gamma[i] as f64 + beta[i] as f64;
                // A near-constant row amplifies f32 rounding of the mean; bound the error by that.
                let tolerance = 1e-4 * (1.0 + want.abs()) + if var < 1e-6 { 1.0 } else { 0.0 };
                prop_assert!((got[i] as f64 - want).abs() < tolerance, "{} vs {want}", got[i]);
            }
        }
    }

    #[test]
    fn gelu_matches_the_erf_definition() {
        for i in -600..=600 {
            let x = i as f32 / 100.0;
            let mut got = [x];
            gelu_in_place(&mut got);
            let want = 0.5 * x as f64 * (1.0 + erf_f64(x as f64 / std::f64::consts::SQRT_2));
            assert!(
                (got[0] as f64 - want).abs() < 1e-6,
                "gelu({x}) = {}, want {want}",
                got[0]
            );
        }
    }

    #[test]
    fn gelu_tanh_and_relu_match_their_formulas() {
        for i in -600..=600 {
            let x = i as f32 / 100.0;
            let mut tanh = [x];
            gelu_tanh_in_place(&mut tanh);
            let u =
                (2.0f64 / std::f64::consts::PI).sqrt() * (x as f64 + 0.044715 * (x as f64).powi(3));
            let want = 0.5 * x as f64 * (1.0 + u.tanh());
            assert!((tanh[0] as f64 - want).abs() < 1e-6, "gelu_tanh({x})");
            let mut relu = [x];
            relu_in_place(&mut relu);
            assert_eq!(relu[0], x.max(0.0));
        }
    }
}
