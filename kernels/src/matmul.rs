//! The encoder's matrix products: the one place that calls `gemm` (row-major f32 matrices,
//! optional accumulation) for batches, and the few-rows kernels of short inputs (portable, and
//! one written for AVX2's 16 registers).

use gemm::Parallelism;

use crate::SharedMut;

/// Row-major matrix view: `rows × cols` with `row_stride` between rows (columns are contiguous).
#[derive(Clone, Copy)]
pub struct View {
    pub ptr: *const f32,
    pub row_stride: usize,
    /// Stride between columns: 1 for the matrix itself, `row_stride` of the stored matrix for its
    /// transpose.
    pub col_stride: usize,
}

/// `dst[m×n] = (accumulate ? dst : 0) + scale · a[m×k] · b[k×n]`, `dst` row-major with `dst_stride`.
///
/// # Safety
/// Every pointer must address the whole matrix its view and dimensions describe, and `dst` must
/// not overlap `a` or `b`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn multiply(
    m: usize,
    n: usize,
    k: usize,
    dst: *mut f32,
    dst_stride: usize,
    accumulate: bool,
    a: View,
    b: View,
    scale: f32,
    parallel: bool,
) {
    let parallelism = if parallel {
        Parallelism::Rayon(0)
    } else {
        Parallelism::None
    };
    // SAFETY: forwarded from the caller's contract; gemm reads and writes only inside the views.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst,
            1,
            dst_stride as isize,
            accumulate,
            a.ptr,
            a.col_stride as isize,
            a.row_stride as isize,
            b.ptr,
            b.col_stride as isize,
            b.row_stride as isize,
            1.0,
            scale,
            false,
            false,
            false,
            parallelism,
        )
    }
}

/// A dense layer `y = x·W + b` with `W` kept `[in, out]` row-major: the order `gemm`'s kernels
/// read the right-hand side in, so it is never re-packed per call.
pub struct Linear {
    weight: Vec<f32>,
    /// The same weight in blocks of [`COLUMN_BLOCK`] output columns, each `[in, 32]` contiguous:
    /// [`accumulate_rows`] streams it front to back (the row-major layout made it jump a row per
    /// input and wait on memory).
    blocked: Blocked,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl Linear {
    /// From transformers' `[out, in]` layout.
    pub fn from_out_in(weight: &[f32], bias: Vec<f32>, inputs: usize, outputs: usize) -> Self {
        assert_eq!(weight.len(), inputs * outputs, "weight size");
        assert_eq!(bias.len(), outputs, "bias size");
        let mut transposed = vec![0f32; weight.len()];
        for o in 0..outputs {
            for i in 0..inputs {
                transposed[i * outputs + o] = weight[o * inputs + i];
            }
        }
        Self::new(transposed, bias, inputs, outputs)
    }

    /// From `[in, out]` row-major.
    fn new(weight: Vec<f32>, bias: Vec<f32>, inputs: usize, outputs: usize) -> Self {
        let mut order = Vec::with_capacity(weight.len());
        let mut block = 0;
        while block < outputs {
            let end = (block + COLUMN_BLOCK).min(outputs);
            for i in 0..inputs {
                order.extend_from_slice(&weight[i * outputs + block..i * outputs + end]);
            }
            block = end;
        }
        // A short query is bound by reading the weights from memory: where every weight is an
        // exact half-precision number (checkpoints stored in f16, as most are), the copy is kept
        // in f16, half the bytes and the same values.
        let halves: Option<Vec<u16>> = order.iter().map(|&w| exact_half(w)).collect();
        let blocked = match halves {
            Some(halves) => Blocked::Half(halves),
            None => Blocked::Single(order),
        };
        Self {
            weight,
            blocked,
            bias,
            inputs,
            outputs,
        }
    }

    /// Layers with the same input, outputs side by side (Q, K and V as one multiply).
    pub fn concat_outputs(parts: &[Linear]) -> Self {
        let inputs = parts[0].inputs;
        assert!(parts.iter().all(|p| p.inputs == inputs), "inputs differ");
        let outputs: usize = parts.iter().map(|p| p.outputs).sum();
        let mut weight = Vec::with_capacity(inputs * outputs);
        for i in 0..inputs {
            for part in parts {
                weight.extend_from_slice(&part.weight[i * part.outputs..(i + 1) * part.outputs]);
            }
        }
        let bias = parts.iter().flat_map(|p| p.bias.iter().copied()).collect();
        Self::new(weight, bias, inputs, outputs)
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// Whether the small-rows copy of the weight is kept in half precision.
    pub fn half_precision(&self) -> bool {
        matches!(self.blocked, Blocked::Half(_))
    }

    /// Replaces the small-rows copy of the weight by int8 values with one scale per output column
    /// (symmetric, `max |w| / 127`): a quarter of f32's bytes. Batches keep the f32 weight.
    pub fn quantise_small_rows(&mut self) {
        let (inputs, outputs) = (self.inputs, self.outputs);
        let scales: Vec<f32> = (0..outputs)
            .map(|c| {
                let top = (0..inputs)
                    .map(|k| self.weight[k * outputs + c].abs())
                    .fold(0f32, f32::max);
                if top > 0.0 {
                    top / 127.0
                } else {
                    1.0
                }
            })
            .collect();
        let mut values = Vec::with_capacity(self.weight.len());
        let mut block = 0;
        while block < outputs {
            let end = (block + COLUMN_BLOCK).min(outputs);
            for k in 0..inputs {
                values.extend((block..end).map(|c| {
                    (self.weight[k * outputs + c] / scales[c])
                        .round()
                        .clamp(-127.0, 127.0) as i8
                }));
            }
            block = end;
        }
        self.blocked = Blocked::Int8 { values, scales };
    }

    /// `out = x·W + b` for `rows` rows of `x` (`[rows, inputs]`); `out` is resized to `[rows, outputs]`.
    pub fn forward(&self, x: &[f32], rows: usize, out: &mut Vec<f32>) {
        assert_eq!(x.len(), rows * self.inputs, "input size");
        out.clear();
        for _ in 0..rows {
            out.extend_from_slice(&self.bias);
        }
        if rows <= SMALL_ROWS {
            self.forward_few_rows(x, rows, out);
            return;
        }
        // SAFETY: `x` is rows × inputs, the weight inputs × outputs and `out` rows × outputs,
        // all row-major and distinct allocations.
        unsafe {
            multiply(
                rows,
                self.outputs,
                self.inputs,
                out.as_mut_ptr(),
                self.outputs,
                true,
                View {
                    ptr: x.as_ptr(),
                    row_stride: self.inputs,
                    col_stride: 1,
                },
                View {
                    ptr: self.weight.as_ptr(),
                    row_stride: self.outputs,
                    col_stride: 1,
                },
                1.0,
                true,
            );
        }
    }
}

/// Up to this many rows (a short query), [`Linear::forward`] streams the weight once through
/// [`accumulate_rows`] instead of calling `gemm`, whose packing costs more than the arithmetic at
/// this size.
pub const SMALL_ROWS: usize = 24;

/// Output columns one pass of [`accumulate_rows`] keeps in registers per row.
const COLUMN_BLOCK: usize = 32;

impl Linear {
    /// The small-`rows` path: output columns split between two threads when wide enough.
    fn forward_few_rows(&self, x: &[f32], rows: usize, out: &mut [f32]) {
        let columns = self.outputs;
        let half = (columns / 2).next_multiple_of(COLUMN_BLOCK);
        let blocked = &self.blocked;
        if rayon::current_num_threads() < 2 || half >= columns || columns < 8 * COLUMN_BLOCK {
            accumulate(x, rows, self.inputs, blocked, columns, 0, columns, out);
            return;
        }
        let shared = SharedMut(out.as_mut_ptr());
        let len = out.len();
        let run = |from: usize, to: usize| {
            // SAFETY: both halves address the same `rows × columns` buffer but write only their own
            // columns [from, to), which do not overlap.
            let out = unsafe { std::slice::from_raw_parts_mut(shared.ptr(), len) };
            accumulate(x, rows, self.inputs, blocked, columns, from, to, out);
        };
        crate::team::Team::get().join(|| run(0, half), || run(half, columns));
    }
}

/// [`Linear::blocked`]: f32, f16 bits where that loses nothing, or int8 with per-column scales
/// where the model directory asks for it.
enum Blocked {
    Single(Vec<f32>),
    Half(Vec<u16>),
    Int8 { values: Vec<i8>, scales: Vec<f32> },
}

/// The f16 bits of `w` if f16 holds it exactly (finite, in range, few enough mantissa bits).
fn exact_half(w: f32) -> Option<u16> {
    if !w.is_finite() {
        return None;
    }
    let bits = half_bits(w)?;
    // The fields say it fits; the round trip makes sure.
    (half_to_f32(bits) == w).then_some(bits)
}

/// f32 → f16 bits when f16 holds `w` exactly (normal, subnormal or zero), from the bit fields
/// alone: loading checks every weight, so no `log2` or `powi` per value.
fn half_bits(w: f32) -> Option<u16> {
    let bits = w.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let mantissa = bits & 0x7f_ffff;
    if w == 0.0 {
        return Some(sign);
    }
    if (-14..=15).contains(&exponent) {
        // Normal f16: 10 mantissa bits, so the 13 lowest of f32's 23 must be zero.
        return (mantissa & 0x1fff == 0)
            .then(|| sign | (((exponent + 15) as u16) << 10) | (mantissa >> 13) as u16);
    }
    if (-24..-14).contains(&exponent) {
        // Subnormal f16: value = m · 2^-24 with m < 1024, the implicit 1 included in m.
        let full = mantissa | 0x80_0000;
        let shift = (13 + (-14 - exponent)) as u32;
        return (full & ((1 << shift) - 1) == 0).then(|| sign | (full >> shift) as u16);
    }
    None
}

/// f16 bits → f32 for finite values, without branches (so loops over it vectorise): the
/// exponent and mantissa moved into f32's fields and rebased by a multiply, which also handles
/// subnormals and zero.
#[inline(always)]
fn half_to_f32(bits: u16) -> f32 {
    const REBASE: f32 = 5.192_297e33; // 2^112 = 2^(127 − 15)
    let bits = bits as u32;
    let magnitude = f32::from_bits((bits & 0x7fff) << 13) * REBASE;
    f32::from_bits(magnitude.to_bits() | ((bits & 0x8000) << 16))
}

#[allow(clippy::too_many_arguments)]
fn accumulate(
    x: &[f32],
    rows: usize,
    inputs: usize,
    blocked: &Blocked,
    columns: usize,
    from: usize,
    to: usize,
    out: &mut [f32],
) {
    // AVX2 has 16 vector registers, half AVX-512's: the portable kernel's 12 rows × 32 columns of
    // sums spill there, so AVX2 gets a kernel blocked for it (all full blocks; a narrower last
    // block, if any, goes the portable way).
    #[cfg(target_arch = "x86_64")]
    if crate::ops::instruction_set() == crate::ops::InstructionSet::Avx2
        && std::arch::is_x86_feature_detected!("f16c")
    {
        let full_end = from + (to - from) / COLUMN_BLOCK * COLUMN_BLOCK;
        // SAFETY: the CPU has AVX2, FMA and F16C (checked above); the slices have the shapes
        // `accumulate` documents, which `avx2::accumulate` checks again.
        unsafe { avx2::accumulate(x, rows, inputs, blocked, columns, from, full_end, out) };
        if full_end == to {
            return;
        }
        return accumulate_portable(x, rows, inputs, blocked, columns, full_end, to, out);
    }
    accumulate_portable(x, rows, inputs, blocked, columns, from, to, out)
}

/// [`accumulate`] through the kernels LLVM vectorises for each instruction set.
#[allow(clippy::too_many_arguments)]
fn accumulate_portable(
    x: &[f32],
    rows: usize,
    inputs: usize,
    blocked: &Blocked,
    columns: usize,
    from: usize,
    to: usize,
    out: &mut [f32],
) {
    match blocked {
        Blocked::Single(w) => accumulate_rows(x, rows, inputs, w, &[], columns, from, to, out),
        Blocked::Half(w) => accumulate_rows_half(x, rows, inputs, w, &[], columns, from, to, out),
        Blocked::Int8 { values, scales } => {
            accumulate_rows_int8(x, rows, inputs, values, scales, columns, from, to, out)
        }
    }
}

/// A stored weight read as f32.
trait Weight: Copy {
    fn value(self) -> f32;
}

impl Weight for f32 {
    #[inline(always)]
    fn value(self) -> f32 {
        self
    }
}

impl Weight for i8 {
    #[inline(always)]
    fn value(self) -> f32 {
        self as f32
    }
}

impl Weight for u16 {
    #[inline(always)]
    fn value(self) -> f32 {
        half_to_f32(self)
    }
}

macro_rules! accumulate_rows_for {
    ($name:ident, $weight:ty) => {
crate::ops::dispatch! {
    /// `out[r, c] += Σ_k x[r, k]·w[k, c]` for every row `r < rows` and column `c` in
    /// `[from, to)` (`from` a multiple of [`COLUMN_BLOCK`]); `blocked` is the weight in
    /// [`Linear::blocked`]'s layout. Each block of 32 columns is read once for up to 12 rows, whose
    /// sums stay in registers.
    #[allow(clippy::too_many_arguments)]
    fn $name(
        x: &[f32],
        rows: usize,
        inputs: usize,
        blocked: &[$weight],
        scales: &[f32],
        columns: usize,
        from: usize,
        to: usize,
        out: &mut [f32],
    ) {
        // Groups of at most 12 rows, as even as possible: each group reads the weight once.
        let groups = rows.div_ceil(12).max(1);
        let size = rows.div_ceil(groups);
        let mut x_t = Vec::with_capacity(size * inputs);
        let mut first_row = 0;
        while first_row < rows {
            let group = (rows - first_row).min(size);
            // The group's inputs transposed (`[in, group]`), so one input's values sit together.
            x_t.clear();
            for k in 0..inputs {
                x_t.extend((0..group).map(|r| x[(first_row + r) * inputs + k]));
            }
            let out = &mut out[first_row * columns..(first_row + group) * columns];
            match group {
                12 => row_block::<12, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                11 => row_block::<11, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                10 => row_block::<10, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                9 => row_block::<9, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                8 => row_block::<8, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                7 => row_block::<7, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                6 => row_block::<6, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                5 => row_block::<5, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                4 => row_block::<4, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                3 => row_block::<3, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                2 => row_block::<2, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
                _ => row_block::<1, $weight>(&x_t, inputs, blocked, scales, columns, from, to, out),
            }
            first_row += group;
        }
    }
}
    };
}

accumulate_rows_for!(accumulate_rows, f32);
accumulate_rows_for!(accumulate_rows_half, u16);
accumulate_rows_for!(accumulate_rows_int8, i8);

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn row_block<const R: usize, W: Weight>(
    x_t: &[f32],
    inputs: usize,
    blocked: &[W],
    // One factor per output column (int8 weights), or empty.
    scales: &[f32],
    columns: usize,
    from: usize,
    to: usize,
    out: &mut [f32],
) {
    let mut block = from;
    while block < to {
        let width = (to - block).min(COLUMN_BLOCK);
        let weights = &blocked[block * inputs..(block + width) * inputs];
        if width == COLUMN_BLOCK {
            let mut sums = [[0f32; COLUMN_BLOCK]; R];
            for (w_row, x_k) in weights.chunks_exact(COLUMN_BLOCK).zip(x_t.chunks_exact(R)) {
                let mut w = [0f32; COLUMN_BLOCK];
                for (w, stored) in w.iter_mut().zip(w_row) {
                    *w = stored.value();
                }
                for (sum, &a) in sums.iter_mut().zip(x_k) {
                    for (s, w) in sum.iter_mut().zip(&w) {
                        *s = a.mul_add(*w, *s);
                    }
                }
            }
            for (r, sum) in sums.iter().enumerate() {
                let out_row = &mut out[r * columns + block..r * columns + block + COLUMN_BLOCK];
                if scales.is_empty() {
                    for (o, s) in out_row.iter_mut().zip(sum) {
                        *o += s;
                    }
                } else {
                    let scales = &scales[block..block + COLUMN_BLOCK];
                    for ((o, s), f) in out_row.iter_mut().zip(sum).zip(scales) {
                        *o += s * f;
                    }
                }
            }
        } else {
            // The last, narrower block (none for the usual hidden sizes).
            for (k, w_row) in weights.chunks_exact(width).enumerate() {
                for r in 0..R {
                    let a = x_t[k * R + r];
                    for (c, (o, w)) in out[r * columns + block..r * columns + block + width]
                        .iter_mut()
                        .zip(w_row)
                        .enumerate()
                    {
                        let scale = scales.get(block + c).copied().unwrap_or(1.0);
                        *o += a * w.value() * scale;
                    }
                }
            }
        }
        block += width;
    }
}

/// The few-rows product for AVX2 + FMA (+ F16C for half-precision weights), with explicit
/// intrinsics: 6 rows × 16 columns of sums (12 of the 16 registers), the weight block read once
/// from memory for all rows of the call (each column block is finished for every row before the
/// next is touched), and f16 weights widened by `vcvtph2ps`, one instruction per 8.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Blocked, COLUMN_BLOCK};

    /// Rows one pass keeps sums for.
    const ROWS: usize = 6;
    /// Columns one pass keeps sums for: half a weight block, two registers.
    const HALF: usize = COLUMN_BLOCK / 2;

    /// A stored weight type, widened 8 at a time.
    trait Load: Copy {
        /// # Safety
        /// `p` must address 8 readable values; the CPU must have AVX2 and F16C.
        unsafe fn load8(p: *const Self) -> __m256;
    }

    impl Load for f32 {
        #[inline(always)]
        unsafe fn load8(p: *const f32) -> __m256 {
            _mm256_loadu_ps(p)
        }
    }

    impl Load for u16 {
        #[inline(always)]
        unsafe fn load8(p: *const u16) -> __m256 {
            _mm256_cvtph_ps(_mm_loadu_si128(p.cast()))
        }
    }

    impl Load for i8 {
        #[inline(always)]
        unsafe fn load8(p: *const i8) -> __m256 {
            _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(p.cast())))
        }
    }

    /// [`super::accumulate`] for the full column blocks in `[from, to)`.
    ///
    /// # Safety
    /// The CPU must have AVX2, FMA and F16C.
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn accumulate(
        x: &[f32],
        rows: usize,
        inputs: usize,
        blocked: &Blocked,
        columns: usize,
        from: usize,
        to: usize,
        out: &mut [f32],
    ) {
        match blocked {
            Blocked::Single(w) => run(x, rows, inputs, w, &[], columns, from, to, out),
            Blocked::Half(w) => run(x, rows, inputs, w, &[], columns, from, to, out),
            Blocked::Int8 { values, scales } => {
                run(x, rows, inputs, values, scales, columns, from, to, out)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma,f16c")]
    unsafe fn run<W: Load>(
        x: &[f32],
        rows: usize,
        inputs: usize,
        blocked: &[W],
        scales: &[f32],
        columns: usize,
        from: usize,
        to: usize,
        out: &mut [f32],
    ) {
        assert!(
            from.is_multiple_of(COLUMN_BLOCK)
                && (to - from).is_multiple_of(COLUMN_BLOCK)
                && to <= columns
        );
        assert!(x.len() >= rows * inputs && out.len() >= rows * columns);
        assert!(blocked.len() >= to * inputs && (scales.is_empty() || scales.len() >= to));
        // Groups of at most ROWS rows, as even as possible; each group's inputs transposed
        // (`[in, group]`) so one input's values sit together.
        let groups = rows.div_ceil(ROWS).max(1);
        let size = rows.div_ceil(groups);
        let mut x_t = Vec::with_capacity(rows * inputs);
        let mut starts = Vec::with_capacity(groups);
        let mut first_row = 0;
        while first_row < rows {
            let group = (rows - first_row).min(size);
            starts.push((first_row, group, x_t.len()));
            for k in 0..inputs {
                x_t.extend((0..group).map(|r| x[(first_row + r) * inputs + k]));
            }
            first_row += group;
        }
        let mut block = from;
        while block < to {
            for half in [0, HALF] {
                let weights = blocked.as_ptr().add(block * inputs + half);
                let column = block + half;
                let scales = if scales.is_empty() {
                    None
                } else {
                    Some(scales.as_ptr().add(column))
                };
                for &(first_row, group, offset) in &starts {
                    let x_t = x_t.as_ptr().add(offset);
                    let out = out.as_mut_ptr().add(first_row * columns + column);
                    match group {
                        6 => pass::<W, 6>(x_t, inputs, weights, scales, out, columns),
                        5 => pass::<W, 5>(x_t, inputs, weights, scales, out, columns),
                        4 => pass::<W, 4>(x_t, inputs, weights, scales, out, columns),
                        3 => pass::<W, 3>(x_t, inputs, weights, scales, out, columns),
                        2 => pass::<W, 2>(x_t, inputs, weights, scales, out, columns),
                        _ => pass::<W, 1>(x_t, inputs, weights, scales, out, columns),
                    }
                }
            }
            block += COLUMN_BLOCK;
        }
    }

    /// `out[r, 0..16] += Σ_k x_t[k, r] · w[k, 0..16]` (× the column scales) for `R` rows; `w`
    /// steps [`COLUMN_BLOCK`] values per input.
    #[inline]
    #[target_feature(enable = "avx2,fma,f16c")]
    unsafe fn pass<W: Load, const R: usize>(
        x_t: *const f32,
        inputs: usize,
        w: *const W,
        scales: Option<*const f32>,
        out: *mut f32,
        columns: usize,
    ) {
        let mut sums = [[_mm256_setzero_ps(); 2]; R];
        for k in 0..inputs {
            let w0 = W::load8(w.add(k * COLUMN_BLOCK));
            let w1 = W::load8(w.add(k * COLUMN_BLOCK + 8));
            let x_k = x_t.add(k * R);
            for (r, sum) in sums.iter_mut().enumerate() {
                let a = _mm256_broadcast_ss(&*x_k.add(r));
                sum[0] = _mm256_fmadd_ps(a, w0, sum[0]);
                sum[1] = _mm256_fmadd_ps(a, w1, sum[1]);
            }
        }
        for (r, [mut s0, mut s1]) in sums.into_iter().enumerate() {
            if let Some(scales) = scales {
                s0 = _mm256_mul_ps(s0, _mm256_loadu_ps(scales));
                s1 = _mm256_mul_ps(s1, _mm256_loadu_ps(scales.add(8)));
            }
            let o = out.add(r * columns);
            _mm256_storeu_ps(o, _mm256_add_ps(_mm256_loadu_ps(o), s0));
            _mm256_storeu_ps(o.add(8), _mm256_add_ps(_mm256_loadu_ps(o.add(8)), s1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f32], w_out_in: &[f32], b: &[f32], rows: usize, inputs: usize) -> Vec<f32> {
        let outputs = b.len();
        let mut y = vec![0f32; rows * outputs];
        for r in 0..rows {
            for o in 0..outputs {
                let dot: f64 = (0..inputs)
                    .map(|i| x[r * inputs + i] as f64 * w_out_in[o * inputs + i] as f64)
                    .sum();
                y[r * outputs + o] = dot as f32 + b[o];
            }
        }
        y
    }

    fn values(n: usize, seed: u32) -> Vec<f32> {
        (0..n)
            .map(|i| {
                ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) % 1000) as f32 / 500.0
                    - 1.0
            })
            .collect()
    }

    #[test]
    fn linear_matches_the_naive_product_for_every_shape() {
        for &(rows, inputs, outputs) in &[
            (1, 1, 1),
            (1, 384, 1152),
            (7, 33, 65),
            (9, 40, 300),
            (16, 24, 512),
            (23, 40, 296),
            (130, 64, 17),
        ] {
            let x = values(rows * inputs, 1);
            let w = values(inputs * outputs, 2);
            let b = values(outputs, 3);
            let mut got = Vec::new();
            Linear::from_out_in(&w, b.clone(), inputs, outputs).forward(&x, rows, &mut got);
            let want = naive(&x, &w, &b, rows, inputs);
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-3 * (1.0 + w.abs()),
                    "{g} vs {w} at {rows}x{inputs}x{outputs}"
                );
            }
        }
    }

    #[test]
    fn half_precision_round_trips_exactly_and_refuses_what_it_cannot_hold() {
        for bits in 0u16..=u16::MAX {
            let exponent = (bits >> 10) & 0x1f;
            if exponent == 0x1f {
                continue; // inf and NaN: never stored as half
            }
            let value = half_to_f32(bits);
            assert_eq!(
                exact_half(value).map(half_to_f32),
                Some(value),
                "bits {bits:#06x}"
            );
        }
        assert_eq!(half_to_f32(0x3c00), 1.0);
        assert_eq!(half_to_f32(0xc000), -2.0);
        assert_eq!(half_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(exact_half(0.1), None);
        assert_eq!(exact_half(1e6), None);
        assert_eq!(exact_half(f32::NAN), None);
    }

    #[test]
    fn every_instruction_set_gives_the_same_few_rows_products() {
        use crate::ops::{limit_instruction_set, InstructionSet};
        // Full blocks only, a narrower last block, and widths split between the two threads.
        for &(rows, inputs, outputs) in &[(1, 384, 1152), (5, 40, 96), (13, 64, 320), (24, 33, 65)]
        {
            let x = values(rows * inputs, 4);
            let b = values(outputs, 6);
            let exact_in_half: Vec<f32> = (0..inputs * outputs)
                .map(|i| ((i * 37 % 129) as f32 - 64.0) / 64.0)
                .collect();
            let single =
                Linear::from_out_in(&values(inputs * outputs, 5), b.clone(), inputs, outputs);
            let half = Linear::from_out_in(&exact_in_half, b.clone(), inputs, outputs);
            let mut int8 = Linear::from_out_in(&values(inputs * outputs, 7), b, inputs, outputs);
            int8.quantise_small_rows();
            assert!(half.half_precision() && !single.half_precision());
            for linear in [&single, &half, &int8] {
                let mut want = Vec::new();
                limit_instruction_set(InstructionSet::Baseline);
                linear.forward(&x, rows, &mut want);
                for isa in [InstructionSet::Avx2, InstructionSet::Avx512] {
                    limit_instruction_set(isa);
                    let mut got = Vec::new();
                    linear.forward(&x, rows, &mut got);
                    for (g, w) in got.iter().zip(&want) {
                        assert!(
                            (g - w).abs() < 1e-4 * (1.0 + w.abs()),
                            "{isa:?}: {g} vs {w} at {rows}x{inputs}x{outputs}"
                        );
                    }
                }
                limit_instruction_set(InstructionSet::Avx512);
            }
        }
    }

    #[test]
    fn half_precision_weights_give_the_same_products() {
        let (rows, inputs, outputs) = (5, 64, 96);
        // Multiples of 1/64 in [-1, 1]: exact in f16.
        let w: Vec<f32> = (0..inputs * outputs)
            .map(|i| ((i * 37 % 129) as f32 - 64.0) / 64.0)
            .collect();
        let x = values(rows * inputs, 4);
        let b = values(outputs, 5);
        let linear = Linear::from_out_in(&w, b.clone(), inputs, outputs);
        assert!(linear.half_precision());
        let mut got = Vec::new();
        linear.forward(&x, rows, &mut got);
        let want = naive(&x, &w, &b, rows, inputs);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-4 * (1.0 + w.abs()), "{g} vs {w}");
        }
        assert!(
            !Linear::from_out_in(&values(inputs * outputs, 1), b, inputs, outputs).half_precision()
        );
    }

    #[test]
    fn int8_weights_stay_within_their_rounding_of_the_exact_product() {
        for &(rows, inputs, outputs) in &[(3, 64, 96), (12, 40, 70)] {
            let w = values(inputs * outputs, 8);
            let x = values(rows * inputs, 9);
            let b = values(outputs, 10);
            let mut linear = Linear::from_out_in(&w, b.clone(), inputs, outputs);
            linear.quantise_small_rows();
            let mut got = Vec::new();
            linear.forward(&x, rows, &mut got);
            let want = naive(&x, &w, &b, rows, inputs);
            // Each weight is off by at most half a step (max |w| / 254 ≤ 1/254 here).
            let bound = inputs as f32 * (1.0 / 254.0) + 1e-4;
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= bound,
                    "{g} vs {w} ({rows}x{inputs}x{outputs})"
                );
            }
            let max_error = got
                .iter()
                .zip(&want)
                .map(|(g, w)| (g - w).abs())
                .fold(0f32, f32::max);
            assert!(max_error > 0.0, "int8 made no difference: not used?");
        }
    }

    #[test]
    fn concatenated_outputs_equal_the_parts_side_by_side() {
        let (rows, inputs) = (5, 8);
        let parts: Vec<(Vec<f32>, Vec<f32>)> = (0..3)
            .map(|p| (values(inputs * 4, p), values(4, p + 10)))
            .collect();
        let x = values(rows * inputs, 99);
        let joined = Linear::concat_outputs(
            &parts
                .iter()
                .map(|(w, b)| Linear::from_out_in(w, b.clone(), inputs, 4))
                .collect::<Vec<_>>(),
        );
        let mut got = Vec::new();
        joined.forward(&x, rows, &mut got);
        for (p, (w, b)) in parts.iter().enumerate() {
            let want = naive(&x, w, b, rows, inputs);
            for r in 0..rows {
                for o in 0..4 {
                    let g = got[r * 12 + p * 4 + o];
                    assert!((g - want[r * 4 + o]).abs() < 1e-4);
                }
            }
        }
    }
}
