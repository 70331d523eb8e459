//! Validated domain records: what the use cases work with, independent of the wire format.
//!
//! A record is stored as the JSON payload of a Qdrant point (see [`Posting::payload`]); the payload
//! also carries the derived fields the store filters on.

mod facts;
pub mod geo;
mod language;
pub mod programmes;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// Mean Earth radius in km (IUGG), the same constant Qdrant's haversine uses.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two WGS84 points, in km.
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// WGS84 coordinates in degrees, always in range and finite once constructed through [`GeoPoint::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Result<Self> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(Error::invalid(
                "lat",
                format!("{lat} is not a latitude in [-90, 90]"),
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::invalid(
                "lon",
                format!("{lon} is not a longitude in [-180, 180]"),
            ));
        }
        Ok(Self { lat, lon })
    }
}

/// A location as the client gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationInput {
    Coordinates(GeoPoint),
    Region(String),
}

/// A resolved location: the point used for distances and the region it lies in (for display and filters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub input: LocationInput,
    pub point: GeoPoint,
    /// Sigungu (or sido) code of the region, when known.
    pub region_code: String,
    /// Two-digit sido code, when known.
    pub sido_code: String,
    /// e.g. "경기도 화성시".
    pub region_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    #[default]
    Unspecified,
    FullTime,
    PartTime,
    Contract,
    Internship,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EducationTrack {
    #[default]
    Unspecified,
    SpecialisedHighSchool,
    JuniorCollege,
    VocationalSchool,
    University,
    MilitaryService,
}

impl EmploymentType {
    pub fn as_key(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::FullTime => "full_time",
            Self::PartTime => "part_time",
            Self::Contract => "contract",
            Self::Internship => "internship",
        }
    }
}

impl EducationTrack {
    pub fn as_key(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::SpecialisedHighSchool => "specialised_high_school",
            Self::JuniorCollege => "junior_college",
            Self::VocationalSchool => "vocational_school",
            Self::University => "university",
            Self::MilitaryService => "military_service",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub title: String,
    pub description: String,
    pub skills: Vec<String>,
    pub place: Place,
    pub openings: u32,
    pub sector: String,
    pub employment_type: EmploymentType,
    pub certified_company: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seeker {
    pub id: String,
    pub display_name: String,
    pub headline: String,
    pub resume: String,
    pub skills: Vec<String>,
    pub home: Place,
    pub max_commute_km: Option<f64>,
    pub education_track: EducationTrack,
    pub birth_year: Option<u32>,
    /// ISO date.
    pub available_from: Option<String>,
    /// ISO date of (expected) military discharge.
    #[serde(default)]
    pub discharge_date: Option<String>,
    /// Mean answers (1–5) of the interest inventory per Holland type, in RIASEC order, when the
    /// seeker took it (AssessInterests). Kept with the record, so a delete erases it; an upsert
    /// that does not carry it keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<[f64; 6]>,
}

/// The current calendar year (UTC): ages and birth-year checks are by year.
pub fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

/// Sector keys counted as manufacturing (the demo and most centres write "manufacturing" or 제조).
pub fn is_manufacturing(sector: &str) -> bool {
    is_manufacturing_key(&normalise_key(sector))
}

/// [`is_manufacturing`] of a key already normalised (the payload's `sector_key`).
pub fn is_manufacturing_key(key: &str) -> bool {
    MANUFACTURING_KEYS.contains(&key)
}

const MANUFACTURING_KEYS: [&str; 3] = ["manufacturing", "제조", "제조업"];

/// Payload keys the store indexes and filters on.
pub use facts::CandidateFacts;
pub use language::Language;

pub mod fields {
    /// `{lat, lon}` of the posting's workplace or the seeker's home.
    pub const GEO: &str = "geo";
    pub const SIDO_CODE: &str = "sido_code";
    /// Skill class keys (see `ranking::skills`, which builds them): a posting's required skills, the skills a
    /// seeker has (listed, or named in the text).
    pub const SKILL_KEYS: &str = "skill_keys";
    pub const SECTOR: &str = "sector_key";
    pub const EMPLOYMENT_TYPE: &str = "employment_type";
    pub const CERTIFIED: &str = "certified_company";
    pub const EDUCATION_TRACK: &str = "education_track";
    pub const BIRTH_YEAR: &str = "birth_year";
    /// Available-from date as the integer YYYYMMDD (0 when not stated: available now).
    pub const AVAILABLE_DAY: &str = "available_day";
    /// Discharge date as YYYYMMDD (0: not in military service).
    pub const DISCHARGE_DAY: &str = "discharge_day";
    /// The seeker's max commute rounded down to one of [`super::COMMUTE_BUCKETS_KM`] (0: not stated).
    pub const COMMUTE_BUCKET: &str = "commute_bucket_km";
    /// The whole domain record, from which Get and re-indexing read.
    pub const RECORD: &str = "record";
    /// The record's id, as every stored point carries it.
    pub const RECORD_ID: &str = "id";
    /// A seeker's exact max commute inside [`RECORD`] (a path: ranking reads it alone).
    pub const RECORD_COMMUTE_KM: &str = "record.max_commute_km";
}

/// The distances a seeker's stated max commute is rounded down to, so "within the seeker's own
/// commute" can be a filter inside the store: one geo-radius condition per bucket.
pub const COMMUTE_BUCKETS_KM: [u32; 18] = [
    1, 2, 3, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300,
];

/// The bucket of a stated max commute (0 when not stated): the largest bucket not above it, and
/// at least the smallest, so a seeker is never proposed farther than they said (beyond 1 km).
pub fn commute_bucket(max_commute_km: Option<f64>) -> u32 {
    match max_commute_km {
        None => 0,
        Some(km) => COMMUTE_BUCKETS_KM
            .iter()
            .copied()
            .filter(|&b| f64::from(b) <= km)
            .max()
            .unwrap_or(COMMUTE_BUCKETS_KM[0]),
    }
}

fn geo_json(point: GeoPoint) -> Value {
    json!({ "lat": point.lat, "lon": point.lon })
}

impl Posting {
    /// The text embedded for this posting: what a seeker would read.
    pub fn embedding_text(&self) -> String {
        let mut parts = vec![self.title.clone()];
        if !self.skills.is_empty() {
            parts.push(self.skills.join(", "));
        }
        parts.push(self.description.clone());
        parts.join("\n")
    }

    pub fn payload(&self) -> Result<Map<String, Value>> {
        let mut map = Map::new();
        map.insert(fields::GEO.into(), geo_json(self.place.point));
        map.insert(fields::SIDO_CODE.into(), json!(self.place.sido_code));
        map.insert(fields::SECTOR.into(), json!(normalise_key(&self.sector)));
        map.insert(
            fields::EMPLOYMENT_TYPE.into(),
            json!(self.employment_type.as_key()),
        );
        map.insert(fields::CERTIFIED.into(), json!(self.certified_company));
        map.insert(fields::RECORD.into(), to_json(self)?);
        Ok(map)
    }
}

impl Seeker {
    /// The text embedded for this seeker: headline, skills and resume.
    pub fn embedding_text(&self) -> String {
        let mut parts = vec![self.headline.clone()];
        if !self.skills.is_empty() {
            parts.push(self.skills.join(", "));
        }
        parts.push(self.resume.clone());
        parts.join("\n")
    }

    pub fn payload(&self) -> Result<Map<String, Value>> {
        let mut map = Map::new();
        map.insert(fields::GEO.into(), geo_json(self.home.point));
        map.insert(fields::SIDO_CODE.into(), json!(self.home.sido_code));
        map.insert(
            fields::EDUCATION_TRACK.into(),
            json!(self.education_track.as_key()),
        );
        map.insert(
            fields::BIRTH_YEAR.into(),
            json!(self.birth_year.unwrap_or(0)),
        );
        let day = self
            .available_from
            .as_deref()
            .map(date_key)
            .transpose()?
            .unwrap_or(0);
        map.insert(fields::AVAILABLE_DAY.into(), json!(day));
        let discharge = self
            .discharge_date
            .as_deref()
            .map(date_key)
            .transpose()?
            .unwrap_or(0);
        map.insert(fields::DISCHARGE_DAY.into(), json!(discharge));
        map.insert(
            fields::COMMUTE_BUCKET.into(),
            json!(commute_bucket(self.max_commute_km)),
        );
        map.insert(fields::RECORD.into(), to_json(self)?);
        Ok(map)
    }
}

fn to_json<T: Serialize>(record: &T) -> Result<Value> {
    serde_json::to_value(record).map_err(|e| Error::Store(format!("cannot encode record: {e}")))
}

/// Reads the domain record back out of a stored payload.
pub fn from_payload<T: for<'de> Deserialize<'de>>(payload: &Map<String, Value>) -> Result<T> {
    let record = payload
        .get(fields::RECORD)
        .ok_or_else(|| Error::Store("stored point has no record".into()))?;
    // Deserialised from the borrowed value: no copy of the record (a request reads thousands).
    T::deserialize(record).map_err(|e| Error::Store(format!("cannot decode stored record: {e}")))
}

/// Lower-case, single-spaced key for case-insensitive keyword matches ("Manufacturing " → "manufacturing").
pub fn normalise_key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Checks a request's date range: each bound an ISO date (naming `from` or `to`), `from` not
/// after `to`.
pub fn check_date_range(from: Option<&str>, to: Option<&str>) -> Result<()> {
    for (field, date) in [("from", from), ("to", to)] {
        if let Some(d) = date {
            date_key(d).map_err(|_| {
                Error::invalid(field, format!("'{d}' is not an ISO date (YYYY-MM-DD)"))
            })?;
        }
    }
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::invalid("to", format!("{t} is before from ({f})")));
        }
    }
    Ok(())
}

/// Parses an ISO date (YYYY-MM-DD) into the integer YYYYMMDD used for range filters.
pub fn date_key(date: &str) -> Result<i64> {
    let parsed = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| Error::invalid("date", format!("'{date}' is not an ISO date (YYYY-MM-DD)")))?;
    use chrono::Datelike;
    Ok(i64::from(parsed.year()) * 10_000
        + i64::from(parsed.month()) * 100
        + i64::from(parsed.day()))
}

/// Limits on what a request may carry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest text field, in bytes.
    pub max_text_bytes: usize,
    /// Largest upsert batch.
    pub max_batch: usize,
    /// Largest `top_k`.
    pub max_top_k: usize,
    /// Most postings one MatchRegion request may plan.
    pub max_region_postings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_text_bytes: 32 * 1024,
            max_batch: 1000,
            max_top_k: 200,
            max_region_postings: 500,
        }
    }
}

impl Limits {
    /// A required text: not empty, not only whitespace or control characters, within the byte limit.
    pub fn required_text(&self, field: &str, value: &str) -> Result<()> {
        if value.chars().all(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid(
                field,
                "must not be empty or only whitespace",
            ));
        }
        self.optional_text(field, value)
    }

    pub fn optional_text(&self, field: &str, value: &str) -> Result<()> {
        if value.len() > self.max_text_bytes {
            return Err(Error::invalid(
                field,
                format!(
                    "is {} bytes, over the limit of {} bytes",
                    value.len(),
                    self.max_text_bytes
                ),
            ));
        }
        Ok(())
    }

    /// A record id: non-empty, printable, at most 128 bytes.
    pub fn id(&self, field: &str, value: &str) -> Result<()> {
        if value.trim().is_empty() {
            return Err(Error::invalid(field, "must not be empty"));
        }
        if value.len() > 128 || value.chars().any(char::is_control) {
            return Err(Error::invalid(
                field,
                "must be at most 128 bytes of printable text",
            ));
        }
        Ok(())
    }

    pub fn top_k(&self, top_k: u32) -> Result<usize> {
        let top_k = top_k as usize;
        if top_k == 0 || top_k > self.max_top_k {
            return Err(Error::invalid(
                "options.top_k",
                format!("must be in 1..={}, got {top_k}", self.max_top_k),
            ));
        }
        Ok(top_k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_range_checked() {
        assert!(GeoPoint::new(37.5, 127.0).is_ok());
        for (lat, lon) in [
            (91.0, 0.0),
            (-90.1, 0.0),
            (0.0, 180.5),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
        ] {
            assert!(
                matches!(GeoPoint::new(lat, lon), Err(Error::InvalidArgument { .. })),
                "{lat},{lon}"
            );
        }
    }

    #[test]
    fn texts_must_carry_something_and_stay_within_the_limit() {
        let limits = Limits {
            max_text_bytes: 10,
            ..Limits::default()
        };
        assert!(limits.required_text("title", "용접").is_ok());
        assert!(limits.required_text("title", " \t\n\u{0007} ").is_err());
        assert!(limits.required_text("title", "").is_err());
        let err = limits.required_text("title", "용접용접용접").unwrap_err();
        assert!(err.to_string().contains("title") && err.to_string().contains("18 bytes"));
    }

    #[test]
    fn top_k_bounds() {
        let limits = Limits::default();
        assert!(limits.top_k(0).is_err());
        assert!(limits.top_k(limits.max_top_k as u32 + 1).is_err());
        assert_eq!(limits.top_k(5).unwrap(), 5);
    }

    #[test]
    fn dates_become_sortable_integers() {
        assert_eq!(date_key("2026-03-01").unwrap(), 20260301);
        assert!(date_key("2026-02-30").is_err());
        assert!(date_key("next week").is_err());
        assert!(date_key("2026-12-31").unwrap() < date_key("2027-01-01").unwrap());
    }

    #[test]
    fn keys_are_case_and_space_insensitive() {
        assert_eq!(
            normalise_key("  Manufacturing  Plant "),
            "manufacturing plant"
        );
    }
}
