//! Typed, validated settings built from the command line (see `cli.rs`).

use std::path::PathBuf;

use crate::domain::Limits;
use crate::embed::BatchingConfig;
use crate::error::{Error, Result};
use crate::matching::RankingSettings;
use crate::ranking::FusionParams;

/// Where the data and the model are.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub data_dir: PathBuf,
    pub model_dir: PathBuf,
    /// Extra skill synonyms (added to `assets/skills_vocabulary.tsv`).
    pub skills_vocabulary: Option<PathBuf>,
}

/// Everything `serve` needs besides its listener.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub store: StoreConfig,
    pub ranking: RankingSettings,
    pub limits: Limits,
    /// How the inference thread batches concurrent requests.
    pub batching: BatchingConfig,
}

impl ServeConfig {
    /// Checks the settings a typo could make nonsensical, naming the flag.
    pub fn validate(&self) -> Result<()> {
        let FusionParams {
            semantic_weight,
            geo_weight,
            decay_scale_km,
        } = self.ranking.defaults;
        for (flag, value) in [
            ("--semantic-weight", semantic_weight),
            ("--geo-weight", geo_weight),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(Error::invalid(flag, format!("must be ≥ 0, got {value}")));
            }
        }
        if semantic_weight == 0.0 && geo_weight == 0.0 {
            return Err(Error::invalid(
                "--semantic-weight",
                "semantic and geo weights cannot both be 0",
            ));
        }
        if !decay_scale_km.is_finite() || decay_scale_km <= 0.0 {
            return Err(Error::invalid(
                "--decay-scale-km",
                format!("must be > 0, got {decay_scale_km}"),
            ));
        }
        for (flag, value) in [
            ("--max-text-bytes", self.limits.max_text_bytes),
            ("--max-batch", self.limits.max_batch),
            ("--max-top-k", self.limits.max_top_k),
            ("--max-region-postings", self.limits.max_region_postings),
            ("--prefetch", self.ranking.prefetch),
            ("--inference-queue", self.batching.queue_capacity),
            ("--batch-max-bytes", self.batching.max_batch_bytes),
        ] {
            if value == 0 {
                return Err(Error::invalid(flag, "must be at least 1"));
            }
        }
        Ok(())
    }
}
