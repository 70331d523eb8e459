//! The records use cases: a posting or a seeker as the use cases handle both ([`Record`]),
//! embedded and stored whole or not at all, read within a caller's scope, deleted everywhere.

use super::*;

/// A posting or a seeker, as the use cases handle both.
pub(crate) trait Record: Sized + for<'de> serde::Deserialize<'de> {
    const COLLECTION: Collection;
    /// Postings are passages, seekers queries (see [`TextKind`]).
    const TEXT_KIND: TextKind;
    fn id(&self) -> &str;
    fn embedding_text(&self) -> String;
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>>;
    fn place(&self) -> &Place;
    /// The condition this record, as the origin of a recommendation, puts on the other side
    /// through the seeker's own max commute (None: no limit).
    fn commute_filter(&self) -> Option<FieldFilter>;
    /// The record's skill class keys, stored with it (see [`Vocabulary::posting_keys`] and
    /// [`Vocabulary::seeker_keys`]).
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String>;
    /// Hands a batch of this kind to a write mirror.
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a>;
    /// Whether a write must keep something of the stored record the writer does not send
    /// (see [`Record::keep_from`]); false: no read before a write.
    const KEEPS_STORED: bool = false;
    /// Takes over from the stored record what this one does not carry.
    fn keep_from(&mut self, _stored: Self) {}
}

impl Record for Posting {
    const COLLECTION: Collection = Collection::Postings;
    const TEXT_KIND: TextKind = TextKind::Passage;
    fn id(&self) -> &str {
        &self.id
    }
    fn embedding_text(&self) -> String {
        Posting::embedding_text(self)
    }
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        Posting::payload(self)
    }
    fn place(&self) -> &Place {
        &self.place
    }
    fn commute_filter(&self) -> Option<FieldFilter> {
        Some(FieldFilter::CommuteReaches {
            center: self.place.point,
        })
    }
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String> {
        vocabulary.posting_keys(self)
    }
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a> {
        mirror.upsert_postings(records)
    }
}

impl Record for Seeker {
    const COLLECTION: Collection = Collection::Seekers;
    const TEXT_KIND: TextKind = TextKind::Query;
    fn id(&self) -> &str {
        &self.id
    }
    fn embedding_text(&self) -> String {
        Seeker::embedding_text(self)
    }
    fn payload(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        Seeker::payload(self)
    }
    fn place(&self) -> &Place {
        &self.home
    }
    fn commute_filter(&self) -> Option<FieldFilter> {
        self.max_commute_km.map(|km| FieldFilter::WithinKm {
            center: self.home.point,
            km: f64::from(commute_bucket(Some(km))),
        })
    }
    fn skill_keys(&self, vocabulary: &Vocabulary) -> Vec<String> {
        vocabulary.seeker_keys(self)
    }
    fn mirror<'a>(mirror: &'a dyn WriteMirror, records: &'a [Self]) -> Mirrored<'a> {
        mirror.upsert_seekers(records)
    }
    /// The interest scores come from AssessInterests, never from the platform's records.
    const KEEPS_STORED: bool = true;
    fn keep_from(&mut self, stored: Self) {
        if self.interests.is_none() {
            self.interests = stored.interests;
        }
    }
}

/// Embeds records with the engine's model and analyser into documents ready to store.
pub(crate) async fn embed_records<R: Record>(
    engine: &Engine,
    records: &[R],
) -> Result<Vec<StoredDoc>> {
    let texts: Vec<String> = records.iter().map(R::embedding_text).collect();
    let lexical = texts
        .iter()
        .map(|t| engine.analyser.document_vector(t))
        .collect::<Vec<_>>();
    let vectors = engine.embedder.embed(texts, R::TEXT_KIND).await?;
    records
        .iter()
        .zip(vectors)
        .zip(lexical)
        .map(|((r, vector), lexical)| {
            Ok(StoredDoc {
                id: r.id().to_string(),
                vector,
                lexical,
                payload: with_skill_keys(r.payload()?, r.skill_keys(&engine.vocabulary)),
            })
        })
        .collect()
}

fn with_skill_keys(
    mut payload: serde_json::Map<String, serde_json::Value>,
    keys: Vec<String>,
) -> serde_json::Map<String, serde_json::Value> {
    payload.insert(fields::SKILL_KEYS.into(), keys.into());
    payload
}

/// Reads one record; `NotFound` when it is not stored.
pub(super) async fn fetch_from(
    store: Arc<dyn VectorStore>,
    collection: Collection,
    id: &str,
) -> Result<StoredDoc> {
    let key = id.to_string();
    blocking(move || store.get(collection, &key))
        .await?
        .ok_or_else(|| Error::NotFound {
            kind: collection.noun(),
            id: id.to_string(),
        })
}

fn reject_duplicate_ids<'a>(ids: impl Iterator<Item = &'a str>, list: &str) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(Error::invalid(
                format!("{list}[{i}].id"),
                format!("'{id}' appears twice in this batch"),
            ));
        }
    }
    Ok(())
}

impl Matcher {
    /// Embeds and stores records; the batch is written whole or not at all. During a re-index
    /// the batch also reaches the generation being built. Every upsert (gRPC, ingest, the
    /// re-index's tests) passes here, so its span is here.
    #[instrument(skip_all, fields(collection = R::COLLECTION.name(), count = records.len()))]
    pub(crate) async fn upsert<R: Record>(&self, mut records: Vec<R>) -> Result<usize> {
        reject_duplicate_ids(records.iter().map(R::id), R::COLLECTION.name())?;
        if records.is_empty() {
            return Ok(0);
        }
        let _gate = self.write_gate.read().await;
        self.keep_stored(&mut records).await?;
        let engine = self.engine();
        let docs = embed_records(&engine, &records).await?;
        let store = engine.store.clone();
        blocking(move || store.upsert(R::COLLECTION, docs)).await?;
        engine.samples.touched(R::COLLECTION);
        if let Some(mirror) = self.current_mirror() {
            R::mirror(mirror.as_ref(), &records).await;
        }
        Ok(records.len())
    }

    /// Embeds and stores postings; the batch is written whole or not at all.
    pub async fn upsert_postings(&self, postings: Vec<Posting>) -> Result<usize> {
        self.upsert(postings).await
    }

    /// Embeds and stores seekers; the batch is written whole or not at all. A seeker written
    /// without interest scores keeps the stored ones (the platform's records do not carry them).
    pub async fn upsert_seekers(&self, seekers: Vec<Seeker>) -> Result<usize> {
        self.upsert(seekers).await
    }

    /// Lets each record take over what it keeps of its stored version ([`Record::keep_from`]).
    async fn keep_stored<R: Record>(&self, records: &mut [R]) -> Result<()> {
        if !R::KEEPS_STORED {
            return Ok(());
        }
        let ids: Vec<String> = records.iter().map(|r| r.id().to_string()).collect();
        let store = self.engine().store.clone();
        let mut stored: HashMap<String, R> =
            blocking(move || store.get_records(R::COLLECTION, &ids))
                .await?
                .iter()
                .map(|doc| Ok((doc.id.clone(), from_payload::<R>(&doc.payload)?)))
                .collect::<Result<_>>()?;
        for record in records.iter_mut() {
            if let Some(old) = stored.remove(record.id()) {
                record.keep_from(old);
            }
        }
        Ok(())
    }

    pub(super) async fn fetch(&self, collection: Collection, id: &str) -> Result<StoredDoc> {
        fetch_from(self.engine().store.clone(), collection, id).await
    }

    pub async fn get_posting(&self, id: &str) -> Result<Posting> {
        from_payload(&self.fetch(Collection::Postings, id).await?.payload)
    }

    pub async fn get_seeker(&self, id: &str) -> Result<Seeker> {
        from_payload(&self.fetch(Collection::Seekers, id).await?.payload)
    }

    /// A posting or a seeker as a caller bound to `scope` may see it (see [`Scope::check`]).
    pub(crate) async fn read<R: Record>(&self, id: &str, scope: &Scope) -> Result<R> {
        let record: R = from_payload(&self.fetch(R::COLLECTION, id).await?.payload)?;
        scope.check(&record.place().sido_code, R::COLLECTION.noun(), id)?;
        Ok(record)
    }

    /// A posting as a caller bound to `scope` may see it.
    pub async fn read_posting(&self, id: &str, scope: &Scope) -> Result<Posting> {
        self.read(id, scope).await
    }

    /// A seeker as a caller bound to `scope` may see them.
    pub async fn read_seeker(&self, id: &str, scope: &Scope) -> Result<Seeker> {
        self.read(id, scope).await
    }

    /// Deletes a record with its vector (during a re-index, from the generation being built
    /// too), then erases it from the outcome log; `NotFound` when neither held it. The log is
    /// erased even when the store no longer has the record, so a delete retried after a crash
    /// between the two steps completes: deleting is idempotent, and any replica may take it.
    pub async fn delete(&self, collection: Collection, id: &str) -> Result<()> {
        let _gate = self.write_gate.read().await;
        let _counted = (collection == Collection::Seekers).then(|| self.seeker_deletes.begin());
        let log = self.outcome_log();
        let _log_writes = self.outcome_writes.lock().await;
        let engine = self.engine();
        let store = engine.store.clone();
        let key = id.to_string();
        let existed = blocking(move || store.delete(collection, &key)).await?;
        engine.samples.forget(collection);
        if let Some(mirror) = self.current_mirror() {
            mirror.delete(collection, id).await;
        }
        crate::failpoint::crash_at(self.failpoint.as_deref(), "delete.between_steps");
        let mut erased = 0;
        if let Some(log) = log.clone() {
            let key = id.to_string();
            erased = blocking(move || {
                log.erase(match collection {
                    Collection::Seekers => Subject::Seeker(&key),
                    Collection::Postings => Subject::Posting(&key),
                })
            })
            .await?;
        }
        // Not counted in `erased`: the delete's own access record names the id even when no
        // seeker had it.
        if let (Some(access), Collection::Seekers) = (self.access.clone(), collection) {
            let key = id.to_string();
            blocking(move || access.erase(Subject::Seeker(&key))).await?;
        }
        if existed || erased > 0 {
            Ok(())
        } else {
            Err(Error::NotFound {
                kind: collection.noun(),
                id: id.to_string(),
            })
        }
    }

    pub async fn count(&self, collection: Collection) -> Result<usize> {
        let store = self.engine().store.clone();
        blocking(move || store.count(collection)).await
    }
}
