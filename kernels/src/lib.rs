//! jobmatch's CPU encoder: the forward pass of a BERT-family sentence encoder, written for the
//! two-core servers the centres run.
//!
//! candle's graph (`candle_transformers::models::bert`) pads every window of a batch to the longest,
//! allocates a tensor per operation and runs GELU, softmax and layer norm as scalar loops. This
//! crate computes the same function with fewer steps:
//! - **no padding**: the windows of a call are laid end to end (`[tokens, hidden]`); only attention
//!   looks at window boundaries, one window and head at a time, in parallel;
//! - **fused steps**: Q, K and V are one matrix; bias is added inside the multiply; the residual add
//!   is fused with layer norm; GELU and softmax run in place ([`ops`]);
//! - **buffers reused** across layers ([`Scratch`]);
//! - matrices multiplied by the `gemm` crate (the one candle uses), with its AVX-512 kernels.
//!
//! The weights come from the caller (jobmatch loads them through candle's safetensors reader);
//! `src/embed/bert.rs` in jobmatch checks this forward pass against candle's graph.
//!
//! Map: [`ops`] (element-wise and row kernels) · [`matmul`] (the one `gemm` wrapper) ·
//! [`attention`] (per-window, per-head attention) · [`team`] (the two threads of a short query) ·
//! [`Encoder`] (layers, embeddings, pooling).

pub mod attention;
pub mod matmul;
pub mod ops;
pub mod team;

pub use ops::Activation;

use matmul::Linear;

/// An output buffer shared by threads that each write their own disjoint part of it (attention's
/// (window, head) blocks, the two column halves of a short input's product).
#[derive(Clone, Copy)]
pub(crate) struct SharedMut(*mut f32);
// SAFETY: every user writes only a part no other thread reads or writes (see each use).
unsafe impl Send for SharedMut {}
unsafe impl Sync for SharedMut {}

impl SharedMut {
    /// Through a method, so closures capture the (Sync) wrapper, not its raw pointer field.
    pub(crate) fn ptr(&self) -> *mut f32 {
        self.0
    }
}

/// Shape and constants of a BERT-family encoder.
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderConfig {
    pub hidden: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub layers: usize,
    pub vocabulary: usize,
    pub positions: usize,
    pub layer_norm_eps: f32,
    pub activation: Activation,
    /// Keep int8 weights (per-column scales) for short inputs (≤ [`matmul::SMALL_ROWS`] tokens
    /// in a call), instead of f32 or exact f16: a quarter of the bytes a query reads.
    pub int8_short_inputs: bool,
}

/// How a window's token vectors become one vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Mean,
    Cls,
}

/// A source of named weights, each a row-major f32 array with its shape. Names are BERT's
/// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …), and
/// linear weights are `[out, in]` as stored by transformers.
pub trait WeightSource {
    fn get(&mut self, name: &str) -> Result<(Vec<f32>, Vec<usize>), String>;
}

struct Layer {
    /// Q, K and V side by side: `[hidden, 3·hidden]`.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: (Vec<f32>, Vec<f32>),
    up: Linear,
    down: Linear,
    output_norm: (Vec<f32>, Vec<f32>),
}

/// A loaded encoder: weights rearranged for this crate's kernels.
pub struct Encoder {
    config: EncoderConfig,
    word: Vec<f32>,
    position: Vec<f32>,
    /// Token type 0's row (jobmatch never sets another).
    token_type: Vec<f32>,
    embedding_norm: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

/// Buffers of one forward pass, kept between calls so a batch allocates nothing per layer.
#[derive(Default)]
pub struct Scratch {
    hidden: Vec<f32>,
    qkv: Vec<f32>,
    context: Vec<f32>,
    projected: Vec<f32>,
    intermediate: Vec<f32>,
}

fn expect_shape(name: &str, shape: &[usize], want: &[usize]) -> Result<(), String> {
    if shape != want {
        return Err(format!(
            "{name} has shape {shape:?}, the config implies {want:?}"
        ));
    }
    Ok(())
}

fn vector(source: &mut dyn WeightSource, name: &str, len: usize) -> Result<Vec<f32>, String> {
    let (data, shape) = source.get(name)?;
    expect_shape(name, &shape, &[len])?;
    Ok(data)
}

/// `[out, in]` weight and `[out]` bias under `prefix`, as a [`Linear`].
fn linear(
    source: &mut dyn WeightSource,
    prefix: &str,
    inputs: usize,
    outputs: usize,
) -> Result<Linear, String> {
    let name = format!("{prefix}.weight");
    let (weight, shape) = source.get(&name)?;
    expect_shape(&name, &shape, &[outputs, inputs])?;
    let bias = vector(source, &format!("{prefix}.bias"), outputs)?;
    Ok(Linear::from_out_in(&weight, bias, inputs, outputs))
}

/// Layer norm weights: `weight`/`bias`, or the `gamma`/`beta` of older checkpoints.
fn norm(
    source: &mut dyn WeightSource,
    prefix: &str,
    width: usize,
) -> Result<(Vec<f32>, Vec<f32>), String> {
    match vector(source, &format!("{prefix}.weight"), width) {
        Ok(gamma) => Ok((gamma, vector(source, &format!("{prefix}.bias"), width)?)),
        Err(_) => Ok((
            vector(source, &format!("{prefix}.gamma"), width)?,
            vector(source, &format!("{prefix}.beta"), width)?,
        )),
    }
}

impl Encoder {
    /// Reads every weight the forward pass needs from `source`, checking each shape.
    pub fn load(config: EncoderConfig, source: &mut dyn WeightSource) -> Result<Self, String> {
        let h = config.hidden;
        if config.heads == 0 || !h.is_multiple_of(config.heads) {
            return Err(format!(
                "hidden size {h} is not a multiple of the {} attention heads",
                config.heads
            ));
        }
        let table = |source: &mut dyn WeightSource, name: &str, rows: usize| {
            let (data, shape) = source.get(name)?;
            if shape.len() != 2 || shape[1] != h || shape[0] < rows {
                return Err(format!(
                    "{name} has shape {shape:?}, the config implies at least [{rows}, {h}]"
                ));
            }
            Ok::<_, String>(data)
        };
        let word = table(
            source,
            "embeddings.word_embeddings.weight",
            config.vocabulary,
        )?;
        let position = table(
            source,
            "embeddings.position_embeddings.weight",
            config.positions,
        )?;
        let token_type = table(source, "embeddings.token_type_embeddings.weight", 1)?[..h].to_vec();
        let embedding_norm = norm(source, "embeddings.LayerNorm", h)?;
        let mut layers = Vec::with_capacity(config.layers);
        for i in 0..config.layers {
            let p = format!("encoder.layer.{i}");
            let [q, k, v] = ["query", "key", "value"]
                .map(|part| linear(source, &format!("{p}.attention.self.{part}"), h, h));
            layers.push(Layer {
                qkv: Linear::concat_outputs(&[q?, k?, v?]),
                attention_out: linear(source, &format!("{p}.attention.output.dense"), h, h)?,
                attention_norm: norm(source, &format!("{p}.attention.output.LayerNorm"), h)?,
                up: linear(
                    source,
                    &format!("{p}.intermediate.dense"),
                    h,
                    config.intermediate,
                )?,
                down: linear(source, &format!("{p}.output.dense"), config.intermediate, h)?,
                output_norm: norm(source, &format!("{p}.output.LayerNorm"), h)?,
            });
        }
        if config.int8_short_inputs {
            for layer in &mut layers {
                for linear in [
                    &mut layer.qkv,
                    &mut layer.attention_out,
                    &mut layer.up,
                    &mut layer.down,
                ] {
                    linear.quantise_small_rows();
                }
            }
        }
        Ok(Self {
            config,
            word,
            position,
            token_type,
            embedding_norm,
            layers,
        })
    }

    pub fn config(&self) -> &EncoderConfig {
        &self.config
    }

    /// One pooled (not normalised) vector per window. Every window must be non-empty, no longer
    /// than the position table, and hold only ids below the vocabulary size.
    pub fn forward(
        &self,
        windows: &[&[u32]],
        pool: Pool,
        scratch: &mut Scratch,
    ) -> Result<Vec<Vec<f32>>, String> {
        let h = self.config.hidden;
        for window in windows {
            if window.is_empty() || window.len() > self.config.positions {
                return Err(format!(
                    "a window of {} tokens is outside 1..={}",
                    window.len(),
                    self.config.positions
                ));
            }
            if let Some(id) = window
                .iter()
                .find(|&&id| id as usize >= self.config.vocabulary)
            {
                return Err(format!("token id {id} is beyond the vocabulary"));
            }
        }
        let lengths: Vec<usize> = windows.iter().map(|w| w.len()).collect();
        let tokens: usize = lengths.iter().sum();
        // The whole pass runs on one of rayon's threads: the splits inside it (matmul halves,
        // attention heads) are then cheap hand-offs between workers, where each split from the
        // caller's own thread put it to sleep and woke it again (a tenth of a query's time).
        rayon::scope(|_| {
            self.embed(windows, &mut scratch.hidden);
            for layer in &self.layers {
                self.layer(layer, &lengths, tokens, scratch);
            }
        });
        let mut pooled = Vec::with_capacity(windows.len());
        let mut start = 0;
        for &len in &lengths {
            let rows = &scratch.hidden[start * h..(start + len) * h];
            pooled.push(match pool {
                Pool::Cls => rows[..h].to_vec(),
                Pool::Mean => {
                    let mut sum = vec![0f32; h];
                    for row in rows.chunks_exact(h) {
                        sum.iter_mut().zip(row).for_each(|(s, x)| *s += x);
                    }
                    sum.iter_mut().for_each(|s| *s /= len as f32);
                    sum
                }
            });
            start += len;
        }
        Ok(pooled)
    }

    /// Word + position + token-type rows, layer-normed, into `out` (`[tokens, hidden]`).
    fn embed(&self, windows: &[&[u32]], out: &mut Vec<f32>) {
        let h = self.config.hidden;
        out.clear();
        for window in windows {
            for (position, &id) in window.iter().enumerate() {
                let word = &self.word[id as usize * h..(id as usize + 1) * h];
                let pos = &self.position[position * h..(position + 1) * h];
                out.extend(
                    word.iter()
                        .zip(pos)
                        .zip(&self.token_type)
                        .map(|((w, p), t)| w + p + t),
                );
            }
        }
        let (gamma, beta) = &self.embedding_norm;
        ops::add_layer_norm(out, None, gamma, beta, self.config.layer_norm_eps);
    }

    fn layer(&self, layer: &Layer, lengths: &[usize], tokens: usize, s: &mut Scratch) {
        let eps = self.config.layer_norm_eps;
        layer.qkv.forward(&s.hidden, tokens, &mut s.qkv);
        attention::attend(
            &s.qkv,
            lengths,
            self.config.hidden,
            self.config.heads,
            &mut s.context,
        );
        layer
            .attention_out
            .forward(&s.context, tokens, &mut s.projected);
        let (gamma, beta) = &layer.attention_norm;
        ops::add_layer_norm(&mut s.projected, Some(&s.hidden), gamma, beta, eps);
        std::mem::swap(&mut s.hidden, &mut s.projected);

        layer.up.forward(&s.hidden, tokens, &mut s.intermediate);
        ops::activate(self.config.activation, &mut s.intermediate);
        layer
            .down
            .forward(&s.intermediate, tokens, &mut s.projected);
        let (gamma, beta) = &layer.output_norm;
        ops::add_layer_norm(&mut s.projected, Some(&s.hidden), gamma, beta, eps);
        std::mem::swap(&mut s.hidden, &mut s.projected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{instruction_set, limit_instruction_set, InstructionSet};

    /// Deterministic weights of any shape, small enough for a stable forward pass.
    struct Seeded(u64);

    impl WeightSource for Seeded {
        fn get(&mut self, name: &str) -> Result<(Vec<f32>, Vec<usize>), String> {
            let (h, ff) = (32, 64);
            let shape = match name {
                n if n.contains("word_embeddings") => vec![50, h],
                n if n.contains("position_embeddings") => vec![64, h],
                n if n.contains("token_type") => vec![2, h],
                n if n.contains("LayerNorm") => vec![h],
                n if n.contains("intermediate.dense.weight") => vec![ff, h],
                n if n.contains("intermediate.dense.bias") => vec![ff],
                n if n.contains(".output.dense.weight") && !n.contains("attention") => vec![h, ff],
                n if n.ends_with("weight") => vec![h, h],
                _ => vec![h],
            };
            let len = shape.iter().product();
            let gain = if name.contains("LayerNorm.weight") {
                1.0
            } else {
                0.0
            };
            let data = (0..len)
                .map(|_| {
                    self.0 = self
                        .0
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    gain + ((self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.4
                })
                .collect();
            Ok((data, shape))
        }
    }

    fn encoder() -> Encoder {
        let config = EncoderConfig {
            hidden: 32,
            heads: 4,
            intermediate: 64,
            layers: 2,
            vocabulary: 50,
            positions: 64,
            layer_norm_eps: 1e-12,
            activation: Activation::Gelu,
            int8_short_inputs: false,
        };
        Encoder::load(config, &mut Seeded(3)).unwrap()
    }

    #[test]
    fn every_instruction_set_computes_the_same_vectors() {
        let encoder = encoder();
        let long: Vec<u32> = (0..60).map(|i| i % 50).collect();
        let cases: [Vec<&[u32]>; 2] = [
            // 12 tokens in all: the few-rows matmul and direct attention.
            vec![&[1, 2, 3, 4, 5], &[7, 8, 9, 10, 11, 12, 13]],
            // 70 tokens, one window past the direct-attention size: gemm throughout.
            vec![&long, &[4, 3, 2, 1, 0, 9, 8, 7, 6, 5]],
        ];
        let widest = instruction_set();
        for windows in &cases {
            let mut scratch = Scratch::default();
            let want = encoder.forward(windows, Pool::Mean, &mut scratch).unwrap();
            for isa in [InstructionSet::Baseline, InstructionSet::Avx2] {
                limit_instruction_set(isa);
                let got = encoder.forward(windows, Pool::Cls, &mut scratch);
                let got_mean = encoder.forward(windows, Pool::Mean, &mut scratch);
                limit_instruction_set(InstructionSet::Avx512);
                assert!(got.is_ok());
                for (g, w) in got_mean
                    .unwrap()
                    .iter()
                    .flatten()
                    .zip(want.iter().flatten())
                {
                    assert!((g - w).abs() < 1e-4, "{isa:?} vs {widest:?}: {g} vs {w}");
                }
            }
        }
    }

    #[test]
    fn bad_windows_are_refused_not_run() {
        let encoder = encoder();
        let mut scratch = Scratch::default();
        assert!(encoder.forward(&[&[]], Pool::Mean, &mut scratch).is_err());
        assert!(encoder.forward(&[&[50]], Pool::Mean, &mut scratch).is_err());
        let too_long = vec![1u32; 65];
        assert!(encoder
            .forward(&[&too_long], Pool::Mean, &mut scratch)
            .is_err());
    }

    #[test]
    fn a_window_embeds_the_same_alone_and_in_a_batch() {
        let encoder = encoder();
        let mut scratch = Scratch::default();
        let a: Vec<u32> = (0..40).map(|i| (i * 7) % 50).collect();
        let b = [3u32, 1, 4, 1, 5];
        let alone = encoder.forward(&[&a], Pool::Mean, &mut scratch).unwrap();
        let together = encoder
            .forward(&[&b, &a], Pool::Mean, &mut scratch)
            .unwrap();
        for (x, y) in alone[0].iter().zip(&together[1]) {
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
    }
}
