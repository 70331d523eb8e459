//! The counsellors' lookups: find stored records by a part of their name (FindRecords) and the
//! centre's figures over a date range (CentreFigures), both within the caller's regions.
//! Transport-free, over [`Matcher`]'s public handles.

use crate::domain::{fields, from_payload, Place, Posting, Seeker};
use crate::error::{Error, Result};
use crate::geo::{Gazetteer, Region};
use crate::matching::{blocking, Matcher, Scope};
use crate::outcomes::{centre_figures, people_activity, CentreFigures, FiguresScope};
use crate::store::plan::point_uuid;
use crate::store::{Collection, FieldFilter, ScanCursor};

/// FindRecords' page size when the request leaves it 0, and its largest.
pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 100;

/// Records read per store page while looking.
const PAGE: usize = 256;
/// Records examined per call at most: a rare word over a large store answers a short page with
/// a cursor instead of scanning everything at once.
pub const MAX_EXAMINED: usize = 10_000;

/// What FindRecords looks for.
#[derive(Debug, Clone)]
pub struct FindQuery {
    pub collection: Collection,
    /// Case-insensitive part of the id, title, company or display name; empty: any record.
    pub text: String,
    /// Region names or codes (sido or sigungu); empty: everywhere the caller may see.
    pub regions: Vec<String>,
    pub limit: usize,
    /// Where the previous page stopped.
    pub cursor: Option<ScanCursor>,
}

/// A found record.
#[derive(Debug, Clone)]
pub enum FoundRecord {
    Posting(Posting),
    Seeker(Seeker),
}

impl FoundRecord {
    fn place(&self) -> &Place {
        match self {
            FoundRecord::Posting(p) => &p.place,
            FoundRecord::Seeker(s) => &s.home,
        }
    }

    /// Whether `needle` (lower-cased) is part of the record's id or names.
    fn mentions(&self, needle: &str) -> bool {
        let names: [&str; 3] = match self {
            FoundRecord::Posting(p) => [&p.id, &p.title, &p.company_name],
            FoundRecord::Seeker(s) => [&s.id, &s.display_name, ""],
        };
        needle.is_empty() || names.iter().any(|n| n.to_lowercase().contains(needle))
    }
}

/// One page of FindRecords and where the next one starts (None: no more).
#[derive(Debug, Clone)]
pub struct FoundPage {
    pub records: Vec<FoundRecord>,
    pub next: Option<ScanCursor>,
}

/// In one of `regions` (none asked: anywhere).
pub(crate) fn in_any(place: &Place, regions: &[&Region]) -> bool {
    regions.is_empty() || regions.iter().any(|r| r.contains(place))
}

/// Stored records matching `query` that a caller bound to `scope` may see, in the store's
/// order, one page at a time.
pub async fn find_records(
    matcher: &Matcher,
    query: &FindQuery,
    scope: &Scope,
) -> Result<FoundPage> {
    let regions = Gazetteer::builtin().lookup_all(&query.regions)?;
    let filters = match scope.narrow(&regions) {
        Some(sidos) if sidos.is_empty() => {
            return Ok(FoundPage {
                records: Vec::new(),
                next: None,
            })
        }
        Some(sidos) => vec![FieldFilter::AnyOf {
            field: fields::SIDO_CODE,
            values: sidos,
        }],
        None => Vec::new(),
    };
    let needle = query.text.trim().to_lowercase();
    let store = matcher.engine().store.clone();
    let mut records = Vec::new();
    let mut cursor = query.cursor.clone();
    let mut examined = 0;
    while examined < MAX_EXAMINED {
        let (page, next) = {
            let (store, filters, cursor) = (store.clone(), filters.clone(), cursor.clone());
            let collection = query.collection;
            blocking(move || store.scan(collection, &filters, cursor, PAGE)).await?
        };
        examined += page.len();
        for (i, doc) in page.iter().enumerate() {
            let record = match query.collection {
                Collection::Postings => FoundRecord::Posting(from_payload(&doc.payload)?),
                Collection::Seekers => FoundRecord::Seeker(from_payload(&doc.payload)?),
            };
            if !(record.mentions(&needle) && in_any(record.place(), &regions)) {
                continue;
            }
            records.push(record);
            if records.len() == query.limit {
                // Resume at the record after this one: its point id is the store's cursor.
                let next = match page.get(i + 1) {
                    Some(following) => Some(cursor_at(query.collection, &following.id)),
                    None => next,
                };
                return Ok(FoundPage { records, next });
            }
        }
        match next {
            Some(c) => cursor = Some(c),
            None => {
                return Ok(FoundPage {
                    records,
                    next: None,
                })
            }
        }
    }
    Ok(FoundPage {
        records,
        next: cursor,
    })
}

fn cursor_at(collection: Collection, id: &str) -> ScanCursor {
    ScanCursor(point_uuid(collection, id).to_string())
}

/// Checks a page token from a client: a cursor is a point id (a UUID).
pub fn parse_page_token(token: &str) -> Result<Option<ScanCursor>> {
    if token.is_empty() {
        return Ok(None);
    }
    uuid::Uuid::parse_str(token)
        .map(|u| Some(ScanCursor(u.to_string())))
        .map_err(|_| Error::invalid("page_token", "is not a token this server gave"))
}

/// The centre's figures over `from..=to` (ISO dates; `None`: open) within `scope`; the people's
/// lines only `person`'s when given (a counsellor's own).
pub async fn figures(
    matcher: &Matcher,
    from: Option<String>,
    to: Option<String>,
    scope: &Scope,
    person: Option<String>,
) -> Result<CentreFigures> {
    crate::domain::check_date_range(from.as_deref(), to.as_deref())?;
    let log = matcher.require_outcome_log()?;
    let access = matcher.access_records(None, from.clone(), to.clone()).await;
    let access = match access {
        Ok(records) => records,
        Err(Error::FailedPrecondition(_)) => Vec::new(), // no access log kept
        Err(other) => return Err(other),
    };
    let regions = scope.codes().map(<[String]>::to_vec);
    blocking(move || {
        let events = log.events()?;
        let scope = FiguresScope {
            from: from.as_deref(),
            to: to.as_deref(),
            regions: regions.as_deref(),
        };
        let mut figures = centre_figures(&events, scope);
        figures.people = people_activity(&events, &access, scope, person.as_deref());
        Ok(figures)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_are_point_ids() {
        assert_eq!(parse_page_token("").unwrap(), None);
        let id = point_uuid(Collection::Postings, "p1").to_string();
        assert_eq!(parse_page_token(&id).unwrap(), Some(ScanCursor(id)));
        let err = parse_page_token("../etc").unwrap_err();
        assert!(err.to_string().contains("page_token"), "{err}");
    }
}
