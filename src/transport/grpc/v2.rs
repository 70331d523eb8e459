//! `jobmatch.v2.Matching`, served beside v1 for one release: the same handlers behind the same
//! envelope (admission, roles, access log, time limit), with v2's messages.
//!
//! v2 kept v1's field numbers and types wherever a field means the same, and gave every changed
//! field a new number (the old one reserved). So a message is carried across by its wire form:
//! encoded as one version and decoded as the other, which is exact for the kept fields and drops
//! the fields the other side lacks. A test checks every message pair against the descriptors.
//! What v2 changed is converted here by hand, each error naming v2's field: dates
//! (`google.type.Date` ⇄ ISO text), instants (`Timestamp` ⇄ RFC 3339), and `optional` numbers,
//! which v1 read as "not stated" when 0 and which v2 therefore refuses to take as 0.

use chrono::{Datelike, NaiveDate};
use prost::Message;
use tonic::{Request, Response, Status};

use super::{MatchingApi, ProgressStream};
use crate::access::NamesSeekers;
use crate::api::pb;
use crate::api::pb2;
use crate::api::proto::google::r#type::Date;
use crate::auth::Rpc;
use crate::error::{Error, Result};

/// The `jobmatch.v2.Matching` service over the v1 service's handlers.
#[derive(Clone)]
pub struct MatchingApiV2(pub MatchingApi);

pub type ProgressStreamV2 = std::pin::Pin<
    Box<dyn tokio_stream::Stream<Item = std::result::Result<pb2::ReindexProgress, Status>> + Send>,
>;

/// One version's message as the other's, by its wire form (see the module's doc).
fn transcode<From: Message, To: Message + Default>(message: &From) -> Result<To> {
    To::decode(message.encode_to_vec().as_slice())
        .map_err(|e| Error::Internal(format!("a v1/v2 message pair disagrees on the wire: {e}")))
}

/// A v2 request as the v1 message the handlers take.
trait IntoV1 {
    type V1;
    fn into_v1(self) -> Result<Self::V1>;
}

/// A v1 answer as its v2 message.
trait FromV1: Sized {
    type V1;
    fn from_v1(answer: Self::V1) -> Result<Self>;
}

/// Pairs that change nothing but names: carried by their wire form alone.
macro_rules! requests_as_is {
    ($($v2:ty => $v1:ty),* $(,)?) => {$(
        impl IntoV1 for $v2 {
            type V1 = $v1;
            fn into_v1(self) -> Result<$v1> {
                transcode(&self)
            }
        }
    )*};
}

macro_rules! answers_as_is {
    ($($v1:ty => $v2:ty),* $(,)?) => {$(
        impl FromV1 for $v2 {
            type V1 = $v1;
            fn from_v1(answer: $v1) -> Result<$v2> {
                transcode(&answer)
            }
        }
    )*};
}

requests_as_is!(
    pb2::UpsertPostingsRequest => pb::UpsertPostingsRequest,
    pb2::GetPostingRequest => pb::GetRequest,
    pb2::GetSeekerRequest => pb::GetRequest,
    pb2::DeletePostingRequest => pb::DeleteRequest,
    pb2::DeleteSeekerRequest => pb::DeleteRequest,
    pb2::RecommendPostingsRequest => pb::RecommendPostingsRequest,
    pb2::EmbedRequest => pb::EmbedRequest,
    pb2::ModelInfoRequest => pb::ModelInfoRequest,
    pb2::ReindexRequest => pb::ReindexRequest,
    pb2::AdvisePostingRequest => pb::AdvisePostingRequest,
    pb2::AdviseSeekerRequest => pb::AdviseSeekerRequest,
    pb2::WhoAmIRequest => pb::WhoAmIRequest,
    pb2::FindRecordsRequest => pb::FindRecordsRequest,
    pb2::ListOutcomesRequest => pb::ListOutcomesRequest,
    pb2::AssessInterestsRequest => pb::AssessInterestsRequest,
    pb2::PlaceCohortRequest => pb::PlaceCohortRequest,
);

answers_as_is!(
    pb::UpsertResponse => pb2::UpsertPostingsResponse,
    pb::UpsertResponse => pb2::UpsertSeekersResponse,
    pb::Posting => pb2::Posting,
    pb::DeleteResponse => pb2::DeletePostingResponse,
    pb::DeleteResponse => pb2::DeleteSeekerResponse,
    pb::RecommendCandidatesResponse => pb2::RecommendCandidatesResponse,
    pb::RecommendPostingsResponse => pb2::RecommendPostingsResponse,
    pb::EmbedResponse => pb2::EmbedResponse,
    pb::ModelInfoResponse => pb2::ModelInfoResponse,
    pb::MatchRegionResponse => pb2::MatchRegionResponse,
    pb::RecordOutcomeResponse => pb2::RecordOutcomeResponse,
    pb::AdvisePostingResponse => pb2::AdvisePostingResponse,
    pb::AdviseSeekerResponse => pb2::AdviseSeekerResponse,
    pb::WhoAmIResponse => pb2::WhoAmIResponse,
    pb::FindRecordsResponse => pb2::FindRecordsResponse,
    pb::ExposureAuditResponse => pb2::ExposureAuditResponse,
    pb::AssessInterestsResponse => pb2::AssessInterestsResponse,
    pb::PlaceCohortResponse => pb2::PlaceCohortResponse,
);

// The fields v2 changed.

/// A v2 date as v1's ISO text ("" when unset), checked to be a real day.
fn date_to_v1(date: Option<Date>, field: &str) -> Result<String> {
    let Some(date) = date else {
        return Ok(String::new());
    };
    let day = u32::try_from(date.month)
        .ok()
        .zip(u32::try_from(date.day).ok())
        .and_then(|(month, day)| NaiveDate::from_ymd_opt(date.year, month, day))
        .filter(|d| (1..=9999).contains(&d.year()));
    match day {
        Some(day) => Ok(day.format("%Y-%m-%d").to_string()),
        None => Err(Error::invalid(
            field,
            format!(
                "{}-{}-{} is not a calendar day (year 1..=9999, month 1..=12, a day of that month)",
                date.year, date.month, date.day
            ),
        )),
    }
}

/// v1's ISO date ("YYYY-MM-DD", or "YYYY-MM" for a month) as a v2 date; `None` for "".
fn date_from_v1(iso: &str) -> Result<Option<Date>> {
    if iso.is_empty() {
        return Ok(None);
    }
    let (text, day_given) = if iso.len() == 7 {
        (format!("{iso}-01"), false)
    } else {
        (iso.to_string(), true)
    };
    let day = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| Error::Internal(format!("a stored date is not ISO: {iso:?}")))?;
    Ok(Some(Date {
        year: day.year(),
        month: day.month() as i32,
        day: if day_given { day.day() as i32 } else { 0 },
    }))
}

/// v1's RFC 3339 instant as a v2 Timestamp.
fn instant_from_v1(rfc3339: &str) -> Result<Option<pbjson_types::Timestamp>> {
    let instant = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_err(|_| Error::Internal(format!("a stored instant is not RFC 3339: {rfc3339:?}")))?;
    Ok(Some(pbjson_types::Timestamp {
        seconds: instant.timestamp(),
        nanos: instant.timestamp_subsec_nanos() as i32,
    }))
}

/// An `optional` number v1 would read as "not stated" when 0: refused as 0 (and below).
fn positive_if_set<T: Into<f64> + Copy>(value: Option<T>, field: &str) -> Result<()> {
    match value.map(Into::into) {
        Some(v) if v <= 0.0 || v.is_nan() => Err(Error::invalid(
            field,
            format!("is {v}; when set it must be positive (leave it unset for \"not stated\")"),
        )),
        _ => Ok(()),
    }
}

fn seeker_into_v1(seeker: pb2::Seeker, field: &str) -> Result<pb::Seeker> {
    positive_if_set(seeker.max_commute_km, &format!("{field}.max_commute_km"))?;
    positive_if_set(seeker.birth_year, &format!("{field}.birth_year"))?;
    let mut v1: pb::Seeker = transcode(&seeker)?;
    v1.available_from = date_to_v1(seeker.available_from, &format!("{field}.available_from"))?;
    v1.discharge_date = date_to_v1(seeker.discharge_date, &format!("{field}.discharge_date"))?;
    Ok(v1)
}

fn seeker_filter_into_v1(filter: Option<pb2::SeekerFilter>) -> Result<Option<pb::SeekerFilter>> {
    let Some(filter) = filter else {
        return Ok(None);
    };
    positive_if_set(filter.min_birth_year, "filter.min_birth_year")?;
    positive_if_set(filter.max_birth_year, "filter.max_birth_year")?;
    positive_if_set(filter.max_age, "filter.max_age")?;
    let mut v1: pb::SeekerFilter = transcode(&filter)?;
    v1.available_by = date_to_v1(filter.available_by, "filter.available_by")?;
    v1.discharged_by = date_to_v1(filter.discharged_by, "filter.discharged_by")?;
    Ok(Some(v1))
}

impl IntoV1 for pb2::UpsertSeekersRequest {
    type V1 = pb::UpsertSeekersRequest;
    fn into_v1(self) -> Result<Self::V1> {
        let seekers = self
            .seekers
            .into_iter()
            .enumerate()
            .map(|(i, s)| seeker_into_v1(s, &format!("seekers[{i}]")))
            .collect::<Result<_>>()?;
        Ok(pb::UpsertSeekersRequest { seekers })
    }
}

impl FromV1 for pb2::Seeker {
    type V1 = pb::Seeker;
    fn from_v1(seeker: pb::Seeker) -> Result<Self> {
        let mut v2: pb2::Seeker = transcode(&seeker)?;
        v2.available_from = date_from_v1(&seeker.available_from)?;
        v2.discharge_date = date_from_v1(&seeker.discharge_date)?;
        Ok(v2)
    }
}

impl IntoV1 for pb2::RecommendCandidatesRequest {
    type V1 = pb::RecommendCandidatesRequest;
    fn into_v1(mut self) -> Result<Self::V1> {
        let filter = seeker_filter_into_v1(self.filter.take())?;
        Ok(pb::RecommendCandidatesRequest {
            filter,
            ..transcode(&self)?
        })
    }
}

/// A v2 RecommendCandidates request in v1's terms (the console's CSV export takes either).
pub fn recommend_candidates_request_to_v1(
    request: pb2::RecommendCandidatesRequest,
) -> Result<pb::RecommendCandidatesRequest> {
    request.into_v1()
}

impl IntoV1 for pb2::MatchRegionRequest {
    type V1 = pb::MatchRegionRequest;
    fn into_v1(mut self) -> Result<Self::V1> {
        let filter = seeker_filter_into_v1(self.filter.take())?;
        Ok(pb::MatchRegionRequest {
            filter,
            ..transcode(&self)?
        })
    }
}

impl IntoV1 for pb2::RecordOutcomeRequest {
    type V1 = pb::RecordOutcomeRequest;
    fn into_v1(self) -> Result<Self::V1> {
        Ok(pb::RecordOutcomeRequest {
            date: date_to_v1(self.date, "date")?,
            ..transcode(&self)?
        })
    }
}

impl IntoV1 for pb2::CentreFiguresRequest {
    type V1 = pb::CentreFiguresRequest;
    fn into_v1(self) -> Result<Self::V1> {
        Ok(pb::CentreFiguresRequest {
            from: date_to_v1(self.start_date, "start_date")?,
            to: date_to_v1(self.end_date, "end_date")?,
        })
    }
}

impl FromV1 for pb2::CentreFiguresResponse {
    type V1 = pb::CentreFiguresResponse;
    fn from_v1(answer: pb::CentreFiguresResponse) -> Result<Self> {
        let mut v2: pb2::CentreFiguresResponse = transcode(&answer)?;
        for (month, v1) in v2
            .placements_by_month
            .iter_mut()
            .zip(&answer.placements_by_month)
        {
            month.month = date_from_v1(&v1.month)?;
        }
        Ok(v2)
    }
}

impl IntoV1 for pb2::ExposureAuditRequest {
    type V1 = pb::ExposureAuditRequest;
    fn into_v1(self) -> Result<Self::V1> {
        positive_if_set(self.k, "k")?;
        positive_if_set(self.max_postings, "max_postings")?;
        transcode(&self)
    }
}

impl IntoV1 for pb2::ListAccessRecordsRequest {
    type V1 = pb::ListAccessRecordsRequest;
    fn into_v1(self) -> Result<Self::V1> {
        Ok(pb::ListAccessRecordsRequest {
            from: date_to_v1(self.start_date, "start_date")?,
            to: date_to_v1(self.end_date, "end_date")?,
            ..transcode(&self)?
        })
    }
}

impl FromV1 for pb2::ListAccessRecordsResponse {
    type V1 = pb::ListAccessRecordsResponse;
    fn from_v1(answer: pb::ListAccessRecordsResponse) -> Result<Self> {
        let mut v2: pb2::ListAccessRecordsResponse = transcode(&answer)?;
        for (record, v1) in v2.records.iter_mut().zip(&answer.records) {
            record.access_time = instant_from_v1(&v1.at)?;
        }
        Ok(v2)
    }
}

impl FromV1 for pb2::ListOutcomesResponse {
    type V1 = pb::ListOutcomesResponse;
    fn from_v1(answer: pb::ListOutcomesResponse) -> Result<Self> {
        let mut v2: pb2::ListOutcomesResponse = transcode(&answer)?;
        for (outcome, v1) in v2.outcomes.iter_mut().zip(&answer.outcomes) {
            outcome.date = date_from_v1(&v1.date)?;
        }
        Ok(v2)
    }
}

impl FromV1 for ProgressStreamV2 {
    type V1 = ProgressStream;
    fn from_v1(stream: ProgressStream) -> Result<Self> {
        use tokio_stream::StreamExt;
        Ok(Box::pin(stream.map(|item| {
            item.and_then(|progress| transcode(&progress).map_err(Status::from))
        })))
    }
}

/// A v2 request converted for the handler, or why it could not be: the refusal is given inside
/// the envelope, after admission and authentication, like any handler's.
struct Converted<T>(Result<T>);

impl<T: NamesSeekers> NamesSeekers for Converted<T> {
    fn seeker_ids(&self) -> Vec<String> {
        self.0.as_ref().map(T::seeker_ids).unwrap_or_default()
    }
}

/// Makes the v2 service's methods from the table's rows: convert, the v1 handler inside the
/// envelope, convert back.
macro_rules! v2_methods {
    ($( $name:ident $method:ident $handler:ident ($request:ty => $answer:ty
        | $request2:ty => $answer2:ty) [$($role:ident),*] $via:ident ($($personal:tt)*); )*) => {
        #[tonic::async_trait]
        impl pb2::matching_server::Matching for MatchingApiV2 {
            type ReindexStream = ProgressStreamV2;

            $(
                async fn $method(
                    &self,
                    request: Request<$request2>,
                ) -> std::result::Result<Response<$answer2>, Status> {
                    let request = request.map(|message| Converted(message.into_v1()));
                    let answer = self
                        .0
                        .serve(Rpc::$name, request, |caller, r| async move {
                            let (metadata, extensions, Converted(message)) = r.into_parts();
                            let r = Request::from_parts(metadata, extensions, message?);
                            self.0.$handler(&caller, r).await
                        })
                        .await?;
                    let (metadata, message, extensions) = answer.into_parts();
                    let message = <$answer2>::from_v1(message)?;
                    Ok(Response::from_parts(metadata, message, extensions))
                }
            )*
        }
    };
}

for_each_rpc!(v2_methods);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use prost_types::field_descriptor_proto::{Label, Type};
    use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};

    use super::*;

    /// Every v2 field that has no v1 twin of the same number, by message: each is converted by
    /// hand above. A new one must be added here and to the conversions, or the test fails.
    const CONVERTED_BY_HAND: &[(&str, &str)] = &[
        ("ListAccessRecordsRequest", "start_date"),
        ("ListAccessRecordsRequest", "end_date"),
        ("AccessRecord", "access_time"),
        ("OutcomeRecord", "date"),
        ("CentreFiguresRequest", "start_date"),
        ("CentreFiguresRequest", "end_date"),
        ("MonthCount", "month"),
        ("RecordOutcomeRequest", "date"),
        ("Seeker", "available_from"),
        ("Seeker", "discharge_date"),
        ("SeekerFilter", "available_by"),
        ("SeekerFilter", "discharged_by"),
    ];

    struct Api {
        messages: HashMap<String, DescriptorProto>,
        enums: HashMap<String, EnumDescriptorProto>,
    }

    fn api() -> (Api, Vec<(String, String)>) {
        let set = FileDescriptorSet::decode(pb::FILE_DESCRIPTOR_SET).unwrap();
        let mut api = Api {
            messages: HashMap::new(),
            enums: HashMap::new(),
        };
        let mut methods: HashMap<String, [Option<(String, String)>; 2]> = HashMap::new();
        for file in &set.file {
            let package = file.package();
            for message in &file.message_type {
                collect(&mut api, &format!(".{package}"), message);
            }
            for e in &file.enum_type {
                api.enums
                    .insert(format!(".{package}.{}", e.name()), e.clone());
            }
            let version = match package {
                "jobmatch.v1" => 0,
                "jobmatch.v2" => 1,
                _ => continue,
            };
            for method in file.service.iter().flat_map(|s| &s.method) {
                methods.entry(method.name().to_string()).or_default()[version] =
                    Some((method.input_type().into(), method.output_type().into()));
            }
        }
        let mut pairs = Vec::new();
        for (name, [v1, v2]) in methods {
            let (v1, v2) = (
                v1.expect(&name),
                v2.unwrap_or_else(|| panic!("v2 lacks {name}")),
            );
            pairs.push((v2.0, v1.0));
            pairs.push((v2.1, v1.1));
        }
        (api, pairs)
    }

    fn collect(api: &mut Api, scope: &str, message: &DescriptorProto) {
        let name = format!("{scope}.{}", message.name());
        for nested in &message.nested_type {
            collect(api, &name, nested);
        }
        for e in &message.enum_type {
            api.enums.insert(format!("{name}.{}", e.name()), e.clone());
        }
        api.messages.insert(name, message.clone());
    }

    /// Checks that `v2` decodes what `v1` encodes and back: every field number both declare has
    /// the same type and cardinality (message and enum types compared in turn), every v1 number
    /// v2 dropped is reserved in v2, and every v2-only field is listed in CONVERTED_BY_HAND.
    fn check(api: &Api, v2: &str, v1: &str, seen: &mut BTreeSet<(String, String)>) {
        if !seen.insert((v2.into(), v1.into())) {
            return;
        }
        if let (Some(e2), Some(e1)) = (api.enums.get(v2), api.enums.get(v1)) {
            let numbers: BTreeSet<i32> = e1.value.iter().map(|v| v.number()).collect();
            for value in &e2.value {
                assert!(
                    numbers.contains(&value.number()),
                    "{v2}.{} not in {v1}",
                    value.name()
                );
            }
            return;
        }
        let m2 = &api.messages[v2];
        let m1 = &api.messages[v1];
        let short = v2.rsplit('.').next().unwrap();
        for f2 in &m2.field {
            match m1.field.iter().find(|f| f.number() == f2.number()) {
                Some(f1) => {
                    assert_eq!(f2.r#type(), f1.r#type(), "{v2}.{} vs {v1}", f2.name());
                    let repeated =
                        |f: &prost_types::FieldDescriptorProto| f.label() == Label::Repeated;
                    assert_eq!(repeated(f2), repeated(f1), "{v2}.{}", f2.name());
                    if matches!(f2.r#type(), Type::Message | Type::Enum) {
                        check(api, f2.type_name(), f1.type_name(), seen);
                    }
                }
                None => assert!(
                    CONVERTED_BY_HAND.contains(&(short, f2.name())),
                    "{v2}.{} has no v1 twin and is not converted by hand",
                    f2.name()
                ),
            }
        }
        for f1 in &m1.field {
            let kept = m2.field.iter().any(|f| f.number() == f1.number());
            let reserved = m2
                .reserved_range
                .iter()
                .any(|r| (r.start()..r.end()).contains(&f1.number()));
            assert!(
                kept || reserved,
                "{v1}.{} ({}) is neither kept nor reserved in v2",
                f1.name(),
                f1.number()
            );
        }
    }

    #[test]
    fn every_v2_message_is_wire_compatible_with_its_v1_twin_but_for_the_converted_fields() {
        let (api, pairs) = api();
        assert!(pairs.len() >= 42, "{} request/answer pairs", pairs.len());
        let mut seen = BTreeSet::new();
        for (v2, v1) in &pairs {
            check(&api, v2, v1, &mut seen);
        }
        let listed: BTreeSet<&str> = CONVERTED_BY_HAND.iter().map(|(m, _)| *m).collect();
        for message in listed {
            assert!(
                seen.iter()
                    .any(|(v2, _)| v2.ends_with(&format!(".{message}"))),
                "{message} is listed but reached by no method"
            );
        }
    }

    #[test]
    fn dates_convert_both_ways_and_impossible_days_name_the_field() {
        let day = Date {
            year: 2026,
            month: 2,
            day: 28,
        };
        assert_eq!(date_to_v1(Some(day), "d").unwrap(), "2026-02-28");
        assert_eq!(date_from_v1("2026-02-28").unwrap(), Some(day));
        assert_eq!(date_to_v1(None, "d").unwrap(), "");
        assert_eq!(date_from_v1("").unwrap(), None);
        let month = date_from_v1("2026-07").unwrap().unwrap();
        assert_eq!((month.year, month.month, month.day), (2026, 7, 0));
        for bad in [(2026, 2, 29), (2026, 13, 1), (0, 1, 1), (2026, 1, 0)] {
            let date = Date {
                year: bad.0,
                month: bad.1,
                day: bad.2,
            };
            let err = date_to_v1(Some(date), "filter.available_by").unwrap_err();
            assert!(err.to_string().contains("filter.available_by"), "{err}");
        }
        let t = instant_from_v1("2026-12-07T05:00:01.5Z").unwrap().unwrap();
        assert_eq!((t.seconds, t.nanos), (1_796_619_601, 500_000_000));
    }

    #[test]
    fn optional_numbers_set_to_zero_are_refused_by_name() {
        let seeker = pb2::Seeker {
            birth_year: Some(0),
            ..Default::default()
        };
        let err = seeker_into_v1(seeker, "seekers[2]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("seekers[2].birth_year"), "{err}");
        let seeker = pb2::Seeker {
            max_commute_km: Some(12.5),
            birth_year: Some(2004),
            discharge_date: Some(Date {
                year: 2027,
                month: 1,
                day: 31,
            }),
            ..Default::default()
        };
        let v1 = seeker_into_v1(seeker.clone(), "seekers[0]").unwrap();
        assert_eq!((v1.max_commute_km, v1.birth_year), (12.5, 2004));
        assert_eq!(v1.discharge_date, "2027-01-31");
        assert_eq!(pb2::Seeker::from_v1(v1).unwrap(), seeker);
        let unset = pb2::Seeker::from_v1(pb::Seeker::default()).unwrap();
        assert_eq!((unset.max_commute_km, unset.birth_year), (None, None));
    }
}
