//! GFLOP/s of the encoder's matrix shapes through `Linear` (a quick check of the gemm kernels).
//!     cargo run --release -p jobmatch-kernels --example matmul_speed
use std::time::Instant;

use jobmatch_kernels::matmul::Linear;

fn main() {
    for &(rows, inputs, outputs) in &[
        (4096, 384, 1152),
        (4096, 384, 1536),
        (4096, 1536, 384),
        (12, 384, 1152),
        (12, 384, 1536),
        (12, 1536, 384),
        (16, 384, 1536),
        (20, 384, 1152),
    ] {
        let w: Vec<f32> = (0..inputs * outputs)
            .map(|i| (i % 7) as f32 * 0.01)
            .collect();
        let x: Vec<f32> = (0..rows * inputs).map(|i| (i % 5) as f32 * 0.01).collect();
        let linear = Linear::from_out_in(&w, vec![0.0; outputs], inputs, outputs);
        let mut out = Vec::new();
        linear.forward(&x, rows, &mut out);
        let reps = (2e10 / (2.0 * (rows * inputs * outputs) as f64)).max(3.0) as usize;
        let start = Instant::now();
        for _ in 0..reps {
            linear.forward(&x, rows, &mut out);
        }
        let s = start.elapsed().as_secs_f64() / reps as f64;
        println!(
            "{rows}x{inputs}x{outputs}: {:.2} ms, {:.1} GFLOP/s",
            s * 1e3,
            2.0 * (rows * inputs * outputs) as f64 / s / 1e9
        );
    }
    for &(windows, len) in &[(32usize, 256usize), (1, 20)] {
        let (hidden, heads) = (384, 12);
        let lengths = vec![len; windows];
        let tokens = windows * len;
        let qkv: Vec<f32> = (0..tokens * 3 * hidden)
            .map(|i| (i % 11) as f32 * 0.01)
            .collect();
        let mut context = Vec::new();
        jobmatch_kernels::attention::attend(&qkv, &lengths, hidden, heads, &mut context);
        let reps = 20;
        let start = Instant::now();
        for _ in 0..reps {
            jobmatch_kernels::attention::attend(&qkv, &lengths, hidden, heads, &mut context);
        }
        let s = start.elapsed().as_secs_f64() / reps as f64;
        let flop = 4.0 * (windows * len * len * hidden) as f64;
        println!(
            "attention {windows}x{len}: {:.2} ms, {:.1} GFLOP/s",
            s * 1e3,
            flop / s / 1e9
        );
    }
}
