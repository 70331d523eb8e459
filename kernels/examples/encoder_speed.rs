//! Times the encoder with multilingual-e5-small's shape (random weights): one 12-token query and
//! one batch of 32 windows of 256 tokens. The weights are f16-exact, as in an f16 checkpoint.
//!     cargo run --release -p jobmatch-kernels --example encoder_speed [-- --query-only] [--int8]
use std::time::Instant;

use jobmatch_kernels::{Activation, Encoder, EncoderConfig, Pool, Scratch, WeightSource};

struct Random(u64);

impl WeightSource for Random {
    fn get(&mut self, name: &str) -> Result<(Vec<f32>, Vec<usize>), String> {
        let (h, ff) = (384, 1536);
        let shape = if name.contains("word_embeddings") {
            vec![1000, h]
        } else if name.contains("position_embeddings") {
            vec![512, h]
        } else if name.contains("token_type") {
            vec![2, h]
        } else if name.ends_with("LayerNorm.weight") || name.ends_with("LayerNorm.bias") {
            vec![h]
        } else if name.contains("intermediate.dense") {
            if name.ends_with("weight") {
                vec![ff, h]
            } else {
                vec![ff]
            }
        } else if name.contains("output.dense") && !name.contains("attention") {
            if name.ends_with("weight") {
                vec![h, ff]
            } else {
                vec![h]
            }
        } else if name.ends_with("weight") {
            vec![h, h]
        } else {
            vec![h]
        };
        let n: usize = shape.iter().product();
        let data = (0..n)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // k / 2^14 with |k| ≤ 2048: exact in f16, as the weights of most checkpoints are.
                ((self.0 >> 52) as f32 - 2048.0) / 16384.0
            })
            .collect();
        Ok((data, shape))
    }
}

fn main() {
    let config = EncoderConfig {
        hidden: 384,
        heads: 12,
        intermediate: 1536,
        layers: 12,
        vocabulary: 1000,
        positions: 512,
        layer_norm_eps: 1e-12,
        activation: Activation::Gelu,
        int8_short_inputs: std::env::args().any(|a| a == "--int8"),
    };
    let encoder = Encoder::load(config, &mut Random(7)).unwrap();
    let mut scratch = Scratch::default();
    let query: Vec<u32> = (0..12).collect();
    let reps = 2000;
    encoder
        .forward(&[&query], Pool::Mean, &mut scratch)
        .unwrap();
    let start = Instant::now();
    for _ in 0..reps {
        encoder
            .forward(&[&query], Pool::Mean, &mut scratch)
            .unwrap();
    }
    println!(
        "query of 12 tokens: {:.3} ms",
        start.elapsed().as_secs_f64() * 1e3 / reps as f64
    );
    if std::env::args().any(|a| a == "--query-only") {
        return;
    }
    let window: Vec<u32> = (0..256).map(|i| i % 1000).collect();
    let batch: Vec<&[u32]> = (0..32).map(|_| window.as_slice()).collect();
    let start = Instant::now();
    for _ in 0..3 {
        encoder.forward(&batch, Pool::Mean, &mut scratch).unwrap();
    }
    let s = start.elapsed().as_secs_f64() / 3.0;
    println!(
        "batch 32 x 256 tokens: {:.1} ms, {:.0} tokens/s",
        s * 1e3,
        32.0 * 256.0 / s
    );
}
