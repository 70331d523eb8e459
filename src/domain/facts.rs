//! What ranking reads of a stored record ([`CandidateFacts`]), decoded from the few payload
//! fields a store returns for a candidate (`store::plan::RANKING_FIELDS`), never from the whole
//! record: a recommendation scores hundreds of candidates and reads the records of the few it
//! returns.

use serde_json::{Map, Value};

use super::{fields, GeoPoint};
use crate::error::{Error, Result};

/// A candidate's facts for scoring: place, skills, and the side-specific fields (a posting's
/// sector and certification, a seeker's commute); fields of the other side stay empty.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateFacts {
    /// The record's id.
    pub id: String,
    pub point: GeoPoint,
    pub sido_code: String,
    pub skill_keys: Vec<String>,
    /// A posting's normalised sector (`sector_key`).
    pub sector_key: String,
    pub certified_company: bool,
    /// A seeker's stated max commute.
    pub max_commute_km: Option<f64>,
}

impl CandidateFacts {
    /// Reads the facts out of a stored payload (whole or only the ranking fields).
    pub fn of(payload: &Map<String, Value>) -> Result<Self> {
        let geo = payload.get(fields::GEO);
        let coordinate = |key: &str| geo.and_then(|g| g.get(key)).and_then(Value::as_f64);
        let (Some(lat), Some(lon)) = (coordinate("lat"), coordinate("lon")) else {
            return Err(Error::Store("stored point has no location".into()));
        };
        let text = |key: &str| {
            payload
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let skill_keys = match payload.get(fields::SKILL_KEYS) {
            Some(Value::Array(keys)) => keys
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        let max_commute_km = payload
            .get(fields::RECORD)
            .and_then(|record| record.get("max_commute_km"))
            .and_then(Value::as_f64);
        let id = payload
            .get(super::fields::RECORD_ID)
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Store("stored point has no id field".into()))?
            .to_string();
        Ok(Self {
            id,
            point: GeoPoint { lat, lon },
            sido_code: text(fields::SIDO_CODE),
            skill_keys,
            sector_key: text(fields::SECTOR),
            certified_company: payload
                .get(fields::CERTIFIED)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            max_commute_km,
        })
    }
}
