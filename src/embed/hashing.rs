//! A deterministic embedder for unit tests: hashed bag of lower-cased words, L2-normalised.
//! Texts sharing words get similar vectors; no model files are needed.

use std::hash::{Hash, Hasher};

use super::{normalise, Embedder, ModelInfo, TextKind};
use crate::error::Result;

pub struct HashingEmbedder {
    info: ModelInfo,
}

impl HashingEmbedder {
    pub fn new(dimension: usize) -> Self {
        Self {
            info: ModelInfo::plain(format!("hashing-{dimension}"), dimension, usize::MAX),
        }
    }
}

impl Embedder for HashingEmbedder {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// One token per word, plus the two special tokens a real model adds.
    fn token_counts(&self, texts: &[String], _kind: TextKind) -> Result<Vec<usize>> {
        Ok(texts
            .iter()
            .map(|t| t.split_whitespace().count() + 2)
            .collect())
    }

    fn embed(&mut self, texts: &[String], _kind: TextKind) -> Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|text| {
                let mut vector = vec![0f32; self.info.dimension];
                for word in text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                {
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    word.to_lowercase().hash(&mut hasher);
                    vector[(hasher.finish() % self.info.dimension as u64) as usize] += 1.0;
                }
                normalise(&mut vector);
                vector
            })
            .collect())
    }
}
