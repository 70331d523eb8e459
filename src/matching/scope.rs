//! Where a caller may see records: everywhere, or a counsellor's sido codes. Built once per
//! request from the caller (the envelope authenticates, the token names the regions) and passed
//! to every use case, which asks it instead of comparing codes itself:
//!
//! - [`Scope::check`]: one stored record, `NOT_FOUND` exactly as for an unknown id when it lies
//!   outside, so a counsellor does not learn that a record elsewhere exists;
//! - [`Scope::filter`]: the store filter that keeps candidates and scans inside;
//! - [`Scope::narrow`]: the sido codes to scan for the regions a request names;
//! - [`Scope::require`]: `PERMISSION_DENIED` for a region a request names outside (aggregates
//!   and drafts, which reveal no stored record by being refused).

use crate::domain::fields;
use crate::error::{Error, Result};
use crate::geo::Region;
use crate::store::FieldFilter;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Sido codes; `None`: everywhere.
    regions: Option<Vec<String>>,
}

impl Scope {
    /// Every region (a platform, an admin, or authentication off).
    pub fn everywhere() -> Self {
        Self { regions: None }
    }

    /// The sido codes of a counsellor's token.
    pub fn regions(codes: Vec<String>) -> Self {
        Self {
            regions: Some(codes),
        }
    }

    /// The sido codes it is limited to (`None`: everywhere).
    pub fn codes(&self) -> Option<&[String]> {
        self.regions.as_deref()
    }

    /// Whether a place in `sido` is within.
    pub fn allows(&self, sido: &str) -> bool {
        self.regions
            .as_ref()
            .is_none_or(|codes| codes.iter().any(|c| c == sido))
    }

    /// A stored `kind` `id` in `sido`: `NotFound`, as for an unknown id, unless within.
    pub fn check(&self, sido: &str, kind: &'static str, id: &str) -> Result<()> {
        if self.allows(sido) {
            Ok(())
        } else {
            Err(Error::NotFound {
                kind,
                id: id.to_string(),
            })
        }
    }

    /// The store filter keeping records within (`None`: everywhere).
    pub fn filter(&self) -> Option<FieldFilter> {
        self.regions.as_ref().map(|codes| FieldFilter::AnyOf {
            field: fields::SIDO_CODE,
            values: codes.clone(),
        })
    }

    /// The sido codes to scan for `requested` regions: theirs within the scope, or the whole
    /// scope when none is requested (`None`: everywhere; `Some(empty)`: nothing the caller may
    /// see was asked for).
    pub fn narrow(&self, requested: &[&Region]) -> Option<Vec<String>> {
        let asked: Option<Vec<String>> = (!requested.is_empty())
            .then(|| requested.iter().map(|r| r.sido_code.clone()).collect());
        match (asked, &self.regions) {
            (None, None) => None,
            (None, Some(codes)) => Some(codes.clone()),
            (Some(asked), None) => Some(asked),
            (Some(asked), Some(codes)) => {
                Some(asked.into_iter().filter(|s| codes.contains(s)).collect())
            }
        }
    }

    /// `PERMISSION_DENIED` naming `field[i]` for the first requested region outside.
    pub fn require(&self, requested: &[&Region], field: &str) -> Result<()> {
        match requested
            .iter()
            .enumerate()
            .find(|(_, r)| !self.allows(&r.sido_code))
        {
            Some((i, outside)) => Err(Error::PermissionDenied(format!(
                "{field}[{i}]: {} is outside the caller's regions",
                outside.full_name
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Gazetteer;

    #[test]
    fn a_record_outside_reads_as_an_unknown_id_and_everywhere_allows_all() {
        let gyeonggi = Scope::regions(vec!["41".into()]);
        assert!(gyeonggi.check("41", "posting", "p1").is_ok());
        let outside = gyeonggi.check("26", "posting", "p1").unwrap_err();
        let unknown = Error::NotFound {
            kind: "posting",
            id: "p1".into(),
        };
        assert_eq!(outside.to_string(), unknown.to_string());
        assert!(matches!(outside, Error::NotFound { .. }));
        assert!(Scope::everywhere().check("26", "posting", "x").is_ok());
        assert!(Scope::everywhere().filter().is_none());
        assert!(matches!(
            gyeonggi.filter(),
            Some(FieldFilter::AnyOf { values, .. }) if values == ["41"]
        ));
    }

    #[test]
    fn requested_regions_are_narrowed_to_the_scope_or_refused() {
        let g = Gazetteer::builtin();
        let hwaseong = g.lookup("경기도 화성시").unwrap();
        let busan = g.lookup("부산광역시").unwrap();
        let gyeonggi = Scope::regions(vec!["41".into()]);
        let codes = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(Scope::everywhere().narrow(&[]), None);
        assert_eq!(gyeonggi.narrow(&[]), codes(&["41"]));
        assert_eq!(gyeonggi.narrow(&[hwaseong, busan]), codes(&["41"]));
        assert_eq!(gyeonggi.narrow(&[busan]), codes(&[]));
        assert_eq!(Scope::everywhere().narrow(&[busan]), codes(&["26"]));
        assert!(gyeonggi.require(&[hwaseong], "regions").is_ok());
        let refused = gyeonggi.require(&[hwaseong, busan], "regions").unwrap_err();
        assert!(matches!(refused, Error::PermissionDenied(_)));
        assert!(refused.to_string().contains("regions[1]"), "{refused}");
    }
}
