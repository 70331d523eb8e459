//! The event logs on a Qdrant server (the outcome log and the access log): one point per event,
//! without vectors, in a collection per log (`{prefix}outcomes_v1`, `{prefix}access_v1`) behind
//! an alias (`{prefix}outcomes`, `{prefix}access`), laid out (shards, copies, write consistency)
//! as the records are. Every replica appends, reads and erases them, so any replica takes
//! RecordOutcome, CentreFigures, the personal-data calls and deletes.
//!
//! - **Ids and order.** An event's point id is a random UUID, so two replicas recording the
//!   same pair at once write two points and lose neither. Its sequence is the time of recording
//!   in microseconds times 1,024 plus 10 random bits: it orders a pair's events across replicas
//!   as far as their clocks agree (events of one pair recorded within a clock skew of each other
//!   may swap; the figures count a pair's latest event).
//! - **Erasure** finds the subject's events by their indexed id field and writes them back
//!   pseudonymised in one upsert (one operation per shard). On a cluster where that upsert
//!   reaches some shards and fails on others, the delete fails and its retry erases the rest,
//!   under a second pseudonym: the subject's events then count as two subjects in the distinct
//!   counts, and nothing leads back to them.
//! - **Expiry** deletes the events dated before the retention, by id.

use qdrant_client::qdrant::{
    Condition, CreateAliasBuilder, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder,
    DeletePointsBuilder, FieldType, Filter, NamedVectors, PointStruct, PointsIdsList,
    RetrievedPoint, ScrollPointsBuilder, UpsertPointsBuilder,
};
use qdrant_client::Payload;
use serde_json::{Map, Value};

use super::{to_point_id, uuid_of, write_ordering, QdrantServer};
use crate::error::{Error, Result};
use crate::store::access_log::AccessRecord;
use crate::store::event_log::{new_pseudonym, retention_cutoff, EventLog, LogEvent, Subject};
use crate::store::outcome_log::OutcomeEvent;

/// Version of the collection's layout, in its name: a later layout gets a new collection.
const LAYOUT: &str = "v1";
/// Points read per scroll page.
const PAGE: u32 = 1024;

/// The events of one kind of one deployment (collection prefix) on a Qdrant server.
pub struct QdrantLog<E> {
    server: QdrantServer,
    alias: String,
    retention_days: u32,
    kind: std::marker::PhantomData<fn() -> E>,
}

/// The outcome log on a Qdrant server.
pub type QdrantOutcomeLog = QdrantLog<OutcomeEvent>;
/// The access log on a Qdrant server.
pub type QdrantAccessLog = QdrantLog<AccessRecord>;

impl QdrantServer {
    /// The deployment's outcome log (see [`QdrantServer::event_log`]). Blocking.
    pub fn outcome_log(&self, retention_days: u32) -> Result<QdrantOutcomeLog> {
        self.event_log(retention_days)
    }

    /// The deployment's access log (see [`QdrantServer::event_log`]). Blocking.
    pub fn access_log(&self, retention_days: u32) -> Result<QdrantAccessLog> {
        self.event_log(retention_days)
    }

    /// The deployment's log of `E`, its collection, indexes and alias created when absent (by
    /// whichever replica comes first; the others find them). Blocking.
    pub fn event_log<E: LogEvent>(&self, retention_days: u32) -> Result<QdrantLog<E>> {
        let alias = format!("{}{}", self.options.collection_prefix, E::COLLECTION);
        let collection = format!("{alias}_{LAYOUT}");
        self.create_collection_once(
            &collection,
            CreateCollectionBuilder::new(collection.clone())
                .shard_number(self.options.shard_number)
                .replication_factor(self.options.replication_factor)
                .write_consistency_factor(self.options.write_consistency_factor),
        )?;
        let fields = [Subject::Seeker(""), Subject::Posting("")]
            .into_iter()
            .filter_map(E::subject_field);
        for field in fields {
            let index = CreateFieldIndexCollectionBuilder::new(
                collection.clone(),
                field,
                FieldType::Keyword,
            )
            .wait(true);
            self.run(index, |client, index| async move {
                client.create_field_index(index).await
            })?;
        }
        let aliases = self.run((), |client, ()| async move { client.list_aliases().await })?;
        if !aliases.aliases.iter().any(|a| a.alias_name == alias) {
            let create = CreateAliasBuilder::new(collection.clone(), alias.clone());
            if let Err(e) = self.run(create, |client, create| async move {
                client.create_alias(create).await
            }) {
                let aliases =
                    self.run((), |client, ()| async move { client.list_aliases().await })?;
                if !aliases.aliases.iter().any(|a| a.alias_name == alias) {
                    return Err(e);
                }
            }
        }
        Ok(QdrantLog {
            server: self.clone(),
            alias,
            retention_days,
            kind: std::marker::PhantomData,
        })
    }
}

impl QdrantServer {
    /// Every event of the deployment's outcome log, read without creating anything (for
    /// `jobmatch stats`); FAILED_PRECONDITION when the prefix has none.
    pub fn outcome_events(&self) -> Result<Vec<OutcomeEvent>> {
        self.events_of()
    }

    /// Every event of the deployment's log of `E`, read without creating anything;
    /// FAILED_PRECONDITION when the prefix has none.
    pub fn events_of<E: LogEvent>(&self) -> Result<Vec<E>> {
        let alias = format!("{}{}", self.options.collection_prefix, E::COLLECTION);
        let aliases = self.run((), |client, ()| async move { client.list_aliases().await })?;
        if !aliases.aliases.iter().any(|a| a.alias_name == alias) {
            return Err(Error::FailedPrecondition(format!(
                "Qdrant at {} has no {} log '{alias}' (check --qdrant-collection-prefix)",
                self.current_url(),
                E::NOUN
            )));
        }
        QdrantLog {
            server: self.clone(),
            alias,
            retention_days: 0,
            kind: std::marker::PhantomData,
        }
        .events()
    }
}

/// A sequence that orders events across replicas: microseconds since the epoch × 1,024 plus 10
/// random bits (about 1.8 × 10¹⁸ today, within Qdrant's signed 64-bit integers).
fn time_sequence() -> u64 {
    let micros = chrono::Utc::now().timestamp_micros().max(0) as u64;
    micros * 1024 + (uuid::Uuid::new_v4().as_u128() % 1024) as u64
}

fn to_payload<E: LogEvent>(event: &E) -> Result<Payload> {
    match serde_json::to_value(event) {
        Ok(Value::Object(map)) => Ok(Payload::from(map)),
        Ok(other) => Err(Error::Store(format!(
            "an {} serialised as {other}",
            E::NOUN
        ))),
        Err(e) => Err(Error::Store(format!(
            "cannot serialise an {}: {e}",
            E::NOUN
        ))),
    }
}

fn to_event<E: LogEvent>(point: RetrievedPoint) -> Result<(uuid::Uuid, E)> {
    let id = uuid_of(point.id)?;
    let payload: Map<String, Value> = Payload::from(point.payload).into();
    let event = serde_json::from_value(Value::Object(payload))
        .map_err(|e| Error::Store(format!("{} {id} is unreadable: {e}", E::NOUN)))?;
    Ok((id, event))
}

impl<E: LogEvent> QdrantLog<E> {
    /// Every event matching `filter` (all: `None`), with its point id, in no set order.
    fn scroll(&self, filter: Option<Filter>) -> Result<Vec<(uuid::Uuid, E)>> {
        let mut found = Vec::new();
        let mut offset = None;
        loop {
            let mut request = ScrollPointsBuilder::new(self.alias.clone())
                .limit(PAGE)
                .with_payload(true)
                .with_vectors(false);
            if let Some(filter) = filter.clone() {
                request = request.filter(filter);
            }
            if let Some(offset) = offset.take() {
                request = request.offset(offset);
            }
            let page = self.server.run(request, |client, request| async move {
                client.scroll(request).await
            })?;
            for point in page.result {
                found.push(to_event(point)?);
            }
            match page.next_page_offset {
                Some(next) => offset = Some(next),
                None => return Ok(found),
            }
        }
    }

    /// Writes `events` (new or replacing their points) in one request, acknowledged once applied.
    fn put(&self, events: &[(uuid::Uuid, E)]) -> Result<()> {
        let points = events
            .iter()
            .map(|(id, event)| {
                Ok(PointStruct::new(
                    to_point_id(*id),
                    NamedVectors::default(),
                    to_payload(event)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let request = UpsertPointsBuilder::new(self.alias.clone(), points)
            .wait(true)
            .ordering(write_ordering());
        self.server.run(request, |client, request| async move {
            client.upsert_points(request).await
        })?;
        Ok(())
    }
}

impl<E: LogEvent> EventLog<E> for QdrantLog<E> {
    fn append(&self, mut event: E) -> Result<u64> {
        let sequence = time_sequence();
        event.set_sequence(sequence);
        self.put(&[(uuid::Uuid::new_v4(), event)])?;
        Ok(sequence)
    }

    fn events(&self) -> Result<Vec<E>> {
        let mut events: Vec<E> = self.scroll(None)?.into_iter().map(|(_, e)| e).collect();
        events.sort_by_key(|e| e.sequence());
        Ok(events)
    }

    fn erase(&self, subject: Subject) -> Result<usize> {
        let Some(field) = E::subject_field(subject) else {
            return Ok(0);
        };
        let id = match subject {
            Subject::Seeker(id) | Subject::Posting(id) => id,
        };
        let mut events = self.scroll(Some(Filter::must([Condition::matches(
            field,
            id.to_string(),
        )])))?;
        if events.is_empty() {
            return Ok(0);
        }
        let pseudonym = new_pseudonym();
        for (_, event) in &mut events {
            event.pseudonymise(subject, &pseudonym);
        }
        self.put(&events)?;
        Ok(events.len())
    }

    fn expire(&self, today: chrono::NaiveDate) -> Result<usize> {
        let Some(cutoff) = retention_cutoff(today, self.retention_days) else {
            return Ok(0);
        };
        let expired: Vec<_> = self
            .scroll(None)?
            .into_iter()
            .filter(|(_, e)| e.dated_before(cutoff))
            .map(|(id, _)| to_point_id(id))
            .collect();
        if expired.is_empty() {
            return Ok(0);
        }
        let count = expired.len();
        let request = DeletePointsBuilder::new(self.alias.clone())
            .points(PointsIdsList { ids: expired })
            .wait(true)
            .ordering(write_ordering());
        self.server.run(request, |client, request| async move {
            client.delete_points(request).await
        })?;
        Ok(count)
    }

    fn location(&self) -> String {
        format!("the Qdrant collection behind the alias '{}'", self.alias)
    }
}

impl<E: LogEvent> std::fmt::Debug for QdrantLog<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QdrantLog")
            .field("alias", &self.alias)
            .field("retention_days", &self.retention_days)
            .finish()
    }
}
