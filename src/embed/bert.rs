//! A BERT-family sentence embedder run by candle on the CPU.
//!
//! A model directory in Hugging Face layout holds `config.json`, `tokenizer.json` and
//! `model.safetensors`; its settings (pooling, prefixes, maximum tokens, name) come from an
//! optional `jobmatch-model.toml`, else from sentence-transformers' `sentence_bert_config.json`
//! and `1_Pooling/config.json`, else from defaults (mean pooling, no prefixes, 512 tokens).
//!
//! Texts longer than the model's window are not truncated: they are split into overlapping
//! windows, each window is embedded, and the text's vector is the token-count-weighted mean of the
//! window vectors, L2-normalised.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use serde::Deserialize;
use tokenizers::{Encoding, Tokenizer};

use super::{normalise, Embedder, ModelInfo, Pooling, PreparedText, Preparer, TextKind};
use crate::error::{io_err, Error, Result};

/// Tokens shared by neighbouring windows of a long text, so no sentence is cut without context.
const WINDOW_OVERLAP: usize = 64;
/// Tokens run through the model at once, counted as batch × longest window (what candle's graph
/// pads to; the fused engine, which does not pad, runs at most as many): bounds the memory of one
/// forward pass while keeping batches large.
const MAX_TOKENS_PER_FORWARD: usize = 4096;
/// Windows run through the model at once, at most.
const MAX_WINDOWS_PER_FORWARD: usize = 64;

/// Optional `jobmatch-model.toml` in a model directory.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettingsFile {
    pub name: Option<String>,
    pub pooling: Option<Pooling>,
    pub query_prefix: Option<String>,
    pub passage_prefix: Option<String>,
    pub max_tokens: Option<usize>,
    /// Cosine similarity of unrelated texts under this model (normalised to 0 by default).
    pub similarity_floor: Option<f64>,
    /// Cosine similarity of closely related texts (normalised to 1 by default).
    pub similarity_ceiling: Option<f64>,
    /// Which forward pass runs the model (default: `fused`).
    pub engine: Option<EngineKind>,
    /// Fused engine: int8 weights for short inputs (queries), f32 for batches. Off by default:
    /// see BENCHMARKS.md (embedding section) for what it costs in agreement and gains in speed.
    pub int8_short_inputs: Option<bool>,
}

/// The forward pass that runs a model directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    /// jobmatch's own encoder (`kernels/`): no padding, fused steps, AVX-512 matmuls.
    #[default]
    Fused,
    /// candle's BERT graph (`candle_transformers::models::bert`): the reference the fused pass
    /// is tested against.
    Candle,
}

/// A loaded forward pass (one per embedder, so the variants' sizes do not matter).
#[allow(clippy::large_enum_variant)]
enum Engine {
    Fused {
        encoder: jobmatch_kernels::Encoder,
        scratch: jobmatch_kernels::Scratch,
    },
    Candle(Box<BertModel>),
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
}

pub struct BertEmbedder {
    engine: Engine,
    hidden: usize,
    intermediate: usize,
    layers: usize,
    /// Texts to token windows; shared with the callers' threads (see [`Preparer`]).
    preparer: Arc<BertPreparer>,
    pad_id: u32,
    info: ModelInfo,
}

fn read_file(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| {
        Error::Io(format!(
            "model directory {}: cannot read {name}: {e}",
            dir.display()
        ))
    })
}

fn optional_json<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str) -> Result<Option<T>> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = read_file(dir, name)?;
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Error::Io(format!(
            "model directory {}: {name} is not valid: {e}",
            dir.display()
        ))
    })
}

impl BertEmbedder {
    /// Loads a model directory with the engine its settings name (default: fused), checking
    /// everything a forward pass relies on before returning.
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with(dir, None)
    }

    /// As [`Self::load`], with `engine` overriding the model directory's choice.
    pub fn load_with(dir: &Path, engine: Option<EngineKind>) -> Result<Self> {
        Self::load_tuned(dir, engine, None)
    }

    /// As [`Self::load_with`], `int8_short_inputs` also overriding the directory's choice.
    pub fn load_tuned(
        dir: &Path,
        engine: Option<EngineKind>,
        int8_short_inputs: Option<bool>,
    ) -> Result<Self> {
        let (config, position_offset) = read_config(dir)?;
        let settings = Self::settings(dir)?;
        let name = settings.name.clone().unwrap_or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "model".into())
        });
        let pooling = match settings.pooling {
            Some(pooling) => pooling,
            None => match optional_json::<PoolingConfig>(dir, "1_Pooling/config.json")? {
                Some(p) if p.pooling_mode_cls_token => Pooling::Cls,
                _ => Pooling::Mean,
            },
        };
        let max_tokens = match settings.max_tokens {
            Some(n) => n,
            None => optional_json::<SentenceBertConfig>(dir, "sentence_bert_config.json")?
                .and_then(|c| c.max_seq_length)
                .unwrap_or(config.max_position_embeddings),
        }
        .min(config.max_position_embeddings);
        if max_tokens <= WINDOW_OVERLAP + 8 {
            return Err(model_error(
                dir,
                format!("max_tokens {max_tokens} is too small"),
            ));
        }
        let tokenizer = read_tokenizer(dir, config.vocab_size)?;
        let weights = dir.join("model.safetensors");
        if !weights.exists() {
            return Err(model_error(dir, "model.safetensors is missing"));
        }
        let engine_kind = engine.or(settings.engine).unwrap_or_default();
        let int8 = int8_short_inputs
            .or(settings.int8_short_inputs)
            .unwrap_or(false);
        let engine = load_engine(dir, &config, position_offset, engine_kind, int8)?;
        let info = ModelInfo {
            name,
            dimension: config.hidden_size,
            max_tokens,
            pooling,
            query_prefix: settings.query_prefix.clone().unwrap_or_default(),
            passage_prefix: settings.passage_prefix.clone().unwrap_or_default(),
            weights_sha256: sha256_file(&weights)?,
            similarity_band: similarity_band(dir, &settings)?,
        };
        let preparer = Arc::new(BertPreparer {
            tokenizer,
            query_prefix: info.query_prefix.clone(),
            passage_prefix: info.passage_prefix.clone(),
            max_tokens: info.max_tokens,
        });
        let mut embedder = Self {
            engine,
            preparer,
            hidden: config.hidden_size,
            intermediate: config.intermediate_size,
            layers: config.num_hidden_layers,
            pad_id: u32::try_from(config.pad_token_id).unwrap_or(0),
            info,
        };
        // Warm up (and prove the weights run) before anyone is told the model is ready.
        embedder.embed(&["warm-up".to_string()], TextKind::Query)?;
        Ok(embedder)
    }

    /// The forward pass this embedder runs.
    pub fn engine(&self) -> EngineKind {
        match self.engine {
            Engine::Fused { .. } => EngineKind::Fused,
            Engine::Candle(_) => EngineKind::Candle,
        }
    }

    /// Tokens the model sees for `text` (with prefix and special tokens), over all windows.
    pub fn count_tokens(&self, text: &str, kind: TextKind) -> Result<usize> {
        Ok(self
            .preparer
            .prepare(std::slice::from_ref(&text.to_string()), kind)?
            .remove(0)
            .tokens())
    }

    /// Approximate forward FLOP per token: 2 × encoder weights (the embedding table is a lookup).
    /// Attention's own FLOP grow with length and are left out, so this slightly understates.
    pub fn flops_per_token(&self) -> f64 {
        let (h, ff, layers) = (
            self.hidden as f64,
            self.intermediate as f64,
            self.layers as f64,
        );
        2.0 * layers * (4.0 * h * h + 2.0 * h * ff)
    }

    fn settings(dir: &Path) -> Result<ModelSettingsFile> {
        let path = dir.join("jobmatch-model.toml");
        if !path.exists() {
            return Ok(ModelSettingsFile::default());
        }
        let text = std::fs::read_to_string(&path).map_err(io_err("read", &path))?;
        toml::from_str(&text)
            .map_err(|e| Error::Io(format!("{} is not valid: {e}", path.display())))
    }

    /// Runs one batch of token windows; returns one normalised vector per window.
    fn forward(&mut self, windows: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let mut vectors = match &mut self.engine {
            Engine::Fused { encoder, scratch } => {
                let pool = match self.info.pooling {
                    Pooling::Cls => jobmatch_kernels::Pool::Cls,
                    Pooling::Mean => jobmatch_kernels::Pool::Mean,
                };
                encoder
                    .forward(windows, pool, scratch)
                    .map_err(Error::Embedding)?
            }
            Engine::Candle(model) => candle_forward(model, windows, self.pad_id, self.info.pooling)
                .map_err(|e| Error::Embedding(e.to_string()))?,
        };
        vectors.iter_mut().for_each(|v| normalise(v));
        Ok(vectors)
    }
}

/// candle's graph over one batch padded to its longest window; pooled, not normalised.
fn candle_forward(
    model: &BertModel,
    windows: &[&[u32]],
    pad_id: u32,
    pooling: Pooling,
) -> candle_core::Result<Vec<Vec<f32>>> {
    let device = Device::Cpu;
    let longest = windows.iter().map(|w| w.len()).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(windows.len() * longest);
    let mut mask = Vec::with_capacity(windows.len() * longest);
    for window in windows {
        ids.extend_from_slice(window);
        ids.extend(std::iter::repeat_n(pad_id, longest - window.len()));
        mask.extend(std::iter::repeat_n(1u32, window.len()));
        mask.extend(std::iter::repeat_n(0u32, longest - window.len()));
    }
    let shape = (windows.len(), longest);
    let input_ids = Tensor::from_vec(ids, shape, &device)?;
    let attention_mask = Tensor::from_vec(mask, shape, &device)?;
    let token_type_ids = input_ids.zeros_like()?;
    let hidden = model.forward(&input_ids, &token_type_ids, Some(&attention_mask))?;
    let pooled = match pooling {
        Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
        Pooling::Mean => {
            let mask = attention_mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?;
            summed.broadcast_div(&counts)?
        }
    };
    pooled.to_vec2::<f32>()
}

/// The fused encoder's view of a BERT config.
/// An error about the model directory `dir`, naming it.
fn model_error(dir: &Path, what: impl std::fmt::Display) -> Error {
    Error::Io(format!("model directory {}: {what}", dir.display()))
}

/// config.json as candle's BERT reads it, and how many position rows its model type reserves.
fn read_config(dir: &Path) -> Result<(BertConfig, usize)> {
    let config_bytes = read_file(dir, "config.json")?;
    let raw_config: serde_json::Value = serde_json::from_slice(&config_bytes)
        .map_err(|e| model_error(dir, format!("config.json is not JSON: {e}")))?;
    let model_type = raw_config
        .get("model_type")
        .and_then(|v| v.as_str())
        .unwrap_or("bert");
    let position_offset =
        position_offset(model_type, &raw_config).map_err(|reason| model_error(dir, reason))?;
    let mut config: BertConfig = serde_json::from_value(raw_config.clone())
        .map_err(|e| model_error(dir, format!("config.json lacks BERT fields: {e}")))?;
    // The weights are named `embeddings.*` / `encoder.*` whatever the original model type.
    config.model_type = Some("bert".into());
    // RoBERTa's first `position_offset` rows are never used for a real token (see
    // `position_offset`): dropped at load, so the graph's positions 0, 1, … read the rows
    // the reference implementation reads.
    if config.max_position_embeddings <= position_offset {
        return Err(model_error(
            dir,
            format!(
                "max_position_embeddings {} leaves no position after the {position_offset} that \
                 {model_type} reserves",
                config.max_position_embeddings
            ),
        ));
    }
    config.max_position_embeddings -= position_offset;
    Ok((config, position_offset))
}

/// tokenizer.json, checked against the model's vocabulary, with its fixed padding and
/// truncation removed.
fn read_tokenizer(dir: &Path, vocab_size: usize) -> Result<Tokenizer> {
    let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
        .map_err(|e| model_error(dir, format!("tokenizer.json: {e}")))?;
    check_vocabulary(&tokenizer, vocab_size).map_err(|reason| model_error(dir, reason))?;
    // Model tokenizer files often pin padding and truncation to a fixed length (all-MiniLM-L6-v2:
    // 128): we pad per batch ourselves and split long texts into windows instead of cutting them.
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(None)
        .map_err(|e| model_error(dir, format!("tokenizer truncation: {e}")))?;
    Ok(tokenizer)
}

/// The weights, loaded into the chosen forward pass.
fn load_engine(
    dir: &Path,
    config: &BertConfig,
    position_offset: usize,
    kind: EngineKind,
    int8_short_inputs: bool,
) -> Result<Engine> {
    let device = Device::Cpu;
    let tensors = load_weights(
        &dir.join("model.safetensors"),
        position_offset,
        kind,
        &device,
    )
    .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
    let misfit = |e: &dyn std::fmt::Display| {
        model_error(dir, format!("weights do not fit config.json: {e}"))
    };
    Ok(match kind {
        EngineKind::Fused => Engine::Fused {
            encoder: jobmatch_kernels::Encoder::load(
                jobmatch_kernels::EncoderConfig {
                    int8_short_inputs,
                    ..encoder_config(config)
                },
                &mut TensorSource(tensors),
            )
            .map_err(|e| misfit(&e))?,
            scratch: Default::default(),
        },
        EngineKind::Candle => {
            let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
            Engine::Candle(Box::new(
                BertModel::load(vb, config).map_err(|e| misfit(&e))?,
            ))
        }
    })
}

/// The model's similarity band from jobmatch-model.toml: both ends or neither.
fn similarity_band(dir: &Path, settings: &ModelSettingsFile) -> Result<Option<(f64, f64)>> {
    match (settings.similarity_floor, settings.similarity_ceiling) {
        (Some(floor), Some(ceiling)) if floor.is_finite() && ceiling > floor => {
            Ok(Some((floor, ceiling)))
        }
        (None, None) => Ok(None),
        (floor, ceiling) => Err(model_error(
            dir,
            format!(
                "jobmatch-model.toml needs both similarity_floor and similarity_ceiling, the floor \
                 below the ceiling (got {floor:?}, {ceiling:?})"
            ),
        )),
    }
}

fn encoder_config(config: &BertConfig) -> jobmatch_kernels::EncoderConfig {
    use candle_transformers::models::bert::HiddenAct;
    jobmatch_kernels::EncoderConfig {
        hidden: config.hidden_size,
        heads: config.num_attention_heads,
        intermediate: config.intermediate_size,
        layers: config.num_hidden_layers,
        vocabulary: config.vocab_size,
        positions: config.max_position_embeddings,
        layer_norm_eps: config.layer_norm_eps as f32,
        activation: match config.hidden_act {
            HiddenAct::Gelu => jobmatch_kernels::Activation::Gelu,
            HiddenAct::GeluApproximate => jobmatch_kernels::Activation::GeluTanh,
            HiddenAct::Relu => jobmatch_kernels::Activation::Relu,
        },
        int8_short_inputs: false,
    }
}

/// Hands the loaded tensors to the fused encoder, each as f32 data and its shape; each is taken
/// out of the map as it is read, so the weights are never held twice.
struct TensorSource(HashMap<String, Tensor>);

impl jobmatch_kernels::WeightSource for TensorSource {
    fn get(&mut self, name: &str) -> std::result::Result<(Vec<f32>, Vec<usize>), String> {
        let tensor = self
            .0
            .remove(name)
            .or_else(|| self.0.remove(&format!("bert.{name}")))
            .ok_or_else(|| format!("no tensor {name}"))?;
        let shape = tensor.dims().to_vec();
        let data = tensor
            .flatten_all()
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(|e| format!("{name}: {e}"))?;
        Ok((data, shape))
    }
}

/// Where a model type's position ids start for the first real token.
///
/// BERT numbers positions from 0. RoBERTa and XLM-RoBERTa (multilingual-e5-base and -large)
/// number them from `pad_token_id + 1` (transformers' `create_position_ids_from_input_ids`), so
/// loading one into a BERT graph unchanged gives wrong vectors without any error. Any other
/// architecture is refused: jobmatch runs a BERT graph and cannot tell what else would differ.
fn position_offset(
    model_type: &str,
    config: &serde_json::Value,
) -> std::result::Result<usize, String> {
    match model_type {
        "bert" => Ok(0),
        "xlm-roberta" | "roberta" => {
            let pad = config.get("pad_token_id").and_then(|v| v.as_u64()).ok_or_else(|| {
                format!("config.json of a {model_type} model needs pad_token_id (its positions start after it)")
            })?;
            Ok(pad as usize + 1)
        }
        other => Err(format!(
            "unsupported model_type '{other}': jobmatch runs BERT, RoBERTa and XLM-RoBERTa encoders \
             (model_type bert, roberta or xlm-roberta in config.json)"
        )),
    }
}

/// Reads the weights as F32, under BERT's names (a `roberta.` prefix is dropped) and with the
/// first `position_offset` rows of the position table left out (see [`position_offset`]).
///
/// For candle's graph, every encoder matrix is stored transposed (`[in, out]` in memory, presented
/// as the usual `[out, in]` view), because candle's `Linear` multiplies by `weight.t()`: with this layout that
/// operand reaches `gemm` already in the order its kernels read, so the matrix is not re-packed on
/// every call. Re-packing was a third of a short query's time.
fn load_weights(
    path: &Path,
    position_offset: usize,
    engine: EngineKind,
    device: &Device,
) -> candle_core::Result<HashMap<String, Tensor>> {
    // SAFETY: the weight file is opened read-only and not modified while loaded; each tensor is
    // copied out (converted to F32) before the mapping is dropped.
    let file = unsafe { candle_core::safetensors::MmapedSafetensors::new(path)? };
    let mut tensors = HashMap::new();
    for (stored_name, _) in file.tensors() {
        let mut tensor = file.load(&stored_name, device)?.to_dtype(DType::F32)?;
        let name = stored_name
            .strip_prefix("roberta.")
            .unwrap_or(&stored_name)
            .to_string();
        if engine == EngineKind::Candle
            && name.contains("encoder.")
            && name.ends_with(".weight")
            && tensor.rank() == 2
        {
            tensor = tensor.t()?.contiguous()?.t()?;
        }
        if name == "embeddings.position_embeddings.weight" && position_offset > 0 {
            let rows = tensor.dim(0)?.saturating_sub(position_offset);
            tensor = tensor.narrow(0, position_offset, rows)?.contiguous()?;
        }
        tensors.insert(name, tensor);
    }
    Ok(tensors)
}

/// A tokenizer may not produce ids beyond the embedding table (candle would fail mid-request).
pub(crate) fn check_vocabulary(
    tokenizer: &Tokenizer,
    embedding_rows: usize,
) -> std::result::Result<(), String> {
    let vocab = tokenizer.get_vocab_size(true);
    if vocab > embedding_rows {
        return Err(format!(
            "the tokenizer has {vocab} tokens but the embedding table only {embedding_rows} rows"
        ));
    }
    Ok(())
}

/// Hex SHA-256 of a file, read in chunks (the weights are hundreds of MB).
fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let io = |e: std::io::Error| Error::Io(format!("cannot read {}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Splits an encoding (with its special tokens) into windows of at most `max_tokens`, each keeping
/// the leading and trailing special tokens (`[CLS] … [SEP]`, `<s> … </s>`) and sharing `overlap`
/// content tokens with its neighbour. A text that fits is one window, unchanged.
pub fn split_into_windows(encoding: &Encoding, max_tokens: usize, overlap: usize) -> Vec<Vec<u32>> {
    split_ids(
        encoding.get_ids(),
        encoding.get_special_tokens_mask(),
        max_tokens,
        overlap,
    )
}

fn split_ids(ids: &[u32], special: &[u32], max_tokens: usize, overlap: usize) -> Vec<Vec<u32>> {
    if ids.len() <= max_tokens {
        return vec![ids.to_vec()];
    }
    let lead = special.iter().take_while(|&&m| m == 1).count();
    let trail = special
        .iter()
        .rev()
        .take_while(|&&m| m == 1)
        .count()
        .min(ids.len() - lead);
    let (head, content, tail) = (
        &ids[..lead],
        &ids[lead..ids.len() - trail],
        &ids[ids.len() - trail..],
    );
    let room = max_tokens.saturating_sub(lead + trail).max(1);
    let step = room.saturating_sub(overlap).max(1);
    let mut windows = Vec::new();
    let mut start = 0;
    loop {
        let end = (start + room).min(content.len());
        windows.push([head, &content[start..end], tail].concat());
        if end == content.len() {
            return windows;
        }
        start += step;
    }
}

/// Groups window indices (sorted by length, shortest first) into forward batches whose padded size
/// (count × longest) stays within [`MAX_TOKENS_PER_FORWARD`].
fn forward_batches(sorted: &[usize], len: impl Fn(usize) -> usize) -> Vec<&[usize]> {
    let mut batches = Vec::new();
    let mut start = 0;
    for end in 1..=sorted.len() {
        let longest = len(sorted[end - 1]);
        let count = end - start;
        if count > 1
            && (count * longest > MAX_TOKENS_PER_FORWARD || count > MAX_WINDOWS_PER_FORWARD)
        {
            batches.push(&sorted[start..end - 1]);
            start = end - 1;
        }
    }
    if start < sorted.len() {
        batches.push(&sorted[start..]);
    }
    batches
}

/// Tokenises and windows texts for a [`BertEmbedder`]; `Sync`, so request threads do it before
/// a request reaches the inference thread.
struct BertPreparer {
    tokenizer: Tokenizer,
    query_prefix: String,
    passage_prefix: String,
    max_tokens: usize,
}

impl Preparer for BertPreparer {
    fn prepare(&self, texts: &[String], kind: TextKind) -> Result<Vec<PreparedText>> {
        let prefix = match kind {
            TextKind::Query => &self.query_prefix,
            TextKind::Passage => &self.passage_prefix,
        };
        let inputs: Vec<String> = texts.iter().map(|t| format!("{prefix}{t}")).collect();
        let encodings = self
            .tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| Error::Embedding(format!("tokenisation failed: {e}")))?;
        Ok(encodings
            .iter()
            .map(|encoding| PreparedText {
                windows: split_into_windows(encoding, self.max_tokens, WINDOW_OVERLAP),
            })
            .collect())
    }
}

impl Embedder for BertEmbedder {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn token_counts(&self, texts: &[String], kind: TextKind) -> Result<Vec<usize>> {
        Ok(self
            .preparer
            .prepare(texts, kind)?
            .iter()
            .map(PreparedText::tokens)
            .collect())
    }

    fn preparer(&self) -> Option<Arc<dyn Preparer>> {
        Some(self.preparer.clone())
    }

    fn embed(&mut self, texts: &[String], kind: TextKind) -> Result<Vec<Vec<f32>>> {
        let prepared = self.preparer.prepare(texts, kind)?;
        self.embed_prepared(&prepared)
    }

    fn embed_prepared(&mut self, texts: &[PreparedText]) -> Result<Vec<Vec<f32>>> {
        // (text index, token ids) for every window of every text.
        let windows: Vec<(usize, &[u32])> = texts
            .iter()
            .enumerate()
            .flat_map(|(i, text)| text.windows.iter().map(move |w| (i, w.as_slice())))
            .collect();
        // Similar lengths together: less padding per batch (candle's graph pads).
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&i| windows[i].1.len());

        let dimension = self.info.dimension;
        let mut sums = vec![vec![0f32; dimension]; texts.len()];
        for chunk in forward_batches(&order, |i| windows[i].1.len()) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| windows[i].1).collect();
            let vectors = self.forward(&batch)?;
            for (&i, vector) in chunk.iter().zip(vectors) {
                let (text_index, ids) = windows[i];
                let weight = ids.len() as f32;
                for (sum, x) in sums[text_index].iter_mut().zip(vector) {
                    *sum += weight * x;
                }
            }
        }
        sums.iter_mut().for_each(|v| normalise(v));
        Ok(sums)
    }
}

#[cfg(test)]
mod tests {
    use super::{forward_batches, split_ids, MAX_TOKENS_PER_FORWARD, MAX_WINDOWS_PER_FORWARD};

    #[test]
    fn forward_batches_respect_the_token_budget_and_keep_every_window() {
        let lengths: Vec<usize> = (0..300).map(|i| 5 + (i * 7) % 512).collect();
        let mut order: Vec<usize> = (0..lengths.len()).collect();
        order.sort_by_key(|&i| lengths[i]);
        let batches = forward_batches(&order, |i| lengths[i]);
        let flat: Vec<usize> = batches.iter().flat_map(|b| b.iter().copied()).collect();
        assert_eq!(flat, order);
        for b in &batches {
            let longest = b.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(
                b.len() == 1
                    || (b.len() * longest <= MAX_TOKENS_PER_FORWARD
                        && b.len() <= MAX_WINDOWS_PER_FORWARD)
            );
        }
    }
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn windows_fit_keep_special_tokens_and_cover_the_text(len in 0usize..2000, max in 16usize..600, overlap in 0usize..64) {
            // [CLS]=1 content… [SEP]=2, content ids from 10.
            let mut ids = vec![1u32];
            ids.extend((0..len as u32).map(|i| i + 10));
            ids.push(2);
            let mut mask = vec![0u32; ids.len()];
            mask[0] = 1;
            *mask.last_mut().unwrap() = 1;
            let windows = split_ids(&ids, &mask, max, overlap);
            let mut next_unseen = 10u32;
            for w in &windows {
                prop_assert!(w.len() <= max.max(3));
                prop_assert_eq!(w[0], 1);
                prop_assert_eq!(*w.last().unwrap(), 2);
                let content = &w[1..w.len() - 1];
                if let Some(first) = content.first() {
                    prop_assert!(*first <= next_unseen, "gap before {}", first);
                    prop_assert!(content.windows(2).all(|p| p[1] == p[0] + 1));
                    next_unseen = next_unseen.max(content.last().unwrap() + 1);
                }
            }
            prop_assert_eq!(next_unseen, len as u32 + 10, "content not fully covered");
        }
    }
}
