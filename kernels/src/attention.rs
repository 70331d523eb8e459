//! Self-attention over windows laid end to end, one (window, head) pair per task.
//!
//! Each window attends only to itself, so no padding and no mask exist: a window of `L` tokens
//! costs `L²` scores per head, not `longest²`.

use std::cell::RefCell;

use rayon::prelude::*;

use crate::matmul::{multiply, View};
use crate::ops;
use crate::SharedMut;

/// One (window, head) task's buffers, reused by every task a thread runs.
#[derive(Default)]
struct HeadScratch {
    /// The head's queries, `[L, d]`, already scaled by `1/√d`.
    q: Vec<f32>,
    /// Its keys transposed, `[d, L]`.
    k_t: Vec<f32>,
    /// Its values, `[L, d]`.
    v: Vec<f32>,
    scores: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<HeadScratch> = RefCell::new(HeadScratch::default());
}

/// `context[t, head·d..(head+1)·d] = softmax(q·kᵀ/√d)·v` for every token `t` of every window.
///
/// `qkv` is `[tokens, 3·hidden]` (Q, K, V side by side, heads `d = hidden / heads` columns wide);
/// `lengths` are the windows' token counts in order; `context` is resized to `[tokens, hidden]`.
/// Each head's Q, Kᵀ and V are first copied out contiguous: `gemm` then reads both operands in
/// the order its kernels want, where the strided views made it re-pack every small multiply.
pub fn attend(qkv: &[f32], lengths: &[usize], hidden: usize, heads: usize, context: &mut Vec<f32>) {
    let tokens: usize = lengths.iter().sum();
    assert_eq!(qkv.len(), tokens * 3 * hidden, "qkv size");
    let d = hidden / heads;
    context.clear();
    context.resize(tokens * hidden, 0.0);
    let mut tasks = Vec::with_capacity(lengths.len() * heads);
    let mut start = 0;
    for &len in lengths {
        tasks.extend((0..heads).map(|head| (start, len, head)));
        start += len;
    }
    let out = SharedMut(context.as_mut_ptr());
    let scale = 1.0 / (d as f32).sqrt();
    let stride = 3 * hidden;
    // A short query's heads (Σ L² within one direct window's) are too little work to hand to
    // other threads.
    if lengths.iter().map(|l| l * l).sum::<usize>() <= DIRECT_WINDOW * DIRECT_WINDOW {
        for &(start, len, head) in &tasks {
            let rows = &qkv[start * stride..(start + len) * stride];
            // SAFETY: `context` has `tokens` rows of `hidden`; this window's rows are
            // start..start+len, and the tasks run one after another.
            let out = unsafe {
                std::slice::from_raw_parts_mut(out.ptr().add(start * hidden), len * hidden)
            };
            attend_directly(rows, len, hidden, head * d, d, scale, out);
        }
        return;
    }
    tasks.par_iter().for_each(|&(start, len, head)| {
        if len <= DIRECT_WINDOW {
            let rows = &qkv[start * stride..(start + len) * stride];
            // SAFETY: the task's block (rows start..start+len, columns head·d..head·d+d) is
            // written by this task alone; `attend_directly` writes only those columns.
            let out = unsafe {
                std::slice::from_raw_parts_mut(out.ptr().add(start * hidden), len * hidden)
            };
            attend_directly(rows, len, hidden, head * d, d, scale, out);
            return;
        }
        SCRATCH.with_borrow_mut(|s| {
            let rows = &qkv[start * stride..(start + len) * stride];
            s.q.clear();
            s.v.clear();
            for row in rows.chunks_exact(stride) {
                s.q.extend(row[head * d..(head + 1) * d].iter().map(|x| x * scale));
                s.v.extend_from_slice(&row[2 * hidden + head * d..2 * hidden + (head + 1) * d]);
            }
            s.k_t.clear();
            s.k_t.resize(d * len, 0.0);
            for (t, row) in rows.chunks_exact(stride).enumerate() {
                for (c, &x) in row[hidden + head * d..hidden + (head + 1) * d]
                    .iter()
                    .enumerate()
                {
                    s.k_t[c * len + t] = x;
                }
            }
            s.scores.clear();
            s.scores.resize(len * len, 0.0);
            // SAFETY: q and v are len × d, k_t d × len and scores len × len, all contiguous;
            // the task's block of `context` (rows start..start+len, columns head·d..head·d+d,
            // row stride `hidden`) is written by this task alone.
            unsafe {
                multiply(
                    len,
                    len,
                    d,
                    s.scores.as_mut_ptr(),
                    len,
                    false,
                    View {
                        ptr: s.q.as_ptr(),
                        row_stride: d,
                        col_stride: 1,
                    },
                    View {
                        ptr: s.k_t.as_ptr(),
                        row_stride: len,
                        col_stride: 1,
                    },
                    1.0,
                    false,
                );
                ops::softmax_rows(&mut s.scores, len);
                multiply(
                    len,
                    d,
                    len,
                    out.ptr().add(start * hidden + head * d),
                    hidden,
                    false,
                    View {
                        ptr: s.scores.as_ptr(),
                        row_stride: len,
                        col_stride: 1,
                    },
                    View {
                        ptr: s.v.as_ptr(),
                        row_stride: d,
                        col_stride: 1,
                    },
                    1.0,
                    false,
                );
            }
        });
    });
}

/// Windows up to this many tokens are computed by [`attend_directly`]: `gemm`'s set-up costs
/// more than the arithmetic of so small a head.
const DIRECT_WINDOW: usize = 48;

crate::ops::dispatch! {
    /// One head of one short window without `gemm`: `rows` are the window's `[len, 3·hidden]` QKV
    /// rows, the head's columns start at `offset` in each of Q, K and V; writes the head's
    /// columns of `out` (`[len, hidden]`).
    fn attend_directly(rows: &[f32], len: usize, hidden: usize, offset: usize, d: usize, scale: f32, out: &mut [f32]) {
        let stride = 3 * hidden;
        let mut scores = [0f32; DIRECT_WINDOW];
        let at = |t: usize, part: usize| &rows[t * stride + part * hidden + offset..][..d];
        for i in 0..len {
            let q = at(i, 0);
            for (j, score) in scores[..len].iter_mut().enumerate() {
                let k = at(j, 1);
                let mut lanes = [0f32; 16];
                for (qc, kc) in q.chunks(16).zip(k.chunks(16)) {
                    for ((lane, a), b) in lanes.iter_mut().zip(qc).zip(kc) {
                        *lane = a.mul_add(*b, *lane);
                    }
                }
                *score = lanes.iter().sum::<f32>() * scale;
            }
            ops::softmax_rows(&mut scores[..len], len);
            let target = &mut out[i * hidden + offset..][..d];
            target.fill(0.0);
            for (j, &p) in scores[..len].iter().enumerate() {
                for (o, v) in target.iter_mut().zip(at(j, 2)) {
                    *o = p.mul_add(*v, *o);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook attention in f64 for one window.
    fn naive(qkv: &[f32], start: usize, len: usize, hidden: usize, heads: usize) -> Vec<f64> {
        let d = hidden / heads;
        let at = |t: usize, c: usize| qkv[(start + t) * 3 * hidden + c] as f64;
        let mut out = vec![0f64; len * hidden];
        for h in 0..heads {
            for i in 0..len {
                let scores: Vec<f64> = (0..len)
                    .map(|j| {
                        (0..d)
                            .map(|c| at(i, h * d + c) * at(j, hidden + h * d + c))
                            .sum::<f64>()
                            / (d as f64).sqrt()
                    })
                    .collect();
                let top = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let weights: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
                let total: f64 = weights.iter().sum();
                for c in 0..d {
                    out[i * hidden + h * d + c] = (0..len)
                        .map(|j| weights[j] / total * at(j, 2 * hidden + h * d + c))
                        .sum();
                }
            }
        }
        out
    }

    #[test]
    fn attention_over_windows_equals_textbook_attention_per_window() {
        // Short windows only (serial, direct), and with one long enough for the gemm path.
        for lengths in [&[5, 1, 17, 9][..], &[5, 1, 17, 9, 60]] {
            check_against_naive(lengths);
        }
    }

    fn check_against_naive(lengths: &[usize]) {
        let (hidden, heads) = (24, 3);
        let tokens: usize = lengths.iter().sum();
        let qkv: Vec<f32> = (0..tokens * 3 * hidden)
            .map(|i| ((i * 7919 % 1013) as f32 / 1013.0 - 0.5) * 2.0)
            .collect();
        let mut context = Vec::new();
        attend(&qkv, lengths, hidden, heads, &mut context);
        let mut start = 0;
        for &len in lengths {
            let want = naive(&qkv, start, len, hidden, heads);
            for (i, w) in want.iter().enumerate() {
                let g = context[start * hidden + i] as f64;
                assert!((g - w).abs() < 1e-5, "window at {start}: {g} vs {w}");
            }
            start += len;
        }
    }
}
