//! The one place that calls `gemm`: row-major f32 matrices, optional accumulation.

use gemm::Parallelism;

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
        Self {
            weight: transposed,
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
        Self {
            weight,
            bias,
            inputs,
            outputs,
        }
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `out = x·W + b` for `rows` rows of `x` (`[rows, inputs]`); `out` is resized to `[rows, outputs]`.
    pub fn forward(&self, x: &[f32], rows: usize, out: &mut Vec<f32>) {
        assert_eq!(x.len(), rows * self.inputs, "input size");
        out.clear();
        for _ in 0..rows {
            out.extend_from_slice(&self.bias);
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
            .map(|i| ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) % 1000) as f32 / 500.0 - 1.0)
            .collect()
    }

    #[test]
    fn linear_matches_the_naive_product_for_every_shape() {
        for &(rows, inputs, outputs) in &[(1, 1, 1), (1, 384, 1152), (7, 33, 65), (130, 64, 17)] {
            let x = values(rows * inputs, 1);
            let w = values(inputs * outputs, 2);
            let b = values(outputs, 3);
            let mut got = Vec::new();
            Linear::from_out_in(&w, b.clone(), inputs, outputs).forward(&x, rows, &mut got);
            let want = naive(&x, &w, &b, rows, inputs);
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-3 * (1.0 + w.abs()), "{g} vs {w} at {rows}x{inputs}x{outputs}");
            }
        }
    }

    #[test]
    fn concatenated_outputs_equal_the_parts_side_by_side() {
        let (rows, inputs) = (5, 8);
        let parts: Vec<(Vec<f32>, Vec<f32>)> =
            (0..3).map(|p| (values(inputs * 4, p), values(4, p + 10))).collect();
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
